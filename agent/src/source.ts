// Where a snapshot comes from: an S3 prefix (production) or a local directory (development, tests, CI).
import { GetObjectCommand, ListObjectsV2Command, S3Client } from "@aws-sdk/client-s3";
import * as fs from "fs";
import * as path from "path";
import { fileURLToPath } from "url";
import { s3Client } from "./aws-clients";
import { errorName, rejected } from "./result";

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
    get(key: string): Promise<Buffer>;
}

export interface S3Location {
    readonly bucket: string;
    /** "" or ends with "/". */
    readonly prefix: string;
}

export function parseS3Url(url: string): S3Location {
    const m = /^s3:\/\/([^/]+)\/?(.*)$/.exec(url);
    if (!m) throw rejected(`"${url}" is not an s3://<bucket>/<prefix>/ URL`);
    const prefix = m[2] === "" || m[2].endsWith("/") ? m[2] : `${m[2]}/`;
    return { bucket: m[1], prefix };
}

export function openSource(url: string): Source {
    if (url.startsWith("s3://")) return new S3Source(parseS3Url(url), s3Client());
    if (url.startsWith("file://")) return new FileSource(fileURLToPath(url));
    throw rejected(`"${url}" is neither an s3:// nor a file:// URL`);
}

/** Why `key` cannot be a path below the config directory, or undefined when it can. */
export function keyProblem(key: string): string | undefined {
    if (key === "") return "is empty";
    // Control characters (NUL, newlines) would break the log lines and file names that carry the key.
    if (/[\x00-\x1f\x7f\\]/.test(key)) return "contains a control character or a backslash";
    if (key.startsWith("/")) return "is absolute";
    for (const segment of key.split("/")) {
        if (segment === "") return "has an empty path segment";
        if (segment === "." || segment === "..") return `has a "${segment}" path segment`;
    }
    return undefined;
}

class S3Source implements Source {
    readonly url: string;
    constructor(
        private readonly location: S3Location,
        private readonly client: S3Client,
    ) {
        this.url = `s3://${location.bucket}/${location.prefix}`;
    }

    async list(): Promise<SourceObject[]> {
        const out: SourceObject[] = [];
        let token: string | undefined;
        try {
            do {
                const page = await this.client.send(
                    new ListObjectsV2Command({ Bucket: this.location.bucket, Prefix: this.location.prefix, ContinuationToken: token }),
                );
                for (const o of page.Contents ?? []) {
                    const key = (o.Key ?? "").slice(this.location.prefix.length);
                    // Zero-byte "folder" markers created by consoles are not files of the snapshot.
                    if (key === "" || (key.endsWith("/") && (o.Size ?? 0) === 0)) continue;
                    out.push({ key, size: o.Size ?? 0, etag: unquote(o.ETag) });
                }
                token = page.IsTruncated ? page.NextContinuationToken : undefined;
            } while (token);
        } catch (err) {
            throw rejected(`source ${this.url} could not be listed (${errorName(err)})`);
        }
        return out;
    }

    async get(key: string): Promise<Buffer> {
        try {
            const res = await this.client.send(new GetObjectCommand({ Bucket: this.location.bucket, Key: this.location.prefix + key }));
            if (!res.Body) throw new Error("empty body");
            return Buffer.from(await res.Body.transformToByteArray());
        } catch (err) {
            throw rejected(`${this.url}${key} could not be read (${errorName(err)})`);
        }
    }
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
                if (st.isDirectory()) walk(full, `${prefix}${name}/`);
                else if (st.isFile()) out.push({ key: `${prefix}${name}`, size: st.size });
                else problems.push(`${prefix}${name}: is not a regular file or directory`);
            }
        };
        try {
            walk(this.root, "");
        } catch (err) {
            throw rejected(`source ${this.url} could not be listed (${errorName(err)})`);
        }
        if (problems.length > 0) throw rejected(`source ${this.url} holds entries that are not files`, problems);
        return out;
    }

    async get(key: string): Promise<Buffer> {
        try {
            return fs.readFileSync(path.join(this.root, ...key.split("/")));
        } catch (err) {
            throw rejected(`${this.url}${key} could not be read (${errorName(err)})`);
        }
    }
}

function unquote(etag: string | undefined): string | undefined {
    return etag === undefined ? undefined : etag.replace(/^"|"$/g, "");
}
