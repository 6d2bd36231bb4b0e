// The offline preview: `npm run plan -- --stack <name> [--format text|summary|json|mermaid|access] [--json] [--no-access] [--program <dir>] [--policy-config <file>] [--organization <file.json>] [--against <plan.json>]`.
// Runs a Pulumi program under the mock runtime with the stack's config, prints its resources by
// account and the policy pack's report; `access` prints the access proofs (tools/access-proofs.ts).
// Exit status: 0 clean, 1 a mandatory policy is violated or an access promise is broken,
// 2 the config or the program is wrong (one line on stderr, no stack trace).
import { execFile } from "child_process";
import * as fs from "fs";
import * as path from "path";
import { loadPlanProgram, PlanProgram } from "./plan-program";
import { formatPlanMermaid } from "./plan-mermaid";
import { formatPlanSummary, formatPlanText, formatPolicyAndOutputs, PlanReport } from "./plan-report";
import { diffPlans, formatPlanChanges, readEarlierPlan } from "./plan-diff";
import { defaultOrganization, loadOrganizationFile, MockOrganization, useOrganization, workloadAccountsOf } from "./mock-organization";
import { hasMandatoryViolation } from "./policy-runner";
import type { AccessResult } from "./access-proofs";

export interface PlanArgs {
    stack: string;
    /** `--json` is short for `--format json`. */
    format: PlanFormat;
    /** Accepted from callers of plan(), which ignores the output format. */
    json?: boolean;
    program: string;
    policyConfig?: string;
    /** A JSON file of `getOrganization`'s shape the mock answers Organizations look-ups with. */
    organization?: string;
    /** `--against <file>`: an earlier plan JSON document to compare this plan with. */
    against?: string;
    /** `--help`: print the options and exit 0. */
    help?: boolean;
    /** `--no-access`: leave the access proofs out of `--json` (and out of the exit status). */
    noAccess?: boolean;
}

const ROOT = path.resolve(__dirname, "..");
const USAGE =
    "usage: npm run plan -- --stack <integration|production> [--format text|summary|json|mermaid|access] [--json] [--no-access] [--program <dir>] [--policy-config <file>] [--organization <file.json>] [--against <plan.json>]";
const HELP = `${USAGE}

  --stack <name>              the stack whose Pulumi.<name>.yaml config the program runs with (required)
  --format text|summary|json|mermaid|access
                              text (default): each account's resources as a tree of components and
                              children with names, then the policy report; summary: counts by type per
                              account; json: the plan JSON document (with the access proofs as "access");
                              mermaid: a diagram of accounts and components; access: the access proofs
                              as a table (promise, principal, decision, expected, holds/broken)
  --json                      short for --format json
  --no-access                 with --json: leave out the access proofs (the "access" array)
  --program <dir>             plan another Pulumi program (default: this repository)
  --policy-config <file>      the policy pack's config (enforcement levels and rule settings) as JSON
  --organization <file.json>  answer AWS Organizations look-ups (getOrganization) from this file, of
                              getOrganization's shape: {"id": "o-...", "masterAccountId": "...",
                              "roots": [{"id": "r-..."}], "accounts": [{"id": "...", "name": "...",
                              "email": "...", "status": "ACTIVE"}]}; without it a default organization
                              of the stack's core accounts and two example workload accounts answers
  --against <plan.json>       compare with an earlier plan (the --json output of npm run plan, such as
                              main's plan saved by CI): text and summary print what would be created,
                              deleted and updated, with each update's changed inputs (policy documents
                              statement by statement) before the policy report; json adds a
                              "changes" array of {urn, action: create|delete|update, paths}
  --help                      this text

Exit status: 0 clean, 1 a mandatory policy is violated or an access promise is broken, 2 bad arguments, config, organization file or program.
`;
const FORMATS = ["text", "summary", "json", "mermaid", "access"] as const;
export type PlanFormat = (typeof FORMATS)[number];

/** Raised for problems the user fixes (arguments, config, program); printed as one line, exit 2. */
export class PlanError extends Error {}

export function parseArgs(argv: string[], env: NodeJS.ProcessEnv = process.env): PlanArgs {
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
            case "--organization":
                args.organization = path.resolve(value());
                break;
            case "--against":
                args.against = value();
                break;
            case "--help":
            case "-h":
                args.help = true;
                return args as PlanArgs;
            case "--no-access":
                args.noAccess = true;
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
                throw new PlanError(unknownArgumentMessage(flag, env));
        }
    }
    if (!args.stack) {
        throw new PlanError(`--stack is required. ${USAGE}`);
    }
    if (args.against && args.format === "mermaid") {
        throw new PlanError("--against compares plans in the text, summary and json formats, not mermaid; drop one of them");
    }
    return args as PlanArgs;
}

/**
 * `npm run plan --stack production` (no `--`) keeps `--stack` as an npm option (npm_config_stack)
 * and passes a bare `production`: say which option npm took and the command that works.
 */
