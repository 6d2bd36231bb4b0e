// Log lines go to stderr (stdout carries only the final JSON result). `--json` makes every line JSON.
import { Redactor } from "./redact";

export type Level = "info" | "warn" | "error";
export type Fields = Record<string, string | number | boolean | string[] | undefined>;

export class Logger {
    constructor(
        private readonly json: boolean,
        private readonly redactor: Redactor,
        private readonly write: (line: string) => void = (line) => process.stderr.write(`${line}\n`),
    ) {}

    info(msg: string, fields?: Fields): void {
        this.log("info", msg, fields);
    }
    warn(msg: string, fields?: Fields): void {
        this.log("warn", msg, fields);
    }
    error(msg: string, fields?: Fields): void {
        this.log("error", msg, fields);
    }

    log(level: Level, rawMsg: string, rawFields: Fields = {}): void {
        const msg = this.redactor.redact(rawMsg);
        const fields = this.redactor.redactDeep(rawFields);
        let line: string;
        if (this.json) {
            line = JSON.stringify({ time: new Date().toISOString(), level, msg, ...fields });
        } else {
            const extra = Object.entries(fields)
                .filter(([, v]) => v !== undefined)
                .map(([k, v]) => `${k}=${Array.isArray(v) ? v.join(",") : String(v)}`)
                .join(" ");
            line = `agent ${level}: ${msg}${extra ? ` (${extra})` : ""}`;
        }
        this.write(this.redactor.redact(line));
    }
}
