// Renders the service's environment file so that both readers get back exactly the secret:
//  - sh (`. file`, as the td-agent init script does) and
//  - systemd's EnvironmentFile= (src/basic/env-file.c).
// Each variable is written as NAME="value" with \ " $ ` escaped by a backslash: inside double quotes both
// parsers drop the backslash before exactly these four characters and keep every other byte. systemd takes
// a line "export NAME=..." as a variable literally named "export NAME" and ignores it, so the variables are
// exported by a separate last line "export NAME1 NAME2", which sh runs and systemd skips (no "=").
import { SECRETS_CONF_KEY } from "./secrets-conf";

export interface EnvVar {
    readonly name: string;
    readonly value: string;
    readonly line: number;
}

export const ENV_FILE_HEADER = "# Written by the org-logging agent from secrets.conf; the next sync overwrites any edit.\n";

/** Why this secret cannot go into an environment file (without naming the value), or undefined. */
export function envValueProblem(name: string, value: Buffer, line: number): string | undefined {
    const where = `${SECRETS_CONF_KEY}:${line}: the secret for ${name}`;
    const text = value.toString("utf8");
    if (!Buffer.from(text, "utf8").equals(value)) {
        return `${where} is not valid UTF-8 text, which systemd's EnvironmentFile= drops; store it with file#`;
    }
    if (/[\n\r\0]/.test(text)) {
        return `${where} contains a line break or NUL, which an environment file cannot carry; store it with file#`;
    }
    return undefined;
}

export function escapeEnvValue(value: string): string {
    return value.replace(/[\\"$`]/g, (c) => `\\${c}`);
}

export function renderEnvFile(vars: readonly EnvVar[]): Buffer {
    let out = ENV_FILE_HEADER;
    for (const v of vars) {
        out += `${v.name}="${escapeEnvValue(v.value)}"\n`;
    }
    if (vars.length > 0) {
        out += `export ${vars.map((v) => v.name).join(" ")}\n`;
    }
    return Buffer.from(out, "utf8");
}
