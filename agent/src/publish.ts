// `publish`: the configuration pipeline's upload. Uploads only changed files, deletes stale ones, then writes
// manifest.json (every file's SHA-256, signed with KMS when --kms-key-id is given) last, so a collector
// either sees a complete snapshot matching its manifest or rejects it; it never applies half of one.
import type { KMSClient } from "@aws-sdk/client-kms";
import type { S3Client } from "@aws-sdk/client-s3";
import * as fs from "fs";
import * as path from "path";
import { customS3Endpoint, kmsClient, kmsSdk, s3Client, s3Sdk } from "./aws-clients";
import { Logger } from "./log";
import {
    Manifest,
    MANIFEST_FORMAT,
    MANIFEST_KEY,
    ManifestFiles,
    parseManifest,
    sha256Hex,
    signedBytes,
    SIGNING_ALGORITHM,
} from "./manifest";
import { PublishOptions } from "./options";
import { errorName, PublishOutcome, rejected } from "./result";
import { parseSecretsConf, SECRETS_CONF_KEY } from "./secrets-conf";
import { keyProblem, parseS3Url, S3Location } from "./source";

export interface PublishReport {
    result: PublishOutcome;
    to: string;
    uploaded: string[];
    deleted: string[];
    unchanged: number;
    /** "written" or "unchanged". */
    manifest: string;
    signed: boolean;
    reason?: string;
    problems?: string[];
}

export async function runPublish(o: PublishOptions, log: Logger): Promise<PublishReport> {
    const to = parseS3Url(o.to);
    const url = `s3://${to.bucket}/${to.prefix}`;
    const local = readLocalTree(o.from);
    const s3 = s3Client();
    const remote = await listRemote(s3, to, url);
    const previous = await readPreviousManifest(s3, to, url, remote, log);

    const files: ManifestFiles = {};
    const changed: string[] = [];
    for (const [key, content] of local) {
        const sha256 = sha256Hex(content);
        const before = previous?.files[key];
        const etag = remote.get(key);
        // Unchanged only if the manifest says so and the object is still the one that was published then.
        if (before && before.sha256 === sha256 && before.size === content.length && before.etag !== undefined && before.etag === etag) {
            files[key] = before;
        } else {
            changed.push(key);
        }
    }
    const uploaded: string[] = [];
    let next = 0;
    const worker = async () => {
        while (next < changed.length) {
            const key = changed[next++];
            const content = local.get(key)!;
            try {
                const res = await s3.send(
                    new (s3Sdk().PutObjectCommand)({
                        Bucket: to.bucket,
                        Key: to.prefix + key,
                        Body: content,
                        Metadata: { sha256: sha256Hex(content) },
                        ...storedChecksum(),
                    }),
                );
                files[key] = { sha256: sha256Hex(content), size: content.length, etag: unquote(res.ETag) };
            } catch (err) {
                throw rejected(
                    `${url}${key} could not be uploaded (${errorName(err)}); ${MANIFEST_KEY} was not rewritten, so collectors keep rejecting the partial upload`,
                );
            }
            uploaded.push(key);
            log.info("uploaded", { key });
        }
    };
    await Promise.all(Array.from({ length: Math.min(4, changed.length) }, worker));

    const deleted: string[] = [];
    for (const key of [...remote.keys()].sort()) {
        if (key === MANIFEST_KEY || local.has(key)) {
            continue;
        }
        try {
            await s3.send(new (s3Sdk().DeleteObjectCommand)({ Bucket: to.bucket, Key: to.prefix + key }));
        } catch (err) {
            throw rejected(`${url}${key} could not be deleted (${errorName(err)})`);
        }
        deleted.push(key);
        log.info("deleted stale object", { key });
    }

    const sorted: ManifestFiles = Object.fromEntries(Object.entries(files).sort(([a], [b]) => (a < b ? -1 : 1)));
    const manifest: Manifest = { format: MANIFEST_FORMAT, files: sorted };
    const sameFiles = previous !== undefined && signedBytes(previous).equals(signedBytes(manifest));
    const sameSigner = o.kmsKeyId === undefined ? previous?.signature === undefined : previous?.signature?.keyId === o.kmsKeyId;
    let manifestState = "unchanged";
    if (!sameFiles || !sameSigner) {
        if (o.kmsKeyId !== undefined) {
            manifest.signature = await sign(kmsClient(), o.kmsKeyId, manifest);
        }
        try {
            await s3.send(
                new (s3Sdk().PutObjectCommand)({
                    Bucket: to.bucket,
                    Key: to.prefix + MANIFEST_KEY,
                    Body: `${JSON.stringify(manifest, null, 2)}\n`,
                    ContentType: "application/json",
                    ...storedChecksum(),
                }),
            );
        } catch (err) {
            throw rejected(
                `${url}${MANIFEST_KEY} could not be written (${errorName(err)}); collectors keep rejecting the snapshot until a publish succeeds`,
            );
        }
        manifestState = "written";
        log.info(`${MANIFEST_KEY} written`, { files: Object.keys(sorted).length, signed: o.kmsKeyId !== undefined });
    }
    const result: PublishOutcome = uploaded.length + deleted.length > 0 || manifestState === "written" ? "published" : "unchanged";
    return {
        result,
        to: url,
        uploaded: uploaded.sort(),
        deleted,
        unchanged: local.size - uploaded.length,
        manifest: manifestState,
        signed: o.kmsKeyId !== undefined,
    };
}

