// Test hook: ORGLOG_AGENT_CRASH_AFTER=<step> kills the agent with SIGKILL right after that step, the way a
// power cut or `kill -9` would, so tests can check that the next run completes or undoes the interrupted one.
// Steps: stage, adopt-displace, switch, restart.
export type CrashStep = "stage" | "adopt-displace" | "switch" | "restart";

export function crashPoint(step: CrashStep): void {
    if (process.env.ORGLOG_AGENT_CRASH_AFTER === step) {
        process.kill(process.pid, "SIGKILL");
    }
}
