import * as assert from "assert";
import { policyOf, RecordedResource, runUnderMocks, stackConfig, statement, unwrap } from "../support/harness";

const programRuns = new Map<string, Promise<{ resources: RecordedResource[]; outputs: Record<string, unknown> }>>();

/** One run of the whole program per stack, shared by the describes of this file (a run costs seconds). */
function programRun(stack: string): Promise<{ resources: RecordedResource[]; outputs: Record<string, unknown> }> {
    if (!programRuns.has(stack)) {
        programRuns.set(
            stack,
            (async () => {
                const { createOrgLogging } = await import("../../infra/program");
                const run = await runUnderMocks(() => createOrgLogging(stackConfig(stack)), { stack });
                return { resources: run.resources, outputs: (await unwrap(run.result)) as Record<string, unknown> };
            })(),
        );
    }
    return programRuns.get(stack)!;
}

describe("infra/program", () => {
    for (const stack of ["integration", "production"]) {
        describe(`stack ${stack}`, () => {
            let resources: RecordedResource[];
            let outputs: Record<string, unknown>;
            const config = stackConfig(stack);

            before(async () => {
                ({ resources, outputs } = await programRun(stack));
            });

            it("makes exactly one provider per core account, each assuming that account's role, and none per workload account", () => {
                const providers = resources.filter((r) => r.type === "pulumi:providers:aws");
                const { management, logArchive, collection, audit } = config.accounts;
                const expected = [management, logArchive, collection, ...(audit ? [audit] : [])];
                assert.strictEqual(providers.length, expected.length);
                for (const account of expected) {
                    const provider = providers.find((p) => p.account === account.id);
                    assert.ok(provider, `no provider for ${account.id}`);
                    const roles = JSON.parse(String(provider.inputs.assumeRoles));
                    assert.strictEqual(roles[0].roleArn, account.roleArn);
                    assert.strictEqual(roles[0].sessionName, `org-logging-${config.environment}`);
                    assert.deepStrictEqual(JSON.parse(String(provider.inputs.allowedAccountIds)), [account.id]);
                    assert.deepStrictEqual(JSON.parse(String(provider.inputs.defaultTags)).tags, {
                        environment: config.environment,
                        "managed-by": "org-logging",
                    });
                    assert.strictEqual(provider.inputs.region, config.region);
                }
            });

            it("creates every resource through an explicit account provider, none through the default one", () => {
                const providerUrns = new Set(resources.filter((r) => r.type === "pulumi:providers:aws").map((r) => r.urn));
                const custom = resources.filter((r) => r.custom && !r.type.startsWith("pulumi:providers:"));
                assert.ok(custom.length > 0);
                for (const r of custom) {
                    assert.ok(r.provider && providerUrns.has(r.provider), `${r.urn} uses provider ${r.provider}`);
                    assert.notStrictEqual(r.account, "default", `${r.urn} runs in the default account`);
                }
            });

            it("puts the archive in the log-archive account", () => {
                const buckets = resources.filter((r) => r.type === "aws:s3/bucket:Bucket" && r.parent?.includes("LogArchiveAccount"));
                assert.ok(buckets.length >= 1);
                buckets.forEach((b) => assert.strictEqual(b.account, config.accounts.logArchive.id));
            });

            it("exports the outputs contract with real account values", () => {
                assert.strictEqual(outputs.environment, stack);
                assert.deepStrictEqual(outputs.accounts, {
                    management: config.accounts.management.id,
                    logArchive: config.accounts.logArchive.id,
                    collection: config.accounts.collection.id,
                    ...(config.accounts.audit ? { audit: config.accounts.audit.id } : {}),
                });
                assert.match(String(outputs.trailBucketArn), /^arn:aws:s3:::/);
                assert.match(
                    String(outputs.trailKeyArn),
                    new RegExp(`^arn:aws:kms:${config.region}:${config.accounts.logArchive.id}:key/`),
                );
            });
        });
    }
});

