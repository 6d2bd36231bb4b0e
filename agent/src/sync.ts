// `sync`: bring the live state to the source snapshot, or leave it wholly as it was.
//
//   lock -> finish an interrupted run (journal) -> read snapshot -> render desired state in memory
//   -> same as live? "unchanged" (nothing validated, restarted or written)
//   -> write generation -> validate it ("invalid": removed, live untouched)
//   -> [first time: adopt the live paths] -> switch `current` -> restart + health
//   -> ok: "applied", old generation removed | failed: switch back, restart again, "rolled-back"
import * as fs from "fs";
import * as path from "path";
import { CommandResult, runCommand } from "./commands";
import { crashPoint } from "./crash";
import { DesiredState } from "./desired-state";
import { Generations } from "./generations";
import { Journal, JournalFile } from "./journal";
import { Layout, resolveLayout } from "./layout";
import { diffLiveState, readLiveState } from "./live-state";
import { Lock } from "./lock";
import { Logger } from "./log";
import { SyncOptions } from "./options";
import { Owner, resolveOwner } from "./owner";
import { Redactor } from "./redact";
import { envOf, renderDesiredState } from "./render";
import { AgentError, rejected, SyncOutcome, timedOut } from "./result";
import { readSnapshot, Snapshot } from "./snapshot";
import { openSource, SourceLimits } from "./source";
import { setRequestTimeout } from "./aws-clients";
import { StateFile } from "./state-record";

export interface SyncReport {
    result: SyncOutcome;
    /** Live paths added, modified or removed by this run (directories end with "/"). */
    changed: string[];
    removed: string[];
    restarted: boolean;
    source: string;
    manifest?: Snapshot["manifest"];
    /** Files fetched with GetObject this run. */
    downloaded?: number;
    generation?: string;
    /** For invalid / rolled-back: what the rejected snapshot would have changed. */
    pending?: string[];
    reason?: string;
    problems?: string[];
    /** What this run did to finish a run that was killed. */
    recovered?: string;
    /** The restart (and health check) on the previous state after a rollback. */
    rollback?: { ok: boolean; status: string };
}

interface Recovery {
    note?: string;
    /** The interrupted apply was completed (restarted on the new generation and committed). */
    committed?: Journal;
}

export async function runSync(o: SyncOptions, log: Logger, redactor: Redactor): Promise<SyncReport> {
    const owner = o.owner === undefined ? undefined : resolveOwner(o.owner);
    const deadline = new RunDeadline(o.deadlineSeconds);
    setRequestTimeout(o.requestTimeoutSeconds * 1000);
    const lock = new Lock(o.lockFile);
    try {
        await lock.acquire(o.lockTimeoutSeconds, (who) => log.info(`waiting for ${who} to finish`, { lock: o.lockFile }));
        try {
            return await new SyncRun(o, log, redactor, owner, deadline).run();
        } finally {
            lock.release();
        }
    } finally {
        deadline.stop();
    }
}

/**
 * The whole-run deadline (--deadline). It bounds reading the source and its secrets: when it expires
 * before the new generation is staged, the run stops with exit code 4 and the live state untouched. Once
 * staging has begun the run completes (each command is bounded by --command-timeout).
 */
export class RunDeadline {
    private readonly controller = new AbortController();
    private readonly timer: NodeJS.Timeout;
    readonly expired: Promise<never>;

    constructor(readonly seconds: number) {
        let fail: (err: Error) => void = () => undefined;
        this.expired = new Promise<never>((_, reject) => (fail = reject));
        this.expired.catch(() => undefined);
        this.timer = setTimeout(() => {
            const err = timedOut(`the run did not finish reading its source within --deadline ${seconds} s; the live state is unchanged`);
            this.controller.abort(err);
            fail(err);
        }, seconds * 1000);
        this.timer.unref();
    }

    get signal(): AbortSignal {
        return this.controller.signal;
    }

    /** `work`, or the deadline's error if it expires first. */
    race<T>(work: Promise<T>): Promise<T> {
        work.catch(() => undefined);
        return Promise.race([work, this.expired]);
    }

    check(): void {
        if (this.controller.signal.aborted) {
            throw this.controller.signal.reason as Error;
        }
    }

    stop(): void {
        clearTimeout(this.timer);
    }
}

class SyncRun {
    private readonly layout: Layout;
    private readonly gens: Generations;
    private readonly journal: JournalFile;
    private readonly state: StateFile;
    /** Live config files read by this run (path to content), reused by the live-state comparison. */
    private readonly liveReads = new Map<string, Buffer>();

    constructor(
        private readonly o: SyncOptions,
        private readonly log: Logger,
        private readonly redactor: Redactor,
        private readonly owner: Owner | undefined,
        private readonly deadline: RunDeadline,
    ) {
        this.layout = resolveLayout(o);
        this.gens = new Generations(this.layout, log);
        this.journal = new JournalFile(this.layout.stateDir);
        this.state = new StateFile(this.layout.stateDir);
    }

