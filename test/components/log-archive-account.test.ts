import type { ResourceTransformation } from "@pulumi/pulumi";
import * as assert from "assert";
import type { LogArchiveAccountArgs } from "../../components/log-archive-account";
import { ofType, policyOf, RecordedResource, runUnderMocks, single, statement, waitsFor } from "../support/harness";

const MANAGEMENT = "111111111111";
const ARCHIVE = "222222222222";
const WORKLOADS = ["444444444444", "555555555555"];
const TRAIL_ARN = `arn:aws:cloudtrail:eu-west-1:${MANAGEMENT}:trail/org-logging`;
const BREAK_GLASS = `arn:aws:iam::${ARCHIVE}:role/OrgLoggingBreakGlass`;

const ARGS: LogArchiveAccountArgs = {
    organizationId: "o-a1b2c3d4e5",
    managementAccountId: MANAGEMENT,
    homeRegion: "eu-west-1",
    trailName: "org-logging",
    trailMode: "organization",
    trailReaderArns: [`arn:aws:iam::${ARCHIVE}:role/Investigator`],
    objectLockMode: "GOVERNANCE",
    objectLockDays: 365,
    protectWithScp: true,
    breakGlassPrincipalArns: [BREAK_GLASS],
};

const ROLES = ["trail", "config", "elb-logs", "access-logs", "application-logs"];

/** Builds the component with an archive provider (and a management provider for the SCP) in `region`. */
async function build(args: Partial<LogArchiveAccountArgs> = {}, region = "eu-west-1"): Promise<RecordedResource[]> {
    const aws = await import("@pulumi/aws");
    const { LogArchiveAccount } = await import("../../components/log-archive-account");
    const { resources } = await runUnderMocks(() => {
        const provider = (name: string, account: string) =>
            new aws.Provider(name, {
                region: region as any,
                assumeRoles: [{ roleArn: `arn:aws:iam::${account}:role/Deployer` }],
                allowedAccountIds: [account],
            });
        const archive = provider("archive", ARCHIVE);
        const management = provider("management", MANAGEMENT);
        const component = new LogArchiveAccount("archive", { ...ARGS, managementProvider: management, ...args }, { provider: archive });
        return component.trailBucket.arn;
    });
    return resources;
}

const bucketArn = (resources: RecordedResource[], role: string) =>
    String(single(resources, "aws:s3/bucket:Bucket", `archive-${role}-bucket`).state.arn);
const bucketName = (resources: RecordedResource[], role: string) =>
    String(single(resources, "aws:s3/bucket:Bucket", `archive-${role}-bucket`).state.bucket);
const policyFor = (resources: RecordedResource[], role: string) =>
    single(resources, "aws:s3/bucketPolicy:BucketPolicy", `archive-${role}-bucket-policy`).inputs.policy;
const keyArn = (resources: RecordedResource[], role: string) =>
    String(single(resources, "aws:kms/key:Key", `archive-${role}-key`).state.arn);

