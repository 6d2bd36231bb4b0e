// The deliberately bad programs under test/fixtures/programs/<rule>/<case>/: each must make the
// plan exit 1 naming its rule. Every folder is planned by tools/plan-fixtures.ts, which runs the
// plan CLI's own `plan()` for each folder in one process (one CLI start per folder would cost a
// second or more each); one folder also goes through the CLI itself, with --policy-config.
import * as assert from "assert";
import { spawnSync } from "child_process";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { policies } from "../../policy-pack/policies";
import type { FixturePlan } from "../../tools/plan-fixtures";
import { runPlanCli } from "../support/cli";
import { ROOT } from "../support/harness";

const FIXTURES = path.join(ROOT, "test/fixtures/programs");
const THE_THREE = ["s3-bucket-owner-full-control", "ssm-send-command-tag-scoped", "secret-naming-convention"];

/**
 * Rules that rightly fire next to the one a fixture is about: `"*:*"` on `"*"` also allows
 * ssm:SendCommand untagged and secretsmanager:GetSecretValue on every secret.
 */
const ALSO_EXPECTED: Record<string, string[]> = {
    "iam-no-full-admin/star-star": ["ssm-send-command-tag-scoped", "secret-naming-convention"],
};

const folders = fs
    .readdirSync(FIXTURES, { withFileTypes: true })
    .filter((rule) => rule.isDirectory() && !rule.name.startsWith("_"))
    .flatMap((rule) =>
        fs
            .readdirSync(path.join(FIXTURES, rule.name), { withFileTypes: true })
            .filter((c) => c.isDirectory())
            .map((c) => `${rule.name}/${c.name}`),
    )
    .sort();

function writeConfig(config: unknown): string {
    const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), "policy-config-")), "policy-config.json");
    fs.writeFileSync(file, JSON.stringify(config));
    return file;
}

describe("policy-pack fixtures (deliberately bad programs)", () => {
    let plans: Map<string, FixturePlan>;

    before(function () {
        this.timeout(180_000);
        const run = spawnSync(
            process.execPath,
            [
                "-r",
                path.join(ROOT, "tools/register-ts.js"),
                path.join(ROOT, "tools/plan-fixtures.ts"),
                "--stack",
                "production",
                "--under",
                FIXTURES,
            ],
            { cwd: ROOT, encoding: "utf8", maxBuffer: 256 * 1024 * 1024 },
        );
        assert.strictEqual(run.status, 0, run.stderr);
        const results = JSON.parse(run.stdout) as FixturePlan[];
        plans = new Map(results.map((r) => [path.relative(FIXTURES, r.program), r]));
    });

    it("has a folder for every rule of the pack, and several for the three named rules", () => {
        const byRule = new Map<string, number>();
        folders.forEach((f) => byRule.set(f.split("/")[0], (byRule.get(f.split("/")[0]) ?? 0) + 1));
        assert.deepStrictEqual([...byRule.keys()].sort(), policies.map((p) => p.name).sort());
        for (const rule of THE_THREE) {
            assert.ok((byRule.get(rule) ?? 0) >= 3, `${rule} has ${byRule.get(rule)} fixtures`);
        }
        assert.deepStrictEqual([...plans.keys()].sort(), folders);
    });

    for (const folder of folders) {
        const [rule, fixture] = folder.split("/");
        it(`${folder}: the plan exits 1 on a mandatory ${rule} violation, and only on the expected rules`, () => {
            const plan = plans.get(folder);
            assert.ok(plan, `${folder} was not planned`);
            assert.strictEqual(plan.error, undefined);
            assert.strictEqual(plan.status, 1, JSON.stringify(plan.violations, null, 1));
            const mine = plan.violations.filter((v) => v.policy === rule);
            assert.ok(mine.length > 0 && mine.every((v) => v.enforcementLevel === "mandatory"), JSON.stringify(plan.violations, null, 1));
            for (const v of mine) {
                assert.ok(v.urn?.startsWith(`urn:pulumi:production::${fixture}::`), v.urn);
                assert.match(v.message, /\. [A-Z].*\.$/, "the message ends with how to fix it");
            }
            const others = [...new Set(plan.violations.map((v) => v.policy).filter((p) => p !== rule))].sort();
            assert.deepStrictEqual(others, (ALSO_EXPECTED[folder] ?? []).sort(), "a fixture breaks only its own rule");
        });
    }

    it("shows in docs/policies.md an example violation that a fixture really produces, for every rule", () => {
        const doc = fs.readFileSync(path.join(ROOT, "docs/policies.md"), "utf8");
        const examples = [...doc.matchAll(/\*\*Example violation\*\* \(`test\/fixtures\/programs\/([^`]+)`\):\n\n```text\n(.*)\n```/g)];
        // At least one per rule; a rule with several paths shows one example for each.
        assert.deepStrictEqual([...new Set(examples.map((m) => m[1].split("/")[0]))].sort(), policies.map((p) => p.name).sort());
        for (const [, folder, message] of examples) {
            const produced = plans.get(folder)?.violations.map((v) => v.message) ?? [];
            assert.ok(
                produced.includes(message),
                `${folder} does not produce the documented message:\n${message}\nit produces:\n${produced.join("\n")}`,
            );
        }
    });

    describe("through the plan CLI itself", () => {
        // One CLI run, where the CLI is what is tested: --policy-config is read from its file, makes
        // two of the fixture's three rules advisory and disables the third, and the exit status
        // follows. The batch planner above already produced the same program's default verdicts.
        const folder = "iam-no-full-admin/star-star";

        it("applies --policy-config levels to what the batch planner found: advisory ones reported, disabled ones gone, exit 0", async () => {
            const config = writeConfig({
                "iam-no-full-admin": "advisory",
                "secret-naming-convention": { enforcementLevel: "advisory" },
                "ssm-send-command-tag-scoped": { enforcementLevel: "disabled" },
            });
            const run = await runPlanCli([
                "--program",
                path.join(FIXTURES, folder),
                "--stack",
                "production",
                "--json",
                "--policy-config",
                config,
            ]);
            assert.strictEqual(run.status, 0, run.stderr);
            const batch = plans.get(folder)!.violations;
            assert.deepStrictEqual(
                batch.map((v) => v.policy).sort(),
                ["iam-no-full-admin", "secret-naming-convention", "ssm-send-command-tag-scoped"],
                "the batch planner reports all three rules, mandatory",
            );
            assert.deepStrictEqual(
                JSON.parse(run.stdout).violations,
                batch.filter((v) => v.policy !== "ssm-send-command-tag-scoped").map((v) => ({ ...v, enforcementLevel: "advisory" })),
            );
        });
    });
});
