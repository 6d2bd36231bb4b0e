// Runs the plan CLI as a user would, in a child process.
import { spawnSync } from "child_process";
import { createHash } from "crypto";
import * as fs from "fs";
import * as path from "path";
import { ROOT } from "./harness";

export interface CliResult {
    status: number | null;
    stdout: string;
    stderr: string;
}

// The plan is deterministic: the same arguments, environment and input files give the same output.
// Specs of different files that ask for the same plan (`--stack production --json` is asked for by
// several) share one child process per mocha process instead of paying for a plan each.
const runs = new Map<string, CliResult>();

/** `npm run plan -- <args>` without npm's banner: the same entry point and loader. */
export function runPlanCli(args: string[], env: NodeJS.ProcessEnv = process.env): CliResult {
    const key = runKey(args, env);
    const known = runs.get(key);
    if (known) {
        return { ...known };
    }
    const result = spawnSync(process.execPath, ["-r", path.join(ROOT, "tools/register-ts.js"), path.join(ROOT, "tools/plan.ts"), ...args], {
        cwd: ROOT,
        env,
        encoding: "utf8",
        maxBuffer: 256 * 1024 * 1024,
    });
    const run = { status: result.status, stdout: result.stdout, stderr: result.stderr };
    runs.set(key, run);
    return { ...run };
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