describe("components/LogArchiveAccount", () => {
    let resources: RecordedResource[];
    before(async () => {
        resources = await build();
    });

    it("creates five buckets and three rotating customer keys, all in the log-archive account", () => {
        assert.deepStrictEqual(
            ofType(resources, "aws:s3/bucket:Bucket")
                .map((b) => b.name)
                .sort(),
            ROLES.map((r) => `archive-${r}-bucket`).sort(),
        );
        assert.deepStrictEqual(
            ofType(resources, "aws:kms/key:Key")
                .map((k) => k.name)
                .sort(),
            ["archive-application-logs-key", "archive-config-key", "archive-trail-key"],
        );
        for (const r of resources.filter(
            (r) => r.custom && !r.type.startsWith("pulumi:providers:") && !r.type.startsWith("aws:organizations/"),
        )) {
            assert.strictEqual(r.account, ARCHIVE, r.name);
        }
        for (const key of ofType(resources, "aws:kms/key:Key")) {
            assert.strictEqual(key.inputs.enableKeyRotation, true, key.name);
        }
    });

    it("hardens every bucket: ownership enforced, public access blocked, versioning, forceDestroy off, TLS only", () => {
        for (const role of ROLES) {
            const bucket = single(resources, "aws:s3/bucket:Bucket", `archive-${role}-bucket`);
            assert.strictEqual(bucket.inputs.forceDestroy, false, role);
            const id = bucket.state.id;
            assert.strictEqual(
                single(resources, "aws:s3/bucketOwnershipControls:BucketOwnershipControls", `archive-${role}-bucket-ownership`).inputs
                    .bucket,
                id,
            );
            assert.deepStrictEqual(
                single(resources, "aws:s3/bucketOwnershipControls:BucketOwnershipControls", `archive-${role}-bucket-ownership`).inputs.rule,
                { objectOwnership: "BucketOwnerEnforced" },
            );
            const block = single(
                resources,
                "aws:s3/bucketPublicAccessBlock:BucketPublicAccessBlock",
                `archive-${role}-bucket-public-access`,
            ).inputs;
            assert.strictEqual(block.bucket, id);
            for (const flag of ["blockPublicAcls", "blockPublicPolicy", "ignorePublicAcls", "restrictPublicBuckets"]) {
                assert.strictEqual(block[flag], true, `${role} ${flag}`);
            }
            const versioning = single(resources, "aws:s3/bucketVersioning:BucketVersioning", `archive-${role}-bucket-versioning`).inputs;
            assert.deepStrictEqual([versioning.bucket, versioning.versioningConfiguration], [id, { status: "Enabled" }]);
            const arn = bucketArn(resources, role);
            assert.deepStrictEqual(statement(policyFor(resources, role), "DenyInsecureTransport"), {
                Sid: "DenyInsecureTransport",
                Effect: "Deny",
                Principal: "*",
                Action: "s3:*",
                Resource: [arn, `${arn}/*`],
                Condition: { Bool: { "aws:SecureTransport": "false" } },
            });
        }
    });

    it("writes each bucket's policy only after its public access block, so S3 never sees two changes at once", () => {
        for (const role of ROLES) {
            const policy = single(resources, "aws:s3/bucketPolicy:BucketPolicy", `archive-${role}-bucket-policy`);
            const block = single(
                resources,
                "aws:s3/bucketPublicAccessBlock:BucketPublicAccessBlock",
                `archive-${role}-bucket-public-access`,
            );
            assert.ok(waitsFor(resources, policy, block), role);
        }
    });

    it("encrypts trail, config and application logs with their own key, elb-logs and access-logs with SSE-S3", () => {
        const rule = (role: string) =>
            (
                single(
                    resources,
                    "aws:s3/bucketServerSideEncryptionConfiguration:BucketServerSideEncryptionConfiguration",
                    `archive-${role}-bucket-encryption`,
                ).inputs.rules as any[]
            )[0];
        for (const role of ["trail", "config", "application-logs"]) {
            assert.deepStrictEqual(
                rule(role),
                {
                    applyServerSideEncryptionByDefault: { sseAlgorithm: "aws:kms", kmsMasterKeyId: keyArn(resources, role) },
                    bucketKeyEnabled: true,
                },
                role,
            );
        }
        for (const role of ["elb-logs", "access-logs"]) {
            assert.deepStrictEqual(rule(role), { applyServerSideEncryptionByDefault: { sseAlgorithm: "AES256" } }, role);
        }
    });

    it("applies the default lifecycle: Glacier after 90 days, expiry after 2557, for current and previous versions", () => {
        for (const role of ROLES) {
            const lifecycle = single(
                resources,
                "aws:s3/bucketLifecycleConfiguration:BucketLifecycleConfiguration",
                `archive-${role}-bucket-lifecycle`,
            );
            assert.deepStrictEqual(lifecycle.inputs.rules, [
                {
                    id: "archive-then-expire",
                    status: "Enabled",
                    filter: {},
                    transitions: [{ days: 90, storageClass: "GLACIER" }],
                    expiration: { days: 2557 },
                    noncurrentVersionTransitions: [{ noncurrentDays: 90, storageClass: "GLACIER" }],
                    noncurrentVersionExpiration: { noncurrentDays: 2557 },
                    abortIncompleteMultipartUpload: { daysAfterInitiation: 7 },
                },
            ]);
            assert.ok(
                waitsFor(
                    resources,
                    lifecycle,
                    single(resources, "aws:s3/bucketVersioning:BucketVersioning", `archive-${role}-bucket-versioning`),
                ),
                role,
            );
        }
    });

    it("sends server access logs of the four other buckets to the access-logs bucket, each under its prefix", () => {
        const target = bucketName(resources, "access-logs");
        const logging = ofType(resources, "aws:s3/bucketLogging:BucketLogging");
        assert.deepStrictEqual(
            logging.map((l) => l.name).sort(),
            ["application-logs", "config", "elb-logs", "trail"].map((r) => `archive-${r}-bucket-logging`),
        );
        const policy = policyFor(resources, "access-logs");
        for (const role of ["trail", "config", "elb-logs", "application-logs"]) {
            const l = single(resources, "aws:s3/bucketLogging:BucketLogging", `archive-${role}-bucket-logging`).inputs;
            assert.deepStrictEqual([l.bucket, l.targetBucket, l.targetPrefix], [bucketName(resources, role), target, `${role}/`]);
            const sid = `S3ServerAccessLogs${role
                .split("-")
                .map((p) => p[0].toUpperCase() + p.slice(1))
                .join("")}`;
            assert.deepStrictEqual(statement(policy, sid), {
                Sid: sid,
                Effect: "Allow",
                Principal: { Service: "logging.s3.amazonaws.com" },
                Action: "s3:PutObject",
                Resource: `${bucketArn(resources, "access-logs")}/${role}/*`,
                Condition: { ArnLike: { "aws:SourceArn": bucketArn(resources, role) }, StringEquals: { "aws:SourceAccount": ARCHIVE } },
            });
        }
        assert.strictEqual(policyOf(policy).Statement.length, 5);
    });

    it("admits exactly the organization trail into the trail bucket (account and organization prefixes)", () => {
        const arn = bucketArn(resources, "trail");
        const policy = policyFor(resources, "trail");
        assert.deepStrictEqual(
            policyOf(policy).Statement.map((s) => s.Sid),
            ["DenyInsecureTransport", "CloudTrailAclCheck", "CloudTrailWriteManagementAccount", "CloudTrailWriteOrganization"],
        );
        assert.deepStrictEqual(statement(policy, "CloudTrailAclCheck"), {
            Sid: "CloudTrailAclCheck",
            Effect: "Allow",
            Principal: { Service: "cloudtrail.amazonaws.com" },
            Action: "s3:GetBucketAcl",
            Resource: arn,
            Condition: { StringEquals: { "aws:SourceArn": TRAIL_ARN } },
        });
        for (const [sid, prefix] of [
            ["CloudTrailWriteManagementAccount", MANAGEMENT],
            ["CloudTrailWriteOrganization", "o-a1b2c3d4e5"],
        ]) {
            assert.deepStrictEqual(statement(policy, sid), {
                Sid: sid,
                Effect: "Allow",
                Principal: { Service: "cloudtrail.amazonaws.com" },
                Action: "s3:PutObject",
                Resource: `${arn}/AWSLogs/${prefix}/*`,
                Condition: { StringEquals: { "s3:x-amz-acl": "bucket-owner-full-control", "aws:SourceArn": TRAIL_ARN } },
            });
        }
    });

    it("lets CloudTrail use the trail key only for the management account's trails, and readers decrypt only with that context", () => {
        const policy = single(resources, "aws:kms/key:Key", "archive-trail-key").inputs.policy;
        assert.deepStrictEqual(statement(policy, "KeyAccountAdministers").Principal, { AWS: `arn:aws:iam::${ARCHIVE}:root` });
        assert.deepStrictEqual(statement(policy, "CloudTrailEncrypts").Condition, {
            StringLike: { "kms:EncryptionContext:aws:cloudtrail:arn": `arn:aws:cloudtrail:*:${MANAGEMENT}:trail/*` },
            StringEquals: { "aws:SourceArn": TRAIL_ARN },
        });
        assert.deepStrictEqual(statement(policy, "CloudTrailDescribesKey").Condition, { StringEquals: { "aws:SourceArn": TRAIL_ARN } });
        assert.deepStrictEqual(statement(policy, "ReadersDecryptTrailLogs"), {
            Sid: "ReadersDecryptTrailLogs",
            Effect: "Allow",
            Principal: { AWS: [`arn:aws:iam::${ARCHIVE}:role/Investigator`] },
            Action: "kms:Decrypt",
            Resource: "*",
            Condition: { StringLike: { "kms:EncryptionContext:aws:cloudtrail:arn": `arn:aws:cloudtrail:*:${MANAGEMENT}:trail/*` } },
        });
    });

    it("lets AWS Config of each stack account write only under its own prefix of the config bucket", () => {
        const arn = bucketArn(resources, "config");
        const policy = policyFor(resources, "config");
        const org = { "aws:SourceOrgID": "o-a1b2c3d4e5" };
        for (const [sid, action] of [
            ["ConfigAclCheck", "s3:GetBucketAcl"],
            ["ConfigBucketExistenceCheck", "s3:ListBucket"],
        ]) {
            assert.deepStrictEqual(statement(policy, sid), {
                Sid: sid,
                Effect: "Allow",
                Principal: { Service: "config.amazonaws.com" },
                Action: action,
                Resource: arn,
                Condition: { StringEquals: org },
            });
        }
        assert.deepStrictEqual(statement(policy, "ConfigDelivery"), {
            Sid: "ConfigDelivery",
            Effect: "Allow",
            Principal: { Service: "config.amazonaws.com" },
            Action: "s3:PutObject",
            Resource: `${arn}/AWSLogs/\${aws:SourceAccount}/Config/*`,
            Condition: { StringEquals: { "s3:x-amz-acl": "bucket-owner-full-control", ...org } },
        });
        assert.strictEqual(policyOf(policy).Statement.length, 4);
        assert.deepStrictEqual(
            statement(single(resources, "aws:kms/key:Key", "archive-config-key").inputs.policy, "ConfigEncrypts").Condition,
            { StringEquals: org },
        );
    });

    it("admits ALB log delivery of the organization under AWSLogs/, with eu-west-1's ELB account", () => {
        const arn = bucketArn(resources, "elb-logs");
        const policy = policyFor(resources, "elb-logs");
        assert.deepStrictEqual(statement(policy, "ElbLogDelivery"), {
            Sid: "ElbLogDelivery",
            Effect: "Allow",
            Principal: { Service: "logdelivery.elasticloadbalancing.amazonaws.com" },
            Action: "s3:PutObject",
            Resource: `${arn}/AWSLogs/*`,
            Condition: { StringEquals: { "aws:SourceOrgID": "o-a1b2c3d4e5" } },
        });
        assert.deepStrictEqual(statement(policy, "ElbRegionalAccountLogDelivery").Principal, { AWS: "arn:aws:iam::156460612806:root" });
        assert.deepStrictEqual(statement(policy, "ElbRegionalAccountLogDelivery").Resource, `${arn}/AWSLogs/*`);
    });

    it("admits FireLens roles of the organization to the application-logs bucket, each under its account's prefix, and to the key through S3", () => {
        const arn = bucketArn(resources, "application-logs");
        const policy = policyFor(resources, "application-logs");
        const org = {
            StringEquals: { "aws:PrincipalOrgID": "o-a1b2c3d4e5" },
            ArnLike: { "aws:PrincipalArn": "arn:aws:iam::*:role/firelens-*" },
        };
        assert.deepStrictEqual(statement(policy, "FireLensWriteWithOwnerAcl"), {
            Sid: "FireLensWriteWithOwnerAcl",
            Effect: "Allow",
            Principal: "*",
            Action: ["s3:PutObject", "s3:PutObjectAcl"],
            Resource: `${arn}/firelens/\${aws:PrincipalAccount}/*`,
            Condition: { ...org, StringEquals: { "aws:PrincipalOrgID": "o-a1b2c3d4e5", "s3:x-amz-acl": "bucket-owner-full-control" } },
        });
        assert.deepStrictEqual(statement(policy, "FireLensUploadParts").Condition, { ...org, Null: { "s3:x-amz-acl": "true" } });
        assert.deepStrictEqual(statement(policy, "FireLensBucketAccess").Action, [
            "s3:GetBucketLocation",
            "s3:ListBucket",
            "s3:ListBucketMultipartUploads",
        ]);
        assert.deepStrictEqual(statement(policy, "FireLensBucketAccess").Resource, arn);
        assert.deepStrictEqual(statement(policy, "FireLensOwnObjects").Resource, `${arn}/firelens/\${aws:PrincipalAccount}/*`);
        for (const id of WORKLOADS) {
            assert.ok(!JSON.stringify(policyOf(policy)).includes(id), `the policy names ${id}`);
        }
        const key = statement(
            single(resources, "aws:kms/key:Key", "archive-application-logs-key").inputs.policy,
            "FireLensRolesEncryptThroughS3",
        );
        assert.deepStrictEqual(key.Principal, "*");
        assert.deepStrictEqual(key.Action, ["kms:GenerateDataKey*", "kms:Encrypt", "kms:Decrypt"]);
        assert.deepStrictEqual(key.Condition, {
            ...org,
            StringEquals: { "aws:PrincipalOrgID": "o-a1b2c3d4e5", "kms:ViaService": "s3.eu-west-1.amazonaws.com" },
        });
    });

    it("locks the trail bucket only, in the requested mode, from creation", () => {
        assert.strictEqual(single(resources, "aws:s3/bucket:Bucket", "archive-trail-bucket").inputs.objectLockEnabled, true);
        for (const role of ROLES.filter((r) => r !== "trail")) {
            assert.strictEqual(
                single(resources, "aws:s3/bucket:Bucket", `archive-${role}-bucket`).inputs.objectLockEnabled,
                undefined,
                role,
            );
        }
        const lock = single(resources, "aws:s3/bucketObjectLockConfiguration:BucketObjectLockConfiguration");
        assert.deepStrictEqual(lock.inputs.rule, { defaultRetention: { mode: "GOVERNANCE", days: 365 } });
        assert.strictEqual(lock.inputs.bucket, bucketName(resources, "trail"));
    });

    it("creates the SCP in the management account and attaches it to the log-archive account after everything else", () => {
        const scp = single(resources, "aws:organizations/policy:Policy", "archive-scp");
        assert.strictEqual(scp.account, MANAGEMENT);
        assert.strictEqual(scp.inputs.type, "SERVICE_CONTROL_POLICY");
        const content = policyOf(scp.inputs.content);
        const buckets = ROLES.map((r) => bucketArn(resources, r));
        const deny = statement(content, "DenyArchiveBucketChanges");
        assert.deepStrictEqual(
            deny.Resource,
            buckets.flatMap((b) => [b, `${b}/*`]),
        );
        assert.ok(deny.Action.includes("s3:DeleteObject") && deny.Action.includes("s3:BypassGovernanceRetention"));
        assert.deepStrictEqual(deny.Condition, { ArnNotLike: { "aws:PrincipalARN": [BREAK_GLASS] } });
        assert.deepStrictEqual(
            statement(content, "DenyArchiveKeyChanges").Resource,
            ["trail", "config", "application-logs"].map((r) => keyArn(resources, r)),
        );
        assert.ok(String(scp.inputs.content).length <= 5120);

        const attachment = single(resources, "aws:organizations/policyAttachment:PolicyAttachment", "archive-scp-attachment");
        assert.strictEqual(attachment.account, MANAGEMENT);
        assert.deepStrictEqual([attachment.inputs.policyId, attachment.inputs.targetId], [scp.state.id, ARCHIVE]);
        const mustPrecede = resources.filter((r) => r.custom && r.account === ARCHIVE && !r.type.startsWith("pulumi:providers:"));
        // 5 buckets x (bucket, ownership, public access, versioning, encryption, lifecycle, policy), 4 logging, object lock, 3 keys
        assert.strictEqual(mustPrecede.length, 43);
        for (const r of mustPrecede) {
            assert.ok(attachment.dependencies.includes(r.urn), `the SCP attachment does not wait for ${r.name}`);
        }
    });

    it("attaches the SCP only once the account-level public access block it freezes is in place", async () => {
        const aws = await import("@pulumi/aws");
        const { LogArchiveAccount } = await import("../../components/log-archive-account");
        const { resources: withBlock } = await runUnderMocks(() => {
            const archive = new aws.Provider("archive", { region: "eu-west-1", allowedAccountIds: [ARCHIVE] });
            const management = new aws.Provider("management", { region: "eu-west-1", allowedAccountIds: [MANAGEMENT] });
            const block = new aws.s3.AccountPublicAccessBlock(
                "account-block",
                { blockPublicAcls: true, blockPublicPolicy: true, ignorePublicAcls: true, restrictPublicBuckets: true },
                { provider: archive },
            );
            const component = new LogArchiveAccount(
                "archive",
                { ...ARGS, managementProvider: management, accountPublicAccessBlock: block },
                { provider: archive },
            );
            return component.trailBucket.arn;
        });
        const block = single(withBlock, "aws:s3/accountPublicAccessBlock:AccountPublicAccessBlock", "account-block");
        const attachment = single(withBlock, "aws:organizations/policyAttachment:PolicyAttachment", "archive-scp-attachment");
        assert.ok(attachment.dependencies.includes(block.urn), "the SCP attachment does not wait for the account's public access block");
    });

    describe("account mode without SCP, in a region that opened after August 2022", () => {
        let accountMode: RecordedResource[];
        before(async () => {
            accountMode = await build(
                {
                    trailMode: "account",
                    protectWithScp: false,
                    objectLockMode: undefined,
                    objectLockDays: undefined,
                    glacierTransitionDays: 30,
                    logRetentionDays: 400,
                },
                "eu-central-2",
            );
        });

        it("admits only the management account's prefix, creates no SCP and no Object Lock", () => {
            assert.deepStrictEqual(
                policyOf(policyFor(accountMode, "trail")).Statement.map((s) => s.Sid),
                ["DenyInsecureTransport", "CloudTrailAclCheck", "CloudTrailWriteManagementAccount"],
            );
            assert.strictEqual(ofType(accountMode, "aws:organizations/policy:Policy").length, 0);
            assert.strictEqual(ofType(accountMode, "aws:organizations/policyAttachment:PolicyAttachment").length, 0);
            assert.strictEqual(ofType(accountMode, "aws:s3/bucketObjectLockConfiguration:BucketObjectLockConfiguration").length, 0);
            assert.strictEqual(single(accountMode, "aws:s3/bucket:Bucket", "archive-trail-bucket").inputs.objectLockEnabled, undefined);
        });

        it("uses only the log-delivery principal where no regional ELB account exists", () => {
            assert.deepStrictEqual(
                policyOf(policyFor(accountMode, "elb-logs")).Statement.map((s) => s.Sid),
                ["DenyInsecureTransport", "ElbLogDelivery"],
            );
        });

        it("admits the organization's FireLens roles without workload accounts, and takes lifecycle days from Args", () => {
            assert.deepStrictEqual(
                policyOf(policyFor(accountMode, "application-logs")).Statement.map((s) => s.Sid),
                ["DenyInsecureTransport", "FireLensWriteWithOwnerAcl", "FireLensUploadParts", "FireLensOwnObjects", "FireLensBucketAccess"],
            );
            assert.deepStrictEqual(
                policyOf(single(accountMode, "aws:kms/key:Key", "archive-application-logs-key").inputs.policy).Statement.map((s) => s.Sid),
                ["KeyAccountAdministers", "FireLensRolesEncryptThroughS3"],
            );
            const rule = (
                single(accountMode, "aws:s3/bucketLifecycleConfiguration:BucketLifecycleConfiguration", "archive-trail-bucket-lifecycle")
                    .inputs.rules as any[]
            )[0];
            assert.deepStrictEqual([rule.transitions[0].days, rule.expiration.days], [30, 400]);
        });
    });
});