function unknownArgumentMessage(argument: string, env: NodeJS.ProcessEnv): string {
    if (argument.startsWith("-")) {
        return `unknown argument "${argument}". ${USAGE}`;
    }
    const taken = ["stack", "format", "program", "policy-config"].find(
        (option) => env[`npm_config_${option.replace(/-/g, "_")}`] === argument,
    );
    const option = taken ?? "stack";
    return `unknown argument "${argument}": npm keeps the options before \`--\` for itself; use npm run plan -- --${option} ${argument}`;
}

/** Plans the org-logging stack itself in a separate process; its outputs answer StackReferences. */
function planRootOutputs(stack: string, organization: string | undefined, env: NodeJS.ProcessEnv): Promise<Record<string, unknown>> {
    return new Promise((resolve, reject) => {
        execFile(
            process.execPath,
            [
                "-r",
                path.join(__dirname, "register-ts.js"),
                path.join(__dirname, "plan.ts"),
                "--stack",
                stack,
                "--json",
                "--no-access",
                ...(organization ? ["--organization", organization] : []),
            ],
            { cwd: ROOT, maxBuffer: 256 * 1024 * 1024, env },
            (err, stdout, stderr) => {
                if (err && (err as { code?: number }).code !== 1) {
                    reject(
                        new PlanError(
                            `cannot plan org-logging stack "${stack}" to answer its StackReference: ${stderr.trim() || err.message}`,
                        ),
                    );
                    return;
                }
                resolve(JSON.parse(stdout).outputs);
            },
        );
    });
}

/** The outputs a StackReference reads; `planned` holds the stacks this plan has planned for its references so far. */
function stackReferenceOutputs(
    name: string,
    organization: string | undefined,
    env: NodeJS.ProcessEnv,
    planned: Map<string, Promise<Record<string, unknown>>>,
): Promise<Record<string, unknown>> {
    const parts = name.split("/");
    const [project, stack] = parts.length === 3 ? parts.slice(1) : parts.length === 2 ? parts : [undefined, parts[0]];
    if (project !== "org-logging") {
        return Promise.reject(
            new PlanError(`StackReference "${name}" cannot be answered offline: only <org>/org-logging/<stack> is planned here`),
        );
    }
    // Several references to one stack (or a program read twice) plan it once.
    let outputs = planned.get(stack);
    if (!outputs) {
        outputs = planRootOutputs(stack, organization, env);
        planned.set(stack, outputs);
    }
    return outputs;
}

/** Plans `args.program`; the stacks its StackReferences name are planned in child processes that get `env`. */
export async function plan(
    args: Pick<PlanArgs, "stack" | "program" | "policyConfig" | "json" | "organization">,
    env: NodeJS.ProcessEnv = process.env,
): Promise<PlanReport> {
    const program: PlanProgram = loadPlanProgram(args.program, args.stack);
    const policyConfig = args.policyConfig ? readPolicyConfig(args.policyConfig) : undefined;
    const organization = args.organization ? readOrganization(args.organization, program) : undefined;
    // Loaded after the config is in place: the runtime reads it when the program starts.
    const { runPlan } = await import("./plan-run");
    const planned = new Map<string, Promise<Record<string, unknown>>>();
    try {
        return await runPlan(program, {
            policyConfig,
            organization,
            stackReferenceOutputs: (name) =>
                stackReferenceOutputs(name, args.organization, env, planned).then((outputs) =>
                    withReferencedOrganization(name, outputs, organization),
                ),
        });
    } catch (err) {
        throw withStackHint(program, err);
    }
}

/**
 * A program that references an org-logging stack lives in that stack's organization: without an
 * `--organization` file, Organizations look-ups answer with the referenced stack's default
 * organization (its core and workload accounts and the example workload accounts), as they would in AWS.
 */
function withReferencedOrganization(
    name: string,
    outputs: Record<string, unknown>,
    organization: MockOrganization | undefined,
): Record<string, unknown> {
    const accounts = outputs.accounts as Record<string, string> | undefined;
    if (!organization && typeof outputs.organizationId === "string" && accounts?.management) {
        const stack = name.split("/").pop() as string;
        const core = [
            ...Object.entries(accounts).map(([key, id]) => ({ key, id })),
            ...workloadAccountsOf(loadPlanProgram(ROOT, stack).config),
        ];
        useOrganization(defaultOrganization({ organizationId: outputs.organizationId, accounts: core }, accounts.management));
    }
    return outputs;
}

/** A program that fails on the empty config of a stack with no stack file: most likely a mistyped --stack. */
function withStackHint(program: PlanProgram, err: unknown): unknown {
    const missing = program.missingStackFile;
    if (!missing || missing.stacks.length === 0) {
        return err;
    }
    return new PlanError(
        `--stack ${program.stack}: no stack file ${path.basename(missing.stackFile)}, and the program fails on an empty config; the stacks of this project are ${missing.stacks.join(", ")}`,
    );
}

