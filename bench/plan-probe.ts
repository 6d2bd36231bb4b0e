// Child process of the benchmark: plans one program in-process, or registers the floor, and prints
// its figures as one JSON line. Each measurement runs in a fresh process so that peak memory
// (maxRSS) belongs to it alone.
//
//   --plan <program dir> <stack> <shapes file>   the plan (program + policy pack), then the pack again
//                                                 alone; writes the shape of every resource it registered
//   --floor-bare <count>                          <count> resources with no inputs and no outputs
//   --floor <shapes file>                         the same resources (custom or component, and the output
//                                                 properties their classes declare) with empty inputs
//
// Both floors run under the same mock runtime as the plan: what is left between floor and plan is
// what the program, its components, the mocks' fabricated state and the recorder cost.
import * as pulumi from "@pulumi/pulumi";
import * as fs from "fs";
import { policies } from "../policy-pack/policies";
import { recordedResources, settle, startMockRuntime } from "../tools/mock-runtime";
import { loadPlanProgram } from "../tools/plan-program";
import { runPlan } from "../tools/plan-run";
import { runPolicies } from "../tools/policy-runner";

/** What Pulumi's SDK registers for one resource, without its values. */
export interface ResourceShape {
    custom: boolean;
    /** Property names the resource's class hands to the runtime (its inputs and declared outputs). */
    properties: string[];
}

export interface ProbeFigures {
    /** Wall time of the phase. */
    ms: number;
    /** CPU time (user + system) of this process during the phase. */
    cpuMs: number;
    resources: number;
    maxRssMiB: number;
    /** --plan only. */
    loadMs?: number;
    violations?: number;
    policyMs?: number;
    policyCpuMs?: number;
}

function clock() {
    const wall = process.hrtime.bigint();
    const cpu = process.cpuUsage();
    return () => {
        const used = process.cpuUsage(cpu);
        return { ms: Number(process.hrtime.bigint() - wall) / 1e6, cpuMs: (used.user + used.system) / 1000 };
    };
}

/**
 * Records the shape of every resource the SDK registers. `Resource`'s constructor calls
 * `registerResource` through the runtime module's exports, with the property bag as 8th argument:
 * a class such as aws.s3.Bucket puts every declared output in it (as undefined).
 */
function recordShapes(): ResourceShape[] {
    const shapes: ResourceShape[] = [];
    const runtime = require("@pulumi/pulumi/runtime/resource") as { registerResource: (...args: unknown[]) => unknown };
    const register = runtime.registerResource;
    runtime.registerResource = (...args: unknown[]) => {
        shapes.push({ custom: Boolean(args[4]), properties: Object.keys((args[7] as object | undefined) ?? {}) });
        return register(...args);
    };
    return shapes;
}

async function probePlan(dir: string, stack: string, shapesFile: string): Promise<ProbeFigures> {
    // Module loading is timed apart: the plan and the floors both start from a warm module cache.
    const load = clock();
    loadProgramModules();
    const loadMs = load().ms;
    const shapes = recordShapes();
    const plan = clock();
    const report = await runPlan(loadPlanProgram(dir, stack));
    const planTime = plan();
    // Peak memory of the plan itself, before the pack runs again on top of it.
    const planRss = maxRssMiB();
    fs.writeFileSync(shapesFile, JSON.stringify(shapes));
    // The pack alone, on the same resources (runPlan above already evaluated it once, inside its time).
    const pack = clock();
    await runPolicies(policies, recordedResources());
    const packTime = pack();
    return {
        ...planTime,
        resources: report.resources.length,
        maxRssMiB: planRss,
        loadMs,
        violations: report.violations.length,
        policyMs: packTime.ms,
        policyCpuMs: packTime.cpuMs,
    };
}

/** A resource with no inputs and no outputs: what registering costs by itself. */
class EmptyResource extends pulumi.CustomResource {
    constructor(name: string) {
        super("bench:index:Empty", name, {});
    }
}

/**
 * Loads the modules of infra/index.ts (its config schema and the program) without running it. The
 * plan loads them before its clock starts, and the floors load them too, so that module memory is the same.
 */
function loadProgramModules(): void {
    require("../infra/config");
    require("../infra/program");
}

/** A custom resource with the given properties (all undefined: empty inputs, declared outputs). */
class ShapedResource extends pulumi.CustomResource {
    constructor(name: string, props: Record<string, undefined>) {
        super("bench:index:Custom", name, props);
    }
}

/** A component with no inputs and no outputs. */
class EmptyComponent extends pulumi.ComponentResource {
    constructor(name: string) {
        super("bench:index:Component", name);
    }
}

async function probeBareFloor(count: number): Promise<ProbeFigures> {
    loadProgramModules();
    const time = clock();
    startMockRuntime({ project: "floor", stack: "bench" });
    for (let i = 0; i < count; i++) {
        new EmptyResource(`r${i}`);
    }
    await settle();
    return { ...time(), resources: recordedResources().length, maxRssMiB: maxRssMiB() };
}

async function probeFloor(shapesFile: string): Promise<ProbeFigures> {
    const shapes = JSON.parse(fs.readFileSync(shapesFile, "utf8")) as ResourceShape[];
    loadProgramModules();
    const time = clock();
    startMockRuntime({ project: "floor", stack: "bench" });
    shapes.forEach((shape, i) => {
        // A neutral type token: the mocks fabricate a generic id for it, not the per-type state of the plan.
        if (shape.custom) {
            const props = Object.fromEntries(shape.properties.map((k) => [k, undefined]));
            new ShapedResource(`r${i}`, props);
        } else {
            new EmptyComponent(`r${i}`);
        }
    });
    await settle();
    return { ...time(), resources: recordedResources().length, maxRssMiB: maxRssMiB() };
}

function maxRssMiB(): number {
    return Math.round(process.resourceUsage().maxRSS / 1024);
}

async function main() {
    const [mode, ...rest] = process.argv.slice(2);
    let figures: ProbeFigures;
    if (mode === "--plan" && rest.length === 3) {
        figures = await probePlan(rest[0], rest[1], rest[2]);
    } else if (mode === "--floor" && rest.length === 1) {
        figures = await probeFloor(rest[0]);
    } else if (mode === "--floor-bare" && rest.length === 1) {
        figures = await probeBareFloor(Number(rest[0]));
    } else {
        throw new Error("usage: plan-probe.ts --plan <program dir> <stack> <shapes file> | --floor <shapes file> | --floor-bare <count>");
    }
    process.stdout.write(JSON.stringify(figures) + "\n");
}

main().catch((err) => {
    process.stderr.write(`probe: ${(err as Error).stack ?? err}\n`);
    process.exitCode = 2;
});
