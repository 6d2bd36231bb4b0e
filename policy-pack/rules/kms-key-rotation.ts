import * as aws from "@pulumi/aws";
import { ResourceValidationPolicy } from "@pulumi/policy";
import { shown } from "../lib/resources";
import { EXEMPT_RESOURCES_SCHEMA, ExemptionConfig, validateResourcesOf } from "../lib/rule";
import { judge, known, UNKNOWN } from "../lib/unknown";

export interface KmsKeyRotationConfig extends ExemptionConfig {
    /** Longest rotation period accepted, in days (KMS accepts 90-2560; its default is 365). */
    maxRotationPeriodDays: number;
}

/** A key that never rotates keeps every log ever written readable with one piece of key material. */
export const kmsKeyRotation: ResourceValidationPolicy = {
    name: "kms-key-rotation",
    description: "Symmetric KMS keys have automatic rotation enabled, at most every maxRotationPeriodDays days.",
    enforcementLevel: "mandatory",
    configSchema: {
        properties: {
            maxRotationPeriodDays: { type: "integer", minimum: 90, maximum: 2560, default: 365 },
            exemptResources: EXEMPT_RESOURCES_SCHEMA,
        },
    },
    validateResource: validateResourcesOf([aws.kms.Key], (key, args, reportViolation) => {
        const config = args.getConfig<KmsKeyRotationConfig>();
        const spec = known(() => key.customerMasterKeySpec);
        const usage = known(() => key.keyUsage);
        if (
            spec === UNKNOWN ||
            usage === UNKNOWN ||
            (spec !== undefined && spec !== "SYMMETRIC_DEFAULT") ||
            (usage !== undefined && usage !== "ENCRYPT_DECRYPT")
        ) {
            // Asymmetric and HMAC keys cannot rotate automatically.
            return;
        }
        judge(() => {
            const rotation = known(() => key.enableKeyRotation);
            if (rotation !== UNKNOWN && rotation !== true) {
                reportViolation(
                    `KMS key "${args.name}" has \`enableKeyRotation\` ${shown(rotation)}, so its key material never changes. Set \`enableKeyRotation: true\`, as orglog:index:LogArchiveAccount does for its keys.`,
                );
            }
        });
        judge(() => {
            const period = known(() => key.rotationPeriodInDays);
            const max = config.maxRotationPeriodDays;
            if (typeof period === "number" && period > max) {
                reportViolation(
                    `KMS key "${args.name}" rotates every ${period} days, longer than ${max}. Set \`rotationPeriodInDays\` to ${max} or less.`,
                );
            }
        });
    }),
};
