// Runs one program under the mock runtime and evaluates the policy pack on what it registered.
import * as pulumi from "@pulumi/pulumi";
import * as path from "path";
import { policies } from "../policy-pack/policies";
import { recordedResources, settle, startMockRuntime } from "./mock-runtime";
import { MockOrganization, useOrganization } from "./mock-organization";
import { PlanProgram } from "./plan-program";
import { PlanReport } from "./plan-report";
import { PackConfig, runPolicies } from "./policy-runner";

export interface RunPlanOptions {
    policyConfig?: PackConfig;
    stackReferenceOutputs?: (name: string) => Promise<Record<string, unknown>>;
    /** Answers Organizations look-ups; without it the default organization of tools/mock-organization.ts does. */
    organization?: MockOrganization;
}

export async function runPlan(program: PlanProgram, options: RunPlanOptions = {}): Promise<PlanReport> {
    pulumi.runtime.setAllConfig(program.config, program.secretKeys);
    useOrganization(options.organization);
    startMockRuntime({
        project: program.project,
        stack: program.stack,
        stackReferenceOutputs: options.stackReferenceOutputs,
        rootDirectory: program.dir,
    });

    // Errors inside applies and registrations surface as rejections, not as throws from require().
    const failures: unknown[] = [];
    // A failed apply leaves the resources and outputs that depend on it pending forever, so waiting
    // for the program to finish would never end: the first failure ends the wait.
    let failed: (err: unknown) => void = () => undefined;
    const firstFailure = new Promise<never>((_, reject) => (failed = reject));
    firstFailure.catch(() => undefined);
    const onFailure = (err: unknown) => {
        failures.push(err);
        failed(err);
    };
    process.on("unhandledRejection", onFailure);
    process.on("uncaughtException", onFailure);
    try {
        shareOwnModules();
        forgetProgramModules(program);
        const exported = await Promise.resolve(require(program.entry));
        const outputs = await Promise.race([
            resolveOutputs(exported).catch((err) => {
                failures.push(err);
                return {};
            }),
            firstFailure,
        ]);
        await Promise.race([settle(), firstFailure]);
        if (failures.length > 0) {
            throw failures[0];
        }
        const resources = recordedResources();
        // Reads are looked up, not managed: the pack validates only what the program manages.
        const violations = await runPolicies(
            policies,
            resources.filter((r) => !r.read),
            { config: options.policyConfig },
        );
        return {
            stack: program.stack,
            program: program.project,
            resources: resources.map(({ urn, type, name, account, region, parent, provider, inputs, options, read }) => ({
                urn,
                type,
                name,
                account,
                region,
                parent,
                provider,
                inputs,
                options,
                ...(read ? { read } : {}),
            })),
            violations,
            outputs,
        };
    } finally {
        process.off("unhandledRejection", onFailure);
        process.off("uncaughtException", onFailure);
    }
}

/** The module's exports as plain values: the stack outputs the Pulumi CLI would record. */
async function resolveOutputs(exported: unknown): Promise<Record<string, unknown>> {
    if (!exported || typeof exported !== "object") {
        return {};
    }
    const entries = Object.entries(exported as Record<string, unknown>).filter(([key]) => key !== "__esModule");
    const values = await Promise.all(
        entries.map(([, value]) => (pulumi.output(value) as unknown as { promise(): Promise<unknown> }).promise()),
    );
    return Object.fromEntries(entries.map(([key], i) => [key, values[i]]));
}

/**
 * Lets a program folder outside this repository (a scratch directory with just an `index.ts`) import
 * `@pulumi/*` from the plan's own node_modules, as a fallback after its own. It must be the plan's
 * copy anyway: the mocks are installed in that instance of `@pulumi/pulumi`.
 */
function shareOwnModules(): void {
    const own = path.resolve(__dirname, "..", "node_modules");
    const paths = (process.env.NODE_PATH ?? "").split(path.delimiter).filter(Boolean);
    if (!paths.includes(own)) {
        process.env.NODE_PATH = [...paths, own].join(path.delimiter);
        (require("module") as { _initPaths(): void })._initPaths();
    }
}

/**
 * Requiring a program runs it only the first time in a process: a second plan in the same process
 * (the tests plan many) loads the modules of the entry's folder afresh. Installed packages and the
 * plan's own modules stay loaded: the mocks live in that `@pulumi/pulumi`.
 */
function forgetProgramModules(program: PlanProgram): void {
    const folder = path.dirname(program.entry) + path.sep;
    const own = __dirname + path.sep;
    for (const file of Object.keys(require.cache)) {
        if (file.startsWith(folder) && !file.startsWith(own) && !file.includes(`${path.sep}node_modules${path.sep}`)) {
            delete require.cache[file];
        }
    }
}
