// Plan scale: the offline plan of the production stack with 1..200 workload accounts, against the
// floor of the same number of empty resources under the same mock runtime.
import { execFileSync } from "child_process";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { parse as parseYaml, stringify as toYaml } from "yaml";

const ROOT = path.resolve(__dirname, "..");

export interface PlanScaleRow {
    accounts: number;
    resources: number;
    planMs: number;
    policyMs: number;
    floorMs: number;
    ratio: number;
    planRssMiB: number;
    floorRssMiB: number;
    violations: number;
}

/** A program folder that runs infra/ with the production config and `count` workload accounts. */
export function generatedStack(count: number): string {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), `bench-plan-${count}-`));
    const production = parseYaml(fs.readFileSync(path.join(ROOT, "Pulumi.production.yaml"), "utf8")) as { config: Record<string, unknown> };
    production.config["org-logging:workloadAccounts"] = Array.from({ length: count }, (_, i) => {
        const id = String(100000000000 + i * 7919).padStart(12, "0");
        return { id, name: `workload-${i}`, roleArn: `arn:aws:iam::${id}:role/OrgLoggingDeployer` };
    });
    fs.writeFileSync(path.join(dir, "Pulumi.yaml"), toYaml({ name: "org-logging", runtime: "nodejs", main: path.join(ROOT, "infra") }));
    fs.writeFileSync(path.join(dir, "Pulumi.production.yaml"), toYaml(production));
    return dir;
}

function probe(args: string[]): Record<string, number> {
    const out = execFileSync(process.execPath, ["-r", "ts-node/register/transpile-only", path.join(__dirname, "plan-probe.ts"), ...args], {
        cwd: ROOT,
        encoding: "utf8",
        maxBuffer: 64 * 1024 * 1024,
    });
    return JSON.parse(out.trim().split("\n").pop()!);
}

export function planScale(sizes = [1, 10, 50, 200]): PlanScaleRow[] {
    return sizes.map((accounts) => {
        const dir = generatedStack(accounts);
        const plan = probe(["--plan", dir, "production"]);
        const floor = probe(["--floor", String(plan.resources)]);
        fs.rmSync(dir, { recursive: true, force: true });
        return {
            accounts,
            resources: plan.resources,
            planMs: Math.round(plan.planMs),
            policyMs: Math.round(plan.policyMs),
            floorMs: Math.round(floor.planMs),
            ratio: Math.round((plan.planMs / floor.planMs) * 100) / 100,
            planRssMiB: plan.maxRssMiB,
            floorRssMiB: floor.maxRssMiB,
            violations: plan.violations,
        };
    });
}
