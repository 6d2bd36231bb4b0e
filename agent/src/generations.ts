// Generations: each desired state is written whole into <state-dir>/generations/<id>/ and becomes live by
// one atomic rename of the symlink <state-dir>/current. The live paths (--config-dir, and
// --environment-file / --certs-dir when they are outside it) are symlinks to <state-dir>/current/<name>, so
// at every instant the service sees wholly the old generation or wholly the new one.
import * as fs from "fs";
import * as path from "path";
import { crashPoint } from "./crash";
import { DesiredState } from "./desired-state";
import { createFileDurable, exists, fsyncPath, listDir, readLinkOrUndefined, removeTree, replaceSymlink } from "./durable";
import { Layout, layoutBelow } from "./layout";
import { Logger } from "./log";
import { Owner } from "./owner";
import { otherLiveProcess } from "./process-alive";

export class Generations {
    readonly root: string;
    private readonly currentLink: string;

    constructor(
        readonly layout: Layout,
        private readonly log: Logger,
    ) {
        this.root = path.join(layout.stateDir, "generations");
        this.currentLink = path.join(layout.stateDir, "current");
    }

    init(): void {
        for (const dir of [this.layout.stateDir, this.root]) {
            fs.mkdirSync(dir, { recursive: true, mode: 0o755 });
            fs.chmodSync(dir, 0o755); // the service user must traverse it to reach its files
        }
    }

    path(id: string): string {
        return path.join(this.root, id);
    }

    /** The live generation's id, if `current` points at an existing generation. */
    current(): string | undefined {
        const target = readLinkOrUndefined(this.currentLink);
        if (target === undefined) {
            return undefined;
        }
        const id = path.basename(target);
        return exists(this.path(id)) ? id : undefined;
    }

    newId(): string {
        return `g${Date.now()}-${process.pid}`;
    }

    /** Writes `desired` into generation `id` (under a temp name, fsync'd, then renamed). */
    write(id: string, desired: DesiredState, owner: Owner | undefined): void {
        const tmp = this.path(`${id}.tmp`);
        removeTree(tmp);
        writeTree(tmp, desired, owner);
        fs.renameSync(tmp, this.path(id));
        fsyncPath(this.root);
    }

    /** The layout whose live paths are this generation's own files (what a validator is pointed at). */
    stagedLayout(id: string): Layout {
        return layoutBelow(this.layout, this.path(id));
    }

    /** Makes generation `id` the live one: one rename of the `current` symlink. */
    switchTo(id: string): void {
        replaceSymlink(path.join("generations", id), this.currentLink);
    }

    linkTarget(genPath: string): string {
        return path.join(this.layout.stateDir, "current", genPath);
    }

    /** True when every live root is the agent's symlink and `current` points at a generation. */
    linksInPlace(): boolean {
        return this.current() !== undefined && this.layout.roots.every((r) => readLinkOrUndefined(r.live) === this.linkTarget(r.genPath));
    }

    /**
     * Copies the live state, as it is, into a new generation: the first step of taking over live paths that
     * are not yet the agent's symlinks. Content, modes and ownership are kept, so switching to it changes
     * nothing the service can see.
     */
    adopt(): string {
        const id = `${this.newId()}-adopted`;
        const tmp = this.path(`${id}.tmp`);
        removeTree(tmp);
        fs.mkdirSync(tmp, { mode: 0o755 });
        fs.chmodSync(tmp, 0o755);
        for (const r of this.layout.roots) {
            let real: string;
            try {
                real = fs.realpathSync(r.live);
            } catch {
                continue; // absent (or a dangling link): the generation has no such entry either
            }
            const dest = path.join(tmp, r.genPath);
            fs.cpSync(real, dest, { recursive: true, verbatimSymlinks: true, preserveTimestamps: true });
            copyMetadata(real, dest);
        }
        fsyncTree(tmp);
        fs.renameSync(tmp, this.path(id));
        fsyncPath(this.root);
        return id;
    }

