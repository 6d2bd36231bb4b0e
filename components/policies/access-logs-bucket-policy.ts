import * as aws from "@pulumi/aws";
import { denyInsecureTransport, policyDocument, s3ServerAccessLogsDelivery } from "./document";

export interface AccessLogSource {
    /** Bucket whose server access logs are delivered here. */
    bucketArn: string;
    /** Prefix the source bucket's logging configuration writes under (ends with `/`). */
    prefix: string;
}

export interface AccessLogsBucketPolicyParams {
    bucketArn: string;
    /** The account that owns the source buckets. */
    sourceAccountId: string;
    sources: AccessLogSource[];
}

/**
 * Bucket policy of the server access log bucket: S3's logging service may write each source
 * bucket's logs under that bucket's prefix only, and only for buckets of our account.
 * https://docs.aws.amazon.com/AmazonS3/latest/userguide/enable-server-access-logging.html#grant-log-delivery-permissions-general
 */
export function accessLogsBucketPolicy(p: AccessLogsBucketPolicyParams): aws.iam.PolicyDocument {
    return policyDocument([
        denyInsecureTransport(p.bucketArn),
        ...p.sources.map((source) =>
            s3ServerAccessLogsDelivery(`S3ServerAccessLogs${pascal(source.prefix)}`, {
                logsBucketArn: p.bucketArn,
                prefix: source.prefix,
                sourceBucketArn: source.bucketArn,
                sourceAccountId: p.sourceAccountId,
            }),
        ),
    ]);
}

function pascal(prefix: string): string {
    return prefix
        .split(/[^A-Za-z0-9]+/)
        .filter(Boolean)
        .map((part) => part[0].toUpperCase() + part.slice(1))
        .join("");
}
