// Keeps secret values out of everything the agent prints or publishes: logs, captured command output,
// the JSON result and the SNS message all pass through one Redactor that knows every secret read so far.

import { escapeEnvValue } from "./env-file";

const MASK = "[redacted]";

export class Redactor {
    private readonly needles = new Set<string>();

    /**
     * Registers a secret value in every form the agent itself writes: the value, its environment-file
     * escaping (\\ " $ ` backslashed), its base64 and JSON string forms and, for multi-line values (PEM),
     * each line of it, the short last line included.
     */
    add(value: string): void {
        if (value === "") {
            return;
        }
        const forms = [value, escapeEnvValue(value), JSON.stringify(value).slice(1, -1)];
        if (value.length >= 3) {
            forms.push(Buffer.from(value, "utf8").toString("base64"));
        }
        for (const form of forms) {
            this.needles.add(form);
        }
        for (const line of value.split(/\r?\n/)) {
            const trimmed = line.trim();
            // A PEM's armour lines ("-----END ...-----") are public; its body lines are not, however short.
            if (trimmed.length >= 2 && trimmed !== value && !trimmed.startsWith("-----")) {
                this.needles.add(trimmed);
                this.needles.add(escapeEnvValue(trimmed));
            }
        }
    }

    redact(text: string): string {
        if (this.needles.size === 0) {
            return text;
        }
        // Longest first, so a line of a PEM never leaves the rest of the value readable.
        let out = text;
        for (const needle of [...this.needles].sort((a, b) => b.length - a.length)) {
            if (out.includes(needle)) {
                out = out.split(needle).join(MASK);
            }
        }
        return out;
    }

    /** Redacts every string inside a JSON-able value before it is serialised (escaping would hide a match). */
    redactDeep<T>(value: T): T {
        if (typeof value === "string") {
            return this.redact(value) as T;
        }
        if (Array.isArray(value)) {
            return value.map((v) => this.redactDeep(v)) as T;
        }
        if (value && typeof value === "object") {
            return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, this.redactDeep(v)])) as T;
        }
        return value;
    }
}
