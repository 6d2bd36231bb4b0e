// Writes policy-pack/package-lock.json from the root package-lock.json: the part of the root's tree
// that the pack's dependencies need, at the same paths and versions. The pack then installs exactly
// what the root's `npm ci` downloaded (`npm ci --offline` in the pack works from that npm cache on a
// fresh CI machine), and a bump in the root shows up here as a lockfile change.
//
//   node -r ./tools/register-ts.js tools/policy-pack-lock.ts          write the lockfile
//   node -r ./tools/register-ts.js tools/policy-pack-lock.ts --check  exit 1 when it is out of date
import * as fs from "fs";
import * as path from "path";

const ROOT = path.resolve(__dirname, "..");
export const PACK_DIR = path.join(ROOT, "policy-pack");

interface LockEntry {
    version?: string;
    dependencies?: Record<string, string>;
    optionalDependencies?: Record<string, string>;
    peerDependencies?: Record<string, string>;
    peerDependenciesMeta?: Record<string, { optional?: boolean }>;
    dev?: boolean;
    devOptional?: boolean;
    peer?: boolean;
    optional?: boolean;
    [key: string]: unknown;
}

interface Lock {
    name: string;
    version: string;
    lockfileVersion: number;
    requires?: boolean;
    packages: Record<string, LockEntry>;
}

/** Where Node (and npm's tree) finds `name` for the package at `from`: its own node_modules, then each ancestor's. */
function resolve(packages: Record<string, LockEntry>, from: string, name: string): string | undefined {
    let dir = from;
    for (;;) {
        const candidate = `${dir ? `${dir}/` : ""}node_modules/${name}`;
        if (packages[candidate]) {
            return candidate;
        }
        if (!dir) {
            return undefined;
        }
        const at = dir.lastIndexOf("/node_modules/");
        dir = at < 0 ? "" : dir.slice(0, at);
    }
}

/** The pack's lockfile: its package.json as the root entry and the root lock's entries its dependencies reach. */
export function packLock(
    rootLock: Lock,
    packManifest: { name: string; version: string; dependencies?: Record<string, string>; license?: string },
): Lock {
    const wanted = new Map<string, LockEntry>();
    const problems: string[] = [];
    const visit = (from: string, deps: Record<string, string>, optional: Set<string>) => {
        for (const name of Object.keys(deps).sort()) {
            const at = resolve(rootLock.packages, from, name);
            if (!at) {
                if (!optional.has(name)) {
                    problems.push(`${from || "policy-pack"} needs ${name}, which the root package-lock.json does not hold`);
                }
                continue;
            }
            if (wanted.has(at)) {
                continue;
            }
            const entry = rootLock.packages[at];
            const { dev: _dev, devOptional: _devOptional, peer: _peer, ...kept } = entry;
            wanted.set(at, kept);
            const peers = Object.fromEntries(
                Object.entries(entry.peerDependencies ?? {}).filter(([peer]) => !entry.peerDependenciesMeta?.[peer]?.optional),
            );
            visit(
                at,
                { ...(entry.dependencies ?? {}), ...(entry.optionalDependencies ?? {}), ...peers },
                new Set(Object.keys(entry.optionalDependencies ?? {})),
            );
        }
    };
    const root = rootLock.packages[""] ?? {};
    for (const [name, range] of Object.entries(packManifest.dependencies ?? {})) {
        const pinned = root.dependencies?.[name] ?? (root as any).devDependencies?.[name];
        if (pinned !== range) {
            problems.push(
                `policy-pack/package.json pins ${name} at "${range}", the root package.json at "${pinned}"; use the root's exact version`,
            );
        }
    }
    visit("", packManifest.dependencies ?? {}, new Set());
    if (problems.length > 0) {
        throw new Error(problems.join("; "));
    }
    const packages: Record<string, LockEntry> = {
        "": {
            name: packManifest.name,
            version: packManifest.version,
            ...(packManifest.license ? { license: packManifest.license } : {}),
            dependencies: packManifest.dependencies,
        },
    };
    for (const key of [...wanted.keys()].sort()) {
        packages[key] = wanted.get(key)!;
    }
    return { name: packManifest.name, version: packManifest.version, lockfileVersion: rootLock.lockfileVersion, requires: true, packages };
}

export function packLockText(): string {
    const rootLock = JSON.parse(fs.readFileSync(path.join(ROOT, "package-lock.json"), "utf8")) as Lock;
    const manifest = JSON.parse(fs.readFileSync(path.join(PACK_DIR, "package.json"), "utf8"));
    return JSON.stringify(packLock(rootLock, manifest), null, 2) + "\n";
}

if (require.main === module) {
    const file = path.join(PACK_DIR, "package-lock.json");
    try {
        const text = packLockText();
        if (process.argv.includes("--check")) {
            if (!fs.existsSync(file) || fs.readFileSync(file, "utf8") !== text) {
                process.stderr.write(
                    "policy-pack/package-lock.json is out of date: run node -r ./tools/register-ts.js tools/policy-pack-lock.ts\n",
                );
                process.exitCode = 1;
            }
        } else {
            fs.writeFileSync(file, text);
        }
    } catch (err) {
        process.stderr.write(`policy-pack-lock: ${(err as Error).message}\n`);
        process.exitCode = 2;
    }
}
