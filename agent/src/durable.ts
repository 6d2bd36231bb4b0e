// Small filesystem primitives with the fsyncs that make a rename mean "the new content, or the old".
import * as fs from "fs";
import * as path from "path";

/** The entry names of `dir`, or none when it cannot be read (missing, not a directory). */
export function listDir(dir: string): string[] {
    try {
        return fs.readdirSync(dir);
    } catch {
        return [];
    }
}

/** fsync a file or directory by path (a directory fsync makes its renames and new entries durable). */
export function fsyncPath(p: string): void {
    const fd = fs.openSync(p, "r");
    try {
        fs.fsyncSync(fd);
    } finally {
        fs.closeSync(fd);
    }
}

/** `err` with `path` set to `p` when the error has none (errors of descriptor calls carry no path). */
function withPath(err: unknown, p: string): unknown {
    if (err && typeof err === "object" && typeof (err as { path?: unknown }).path !== "string") {
        Object.assign(err, { path: p });
    }
    return err;
}

/** Creates `p` (must not exist) with `mode` from the first byte on, writes, fsyncs. */
export function createFileDurable(p: string, content: Buffer | string, mode: number, owner?: { uid: number; gid: number }): void {
    const fd = fs.openSync(p, "wx", mode);
    try {
        fs.fchmodSync(fd, mode); // the umask may have narrowed it
        if (owner) {
            fs.fchownSync(fd, owner.uid, owner.gid);
        }
        fs.writeFileSync(fd, content);
        fs.fsyncSync(fd);
    } catch (err) {
        throw withPath(err, p); // a write or fsync on a descriptor (ENOSPC, EIO) names no path of its own
    } finally {
        fs.closeSync(fd);
    }
}

/** Replaces `p` atomically: temp file in the same directory, fsync, rename, fsync the directory. */
export function replaceFileDurable(p: string, content: Buffer | string, mode = 0o600): void {
    const tmp = `${p}.${process.pid}.tmp`;
    fs.rmSync(tmp, { force: true });
    try {
        createFileDurable(tmp, content, mode);
        fs.renameSync(tmp, p);
    } catch (err) {
        fs.rmSync(tmp, { force: true }); // a full disk must not leave a half-written temp file behind
        throw err;
    }
    fsyncPath(path.dirname(p));
}

/** Points symlink `link` at `target` atomically (a new link renamed over the old path). */
export function replaceSymlink(target: string, link: string): void {
    const tmp = `${link}.orglog-${process.pid}.tmp`;
    fs.rmSync(tmp, { force: true });
    fs.symlinkSync(target, tmp);
    fs.renameSync(tmp, link);
    fsyncPath(path.dirname(link));
}

export function removeTree(p: string): void {
    fs.rmSync(p, { recursive: true, force: true });
}

export function readLinkOrUndefined(p: string): string | undefined {
    try {
        return fs.readlinkSync(p);
    } catch {
        return undefined;
    }
}

export function exists(p: string): boolean {
    try {
        fs.lstatSync(p);
        return true;
    } catch {
        return false;
    }
}
