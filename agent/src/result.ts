// Outcomes of an agent run, their exit codes, and the error type that carries an outcome.

/** What a `sync` run did. Fixed by the contract with the SSM deploy document and the configuration pipeline. */
export type SyncOutcome = "unchanged" | "applied" | "invalid" | "rejected" | "rolled-back";
/** What `validate` found. */
export type ValidateOutcome = "valid" | "invalid" | "rejected";
/** What `publish` did. */
export type PublishOutcome = "published" | "unchanged" | "rejected";
export type Outcome = SyncOutcome | ValidateOutcome | PublishOutcome;

/** Exit code of a run that stopped because a time limit expired (result "rejected", `timedOut: true`). */
export const TIMED_OUT_EXIT_CODE = 4;

export function timedOut(reason: string): AgentError {
    return new AgentError("rejected", reason, [], true);
}

/** 0 ok, 1 invalid (validation failed), 2 rejected (bad input, manifest or secrets), 3 rolled back; 4: see TIMED_OUT_EXIT_CODE. */
export function exitCodeOf(outcome: Outcome): number {
    switch (outcome) {
        case "unchanged":
        case "applied":
        case "valid":
        case "published":
            return 0;
        case "invalid":
            return 1;
        case "rejected":
            return 2;
        case "rolled-back":
            return 3;
    }
}

/**
 * A run that stops before touching the live state. `problems` are complete sentences, each naming the
 * file/line/option at fault; they never contain a secret value (callers pass names and ARNs only).
 */
export class AgentError extends Error {
    constructor(
        readonly outcome: "invalid" | "rejected",
        readonly reason: string,
        readonly problems: readonly string[] = [],
        /** A time limit (--request-timeout, --deadline) expired: exit code 4, the live state untouched. */
        readonly timedOut = false,
    ) {
        super(problems.length > 0 ? `${reason}: ${problems.join("; ")}` : reason);
    }
}

export function rejected(reason: string, problems: readonly string[] = []): AgentError {
    return new AgentError("rejected", reason, problems);
}

/** The short name of an AWS SDK or Node error, for messages (never its payload). */
export function errorName(err: unknown): string {
    if (err && typeof err === "object") {
        const e = err as { name?: unknown; code?: unknown; message?: unknown };
        if (typeof e.code === "string" && e.code !== "") {
            // A file system error names the path it failed on (ENOSPC, EACCES, ENAMETOOLONG, ...).
            const p = (err as { path?: unknown }).path;
            return typeof p === "string" ? `${e.code} on ${p}` : e.code;
        }
        if (typeof e.name === "string" && e.name !== "" && e.name !== "Error") {
            return e.name;
        }
        if (typeof e.message === "string") {
            return e.message;
        }
    }
    return String(err);
}
