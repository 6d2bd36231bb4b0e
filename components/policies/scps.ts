import * as aws from "@pulumi/aws";
import { Statement, policyDocument } from "./document";

/** Service control policies are limited to 5,120 characters of JSON. */
export const SCP_MAX_CHARACTERS = 5120;

/**
 * S3 actions that change or delete the archive: every one of them could erase or rewrite logs,
 * shorten their retention, or open the bucket to others. `s3:RestoreObject` is not here: a restore
 * makes a temporary copy of an archived object readable and changes no data, so investigators can
 * bring logs back from Glacier. Every entry exists in IAM's reference and takes a bucket or an object.
 */
export const ARCHIVE_S3_DENIED_ACTIONS: readonly string[] = [
    "s3:PutReplicationConfiguration",
    "s3:PutObjectVersionAcl",
    "s3:PutObjectTagging",
    "s3:PutObjectLegalHold",
    "s3:PutObjectRetention",
    "s3:PutObjectAcl",
    "s3:PutLifecycleConfiguration",
    "s3:PutInventoryConfiguration",
    "s3:PutEncryptionConfiguration",
    "s3:PutBucketWebsite",
    "s3:PutBucketVersioning",
    "s3:PutBucketTagging",
    "s3:PutBucketPublicAccessBlock",
    "s3:PutBucketPolicy",
    "s3:PutBucketRequestPayment",
    "s3:PutBucketOwnershipControls",
    "s3:PutBucketObjectLockConfiguration",
    "s3:PutBucketLogging",
    "s3:PutBucketAcl",
    "s3:ObjectOwnerOverrideToBucketOwner",
    "s3:DeleteObjectVersion",
    "s3:DeleteObjectTagging",
    "s3:DeleteObject",
    "s3:DeleteBucketPolicy",
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
    // A grant is a second, policy-free way to use or re-delegate the key.
    "kms:CreateGrant",
];

/** Access points are a second policy on the archive buckets: none may be created in the archive account. */
export const ARCHIVE_ACCESS_POINT_DENIED_ACTIONS: readonly string[] = [
    "s3:CreateAccessPoint",
    "s3:PutAccessPointPolicy",
    "s3:CreateAccessPointForObjectLambda",
    "s3:PutAccessPointPolicyForObjectLambda",
    "s3:CreateMultiRegionAccessPoint",
];

/** IAM actions that change what a role may do: its managed and inline policies and its permissions boundary. */
export const ROLE_PERMISSIONS_ACTIONS: readonly string[] = [
    "iam:AttachRolePolicy",
    "iam:DetachRolePolicy",
    "iam:PutRolePolicy",
    "iam:DeleteRolePolicy",
    "iam:PutRolePermissionsBoundary",
    "iam:DeleteRolePermissionsBoundary",
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
    ...ROLE_PERMISSIONS_ACTIONS,
    // Tags can satisfy ABAC conditions elsewhere; the role's tags are frozen too.
    "iam:TagRole",
    "iam:UntagRole",
];

/** CloudTrail actions that stop, delete or blind a trail. */
export const TRAIL_DENIED_ACTIONS: readonly string[] = [
    "cloudtrail:StopLogging",
    "cloudtrail:DeleteTrail",
    "cloudtrail:UpdateTrail",
    "cloudtrail:PutEventSelectors",
    "cloudtrail:PutInsightSelectors",
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
 * resource list, as in the common published example, would let them through.
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
            Sid: "DenyArchiveAccessPoints",
            Effect: "Deny",
            Action: [...ARCHIVE_ACCESS_POINT_DENIED_ACTIONS],
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
 * The member-account break-glass roles of the given break-glass roles: the same role name in any
 * account. SCPs never apply to the management account, so its role itself needs no exception.
 */
export function memberBreakGlassArns(breakGlassPrincipalArns: string[]): string[] {
    return [
        ...new Set(
            breakGlassPrincipalArns.map((arn) => {
                const match = /^arn:([^:]+):iam::\d{12}:role\/(?:.*\/)?([^/]+)$/.exec(arn);
                return match ? `arn:${match[1]}:iam::*:role/${match[2]}` : arn;
            }),
        ),
    ];
}

/**
 * SCP that keeps the organization trail running and unchanged in the accounts it is attached to,
 * except for the break-glass roles of those accounts. Member accounts cannot touch the
 * organization trail directly, but a delegated CloudTrail administrator could; this closes that
 * path. Teams' own trails and event data stores stay theirs.
 */
export function trailProtectionScp(p: { trailArn: string; breakGlassPrincipalArns: string[] }): aws.iam.PolicyDocument {
    return policyDocument([
        {
            Sid: "DenyTrailChanges",
            Effect: "Deny",
            Action: [...TRAIL_DENIED_ACTIONS],
            Resource: p.trailArn,
            Condition: exceptBreakGlass(memberBreakGlassArns(p.breakGlassPrincipalArns)),
        },
    ]);
}
