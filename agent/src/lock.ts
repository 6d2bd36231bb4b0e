// One run at a time per host.
//
// The lock file holds the owner's pid, process start time and a random token. It is only ever created
// whole (written to a private temp file, then hard-linked into place: link() fails when the name exists,
// like O_EXCL), and only its owner unlinks it. A lock whose owner is gone (a killed run) is stale and is
// taken over without ever being unlinked by a waiter:
//   1. the waiter claims that exact stale lock by creating <lock>.takeover-<digest of its content> (link(),
//      so one waiter wins however many saw the same stale lock at once);
//   2. holding the claim, it checks that the lock still has that content (nobody else can change it now:
//      its owner is dead and every other taker needs the same claim), and renames its own lock over it;
//   3. it reads the lock back and holds it only when the token is its own.
// A claim whose maker died before step 2 is itself stale and is claimed the same way, one level up.
//
// A waiter sleeps until the lock file changes (inotify on its directory through fs.watch: the owner's
// unlink wakes it at once) or 100-200 ms have passed, whichever comes first; without fs.watch it polls.
import * as crypto from "crypto";
import * as fs from "fs";
import * as path from "path";
import { listDir } from "./durable";
import { pausePoint } from "./pause";
import { otherLiveProcess, pidAlive } from "./process-alive";
import { rejected } from "./result";

interface Holder {
    pid: number;
    start: string;
    token?: string;
}

const TAKEOVER = ".takeover-";

export class Lock {
    private held = false;
    private readonly me: Holder = {
        pid: process.pid,
        start: processStart(process.pid) ?? "",
        token: crypto.randomBytes(12).toString("hex"),
    };
    private readonly text = `${JSON.stringify(this.me)}\n`;

    constructor(readonly file: string) {}

    /** Waits up to `timeoutSeconds` for the lock; throws AgentError("rejected") naming the holder after that. */
    async acquire(timeoutSeconds: number, onWait: (holder: string) => void): Promise<void> {
        fs.mkdirSync(path.dirname(this.file), { recursive: true });
        const deadline = Date.now() + timeoutSeconds * 1000;
        const released = new Wakeup(path.dirname(this.file), path.basename(this.file));
        try {
            await this.wait(deadline, timeoutSeconds, onWait, released);
        } finally {
            released.close();
        }
        this.held = true;
        this.removeOldClaims();
        await pausePoint("locked");
    }

    private async wait(deadline: number, timeoutSeconds: number, onWait: (holder: string) => void, released: Wakeup): Promise<void> {
        let announced = false;
        for (;;) {
            if (this.createWhole(this.file)) {
                break;
            }
            const text = readOrUndefined(this.file);
            if (text === undefined) {
                // released just now
                continue;
            }
            const holder = parseHolder(text);
            if (!holder || !alive(holder)) {
                await pausePoint("lock-stale");
                if (this.takeOver(text)) {
                    break;
                }
                await new Promise((r) => setTimeout(r, 20 + Math.floor(Math.random() * 30)));
                continue;
            }
            const who = `pid ${holder.pid}`;
            if (Date.now() >= deadline) {
                throw rejected(
                    `another agent run (${who}) holds the lock ${this.file}; waited ${timeoutSeconds} s. Try again when it has finished`,
                );
            }
            if (!announced) {
                onWait(who);
            }
            announced = true;
            await released.next(100 + Math.floor(Math.random() * 100));
        }
    }

    release(): void {
        if (!this.held) {
            return;
        }
        this.held = false;
        // Only the owner unlinks, and nobody replaces a live owner's lock, so read-then-unlink is safe.
        if (readOrUndefined(this.file) === this.text) {
            fs.rmSync(this.file, { force: true });
        }
    }

    /** True when this run now owns the lock, whose stale content was `staleText`. */
    private takeOver(staleText: string): boolean {
        if (!this.claim(`${this.file}${TAKEOVER}${digest(staleText)}`, 0)) {
            return false;
        }
        if (readOrUndefined(this.file) !== staleText) {
            // taken over (or released) already
            return false;
        }
        fs.renameSync(this.writeTemp(), this.file);
        return readOrUndefined(this.file) === this.text;
    }

