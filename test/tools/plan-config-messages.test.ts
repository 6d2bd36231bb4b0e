import * as assert from "assert";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { stringify as toYaml } from "yaml";
import { runPlanCli } from "../support/cli";
import { rawStackConfig, ROOT } from "../support/harness";

/** A program folder that runs infra/ with the production config, prefixed keys changed by `change`, written as YAML text edited by `edit`. */
function stackWith(change: (config: Record<string, any>) => void, edit: (yaml: string) => string = (y) => y): string {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "plan-messages-"));
    const config: Record<string, any> = Object.fromEntries(
        Object.entries(structuredClone(rawStackConfig("production")) as Record<string, unknown>).map(([k, v]) => [`org-logging:${k}`, v]),
    );
    change(config);
    fs.writeFileSync(path.join(dir, "Pulumi.yaml"), toYaml({ name: "org-logging", runtime: "nodejs", main: path.join(ROOT, "infra") }));
    fs.writeFileSync(path.join(dir, "Pulumi.production.yaml"), edit(toYaml({ config })));
    return dir;
}

async function planFails(args: string[], env: NodeJS.ProcessEnv = process.env): Promise<string> {
    const run = await runPlanCli(args, env);
    assert.strictEqual(run.status, 2, run.stderr);
    assert.strictEqual(run.stdout, "");
    return run.stderr;
}

describe("tools/plan: config messages that name the fix", () => {
    it("says to quote an account id that YAML read as a number without its leading zero", async () => {
        const dir = stackWith(
            (c) => (c["org-logging:accounts"].logArchive.id = "UNQUOTED_ID"),
            (yaml) => yaml.replace("UNQUOTED_ID", "012345678901"),
        );
        assert.match(fs.readFileSync(path.join(dir, "Pulumi.production.yaml"), "utf8"), /id: 012345678901\n/);
        assert.strictEqual(
            await planFails(["--program", dir, "--stack", "production"]),
            'plan: Pulumi.production.yaml: org-logging:accounts.logArchive.id: 12345678901 is not a 12-digit AWS account ID; YAML read an unquoted id as a number and dropped its leading zeros: quote it ("012345678901")\n',
        );
    });

    it("checks the region against the AWS regions, opt-in ones included", async () => {
        const dir = stackWith((c) => (c["org-logging:region"] = "eu-west-9"));
        assert.strictEqual(
            await planFails(["--program", dir, "--stack", "production"]),
            'plan: Pulumi.production.yaml: org-logging:region: "eu-west-9" is not an AWS region; the eu-west regions are eu-west-1, eu-west-2, eu-west-3\n',
        );
    });

    it("reports a key of a namespace that looks like org-logging instead of ignoring it", async () => {
        const dir = stackWith((c) => {
            c["org-loging:region"] = c["org-logging:region"];
            delete c["org-logging:region"];
        });
        assert.strictEqual(
            await planFails(["--program", dir, "--stack", "production"]),
            'plan: Pulumi.production.yaml: org-loging:region: unknown namespace "org-loging"; did you mean org-logging:region? Rename the key to org-logging:region\n' +
                "plan: Pulumi.production.yaml: org-logging:region: is required but missing; set it with `pulumi config set --path 'org-logging:region' <value>`\n",
        );
    });

    it("lists the stacks that exist for a --stack without a stack file", async () => {
        assert.strictEqual(
            await planFails(["--stack", "prod"]),
            "plan: --stack prod: no stack file Pulumi.prod.yaml, and the program fails on an empty config; the stacks of this project are integration, production\n",
        );
    });

    it("gives the command with -- when npm took --stack for itself (npm run plan --stack production)", async () => {
        // What npm passes: the option in npm_config_stack, its value as a bare argument.
        assert.strictEqual(
            await planFails(["production"], { ...process.env, npm_config_stack: "production" }),
            'plan: unknown argument "production": npm keeps the options before `--` for itself; use npm run plan -- --stack production\n',
        );
    });

    it("gives one problem per line for an empty stack file, each naming the key and how to set it", async () => {
        const dir = stackWith(
            () => undefined,
            () => "config: {}\n",
        );
        const missing = (key: string) =>
            `plan: Pulumi.production.yaml: org-logging:${key}: is required but missing; set it with \`pulumi config set --path 'org-logging:${key}' <value>\`\n`;
        assert.strictEqual(
            await planFails(["--program", dir, "--stack", "production"]),
            ["organizationId", "environment", "region", "trailMode", "breakGlassRoleArn", "alarmEmail", "accounts", "collector", "pipeline"]
                .map(missing)
                .join(""),
        );
    });

    it("refuses a stack file copied to a new stack that keeps the environment of the stack it came from", async () => {
        const dir = stackWith(() => undefined);
        fs.copyFileSync(path.join(dir, "Pulumi.production.yaml"), path.join(dir, "Pulumi.prod-eu.yaml"));
        assert.strictEqual(
            await planFails(["--program", dir, "--stack", "prod-eu"]),
            'plan: Pulumi.prod-eu.yaml: org-logging:environment: "production" is the environment of stack production (Pulumi.production.yaml) too, so names such as OrgLoggingPipeline-production and configuration/production/ would collide with that stack\'s; set it to "prod-eu"\n',
        );
    });
});

