import * as aws from "@pulumi/aws";
import { Statement, denyInsecureTransport, keyAccountAdministers, policyDocument } from "./document";
import { investigatorsDecryptThroughS3 } from "./investigator-policies";

/** Prefix under which FireLens delivery streams write (`firelens/<account id>/<service>/...`). */
export const FIRELENS_PREFIX = "firelens/";

/**
 * The objects one account's FireLens roles may write: `firelens/${aws:PrincipalAccount}/*`. S3
 * replaces the policy variable with the account of the caller, so a role of one account cannot put,
 * read or abort uploads under another account's prefix, with no account listed in the policy.
 */
export function fireLensAccountObjects(bucketArn: string): string {
    return `${bucketArn}/${FIRELENS_PREFIX}\${aws:PrincipalAccount}/*`;
}

/** Role names the FireLensService gives its Firehose delivery role, in any account: `firelens-<service>-firehose`. */
export function fireLensRolePattern(partition: string, accountId = "*"): string {
    return `arn:${partition}:iam::${accountId}:role/firelens-*`;
}

/** The conditions every FireLens statement carries: a `firelens-*` role of an account of the organization. */
export function fireLensOrganizationRoles(partition: string, organizationId: string): Record<string, Record<string, string>> {
    return {
        StringEquals: { "aws:PrincipalOrgID": organizationId },
        ArnLike: { "aws:PrincipalArn": fireLensRolePattern(partition) },
    };
}

export interface ApplicationLogsBucketPolicyParams {
    bucketArn: string;
    partition: string;
    /** The organization whose accounts' FireLens delivery roles may write (`aws:PrincipalOrgID`). */
    organizationId: string;
}

/**
 * Bucket policy of the application-logs bucket: the Firehose delivery roles (`role/firelens-*`) of
 * every account of the organization may write under their own account's prefix
 * `firelens/<account id>/` and use the bucket-level calls Firehose makes for cross-account delivery
 * (https://docs.aws.amazon.com/firehose/latest/dev/controlling-access.html#cross-account-delivery-s3).
 * The policy has one size whatever the number of accounts.
 *
 * The bucket-owner ACL: PutObject and CreateMultipartUpload carry `x-amz-acl`, which must then be
 * bucket-owner-full-control. UploadPart and CompleteMultipartUpload are authorized as s3:PutObject but
 * carry no ACL header, so `s3:x-amz-acl` is absent from their request context and a StringEquals on it
 * would refuse every part of a multipart upload; they get their own statement, which admits a
 * request only when it carries no ACL at all. The bucket's BucketOwnerEnforced ownership makes the
 * archive account the owner of every object either way.
 */
export function applicationLogsBucketPolicy(p: ApplicationLogsBucketPolicyParams): aws.iam.PolicyDocument {
    const org = fireLensOrganizationRoles(p.partition, p.organizationId);
    const objects = fireLensAccountObjects(p.bucketArn);
    const statements: Statement[] = [
        denyInsecureTransport(p.bucketArn),
        {
            Sid: "FireLensWriteWithOwnerAcl",
            Effect: "Allow",
            Principal: "*",
            Action: ["s3:PutObject", "s3:PutObjectAcl"],
            Resource: objects,
            Condition: { ...org, StringEquals: { ...org.StringEquals, "s3:x-amz-acl": "bucket-owner-full-control" } },
        },
        {
            Sid: "FireLensUploadParts",
            Effect: "Allow",
            Principal: "*",
            Action: "s3:PutObject",
            Resource: objects,
            Condition: { ...org, Null: { "s3:x-amz-acl": "true" } },
        },
        {
            Sid: "FireLensOwnObjects",
            Effect: "Allow",
            Principal: "*",
            Action: ["s3:GetObject", "s3:AbortMultipartUpload"],
            Resource: objects,
            Condition: org,
        },
        {
            Sid: "FireLensBucketAccess",
            Effect: "Allow",
            Principal: "*",
            Action: ["s3:GetBucketLocation", "s3:ListBucket", "s3:ListBucketMultipartUploads"],
            Resource: p.bucketArn,
            Condition: org,
        },
    ];
    return policyDocument(statements);
}

export interface ApplicationLogsKeyPolicyParams {
    partition: string;
    region: string;
    /** The log-archive account, which owns and administers the key. */
    keyAccountId: string;
    /** The organization whose accounts' FireLens delivery roles may use the key (`aws:PrincipalOrgID`). */
    organizationId: string;
    /** Investigator roles of the key's account: they may decrypt application logs only through S3. */
    investigatorRoleArns?: string[];
}

/**
 * Key policy of the application-logs key: the FireLens delivery roles of every account of the
 * organization may use it only through S3 in the archive's region (Firehose writes with SSE-KMS on
 * their behalf). Which prefix they write under is the bucket policy's concern.
 */
export function applicationLogsKeyPolicy(p: ApplicationLogsKeyPolicyParams): aws.iam.PolicyDocument {
    const org = fireLensOrganizationRoles(p.partition, p.organizationId);
    return policyDocument([
        keyAccountAdministers(p.partition, p.keyAccountId),
        {
            Sid: "FireLensRolesEncryptThroughS3",
            Effect: "Allow",
            Principal: "*",
            Action: ["kms:GenerateDataKey*", "kms:Encrypt", "kms:Decrypt"],
            Resource: "*",
            Condition: { ...org, StringEquals: { ...org.StringEquals, "kms:ViaService": `s3.${p.region}.amazonaws.com` } },
        },
        ...investigatorsDecryptThroughS3(p),
    ]);
}
