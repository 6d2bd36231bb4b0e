import { ResourceValidationPolicy } from "@pulumi/policy";
import { EXEMPT_RESOURCES_SCHEMA, ExemptionConfig, isExempt, shown } from "../lib/resources";
import { known, UNKNOWN } from "../lib/unknown";

export type CloudtrailEncryptedConfig = ExemptionConfig;

const TRAIL = "aws:cloudtrail/trail:Trail";

/** With SSE-S3 only, anyone who can read the bucket reads the trail; a KMS key adds a second, audited gate. */
export const cloudtrailEncrypted: ResourceValidationPolicy = {
    name: "cloudtrail-encrypted",
    description: "CloudTrail trails encrypt their log files with a customer managed KMS key.",
    enforcementLevel: "mandatory",
    configSchema: { properties: { exemptResources: EXEMPT_RESOURCES_SCHEMA } },
    validateResource: (args, reportViolation) => {
        if (args.type !== TRAIL || isExempt(args.getConfig<CloudtrailEncryptedConfig>(), args)) {
            return;
        }
        const key = known(() => args.props.kmsKeyId);
        if (key !== UNKNOWN && (typeof key !== "string" || key === "")) {
            reportViolation(
                `trail "${args.name}" has \`kmsKeyId\` ${shown(key)}, so its log files are readable by anyone who can read the bucket. Set \`kmsKeyId\` to the log archive's key (orglog:index:LogArchiveAccount's \`trailKey\`).`,
            );
        }
    },
};
