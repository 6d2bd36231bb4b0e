import * as aws from "@pulumi/aws";
import { keyAccountAdministers, policyDocument } from "./document";
import { denyInsecureTopicTransport } from "./trail-monitoring-policies";

/**
 * Key policy of an account's compliance topic key: EventBridge may encrypt what it publishes to the
 * topic. https://docs.aws.amazon.com/eventbridge/latest/userguide/eb-use-resource-based.html#eb-sns-permissions
 */
export function complianceKeyPolicy(p: { partition: string; accountId: string }): aws.iam.PolicyDocument {
    return policyDocument([
        keyAccountAdministers(p.partition, p.accountId),
        {
            Sid: "EventBridgeEncrypts",
            Effect: "Allow",
            Principal: { Service: "events.amazonaws.com" },
            Action: ["kms:Decrypt", "kms:GenerateDataKey*"],
            // No source condition here: the KMS requests EventBridge makes for an encrypted SNS target
            // do not carry aws:SourceAccount/aws:SourceArn, so a condition would silently drop every
            // finding. Who may publish is decided by the topic policy (complianceTopicPolicy), which
            // admits only this account's one rule by aws:SourceArn; the key grants no other topic.
            Resource: "*",
        },
    ]);
}

/** Topic policy of the compliance topic: only the one EventBridge rule may publish, over TLS. */
export function complianceTopicPolicy(p: { topicArn: string; ruleArn: string }): aws.iam.PolicyDocument {
    return policyDocument([
        denyInsecureTopicTransport(p.topicArn),
        {
            Sid: "ComplianceRulePublishes",
            Effect: "Allow",
            Principal: { Service: "events.amazonaws.com" },
            Action: "sns:Publish",
            Resource: p.topicArn,
            Condition: { ArnEquals: { "aws:SourceArn": p.ruleArn } },
        },
    ]);
}

/** EventBridge pattern that matches AWS Config evaluations turning NON_COMPLIANT. */
export const NON_COMPLIANT_EVENT_PATTERN = {
    source: ["aws.config"],
    "detail-type": ["Config Rules Compliance Change"],
    detail: {
        messageType: ["ComplianceChangeNotification"],
        newEvaluationResult: { complianceType: ["NON_COMPLIANT"] },
    },
} as const;
