// Test hook: ORGLOG_AGENT_PAUSE=<point>:<dir> makes the agent stop at that point, create <dir>/<point>.reached
// and wait until <dir>/<point>.go exists, so a spec can interleave concurrent runs deterministically.
// Points: lock-stale (a stale lock was seen, not yet taken over), locked (the lock is held, nothing read yet).
import * as fs from "fs";
import * as path from "path";

export type PausePoint = "lock-stale" | "locked";

export async function pausePoint(point: PausePoint): Promise<void> {
    const spec = process.env.ORGLOG_AGENT_PAUSE;
    if (!spec) {
        return;
    }
    const at = spec.indexOf(":");
    if (at === -1 || spec.slice(0, at) !== point) {
        return;
    }
    const dir = spec.slice(at + 1);
    fs.writeFileSync(path.join(dir, `${point}.reached`), `${process.pid}\n`);
    while (!fs.existsSync(path.join(dir, `${point}.go`))) {
        await new Promise((r) => setTimeout(r, 20));
    }
}
