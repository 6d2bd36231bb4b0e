import * as aws from "@pulumi/aws";
import { ResourceValidationPolicy } from "@pulumi/policy";
import { shown } from "../lib/resources";
import { EXEMPT_RESOURCES_SCHEMA, ExemptionConfig, validateResourcesOf } from "../lib/rule";
import { known, UNKNOWN } from "../lib/unknown";

export type CloudtrailCloudwatchLogsConfig = ExemptionConfig;

/** The CIS metric filters and alarms (trail changed, IAM user created, ...) read the trail from CloudWatch Logs. */
export const cloudtrailCloudwatchLogs: ResourceValidationPolicy = {
    name: "cloudtrail-cloudwatch-logs",
    description: "CloudTrail trails also deliver to a CloudWatch Logs group (with the role to write it), where the CIS alarms watch them.",
    enforcementLevel: "mandatory",
    configSchema: { properties: { exemptResources: EXEMPT_RESOURCES_SCHEMA } },
    validateResource: validateResourcesOf([aws.cloudtrail.Trail], (trail, args, reportViolation) => {
        const group = known(() => trail.cloudWatchLogsGroupArn);
        const role = known(() => trail.cloudWatchLogsRoleArn);
        if (group === UNKNOWN || role === UNKNOWN) {
            return;
        }
        const missing = [
            typeof group === "string" && group !== "" ? undefined : `\`cloudWatchLogsGroupArn\` ${shown(group)}`,
            typeof role === "string" && role !== "" ? undefined : `\`cloudWatchLogsRoleArn\` ${shown(role)}`,
        ].filter(Boolean);
        if (missing.length > 0) {
            reportViolation(
                `trail "${args.name}" has ${missing.join(" and ")}, so no metric filter or alarm sees its events. Set \`cloudWatchLogsGroupArn\` (the group's ARN followed by ":*") and \`cloudWatchLogsRoleArn\`, as orglog:index:OrgTrail does.`,
            );
        }
    }),
};
