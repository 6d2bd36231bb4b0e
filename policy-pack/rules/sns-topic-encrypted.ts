import * as aws from "@pulumi/aws";
import { ResourceValidationPolicy } from "@pulumi/policy";
import { EXEMPT_RESOURCES_SCHEMA, ExemptionConfig, validateKeyIsSet } from "../lib/rule";

export type SnsTopicEncryptedConfig = ExemptionConfig;

/** Alarm and deploy-result messages name resources, accounts and failures: they are encrypted at rest like the logs. */
export const snsTopicEncrypted: ResourceValidationPolicy = {
    name: "sns-topic-encrypted",
    description: "SNS topics are encrypted at rest with a KMS key.",
    enforcementLevel: "mandatory",
    configSchema: { properties: { exemptResources: EXEMPT_RESOURCES_SCHEMA } },
    validateResource: validateKeyIsSet(
        aws.sns.Topic,
        "kmsMasterKeyId",
        (name, key) =>
            `SNS topic "${name}" has \`kmsMasterKeyId\` ${key}, so its messages are stored unencrypted. Set \`kmsMasterKeyId\` to a customer managed key that CloudWatch and EventBridge may use (alias/aws/sns does not admit CloudWatch alarms), as orglog:index:OrgTrail does.`,
    ),
};
