/** Whether a process with this id exists (EPERM: it does, under another user). */
export function pidAlive(pid: number): boolean {
    try {
        process.kill(pid, 0);
        return true;
    } catch (err) {
        return (err as NodeJS.ErrnoException).code === "EPERM";
    }
}

/** Whether `pid` (read from a file name: NaN when there was none) is another process that is still running. */
export function otherLiveProcess(pid: number): boolean {
    return Number.isInteger(pid) && pid > 0 && pid !== process.pid && pidAlive(pid);
}
