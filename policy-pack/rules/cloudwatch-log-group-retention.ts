import * as aws from "@pulumi/aws";
import { ResourceValidationPolicy } from "@pulumi/policy";
import { shown } from "../lib/resources";
import { EXEMPT_RESOURCES_SCHEMA, ExemptionConfig, validateResourcesOf } from "../lib/rule";
import { known, UNKNOWN } from "../lib/unknown";

export interface CloudwatchLogGroupRetentionConfig extends ExemptionConfig {
    /** Shortest retention accepted, in days. */
    minRetentionDays: number;
}

/** The argument of the orglog component that sets a group's retention; no stack config key of org-logging does. */
const RETENTION_ARGUMENT: Record<string, string> = {
    "orglog:index:OrgTrail": "logGroupRetentionDays",
    "orglog:index:FireLensService": "logRetentionDays",
};

/** Where the value comes from, read from the group's URN (`...::orglog:index:OrgTrail$aws:cloudwatch/logGroup:LogGroup::name`). */
function retentionSource(urn: string): string {
    const parentType = urn.split("::")[2]?.split("$").slice(-2, -1)[0];
    const argument = parentType ? RETENTION_ARGUMENT[parentType] : undefined;
    return argument
        ? ` The component sets it: pass \`${argument}\` to ${parentType}; no org-logging stack config key sets it.`
        : " No org-logging stack config key sets it: set it on the log group.";
}

/** A group that never expires grows (and bills) forever; one that expires too soon loses the evidence. The archive keeps the long copy. */
export const cloudwatchLogGroupRetention: ResourceValidationPolicy = {
    name: "cloudwatch-log-group-retention",
    description: 'CloudWatch Logs groups set a retention of at least minRetentionDays days (never "never expire").',
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
        const source = retentionSource(args.urn);
        if (retention === UNKNOWN) {
            return;
        }
        if (typeof retention !== "number" || retention === 0) {
            reportViolation(
                `log group "${args.name}" has \`retentionInDays\` ${shown(retention)}, so its events never expire. Set \`retentionInDays\` to ${min} or more (the archive bucket keeps the long-term copy), as orglog:index:OrgTrail and orglog:index:FireLensService do.${source}`,
            );
        } else if (retention < min) {
            reportViolation(
                `log group "${args.name}" keeps events for ${retention} days, less than the ${min} days an investigation needs. Set \`retentionInDays\` to ${min} or more, or lower the pack's \`minRetentionDays\`.${source}`,
            );
        }
    }),
};
