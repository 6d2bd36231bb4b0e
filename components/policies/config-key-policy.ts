import * as aws from "@pulumi/aws";
import { distinct, keyAccountAdministers, policyDocument } from "./document";

export interface ConfigKeyPolicyParams {
    partition: string;
    /** The log-archive account, which owns and administers the key. */
    keyAccountId: string;
    /** Accounts whose AWS Config recorder delivers with this key. */
    accountIds: string[];
}

/**
 * Key policy of the config bucket's key: AWS Config of the stack's accounts may encrypt the
 * snapshots and history it delivers. https://docs.aws.amazon.com/config/latest/developerguide/s3-kms-key-policy.html
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
            Condition: { StringEquals: { "aws:SourceAccount": distinct(p.accountIds) } },
        },
    ]);
}
