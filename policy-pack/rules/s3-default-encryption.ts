import * as aws from "@pulumi/aws";
import { PolicyResource, StackValidationPolicy } from "@pulumi/policy";
import { eachOfType, label, referrers } from "../lib/resources";
import { EXEMPT_RESOURCES_SCHEMA, ExemptionConfig, judgedResources } from "../lib/rule";
import { S3_BUCKETS } from "../lib/types";
import { known, UNKNOWN } from "../lib/unknown";

export interface S3DefaultEncryptionConfig extends ExemptionConfig {
    /** Default encryption algorithms accepted (`aws:kms`, `aws:kms:dsse`, `AES256`). */
    allowedAlgorithms: string[];
}

const SSE_CLASSES = [aws.s3.BucketServerSideEncryptionConfiguration, aws.s3.BucketServerSideEncryptionConfigurationV2];

/** Default encryption states the bucket's intent in code: which key protects the logs, not S3's implicit default. */
export const s3DefaultEncryption: StackValidationPolicy = {
    name: "s3-default-encryption",
    description: "Every S3 bucket declares default server-side encryption with an accepted algorithm.",
    enforcementLevel: "mandatory",
    configSchema: {
        properties: {
            allowedAlgorithms: { type: "array", items: { type: "string" }, default: ["aws:kms", "aws:kms:dsse", "AES256"] },
            exemptResources: EXEMPT_RESOURCES_SCHEMA,
        },
    },
    validateStack: (args, reportViolation) => {
        const allowed = args.getConfig<S3DefaultEncryptionConfig>().allowedAlgorithms;
        const resources = judgedResources(args);
        const check = (algorithms: unknown[] | typeof UNKNOWN, resource: PolicyResource, what: string) => {
            if (algorithms === UNKNOWN) {
                return;
            }
            const bad = algorithms.filter((a) => !allowed.includes(String(a)));
            if (algorithms.length === 0 || bad.length > 0) {
                reportViolation(
                    `${what} sets the default encryption algorithm ${algorithms.length === 0 ? "to nothing" : bad.map((a) => JSON.stringify(a)).join(", ")}, which is not one of ${JSON.stringify(allowed)}. Set rules[].applyServerSideEncryptionByDefault.sseAlgorithm to "aws:kms" with the archive's key (orglog:index:LogArchiveAccount does), or "AES256" where the writer needs SSE-S3 (ALB access logs).`,
                    resource.urn,
                );
            }
        };
        eachOfType(resources, S3_BUCKETS, (bucket) => {
            // A separate encryption configuration decides; the bucket's own setting is only read
            // without one (after an update, the bucket's outputs show S3's implicit AES256 even then).
            if (referrers(args.resources, SSE_CLASSES, "bucket", bucket, ["bucket", "id"]).length > 0) {
                return;
            }
            const inline = known(
                () => bucket.props.serverSideEncryptionConfiguration?.rule?.applyServerSideEncryptionByDefault?.sseAlgorithm,
            );
            if (inline !== undefined) {
                check(inline === UNKNOWN ? UNKNOWN : [inline], bucket, `bucket ${label(bucket)}`);
                return;
            }
            reportViolation(
                `bucket ${label(bucket)} has no default encryption configuration, so its encryption is left to S3's implicit default rather than the archive's key. Add aws.s3.BucketServerSideEncryptionConfiguration for this bucket with sseAlgorithm "aws:kms" (or "AES256" for ALB access logs), as orglog:index:LogArchiveAccount does.`,
                bucket.urn,
            );
        });
        eachOfType(resources, SSE_CLASSES, (sse) => {
            check(
                known(() =>
                    ((sse.props.rules ?? []) as any[])
                        .map((r) => r.applyServerSideEncryptionByDefault?.sseAlgorithm)
                        .filter((a) => a !== undefined),
                ),
                sse,
                `bucket encryption configuration ${label(sse)}`,
            );
        });
    },
};
