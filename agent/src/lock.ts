// One run at a time per host. The lock file holds the owner's pid and process start time; a lock whose
// owner is gone (a killed run) is taken over, so a crash never blocks the next deployment.
import * as fs from "fs";
import * as path from "path";
import { rejected } from "./result";

interface Holder {
    pid: number;
    start: string;
}

export class Lock {
    private held = false;
    private readonly me: Holder = { pid: process.pid, start: processStart(process.pid) ?? "" };

    constructor(readonly file: string) {}

    /** Waits up to `timeoutSeconds` for the lock; throws AgentError("rejected") naming the holder after that. */
    async acquire(timeoutSeconds: number, onWait: (holder: string) => void): Promise<void> {
        fs.mkdirSync(path.dirname(this.file), { recursive: true });
        const deadline = Date.now() + timeoutSeconds * 1000;
        let announced = false;
        for (;;) {
            if (this.tryCreate()) {
                this.held = true;
                return;
            }
            const text = readOrUndefined(this.file);
            const holder = text === undefined ? undefined : parseHolder(text);
            if (text !== undefined && (!holder || !alive(holder))) {
                // Stale: remove it only if it is still the same stale content (another waiter may have won).
                if (readOrUndefined(this.file) === text) fs.rmSync(this.file, { force: true });
                continue;
            }
            const who = holder ? `pid ${holder.pid}` : "another run";
            if (Date.now() >= deadline) {
                throw rejected(`another agent run (${who}) holds the lock ${this.file}; waited ${timeoutSeconds} s. Try again when it has finished`);
            }
            if (!announced) onWait(who);
            announced = true;
            await new Promise((r) => setTimeout(r, 200));
        }
    }

    release(): void {
        if (!this.held) return;
        this.held = false;
        const holder = parseHolder(readOrUndefined(this.file) ?? "");
        if (holder && holder.pid === this.me.pid) fs.rmSync(this.file, { force: true });
    }

    private tryCreate(): boolean {
        try {
            const fd = fs.openSync(this.file, "wx", 0o644);
            try {
                fs.writeFileSync(fd, `${JSON.stringify(this.me)}\n`);
            } finally {
                fs.closeSync(fd);
            }
            return true;
        } catch (err) {
            if ((err as NodeJS.ErrnoException).code === "EEXIST") return false;
            throw err;
        }
    }
}

function readOrUndefined(p: string): string | undefined {
    try {
        return fs.readFileSync(p, "utf8");
    } catch {
        return undefined;
    }
}

function parseHolder(text: string): Holder | undefined {
    try {
        const h = JSON.parse(text) as Holder;
        return Number.isInteger(h.pid) && typeof h.start === "string" ? h : undefined;
    } catch {
        return undefined; // half-written by a run killed while taking the lock: stale
    }
}

function alive(h: Holder): boolean {
    try {
        process.kill(h.pid, 0);
    } catch (err) {
        return (err as NodeJS.ErrnoException).code === "EPERM";
    }
    // Same pid but another start time: the pid was reused after the holder died.
    const start = processStart(h.pid);
    return start === undefined || h.start === "" || start === h.start;
}

/** Field 22 of /proc/<pid>/stat (start time in clock ticks since boot); undefined off Linux. */
function processStart(pid: number): string | undefined {
    try {
        const stat = fs.readFileSync(`/proc/${pid}/stat`, "utf8");
        return stat.slice(stat.lastIndexOf(")") + 2).split(" ")[19];
    } catch {
        return undefined;
    }
}