    /** True when this run holds claim file `name`: created it, or took over the claim of a run that died. */
    private claim(name: string, depth: number): boolean {
        if (this.createWhole(name)) {
            return true;
        }
        const text = readOrUndefined(name);
        if (text === undefined || depth >= 8) {
            return false;
        }
        const claimer = parseHolder(text);
        if (claimer && alive(claimer)) {
            // another waiter is taking over: wait for it
            return false;
        }
        if (!this.claim(`${this.file}${TAKEOVER}${digest(text)}`, depth + 1)) {
            return false;
        }
        if (readOrUndefined(name) !== text) {
            return false;
        }
        fs.renameSync(this.writeTemp(), name);
        return readOrUndefined(name) === this.text;
    }

    /** Creates `target` with this run's holder record, whole, or returns false when it exists. */
    private createWhole(target: string): boolean {
        const tmp = this.writeTemp();
        try {
            fs.linkSync(tmp, target);
            return true;
        } catch (err) {
            if ((err as NodeJS.ErrnoException).code === "EEXIST") {
                return false;
            }
            throw err;
        } finally {
            fs.rmSync(tmp, { force: true });
        }
    }

    private writeTemp(): string {
        const tmp = `${this.file}.${process.pid}.${crypto.randomBytes(4).toString("hex")}.tmp`;
        fs.writeFileSync(tmp, this.text, { mode: 0o644, flag: "wx" });
        return tmp;
    }

    /** Claims and temp files left by earlier takeovers and killed runs (the lock is held: none is in use). */
    private removeOldClaims(): void {
        const dir = path.dirname(this.file);
        const base = path.basename(this.file);
        for (const name of listDir(dir)) {
            if (!name.startsWith(`${base}.`) || name === base) {
                continue;
            }
            const full = path.join(dir, name);
            if (name.startsWith(`${base}${TAKEOVER}`)) {
                const h = parseHolder(readOrUndefined(full) ?? "");
                if (!h || !alive(h) || h.token === this.me.token) {
                    fs.rmSync(full, { force: true });
                }
            } else if (name.endsWith(".tmp")) {
                const pid = Number(name.slice(base.length + 1).split(".")[0]);
                if (pid !== process.pid && !otherLiveProcess(pid)) {
                    fs.rmSync(full, { force: true });
                }
            }
        }
    }
}

/**
 * Resolves `next(ms)` when the entry `name` of `dir` changes (the lock is unlinked, or renamed over by
 * a takeover), or after `ms`. Only that exact name: a waiter's own temp files must not wake it.
 */
class Wakeup {
    private watcher: fs.FSWatcher | undefined;
    private started = false;
    private wake: (() => void) | undefined;
    private changed = false;

    constructor(
        private readonly dir: string,
        private readonly name: string,
    ) {}

    /** Started by the first wait, so that a run that finds the lock free never watches. */
    private start(): void {
        this.started = true;
        try {
            this.watcher = fs.watch(this.dir, { persistent: false }, (_event, changed) => {
                if (changed !== null && String(changed) !== this.name) {
                    return;
                }
                this.changed = true;
                this.wake?.();
            });
            this.watcher.on("error", () => this.close());
        } catch {
            this.watcher = undefined; // no inotify (limit reached, unsupported file system): poll only
        }
    }

    next(ms: number): Promise<void> {
        if (!this.started) {
            this.start();
        }
        if (this.changed) {
            this.changed = false;
            return Promise.resolve();
        }
        return new Promise((resolve) => {
            const done = () => {
                clearTimeout(timer);
                this.wake = undefined;
                this.changed = false;
                resolve();
            };
            const timer = setTimeout(done, ms);
            this.wake = done;
        });
    }

    close(): void {
        this.watcher?.close();
        this.watcher = undefined;
        this.wake?.();
    }
}

function digest(text: string): string {
    return crypto.createHash("sha256").update(text).digest("hex").slice(0, 32);
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
        return undefined; // not a holder record (written by hand, or by an older agent killed mid-write): stale
    }
}

export function alive(h: Holder): boolean {
    if (!pidAlive(h.pid)) {
        return false;
    }
    // Same pid but another start time: the pid was reused after the holder died.
    const start = processStart(h.pid);
    return start === undefined || h.start === "" || start === h.start;
}

/** Field 22 of /proc/<pid>/stat (start time in clock ticks since boot); undefined off Linux. */
export function processStart(pid: number): string | undefined {
    try {
        const stat = fs.readFileSync(`/proc/${pid}/stat`, "utf8");
        return stat.slice(stat.lastIndexOf(")") + 2).split(" ")[19];
    } catch {
        return undefined;
    }
}
