import * as aws from "@pulumi/aws";
import { StackValidationPolicy } from "@pulumi/policy";
import { eachOfType, label, referrers } from "../lib/resources";
import { EXEMPT_RESOURCES_SCHEMA, ExemptionConfig, judgedResources } from "../lib/rule";
import { S3_BUCKETS } from "../lib/types";
import { known, UNKNOWN } from "../lib/unknown";

export type S3VersioningConfig = ExemptionConfig;

const VERSIONING_CLASSES = [aws.s3.BucketVersioning, aws.s3.BucketVersioningV2];

/** Without versions an overwritten or deleted log object is gone; the collector agent also pins config by version id. */
export const s3Versioning: StackValidationPolicy = {
    name: "s3-versioning",
    description: "Every S3 bucket has versioning enabled.",
    enforcementLevel: "mandatory",
    configSchema: { properties: { exemptResources: EXEMPT_RESOURCES_SCHEMA } },
    validateStack: (args, reportViolation) => {
        const resources = judgedResources(args);
        eachOfType(resources, S3_BUCKETS, (bucket) => {
            // A separate aws.s3.BucketVersioning decides; the bucket's own `versioning` is only read
            // without one (after an update, the bucket's outputs show `enabled: false` even then).
            if (referrers(args.resources, VERSIONING_CLASSES, "bucket", bucket, ["bucket", "id"]).length > 0) {
                return;
            }
            const inline = known(() => bucket.props.versioning?.enabled);
            if (inline === UNKNOWN || inline === true) {
                return;
            }
            reportViolation(
                inline === false
                    ? `bucket ${label(bucket)} has versioning.enabled false, so overwritten or deleted log objects cannot be recovered. Enable versioning with aws.s3.BucketVersioning (status "Enabled"), or create the bucket with orglog:index:LogArchiveAccount.`
                    : `bucket ${label(bucket)} has no aws.s3.BucketVersioning, so overwritten or deleted log objects cannot be recovered. Add aws.s3.BucketVersioning for this bucket with versioningConfiguration.status "Enabled", or create the bucket with orglog:index:LogArchiveAccount.`,
                bucket.urn,
            );
        });
        eachOfType(resources, VERSIONING_CLASSES, (versioning) => {
            const status = known(() => versioning.props.versioningConfiguration?.status);
            if (status !== UNKNOWN && status !== "Enabled") {
                reportViolation(
                    `bucket versioning ${label(versioning)} has status ${JSON.stringify(status ?? null)}, so overwritten or deleted log objects cannot be recovered. Set versioningConfiguration.status to "Enabled".`,
                    versioning.urn,
                );
            }
        });
    },
};