describe("components/LogArchiveAccount validation", () => {
    let validate: (args: LogArchiveAccountArgs) => void;
    before(async () => {
        ({ resolveLogArchiveAccountArgs: validate } = await import("../../components/log-archive-account"));
    });
    const cases: Array<[string, Partial<LogArchiveAccountArgs>, string]> = [
        [
            "an invalid trail name",
            { trailName: "bad name!" },
            'LogArchiveAccount: `trailName` ("bad name!") is not a valid trail name. Use 3-128 letters, digits, ".", "_" or "-", starting and ending with a letter or digit.',
        ],
        [
            "a trail name with adjacent separators",
            { trailName: "org--logging" },
            'LogArchiveAccount: `trailName` ("org--logging") is not a valid trail name. Use 3-128 letters, digits, ".", "_" or "-", starting and ending with a letter or digit.',
        ],
        [
            "Object Lock days without a mode",
            { objectLockMode: undefined, objectLockDays: 30 },
            'LogArchiveAccount: `objectLockDays` (30) is set without `objectLockMode`. Set `objectLockMode` to "GOVERNANCE" or "COMPLIANCE", or remove `objectLockDays`.',
        ],
        [
            "a retention shorter than the lifecycle transition",
            { objectLockMode: undefined, objectLockDays: undefined, glacierTransitionDays: 90, logRetentionDays: 60 },
            "LogArchiveAccount: `logRetentionDays` (60) is not later than `glacierTransitionDays` (90), so logs would expire before or when they reach Glacier. Raise `logRetentionDays` or lower `glacierTransitionDays`.",
        ],
        [
            "an Object Lock longer than the retention",
            { objectLockDays: 3000 },
            "LogArchiveAccount: `objectLockDays` (3000) is longer than `logRetentionDays` (2557), so the lifecycle could never expire locked logs. Lower `objectLockDays` or raise `logRetentionDays`.",
        ],
        [
            "an SCP without management provider or break-glass role",
            { protectWithScp: true, breakGlassPrincipalArns: [] },
            "LogArchiveAccount: `managementProvider` (undefined) is required with `protectWithScp`. Pass the management account's provider, where SCPs live.\nLogArchiveAccount: `breakGlassPrincipalArns` ([]) is required with `protectWithScp`. Name the role that may still repair the archive.",
        ],
        [
            "a malformed organization id",
            { organizationId: "o-1" },
            'LogArchiveAccount: `organizationId` ("o-1") is not an AWS Organizations id such as o-a1b2c3d4e5. The archive admits the accounts of this organization.',
        ],
    ];
    for (const [what, change, message] of cases) {
        it(`rejects ${what}, naming the argument`, () => {
            assert.throws(() => validate({ ...ARGS, protectWithScp: false, ...change }), { message });
        });
    }

    it("reports every problem in one error", () => {
        assert.throws(
            () =>
                validate({
                    ...ARGS,
                    protectWithScp: false,
                    trailName: "x",
                    objectLockMode: undefined,
                    objectLockDays: 5,
                    logRetentionDays: 10,
                    glacierTransitionDays: 20,
                }),
            (err: Error) =>
                err.message.split("\n").length === 3 &&
                err.message.includes("`trailName`") &&
                err.message.includes("`objectLockDays`") &&
                err.message.includes("`logRetentionDays` (10)"),
        );
    });
});