    async run(): Promise<SyncReport> {
        this.gens.init();
        this.journal.removeLeftovers();
        const recovery = await this.recover();
        const current = this.gens.current();
        this.gens.collect(current ? [current] : []);
        const base = { source: this.o.source, recovered: recovery.note };

        let snapshot: Snapshot;
        let desired: DesiredState;
        let envVars: Record<string, string>;
        try {
            const limits: SourceLimits = {
                requestTimeoutMs: this.o.requestTimeoutSeconds * 1000,
                maxListPages: this.o.maxListPages,
                signal: this.deadline.signal,
            };
            const source = openSource(this.o.source, limits);
            const read = async () => {
                const snap = await readSnapshot(
                    source,
                    {
                        publicKey: this.o.publicKey,
                        requireSignature: this.o.requireSignature,
                        reuse: { record: this.state.read(source.url), liveFile: (key) => this.liveFile(key) },
                    },
                    this.log,
                );
                return { snap, rendered: await renderDesiredState(this.layout, snap, this.redactor, this.log) };
            };
            const { snap, rendered } = await this.deadline.race(read());
            this.deadline.check();
            snapshot = snap;
            desired = rendered.desired;
            envVars = envOf(rendered.envVars);
        } catch (err) {
            if (err instanceof AgentError && recovery.note) {
                throw new AgentError(err.outcome, `${err.reason} (after: ${recovery.note})`, err.problems);
            }
            throw err;
        }
        const facts = { ...base, manifest: snapshot.manifest, downloaded: snapshot.downloaded.length };

        const diff = diffLiveState(this.layout, desired, this.owner, this.liveReads);
        if (diff.changed.length === 0) {
            this.state.write(snapshot.record);
            if (recovery.committed) {
                const j = recovery.committed;
                return { result: "applied", changed: [...j.changed], removed: [...j.removed], restarted: true, generation: j.to, ...facts };
            }
            this.log.info("live state already matches the source: nothing to do");
            return { result: "unchanged", changed: [], removed: [], restarted: false, generation: current, ...facts };
        }
        this.log.info("live state differs from the source", { changed: diff.changed });
        if (snapshot.manifest === "absent") {
            this.checkRemovalShare(diff.removed);
        }

        const to = this.gens.newId();
        const step = { to, changed: diff.changed, removed: diff.removed, startedAt: new Date().toISOString() };
        this.journal.write({ phase: "staging", ...step });
        try {
            this.gens.write(to, desired, this.owner);
        } catch (err) {
            this.gens.remove(to);
            this.journal.clear();
            throw err;
        }
        crashPoint("stage");

        if (this.o.validateCommand !== undefined) {
            const v = await runCommand(
                "validate",
                this.o.validateCommand,
                this.gens.stagedLayout(to),
                envVars,
                this.o.commandTimeoutSeconds,
                this.log,
            );
            if (!v.ok) {
                this.gens.remove(to);
                this.journal.clear();
                return {
                    result: "invalid",
                    changed: [],
                    removed: [],
                    restarted: false,
                    pending: diff.changed,
                    reason: `the validate command failed (${v.status}); the live state is unchanged`,
                    generation: current,
                    ...facts,
                };
            }
        }

        let from = this.gens.current();
        if (!this.gens.linksInPlace()) {
            // First apply on this host (or the live paths were replaced behind the agent's back): take the live
            // state over as a generation of its own, so that the switch below is one rename and a rollback has
            // the previous state to return to.
            const adopted = this.gens.adopt();
            this.journal.write({ phase: "adopting", from, adopted, ...step });
            this.gens.switchTo(adopted);
            this.gens.placeLinks();
            if (from) {
                this.gens.remove(from);
            }
            from = adopted;
        }
        this.journal.write({ phase: "switching", from, ...step });
        this.gens.switchTo(to);
        crashPoint("switch");
        this.journal.write({ phase: "restarting", from, ...step });
        const restart = await this.restartAndCheck();
        crashPoint("restart");
        if (restart.ok) {
            this.commit(to);
            this.state.write(snapshot.record);
            this.log.info("applied", { generation: to });
            return { result: "applied", changed: diff.changed, removed: diff.removed, restarted: true, generation: to, ...facts };
        }
        const back = await this.rollBack({ phase: "rolling-back", from, ...step });
        return {
            result: "rolled-back",
            changed: [],
            removed: [],
            restarted: true,
            pending: diff.changed,
            reason: `${restart.failed} failed (${restart.status}); the previous state is back`,
            rollback: back,
            generation: from,
            ...facts,
        };
    }

