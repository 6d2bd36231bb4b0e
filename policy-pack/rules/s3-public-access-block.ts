import * as aws from "@pulumi/aws";
import { StackValidationPolicy } from "@pulumi/policy";
import { eachOfType, label, referrers, sameAccountAndRegion } from "../lib/resources";
import { EXEMPT_RESOURCES_SCHEMA, ExemptionConfig, judgedResources } from "../lib/rule";
import { S3_BUCKETS } from "../lib/types";
import { known, UNKNOWN } from "../lib/unknown";

export interface S3PublicAccessBlockConfig extends ExemptionConfig {
    /** Accept an aws.s3.AccountPublicAccessBlock with all four flags in the bucket's account instead of a per-bucket block. */
    acceptAccountLevelBlock: boolean;
}

const FLAGS = ["blockPublicAcls", "blockPublicPolicy", "ignorePublicAcls", "restrictPublicBuckets"];

/** One mistaken policy or ACL must not publish the organization's logs. */
export const s3PublicAccessBlock: StackValidationPolicy = {
    name: "s3-public-access-block",
    description: "Every S3 bucket has a public access block with all four flags set.",
    enforcementLevel: "mandatory",
    configSchema: {
        properties: {
            acceptAccountLevelBlock: { type: "boolean", default: true },
            exemptResources: EXEMPT_RESOURCES_SCHEMA,
        },
    },
    validateStack: (args, reportViolation) => {
        const config = args.getConfig<S3PublicAccessBlockConfig>();
        const resources = judgedResources(args);
        const offFlags = (props: Record<string, any>) => {
            const values = FLAGS.map((flag) => [flag, known(() => props[flag])] as const);
            return values.some(([, v]) => v === UNKNOWN) ? undefined : values.filter(([, v]) => v !== true).map(([flag]) => flag);
        };
        eachOfType(resources, S3_BUCKETS, (bucket) => {
            const blocks = referrers(args.resources, [aws.s3.BucketPublicAccessBlock], "bucket", bucket, ["bucket", "id"]);
            if (blocks.length > 0) {
                return;
            }
            const accountBlocked =
                config.acceptAccountLevelBlock &&
                args.resources.some(
                    (r) => r.isType(aws.s3.AccountPublicAccessBlock) && sameAccountAndRegion(r, bucket) && offFlags(r.props)?.length === 0,
                );
            if (!accountBlocked) {
                reportViolation(
                    `bucket ${label(bucket)} has no aws.s3.BucketPublicAccessBlock, so a public policy or ACL would expose it. Add aws.s3.BucketPublicAccessBlock for this bucket with ${FLAGS.join(", ")} all true, as orglog:index:LogArchiveAccount does.`,
                    bucket.urn,
                );
            }
        });
        eachOfType(resources, [aws.s3.BucketPublicAccessBlock, aws.s3.AccountPublicAccessBlock], (block) => {
            const off = offFlags(block.props);
            if (off && off.length > 0) {
                const kind = block.isType(aws.s3.BucketPublicAccessBlock) ? "bucket public access block" : "account public access block";
                reportViolation(
                    `${kind} ${label(block)} leaves ${off.map((f) => `\`${f}\``).join(", ")} not true, so public policies or ACLs can still take effect. Set ${off.map((f) => `\`${f}: true\``).join(", ")}.`,
                    block.urn,
                );
            }
        });
    },
};
