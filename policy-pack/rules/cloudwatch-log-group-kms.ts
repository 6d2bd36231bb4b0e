import { ResourceValidationPolicy } from "@pulumi/policy";
import { EXEMPT_RESOURCES_SCHEMA, ExemptionConfig, isExempt, shown } from "../lib/resources";
import { known, UNKNOWN } from "../lib/unknown";

export type CloudwatchLogGroupKmsConfig = ExemptionConfig;

const LOG_GROUP = "aws:cloudwatch/logGroup:LogGroup";

/** Log events carry request data and sometimes secrets: a customer key limits who can read them and audits every read. */
export const cloudwatchLogGroupKms: ResourceValidationPolicy = {
    name: "cloudwatch-log-group-kms",
    description: "CloudWatch Logs groups are encrypted with a customer managed KMS key.",
    enforcementLevel: "mandatory",
    configSchema: { properties: { exemptResources: EXEMPT_RESOURCES_SCHEMA } },
    validateResource: (args, reportViolation) => {
        if (args.type !== LOG_GROUP || isExempt(args.getConfig<CloudwatchLogGroupKmsConfig>(), args)) {
            return;
        }
        const key = known(() => args.props.kmsKeyId);
        if (key !== UNKNOWN && (typeof key !== "string" || key === "")) {
            reportViolation(
                `log group "${args.name}" has \`kmsKeyId\` ${shown(key)}, so anyone with logs:GetLogEvents reads it without a key grant. Set \`kmsKeyId\` to a customer managed key whose policy admits logs.<region>.amazonaws.com, as orglog:index:OrgTrail does.`,
            );
        }
    },
};
