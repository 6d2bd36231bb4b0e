import * as assert from "assert";
import type { LogArchiveAccountArgs } from "../../components/log-archive-account";
import { policyOf, RecordedResource, runUnderMocks, single, statement } from "../support/harness";

const ARGS: LogArchiveAccountArgs = {
    organizationId: "o-a1b2c3d4e5",
    managementAccountId: "111111111111",
    homeRegion: "eu-west-1",
    trailName: "org-logging",
    trailMode: "organization",
};

async function build(args: LogArchiveAccountArgs = ARGS): Promise<RecordedResource[]> {
    const aws = await import("@pulumi/aws");
    const { LogArchiveAccount } = await import("../../components/log-archive-account");
    const { resources } = await runUnderMocks(() => {
        const provider = new aws.Provider("archive", {
            region: "eu-west-1",
            assumeRoles: [{ roleArn: "arn:aws:iam::222222222222:role/Deployer" }],
            allowedAccountIds: ["222222222222"],
        });
        return new LogArchiveAccount("archive", args, { provider }).trailBucket.arn;
    });
    return resources;
}

describe("components/LogArchiveAccount (trail bucket)", () => {
    let resources: RecordedResource[];
    before(async () => {
        resources = await build();
    });

    it("encrypts the trail bucket with its own rotating customer key", () => {
        const key = single(resources, "aws:kms/key:Key", "archive-trail-key");
        assert.strictEqual(key.inputs.enableKeyRotation, true);
        const sse = single(resources, "aws:s3/bucketServerSideEncryptionConfiguration:BucketServerSideEncryptionConfiguration");
        const rule = (sse.inputs.rules as any[])[0];
        assert.strictEqual(rule.applyServerSideEncryptionByDefault.sseAlgorithm, "aws:kms");
        assert.strictEqual(rule.applyServerSideEncryptionByDefault.kmsMasterKeyId, key.state.arn);
        assert.strictEqual(rule.bucketKeyEnabled, true);
    });

    it("enables versioning, enforces bucket-owner ownership and blocks public access", () => {
        assert.strictEqual((single(resources, "aws:s3/bucketVersioning:BucketVersioning").inputs.versioningConfiguration as any).status, "Enabled");
        assert.strictEqual((single(resources, "aws:s3/bucketOwnershipControls:BucketOwnershipControls").inputs.rule as any).objectOwnership, "BucketOwnerEnforced");
        const block = single(resources, "aws:s3/bucketPublicAccessBlock:BucketPublicAccessBlock").inputs;
        for (const flag of ["blockPublicAcls", "blockPublicPolicy", "ignorePublicAcls", "restrictPublicBuckets"]) {
            assert.strictEqual(block[flag], true, flag);
        }
        assert.strictEqual(single(resources, "aws:s3/bucket:Bucket").inputs.forceDestroy, false);
    });

    it("denies requests without TLS on the bucket and its objects", () => {
        const bucketArn = String(single(resources, "aws:s3/bucket:Bucket").state.arn);
        const deny = statement(single(resources, "aws:s3/bucketPolicy:BucketPolicy").inputs.policy, "DenyInsecureTransport");
        assert.deepStrictEqual(deny, {
            Sid: "DenyInsecureTransport",
            Effect: "Deny",
            Principal: "*",
            Action: "s3:*",
            Resource: [bucketArn, `${bucketArn}/*`],
            Condition: { Bool: { "aws:SecureTransport": "false" } },
        });
    });

    it("lets only the named trail of the management account write, with the bucket-owner ACL", () => {
        const bucketArn = String(single(resources, "aws:s3/bucket:Bucket").state.arn);
        const policy = single(resources, "aws:s3/bucketPolicy:BucketPolicy").inputs.policy;
        const sourceArn = "arn:aws:cloudtrail:eu-west-1:111111111111:trail/org-logging";
        for (const [sid, prefix] of [["CloudTrailWriteManagementAccount", "111111111111"], ["CloudTrailWriteOrganization", "o-a1b2c3d4e5"]]) {
            assert.deepStrictEqual(statement(policy, sid).Resource, `${bucketArn}/AWSLogs/${prefix}/*`);
            assert.deepStrictEqual(statement(policy, sid).Condition, {
                StringEquals: { "s3:x-amz-acl": "bucket-owner-full-control", "aws:SourceArn": sourceArn },
            });
        }
        assert.deepStrictEqual(statement(policy, "CloudTrailAclCheck").Condition, { StringEquals: { "aws:SourceArn": sourceArn } });
    });

    it("scopes CloudTrail's use of the key to the management account's trails", () => {
        const policy = single(resources, "aws:kms/key:Key").inputs.policy;
        assert.deepStrictEqual(statement(policy, "CloudTrailEncrypts").Condition, {
            StringLike: { "kms:EncryptionContext:aws:cloudtrail:arn": "arn:aws:cloudtrail:*:111111111111:trail/*" },
            StringEquals: { "aws:SourceArn": "arn:aws:cloudtrail:eu-west-1:111111111111:trail/org-logging" },
        });
        assert.deepStrictEqual(statement(policy, "KeyAccountAdministers").Principal, { AWS: "arn:aws:iam::222222222222:root" });
    });

    it("admits only the account prefix in account mode", async () => {
        const accountMode = await build({ ...ARGS, trailMode: "account" });
        const sids = policyOf(single(accountMode, "aws:s3/bucketPolicy:BucketPolicy").inputs.policy).Statement.map((s) => s.Sid);
        assert.deepStrictEqual(sids, ["DenyInsecureTransport", "CloudTrailAclCheck", "CloudTrailWriteManagementAccount"]);
    });

    it("rejects an invalid trail name, naming the argument", async () => {
        const { validateLogArchiveAccountArgs } = await import("../../components/log-archive-account");
        assert.throws(
            () => validateLogArchiveAccountArgs({ ...ARGS, trailName: "bad name!" }),
            { message: 'LogArchiveAccount: `trailName` ("bad name!") is not a valid trail name. Use 3-128 letters, digits, ".", "_" or "-", starting and ending with a letter or digit.' },
        );
    });
});
