// Where a snapshot comes from: an S3 prefix (production) or a local directory (development, tests, CI).
import type { S3Client } from "@aws-sdk/client-s3";
import * as crypto from "crypto";
import * as fs from "fs";
import * as path from "path";
import { fileURLToPath } from "url";
import * as zlib from "zlib";
import { s3Client, s3Sdk } from "./aws-clients";
import { errorName, rejected, timedOut } from "./result";

export interface SourceObject {
    /** Path relative to the source root, "/"-separated. */
    readonly key: string;
    readonly size: number;
    /** Changes whenever the object's content may have changed; absent for local sources. */
    readonly etag?: string;
}

export interface Source {
    /** The URL as given, with a trailing slash. */
    readonly url: string;
    list(): Promise<SourceObject[]>;
    /** The bytes of a listed object, verified against its listed size (and checksum, for S3). */
    get(o: SourceObject): Promise<Buffer>;
}

export interface S3Location {
    readonly bucket: string;
    /** "" or ends with "/". */
    readonly prefix: string;
}

export function parseS3Url(url: string): S3Location {
    const m = /^s3:\/\/([^/]+)\/?(.*)$/.exec(url);
    if (!m) {
        throw rejected(`"${url}" is not an s3://<bucket>/<prefix>/ URL`);
    }
    const prefix = m[2] === "" || m[2].endsWith("/") ? m[2] : `${m[2]}/`;
    return { bucket: m[1], prefix };
}

export function openSource(url: string, limits: SourceLimits = DEFAULT_LIMITS): Source {
    if (url.startsWith("s3://")) {
        return new S3Source(parseS3Url(url), s3Client(process.env, true), limits);
    }
    if (url.startsWith("file://")) {
        return new FileSource(fileURLToPath(url));
    }
    throw rejected(`"${url}" is neither an s3:// nor a file:// URL`);
}

/** Why `key` cannot be a path below the config directory, or undefined when it can. */
export function keyProblem(key: string): string | undefined {
    if (key === "") {
        return "is empty";
    }
    // Control characters (NUL, newlines) would break the log lines and file names that carry the key.
    // eslint-disable-next-line no-control-regex -- control characters are what this test looks for
    if (/[\x00-\x1f\x7f\\]/.test(key)) {
        return "contains a control character or a backslash";
    }
    if (key.startsWith("/")) {
        return "is absolute";
    }
    for (const segment of key.split("/")) {
        if (segment === "") {
            return "has an empty path segment";
        }
        if (Buffer.byteLength(segment) > 255) {
            return "has a path segment longer than 255 bytes, the longest file name Linux allows";
        }
        if (segment === "." || segment === "..") {
            return `has a "${segment}" path segment`;
        }
    }
    return undefined;
}

/** How long a run may spend on its source, and how much of it it may list. */
export interface SourceLimits {
    readonly requestTimeoutMs: number;
    readonly maxListPages: number;
    /** Aborted when the whole-run deadline expires. */
    readonly signal?: AbortSignal;
}

export const DEFAULT_LIMITS: SourceLimits = { requestTimeoutMs: 30_000, maxListPages: 100 };

/** Attempts per request: a 5xx, a reset or cut body, a timeout or bytes that fail verification are tried again. */
const ATTEMPTS = 3;

class S3Source implements Source {
    readonly url: string;
    constructor(
        private readonly location: S3Location,
        private readonly client: S3Client,
        private readonly limits: SourceLimits,
    ) {
        this.url = `s3://${location.bucket}/${location.prefix}`;
    }

    async list(): Promise<SourceObject[]> {
        const out: SourceObject[] = [];
        const seen = new Set<string>();
        let token: string | undefined;
        let pages = 0;
        do {
            if (++pages > this.limits.maxListPages) {
                throw rejected(
                    `source ${this.url} needs more than ${this.limits.maxListPages} listing pages (--max-list-pages); raise the limit if the snapshot is really that large`,
                );
            }
            const page = await this.attempt(`source ${this.url} could not be listed`, (signal) =>
                this.client.send(
                    new (s3Sdk().ListObjectsV2Command)({
                        Bucket: this.location.bucket,
                        Prefix: this.location.prefix,
                        ContinuationToken: token,
                    }),
                    {
                        abortSignal: signal,
                    },
                ),
            );
            for (const o of page.Contents ?? []) {
                const key = (o.Key ?? "").slice(this.location.prefix.length);
                // Zero-byte "folder" markers created by consoles are not files of the snapshot.
                if (key === "" || (key.endsWith("/") && (o.Size ?? 0) === 0)) {
                    continue;
                }
                out.push({ key, size: o.Size ?? 0, etag: unquote(o.ETag) });
            }
            token = page.IsTruncated ? page.NextContinuationToken : undefined;
            if (page.IsTruncated && !token) {
                throw rejected(`source ${this.url} could not be listed (a truncated page without a continuation token)`);
            }
            if (token !== undefined) {
                if (seen.has(token)) {
                    throw rejected(`source ${this.url} could not be listed (S3 returned the same continuation token twice)`);
                }
                seen.add(token);
            }
        } while (token);
        return out;
    }

