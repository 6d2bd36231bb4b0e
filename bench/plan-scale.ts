// Plan scale: the offline plan of the production stack with 1..200 workload accounts, against the
// floor of the same resources with empty inputs under the same mock runtime, measured back to back.
import { execFileSync } from "child_process";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { parse as parseYaml, stringify as toYaml } from "yaml";
import type { ProbeFigures } from "./plan-probe";

const ROOT = path.resolve(__dirname, "..");

/** The TypeScript loader of `npm run plan` (esbuild), or ts-node where the tree has none. */
export const LOADER = fs.existsSync(path.join(ROOT, "tools/register-ts.js"))
    ? path.join(ROOT, "tools/register-ts.js")
    : "ts-node/register/transpile-only";

export interface PlanScaleRow {
    accounts: number;
    resources: number;
    /** The plan: program, mocks, recorder and one evaluation of the policy pack. */
    planMs: number;
    planCpuMs: number;
    /** The same resources (custom/component, declared output properties) with empty inputs. */
    floorMs: number;
    floorCpuMs: number;
    /** The same number of resources with no inputs and no outputs (the narrowest floor). */
    bareFloorMs: number;
    ratio: number;
    cpuRatio: number;
    bareRatio: number;
    planRssMiB: number;
    floorRssMiB: number;
    bareFloorRssMiB: number;
    /** The policy pack alone on the plan's resources. */
    policyMs: number;
    policyCpuMs: number;
    violations: number;
    /** Wall time per resource of plan and floor. */
    planMsPerResource: number;
    floorMsPerResource: number;
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

function probe(args: string[]): ProbeFigures {
    const out = execFileSync(process.execPath, ["-r", LOADER, path.join(__dirname, "plan-probe.ts"), ...args], {
        cwd: ROOT,
        encoding: "utf8",
        maxBuffer: 64 * 1024 * 1024,
    });
    return JSON.parse(out.trim().split("\n").pop()!) as ProbeFigures;
}

/** The run with the shortest wall time: the one least disturbed by other work on the machine. */
function fastest(runs: ProbeFigures[]): ProbeFigures {
    return runs.reduce((a, b) => (b.ms < a.ms ? b : a));
}

const round = (n: number, digits = 0) => Math.round(n * 10 ** digits) / 10 ** digits;

/**
 * Plans each size `repeat` times, alternating plan, floor and bare floor, and keeps the fastest run
 * of each (a shared machine only ever makes a run slower).
 */
export function planScale(sizes = [1, 10, 50, 200], repeat = 2, log: (line: string) => void = () => undefined): PlanScaleRow[] {
    return sizes.map((accounts) => {
        const dir = generatedStack(accounts);
        const shapes = path.join(dir, "shapes.json");
        const plans: ProbeFigures[] = [];
        const floors: ProbeFigures[] = [];
        const bares: ProbeFigures[] = [];
        try {
            for (let i = 0; i < repeat; i++) {
                plans.push(probe(["--plan", dir, "production", shapes]));
                floors.push(probe(["--floor", shapes]));
                bares.push(probe(["--floor-bare", String(plans[0].resources)]));
                log(
                    `plan ${accounts} accounts, run ${i + 1}/${repeat}: plan ${round(plans[i].ms)} ms, floor ${round(floors[i].ms)} ms, bare floor ${round(bares[i].ms)} ms`,
                );
            }
        } finally {
            fs.rmSync(dir, { recursive: true, force: true });
        }
        const plan = fastest(plans);
        const floor = fastest(floors);
        const bare = fastest(bares);
        const policy = plans.reduce((a, b) => (b.policyMs! < a.policyMs! ? b : a));
        return {
            accounts,
            resources: plan.resources,
            planMs: round(plan.ms),
            planCpuMs: round(plan.cpuMs),
            floorMs: round(floor.ms),
            floorCpuMs: round(floor.cpuMs),
            bareFloorMs: round(bare.ms),
            ratio: round(plan.ms / floor.ms, 2),
            cpuRatio: round(plan.cpuMs / floor.cpuMs, 2),
            bareRatio: round(plan.ms / bare.ms, 2),
            planRssMiB: Math.max(...plans.map((p) => p.maxRssMiB)),
            floorRssMiB: Math.max(...floors.map((p) => p.maxRssMiB)),
            bareFloorRssMiB: Math.max(...bares.map((p) => p.maxRssMiB)),
            policyMs: round(policy.policyMs!),
            policyCpuMs: round(policy.policyCpuMs!),
            violations: Math.max(...plans.map((p) => p.violations ?? 0)),
            planMsPerResource: round(plan.ms / plan.resources, 2),
            floorMsPerResource: round(floor.ms / floor.resources, 2),
        };
    });
}