/** Every regular file below `dir`, by "/"-separated key. Rejects what a collector would reject. */
function readLocalTree(dir: string): Map<string, Buffer> {
    const files = new Map<string, Buffer>();
    const problems: string[] = [];
    const walk = (full: string, prefix: string) => {
        for (const name of fs.readdirSync(full).sort()) {
            const p = path.join(full, name);
            const key = `${prefix}${name}`;
            const st = fs.lstatSync(p);
            if (st.isDirectory()) {
                walk(p, `${key}/`);
            } else if (!st.isFile()) {
                problems.push(`${key}: is not a regular file (symbolic links are not published)`);
            } else if (keyProblem(key)) {
                problems.push(`${JSON.stringify(key)} ${keyProblem(key)}`);
            } else {
                files.set(key, fs.readFileSync(p));
            }
        }
    };
    try {
        walk(dir, "");
    } catch (err) {
        throw rejected(`--from ${dir} could not be read (${errorName(err)})`);
    }
    if ([...files.keys()].every((k) => k === SECRETS_CONF_KEY)) {
        // A wrong --from would otherwise delete the whole published snapshot.
        problems.push(`holds no configuration files; refusing to publish an empty snapshot`);
    }
    if (files.has(MANIFEST_KEY)) {
        problems.push(`${MANIFEST_KEY}: is written by publish itself; remove it from ${dir}`);
    }
    const conf = files.get(SECRETS_CONF_KEY);
    if (conf) {
        problems.push(...parseSecretsConf(conf.toString("utf8")).problems);
    }
    if (problems.length > 0) {
        throw rejected(`${dir} cannot be published`, problems);
    }
    return files;
}

async function listRemote(s3: S3Client, to: S3Location, url: string): Promise<Map<string, string | undefined>> {
    const out = new Map<string, string | undefined>();
    let token: string | undefined;
    try {
        do {
            const page = await s3.send(
                new (s3Sdk().ListObjectsV2Command)({ Bucket: to.bucket, Prefix: to.prefix, ContinuationToken: token }),
            );
            for (const o of page.Contents ?? []) {
                const key = (o.Key ?? "").slice(to.prefix.length);
                if (key !== "") {
                    out.set(key, unquote(o.ETag));
                }
            }
            token = page.IsTruncated ? page.NextContinuationToken : undefined;
        } while (token);
    } catch (err) {
        throw rejected(`${url} could not be listed (${errorName(err)})`);
    }
    return out;
}

async function readPreviousManifest(
    s3: S3Client,
    to: S3Location,
    url: string,
    remote: Map<string, string | undefined>,
    log: Logger,
): Promise<Manifest | undefined> {
    if (!remote.has(MANIFEST_KEY)) {
        return undefined;
    }
    try {
        const res = await s3.send(new (s3Sdk().GetObjectCommand)({ Bucket: to.bucket, Key: to.prefix + MANIFEST_KEY }));
        return parseManifest(await res.Body!.transformToString("utf8"), `${url}${MANIFEST_KEY}`);
    } catch (err) {
        log.warn(`the previous ${MANIFEST_KEY} is unusable (${errorName(err)}): every file is uploaded again`);
        return undefined;
    }
}

/** KMS signs the SHA-256 of the canonical manifest (MessageType DIGEST: no 4 KiB message limit). */
async function sign(kms: KMSClient, keyId: string, manifest: Manifest): Promise<NonNullable<Manifest["signature"]>> {
    try {
        const res = await kms.send(
            new (kmsSdk().SignCommand)({
                KeyId: keyId,
                Message: Buffer.from(sha256Hex(signedBytes(manifest)), "hex"),
                MessageType: "DIGEST",
                SigningAlgorithm: SIGNING_ALGORITHM,
            }),
        );
        if (!res.Signature) {
            throw new Error("no signature returned");
        }
        return { algorithm: SIGNING_ALGORITHM, keyId, value: Buffer.from(res.Signature).toString("base64") };
    } catch (err) {
        throw rejected(
            `${MANIFEST_KEY} could not be signed with KMS key ${keyId} (${errorName(err)}); it was not rewritten, so collectors reject the new files until a publish succeeds`,
        );
    }
}

function unquote(etag: string | undefined): string | undefined {
    return etag === undefined ? undefined : etag.replace(/^"|"$/g, "");
}

/**
 * Stores a SHA-256 checksum with every object, which collectors verify (GetObject with ChecksumMode
 * ENABLED) even when the ETag is not an MD5 (SSE-KMS). S3-compatible test servers get it only when
 * AWS_REQUEST_CHECKSUM_CALCULATION=WHEN_SUPPORTED says they understand flexible checksums.
 */
function storedChecksum(env: NodeJS.ProcessEnv = process.env): { ChecksumAlgorithm?: "SHA256" } {
    if (customS3Endpoint(env) && env.AWS_REQUEST_CHECKSUM_CALCULATION !== "WHEN_SUPPORTED") {
        return {};
    }
    return { ChecksumAlgorithm: "SHA256" };
}
