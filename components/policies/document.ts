import * as aws from "@pulumi/aws";

/** One statement of an IAM, bucket or key policy; every statement we write has a `Sid`. */
export type Statement = aws.iam.PolicyStatement & { Sid: string };

/** Wraps statements into a policy document of the current policy language version. */
export function policyDocument(statements: Statement[]): aws.iam.PolicyDocument {
    return { Version: "2012-10-17", Statement: statements };
}

/** Denies every request to the bucket and its objects that does not use TLS. */
export function denyInsecureTransport(bucketArn: string): Statement {
    return {
        Sid: "DenyInsecureTransport",
        Effect: "Deny",
        Principal: "*",
        Action: "s3:*",
        Resource: [bucketArn, `${bucketArn}/*`],
        Condition: { Bool: { "aws:SecureTransport": "false" } },
    };
}

/**
 * Policy of a bucket its own account reads and writes through IAM alone: TLS only, nothing granted
 * here (the configuration, Fluent Bit and query-results buckets).
 */
export function tlsOnlyBucketPolicy(p: { bucketArn: string }): aws.iam.PolicyDocument {
    return policyDocument([denyInsecureTransport(p.bucketArn)]);
}

/**
 * Lets an identity write and read objects encrypted with the bucket's SSE-KMS key, and use the key
 * no other way: only through S3 in the bucket's region.
 */
export function useKeyThroughS3(sid: string, keyArn: string, region: string): Statement {
    return {
        Sid: sid,
        Effect: "Allow",
        Action: ["kms:GenerateDataKey", "kms:Decrypt"],
        Resource: keyArn,
        Condition: { StringEquals: { "kms:ViaService": `s3.${region}.amazonaws.com` } },
    };
}

/**
 * Lets S3 server access logging deliver the logs of `sourceBucketArn` under `prefix` of the logs
 * bucket, and only for a source bucket of `sourceAccountId`
 * (https://docs.aws.amazon.com/AmazonS3/latest/userguide/enable-server-access-logging.html#grant-log-delivery-permissions-general).
 */
export function s3ServerAccessLogsDelivery(
    sid: string,
    p: { logsBucketArn: string; prefix: string; sourceBucketArn: string; sourceAccountId: string },
): Statement {
    return {
        Sid: sid,
        Effect: "Allow",
        Principal: { Service: "logging.s3.amazonaws.com" },
        Action: "s3:PutObject",
        Resource: `${p.logsBucketArn}/${p.prefix}*`,
        Condition: {
            ArnLike: { "aws:SourceArn": p.sourceBucketArn },
            StringEquals: { "aws:SourceAccount": p.sourceAccountId },
        },
    };
}

/** The ARN that names a whole account as a principal. */
export function accountRoot(partition: string, accountId: string): string {
    return `arn:${partition}:iam::${accountId}:root`;
}

/**
 * Lets the key's own account administer the key through IAM. A key policy without it makes the key
 * unmanageable (https://docs.aws.amazon.com/kms/latest/developerguide/key-policy-default.html).
 */
export function keyAccountAdministers(partition: string, keyAccountId: string): Statement {
    return {
        Sid: "KeyAccountAdministers",
        Effect: "Allow",
        Principal: { AWS: accountRoot(partition, keyAccountId) },
        Action: "kms:*",
        Resource: "*", // in a key policy "*" means this key
    };
}

/** The distinct values in their first-seen order (policies must not list an account twice). */
export function distinct(values: readonly string[]): string[] {
    return [...new Set(values)];
}

/**
 * Lets CloudWatch Logs of the region use a key for the log groups `logGroupArn` names (exact ARN with
 * `ArnEquals`, a prefix pattern with `ArnLike`): the encryption context names the log group, which is
 * the scoping CloudWatch Logs documents
 * (https://docs.aws.amazon.com/AmazonCloudWatch/latest/logs/encrypt-log-data-kms.html).
 */
export function cloudWatchLogsUsesKey(sid: string, region: string, operator: "ArnEquals" | "ArnLike", logGroupArn: string): Statement {
    return {
        Sid: sid,
        Effect: "Allow",
        Principal: { Service: `logs.${region}.amazonaws.com` },
        Action: ["kms:Encrypt*", "kms:Decrypt*", "kms:ReEncrypt*", "kms:GenerateDataKey*", "kms:Describe*"],
        Resource: "*",
        Condition: { [operator]: { "kms:EncryptionContext:aws:logs:arn": logGroupArn } },
    };
}
