import * as aws from "@pulumi/aws";
import { denyInsecureTransport, keyAccountAdministers, policyDocument, s3ServerAccessLogsDelivery, Statement } from "./document";

export interface CollectorAccessLogsBucketPolicyParams {
    /** ARN of the bucket receiving the server access logs. */
    logsBucketArn: string;
    /** Key prefix the logs are written under, ending in `/`. */
    logPrefix: string;
    /** ARN of the bucket whose access is logged. */
    sourceBucketArn: string;
    /** Account that owns both buckets. */
    accountId: string;
    /** Also admit VPC flow log delivery under `<prefix>AWSLogs/<account>/` (when the fleet creates its VPC). */
    flowLogs?: { prefix: string; partition: string; region: string };
}

/**
 * Lets S3 server access logging deliver the configuration bucket's access logs and, when asked,
 * VPC flow logs deliver the fleet VPC's flow logs; nothing else.
 * https://docs.aws.amazon.com/AmazonS3/latest/userguide/enable-server-access-logging.html
 */
export function collectorAccessLogsBucketPolicy(p: CollectorAccessLogsBucketPolicyParams): aws.iam.PolicyDocument {
    const statements: Statement[] = [
        denyInsecureTransport(p.logsBucketArn),
        s3ServerAccessLogsDelivery("S3ServerAccessLogsDelivery", {
            logsBucketArn: p.logsBucketArn,
            prefix: p.logPrefix,
            sourceBucketArn: p.sourceBucketArn,
            sourceAccountId: p.accountId,
        }),
    ];
    if (p.flowLogs) {
        // https://docs.aws.amazon.com/vpc/latest/userguide/flow-logs-s3-permissions.html
        const sourceArn = `arn:${p.flowLogs.partition}:logs:${p.flowLogs.region}:${p.accountId}:*`;
        statements.push(
            {
                Sid: "VpcFlowLogsDelivery",
                Effect: "Allow",
                Principal: { Service: "delivery.logs.amazonaws.com" },
                Action: "s3:PutObject",
                Resource: `${p.logsBucketArn}/${p.flowLogs.prefix}AWSLogs/${p.accountId}/*`,
                Condition: {
                    StringEquals: { "aws:SourceAccount": p.accountId, "s3:x-amz-acl": "bucket-owner-full-control" },
                    ArnLike: { "aws:SourceArn": sourceArn },
                },
            },
            {
                Sid: "VpcFlowLogsAclCheck",
                Effect: "Allow",
                Principal: { Service: "delivery.logs.amazonaws.com" },
                Action: "s3:GetBucketAcl",
                Resource: p.logsBucketArn,
                Condition: { StringEquals: { "aws:SourceAccount": p.accountId }, ArnLike: { "aws:SourceArn": sourceArn } },
            },
        );
    }
    return policyDocument(statements);
}

export interface CollectorKeyPolicyParams {
    partition: string;
    /** The collection account, which owns the key. */
    accountId: string;
    region: string;
    /** ARN of the collectors' instance role. */
    instanceRoleArn: string;
}

/**
 * Key policy of the collector key (configuration objects, deploy topic, collector secrets). The
 * account administers it, so the roles' IAM policies decide who uses it through S3 and Secrets
 * Manager; publishing to the encrypted deploy topic is granted here to the collectors only.
 */
export function collectorKeyPolicy(p: CollectorKeyPolicyParams): aws.iam.PolicyDocument {
    return policyDocument([
        keyAccountAdministers(p.partition, p.accountId),
        {
            Sid: "CollectorsPublishDeployResults",
            Effect: "Allow",
            Principal: { AWS: p.instanceRoleArn },
            Action: ["kms:GenerateDataKey*", "kms:Decrypt"],
            Resource: "*",
            Condition: { StringEquals: { "kms:ViaService": `sns.${p.region}.amazonaws.com` } },
        },
    ]);
}
