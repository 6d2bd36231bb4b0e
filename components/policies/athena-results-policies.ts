import * as aws from "@pulumi/aws";
import { denyInsecureTransport, policyDocument } from "./document";

/** Bucket policy of the Athena query-results bucket: TLS only; readers are granted by IAM in the account. */
export function athenaResultsBucketPolicy(p: { bucketArn: string }): aws.iam.PolicyDocument {
    return policyDocument([denyInsecureTransport(p.bucketArn)]);
}

/**
 * Key policy of the query-results key: administered by its own account, used by the account's
 * principals through IAM (Athena encrypts results with the caller's credentials, so no service
 * principal needs access).
 */
export function athenaResultsKeyPolicy(p: { partition: string; accountId: string }): aws.iam.PolicyDocument {
    return policyDocument([
        {
            Sid: "KeyAccountAdministers",
            Effect: "Allow",
            Principal: { AWS: `arn:${p.partition}:iam::${p.accountId}:root` },
            // A key policy must let its account administer the key, or the key becomes unmanageable.
            Action: "kms:*",
            Resource: "*", // in a key policy "*" means this key
        },
    ]);
}
