// Entry point of the collector agent (bundled to agent/dist/agent.js). See docs/agent.md.
// stdout carries exactly one line, the final JSON result; logs go to stderr. Exit codes: 0 ok, 1 invalid,
// 2 rejected, 3 rolled back, 4 a time limit expired (result "rejected", "timedOut": true).
import { Logger } from "./log";
import { notify } from "./notify";
import { AgentOptions, parseArgs, USAGE, wantsJson } from "./options";
import { runPublish } from "./publish";
import { Redactor } from "./redact";
import { AgentError, errorName, exitCodeOf, Outcome, TIMED_OUT_EXIT_CODE } from "./result";
import { runSync } from "./sync";
import { runValidate } from "./validate";

type Report = Record<string, unknown> & { result: Outcome };

async function main(argv: string[]): Promise<number> {
    if (argv.includes("--help") || argv[0] === "help") {
        process.stdout.write(`${USAGE}\n`);
        return 0;
    }
    const redactor = new Redactor();
    let log = new Logger(wantsJson(argv), redactor);
    let parsed: AgentOptions;
    try {
        parsed = parseArgs(argv);
    } catch (err) {
        return finish(failure(err, log), log, redactor);
    }
    log = new Logger(parsed.options.json, redactor);
    routeProcessWarnings(log);
    const started = Date.now();
    let report: Report;
    try {
        if (parsed.command === "sync") {
            report = { command: "sync", ...(await runSync(parsed.options, log, redactor)) };
        } else if (parsed.command === "validate") {
            report = { command: "validate", ...(await runValidate(parsed.options, log, redactor)) };
        } else {
            report = { command: "publish", ...(await runPublish(parsed.options, log)) };
        }
    } catch (err) {
        report = { command: parsed.command, ...failure(err, log) };
        if (parsed.command === "sync") {
            report = { changed: [], removed: [], restarted: false, source: parsed.options.source, ...report };
        }
    }
    report.durationMs = Date.now() - started;
    if (parsed.command === "sync" && parsed.options.topicArn !== undefined) {
        await notify(parsed.options.topicArn, report, redactor, log);
    }
    return finish(report, log, redactor);
}

/** Node's own warnings (the SDK's Node-version notice among them) go through the logger, so `--json` logs stay JSON. */
function routeProcessWarnings(log: Logger): void {
    process.removeAllListeners("warning");
    process.on("warning", (w) => log.warn(`${w.name}: ${w.message.replace(/\s+/g, " ").trim()}`));
}

function failure(err: unknown, log: Logger): Report {
    if (err instanceof AgentError) {
        log.error(err.reason);
        for (const p of err.problems) {
            log.error(`  ${p}`);
        }
        return {
            result: err.outcome,
            reason: err.reason,
            ...(err.problems.length > 0 ? { problems: [...err.problems] } : {}),
            ...(err.timedOut ? { timedOut: true } : {}),
        };
    }
    const code = (err as NodeJS.ErrnoException)?.code;
    if (typeof code === "string" && /^E[A-Z]+$/.test(code)) {
        // A file system failure (disk full, permissions, a name too long): one line naming the path, no trace.
        log.error(`file system error: ${errorName(err)}`);
        return {
            result: "rejected",
            reason: `file system error (${errorName(err)}); the live state is unchanged unless journal.json says otherwise, and the next run finishes it`,
        };
    }
    // Not an expected refusal: a bug or an I/O failure. Nothing was switched unless journal.json says so,
    // and the next run finishes whatever it records.
    log.error(`unexpected error: ${(err as Error)?.stack ?? String(err)}`);
    return { result: "rejected", reason: `unexpected error (${errorName(err)})` };
}

function finish(report: Report, log: Logger, redactor: Redactor): number {
    const code = report.timedOut === true ? TIMED_OUT_EXIT_CODE : exitCodeOf(report.result);
    log.log(code === 0 ? "info" : "error", `result: ${report.result}`, { exitCode: code });
    // One write, and no process.exit(): a piped stdout is flushed before the process ends.
    process.stdout.write(`${JSON.stringify(redactor.redactDeep(report))}\n`);
    return code;
}

main(process.argv.slice(2)).then(
    (code) => {
        process.exitCode = code;
    },
    (err) => {
        process.stderr.write(`agent: ${String(err)}\n`);
        process.exitCode = 2;
    },
);