describe("components/LogArchiveAccount: tags off the frozen path", () => {
    it("creates every archive bucket ignoring later tag changes, which the archive SCP would refuse", async () => {
        const aws = await import("@pulumi/aws");
        const { LogArchiveAccount } = await import("../../components/log-archive-account");
        const { ARCHIVE_S3_DENIED_ACTIONS } = await import("../../components/policies/scps");
        assert.ok(ARCHIVE_S3_DENIED_ACTIONS.includes("s3:PutBucketTagging"));
        const ignored: Record<string, string[] | undefined> = {};
        const capture: ResourceTransformation = (t) => {
            if (t.type === "aws:s3/bucket:Bucket") {
                ignored[t.name] = t.opts.ignoreChanges;
            }
            return undefined;
        };
        await runUnderMocks(() => {
            const provider = new aws.Provider("archive", {
                region: "eu-west-1",
                allowedAccountIds: [ARCHIVE],
                defaultTags: { tags: { team: "security" } },
            });
            return new LogArchiveAccount("archive", { ...ARGS, protectWithScp: false }, { provider, transformations: [capture] })
                .trailBucket.arn;
        });
        assert.deepStrictEqual(
            Object.keys(ignored).sort(),
            ["access-logs", "application-logs", "config", "elb-logs", "trail"].map((b) => `archive-${b}-bucket`),
        );
        for (const [bucket, changes] of Object.entries(ignored)) {
            assert.deepStrictEqual(changes, ["tags", "tagsAll"], bucket);
        }
    });
});
