import * as assert from "assert";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { stringify as toYaml } from "yaml";
import { runPlanCli, spawnPlanCli } from "../support/cli";
import { rawStackConfig, ROOT } from "../support/harness";

/** A program folder that runs infra/ with a modified copy of the production config. */
function stackWith(change: (config: any) => void): string {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "plan-config-"));
    const config = structuredClone(rawStackConfig("production")) as any;
    change(config);
    fs.writeFileSync(path.join(dir, "Pulumi.yaml"), toYaml({ name: "org-logging", runtime: "nodejs", main: path.join(ROOT, "infra") }));
    const prefixed = Object.fromEntries(Object.entries(config).map(([k, v]) => [`org-logging:${k}`, v]));
    fs.writeFileSync(path.join(dir, "Pulumi.production.yaml"), toYaml({ config: prefixed }));
    return dir;
}

describe("tools/plan (CLI)", () => {
    for (const stack of ["production", "integration"]) {
        it(`plans the ${stack} stack as one JSON document with no violations`, async () => {
            // production as a user runs it, in a process of its own: the exit status and a large document through a pipe.
            const args = ["--stack", stack, "--json"];
            const run = stack === "production" ? spawnPlanCli(args) : await runPlanCli(args);
            assert.strictEqual(run.status, 0, run.stderr);
            const report = JSON.parse(run.stdout);
            assert.deepStrictEqual(Object.keys(report), ["stack", "program", "resources", "violations", "outputs", "access"]);
            assert.strictEqual(report.stack, stack);
            assert.strictEqual(report.program, "org-logging");
            assert.deepStrictEqual(report.violations, []);
            const accounts = new Set(report.resources.map((r: any) => r.account));
            assert.ok(accounts.size >= 2, `accounts: ${[...accounts]}`);
            for (const r of report.resources) {
                assert.ok(r.urn.startsWith(`urn:pulumi:${stack}::org-logging::`), r.urn);
                assert.match(r.account, /^\d{12}$/, `${r.urn} has no account`);
                assert.strictEqual(r.region, "eu-west-1", r.urn);
            }
            const bucket = report.resources.find((r: any) => r.type === "aws:s3/bucketPolicy:BucketPolicy");
            assert.strictEqual(typeof bucket.inputs.policy, "string", "inputs are resolved plain values");
            assert.strictEqual(report.outputs.environment, stack);
        });
    }

    it("prints resources by account and the policy report as text", async () => {
        const run = await runPlanCli(["--stack", "production"]);
        assert.strictEqual(run.status, 0, run.stderr);
        assert.match(run.stdout, /^Account 222222222222 \(log-archive\) eu-west-1: \d+ resources$/m);
        assert.match(run.stdout, /^Policies: no violations$/m);
    });

    it("exits 1 and names the rule and the resource for a program that breaks a mandatory rule", async () => {
        const dir = path.join(ROOT, "test/fixtures/programs/s3-bucket-owner-full-control/cloudtrail-without-acl");
        const run = await runPlanCli(["--program", dir, "--stack", "production"]);
        assert.strictEqual(run.status, 1, run.stderr);
        assert.match(
            run.stdout,
            /\[mandatory\] s3-bucket-owner-full-control {2}urn:pulumi:production::cloudtrail-without-acl::aws:s3\/bucketPolicy:BucketPolicy::trail-logs-policy/,
        );
        const json = JSON.parse((await runPlanCli(["--program", dir, "--stack", "production", "--json"])).stdout);
        assert.deepStrictEqual(
            json.violations.map((v: any) => v.policy),
            ["s3-bucket-owner-full-control"],
        );
    });

    it("plans a bare program folder outside the repository with the repository's own @pulumi modules", async () => {
        const dir = fs.mkdtempSync(path.join(os.tmpdir(), "plan-outside-"));
        // What a user writes in a scratch folder: no Pulumi.yaml, no node_modules, the default provider.
        fs.writeFileSync(
            path.join(dir, "index.ts"),
            [
                'import * as aws from "@pulumi/aws";',
                'const bucket = new aws.s3.Bucket("logs");',
                'new aws.s3.BucketPolicy("logs-policy", { bucket: bucket.id, policy: bucket.arn.apply((arn) => JSON.stringify({',
                '    Version: "2012-10-17",',
                '    Statement: [{ Effect: "Allow", Principal: { Service: "cloudtrail.amazonaws.com" }, Action: "s3:PutObject", Resource: `${arn}/AWSLogs/*` }],',
                "})) });",
            ].join("\n"),
        );
        const run = await runPlanCli(["--program", dir, "--stack", "production", "--json"]);
        assert.strictEqual(run.status, 1, run.stderr);
        const report = JSON.parse(run.stdout);
        const policyUrn = `urn:pulumi:production::${path.basename(dir)}::aws:s3/bucketPolicy:BucketPolicy::logs-policy`;
        const named = report.violations.filter((v: any) => v.policy === "s3-bucket-owner-full-control" && v.urn === policyUrn);
        assert.strictEqual(named.length, 1, JSON.stringify(report.violations.map((v: any) => [v.policy, v.urn])));
        assert.match(
            named[0].message,
            /"cloudtrail\.amazonaws\.com" s3:PutObject without requiring "s3:x-amz-acl" = "bucket-owner-full-control"/,
        );
    });

    const badConfigs: Array<[string, (c: any) => void, string]> = [
        [
            "a bad account id",
            (c) => (c.accounts.logArchive.id = "12345"),
            'org-logging:accounts.logArchive.id: "12345" is not a 12-digit AWS account ID',
        ],
        ["a missing account", (c) => delete c.accounts.collection, "org-logging:accounts.collection: is required but missing"],
        [
            "an unknown trail mode",
            (c) => (c.trailMode = "everything"),
            'org-logging:trailMode: "everything" is not a trail mode (organization | account)',
        ],
    ];
    for (const [what, change, message] of badConfigs) {
        it(`exits 2 with one line naming the key for ${what}`, async () => {
            const run = await runPlanCli(["--program", stackWith(change), "--stack", "production", "--json"]);
            assert.strictEqual(run.status, 2);
            assert.strictEqual(run.stdout, "");
            const lines = run.stderr.trim().split("\n");
            assert.strictEqual(lines.length, 1, run.stderr);
            assert.ok(lines[0].includes(message), lines[0]);
            assert.ok(!/\n\s+at /.test(run.stderr), "no stack trace");
        });
    }

    it("exits 2 on bad arguments", () => {
        const run = spawnPlanCli(["--stack"]);
        assert.strictEqual(run.status, 2);
        assert.match(run.stderr, /^plan: --stack needs a value/);
    });
});
