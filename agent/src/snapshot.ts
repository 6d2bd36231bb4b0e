// Reads one snapshot of the source: lists it, checks every key is a safe relative path, reuses unchanged
// files from the live tree (see state-record.ts), downloads the rest, and checks the whole against
// manifest.json and its signature. Nothing is written here.
import * as fs from "fs";
import { MANIFEST_KEY, Manifest, manifestMismatches, parseManifest, sha256Hex, signatureProblem } from "./manifest";
import { Logger } from "./log";
import { rejected } from "./result";
import { SECRETS_CONF_KEY } from "./secrets-conf";
import { keyProblem, Source, SourceObject } from "./source";
import { ObjectRecord, StateRecord } from "./state-record";

/** Files at the source root that steer the agent and are not copied to the config directory. */
const META_KEYS = new Set([MANIFEST_KEY, SECRETS_CONF_KEY]);

export interface Snapshot {
    readonly source: string;
    /** Files for the config directory, by key. */
    readonly configFiles: Map<string, Buffer>;
    readonly secretsConf?: Buffer;
    readonly manifest: "absent" | "verified" | "signed";
    /** The state record describing this snapshot (written once it is live). */
    readonly record: StateRecord;
    /** Keys fetched with GetObject (the rest were reused). */
    readonly downloaded: string[];
}

export interface Reuse {
    readonly record: StateRecord;
    /** The live copy of config file `key`, if there is one. */
    liveFile(key: string): Buffer | undefined;
}

export interface SnapshotOptions {
    readonly publicKey?: string;
    readonly requireSignature: boolean;
    readonly reuse?: Reuse;
}

export async function readSnapshot(source: Source, opts: SnapshotOptions, log: Logger): Promise<Snapshot> {
    const objects = await source.list();
    const problems = objects.flatMap((o) => {
        const why = keyProblem(o.key);
        return why ? [`${JSON.stringify(o.key)} ${why}`] : [];
    });
    if (problems.length > 0) {
        throw rejected(`source ${source.url} holds keys that are not safe relative paths`, problems);
    }

    const objectRecords: Record<string, ObjectRecord> = {};
    const meta: Record<string, string> = {};
    const downloaded: string[] = [];
    const fetch = async (o: SourceObject): Promise<Buffer> => {
        const reused = reuse(o, opts.reuse);
        const content = reused ?? (await source.get(o));
        if (!reused) {
            downloaded.push(o.key);
        }
        if (o.etag !== undefined) {
            objectRecords[o.key] = { etag: o.etag, size: content.length, sha256: sha256Hex(content) };
        }
        if (META_KEYS.has(o.key)) {
            meta[o.key] = content.toString("base64");
        }
        return content;
    };

    const manifestObject = objects.find((o) => o.key === MANIFEST_KEY);
    if (!manifestObject && opts.reuse?.record.meta[MANIFEST_KEY] !== undefined) {
        // The live snapshot came with a manifest: a listing without one is incomplete, not a new kind of snapshot.
        throw rejected(
            `the listing of ${source.url} has no ${MANIFEST_KEY} although the live snapshot had one; the listing is incomplete and the live state is unchanged`,
        );
    }
    let manifest: Manifest | undefined;
    let manifestState: Snapshot["manifest"] = "absent";
    if (manifestObject) {
        manifest = parseManifest((await fetch(manifestObject)).toString("utf8"), `${source.url}${MANIFEST_KEY}`);
        manifestState = "verified";
    }
    if (opts.requireSignature || (opts.publicKey !== undefined && manifest?.signature)) {
        if (!manifest) {
            throw rejected(`source ${source.url} has no ${MANIFEST_KEY}, and --require-signature is set`);
        }
        let pem: string;
        try {
            pem = fs.readFileSync(opts.publicKey!, "utf8");
        } catch (err) {
            throw rejected(`--public-key ${opts.publicKey} could not be read (${(err as NodeJS.ErrnoException).code ?? err})`);
        }
        const why = signatureProblem(manifest, pem, opts.publicKey!);
        if (why) {
            throw rejected("the manifest signature is not valid", [why]);
        }
        manifestState = "signed";
    }

    const files = objects.filter((o) => o.key !== MANIFEST_KEY);
    const contents = new Map<string, Buffer>();
    let next = 0;
    const worker = async () => {
        while (next < files.length) {
            const o = files[next++];
            contents.set(o.key, await fetch(o));
        }
    };
    await Promise.all(Array.from({ length: Math.min(8, files.length) }, worker));

    if (manifest) {
        const present = new Map([...contents].map(([k, v]) => [k, { sha256: sha256Hex(v), size: v.length }]));
        const mismatches = manifestMismatches(manifest, present);
        if (mismatches.length > 0) {
            throw rejected(`the snapshot at ${source.url} does not match its ${MANIFEST_KEY}`, mismatches);
        }
    }
    const configFiles = new Map([...contents].filter(([k]) => !META_KEYS.has(k)));
    if (configFiles.size === 0) {
        // A mistyped prefix lists nothing: applying that would wipe the collector's configuration.
        throw rejected(`source ${source.url} holds no configuration files; refusing to apply an empty snapshot`);
    }
    log.info("snapshot read", { source: source.url, files: contents.size, downloaded: downloaded.length, manifest: manifestState });
    return {
        source: source.url,
        configFiles,
        secretsConf: contents.get(SECRETS_CONF_KEY),
        manifest: manifestState,
        record: { source: source.url, objects: objectRecords, meta },
        downloaded: downloaded.sort(),
    };
}

function reuse(o: SourceObject, r: Reuse | undefined): Buffer | undefined {
    if (!r || o.etag === undefined) {
        return undefined;
    }
    const rec = r.record.objects[o.key];
    if (!rec || rec.etag !== o.etag || rec.size !== o.size) {
        return undefined;
    }
    const content = META_KEYS.has(o.key)
        ? r.record.meta[o.key] === undefined
            ? undefined
            : Buffer.from(r.record.meta[o.key], "base64")
        : r.liveFile(o.key);
    return content !== undefined && sha256Hex(content) === rec.sha256 ? content : undefined;
}
