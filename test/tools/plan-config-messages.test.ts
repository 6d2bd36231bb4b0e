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

function planFails(args: string[], env: NodeJS.ProcessEnv = process.env): string {
    const run = runPlanCli(args, env);
    assert.strictEqual(run.status, 2, run.stderr);
    assert.strictEqual(run.stdout, "");
    return run.stderr;
}

describe("tools/plan: config messages that name the fix", () => {
    it("says to quote an account id that YAML read as a number without its leading zero", () => {
        const dir = stackWith(
            (c) => (c["org-logging:accounts"].logArchive.id = "UNQUOTED_ID"),
            (yaml) => yaml.replace("UNQUOTED_ID", "012345678901"),
        );
        assert.match(fs.readFileSync(path.join(dir, "Pulumi.production.yaml"), "utf8"), /id: 012345678901\n/);
        assert.strictEqual(
            planFails(["--program", dir, "--stack", "production"]),
            'plan: Pulumi.production.yaml: org-logging:accounts.logArchive.id: 12345678901 is not a 12-digit AWS account ID; YAML read an unquoted id as a number and dropped its leading zeros: quote it ("012345678901")\n',
        );
    });

    it("checks the region against the AWS regions, opt-in ones included", () => {
        const dir = stackWith((c) => (c["org-logging:region"] = "eu-west-9"));
        assert.strictEqual(
            planFails(["--program", dir, "--stack", "production"]),
            'plan: Pulumi.production.yaml: org-logging:region: "eu-west-9" is not an AWS region; the eu-west regions are eu-west-1, eu-west-2, eu-west-3\n',
        );
    });

    it("reports a key of a namespace that looks like org-logging instead of ignoring it", () => {
        const dir = stackWith((c) => {
            c["org-loging:region"] = c["org-logging:region"];
            delete c["org-logging:region"];
        });
        assert.strictEqual(
            planFails(["--program", dir, "--stack", "production"]),
            'plan: Pulumi.production.yaml: org-loging:region: unknown namespace "org-loging"; did you mean org-logging:region? Rename the key to org-logging:region; ' +
                "org-logging:region: is required but missing; set it with `pulumi config set --path 'org-logging:region' <value>`\n",
        );
    });

    it("lists the stacks that exist for a --stack without a stack file", () => {
        assert.strictEqual(
            planFails(["--stack", "prod"]),
            "plan: --stack prod: no stack file Pulumi.prod.yaml, and the program fails on an empty config; the stacks of this project are integration, production\n",
        );
    });

    it("gives the command with -- when npm took --stack for itself (npm run plan --stack production)", () => {
        // What npm passes: the option in npm_config_stack, its value as a bare argument.
        assert.strictEqual(
            planFails(["production"], { ...process.env, npm_config_stack: "production" }),
            'plan: unknown argument "production": npm keeps the options before `--` for itself; use npm run plan -- --stack production\n',
        );
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
        assert.throws(() => loadStackConfig({ ...(structuredClone(rawStackConfig("production")) as object), region: "us-east-3" }, "Pulumi.production.yaml"), {
            message: 'Pulumi.production.yaml: org-logging:region: "us-east-3" is not an AWS region; the us-east regions are us-east-1, us-east-2',
        });
    });
});
