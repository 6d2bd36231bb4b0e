// Child process of the benchmark: plans one program in-process and prints its figures as JSON.
// `--floor <count>` instead registers <count> resources with empty inputs under the same mock
// runtime: Pulumi's own per-resource cost, the floor the plan is compared against.
import * as pulumi from "@pulumi/pulumi";
import { policies } from "../policy-pack/policies";
import { recordedResources, settle, startMockRuntime } from "../tools/mock-runtime";
import { loadPlanProgram } from "../tools/plan-program";
import { runPlan } from "../tools/plan-run";
import { runPolicies } from "../tools/policy-runner";

async function probePlan(dir: string, stack: string) {
    // Load (and compile) the program's modules before the clock starts: the floor program has no
    // modules to compile, so both are timed from a warm module cache. Loading is reported apart.
    const loadStart = process.hrtime.bigint();
    require("../infra/program");
    const loadMs = Number(process.hrtime.bigint() - loadStart) / 1e6;
    const start = process.hrtime.bigint();
    const report = await runPlan(loadPlanProgram(dir, stack));
    const planMs = Number(process.hrtime.bigint() - start) / 1e6;
    const policyStart = process.hrtime.bigint();
    await runPolicies(policies, recordedResources());
    const policyMs = Number(process.hrtime.bigint() - policyStart) / 1e6;
    return { loadMs, planMs, policyMs, resources: report.resources.length, violations: report.violations.length };
}

/** A resource with no inputs and no behaviour: what registering costs by itself. */
class EmptyResource extends pulumi.CustomResource {
    constructor(name: string) {
        super("bench:index:Empty", name, {});
    }
}

async function probeFloor(count: number) {
    const start = process.hrtime.bigint();
    startMockRuntime({ project: "floor", stack: "bench" });
    for (let i = 0; i < count; i++) {
        new EmptyResource(`r${i}`);
    }
    await settle();
    return { planMs: Number(process.hrtime.bigint() - start) / 1e6, resources: recordedResources().length };
}

async function main() {
    const [mode, value, stack = "production"] = process.argv.slice(2);
    if (mode !== "--floor" && mode !== "--plan") {
        throw new Error("usage: plan-probe.ts --plan <program dir> [stack] | --floor <resource count>");
    }
    const figures = mode === "--floor" ? await probeFloor(Number(value)) : await probePlan(value, stack);
    process.stdout.write(JSON.stringify({ ...figures, maxRssMiB: Math.round(process.resourceUsage().maxRSS / 1024) }) + "\n");
}

main().catch((err) => {
    process.stderr.write(`probe: ${(err as Error).message}\n`);
    process.exitCode = 2;
});