describe("infra/program: log archive, trail and baselines", () => {
    for (const stack of ["integration", "production"]) {
        describe(`stack ${stack}`, () => {
            const config = stackConfig(stack);
            const production = stack === "production";
            const { management, logArchive } = config.accounts;
            const trailArn = `arn:aws:cloudtrail:${config.region}:${management.id}:trail/org-logging`;
            let resources: RecordedResource[];
            let outputs: Record<string, unknown>;
            const one = (type: string, name: string) => {
                const found = resources.filter((r) => r.type === type && r.name === name);
                assert.strictEqual(found.length, 1, `${type} ${name}`);
                return found[0];
            };
            const children = (componentType: string) => {
                const components = new Set(resources.filter((r) => r.type === componentType).map((r) => r.urn));
                return resources.filter((r) => r.custom && r.parent && components.has(r.parent));
            };

            before(async () => {
                ({ resources, outputs } = await programRun(stack));
            });

            it("builds the trail in the management account and the archive in the log-archive account", () => {
                children("orglog:index:OrgTrail")
                    .filter((r) => !r.type.startsWith("aws:organizations/"))
                    .forEach((r) => assert.strictEqual(r.account, management.id, r.name));
                const archive = children("orglog:index:LogArchiveAccount");
                assert.strictEqual(archive.filter((r) => r.type === "aws:s3/bucket:Bucket").length, 5);
                archive
                    .filter((r) => !r.type.startsWith("aws:organizations/"))
                    .forEach((r) => assert.strictEqual(r.account, logArchive.id, r.name));
            });

            it(`creates ${production ? "the organization" : "an account"} trail that the archive's policies admit`, () => {
                const trail = one("aws:cloudtrail/trail:Trail", "org-trail-trail");
                assert.strictEqual(trail.state.arn, trailArn);
                assert.strictEqual(trail.inputs.isOrganizationTrail, production);
                const bucket = one("aws:s3/bucket:Bucket", "log-archive-trail-bucket");
                assert.strictEqual(trail.inputs.s3BucketName, bucket.state.bucket);
                const policy = one("aws:s3/bucketPolicy:BucketPolicy", "log-archive-trail-bucket-policy");
                assert.ok(
                    trail.dependencies.includes(policy.urn) &&
                        trail.dependencies.includes(one("aws:kms/key:Key", "log-archive-trail-key").urn),
                );
                const writes = policyOf(policy.inputs.policy).Statement.filter((s) => s.Action === "s3:PutObject");
                assert.deepStrictEqual(
                    writes.map((s) => s.Resource),
                    [management.id, ...(production ? [config.organizationId] : [])].map(
                        (prefix) => `${bucket.state.arn}/AWSLogs/${prefix}/*`,
                    ),
                );
                writes.forEach((s) =>
                    assert.deepStrictEqual(s.Condition, {
                        StringEquals: { "s3:x-amz-acl": "bucket-owner-full-control", "aws:SourceArn": trailArn },
                    }),
                );
            });

            it(`${production ? "locks the trail bucket in governance mode for 365 days" : "creates no Object Lock in the sandbox"}`, () => {
                const locks = resources.filter((r) => r.type === "aws:s3/bucketObjectLockConfiguration:BucketObjectLockConfiguration");
                assert.deepStrictEqual(
                    locks.map((l) => l.inputs.rule),
                    production ? [{ defaultRetention: { mode: "GOVERNANCE", days: 365 } }] : [],
                );
            });

            it(`${production ? "attaches the archive SCP to the log-archive account and the trail SCP to the root" : "creates no SCP"}`, () => {
                const scps = resources.filter((r) => r.type === "aws:organizations/policy:Policy");
                const attachments = resources.filter((r) => r.type === "aws:organizations/policyAttachment:PolicyAttachment");
                if (!production) {
                    assert.deepStrictEqual([scps.length, attachments.length], [0, 0]);
                    return;
                }
                [...scps, ...attachments].forEach((r) => assert.strictEqual(r.account, management.id, r.name));
                const archiveScp = one("aws:organizations/policy:Policy", "log-archive-scp");
                const attachment = one("aws:organizations/policyAttachment:PolicyAttachment", "log-archive-scp-attachment");
                assert.deepStrictEqual([attachment.inputs.policyId, attachment.inputs.targetId], [archiveScp.state.id, logArchive.id]);
                // The SCP freezes the account-level public access block, so the baseline must set it first.
                assert.ok(
                    attachment.dependencies.includes(
                        one("aws:s3/accountPublicAccessBlock:AccountPublicAccessBlock", "log-archive-s3-public-access-block").urn,
                    ),
                );
                const deny = statement(archiveScp.inputs.content, "DenyArchiveBucketChanges");
                const buckets = resources
                    .filter((r) => r.type === "aws:s3/bucket:Bucket" && r.name.startsWith("log-archive-"))
                    .map((b) => String(b.state.arn));
                assert.deepStrictEqual([...deny.Resource].sort(), buckets.flatMap((b) => [b, `${b}/*`]).sort());
                // SCPs never bind the management account: the exception is the break-glass role inside the archive account.
                const breakGlass = `arn:aws:iam::${logArchive.id}:role/OrgLoggingBreakGlass`;
                assert.deepStrictEqual(deny.Condition, { ArnNotLike: { "aws:PrincipalARN": [breakGlass] } });
                assert.deepStrictEqual(statement(archiveScp.inputs.content, "DenyBreakGlassRoleChanges").Resource, [breakGlass]);
                const trailScp = one("aws:organizations/policy:Policy", "org-trail-scp");
                assert.ok(statement(trailScp.inputs.content, "DenyTrailChanges").Action.includes("cloudtrail:StopLogging"));
                assert.strictEqual(
                    one("aws:organizations/policyAttachment:PolicyAttachment", "org-trail-scp-attachment-root").inputs.policyId,
                    trailScp.state.id,
                );
            });

            it("deploys no per-account baseline; the config bucket admits the delivery channels of the organization's accounts", () => {
                assert.deepStrictEqual(
                    resources.filter((r) => r.type === "orglog:index:AccountBaseline" || r.type === "aws:cfg/recorder:Recorder"),
                    [],
                );
                const configBucket = one("aws:s3/bucket:Bucket", "log-archive-config-bucket");
                const delivery = policyOf(
                    one("aws:s3/bucketPolicy:BucketPolicy", "log-archive-config-bucket-policy").inputs.policy,
                ).Statement.filter((s) => s.Action === "s3:PutObject");
                assert.deepStrictEqual(
                    delivery.map((s) => [s.Resource, s.Condition.StringEquals["aws:SourceOrgID"]]),
                    [[`${configBucket.state.arn}/AWSLogs/\${aws:SourceAccount}/Config/*`, config.organizationId]],
                );
            });

            it("admits ALB logs and FireLens roles of the organization, naming no account", () => {
                const elb = one("aws:s3/bucket:Bucket", "log-archive-elb-logs-bucket");
                assert.deepStrictEqual(
                    statement(one("aws:s3/bucketPolicy:BucketPolicy", "log-archive-elb-logs-bucket-policy").inputs.policy, "ElbLogDelivery")
                        .Resource,
                    `${elb.state.arn}/AWSLogs/*`,
                );
                const fireLens = statement(
                    one("aws:s3/bucketPolicy:BucketPolicy", "log-archive-application-logs-bucket-policy").inputs.policy,
                    "FireLensWriteWithOwnerAcl",
                );
                assert.strictEqual(fireLens.Condition.StringEquals["aws:PrincipalOrgID"], config.organizationId);
                assert.deepStrictEqual(fireLens.Condition.ArnLike["aws:PrincipalArn"], "arn:aws:iam::*:role/firelens-*");
            });

            it("exports the log archive's part of the outputs contract with real values", () => {
                const arnOf = (type: string, name: string) => String(one(type, name).state.arn);
                assert.deepStrictEqual(
                    {
                        organizationId: outputs.organizationId,
                        trailBucketArn: outputs.trailBucketArn,
                        configBucketName: outputs.configBucketName,
                        elbLogsBucketArn: outputs.elbLogsBucketArn,
                        accessLogsBucketName: outputs.accessLogsBucketName,
                        applicationLogsBucketArn: outputs.applicationLogsBucketArn,
                        applicationLogsKeyArn: outputs.applicationLogsKeyArn,
                        trailArn: outputs.trailArn,
                        trailLogGroupName: outputs.trailLogGroupName,
                        alarmTopicArn: outputs.alarmTopicArn,
                    },
                    {
                        organizationId: config.organizationId,
                        trailBucketArn: arnOf("aws:s3/bucket:Bucket", "log-archive-trail-bucket"),
                        configBucketName: one("aws:s3/bucket:Bucket", "log-archive-config-bucket").state.bucket,
                        elbLogsBucketArn: arnOf("aws:s3/bucket:Bucket", "log-archive-elb-logs-bucket"),
                        accessLogsBucketName: one("aws:s3/bucket:Bucket", "log-archive-access-logs-bucket").state.bucket,
                        applicationLogsBucketArn: arnOf("aws:s3/bucket:Bucket", "log-archive-application-logs-bucket"),
                        applicationLogsKeyArn: arnOf("aws:kms/key:Key", "log-archive-application-logs-key"),
                        trailArn,
                        trailLogGroupName: "/org-logging/cloudtrail/org-logging",
                        alarmTopicArn: arnOf("aws:sns/topic:Topic", "org-trail-alarm-topic"),
                    },
                );
                assert.match(String(outputs.alarmTopicArn), new RegExp(`^arn:aws:sns:${config.region}:${management.id}:`));
                for (const name of ["trailBucketName", "elbLogsBucketName", "applicationLogsBucketName", "trailKeyArn"]) {
                    assert.ok(typeof outputs[name] === "string" && outputs[name] !== "", name);
                }
            });
        });
    }
});
