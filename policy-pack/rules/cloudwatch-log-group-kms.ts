import * as aws from "@pulumi/aws";
import { ResourceValidationPolicy } from "@pulumi/policy";
import { EXEMPT_RESOURCES_SCHEMA, ExemptionConfig, validateKeyIsSet } from "../lib/rule";

export type CloudwatchLogGroupKmsConfig = ExemptionConfig;

/** Log events carry request data and sometimes secrets: a customer key limits who can read them and audits every read. */
export const cloudwatchLogGroupKms: ResourceValidationPolicy = {
    name: "cloudwatch-log-group-kms",
    description: "CloudWatch Logs groups are encrypted with a customer managed KMS key.",
    enforcementLevel: "mandatory",
    configSchema: { properties: { exemptResources: EXEMPT_RESOURCES_SCHEMA } },
    validateResource: validateKeyIsSet(
        aws.cloudwatch.LogGroup,
        "kmsKeyId",
        (name, key) =>
            `log group "${name}" has \`kmsKeyId\` ${key}, so anyone with logs:GetLogEvents reads it without a key grant. Set \`kmsKeyId\` to a customer managed key whose policy admits logs.<region>.amazonaws.com, as orglog:index:OrgTrail does.`,
    ),
};
