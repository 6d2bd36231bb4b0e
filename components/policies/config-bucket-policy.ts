import * as aws from "@pulumi/aws";
import { Statement, denyInsecureTransport, distinct, policyDocument } from "./document";

export interface ConfigBucketPolicyParams {
    bucketArn: string;
    /** Accounts whose AWS Config recorder delivers into this bucket. */
    accountIds: string[];
}

/**
 * Bucket policy for AWS Config delivery from several accounts through the service-linked role
 * (Config then writes as `config.amazonaws.com`). Each account may write only under its own
 * `AWSLogs/<account id>/Config/` prefix: the per-account `aws:SourceAccount` stops one account from
 * writing into another's history. https://docs.aws.amazon.com/config/latest/developerguide/s3-bucket-policy.html
 */
export function configBucketPolicy(p: ConfigBucketPolicyParams): aws.iam.PolicyDocument {
    const accounts = distinct(p.accountIds);
    const principal = { Service: "config.amazonaws.com" };
    const statements: Statement[] = [
        denyInsecureTransport(p.bucketArn),
        {
            Sid: "ConfigAclCheck",
            Effect: "Allow",
            Principal: principal,
            Action: "s3:GetBucketAcl",
            Resource: p.bucketArn,
            Condition: { StringEquals: { "aws:SourceAccount": accounts } },
        },
        {
            Sid: "ConfigBucketExistenceCheck",
            Effect: "Allow",
            Principal: principal,
            Action: "s3:ListBucket",
            Resource: p.bucketArn,
            Condition: { StringEquals: { "aws:SourceAccount": accounts } },
        },
        ...accounts.map(
            (account): Statement => ({
                Sid: `ConfigDelivery${account}`,
                Effect: "Allow",
                Principal: principal,
                Action: "s3:PutObject",
                Resource: `${p.bucketArn}/AWSLogs/${account}/Config/*`,
                Condition: {
                    StringEquals: { "s3:x-amz-acl": "bucket-owner-full-control", "aws:SourceAccount": account },
                },
            }),
        ),
    ];
    return policyDocument(statements);
}
