import * as aws from "@pulumi/aws";
import { Statement, keyAccountAdministers, policyDocument } from "./document";
import { investigatorsDecryptThroughS3 } from "./investigator-policies";

export interface TrailKeyPolicyParams {
    partition: string;
    /** The account that owns the key (the log-archive account); its root keeps administration. */
    keyAccountId: string;
    managementAccountId: string;
    /** ARN of the trail as CloudTrail presents it in `aws:SourceArn`. */
    trailArn: string;
    /** Principals (role or account ARNs) that may decrypt the trail's log files. */
    readerPrincipalArns?: string[];
    /** Investigator roles of the key's account: they may decrypt log files only through S3 in `region`. */
    investigatorRoleArns?: string[];
    /** Region of the archive bucket (`kms:ViaService s3.<region>.amazonaws.com`); required with `investigatorRoleArns`. */
    region?: string;
}

/** The encryption context CloudTrail puts on every log file of the management account's trails. */
export function trailEncryptionContext(partition: string, managementAccountId: string): string {
    return `arn:${partition}:cloudtrail:*:${managementAccountId}:trail/*`;
}

/**
 * Key policy of the trail key: CloudTrail may encrypt for trails of the management account only;
 * readers may decrypt only objects that carry CloudTrail's encryption context (so the key cannot be
 * used as a general-purpose decryption oracle); the key's own account administers it.
 * https://docs.aws.amazon.com/awscloudtrail/latest/userguide/create-kms-key-policy-for-cloudtrail.html
 */
export function trailKeyPolicy(p: TrailKeyPolicyParams): aws.iam.PolicyDocument {
    const context = { "kms:EncryptionContext:aws:cloudtrail:arn": trailEncryptionContext(p.partition, p.managementAccountId) };
    // Every CloudTrail statement admits this one trail (`aws:SourceArn`).
    const forTrail = (sid: string, action: string, condition: Record<string, Record<string, string>> = {}): Statement => ({
        Sid: sid,
        Effect: "Allow",
        Principal: { Service: "cloudtrail.amazonaws.com" },
        Action: action,
        Resource: "*",
        Condition: { ...condition, StringEquals: { "aws:SourceArn": p.trailArn } },
    });
    const statements: Statement[] = [
        keyAccountAdministers(p.partition, p.keyAccountId),
        forTrail("CloudTrailEncrypts", "kms:GenerateDataKey*", { StringLike: context }),
        forTrail("CloudTrailDescribesKey", "kms:DescribeKey"),
        // The trail bucket uses an S3 Bucket Key: CloudTrail needs Decrypt to create or update the
        // trail (AWS's CloudTrail key-policy page lists it for that case).
        forTrail("CloudTrailDecryptsForBucketKey", "kms:Decrypt"),
    ];
    const readers = p.readerPrincipalArns ?? [];
    if (readers.length > 0) {
        statements.push({
            Sid: "ReadersDecryptTrailLogs",
            Effect: "Allow",
            Principal: { AWS: readers },
            Action: "kms:Decrypt",
            Resource: "*",
            // StringLike fails when the key is absent, so the context must be present and be CloudTrail's.
            Condition: { StringLike: context },
        });
    }
    if (p.investigatorRoleArns && p.investigatorRoleArns.length > 0) {
        if (!p.region) {
            throw new Error(
                "trailKeyPolicy: `region` is required with `investigatorRoleArns` (their decryption is limited to S3 in that region).",
            );
        }
        statements.push(...investigatorsDecryptThroughS3({ ...p, region: p.region, context }));
    }
    return policyDocument(statements);
}
