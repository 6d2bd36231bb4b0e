import { Statement, denyInsecureTransport, policyDocument } from "./document";
import * as aws from "@pulumi/aws";

export interface TrailBucketPolicyParams {
    bucketArn: string;
    partition: string;
    homeRegion: string;
    managementAccountId: string;
    organizationId: string;
    trailName: string;
    /** `organization` adds the statement for `AWSLogs/<organization id>/*`. */
    trailMode: "organization" | "account";
}

/** The trail's ARN as CloudTrail presents it in `aws:SourceArn`. */
export function trailArn(p: Pick<TrailBucketPolicyParams, "partition" | "homeRegion" | "managementAccountId" | "trailName">): string {
    return `arn:${p.partition}:cloudtrail:${p.homeRegion}:${p.managementAccountId}:trail/${p.trailName}`;
}

/**
 * The bucket policy AWS documents for (organization) trails that deliver into another account:
 * https://docs.aws.amazon.com/awscloudtrail/latest/userguide/create-s3-bucket-policy-for-cloudtrail.html
 */
export function trailBucketPolicy(p: TrailBucketPolicyParams): aws.iam.PolicyDocument {
    const sourceArn = trailArn(p);
    const principal = { Service: "cloudtrail.amazonaws.com" };
    const write = (sid: string, prefix: string): Statement => ({
        Sid: sid,
        Effect: "Allow",
        Principal: principal,
        Action: "s3:PutObject",
        Resource: `${p.bucketArn}/AWSLogs/${prefix}/*`,
        Condition: {
            StringEquals: { "s3:x-amz-acl": "bucket-owner-full-control", "aws:SourceArn": sourceArn },
        },
    });
    const statements: Statement[] = [
        denyInsecureTransport(p.bucketArn),
        {
            Sid: "CloudTrailAclCheck",
            Effect: "Allow",
            Principal: principal,
            Action: "s3:GetBucketAcl",
            Resource: p.bucketArn,
            Condition: { StringEquals: { "aws:SourceArn": sourceArn } },
        },
        write("CloudTrailWriteManagementAccount", p.managementAccountId),
    ];
    if (p.trailMode === "organization") {
        statements.push(write("CloudTrailWriteOrganization", p.organizationId));
    }
    return policyDocument(statements);
}
