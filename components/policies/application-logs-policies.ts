import * as aws from "@pulumi/aws";
import { Statement, accountRoot, denyInsecureTransport, distinct, keyAccountAdministers, policyDocument } from "./document";
import { investigatorsDecryptThroughS3 } from "./investigator-policies";

/** Prefix under which FireLens delivery streams write (`firelens/<service>/...`). */
export const FIRELENS_PREFIX = "firelens/";

/** Role names the FireLensService gives its Firehose delivery role: `firelens-<service>-firehose`. */
export function fireLensRolePattern(partition: string, accountId: string): string {
    return `arn:${partition}:iam::${accountId}:role/firelens-*`;
}

export interface ApplicationLogsBucketPolicyParams {
    bucketArn: string;
    partition: string;
    /** Workload accounts whose FireLens delivery roles may write. */
    workloadAccountIds: string[];
}

/**
 * Bucket policy of the application-logs bucket: the Firehose delivery roles of the workload
 * accounts (`role/firelens-*`) may put objects under `firelens/` with the bucket-owner ACL and use
 * the bucket-level calls Firehose makes. Nobody else outside the account gets anything.
 * https://docs.aws.amazon.com/firehose/latest/dev/controlling-access.html#cross-account-delivery-s3
 */
export function applicationLogsBucketPolicy(p: ApplicationLogsBucketPolicyParams): aws.iam.PolicyDocument {
    const accounts = distinct(p.workloadAccountIds);
    const statements: Statement[] = [denyInsecureTransport(p.bucketArn)];
    if (accounts.length > 0) {
        const principal = { AWS: accounts.map((a) => accountRoot(p.partition, a)) };
        const roles = { ArnLike: { "aws:PrincipalArn": accounts.map((a) => fireLensRolePattern(p.partition, a)) } };
        statements.push(
            {
                Sid: "FireLensWrite",
                Effect: "Allow",
                Principal: principal,
                Action: "s3:PutObject",
                Resource: `${p.bucketArn}/${FIRELENS_PREFIX}*`,
                Condition: { ...roles, StringEquals: { "s3:x-amz-acl": "bucket-owner-full-control" } },
            },
            {
                Sid: "FireLensAbortUploads",
                Effect: "Allow",
                Principal: principal,
                Action: "s3:AbortMultipartUpload",
                Resource: `${p.bucketArn}/${FIRELENS_PREFIX}*`,
                Condition: roles,
            },
            {
                Sid: "FireLensBucketAccess",
                Effect: "Allow",
                Principal: principal,
                Action: ["s3:GetBucketLocation", "s3:ListBucket", "s3:ListBucketMultipartUploads"],
                Resource: p.bucketArn,
                Condition: roles,
            },
        );
    }
    return policyDocument(statements);
}

export interface ApplicationLogsKeyPolicyParams {
    partition: string;
    region: string;
    /** The log-archive account, which owns and administers the key. */
    keyAccountId: string;
    workloadAccountIds: string[];
    /** Investigator roles of the key's account: they may decrypt application logs only through S3. */
    investigatorRoleArns?: string[];
}

/**
 * Key policy of the application-logs key: the workload accounts' FireLens delivery roles may use it
 * only through S3 in the archive's region (Firehose writes with SSE-KMS on their behalf).
 */
export function applicationLogsKeyPolicy(p: ApplicationLogsKeyPolicyParams): aws.iam.PolicyDocument {
    const accounts = distinct(p.workloadAccountIds);
    const statements: Statement[] = [keyAccountAdministers(p.partition, p.keyAccountId)];
    if (accounts.length > 0) {
        statements.push({
            Sid: "FireLensRolesEncryptThroughS3",
            Effect: "Allow",
            Principal: { AWS: accounts.map((a) => accountRoot(p.partition, a)) },
            Action: ["kms:GenerateDataKey*", "kms:Encrypt", "kms:Decrypt"],
            Resource: "*",
            Condition: {
                ArnLike: { "aws:PrincipalArn": accounts.map((a) => fireLensRolePattern(p.partition, a)) },
                StringEquals: { "kms:ViaService": `s3.${p.region}.amazonaws.com` },
            },
        });
    }
    if (p.investigatorRoleArns && p.investigatorRoleArns.length > 0) {
        statements.push(
            investigatorsDecryptThroughS3({ partition: p.partition, region: p.region, keyAccountId: p.keyAccountId, investigatorRoleArns: p.investigatorRoleArns }),
        );
    }
    return policyDocument(statements);
}
