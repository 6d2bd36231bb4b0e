// bash for specs of generated shell: fails (never skips) when bash is missing.
import * as assert from "assert";
import { spawnSync } from "child_process";

/** Runs `bash <args>` with `input` on stdin. */
export function runBash(
    args: string[],
    input?: string,
): { status: number | null; signal: NodeJS.Signals | null; stdout: string; stderr: string } {
    const run = spawnSync("bash", args, { input, encoding: "utf8" });
    if (run.error) {
        assert.fail(`bash is required for the specs of generated shell scripts: ${run.error.message}`);
    }
    return run;
}

/** `bash -n` on a script: "" when it parses, bash's message otherwise. */
export function bashSyntax(script: string): string {
    const run = runBash(["-n"], script);
    return run.status === 0 ? "" : run.stderr.trim() || `bash -n exited ${run.status ?? run.signal}`;
}
