import * as aws from "@pulumi/aws";
import { Statement, policyDocument } from "./document";

/** Service control policies are limited to 5,120 characters of JSON. */
export const SCP_MAX_CHARACTERS = 5120;

/**
 * S3 actions that change or delete the archive, from the field document (001): every one of them
 * could erase or rewrite logs, or open the bucket to others.
 */
export const ARCHIVE_S3_DENIED_ACTIONS: readonly string[] = [
    "s3:RestoreObject",
    "s3:PutReplicationConfiguration",
    "s3:PutObjectVersionAcl",
    "s3:PutObjectTagging",
    "s3:PutObjectLegalHold",
    "s3:PutObjectAcl",
    "s3:PutLifecycleConfiguration",
    "s3:PutInventoryConfiguration",
    "s3:PutEncryptionConfiguration",
    "s3:PutBucketWebsite",
    "s3:PutBucketVersioning",
    "s3:PutBucketTagging",
    "s3:PutBucketPublicAccessBlock",
    "s3:PutBucketPolicy",
    "s3:PutBucketOwnershipControls",
    "s3:PutBucketObjectLockConfiguration",
    "s3:PutBucketLogging",
    "s3:PutBucketAcl",
    "s3:PutAccountPublicAccessBlock",
    "s3:ObjectOwnerOverrideToBucketOwner",
    "s3:DeleteObjectVersion",
    "s3:DeleteObjectTagging",
    "s3:DeleteObject",
    "s3:DeleteJobTagging",
    "s3:DeleteBucketPolicy",
    "s3:DeleteBucketOwnershipControls",
    "s3:DeleteBucket",
    // Governance-mode Object Lock is only as strong as the right to bypass it.
    "s3:BypassGovernanceRetention",
];

/** KMS actions that would make the archive's keys, and with them every log file, unusable or re-owned. */
export const ARCHIVE_KMS_DENIED_ACTIONS: readonly string[] = [
    "kms:ScheduleKeyDeletion",
    "kms:DisableKey",
    "kms:DisableKeyRotation",
    "kms:PutKeyPolicy",
];

/**
 * IAM actions that would let someone inside the account become (or remove) the break-glass role, and
 * with it the SCP's only exception: its trust policy, permissions and very existence are frozen.
 */
export const BREAK_GLASS_ROLE_DENIED_ACTIONS: readonly string[] = [
    "iam:CreateRole",
    "iam:DeleteRole",
    "iam:UpdateAssumeRolePolicy",
    "iam:UpdateRole",
    "iam:AttachRolePolicy",
    "iam:DetachRolePolicy",
    "iam:PutRolePolicy",
    "iam:DeleteRolePolicy",
    "iam:PutRolePermissionsBoundary",
    "iam:DeleteRolePermissionsBoundary",
];

/** CloudTrail actions that stop, delete or blind a trail (or an event data store, the advanced-selector variant). */
export const TRAIL_DENIED_ACTIONS: readonly string[] = [
    "cloudtrail:StopLogging",
    "cloudtrail:DeleteTrail",
    "cloudtrail:UpdateTrail",
    "cloudtrail:PutEventSelectors",
    "cloudtrail:PutInsightSelectors",
    "cloudtrail:UpdateEventDataStore",
    "cloudtrail:DeleteEventDataStore",
    "cloudtrail:StopEventDataStoreIngestion",
];

/** The condition every protecting SCP statement carries: nobody but the break-glass principals. */
export function exceptBreakGlass(breakGlassPrincipalArns: string[]): Statement["Condition"] {
    return { ArnNotLike: { "aws:PrincipalARN": breakGlassPrincipalArns } };
}

export interface ArchiveProtectionScpParams {
    /** Every bucket of the archive; the SCP covers each bucket and all of its objects. */
    bucketArns: string[];
    /** The archive's customer managed keys. */
    keyArns: string[];
    breakGlassPrincipalArns: string[];
}

/**
 * SCP for the log-archive account: nobody but the break-glass principals may re-configure or delete
 * the archive's buckets, their objects, or their keys. Resources name the buckets *and* `/*`: object
 * actions (`DeleteObject`, `PutObjectAcl`, ...) are evaluated against object ARNs, so a bucket-only
 * resource list, as in the field document's example, would let them through.
 */
export function archiveProtectionScp(p: ArchiveProtectionScpParams): aws.iam.PolicyDocument {
    const condition = exceptBreakGlass(p.breakGlassPrincipalArns);
    return policyDocument([
        {
            Sid: "DenyArchiveBucketChanges",
            Effect: "Deny",
            Action: [...ARCHIVE_S3_DENIED_ACTIONS],
            Resource: p.bucketArns.flatMap((arn) => [arn, `${arn}/*`]),
            Condition: condition,
        },
        {
            Sid: "DenyAccountPublicAccessBlockChanges",
            Effect: "Deny",
            Action: "s3:PutAccountPublicAccessBlock",
            // An account-level action has no bucket ARN, so the statement above never matches it.
            Resource: "*",
            Condition: condition,
        },
        {
            Sid: "DenyArchiveKeyChanges",
            Effect: "Deny",
            Action: [...ARCHIVE_KMS_DENIED_ACTIONS],
            Resource: p.keyArns,
            Condition: condition,
        },
        {
            Sid: "DenyBreakGlassRoleChanges",
            Effect: "Deny",
            Action: [...BREAK_GLASS_ROLE_DENIED_ACTIONS],
            // The exception names roles by ARN; whoever could create or re-trust such a role in this
            // account could step into the exception.
            Resource: p.breakGlassPrincipalArns,
            Condition: condition,
        },
    ]);
}

/**
 * SCP that keeps every trail of the accounts it is attached to running and unchanged, except for
 * the break-glass principals. Member accounts cannot touch the organization trail directly, but a
 * delegated CloudTrail administrator could; this closes that path too.
 */
export function trailProtectionScp(p: { breakGlassPrincipalArns: string[] }): aws.iam.PolicyDocument {
    return policyDocument([
        {
            Sid: "DenyTrailChanges",
            Effect: "Deny",
            Action: [...TRAIL_DENIED_ACTIONS],
            // Every trail and event data store: which ones exist in member accounts is not ours to list.
            Resource: "*",
            Condition: exceptBreakGlass(p.breakGlassPrincipalArns),
        },
    ]);
}