    async get(o: SourceObject): Promise<Buffer> {
        const what = `${this.url}${o.key}`;
        return this.attempt(`${what} could not be read`, async (signal) => {
            const res = await this.client.send(
                new (s3Sdk().GetObjectCommand)({
                    Bucket: this.location.bucket,
                    Key: this.location.prefix + o.key,
                    ChecksumMode: "ENABLED",
                }),
                { abortSignal: signal },
            );
            if (!res.Body) {
                throw new Error("empty body");
            }
            const content = await readBody(res.Body as unknown as NodeJS.ReadableStream, signal);
            const why = verifyProblem(o, content, res);
            if (why) {
                throw new Unverified(why);
            }
            return content;
        });
    }

    /** Runs one request up to ATTEMPTS times, each bounded by --request-timeout and the run's deadline. */
    private async attempt<T>(what: string, request: (signal: AbortSignal) => Promise<T>): Promise<T> {
        let last: unknown;
        for (let i = 1; i <= ATTEMPTS; i++) {
            if (this.limits.signal?.aborted) {
                throw deadlineError(this.limits.signal);
            }
            const timeout = AbortSignal.timeout(this.limits.requestTimeoutMs);
            const signal = this.limits.signal ? AbortSignal.any([timeout, this.limits.signal]) : timeout;
            try {
                return await request(signal);
            } catch (err) {
                if (this.limits.signal?.aborted) {
                    throw deadlineError(this.limits.signal);
                }
                last = timeout.aborted ? new RequestTimeout(this.limits.requestTimeoutMs) : err;
                // The SDK's own check of a flexible checksum (ChecksumMode ENABLED) failed: the same as ours.
                if (/checksum mismatch/i.test(String((last as Error)?.message))) {
                    last = new Unverified("the bytes do not match the checksum S3 returned");
                }
                if (!retryable(last) || i === ATTEMPTS) {
                    break;
                }
                await new Promise((r) => setTimeout(r, 100 * i));
            }
        }
        if (last instanceof RequestTimeout) {
            throw timedOut(
                `${what}: no answer within --request-timeout ${this.limits.requestTimeoutMs / 1000} s (${ATTEMPTS} attempts); the live state is unchanged`,
            );
        }
        if (last instanceof Unverified) {
            throw rejected(`${what}: ${last.message} (${ATTEMPTS} attempts); the live state is unchanged`);
        }
        throw rejected(`${what} (${errorName(last)})`);
    }
}

class RequestTimeout extends Error {
    constructor(ms: number) {
        super(`no answer within ${ms} ms`);
    }
}

/** Bytes that do not match what S3 listed or the checksum it returned. */
class Unverified extends Error {}

function deadlineError(signal: AbortSignal): Error {
    return signal.reason instanceof Error ? signal.reason : timedOut("the run's --deadline expired; the live state is unchanged");
}

function retryable(err: unknown): boolean {
    if (err instanceof RequestTimeout || err instanceof Unverified) {
        return true;
    }
    const status = (err as { $metadata?: { httpStatusCode?: number } })?.$metadata?.httpStatusCode;
    if (status === undefined) {
        // a reset, a refused connection, a body cut mid-transfer
        return true;
    }
    return status >= 500 || status === 429 || status === 408;
}

/** Reads a response body whole; a body that stalls is cut by the request's signal. */
async function readBody(body: NodeJS.ReadableStream, signal: AbortSignal): Promise<Buffer> {
    const chunks: Buffer[] = [];
    const stream = body as NodeJS.ReadableStream & { destroy?(err?: Error): void };
    const onAbort = () => stream.destroy?.(new Error("aborted"));
    signal.addEventListener("abort", onAbort, { once: true });
    try {
        for await (const chunk of stream) {
            chunks.push(Buffer.isBuffer(chunk) ? chunk : Buffer.from(chunk as unknown as Uint8Array));
        }
    } finally {
        signal.removeEventListener("abort", onAbort);
    }
    return Buffer.concat(chunks);
}