    /** Finishes a run that was killed, as journal.json describes it. */
    private async recover(): Promise<Recovery> {
        const j = this.journal.read();
        if (!j) {
            return {};
        }
        this.log.warn(`a previous run was interrupted while ${j.phase}; finishing it`, { generation: j.to });
        switch (j.phase) {
            case "staging":
                this.gens.remove(j.to);
                this.journal.clear();
                return { note: `removed generation ${j.to} that an interrupted run was staging` };
            case "adopting":
                if (j.adopted !== undefined && this.gens.current() === j.adopted) {
                    this.gens.placeLinks();
                } else if (j.adopted !== undefined) {
                    this.gens.remove(j.adopted);
                }
                this.gens.remove(j.to);
                this.journal.clear();
                return { note: `finished taking over the live paths and removed generation ${j.to} of an interrupted run` };
            case "switching":
                if (this.gens.current() === j.to) {
                    // killed right after the switch
                    return this.finishRestart(j);
                }
                this.gens.remove(j.to);
                this.journal.clear();
                return { note: `undid an interrupted run before its switch to generation ${j.to}` };
            case "restarting":
                return this.finishRestart(j);
            case "rolling-back":
                await this.rollBack(j);
                return { note: `completed the rollback of an interrupted run to generation ${j.from}` };
        }
    }

    /** `to` is live but the service may still run the previous state: restart, then commit or roll back. */
    private async finishRestart(j: Journal): Promise<Recovery> {
        const restart = await this.restartAndCheck();
        if (restart.ok) {
            this.commit(j.to);
            return { note: `completed an interrupted run: restarted on generation ${j.to}`, committed: j };
        }
        await this.rollBack({ ...j, phase: "rolling-back" });
        return { note: `rolled back an interrupted run: ${restart.failed} failed on generation ${j.to} (${restart.status})` };
    }

    private async restartAndCheck(): Promise<CommandResult & { failed?: string }> {
        const restart = await runCommand("restart", this.o.restartCommand, this.layout, {}, this.o.commandTimeoutSeconds, this.log);
        if (!restart.ok) {
            return { ...restart, failed: "the restart command" };
        }
        if (this.o.healthCommand === undefined) {
            return restart;
        }
        const health = await runCommand("health", this.o.healthCommand, this.layout, {}, this.o.commandTimeoutSeconds, this.log);
        return health.ok ? health : { ...health, failed: "the health command" };
    }

    private async rollBack(j: Journal): Promise<{ ok: boolean; status: string }> {
        this.journal.write(j);
        if (j.from === undefined) {
            throw new Error(`journal for ${j.to} has no previous generation to roll back to`);
        }
        if (this.gens.current() !== j.from) {
            this.gens.switchTo(j.from);
        }
        this.log.warn("rolling back to the previous state", { generation: j.from });
        const again = await this.restartAndCheck();
        this.gens.remove(j.to);
        this.journal.clear();
        if (!again.ok) {
            this.log.error(`the service did not come back on the previous state either: ${again.failed} failed (${again.status})`);
        }
        return { ok: again.ok, status: again.ok ? "ok" : `${again.failed} failed (${again.status})` };
    }

    /**
     * Without a manifest nothing says the listing is complete: a listing that lost keys looks exactly like a
     * snapshot that deletes files. A sync that would remove more than --max-removal-share of the live config
     * files (and more than one) is refused.
     */
    private checkRemovalShare(removed: readonly string[]): void {
        if (!this.gens.linksInPlace()) {
            // first apply: the package's files are replaced, not lost
            return;
        }
        const configRoot = this.layout.roots[0].genPath;
        const isConfigFile = (p: string) => p === configRoot || p.startsWith(`${configRoot}/`);
        const liveFiles = [...readLiveState(this.layout)].filter(([p, e]) => e.kind === "file" && isConfigFile(p)).length;
        const removedFiles = removed.filter((p) => !p.endsWith("/") && p.startsWith(this.layout.configDir + path.sep)).length;
        if (removedFiles > 1 && removedFiles > this.o.maxRemovalShare * liveFiles) {
            throw rejected(
                `the snapshot at ${this.o.source} has no ${"manifest.json"} and would remove ${removedFiles} of ${liveFiles} live config files, more than --max-removal-share ${this.o.maxRemovalShare}; the live state is unchanged. Publish with \`agent publish\` (which writes a manifest) or, if the removal is intended, run once with --max-removal-share 1`,
            );
        }
    }

    private commit(to: string): void {
        this.gens.collect([to]);
        this.journal.clear();
    }

    /** A live config file, kept by path so that the comparison with the live state need not read it again. */
    private liveFile(key: string): Buffer | undefined {
        const p = path.join(this.layout.configDir, ...key.split("/"));
        try {
            if (!fs.lstatSync(p).isFile()) {
                return undefined;
            }
            const content = fs.readFileSync(p);
            this.liveReads.set(p, content);
            return content;
        } catch {
            return undefined;
        }
    }
}
