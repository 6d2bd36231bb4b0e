import * as aws from "@pulumi/aws";
import { Statement, denyInsecureTransport, policyDocument } from "./document";

export interface ConfigBucketPolicyParams {
    bucketArn: string;
    /** The organization whose accounts' AWS Config delivers into this bucket (`aws:SourceOrgID`). */
    organizationId: string;
}

/**
 * Bucket policy for AWS Config delivery from every account of the organization, in the form AWS
 * documents for organization-wide delivery (`aws:SourceOrgID` on the checks and the delivery:
 * https://docs.aws.amazon.com/config/latest/developerguide/s3-bucket-policy.html). Config writes as
 * `config.amazonaws.com` on behalf of the member account and sends that account as `aws:SourceAccount`;
 * the `${aws:SourceAccount}` policy variable in the resource keeps each account under its own
 * `AWSLogs/<account id>/Config/` prefix, so one account cannot write into another's history. The
 * policy has one size whatever the number of accounts, and adding an account does not change it.
 */
export function configBucketPolicy(p: ConfigBucketPolicyParams): aws.iam.PolicyDocument {
    const principal = { Service: "config.amazonaws.com" };
    const organization = { "aws:SourceOrgID": p.organizationId };
    const statements: Statement[] = [
        denyInsecureTransport(p.bucketArn),
        {
            Sid: "ConfigAclCheck",
            Effect: "Allow",
            Principal: principal,
            Action: "s3:GetBucketAcl",
            Resource: p.bucketArn,
            Condition: { StringEquals: organization },
        },
        {
            Sid: "ConfigBucketExistenceCheck",
            Effect: "Allow",
            Principal: principal,
            Action: "s3:ListBucket",
            Resource: p.bucketArn,
            Condition: { StringEquals: organization },
        },
        {
            Sid: "ConfigDelivery",
            Effect: "Allow",
            Principal: principal,
            Action: "s3:PutObject",
            Resource: configAccountObjects(p.bucketArn),
            Condition: { StringEquals: { "s3:x-amz-acl": "bucket-owner-full-control", ...organization } },
        },
    ];
    return policyDocument(statements);
}

/** `AWSLogs/${aws:SourceAccount}/Config/*`: the delivering account's own prefix, however many accounts there are. */
export function configAccountObjects(bucketArn: string): string {
    return `${bucketArn}/AWSLogs/\${aws:SourceAccount}/Config/*`;
}
