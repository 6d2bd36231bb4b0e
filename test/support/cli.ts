// Runs the plan CLI as a user would: its entry point in this process, or in a child process.
import { spawnSync } from "child_process";
import { createHash } from "crypto";
import * as fs from "fs";
import * as path from "path";
import { runPlanCommand } from "../../tools/plan";
import { ROOT } from "./harness";

export interface CliResult {
    status: number | null;
    stdout: string;
    stderr: string;
}

// The plan is deterministic: the same arguments, environment and input files give the same output.
// Specs of different files that ask for the same plan (`--stack production --json` is asked for by
// several) share one run per mocha process instead of paying for a plan each.
const runs = new Map<string, Promise<CliResult>>();
// The mock runtime, the console and process.env are the process's own: one plan at a time.
let queue: Promise<unknown> = Promise.resolve();

/**
 * `npm run plan -- <args>` without npm's banner: the CLI's entry point run in this process, with
 * `env` as process.env, its output and everything the program prints captured. A child process
 * would pay for loading Node, the Pulumi SDK and the policy pack on every plan.
 */
export function runPlanCli(args: string[], env: NodeJS.ProcessEnv = process.env): Promise<CliResult> {
    const key = runKey(args, env);
    let run = runs.get(key);
    if (!run) {
        run = queue.then(() => planInThisProcess(args, env));
        queue = run.catch(() => undefined);
        runs.set(key, run);
    }
    return run.then((known) => ({ ...known }));
}

/** `npm run plan -- <args>` in a child process: the real process's exit status and streams. */
export function spawnPlanCli(args: string[], env: NodeJS.ProcessEnv = process.env): CliResult {
    const result = spawnSync(process.execPath, ["-r", path.join(ROOT, "tools/register-ts.js"), path.join(ROOT, "tools/plan.ts"), ...args], {
        cwd: ROOT,
        env,
        encoding: "utf8",
        maxBuffer: 256 * 1024 * 1024,
    });
    return { status: result.status, stdout: result.stdout, stderr: result.stderr };
}

type Write = typeof process.stdout.write;

async function planInThisProcess(args: string[], env: NodeJS.ProcessEnv): Promise<CliResult> {
    const output = { stdout: "", stderr: "" };
    const capture =
        (stream: keyof typeof output): Write =>
        (chunk: string | Uint8Array, ...rest: unknown[]) => {
            output[stream] += typeof chunk === "string" ? chunk : Buffer.from(chunk).toString("utf8");
            const done = rest.find((r) => typeof r === "function") as (() => void) | undefined;
            done?.();
            return true;
        };
    const saved = {
        stdout: process.stdout.write,
        stderr: process.stderr.write,
        env: { ...process.env },
        cwd: process.cwd(),
        console: { ...console },
        pulumi: pulumiState(),
    };
    process.stdout.write = capture("stdout");
    process.stderr.write = capture("stderr");
    replaceEnv(env);
    process.chdir(ROOT);
    try {
        const status = await runPlanCommand(args, { stdout: process.stdout, stderr: process.stderr, env: process.env });
        return { status, ...output };
    } finally {
        process.stdout.write = saved.stdout;
        process.stderr.write = saved.stderr;
        replaceEnv(saved.env);
        process.chdir(saved.cwd);
        Object.assign(console, saved.console);
        restorePulumiState(saved.pulumi);
    }
}

function replaceEnv(env: NodeJS.ProcessEnv): void {
    const wanted = { ...env };
    for (const name of Object.keys(process.env)) {
        if (!(name in wanted)) {
            delete process.env[name];
        }
    }
    Object.assign(process.env, wanted);
}

type PulumiStore = { config: Record<string, string>; settings: { options: { rootDirectory?: string } } };

/** The stack config and root directory a plan sets in the Pulumi runtime, which the specs' own mock runs read too. */
function pulumiState(): { config: Record<string, string>; rootDirectory?: string } {
    const store = (require("@pulumi/pulumi/runtime/state") as { getStore(): PulumiStore }).getStore();
    return { config: { ...store.config }, rootDirectory: store.settings.options.rootDirectory };
}

function restorePulumiState(state: ReturnType<typeof pulumiState>): void {
    const store = (require("@pulumi/pulumi/runtime/state") as { getStore(): PulumiStore }).getStore();
    for (const key of Object.keys(store.config)) {
        delete store.config[key];
    }
    Object.assign(store.config, state.config);
    store.settings.options.rootDirectory = state.rootDirectory;
}

/** The arguments, the environment's differences from this process's and the content of every file or folder an argument names. */
function runKey(args: string[], env: NodeJS.ProcessEnv): string {
    const hash = createHash("sha256");
    hash.update(JSON.stringify(args));
    const keys = new Set([...Object.keys(env), ...Object.keys(process.env)]);
    for (const name of [...keys].sort()) {
        if (env[name] !== process.env[name]) {
            hash.update(`\0env:${name}=${env[name] ?? "<unset>"}`);
        }
    }
    for (const arg of args) {
        fingerprint(path.resolve(ROOT, arg), hash, 0);
    }
    return hash.digest("hex");
}

function fingerprint(file: string, hash: ReturnType<typeof createHash>, depth: number): void {
    let stat: fs.Stats;
    try {
        stat = fs.statSync(file);
    } catch {
        return;
    }
    if (stat.isFile()) {
        hash.update(`\0file:${file}:`).update(fs.readFileSync(file));
    } else if (stat.isDirectory() && depth < 3 && file !== ROOT) {
        for (const entry of fs.readdirSync(file).sort()) {
            if (entry !== "node_modules") {
                fingerprint(path.join(file, entry), hash, depth + 1);
            }
        }
    }
}
