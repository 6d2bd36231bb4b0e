import * as assert from "assert";
import { execFile } from "child_process";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { stringify as toYaml } from "yaml";
import { defaultOrganization } from "../../tools/mock-organization";
import { PlanError, readAgainst } from "../../tools/plan";
import type { PlanReport } from "../../tools/plan-report";
import { CliResult, runPlanCli } from "../support/cli";
import { rawStackConfig, ROOT } from "../support/harness";

/** The plan CLI in a child process, asynchronously, so that two plans run side by side. */
function planAsync(args: string[]): Promise<CliResult> {
    return new Promise((resolve) => {
        execFile(
            process.execPath,
            ["-r", path.join(ROOT, "tools/register-ts.js"), path.join(ROOT, "tools/plan.ts"), ...args],
            { cwd: ROOT, maxBuffer: 256 * 1024 * 1024 },
            (err, stdout, stderr) => resolve({ status: err ? ((err as { code?: number }).code ?? null) : 0, stdout, stderr }),
        );
    });
}

describe("tools/plan --against: what a change does, compared with an earlier plan", function () {
    this.timeout(120_000);
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "plan-against-"));
    const first = path.join(dir, "main.json");
    let firstPlan: PlanReport;
    let emailChange: PlanReport;
    let newAccount: CliResult;

    before(async () => {
        const run = await runPlanCli(["--stack", "production", "--json"]);
        assert.strictEqual(run.status, 0, run.stderr);
        fs.writeFileSync(first, run.stdout);
        firstPlan = JSON.parse(run.stdout);

        // The production stack with another alarm e-mail address.
        const changed = path.join(dir, "email");
        fs.mkdirSync(changed);
        const config = Object.fromEntries(Object.entries(rawStackConfig("production")).map(([k, v]) => [`org-logging:${k}`, v]));
        config["org-logging:alarmEmail"] = "soc@example.com";
        fs.writeFileSync(
            path.join(changed, "Pulumi.yaml"),
            toYaml({ name: "org-logging", runtime: "nodejs", main: path.join(ROOT, "infra") }),
        );
        fs.writeFileSync(path.join(changed, "Pulumi.production.yaml"), toYaml({ config }));

        // The default organization of the production stack, with one account more.
        const production = rawStackConfig("production") as { organizationId: string; accounts: Record<string, { id: string }> };
        const organization = defaultOrganization(
            {
                organizationId: production.organizationId,
                accounts: Object.entries(production.accounts).map(([key, a]) => ({ key, id: a.id })),
            },
            production.accounts.management.id,
        );
        organization.accounts.push({
            id: "777777777777",
            name: "Analytics Production",
            email: "aws+777777777777@example.com",
            status: "ACTIVE",
        });
        const organizationFile = path.join(dir, "organization.json");
        fs.writeFileSync(organizationFile, JSON.stringify(organization));

        const [email, account] = await Promise.all([
            planAsync(["--program", changed, "--stack", "production", "--json", "--against", first]),
            planAsync(["--stack", "production", "--organization", organizationFile, "--against", first]),
        ]);
        assert.strictEqual(email.status, 0, email.stderr);
        emailChange = JSON.parse(email.stdout);
        newAccount = account;
    });

    it("finds exactly the two e-mail subscriptions, with the endpoint as the changed input", () => {
        assert.strictEqual(firstPlan.changes, undefined, "no comparison without --against");
        assert.deepStrictEqual(emailChange.changes, [
            {
                urn: "urn:pulumi:production::org-logging::orglog:index:OrgTrail$aws:sns/topicSubscription:TopicSubscription::org-trail-alarm-email",
                action: "update",
                paths: ["endpoint"],
            },
            {
                urn: "urn:pulumi:production::org-logging::orglog:index:OrganizationBaseline$aws:sns/topicSubscription:TopicSubscription::org-baseline-compliance-email",
                action: "update",
                paths: ["endpoint"],
            },
        ]);
        // The rest of the report is the plan itself.
        assert.strictEqual(emailChange.resources.length, firstPlan.resources.length);
        assert.deepStrictEqual(emailChange.violations, []);
    });

    it("finds no change in the log-archive account (nor anywhere) when the organization gains an account", () => {
        assert.strictEqual(newAccount.status, 0, newAccount.stderr);
        const lines = newAccount.stdout.split("\n");
        assert.deepStrictEqual(lines.slice(0, 3), [
            `Changes against ${first} (stack production): 0 to create, 0 to delete, 0 to update`,
            "  no differences",
            "",
        ]);
        assert.ok(!newAccount.stdout.includes("(account 222222222222)"));
        assert.strictEqual(lines[3], "Policies: no violations");
    });

    it("refuses an --against file that is missing or not a plan, naming the file and how to save one", () => {
        const notAPlan = path.join(dir, "text-plan.txt");
        fs.writeFileSync(notAPlan, '{"violations": []}');
        const save = "save the earlier plan with npm run plan -- --stack <name> --json > plan.json";
        assert.throws(
            () => readAgainst(notAPlan),
            (err: Error) =>
                err instanceof PlanError &&
                err.message === `--against ${notAPlan}: not a plan document (no \`stack\` and \`resources\`); ${save}`,
        );
        assert.throws(() => readAgainst(path.join(dir, "absent.json")), {
            message: `--against ${path.join(dir, "absent.json")}: no such file; name an earlier plan saved with npm run plan -- --stack <name> --json > plan.json`,
        });
        assert.throws(() => readAgainst(dir), {
            message: `--against ${dir}: is a directory; name an earlier plan saved with npm run plan -- --stack <name> --json > plan.json`,
        });
    });
});
