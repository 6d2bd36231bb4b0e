// journal.json records which step of an apply is under way, so that the next run can complete or undo a
// run that was killed. It is replaced atomically at each step and removed when the run ends.
import * as fs from "fs";
import * as path from "path";
import { listDir, replaceFileDurable } from "./durable";

export type Phase =
    /** Writing and validating generation `to`; live untouched. Undo: remove `to`. */
    | "staging"
    /** Taking over the live paths with generation `adopted` (same content as live). Complete: place the links. */
    | "adopting"
    /** About to switch `current` from `from` to `to`. If the switch happened, continue as "restarting". */
    | "switching"
    /** `to` is live; the restart (and health check) may not have happened. Complete: restart, then commit. */
    | "restarting"
    /** Going back to `from` after a failed restart. Complete: switch to `from`, restart, remove `to`. */
    | "rolling-back";

export interface Journal {
    readonly phase: Phase;
    readonly to: string;
    readonly from?: string;
    readonly adopted?: string;
    /** What the apply changes (live paths), reported again if the next run completes it. */
    readonly changed: readonly string[];
    readonly removed: readonly string[];
    readonly startedAt: string;
}

export class JournalFile {
    readonly path: string;
    constructor(stateDir: string) {
        this.path = path.join(stateDir, "journal.json");
    }

    read(): Journal | undefined {
        let text: string;
        try {
            text = fs.readFileSync(this.path, "utf8");
        } catch {
            return undefined;
        }
        return JSON.parse(text) as Journal;
    }

    write(journal: Journal): void {
        replaceFileDurable(this.path, `${JSON.stringify(journal)}\n`, 0o600);
    }

    /** Temp files of journal writes that failed or were killed (the lock is held: none is in use). */
    removeLeftovers(): void {
        const dir = path.dirname(this.path);
        const base = `${path.basename(this.path)}.`;
        for (const name of listDir(dir)) {
            if (name.startsWith(base) && name.endsWith(".tmp")) {
                fs.rmSync(path.join(dir, name), { force: true });
            }
        }
    }

    clear(): void {
        fs.rmSync(this.path, { force: true });
    }
}
