import * as aws from "@pulumi/aws";
import { keyAccountAdministers, policyDocument } from "./document";

export interface ConfigKeyPolicyParams {
    partition: string;
    /** The log-archive account, which owns and administers the key. */
    keyAccountId: string;
    /** The organization whose accounts' AWS Config encrypts with this key (`aws:SourceOrgID`). */
    organizationId: string;
}

/**
 * Key policy of the config bucket's key: AWS Config of every account of the organization may encrypt
 * the snapshots and history it delivers (the organization form of
 * https://docs.aws.amazon.com/config/latest/developerguide/s3-kms-key-policy.html). Which prefix an
 * account writes under is the bucket policy's concern.
 */
export function configKeyPolicy(p: ConfigKeyPolicyParams): aws.iam.PolicyDocument {
    return policyDocument([
        keyAccountAdministers(p.partition, p.keyAccountId),
        {
            Sid: "ConfigEncrypts",
            Effect: "Allow",
            Principal: { Service: "config.amazonaws.com" },
            Action: ["kms:Decrypt", "kms:GenerateDataKey"],
            Resource: "*",
            Condition: { StringEquals: { "aws:SourceOrgID": p.organizationId } },
        },
    ]);
}