/** The organization file, which must be the organization the stack's `organizationId` names. */
function readOrganization(file: string, program: PlanProgram): MockOrganization {
    const organization = loadOrganizationFile(file);
    const configured = program.config["org-logging:organizationId"];
    if (configured !== undefined && configured !== organization.id) {
        throw new PlanError(
            `--organization ${file}: id "${organization.id}" is not the stack's org-logging:organizationId "${configured}"; plan with a file of that organization`,
        );
    }
    return organization;
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
    const line =
        message
            .split("\n")
            .find((l) => l.trim() !== "")
            ?.trim() ?? "unknown error";
    // Pulumi wraps a failed input in one `error serializing property "x": ` per level; the cause is what the user fixes.
    return line.replace(/^(error serializing property "[^"]*": )+/, "");
}

/**
 * A stack config's problems, one per line (`Pulumi.<stack>.yaml: <key>: ...` each); any other
 * error as its one line.
 */
export function problemLines(err: unknown): string[] {
    const message = err instanceof Error ? err.message : String(err);
    const lines = message
        .split("\n")
        .map((line) => line.trim())
        .filter((line) => line !== "");
    const source = /^(Pulumi\.[^:\s]+\.ya?ml): /.exec(lines[0] ?? "")?.[1];
    return source && lines.length > 1 && lines.every((line) => line.startsWith(`${source}: `)) ? lines : [oneLine(err)];
}

/** Where the plan CLI writes, and the environment it reads npm's options from and gives the plans of referenced stacks. */
export interface PlanIo {
    stdout: { write(text: string): unknown };
    stderr: { write(text: string): unknown };
    env: NodeJS.ProcessEnv;
}

/** `npm run plan -- <argv>`: writes the plan to `io` and resolves to the exit status. */
export async function runPlanCommand(argv: string[], io: PlanIo): Promise<number> {
    let args: PlanArgs;
    try {
        args = parseArgs(argv, io.env);
    } catch (err) {
        io.stderr.write(`plan: ${oneLine(err)}\n`);
        return 2;
    }
    if (args.help) {
        io.stdout.write(HELP);
        return 0;
    }
    // In JSON mode stdout carries exactly one document: anything the program logs goes to stderr.
    const { log, info } = console;
    if (args.format !== "text" && args.format !== "summary") {
        console.log = console.info = (...items: unknown[]) => io.stderr.write(items.map(String).join(" ") + "\n");
    }
    try {
        return await planAndPrint(args, io);
    } finally {
        Object.assign(console, { log, info });
    }
}

async function planAndPrint(args: PlanArgs, io: PlanIo): Promise<number> {
    let report: PlanReport;
    let earlier: EarlierPlan | undefined;
    try {
        // Read before planning: a wrong file is reported at once.
        earlier = args.against ? readAgainst(args.against) : undefined;
        report = await plan(args, io.env);
    } catch (err) {
        io.stderr.write(
            problemLines(err)
                .map((line) => `plan: ${line}\n`)
                .join(""),
        );
        return 2;
    }
    let broken = false;
    if (args.format === "mermaid") {
        const { recordedResources } = await import("./mock-runtime");
        io.stdout.write(formatPlanMermaid(report, recordedResources()));
    } else {
        // The JSON document carries the comparison (`changes`) and the access proofs (`access`) when asked for.
        const changes = earlier && args.format !== "access" ? diffPlans(earlier.plan, report) : undefined;
        let access: AccessResult[] | undefined;
        if (args.format === "access" || (args.format === "json" && !args.noAccess)) {
            const { accessProofs, stackFacts } = await import("./access-proofs");
            access = await accessProofs(report, stackFacts(args.program, args.stack));
            broken = access.some((r) => !r.holds);
        }
        if (args.format === "json") {
            io.stdout.write(JSON.stringify({ ...report, ...(changes && { changes }), ...(access && { access }) }) + "\n");
        } else if (access) {
            const { formatAccessTable } = await import("./access-proofs");
            io.stdout.write(formatAccessTable(access));
        } else if (earlier && changes) {
            io.stdout.write(formatPlanChanges(changes, earlier.plan, report, earlier.file) + formatPolicyAndOutputs(report));
        } else {
            io.stdout.write(args.format === "summary" ? formatPlanSummary(report) : formatPlanText(report));
        }
    }
    return broken || hasMandatoryViolation(report.violations) ? 1 : 0;
}

type EarlierPlan = { file: string; plan: ReturnType<typeof readEarlierPlan> };

/** The `--against` file, or a PlanError naming it and what is wrong (printed as one line, exit 2). */
export function readAgainst(file: string): EarlierPlan {
    let text: string;
    try {
        text = fs.readFileSync(file, "utf8");
    } catch (err) {
        const code = (err as NodeJS.ErrnoException).code;
        throw new PlanError(
            `--against ${file}: ${code === "ENOENT" ? "no such file" : code === "EISDIR" ? "is a directory" : (err as Error).message}; name an earlier plan saved with npm run plan -- --stack <name> --json > plan.json`,
        );
    }
    try {
        return { file, plan: readEarlierPlan(text) };
    } catch (err) {
        throw new PlanError(`--against ${file}: ${(err as Error).message}`);
    }
}

if (require.main === module) {
    void runPlanCommand(process.argv.slice(2), { stdout: process.stdout, stderr: process.stderr, env: process.env }).then((status) => {
        // exitCode, not exit(): exiting right after a large write to a pipe truncates it.
        process.exitCode = status;
    });
}