describe("infra/config: mistakes that would otherwise plan clean", () => {
    const { loadStackConfig, environmentCheck, StackConfigError } = require("../../infra/config") as typeof import("../../infra/config");
    const problemsOf = (change: (raw: Record<string, any>) => void): string[] => {
        const raw = structuredClone(rawStackConfig("production")) as Record<string, any>;
        change(raw);
        try {
            loadStackConfig(raw, "Pulumi.production.yaml");
        } catch (err) {
            assert.ok(err instanceof StackConfigError, String(err));
            return err.problems;
        }
        return [];
    };

    it("refuses a workload account that is a core account, and two core roles in one account", () => {
        assert.deepStrictEqual(
            problemsOf((raw) => (raw.workloadAccounts[0].id = "111111111111")),
            [
                'org-logging:workloadAccounts.0.roleArn: "arn:aws:iam::444444444444:role/OrgLoggingDeployer" is not a role in account 111111111111; name the role to assume inside that account',
                'org-logging:workloadAccounts.0.id: "111111111111" is org-logging:accounts.management.id, a core account; AWS refuses a second Config recorder in one account, so list only member accounts that run workloads, or remove the entry',
            ],
        );
        assert.deepStrictEqual(
            problemsOf((raw) => {
                raw.accounts.collection = { id: "222222222222", roleArn: "arn:aws:iam::222222222222:role/OrgLoggingDeployer" };
                raw.accounts.audit = { id: "222222222222", roleArn: "arn:aws:iam::222222222222:role/OrgLoggingDeployer" };
            }),
            [
                'org-logging:accounts.audit.id: "222222222222" is the log-archive account; keep the archive in an account of its own and name the security tooling account',
                'org-logging:accounts.collection.id: "222222222222" is also org-logging:accounts.logArchive.id; each core account has a role of its own (the stack deploys into it through a provider of its own): name a different account',
                'org-logging:accounts.audit.id: "222222222222" is also org-logging:accounts.collection.id; each core account has a role of its own (the stack deploys into it through a provider of its own): name a different account',
            ],
        );
        assert.deepStrictEqual(
            problemsOf(() => undefined),
            [],
            "the committed production stack passes",
        );
    });

    it("warns, without refusing, when the environment is not the stack's name and no other stack has it", () => {
        assert.strictEqual(environmentCheck("production", "production", ["Pulumi.production.yaml", "Pulumi.integration.yaml"]), undefined);
        assert.deepStrictEqual(environmentCheck("eu-production", "prod-eu", ["Pulumi.production.yaml", "Pulumi.prod-eu.yaml"]), {
            severity: "warning",
            message:
                'org-logging:environment: "eu-production" is not the stack\'s name "prod-eu"; names such as OrgLoggingPipeline-eu-production and configuration/eu-production/ follow the environment, so no other stack may use it in these accounts. Set it to "prod-eu" unless that is intended',
        });
        assert.strictEqual(
            environmentCheck("integration", "sandbox", ["Pulumi.integration.yaml", "Pulumi.sandbox.yaml"])?.severity,
            "error",
        );
    });

    it("names the unknown keys of an object one per line", () => {
        assert.deepStrictEqual(
            problemsOf((raw) => Object.assign(raw.archive, { lockDays: 1, retention: 2 })),
            [
                "org-logging:archive.lockDays: unknown key; check its spelling or remove it",
                "org-logging:archive.retention: unknown key; check its spelling or remove it",
            ],
        );
    });
});

describe("infra/log-archive: archive values checked by their config keys before the archive is built", () => {
    it("names org-logging:archive.objectLockDays and org-logging:archive.logRetentionDays, and says when a value is the default", async () => {
        const { runUnderMocks, stackConfig } = await import("../support/harness");
        const { createOrgLogging } = await import("../../infra/program");
        const run = (archive: Record<string, unknown>) => {
            const config = stackConfig("production");
            return runUnderMocks(() => createOrgLogging({ ...config, archive: { ...config.archive, ...archive } }), {
                stack: "production",
            });
        };
        await assert.rejects(run({ objectLockDays: 400, logRetentionDays: 365 }), {
            message:
                "Pulumi.production.yaml: org-logging:archive.objectLockDays: 400 is longer than org-logging:archive.logRetentionDays (365), so the lifecycle could never expire locked logs. Lower org-logging:archive.objectLockDays or raise org-logging:archive.logRetentionDays",
        });
        await assert.rejects(run({ objectLockDays: 3000, glacierTransitionDays: 3000 }), {
            message: [
                "Pulumi.production.yaml: org-logging:archive.logRetentionDays: 2557 (unset: the default) is not later than org-logging:archive.glacierTransitionDays (3000), so logs would expire before or when they reach Glacier. Raise org-logging:archive.logRetentionDays or lower org-logging:archive.glacierTransitionDays",
                "Pulumi.production.yaml: org-logging:archive.objectLockDays: 3000 is longer than org-logging:archive.logRetentionDays (2557, unset: the default), so the lifecycle could never expire locked logs. Lower org-logging:archive.objectLockDays or raise org-logging:archive.logRetentionDays",
            ].join("\n"),
        });
    });
});

describe("infra/config: AWS regions", () => {
    it("accepts opt-in regions and rejects a region AWS does not have", () => {
        const { loadStackConfig } = require("../../infra/config") as typeof import("../../infra/config");
        for (const region of ["eu-west-1", "il-central-1", "ap-southeast-7", "mx-central-1"]) {
            const production = structuredClone(rawStackConfig("production")) as { baseline: { regions: string[] } };
            const raw = { ...production, region, baseline: { ...production.baseline, regions: [region] } };
            assert.strictEqual(loadStackConfig(raw, "Pulumi.production.yaml").region, region);
        }
        assert.throws(
            () =>
                loadStackConfig(
                    { ...(structuredClone(rawStackConfig("production")) as object), region: "us-east-3" },
                    "Pulumi.production.yaml",
                ),
            {
                message:
                    'Pulumi.production.yaml: org-logging:region: "us-east-3" is not an AWS region; the us-east regions are us-east-1, us-east-2',
            },
        );
    });
});
