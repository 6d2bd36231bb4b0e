import * as aws from "@pulumi/aws";
import { Statement, cloudWatchLogsUsesKey, keyAccountAdministers, policyDocument } from "./document";

/** The ARN of a CloudWatch Logs log group as KMS sees it in `kms:EncryptionContext:aws:logs:arn` (no `:*`). */
export function logGroupArn(p: { partition: string; region: string; accountId: string; logGroupName: string }): string {
    return `arn:${p.partition}:logs:${p.region}:${p.accountId}:log-group:${p.logGroupName}`;
}

/**
 * Key policy of the trail log group's key: CloudWatch Logs of the region may use it for that one log
 * group only. CloudWatch Logs identifies the log group through the encryption context, which is the
 * documented way to scope it. https://docs.aws.amazon.com/AmazonCloudWatch/latest/logs/encrypt-log-data-kms.html
 */
export function logGroupKeyPolicy(p: {
    partition: string;
    region: string;
    accountId: string;
    logGroupName: string;
}): aws.iam.PolicyDocument {
    return policyDocument([
        keyAccountAdministers(p.partition, p.accountId),
        cloudWatchLogsUsesKey("CloudWatchLogsEncryptsTrailLogGroup", p.region, "ArnEquals", logGroupArn(p)),
    ]);
}

/**
 * Trust policy of the role CloudTrail assumes to deliver into CloudWatch Logs. It carries no
 * `aws:SourceArn`/`aws:SourceAccount` condition: CloudTrail does not send them for this role, so such
 * a condition stops delivery ("Confused deputy prevention is not applicable to the role policy for
 * CloudWatch Logs monitoring. The role policy doesn't support the use of aws:SourceArn and
 * aws:SourceAccount.", https://docs.aws.amazon.com/awscloudtrail/latest/userguide/cloudtrail-required-policy-for-cloudwatch-logs.html).
 * The role may only write streams of the trail's log group (trailDeliveryRolePolicy).
 */
export function trailDeliveryTrustPolicy(): aws.iam.PolicyDocument {
    return policyDocument([
        {
            Sid: "CloudTrailAssumesForTrail",
            Effect: "Allow",
            Principal: { Service: "cloudtrail.amazonaws.com" },
            Action: "sts:AssumeRole",
        },
    ]);
}

/** What the delivery role may do: create streams in and put events into the trail's log group, nothing else. */
export function trailDeliveryRolePolicy(p: { logGroupArn: string }): aws.iam.PolicyDocument {
    return policyDocument([
        {
            Sid: "DeliverTrailEvents",
            Effect: "Allow",
            Action: ["logs:CreateLogStream", "logs:PutLogEvents"],
            Resource: `${p.logGroupArn}:log-stream:*`,
        },
    ]);
}

/** Denies publishing to the topic over plain HTTP. */
export function denyInsecureTopicTransport(topicArn: string): Statement {
    return {
        Sid: "DenyInsecureTransport",
        Effect: "Deny",
        Principal: "*",
        Action: "sns:Publish",
        Resource: topicArn,
        Condition: { Bool: { "aws:SecureTransport": "false" } },
    };
}

/**
 * Key policy of the alarm topic's key: CloudWatch alarms of this account may encrypt the messages they
 * publish. https://docs.aws.amazon.com/sns/latest/dg/sns-key-management.html#compatibility-with-aws-services
 */
export function alarmKeyPolicy(p: { partition: string; accountId: string }): aws.iam.PolicyDocument {
    return policyDocument([
        keyAccountAdministers(p.partition, p.accountId),
        {
            Sid: "CloudWatchAlarmsEncrypt",
            Effect: "Allow",
            Principal: { Service: "cloudwatch.amazonaws.com" },
            Action: ["kms:Decrypt", "kms:GenerateDataKey*"],
            Resource: "*",
            Condition: { StringEquals: { "aws:SourceAccount": p.accountId } },
        },
    ]);
}

/** Topic policy of the alarm topic: only this account's CloudWatch alarms may publish, over TLS. */
export function alarmTopicPolicy(p: { topicArn: string; partition: string; region: string; accountId: string }): aws.iam.PolicyDocument {
    return policyDocument([
        denyInsecureTopicTransport(p.topicArn),
        {
            Sid: "CloudWatchAlarmsPublish",
            Effect: "Allow",
            Principal: { Service: "cloudwatch.amazonaws.com" },
            Action: "sns:Publish",
            Resource: p.topicArn,
            Condition: {
                ArnLike: { "aws:SourceArn": `arn:${p.partition}:cloudwatch:${p.region}:${p.accountId}:alarm:*` },
                StringEquals: { "aws:SourceAccount": p.accountId },
            },
        },
    ]);
}
