// The archive's delivery statements admit the organization as a whole (no account listed) and keep
// each account under its own prefix. Pure builders, evaluated with test/support/policy-eval.
import * as assert from "assert";
import { applicationLogsBucketPolicy, applicationLogsKeyPolicy } from "../../../components/policies/application-logs-policies";
import { firelensArchivePrefix, firelensFirehoseRolePolicy } from "../../../components/policies/firelens-role-policies";
import { firehosePrefixes } from "../../../components/firelens-service";
import { policyAllows } from "../../support/policy-eval";

const ORG = "o-a1b2c3d4e5";
const BUCKET = "arn:aws:s3:::archive-application-logs";
const A = "444444444444";
const B = "555555555555";
const roleOf = (account: string, name = "firelens-orders-firehose") => `arn:aws:iam::${account}:role/${name}`;
const context = (account: string, extra: Record<string, string | undefined> = {}) => ({
    "aws:PrincipalArn": roleOf(account),
    "aws:PrincipalAccount": account,
    "aws:PrincipalOrgID": ORG,
    "aws:SecureTransport": "true",
    ...extra,
});
const object = (account: string) => `${BUCKET}/firelens/${account}/orders/year=2026/month=12/day=02/orders-1-2026-12-02-00-00-00-abc.gz`;

describe("application logs by organization", () => {
    const bucketPolicy = applicationLogsBucketPolicy({ bucketArn: BUCKET, partition: "aws", organizationId: ORG });

    it("admits FireLens roles of the organization by aws:PrincipalOrgID in every statement, under the caller's own account prefix", () => {
        const grants = (bucketPolicy.Statement as any[]).filter((s) => s.Effect === "Allow");
        assert.deepStrictEqual(grants.map((s) => s.Sid), ["FireLensWriteWithOwnerAcl", "FireLensUploadParts", "FireLensOwnObjects", "FireLensBucketAccess"]);
        for (const s of grants) {
            assert.strictEqual(s.Principal, "*");
            assert.strictEqual(s.Condition.StringEquals["aws:PrincipalOrgID"], ORG, s.Sid);
            assert.deepStrictEqual(s.Condition.ArnLike, { "aws:PrincipalArn": "arn:aws:iam::*:role/firelens-*" }, s.Sid);
        }
        for (const s of grants.slice(0, 3)) {
            assert.strictEqual(s.Resource, `${BUCKET}/firelens/\${aws:PrincipalAccount}/*`, s.Sid);
        }
        assert.doesNotMatch(JSON.stringify(bucketPolicy), /\d{12}/, "no account id in the policy");
    });

    it("lets an account put objects and upload parts under its own prefix", () => {
        // PutObject and CreateMultipartUpload carry the ACL header; UploadPart and CompleteMultipartUpload do not.
        assert.ok(policyAllows(bucketPolicy, { action: "s3:PutObject", resource: object(A), context: context(A, { "s3:x-amz-acl": "bucket-owner-full-control" }) }));
        assert.ok(policyAllows(bucketPolicy, { action: "s3:PutObject", resource: object(A), context: context(A) }), "UploadPart / CompleteMultipartUpload");
        assert.ok(policyAllows(bucketPolicy, { action: "s3:AbortMultipartUpload", resource: object(A), context: context(A) }));
        assert.ok(policyAllows(bucketPolicy, { action: "s3:GetObject", resource: object(A), context: context(A) }));
        assert.ok(policyAllows(bucketPolicy, { action: "s3:PutObjectAcl", resource: object(A), context: context(A, { "s3:x-amz-acl": "bucket-owner-full-control" }) }));
        assert.ok(policyAllows(bucketPolicy, { action: "s3:ListBucketMultipartUploads", resource: BUCKET, context: context(A) }));
    });

    it("refuses one account's role writing, reading or aborting under another account's prefix", () => {
        for (const action of ["s3:PutObject", "s3:GetObject", "s3:AbortMultipartUpload", "s3:PutObjectAcl"]) {
            assert.ok(!policyAllows(bucketPolicy, { action, resource: object(B), context: context(A, { "s3:x-amz-acl": "bucket-owner-full-control" }) }), action);
            assert.ok(!policyAllows(bucketPolicy, { action, resource: object(B), context: context(A) }), `${action} without ACL`);
        }
        // A prefix that only starts like the account's (a 13th digit) is another prefix.
        assert.ok(!policyAllows(bucketPolicy, { action: "s3:PutObject", resource: `${BUCKET}/firelens/${A}0/x`, context: context(A) }));
        assert.ok(!policyAllows(bucketPolicy, { action: "s3:PutObject", resource: `${BUCKET}/other/${A}/x`, context: context(A) }));
    });

    it("refuses an ACL other than bucket-owner-full-control, other organizations, other roles and plain HTTP", () => {
        assert.ok(!policyAllows(bucketPolicy, { action: "s3:PutObject", resource: object(A), context: context(A, { "s3:x-amz-acl": "public-read" }) }));
        assert.ok(!policyAllows(bucketPolicy, { action: "s3:PutObject", resource: object(A), context: context(A, { "aws:PrincipalOrgID": "o-zzzzzzzzzz" }) }));
        assert.ok(!policyAllows(bucketPolicy, { action: "s3:PutObject", resource: object(A), context: context(A, { "aws:PrincipalOrgID": undefined }) }));
        assert.ok(!policyAllows(bucketPolicy, { action: "s3:PutObject", resource: object(A), context: context(A, { "aws:PrincipalArn": roleOf(A, "deployer") }) }));
        assert.ok(!policyAllows(bucketPolicy, { action: "s3:PutObject", resource: object(A), context: context(A, { "aws:SecureTransport": "false" }) }));
        assert.ok(!policyAllows(bucketPolicy, { action: "s3:DeleteObject", resource: object(A), context: context(A) }));
    });

    it("the key admits FireLens roles of the organization only through S3 in the region", () => {
        const key = applicationLogsKeyPolicy({ partition: "aws", region: "eu-west-1", keyAccountId: "222222222222", organizationId: ORG });
        const grant = (key.Statement as any[]).find((s) => s.Sid === "FireLensRolesEncryptThroughS3");
        assert.deepStrictEqual(grant.Condition, {
            StringEquals: { "aws:PrincipalOrgID": ORG, "kms:ViaService": "s3.eu-west-1.amazonaws.com" },
            ArnLike: { "aws:PrincipalArn": "arn:aws:iam::*:role/firelens-*" },
        });
        const use = (extra: Record<string, string | undefined>) =>
            policyAllows(key, { action: "kms:GenerateDataKey", resource: "*", context: context(B, { "kms:ViaService": "s3.eu-west-1.amazonaws.com", ...extra }) });
        assert.ok(use({}));
        assert.ok(!use({ "kms:ViaService": undefined }), "directly, not through S3");
        assert.ok(!use({ "kms:ViaService": "s3.us-east-1.amazonaws.com" }));
        assert.ok(!use({ "aws:PrincipalOrgID": "o-zzzzzzzzzz" }));
    });

    it("the delivery role writes where the bucket policy lets its account write, with the actions Firehose needs across accounts", () => {
        assert.strictEqual(firelensArchivePrefix(A, "orders"), `firelens/${A}/orders/`);
        const { prefix, errorOutputPrefix } = firehosePrefixes(A, "orders");
        assert.strictEqual(prefix, `firelens/${A}/orders/year=!{timestamp:yyyy}/month=!{timestamp:MM}/day=!{timestamp:dd}/`);
        assert.ok(errorOutputPrefix.startsWith(`firelens/${A}/orders/errors/`));
        const role = firelensFirehoseRolePolicy({
            accountId: A, archiveBucketArn: BUCKET, archiveKeyArn: "arn:aws:kms:eu-west-1:222222222222:key/k", serviceName: "orders", region: "eu-west-1",
            firehoseLogGroupArn: `arn:aws:logs:eu-west-1:${A}:log-group:/aws/firehose/orders`,
        });
        const write = (role.Statement as any[]).find((s) => s.Sid === "WriteServicePrefix");
        assert.deepStrictEqual(write.Action, ["s3:PutObject", "s3:PutObjectAcl", "s3:GetObject", "s3:AbortMultipartUpload"]);
        assert.strictEqual(write.Resource, `${BUCKET}/firelens/${A}/orders/*`);
        const bucket = (role.Statement as any[]).find((s) => s.Sid === "LocateArchiveBucket");
        assert.deepStrictEqual(bucket.Action, ["s3:GetBucketLocation", "s3:ListBucket", "s3:ListBucketMultipartUploads"]);
        // Every object the role may write, the bucket policy admits for the role's account.
        const sample = `${BUCKET}/${prefix.replace(/!\{[^}]+\}/g, "2026")}orders-1.gz`;
        assert.ok(policyAllows(bucketPolicy, { action: "s3:PutObject", resource: sample, context: context(A) }));
    });
});
