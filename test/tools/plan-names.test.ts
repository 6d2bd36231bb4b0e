import * as assert from "assert";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { stringify as toYaml } from "yaml";
import { accountNameKey, MAX_ACCOUNT_KEY_LENGTH } from "../../infra/naming";
import { NAME_LIMITS, physicalNameProblem } from "../../tools/mock-resources";
import { runPlanCli } from "../support/cli";
import { rawStackConfig, ROOT } from "../support/harness";

/** A scratch program folder holding one `index.ts`. */
function program(lines: string[]): string {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "plan-names-"));
    fs.writeFileSync(path.join(dir, "index.ts"), lines.join("\n"));
    return dir;
}

describe("physical names AWS accepts", () => {
    it("auto-names as the provider does and exits 2 naming the resource, the name and the limit instead of truncating", async () => {
        const dir = program([
            'import * as aws from "@pulumi/aws";',
            'new aws.cloudwatch.EventRule("workload-account-with-a-rather-long-name-non-compliant-rule", { eventPattern: "{}" });',
        ]);
        const run = await runPlanCli(["--program", dir, "--stack", "production"]);
        assert.strictEqual(run.status, 2, run.stderr);
        const urn = `urn:pulumi:production::${path.basename(dir)}::aws:cloudwatch/eventRule:EventRule::workload-account-with-a-rather-long-name-non-compliant-rule`;
        assert.match(
            run.stderr,
            new RegExp(
                `^plan: .*${urn.replace(/[$.]/g, "\\$&")}: name "workload-account-with-a-rather-long-name-non-compliant-rule-[0-9a-f]{7}" is 67 characters; AWS allows at most 64 for aws:cloudwatch/eventRule:EventRule\\. Shorten the logical name or the name the program gives it\n$`,
            ),
        );
        assert.strictEqual(run.stderr.trim().split("\n").length, 1, "one line, no stack trace");
    });

    it("refuses a bucket name the program gives with upper-case letters, and a load balancer over 32 characters", async () => {
        const bucket = await runPlanCli([
            "--program",
            program(['import * as aws from "@pulumi/aws";', 'new aws.s3.Bucket("logs", { bucket: "Org-Logs" });']),
            "--stack",
            "production",
        ]);
        assert.strictEqual(bucket.status, 2, bucket.stderr);
        assert.match(
            bucket.stderr,
            /aws:s3\/bucket:Bucket::logs: bucket "Org-Logs" has characters AWS refuses for aws:s3\/bucket:Bucket \(lower-case letters, digits, dots and dashes/,
        );
        assert.strictEqual(
            physicalNameProblem("aws:lb/loadBalancer:LoadBalancer", { name: "collectors-nlb-0123456789abcdef01" }),
            'name "collectors-nlb-0123456789abcdef01" is 33 characters; AWS allows at most 32 for aws:lb/loadBalancer:LoadBalancer',
        );
        assert.strictEqual(
            physicalNameProblem("aws:lb/loadBalancer:LoadBalancer", { name: "collectors-nlb-0123456789abcdef0" }),
            undefined,
        );
    });

    it("knows AWS's limits for the types the program names", () => {
        const limits = Object.fromEntries(Object.entries(NAME_LIMITS).map(([type, l]) => [type, l.max]));
        assert.strictEqual(limits["aws:s3/bucket:Bucket"], 63);
        assert.strictEqual(limits["aws:iam/role:Role"], 64);
        assert.strictEqual(limits["aws:iam/policy:Policy"], 128);
        assert.strictEqual(limits["aws:cloudwatch/eventRule:EventRule"], 64);
        assert.strictEqual(limits["aws:lb/targetGroup:TargetGroup"], 32);
        assert.strictEqual(limits["aws:cfg/organizationManagedRule:OrganizationManagedRule"], 64);
        assert.strictEqual(limits["aws:sns/topic:Topic"], 256);
        assert.strictEqual(limits["aws:cloudwatch/logGroup:LogGroup"], 512);
        assert.strictEqual(limits["aws:lambda/function:Function"], 64);
    });

    it("turns free-text account names into short keys, unique per account, and keeps short slugs as they are", () => {
        const fifty = "Payments Platform Production EU West Shared Svc 01";
        assert.strictEqual(fifty.length, 50);
        assert.strictEqual(accountNameKey(fifty, "444444444444"), "payments-444444");
        assert.strictEqual(accountNameKey(fifty, "444444555555"), "payments-555555");
        assert.strictEqual(accountNameKey("payments", "444444444444"), "payments");
        assert.strictEqual(accountNameKey("Payments", "444444444444"), "payments-444444");
        assert.strictEqual(accountNameKey("  ## 42 ", "123456789012"), "account-789012");
        for (const name of [fifty, "a".repeat(63), "Ünïcode näme", "x"]) {
            assert.ok(accountNameKey(name, "123456789012").length <= MAX_ACCOUNT_KEY_LENGTH, name);
            assert.match(accountNameKey(name, "123456789012"), /^[a-z]([a-z0-9-]*[a-z0-9])?$/);
        }
    });

    it("plans production with an organization whose account names are 50 characters with spaces: exit 0, no violation", async function () {
        this.timeout(60000);
        const name = (label: string) => `${label} Workload Account With Spaces And Long Na`.padEnd(50, "x").slice(0, 50);
        const ids = [
            "111111111111",
            "222222222222",
            "333333333333",
            "444444444444",
            "555555555555",
            ...Array.from({ length: 20 }, (_, i) => String(700000000000 + i)),
        ];
        const organization = {
            id: "o-a1b2c3d4e5",
            masterAccountId: "111111111111",
            roots: [{ id: "r-a1b2" }],
            accounts: ids.map((id, i) => ({
                id,
                name: name(`Team ${String(i).padStart(2, "0")}`),
                email: `aws+${id}@example.com`,
                status: "ACTIVE",
            })),
        };
        assert.ok(organization.accounts.every((a) => a.name.length === 50 && a.name.includes(" ")));
        const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), "plan-org-")), "organization.json");
        fs.writeFileSync(file, JSON.stringify(organization));
        const run = await runPlanCli(["--stack", "production", "--organization", file, "--json"]);
        assert.strictEqual(run.status, 0, run.stderr);
        assert.deepStrictEqual(JSON.parse(run.stdout).violations, []);
    });

    it("plans production with 63-character workload account names: exit 0, every physical name within its limit", async function () {
        this.timeout(60000);
        const dir = fs.mkdtempSync(path.join(os.tmpdir(), "plan-long-names-"));
        const config = structuredClone(rawStackConfig("production")) as any;
        config.workloadAccounts[0].name = `${"a".repeat(10)}-${"b".repeat(52)}`;
        config.workloadAccounts[1].name = `${"a".repeat(10)}-${"c".repeat(52)}`;
        fs.writeFileSync(path.join(dir, "Pulumi.yaml"), toYaml({ name: "org-logging", runtime: "nodejs", main: path.join(ROOT, "infra") }));
        fs.writeFileSync(
            path.join(dir, "Pulumi.production.yaml"),
            toYaml({ config: Object.fromEntries(Object.entries(config).map(([k, v]) => [`org-logging:${k}`, v])) }),
        );
        const run = await runPlanCli(["--program", dir, "--stack", "production", "--json"]);
        assert.strictEqual(run.status, 0, run.stderr);
        const report = JSON.parse(run.stdout);
        // Workload accounts name no resource: the organization baseline reaches them through its StackSet.
        assert.deepStrictEqual(
            report.resources.filter((r: any) => r.name.includes("aaaaaaaaa")).map((r: any) => r.name),
            [],
        );
        assert.deepStrictEqual(report.violations, []);
    });
});
