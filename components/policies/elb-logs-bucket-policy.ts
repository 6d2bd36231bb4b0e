import * as aws from "@pulumi/aws";
import { Statement, denyInsecureTransport, distinct, policyDocument } from "./document";

/**
 * Regions that opened before August 2022, where ALB access-log delivery writes as the region's
 * Elastic Load Balancing account rather than as the `logdelivery.elasticloadbalancing.amazonaws.com`
 * service principal. https://docs.aws.amazon.com/elasticloadbalancing/latest/application/enable-access-logging.html
 */
export const LEGACY_ELB_LOG_REGIONS: ReadonlySet<string> = new Set([
    "us-east-1", "us-east-2", "us-west-1", "us-west-2", "af-south-1", "ca-central-1",
    "eu-central-1", "eu-west-1", "eu-west-2", "eu-west-3", "eu-south-1", "eu-north-1",
    "ap-east-1", "ap-northeast-1", "ap-northeast-2", "ap-northeast-3", "ap-southeast-1",
    "ap-southeast-2", "ap-southeast-3", "ap-south-1", "me-south-1", "sa-east-1",
    "us-gov-west-1", "us-gov-east-1", "cn-north-1", "cn-northwest-1",
]);

export interface ElbLogsBucketPolicyParams {
    bucketArn: string;
    /** Accounts whose load balancers may deliver access logs (each under `AWSLogs/<account id>/`). */
    writerAccountIds: string[];
    /** ARN of the region's Elastic Load Balancing account root, in regions that opened before August 2022. */
    elbServiceAccountArn?: string;
}

/**
 * Bucket policy for ALB access-log delivery from several accounts, scoped to each account's
 * `AWSLogs/<account id>/` prefix. The log-delivery principal sends neither an ACL header nor source
 * keys AWS documents, so the prefix is the scope; `BucketOwnerEnforced` makes the bucket owner own
 * every object regardless.
 */
export function elbLogsBucketPolicy(p: ElbLogsBucketPolicyParams): aws.iam.PolicyDocument {
    const prefixes = distinct(p.writerAccountIds).map((account) => `${p.bucketArn}/AWSLogs/${account}/*`);
    const statements: Statement[] = [
        denyInsecureTransport(p.bucketArn),
        {
            Sid: "ElbLogDelivery",
            Effect: "Allow",
            Principal: { Service: "logdelivery.elasticloadbalancing.amazonaws.com" },
            Action: "s3:PutObject",
            Resource: prefixes,
        },
    ];
    if (p.elbServiceAccountArn) {
        statements.push({
            Sid: "ElbRegionalAccountLogDelivery",
            Effect: "Allow",
            Principal: { AWS: p.elbServiceAccountArn },
            Action: "s3:PutObject",
            Resource: prefixes,
        });
    }
    return policyDocument(statements);
}
