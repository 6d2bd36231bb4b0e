// Runs the plan CLI as a user would, in a child process.
import { spawnSync } from "child_process";
import * as path from "path";
import { ROOT } from "./harness";

export interface CliResult {
    status: number | null;
    stdout: string;
    stderr: string;
}

/** `npm run plan -- <args>` without npm's banner: the same entry point and loader. */
export function runPlanCli(args: string[], env: NodeJS.ProcessEnv = process.env): CliResult {
    const result = spawnSync(process.execPath, ["-r", path.join(ROOT, "tools/register-ts.js"), path.join(ROOT, "tools/plan.ts"), ...args], {
        cwd: ROOT,
        env,
        encoding: "utf8",
        maxBuffer: 256 * 1024 * 1024,
    });
    return { status: result.status, stdout: result.stdout, stderr: result.stderr };
}
