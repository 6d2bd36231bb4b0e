import * as assert from "assert";
import { runPlanCli } from "../support/cli";

/** The production plan as JSON, run with extra environment variables. */
async function planProduction(extra: Record<string, string> = {}): Promise<any> {
    const env = { ...process.env, ORG_LOGGING_PREVIEW: "", ORG_LOGGING_BREAK_GLASS: "", ...extra };
    const run = await runPlanCli(["--stack", "production", "--json"], env);
    assert.strictEqual(run.status, 0, run.stderr);
    return JSON.parse(run.stdout);
}

const isProvider = (r: any) => r.type.startsWith("pulumi:providers:");
const roleOf = (r: any) => JSON.parse(r.inputs.assumeRoles)[0].roleArn;
/** Everything but the providers' assumed roles. */
function comparable(report: any): unknown {
    return report.resources.map((r: any) => (isProvider(r) ? { ...r, inputs: { ...r.inputs, assumeRoles: undefined } } : r));
}

describe("deployment path: provider roles chosen by the environment", () => {
    let normal: any;
    before(async function () {
        this.timeout(120000);
        normal = await planProduction();
    });

    it("records each resource's options; archive buckets and keys are retained and protected in production", () => {
        const archive = normal.resources.filter(
            (r: any) => r.parent?.endsWith("::log-archive") && (r.type === "aws:s3/bucket:Bucket" || r.type === "aws:kms/key:Key"),
        );
        assert.deepStrictEqual(archive.map((r: any) => r.name).sort(), [
            "log-archive-access-logs-bucket",
            "log-archive-application-logs-bucket",
            "log-archive-application-logs-key",
            "log-archive-config-bucket",
            "log-archive-config-key",
            "log-archive-elb-logs-bucket",
            "log-archive-trail-bucket",
            "log-archive-trail-key",
        ]);
        for (const r of archive) {
            assert.strictEqual(r.options.retainOnDelete, true, r.urn);
            assert.strictEqual(r.options.protect, true, r.urn);
        }
        for (const r of normal.resources) {
            assert.deepStrictEqual(
                Object.keys(r.options),
                ["protect", "retainOnDelete", "ignoreChanges", "deleteBeforeReplace", "dependsOn"],
                r.urn,
            );
        }
        const attachment = normal.resources.find(
            (r: any) => r.type === "aws:organizations/policyAttachment:PolicyAttachment" && r.parent?.endsWith("::log-archive"),
        );
        assert.ok(
            attachment.options.dependsOn.some((urn: string) => urn.endsWith("::log-archive-trail-bucket")),
            "the archive SCP waits for the bucket",
        );
        const policy = normal.resources.find((r: any) => r.name === "log-archive-trail-bucket-policy");
        // S3 aborts overlapping configuration calls on one bucket: the policy waits for the public access block.
        assert.deepStrictEqual(policy.options, {
            protect: false,
            retainOnDelete: false,
            ignoreChanges: [],
            deleteBeforeReplace: false,
            dependsOn: [
                policy.urn.replace(
                    "bucketPolicy:BucketPolicy::log-archive-trail-bucket-policy",
                    "bucketPublicAccessBlock:BucketPublicAccessBlock::log-archive-trail-bucket-public-access",
                ),
            ],
        });
    });

    it("ORG_LOGGING_PREVIEW=true: every provider assumes its account's OrgLoggingPreview role and nothing else changes", async function () {
        this.timeout(120000);
        const preview = await planProduction({ ORG_LOGGING_PREVIEW: "true" });
        assert.deepStrictEqual(comparable(preview), comparable(normal));
        const providers = preview.resources.filter(isProvider);
        assert.ok(providers.length >= 3);
        for (const p of providers) {
            assert.strictEqual(roleOf(p), `arn:aws:iam::${p.account}:role/OrgLoggingPreview`, p.urn);
        }
        for (const p of normal.resources.filter(isProvider)) {
            assert.strictEqual(roleOf(p), `arn:aws:iam::${p.account}:role/OrgLoggingDeployer`, p.urn);
        }
    });

    it("ORG_LOGGING_BREAK_GLASS=true: only the log-archive provider assumes the break-glass role", async function () {
        this.timeout(120000);
        const breakGlass = await planProduction({ ORG_LOGGING_BREAK_GLASS: "true" });
        assert.deepStrictEqual(comparable(breakGlass), comparable(normal));
        const changed = breakGlass.resources
            .filter(isProvider)
            .filter((p: any, i: number) => roleOf(p) !== roleOf(normal.resources.filter(isProvider)[i]));
        assert.deepStrictEqual(
            changed.map((p: any) => [p.name, roleOf(p)]),
            [["aws-log-archive", "arn:aws:iam::222222222222:role/OrgLoggingBreakGlass"]],
        );
    });

    it("refuses a value that is not true or false with exit 2", async () => {
        const run = await runPlanCli(["--stack", "production", "--json"], { ...process.env, ORG_LOGGING_PREVIEW: "yes" });
        assert.strictEqual(run.status, 2);
        assert.strictEqual(
            run.stderr.trim(),
            'plan: ORG_LOGGING_PREVIEW: "yes" is not true or false. Set ORG_LOGGING_PREVIEW=true or leave it unset',
        );
    });
});
