import * as assert from "assert";
import * as fs from "fs";
import * as path from "path";
import { formatPlanText, PlanReport } from "../../tools/plan-report";
import { ROOT } from "../support/harness";

/** README.md and every Markdown file under docs/, with their paths relative to the repository. */
function docs(): [string, string][] {
    const files = ["README.md", ...fs.readdirSync(path.join(ROOT, "docs"), { recursive: true }).map((f) => path.join("docs", String(f)))];
    return files.filter((f) => fs.statSync(path.join(ROOT, f)).isFile()).map((f) => [f, fs.readFileSync(path.join(ROOT, f), "utf8")]);
}

describe("docs (product text)", () => {
    it('name no internal work items or source documents (grep -rniE "issue [0-9]|field document" README.md docs/ is empty)', () => {
        const hits = docs().flatMap(([file, text]) =>
            text.split("\n").flatMap((line, i) => (/issue [0-9]|field document/i.test(line) ? [`${file}:${i + 1}: ${line}`] : [])),
        );
        assert.deepStrictEqual(hits, []);
    });

    it("name every secrets.conf example secret under log-collection/<env>/, the prefix the collectors may read", () => {
        const agent = fs.readFileSync(path.join(ROOT, "docs/agent.md"), "utf8");
        const example = agent.split("## `secrets.conf`")[1].split("```")[1];
        const names = [...example.matchAll(/:secret:([^\s#]+)/g)].map((m) => m[1]);
        assert.strictEqual(names.length, 2, example);
        for (const name of names) {
            assert.match(name, /^log-collection\/(production|integration)\/[\w-]+$/);
        }
    });

    it("tell the operator to confirm the e-mail subscriptions", () => {
        const operations = fs.readFileSync(path.join(ROOT, "docs/operations.md"), "utf8");
        const section = operations.split("## Confirm the e-mail subscriptions")[1]?.split("\n## ")[0];
        assert.ok(section, "docs/operations.md has no e-mail confirmation section");
        assert.match(section, /org-logging:alarmEmail/);
        assert.match(section, /PendingConfirmation/);
        assert.match(fs.readFileSync(path.join(ROOT, "README.md"), "utf8"), /Confirm the e-mail subscriptions/);
    });
});

describe("docs/costs.md", () => {
    const costs = fs.readFileSync(path.join(ROOT, "docs/costs.md"), "utf8");

    it("gives every price with its AWS pricing page, and says when and for which region the prices were taken", () => {
        assert.match(costs, /taken on \*\*\d{4}-\d{2}-\d{2}\*\*/);
        assert.match(costs, /us-east-1/);
        const table = costs.split("## Prices used")[1].split("\n## ")[0];
        const rows = table.split("\n").filter((line) => line.startsWith("| ") && !line.startsWith("| item") && !line.startsWith("|---"));
        assert.ok(rows.length >= 15, table);
        for (const row of rows) {
            assert.match(
                row,
                /\| https:\/\/aws\.amazon\.com\/[\w-]+\/(pricing|on-demand)\/ \|$|\| https:\/\/aws\.amazon\.com\/ec2\/pricing\/on-demand\/ \|$/,
                row,
            );
        }
        for (const item of [
            "KMS",
            "CloudTrail management events",
            "CloudTrail data events",
            "CloudWatch Logs",
            "NAT gateway",
            "Network Load Balancer",
            "EC2",
            "S3 Standard",
            "Glacier",
            "Athena",
            "AWS Config",
        ]) {
            assert.ok(
                rows.some((row) => row.includes(item)),
                item,
            );
        }
    });

    it("estimates the fixed part, each additional account and each additional region", () => {
        for (const heading of ["## The default production stack: fixed part", "## Per additional account", "## Per additional region"]) {
            assert.ok(costs.includes(`\n${heading}\n`), heading);
        }
        assert.match(costs, /first copy free/);
        assert.match(costs, /organization's management events|management events of the\s+organization/);
    });
});

describe("plan text (counts)", () => {
    const report = (resources: number, violations: number): PlanReport => ({
        stack: "s",
        program: "p",
        resources: Array.from({ length: resources }, (_, i) => ({
            urn: `urn:${i}`,
            type: "aws:s3/bucket:Bucket",
            name: `b${i}`,
            account: "111111111111",
            region: "eu-west-1",
            inputs: {},
            options: { protect: false, retainOnDelete: false, ignoreChanges: [], deleteBeforeReplace: false, dependsOn: [] },
        })),
        violations: Array.from({ length: violations }, () => ({ policy: "x", message: "m", enforcementLevel: "advisory" }) as any),
        outputs: {},
    });

    it("uses the singular for one resource, account and violation", () => {
        const text = formatPlanText(report(1, 1));
        assert.match(text, /^Plan of p \(stack s\): 1 resource in 1 account$/m);
        assert.match(text, /^Account 111111111111 eu-west-1: 1 resource$/m);
        assert.match(text, /^Policies: 1 violation, 0 mandatory$/m);
    });

    it("uses the plural otherwise", () => {
        const text = formatPlanText(report(2, 2));
        assert.match(text, /^Plan of p \(stack s\): 2 resources in 1 account$/m);
        assert.match(text, /^Policies: 2 violations, 0 mandatory$/m);
    });
});
