import * as aws from "@pulumi/aws";
import { policyDocument } from "./document";

export interface TrailKeyPolicyParams {
    partition: string;
    /** The account that owns the key (the log-archive account); its root keeps administration. */
    keyAccountId: string;
    managementAccountId: string;
    /** ARN of the trail as CloudTrail presents it in `aws:SourceArn`. */
    trailArn: string;
}

/**
 * Key policy of the trail key: CloudTrail may encrypt for trails of the management account only;
 * the key's own account administers it. https://docs.aws.amazon.com/awscloudtrail/latest/userguide/create-kms-key-policy-for-cloudtrail.html
 */
export function trailKeyPolicy(p: TrailKeyPolicyParams): aws.iam.PolicyDocument {
    return policyDocument([
        {
            Sid: "KeyAccountAdministers",
            Effect: "Allow",
            Principal: { AWS: `arn:${p.partition}:iam::${p.keyAccountId}:root` },
            // A key policy must let its account administer the key, or the key becomes unmanageable.
            Action: "kms:*",
            Resource: "*", // in a key policy "*" means this key
        },
        {
            Sid: "CloudTrailEncrypts",
            Effect: "Allow",
            Principal: { Service: "cloudtrail.amazonaws.com" },
            Action: "kms:GenerateDataKey*",
            Resource: "*",
            Condition: {
                StringLike: {
                    "kms:EncryptionContext:aws:cloudtrail:arn": `arn:${p.partition}:cloudtrail:*:${p.managementAccountId}:trail/*`,
                },
                StringEquals: { "aws:SourceArn": p.trailArn },
            },
        },
        {
            Sid: "CloudTrailDescribesKey",
            Effect: "Allow",
            Principal: { Service: "cloudtrail.amazonaws.com" },
            Action: "kms:DescribeKey",
            Resource: "*",
            Condition: { StringEquals: { "aws:SourceArn": p.trailArn } },
        },
    ]);
}
