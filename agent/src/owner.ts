// The service user that owns the env file and the certs: `--owner td-agent` or `--owner 994[:994]`.
import { execFileSync } from "child_process";
import { rejected } from "./result";

export interface Owner {
    readonly uid: number;
    readonly gid: number;
    readonly name: string;
}

export function resolveOwner(spec: string): Owner {
    const numeric = /^(\d+)(?::(\d+))?$/.exec(spec);
    if (numeric) {
        return { uid: Number(numeric[1]), gid: Number(numeric[2] ?? numeric[1]), name: spec };
    }
    try {
        // `id` asks NSS (files, sssd, LDAP), which /etc/passwd alone would miss.
        const uid = Number(execFileSync("id", ["-u", spec], { encoding: "utf8", stdio: ["ignore", "pipe", "ignore"] }).trim());
        const gid = Number(execFileSync("id", ["-g", spec], { encoding: "utf8", stdio: ["ignore", "pipe", "ignore"] }).trim());
        if (Number.isInteger(uid) && Number.isInteger(gid)) {
            return { uid, gid, name: spec };
        }
    } catch {
        // reported below
    }
    throw rejected(`invalid options (command line)`, [`--owner: no such user on this host (got "${spec}")`]);
}
