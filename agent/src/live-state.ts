// Reads the live state through the live paths (following the agent's own symlinks) and compares it with
// the desired state by content, type, permission bits and, when --owner is given, ownership.
import * as fs from "fs";
import * as path from "path";
import { DesiredState } from "./desired-state";
import { Layout, livePath } from "./layout";
import { Owner } from "./owner";

export interface LiveEntry {
    readonly kind: "file" | "dir" | "other";
    readonly mode: number;
    readonly uid: number;
    readonly gid: number;
}

export interface Difference {
    /** Live paths (directories end with "/") that are added, modified or removed, sorted. */
    readonly changed: string[];
    /** The subset of `changed` that the desired state no longer has. */
    readonly removed: string[];
}

/** Every entry below the live roots, keyed by gen path. A missing root contributes nothing. */
export function readLiveState(layout: Layout): Map<string, LiveEntry> {
    const live = new Map<string, LiveEntry>();
    const visit = (genPath: string, full: string, follow: boolean): void => {
        let st: fs.Stats;
        try {
            st = follow ? fs.statSync(full) : fs.lstatSync(full);
        } catch (err) {
            if ((err as NodeJS.ErrnoException).code === "ENOENT") {
                return;
            }
            throw err;
        }
        const kind = st.isFile() ? "file" : st.isDirectory() ? "dir" : "other";
        live.set(genPath, { kind, mode: st.mode & 0o7777, uid: st.uid, gid: st.gid });
        if (kind === "dir") {
            for (const name of fs.readdirSync(full)) {
                visit(`${genPath}/${name}`, path.join(full, name), false);
            }
        }
    };
    // The roots are followed (they are the agent's symlinks once it manages them); nothing below them is.
    for (const root of layout.roots) {
        visit(root.genPath, root.live, true);
    }
    return live;
}

/**
 * `readThisRun` holds the live files this run has already read and hashed against its state record
 * (live path to the very Buffer read): a desired file whose content *is* that Buffer came from that
 * path moments ago under the lock, so its content is not read a second time. Type, mode and owner
 * are still checked from a fresh lstat.
 */
export function diffLiveState(
    layout: Layout,
    desired: DesiredState,
    owner: Owner | undefined,
    readThisRun: ReadonlyMap<string, Buffer> = new Map(),
): Difference {
    const live = readLiveState(layout);
    const changed: string[] = [];
    const removed: string[] = [];
    const show = (genPath: string, kind: string | undefined) => livePath(layout, genPath) + (kind === "dir" ? "/" : "");
    for (const [genPath, want] of desired) {
        const have = live.get(genPath);
        let same =
            have !== undefined &&
            have.kind === want.kind &&
            have.mode === want.mode &&
            (!owner || !want.owned || (have.uid === owner.uid && have.gid === owner.gid));
        if (same && want.kind === "file") {
            const p = livePath(layout, genPath);
            same = readThisRun.get(p) === want.content || fs.readFileSync(p).equals(want.content);
        }
        if (!same) {
            changed.push(show(genPath, want.kind));
        }
    }
    for (const [genPath, have] of live) {
        if (!desired.has(genPath)) {
            const shown = show(genPath, have.kind);
            changed.push(shown);
            removed.push(shown);
        }
    }
    return { changed: changed.sort(), removed: removed.sort() };
}
