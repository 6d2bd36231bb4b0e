// The offline preview: `npm run plan -- --stack <name> [--format text|json|mermaid|access] [--json] [--program <dir>] [--policy-config <file>]`.
// Runs a Pulumi program under the mock runtime with the stack's config, prints its resources by
// account and the policy pack's report; `access` prints the access proofs (tools/access-proofs.ts).
// Exit status: 0 clean, 1 a mandatory policy is violated or an access promise is broken,
// 2 the config or the program is wrong (one line on stderr, no stack trace).
import { execFile } from "child_process";
import * as fs from "fs";
import * as path from "path";
import { loadPlanProgram, PlanProgram } from "./plan-program";
import { formatPlanMermaid } from "./plan-mermaid";
import { formatPlanText, PlanReport } from "./plan-report";

export interface PlanArgs {
    stack: string;
    /** `--json` is short for `--format json`. */
    format: PlanFormat;
    /** Accepted from callers of plan(), which ignores the output format. */
    json?: boolean;
    program: string;
    policyConfig?: string;
}

const ROOT = path.resolve(__dirname, "..");
const USAGE =
    "usage: npm run plan -- --stack <integration|production> [--format text|json|mermaid|access] [--json] [--program <dir>] [--policy-config <file>]";
const FORMATS = ["text", "json", "mermaid", "access"] as const;
export type PlanFormat = (typeof FORMATS)[number];

/** Raised for problems the user fixes (arguments, config, program); printed as one line, exit 2. */
export class PlanError extends Error {}

export function parseArgs(argv: string[]): PlanArgs {
    const args: Partial<PlanArgs> = { format: "text", program: ROOT };
    for (let i = 0; i < argv.length; i++) {
        const flag = argv[i];
        const value = () => {
            const v = argv[++i];
            if (v === undefined || v.startsWith("--")) {
                throw new PlanError(`${flag} needs a value. ${USAGE}`);
            }
            return v;
        };
        switch (flag) {
            case "--stack":
                args.stack = value();
                break;
            case "--program":
                args.program = path.resolve(value());
                break;
            case "--policy-config":
                args.policyConfig = path.resolve(value());
                break;
            case "--json":
                args.format = "json";
                break;
            case "--format": {
                const format = value();
                if (!(FORMATS as readonly string[]).includes(format)) {
                    throw new PlanError(`--format "${format}" is not one of ${FORMATS.join(", ")}. ${USAGE}`);
                }
                args.format = format as PlanFormat;
                break;
            }
            default:
                throw new PlanError(`unknown argument "${flag}". ${USAGE}`);
        }
    }
    if (!args.stack) {
        throw new PlanError(`--stack is required. ${USAGE}`);
    }
    return args as PlanArgs;
}

/** Plans the org-logging stack itself in a separate process; its outputs answer StackReferences. */
function planRootOutputs(stack: string): Promise<Record<string, unknown>> {
    return new Promise((resolve, reject) => {
        execFile(
            process.execPath,
            ["-r", path.join(__dirname, "register-ts.js"), path.join(__dirname, "plan.ts"), "--stack", stack, "--json"],
            { cwd: ROOT, maxBuffer: 256 * 1024 * 1024, env: process.env },
            (err, stdout, stderr) => {
                if (err && (err as { code?: number }).code !== 1) {
                    reject(new PlanError(`cannot plan org-logging stack "${stack}" to answer its StackReference: ${stderr.trim() || err.message}`));
                    return;
                }
                resolve(JSON.parse(stdout).outputs);
            },
        );
    });
}

function stackReferenceOutputs(name: string): Promise<Record<string, unknown>> {
    const parts = name.split("/");
    const [project, stack] = parts.length === 3 ? parts.slice(1) : parts.length === 2 ? parts : [undefined, parts[0]];
    if (project !== "org-logging") {
        return Promise.reject(new PlanError(`StackReference "${name}" cannot be answered offline: only <org>/org-logging/<stack> is planned here`));
    }
    // Several references to one stack (or a program read twice) plan it once.
    let outputs = rootOutputs.get(stack);
    if (!outputs) {
        outputs = planRootOutputs(stack);
        rootOutputs.set(stack, outputs);
    }
    return outputs;
}

const rootOutputs = new Map<string, Promise<Record<string, unknown>>>();

export async function plan(args: Pick<PlanArgs, "stack" | "program" | "policyConfig" | "json">): Promise<PlanReport> {
    const program: PlanProgram = loadPlanProgram(args.program, args.stack);
    const policyConfig = args.policyConfig ? readPolicyConfig(args.policyConfig) : undefined;
    // Loaded after the config is in place: the runtime reads it when the program starts.
    const { runPlan } = await import("./plan-run");
    return runPlan(program, { policyConfig, stackReferenceOutputs });
}

function readPolicyConfig(file: string) {
    try {
        return JSON.parse(fs.readFileSync(file, "utf8"));
    } catch (err) {
        throw new PlanError(`--policy-config ${file}: ${(err as Error).message}`);
    }
}

/** One line for the user: the first line of the message, never a stack trace. */
export function oneLine(err: unknown): string {
    const message = err instanceof Error ? err.message : String(err);
    const line = message.split("\n").find((l) => l.trim() !== "")?.trim() ?? "unknown error";
    // Pulumi wraps a failed input in one `error serializing property "x": ` per level; the cause is what the user fixes.
    return line.replace(/^(error serializing property "[^"]*": )+/, "");
}

async function main(): Promise<void> {
    let args: PlanArgs;
    try {
        args = parseArgs(process.argv.slice(2));
    } catch (err) {
        process.stderr.write(`plan: ${oneLine(err)}\n`);
        process.exitCode = 2;
        return;
    }
    // In JSON mode stdout carries exactly one document: anything the program logs goes to stderr.
    const write = process.stdout.write.bind(process.stdout);
    if (args.format !== "text") {
        console.log = console.info = (...items: unknown[]) => process.stderr.write(items.map(String).join(" ") + "\n");
    }
    let report: PlanReport;
    try {
        report = await plan(args);
    } catch (err) {
        process.stderr.write(`plan: ${oneLine(err)}\n`);
        process.exitCode = 2;
        return;
    }
    // exitCode, not exit(): exiting right after a large write to a pipe truncates it.
    let broken = false;
    if (args.format === "mermaid") {
        const { recordedResources } = await import("./mock-runtime");
        write(formatPlanMermaid(report, recordedResources()));
    } else if (args.format === "json" || args.format === "access") {
        const { accessProofs, formatAccessTable, stackFacts } = await import("./access-proofs");
        const access = await accessProofs(report, stackFacts(args.program, args.stack));
        broken = access.some((r) => !r.holds);
        write(args.format === "json" ? JSON.stringify({ ...report, access }) + "\n" : formatAccessTable(access));
    } else {
        write(formatPlanText(report));
    }
    process.exitCode = broken || report.violations.some((v) => v.enforcementLevel === "mandatory") ? 1 : 0;
}

if (require.main === module) {
    void main();
}
