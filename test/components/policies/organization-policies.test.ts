// The archive's delivery statements admit the organization as a whole (no account listed) and keep
// each account under its own prefix. Pure builders, evaluated with test/support/policy-eval.
import * as assert from "assert";
import { applicationLogsBucketPolicy, applicationLogsKeyPolicy } from "../../../components/policies/application-logs-policies";
import { firelensArchivePrefix, firelensFirehoseRolePolicy } from "../../../components/policies/firelens-role-policies";
import { firehosePrefixes } from "../../../components/firelens-service";
import { configBucketPolicy } from "../../../components/policies/config-bucket-policy";
import { configKeyPolicy } from "../../../components/policies/config-key-policy";
import { elbLogsBucketPolicy } from "../../../components/policies/elb-logs-bucket-policy";
import { pipelineDeployPolicy, pipelinePreviewPolicy } from "../../../components/policies/pipeline-role-policies";
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
        assert.deepStrictEqual(
            grants.map((s) => s.Sid),
            ["FireLensWriteWithOwnerAcl", "FireLensUploadParts", "FireLensOwnObjects", "FireLensBucketAccess"],
        );
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
        assert.ok(
            policyAllows(bucketPolicy, {
                action: "s3:PutObject",
                resource: object(A),
                context: context(A, { "s3:x-amz-acl": "bucket-owner-full-control" }),
            }),
        );
        assert.ok(
            policyAllows(bucketPolicy, { action: "s3:PutObject", resource: object(A), context: context(A) }),
            "UploadPart / CompleteMultipartUpload",
        );
        assert.ok(policyAllows(bucketPolicy, { action: "s3:AbortMultipartUpload", resource: object(A), context: context(A) }));
        assert.ok(policyAllows(bucketPolicy, { action: "s3:GetObject", resource: object(A), context: context(A) }));
        assert.ok(
            policyAllows(bucketPolicy, {
                action: "s3:PutObjectAcl",
                resource: object(A),
                context: context(A, { "s3:x-amz-acl": "bucket-owner-full-control" }),
            }),
        );
        assert.ok(policyAllows(bucketPolicy, { action: "s3:ListBucketMultipartUploads", resource: BUCKET, context: context(A) }));
    });

    it("refuses one account's role writing, reading or aborting under another account's prefix", () => {
        for (const action of ["s3:PutObject", "s3:GetObject", "s3:AbortMultipartUpload", "s3:PutObjectAcl"]) {
            assert.ok(
                !policyAllows(bucketPolicy, {
                    action,
                    resource: object(B),
                    context: context(A, { "s3:x-amz-acl": "bucket-owner-full-control" }),
                }),
                action,
            );
            assert.ok(!policyAllows(bucketPolicy, { action, resource: object(B), context: context(A) }), `${action} without ACL`);
        }
        // A prefix that only starts like the account's (a 13th digit) is another prefix.
        assert.ok(!policyAllows(bucketPolicy, { action: "s3:PutObject", resource: `${BUCKET}/firelens/${A}0/x`, context: context(A) }));
        assert.ok(!policyAllows(bucketPolicy, { action: "s3:PutObject", resource: `${BUCKET}/other/${A}/x`, context: context(A) }));
    });

    it("refuses an ACL other than bucket-owner-full-control, other organizations, other roles and plain HTTP", () => {
        assert.ok(
            !policyAllows(bucketPolicy, {
                action: "s3:PutObject",
                resource: object(A),
                context: context(A, { "s3:x-amz-acl": "public-read" }),
            }),
        );
        assert.ok(
            !policyAllows(bucketPolicy, {
                action: "s3:PutObject",
                resource: object(A),
                context: context(A, { "aws:PrincipalOrgID": "o-zzzzzzzzzz" }),
            }),
        );
        assert.ok(
            !policyAllows(bucketPolicy, {
                action: "s3:PutObject",
                resource: object(A),
                context: context(A, { "aws:PrincipalOrgID": undefined }),
            }),
        );
        assert.ok(
            !policyAllows(bucketPolicy, {
                action: "s3:PutObject",
                resource: object(A),
                context: context(A, { "aws:PrincipalArn": roleOf(A, "deployer") }),
            }),
        );
        assert.ok(
            !policyAllows(bucketPolicy, {
                action: "s3:PutObject",
                resource: object(A),
                context: context(A, { "aws:SecureTransport": "false" }),
            }),
        );
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
            policyAllows(key, {
                action: "kms:GenerateDataKey",
                resource: "*",
                context: context(B, { "kms:ViaService": "s3.eu-west-1.amazonaws.com", ...extra }),
            });
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
            accountId: A,
            archiveBucketArn: BUCKET,
            archiveKeyArn: "arn:aws:kms:eu-west-1:222222222222:key/k",
            serviceName: "orders",
            region: "eu-west-1",
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

describe("AWS Config delivery by organization", () => {
    const CONFIG_BUCKET = "arn:aws:s3:::archive-config";
    const policy = configBucketPolicy({ bucketArn: CONFIG_BUCKET, organizationId: ORG });
    const config = (account: string, extra: Record<string, string | undefined> = {}) => ({
        "aws:SourceOrgID": ORG,
        "aws:SourceAccount": account,
        "aws:SourceArn": `arn:aws:config:eu-west-1:${account}:*`,
        "aws:SecureTransport": "true",
        "s3:x-amz-acl": "bucket-owner-full-control",
        ...extra,
    });
    const history = (account: string) =>
        `${CONFIG_BUCKET}/AWSLogs/${account}/Config/eu-west-1/2026/12/2/ConfigHistory/${account}_Config_eu-west-1_ConfigHistory_AWS::S3::Bucket_20261202T000000Z.json.gz`;
    const service = "config.amazonaws.com";

    it("admits config.amazonaws.com by aws:SourceOrgID in every statement, in the documented form", () => {
        assert.deepStrictEqual(
            (policy.Statement as any[]).map((s) => s.Sid),
            ["DenyInsecureTransport", "ConfigAclCheck", "ConfigBucketExistenceCheck", "ConfigDelivery"],
        );
        for (const s of (policy.Statement as any[]).slice(1)) {
            assert.deepStrictEqual(s.Principal, { Service: service });
            assert.strictEqual(s.Condition.StringEquals["aws:SourceOrgID"], ORG, s.Sid);
        }
        assert.doesNotMatch(JSON.stringify(policy), /\d{12}/);
    });

    it("lets each account's Config deliver under its own AWSLogs/<account>/Config/ only, with the owner ACL", () => {
        assert.ok(policyAllows(policy, { service, action: "s3:PutObject", resource: history(A), context: config(A) }));
        assert.ok(policyAllows(policy, { service, action: "s3:GetBucketAcl", resource: CONFIG_BUCKET, context: config(A) }));
        assert.ok(
            !policyAllows(policy, { service, action: "s3:PutObject", resource: history(B), context: config(A) }),
            "another account's prefix",
        );
        assert.ok(
            !policyAllows(policy, {
                service,
                action: "s3:PutObject",
                resource: history(A),
                context: config(A, { "aws:SourceOrgID": "o-zzzzzzzzzz" }),
            }),
        );
        assert.ok(
            !policyAllows(policy, {
                service,
                action: "s3:PutObject",
                resource: history(A),
                context: config(A, { "s3:x-amz-acl": undefined }),
            }),
        );
        assert.ok(
            !policyAllows(policy, {
                service,
                action: "s3:PutObject",
                resource: history(A),
                context: config(A, { "aws:SourceAccount": undefined }),
            }),
        );
    });

    it("lets Config of the organization use the config key", () => {
        const key = configKeyPolicy({ partition: "aws", keyAccountId: "222222222222", organizationId: ORG });
        assert.deepStrictEqual((key.Statement as any[])[1].Condition, { StringEquals: { "aws:SourceOrgID": ORG } });
        assert.ok(policyAllows(key, { service, action: "kms:GenerateDataKey", resource: "*", context: config(B) }));
        assert.ok(
            !policyAllows(key, {
                service,
                action: "kms:GenerateDataKey",
                resource: "*",
                context: config(B, { "aws:SourceOrgID": "o-zzzzzzzzzz" }),
            }),
        );
    });
});

describe("ALB access-log delivery by organization", () => {
    const ELB_BUCKET = "arn:aws:s3:::archive-elb-logs";
    const logKey = (account: string) =>
        `${ELB_BUCKET}/AWSLogs/${account}/elasticloadbalancing/eu-west-1/2026/12/02/${account}_elasticloadbalancing_eu-west-1_app.lb.1_20261202T0000Z_10.0.0.1_x.log.gz`;

    it("admits the log-delivery principal of new regions by aws:SourceOrgID", () => {
        const policy = elbLogsBucketPolicy({ bucketArn: ELB_BUCKET, organizationId: ORG });
        const service = "logdelivery.elasticloadbalancing.amazonaws.com";
        assert.deepStrictEqual(
            (policy.Statement as any[]).map((s) => s.Sid),
            ["DenyInsecureTransport", "ElbLogDelivery"],
        );
        const ctx = { "aws:SourceOrgID": ORG, "aws:SourceAccount": A, "aws:SecureTransport": "true" };
        assert.ok(policyAllows(policy, { service, action: "s3:PutObject", resource: logKey(A), context: ctx }));
        assert.ok(
            !policyAllows(policy, {
                service,
                action: "s3:PutObject",
                resource: logKey(A),
                context: { ...ctx, "aws:SourceOrgID": "o-zzzzzzzzzz" },
            }),
        );
        assert.ok(
            !policyAllows(policy, { service, action: "s3:PutObject", resource: `${ELB_BUCKET}/firelens/${A}/x`, context: ctx }),
            "outside AWSLogs/",
        );
    });

    it("admits the regional ELB account of legacy regions under AWSLogs/ (no organization key exists for it)", () => {
        const policy = elbLogsBucketPolicy({
            bucketArn: ELB_BUCKET,
            organizationId: ORG,
            elbServiceAccountArn: "arn:aws:iam::156460612806:root",
        });
        const legacy = (policy.Statement as any[]).find((s) => s.Sid === "ElbRegionalAccountLogDelivery");
        assert.deepStrictEqual(legacy, {
            Sid: "ElbRegionalAccountLogDelivery",
            Effect: "Allow",
            Principal: { AWS: "arn:aws:iam::156460612806:root" },
            Action: "s3:PutObject",
            Resource: `${ELB_BUCKET}/AWSLogs/*`,
        });
        const request = { principal: "arn:aws:iam::156460612806:root", action: "s3:PutObject", context: { "aws:SecureTransport": "true" } };
        assert.ok(policyAllows(policy, { ...request, resource: logKey(A) }));
        assert.ok(!policyAllows(policy, { ...request, resource: `${ELB_BUCKET}/elsewhere/x` }));
        assert.ok(
            !policyAllows(policy, { ...request, principal: "arn:aws:iam::127311923021:root", resource: logKey(A) }),
            "another region's ELB account",
        );
    });
});

describe("pipeline roles by organization", () => {
    const roles = ["111111111111", "222222222222", "333333333333", A, B].map((a) => `arn:aws:iam::${a}:role/OrgLoggingDeployer`);

    it("assumes the deployer role by name in any account of the organization (aws:ResourceOrgID), one ARN for any number of accounts", () => {
        const deploy = (pipelineDeployPolicy({ deployerRoleArns: roles, organizationId: ORG }).Statement as any[])[0];
        assert.deepStrictEqual(deploy, {
            Sid: "AssumeAccountDeployerRoles",
            Effect: "Allow",
            Action: "sts:AssumeRole",
            Resource: "arn:aws:iam::*:role/OrgLoggingDeployer",
            Condition: { StringEquals: { "aws:ResourceOrgID": ORG } },
        });
        const more = pipelineDeployPolicy({
            deployerRoleArns: [...roles, "arn:aws:iam::666666666666:role/OrgLoggingDeployer"],
            organizationId: ORG,
        });
        assert.deepStrictEqual(
            more,
            pipelineDeployPolicy({ deployerRoleArns: roles, organizationId: ORG }),
            "a new account changes nothing",
        );
        const ctx = (org: string) => ({ "aws:ResourceOrgID": org });
        assert.ok(
            policyAllows(
                { Statement: [{ ...deploy, Principal: "*" }] },
                { action: "sts:AssumeRole", resource: roles[3], context: ctx(ORG) },
            ),
        );
        assert.ok(
            !policyAllows(
                { Statement: [{ ...deploy, Principal: "*" }] },
                { action: "sts:AssumeRole", resource: roles[3], context: ctx("o-zzzzzzzzzz") },
            ),
        );
        assert.ok(
            !policyAllows(
                { Statement: [{ ...deploy, Principal: "*" }] },
                { action: "sts:AssumeRole", resource: `arn:aws:iam::${A}:role/Admin`, context: ctx(ORG) },
            ),
        );
    });

    it("does the same for the preview roles", () => {
        const preview = (
            pipelinePreviewPolicy({
                previewRoleArns: roles.map((r) => r.replace("OrgLoggingDeployer", "OrgLoggingPreview")),
                organizationId: ORG,
            }).Statement as any[]
        )[0];
        assert.deepStrictEqual(
            [preview.Resource, preview.Condition],
            ["arn:aws:iam::*:role/OrgLoggingPreview", { StringEquals: { "aws:ResourceOrgID": ORG } }],
        );
    });
});