    /**
     * Replaces each live root that is not yet the agent's symlink by one. What was there is kept below
     * <state-dir>/displaced/. A directory cannot be replaced by a rename, so it is first moved aside: this
     * once-per-host step is the only moment a live path is briefly absent, and it happens while `current`
     * already shows the same content (adopt), journaled so the next run finishes it.
     */
    placeLinks(): void {
        const stamp = new Date().toISOString().replace(/[:.]/g, "-");
        const displacedRoot = path.join(this.layout.stateDir, "displaced", stamp);
        for (const r of this.layout.roots) {
            const target = this.linkTarget(r.genPath);
            if (readLinkOrUndefined(r.live) === target) {
                continue;
            }
            fs.mkdirSync(path.dirname(r.live), { recursive: true });
            let st: fs.Stats | undefined;
            try {
                st = fs.lstatSync(r.live);
            } catch {
                st = undefined;
            }
            if (st) {
                fs.mkdirSync(displacedRoot, { recursive: true, mode: 0o700 });
                fs.chmodSync(path.dirname(displacedRoot), 0o700);
                const displaced = path.join(displacedRoot, r.genPath);
                if (st.isDirectory()) {
                    moveAside(r.live, displaced);
                    crashPoint("adopt-displace");
                } else if (st.isSymbolicLink()) {
                    fs.symlinkSync(fs.readlinkSync(r.live), displaced);
                } else {
                    fs.copyFileSync(r.live, displaced);
                    copyMetadata(r.live, displaced);
                }
                this.log.info(`moved the original ${r.live} aside`, { keptAt: displaced });
            }
            replaceSymlink(target, r.live);
        }
    }

    remove(id: string): void {
        removeTree(this.path(id));
        removeTree(this.path(`${id}.tmp`));
    }

    /**
     * Removes every generation except `keep` (leftovers of interrupted runs, superseded generations), and
     * never the one `current` points to nor one created by another run that is still alive.
     */
    collect(keep: readonly string[]): void {
        const live = this.current();
        for (const name of listDir(this.root)) {
            if (keep.includes(name) || name === live) {
                continue;
            }
            const pid = Number(/^g\d+-(\d+)/.exec(name)?.[1]);
            if (otherLiveProcess(pid)) {
                continue;
            }
            removeTree(this.path(name));
        }
    }
}

/** Writes a desired state below `root` (created, mode 0755): parents first, modes set, everything fsync'd. */
export function writeTree(root: string, desired: DesiredState, owner: Owner | undefined): void {
    fs.mkdirSync(root, { mode: 0o755 });
    fs.chmodSync(root, 0o755);
    const dirs: string[] = [root];
    for (const genPath of [...desired.keys()].sort()) {
        const entry = desired.get(genPath)!;
        const full = path.join(root, ...genPath.split("/"));
        const chownTo = entry.owned ? owner : undefined;
        if (entry.kind === "dir") {
            fs.mkdirSync(full, { mode: entry.mode });
            fs.chmodSync(full, entry.mode);
            if (chownTo) {
                fs.chownSync(full, chownTo.uid, chownTo.gid);
            }
            dirs.push(full);
        } else {
            createFileDurable(full, entry.content, entry.mode, chownTo);
        }
    }
    for (const dir of dirs.reverse()) {
        fsyncPath(dir);
    }
}

function moveAside(live: string, displaced: string): void {
    try {
        fs.renameSync(live, displaced);
    } catch (err) {
        if ((err as NodeJS.ErrnoException).code !== "EXDEV") {
            throw err;
        }
        fs.cpSync(live, displaced, { recursive: true, verbatimSymlinks: true, preserveTimestamps: true });
        copyMetadata(live, displaced);
        removeTree(live);
    }
}

/** Makes modes and ownership of `dest` (a copy) equal to `src`, entry by entry. */
function copyMetadata(src: string, dest: string): void {
    const st = fs.lstatSync(src);
    const copy = fs.lstatSync(dest);
    if (!st.isSymbolicLink()) {
        fs.chmodSync(dest, st.mode & 0o7777);
    }
    if (copy.uid !== st.uid || copy.gid !== st.gid) {
        fs.lchownSync(dest, st.uid, st.gid);
    }
    if (st.isDirectory()) {
        for (const name of fs.readdirSync(src)) {
            copyMetadata(path.join(src, name), path.join(dest, name));
        }
    }
}

function fsyncTree(p: string): void {
    const st = fs.lstatSync(p);
    if (st.isSymbolicLink()) {
        return;
    }
    if (st.isDirectory()) {
        for (const name of fs.readdirSync(p)) {
            fsyncTree(path.join(p, name));
        }
    }
    if (st.isDirectory() || st.isFile()) {
        fsyncPath(p);
    }
}
