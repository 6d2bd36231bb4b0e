import * as assert from "assert";
import { RecordedResource, runUnderMocks, stackConfig } from "../support/harness";

describe("infra/program", () => {
    for (const stack of ["integration", "production"]) {
        describe(`stack ${stack}`, () => {
            let resources: RecordedResource[];
            let outputs: Record<string, unknown>;
            const config = stackConfig(stack);

            before(async () => {
                const { createOrgLogging } = await import("../../infra/program");
                const run = await runUnderMocks(() => createOrgLogging(config), { stack });
                resources = run.resources;
                outputs = (await import("../support/harness").then((h) => h.unwrap(run.result))) as Record<string, unknown>;
            });

            it("makes one provider per account, each assuming that account's role", () => {
                const providers = resources.filter((r) => r.type === "pulumi:providers:aws");
                const expected = [config.accounts.management, config.accounts.logArchive, config.accounts.collection, ...config.workloadAccounts];
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
                });
                assert.match(String(outputs.trailBucketArn), /^arn:aws:s3:::/);
                assert.match(String(outputs.trailKeyArn), new RegExp(`^arn:aws:kms:${config.region}:${config.accounts.logArchive.id}:key/`));
            });
        });
    }
});