/**
 * Why `content` is not the object the listing named, or undefined when it is: the size must be the listed
 * size, the ETag the listed ETag, and the bytes must match a checksum S3 returned: an additional checksum
 * (SHA-256, SHA-1 or CRC32, asked for with ChecksumMode ENABLED; `publish` stores SHA-256), or else the ETag,
 * which is the MD5 of the bytes for a single-part upload without SSE-KMS.
 */
export function verifyProblem(
    o: SourceObject,
    content: Buffer,
    res: { ETag?: string; ChecksumSHA256?: string; ChecksumSHA1?: string; ChecksumCRC32?: string; ServerSideEncryption?: string },
): string | undefined {
    if (content.length !== o.size) {
        return `got ${content.length} bytes where the listing says ${o.size}`;
    }
    const etag = unquote(res.ETag);
    if (o.etag !== undefined && etag !== undefined && etag !== o.etag) {
        return "the object changed after it was listed";
    }
    const checks: Array<[string, string, string]> = [];
    const sha256 = res.ChecksumSHA256;
    if (sha256 && !sha256.includes("-")) {
        checks.push(["SHA-256", sha256, crypto.createHash("sha256").update(content).digest("base64")]);
    }
    const sha1 = res.ChecksumSHA1;
    if (sha1 && !sha1.includes("-")) {
        checks.push(["SHA-1", sha1, crypto.createHash("sha1").update(content).digest("base64")]);
    }
    const crc = res.ChecksumCRC32;
    if (crc && !crc.includes("-") && typeof zlib.crc32 === "function") {
        const b = Buffer.alloc(4);
        b.writeUInt32BE(zlib.crc32(content) >>> 0);
        checks.push(["CRC32", crc, b.toString("base64")]);
    }
    const single =
        etag !== undefined &&
        /^[0-9a-f]{32}$/.test(etag) &&
        res.ServerSideEncryption !== "aws:kms" &&
        res.ServerSideEncryption !== "aws:kms:dsse";
    if (checks.length === 0 && single) {
        checks.push(["MD5 (ETag)", etag!, crypto.createHash("md5").update(content).digest("hex")]);
    }
    if (checks.length === 0) {
        return "S3 returned no checksum the bytes can be verified against (upload it with `agent publish`, which stores a SHA-256 checksum)";
    }
    for (const [name, want, got] of checks) {
        if (want !== got) {
            return `the bytes do not match their ${name} checksum`;
        }
    }
    return undefined;
}

class FileSource implements Source {
    readonly url: string;
    constructor(private readonly root: string) {
        this.url = `file://${root.endsWith("/") ? root : `${root}/`}`;
    }

    async list(): Promise<SourceObject[]> {
        const out: SourceObject[] = [];
        const problems: string[] = [];
        const walk = (dir: string, prefix: string): void => {
            for (const name of fs.readdirSync(dir).sort()) {
                const full = path.join(dir, name);
                const st = fs.lstatSync(full);
                if (st.isDirectory()) {
                    walk(full, `${prefix}${name}/`);
                } else if (st.isFile()) {
                    out.push({ key: `${prefix}${name}`, size: st.size });
                } else {
                    problems.push(`${prefix}${name}: is not a regular file or directory`);
                }
            }
        };
        try {
            walk(this.root, "");
        } catch (err) {
            throw rejected(`source ${this.url} could not be listed (${errorName(err)})`);
        }
        if (problems.length > 0) {
            throw rejected(`source ${this.url} holds entries that are not files`, problems);
        }
        return out;
    }

    async get(o: SourceObject): Promise<Buffer> {
        let content: Buffer;
        try {
            content = fs.readFileSync(path.join(this.root, ...o.key.split("/")));
        } catch (err) {
            throw rejected(`${this.url}${o.key} could not be read (${errorName(err)})`);
        }
        if (content.length !== o.size) {
            throw rejected(`${this.url}${o.key} changed while it was read (${content.length} bytes, listed ${o.size})`);
        }
        return content;
    }
}

function unquote(etag: string | undefined): string | undefined {
    return etag === undefined ? undefined : etag.replace(/^"|"$/g, "");
}
