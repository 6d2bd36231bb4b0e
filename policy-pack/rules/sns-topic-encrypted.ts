import { ResourceValidationPolicy } from "@pulumi/policy";
import { EXEMPT_RESOURCES_SCHEMA, ExemptionConfig, isExempt, shown } from "../lib/resources";
import { known, UNKNOWN } from "../lib/unknown";

export type SnsTopicEncryptedConfig = ExemptionConfig;

const TOPIC = "aws:sns/topic:Topic";

/** Alarm and deploy-result messages name resources, accounts and failures: they are encrypted at rest like the logs. */
export const snsTopicEncrypted: ResourceValidationPolicy = {
    name: "sns-topic-encrypted",
    description: "SNS topics are encrypted at rest with a KMS key.",
    enforcementLevel: "mandatory",
    configSchema: { properties: { exemptResources: EXEMPT_RESOURCES_SCHEMA } },
    validateResource: (args, reportViolation) => {
        if (args.type !== TOPIC || isExempt(args.getConfig<SnsTopicEncryptedConfig>(), args)) {
            return;
        }
        const key = known(() => args.props.kmsMasterKeyId);
        if (key !== UNKNOWN && (typeof key !== "string" || key === "")) {
            reportViolation(
                `SNS topic "${args.name}" has \`kmsMasterKeyId\` ${shown(key)}, so its messages are stored unencrypted. Set \`kmsMasterKeyId\` to a customer managed key that CloudWatch and EventBridge may use (alias/aws/sns does not admit CloudWatch alarms), as orglog:index:OrgTrail does.`,
            );
        }
    },
};
