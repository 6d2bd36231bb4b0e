import * as assert from "assert";
import { ARCHIVE_S3_DENIED_ACTIONS, SCP_MAX_CHARACTERS, archiveProtectionScp, trailProtectionScp } from "../../../components/policies/scps";

/** Every S3 action that rewrites, deletes or re-opens the archive; each exists in IAM's reference and takes a bucket or an object. */
const ARCHIVE_ACTIONS = [
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
];
const BREAK_GLASS = ["arn:aws:iam::222222222222:role/OrgLoggingBreakGlass"];
const BUCKETS = ["arn:aws:s3:::trail-bucket-1234567", "arn:aws:s3:::config-bucket-1234567"];
const KEYS = ["arn:aws:kms:eu-west-1:222222222222:key/11111111-2222-3333-4444-555555555555"];

describe("components/policies/scps", () => {
    describe("archiveProtectionScp", () => {
        const scp: any = archiveProtectionScp({ bucketArns: BUCKETS, keyArns: KEYS, breakGlassPrincipalArns: BREAK_GLASS });

        it("denies every archive-changing action plus BypassGovernanceRetention on each bucket and its objects, but lets restores through", () => {
            assert.deepStrictEqual(ARCHIVE_S3_DENIED_ACTIONS, [...ARCHIVE_ACTIONS, "s3:BypassGovernanceRetention"]);
            assert.ok(!ARCHIVE_S3_DENIED_ACTIONS.includes("s3:RestoreObject"));
            assert.deepStrictEqual(scp.Statement[0], {
                Sid: "DenyArchiveBucketChanges",
                Effect: "Deny",
                Action: [...ARCHIVE_ACTIONS, "s3:BypassGovernanceRetention"],
                Resource: [BUCKETS[0], `${BUCKETS[0]}/*`, BUCKETS[1], `${BUCKETS[1]}/*`],
                Condition: { ArnNotLike: { "aws:PrincipalARN": BREAK_GLASS } },
            });
        });

        it("denies the account-level public access block on every resource, since it has no bucket ARN", () => {
            assert.deepStrictEqual(scp.Statement[1], {
                Sid: "DenyAccountPublicAccessBlockChanges",
                Effect: "Deny",
                Action: "s3:PutAccountPublicAccessBlock",
                Resource: "*",
                Condition: { ArnNotLike: { "aws:PrincipalARN": BREAK_GLASS } },
            });
        });

        it("denies creating access points in the archive account", () => {
            assert.deepStrictEqual(scp.Statement[2], {
                Sid: "DenyArchiveAccessPoints",
                Effect: "Deny",
                Action: [
                    "s3:CreateAccessPoint",
                    "s3:PutAccessPointPolicy",
                    "s3:CreateAccessPointForObjectLambda",
                    "s3:PutAccessPointPolicyForObjectLambda",
                    "s3:CreateMultiRegionAccessPoint",
                ],
                Resource: "*",
                Condition: { ArnNotLike: { "aws:PrincipalARN": BREAK_GLASS } },
            });
        });

        it("denies deleting, disabling, re-owning or granting the archive keys", () => {
            assert.deepStrictEqual(scp.Statement[3], {
                Sid: "DenyArchiveKeyChanges",
                Effect: "Deny",
                Action: ["kms:ScheduleKeyDeletion", "kms:DisableKey", "kms:DisableKeyRotation", "kms:PutKeyPolicy", "kms:CreateGrant"],
                Resource: KEYS,
                Condition: { ArnNotLike: { "aws:PrincipalARN": BREAK_GLASS } },
            });
        });

        it("freezes the break-glass role itself, so that nobody in the account can step into the exception", () => {
            assert.deepStrictEqual(scp.Statement[4], {
                Sid: "DenyBreakGlassRoleChanges",
                Effect: "Deny",
                Action: [
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
                    "iam:TagRole",
                    "iam:UntagRole",
                ],
                Resource: BREAK_GLASS,
                Condition: { ArnNotLike: { "aws:PrincipalARN": BREAK_GLASS } },
            });
            assert.strictEqual(scp.Statement.length, 5);
        });

        it("stays under the SCP size limit with five 63-character bucket names and three keys", () => {
            const long = (i: number) => `arn:aws:s3:::${"b".repeat(62)}${i}`;
            const content = JSON.stringify(
                archiveProtectionScp({
                    bucketArns: [1, 2, 3, 4, 5].map(long),
                    keyArns: [KEYS[0], KEYS[0], KEYS[0]],
                    breakGlassPrincipalArns: BREAK_GLASS,
                }),
            );
            assert.ok(content.length <= SCP_MAX_CHARACTERS, `${content.length} characters`);
        });
    });

    describe("trailProtectionScp", () => {
        const TRAIL = "arn:aws:cloudtrail:eu-west-1:111111111111:trail/org-trail";
        it("denies stopping, deleting and re-configuring the organization trail to all but the accounts' break-glass roles", () => {
            assert.deepStrictEqual(
                trailProtectionScp({ trailArn: TRAIL, breakGlassPrincipalArns: ["arn:aws:iam::111111111111:role/OrgLoggingBreakGlass"] })
                    .Statement,
                [
                    {
                        Sid: "DenyTrailChanges",
                        Effect: "Deny",
                        Action: [
                            "cloudtrail:StopLogging",
                            "cloudtrail:DeleteTrail",
                            "cloudtrail:UpdateTrail",
                            "cloudtrail:PutEventSelectors",
                            "cloudtrail:PutInsightSelectors",
                        ],
                        Resource: TRAIL,
                        Condition: { ArnNotLike: { "aws:PrincipalARN": ["arn:aws:iam::*:role/OrgLoggingBreakGlass"] } },
                    },
                ],
            );
        });
    });
});
