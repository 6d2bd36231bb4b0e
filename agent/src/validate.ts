// `validate`: the configuration repository's CI test stage. Renders the snapshot (with its secrets) into a
// private temporary directory laid out like the live one, runs only the validate command on it, removes it.
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { runCommand } from "./commands";
import { listDir } from "./durable";
import { writeTree } from "./generations";
import { layoutBelow, resolveLayout } from "./layout";
import { Logger } from "./log";
import { ValidateOptions } from "./options";
import { otherLiveProcess } from "./process-alive";
import { Redactor } from "./redact";
import { envOf, renderDesiredState } from "./render";
import { ValidateOutcome } from "./result";
import { readSnapshot } from "./snapshot";
import { openSource } from "./source";
import { setRequestTimeout } from "./aws-clients";
import { RunDeadline } from "./sync";

export interface ValidateReport {
    result: ValidateOutcome;
    source: string;
    manifest?: string;
    /** Files of the rendered state (config files, env file, certs), as paths inside the layout. */
    files?: number;
    reason?: string;
    problems?: string[];
}

const PREFIX = "orglog-validate-";
const SIGNALS: Record<string, number> = { SIGTERM: 15, SIGINT: 2, SIGHUP: 1 };

export async function runValidate(o: ValidateOptions, log: Logger, redactor: Redactor): Promise<ValidateReport> {
    removeLeftovers(os.tmpdir(), log);
    const layout = resolveLayout(o);
    setRequestTimeout(o.requestTimeoutSeconds * 1000);
    const deadline = new RunDeadline(o.deadlineSeconds);
    let read;
    try {
        const source = openSource(o.source, {
            requestTimeoutMs: o.requestTimeoutSeconds * 1000,
            maxListPages: o.maxListPages,
            signal: deadline.signal,
        });
        read = await deadline.race(
            (async () => {
                const snapshot = await readSnapshot(source, { publicKey: o.publicKey, requireSignature: o.requireSignature }, log);
                return { snapshot, ...(await renderDesiredState(layout, snapshot, redactor, log)) };
            })(),
        );
    } finally {
        deadline.stop();
    }
    const { snapshot, desired, envVars } = read;
    // mkdtemp creates the directory 0700: the rendered secrets are never readable by others. Its name
    // carries this process's pid, so a later run can tell a leftover of a killed run from a live one.
    const tmp = fs.mkdtempSync(path.join(os.tmpdir(), `${PREFIX}${process.pid}-`));
    const onSignal = (signal: NodeJS.Signals) => {
        fs.rmSync(tmp, { recursive: true, force: true });
        log.error(`stopped by ${signal}; removed the rendered state`, { dir: tmp });
        process.exit(128 + (SIGNALS[signal] ?? 15));
    };
    for (const sig of Object.keys(SIGNALS)) {
        process.on(sig, onSignal);
    }
    try {
        const root = path.join(tmp, "state");
        writeTree(root, desired, undefined);
        const v = await runCommand("validate", o.validateCommand, layoutBelow(layout, root), envOf(envVars), o.commandTimeoutSeconds, log);
        const files = [...desired.values()].filter((e) => e.kind === "file").length;
        return v.ok
            ? { result: "valid", source: o.source, manifest: snapshot.manifest, files }
            : {
                  result: "invalid",
                  source: o.source,
                  manifest: snapshot.manifest,
                  files,
                  reason: `the validate command failed (${v.status})`,
              };
    } finally {
        fs.rmSync(tmp, { recursive: true, force: true });
        for (const sig of Object.keys(SIGNALS)) {
            process.off(sig, onSignal);
        }
    }
}

/** Rendered states of validate runs that were killed (SIGKILL leaves no chance to clean up). */
export function removeLeftovers(dir: string, log: Logger): void {
    for (const name of listDir(dir)) {
        if (!name.startsWith(PREFIX)) {
            continue;
        }
        const pid = Number(name.slice(PREFIX.length).split("-")[0]);
        if (pid === process.pid || otherLiveProcess(pid)) {
            continue;
        }
        const full = path.join(dir, name);
        try {
            if (fs.lstatSync(full).uid !== process.getuid?.()) {
                // another user's: not ours to remove
                continue;
            }
            fs.rmSync(full, { recursive: true, force: true });
            log.info("removed the rendered state a killed validate run left", { dir: full });
        } catch {
            // gone already, or not ours
        }
    }
}
