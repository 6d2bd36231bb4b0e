import * as aws from "@pulumi/aws";
import { ResourceValidationPolicy } from "@pulumi/policy";
import { shown } from "../lib/resources";
import { EXEMPT_RESOURCES_SCHEMA, ExemptionConfig, validateResourcesOf } from "../lib/rule";
import { known, UNKNOWN } from "../lib/unknown";

export interface CloudwatchLogGroupRetentionConfig extends ExemptionConfig {
    /** Shortest retention accepted, in days. */
    minRetentionDays: number;
}

/** A group that never expires grows (and bills) forever; one that expires too soon loses the evidence. The archive keeps the long copy. */
export const cloudwatchLogGroupRetention: ResourceValidationPolicy = {
    name: "cloudwatch-log-group-retention",
    description: "CloudWatch Logs groups set a retention of at least minRetentionDays days (never \"never expire\").",
    enforcementLevel: "mandatory",
    configSchema: {
        properties: {
            minRetentionDays: { type: "integer", minimum: 1, default: 30 },
            exemptResources: EXEMPT_RESOURCES_SCHEMA,
        },
    },
    validateResource: validateResourcesOf([aws.cloudwatch.LogGroup], (group, args, reportViolation) => {
        const retention = known(() => group.retentionInDays);
        const min = args.getConfig<CloudwatchLogGroupRetentionConfig>().minRetentionDays;
        if (retention === UNKNOWN) {
            return;
        }
        if (typeof retention !== "number" || retention === 0) {
            reportViolation(
                `log group "${args.name}" has \`retentionInDays\` ${shown(retention)}, so its events never expire. Set \`retentionInDays\` to ${min} or more (the archive bucket keeps the long-term copy), as orglog:index:OrgTrail and orglog:index:FireLensService do.`,
            );
        } else if (retention < min) {
            reportViolation(
                `log group "${args.name}" keeps events for ${retention} days, less than the ${min} days an investigation needs. Set \`retentionInDays\` to ${min} or more.`,
            );
        }
    }),
};
