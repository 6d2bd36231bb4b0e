// Runs the operator's validate / restart / health commands through /bin/sh, with {configDir},
// {environmentFile} and {certsDir} replaced by (shell-quoted) paths, a timeout, and their output logged
// line by line through the Redactor (a verbose validator may print the environment it was given).
import { spawn } from "child_process";
import { Layout } from "./layout";
import { Logger } from "./log";

export interface CommandResult {
    readonly ok: boolean;
    /** "exit 1", "signal SIGKILL", "timed out after 300 s", "could not start (ENOENT)". */
    readonly status: string;
}

export function shellQuote(s: string): string {
    return /^[A-Za-z0-9_/.,:@%+=-]+$/.test(s) ? s : `'${s.replace(/'/g, `'\\''`)}'`;
}

export function expandPlaceholders(command: string, layout: Layout): string {
    return command
        .replace(/\{configDir\}/g, shellQuote(layout.configDir))
        .replace(/\{environmentFile\}/g, shellQuote(layout.environmentFile))
        .replace(/\{certsDir\}/g, shellQuote(layout.certsDir));
}

/** The paths also reach the command as environment variables. */
export function layoutEnv(layout: Layout): Record<string, string> {
    return {
        ORGLOG_CONFIG_DIR: layout.configDir,
        ORGLOG_ENVIRONMENT_FILE: layout.environmentFile,
        ORGLOG_CERTS_DIR: layout.certsDir,
    };
}

const KEEP_LINES = 200;

export function runCommand(
    label: string,
    template: string,
    layout: Layout,
    extraEnv: Record<string, string>,
    timeoutSeconds: number,
    log: Logger,
): Promise<CommandResult> {
    const command = expandPlaceholders(template, layout);
    log.info(`${label}: running`, { command });
    return new Promise((resolve) => {
        const child = spawn("/bin/sh", ["-c", command], {
            env: { ...process.env, ...layoutEnv(layout), ...extraEnv },
            stdio: ["ignore", "pipe", "pipe"],
        });
        let lines = 0;
        const pipe = (stream: NodeJS.ReadableStream, level: "info" | "warn") => {
            let buffered = "";
            const flush = (final: boolean) => {
                const parts = buffered.split("\n");
                buffered = final ? "" : (parts.pop() ?? "");
                for (const line of parts) {
                    if (line === "" && final) {
                        continue;
                    }
                    if (++lines <= KEEP_LINES) {
                        log.log(level, `${label}: ${line}`);
                    }
                }
            };
            stream.setEncoding("utf8");
            stream.on("data", (chunk: string) => {
                buffered += chunk;
                flush(false);
            });
            stream.on("end", () => flush(true));
        };
        pipe(child.stdout!, "info");
        pipe(child.stderr!, "warn");
        let timedOut = false;
        const timer =
            timeoutSeconds > 0
                ? setTimeout(() => {
                      timedOut = true;
                      child.kill("SIGKILL");
                  }, timeoutSeconds * 1000)
                : undefined;
        child.on("error", (err) => {
            if (timer) {
                clearTimeout(timer);
            }
            resolve({ ok: false, status: `could not start (${(err as NodeJS.ErrnoException).code ?? err.message})` });
        });
        child.on("close", (code, signal) => {
            if (timer) {
                clearTimeout(timer);
            }
            if (lines > KEEP_LINES) {
                log.warn(`${label}: ${lines - KEEP_LINES} more output lines not shown`);
            }
            const status = timedOut ? `timed out after ${timeoutSeconds} s` : signal ? `signal ${signal}` : `exit ${code}`;
            const result = { ok: !timedOut && code === 0, status };
            log.log(result.ok ? "info" : "error", `${label}: ${result.ok ? "succeeded" : "failed"}`, { status });
            resolve(result);
        });
    });
}
