// The whole desired state, in memory, keyed by gen path: source files (0644), the env file (0600) and the
// certs directory (0700) with its files (0600). The last three belong to --owner when it is given.
import { Layout } from "./layout";
import { rejected } from "./result";

export interface DesiredFile {
    readonly kind: "file";
    readonly content: Buffer;
    readonly mode: number;
    /** Chowned to --owner (secret material the service reads). */
    readonly owned: boolean;
}
export interface DesiredDir {
    readonly kind: "dir";
    readonly mode: number;
    readonly owned: boolean;
}
export type DesiredEntry = DesiredFile | DesiredDir;
export type DesiredState = Map<string, DesiredEntry>;

export const CONFIG_FILE_MODE = 0o644;
export const DIR_MODE = 0o755;
export const SECRET_FILE_MODE = 0o600;
export const CERTS_DIR_MODE = 0o700;

export interface DesiredInput {
    /** Source files by key (manifest.json and secrets.conf excluded). */
    readonly configFiles: ReadonlyMap<string, Buffer>;
    readonly environmentFile: Buffer;
    readonly certFiles: ReadonlyMap<string, Buffer>;
}

export function buildDesiredState(layout: Layout, input: DesiredInput): DesiredState {
    const desired: DesiredState = new Map();
    const problems: string[] = [];
    const addDirs = (genPath: string) => {
        const parts = genPath.split("/");
        for (let i = 1; i < parts.length; i++) {
            const dir = parts.slice(0, i).join("/");
            const existing = desired.get(dir);
            if (existing?.kind === "file") {
                problems.push(`${dir}: is both a file and a directory in the source`);
            } else if (!existing) {
                desired.set(dir, { kind: "dir", mode: DIR_MODE, owned: false });
            }
        }
    };
    desired.set("config", { kind: "dir", mode: DIR_MODE, owned: false });
    addDirs(`${layout.certsGenPath}/x`);
    desired.set(layout.certsGenPath, { kind: "dir", mode: CERTS_DIR_MODE, owned: true });
    addDirs(layout.environmentGenPath);
    desired.set(layout.environmentGenPath, { kind: "file", content: input.environmentFile, mode: SECRET_FILE_MODE, owned: true });
    for (const [name, content] of input.certFiles) {
        desired.set(`${layout.certsGenPath}/${name}`, { kind: "file", content, mode: SECRET_FILE_MODE, owned: true });
    }
    for (const [key, content] of [...input.configFiles].sort(([a], [b]) => (a < b ? -1 : 1))) {
        const genPath = `config/${key}`;
        if (genPath === layout.certsGenPath || genPath.startsWith(`${layout.certsGenPath}/`)) {
            problems.push(`${key}: lies in the certs directory ${layout.certsDir}, which only secrets.conf file# lines fill; move it`);
            continue;
        }
        if (genPath === layout.environmentGenPath) {
            problems.push(`${key}: is the environment file ${layout.environmentFile}, which only secrets.conf env# lines fill; rename it`);
            continue;
        }
        if (desired.get(genPath)?.kind === "dir") {
            problems.push(`${key}: is both a file and a directory in the source`);
            continue;
        }
        addDirs(genPath);
        desired.set(genPath, { kind: "file", content, mode: CONFIG_FILE_MODE, owned: false });
    }
    if (problems.length > 0) {
        throw rejected("the snapshot does not fit the layout", problems);
    }
    return desired;
}
