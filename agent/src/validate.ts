// `validate`: the configuration repository's CI test stage. Renders the snapshot (with its secrets) into a
// private temporary directory laid out like the live one, runs only the validate command on it, removes it.
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { runCommand } from "./commands";
import { writeTree } from "./generations";
import { layoutBelow, resolveLayout } from "./layout";
import { Logger } from "./log";
import { ValidateOptions } from "./options";
import { Redactor } from "./redact";
import { envOf, renderDesiredState } from "./render";
import { ValidateOutcome } from "./result";
import { readSnapshot } from "./snapshot";
import { openSource } from "./source";

export interface ValidateReport {
    result: ValidateOutcome;
    source: string;
    manifest?: string;
    /** Files of the rendered state (config files, env file, certs), as paths inside the layout. */
    files?: number;
    reason?: string;
    problems?: string[];
}

export async function runValidate(o: ValidateOptions, log: Logger, redactor: Redactor): Promise<ValidateReport> {
    const layout = resolveLayout(o);
    const snapshot = await readSnapshot(openSource(o.source), { publicKey: o.publicKey, requireSignature: o.requireSignature }, log);
    const { desired, envVars } = await renderDesiredState(layout, snapshot, redactor, log);
    // mkdtemp creates the directory 0700: the rendered secrets are never readable by others.
    const tmp = fs.mkdtempSync(path.join(os.tmpdir(), "orglog-validate-"));
    try {
        const root = path.join(tmp, "state");
        writeTree(root, desired, undefined);
        const v = await runCommand("validate", o.validateCommand, layoutBelow(layout, root), envOf(envVars), o.commandTimeoutSeconds, log);
        const files = [...desired.values()].filter((e) => e.kind === "file").length;
        return v.ok
            ? { result: "valid", source: o.source, manifest: snapshot.manifest, files }
            : { result: "invalid", source: o.source, manifest: snapshot.manifest, files, reason: `the validate command failed (${v.status})` };
    } finally {
        fs.rmSync(tmp, { recursive: true, force: true });
    }
}
