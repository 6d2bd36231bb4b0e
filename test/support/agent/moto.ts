// moto_server (moto 5.2) on a loopback port for the agent's integration specs: S3, Secrets Manager and SNS
// as AWS's own protocols, plus a fault-injecting proxy in front of S3. A missing moto_server fails the spec.
import { CreateBucketCommand, PutObjectCommand, S3Client } from "@aws-sdk/client-s3";
import { CreateSecretCommand, SecretsManagerClient } from "@aws-sdk/client-secrets-manager";
import { CreateTopicCommand, SNSClient } from "@aws-sdk/client-sns";
import { ChildProcess, execFileSync, spawn } from "child_process";
import * as fs from "fs";
import * as http from "http";
import { AddressInfo } from "net";
import * as os from "os";
import * as path from "path";

export const MOTO_BUCKET = "collector-config";
export const MOTO_REGION = "eu-west-3";

/** A fault the proxy applies to matching S3 requests. */
export type Fault =
    /** Never answers. */
    | { kind: "hang" }
    /** A listing that is always truncated with the same continuation token. */
    | { kind: "repeat-token" }
    /** Same length, one byte flipped. */
    | { kind: "corrupt" }
    /** Content-Length as listed, the connection cut halfway through the body. */
    | { kind: "short" }
    /** A listing without every second key (the page's other fields unchanged). */
    | { kind: "drop-every-second-key" }
    /** A listing without the keys (relative to the bucket) that `drop` accepts. */
    | { kind: "drop-keys"; drop: (key: string) => boolean };

export class Moto {
    private child: ChildProcess | undefined;
    private proxy: http.Server | undefined;
    private readonly dir = fs.mkdtempSync(path.join(os.tmpdir(), "orglog-moto-"));
    url = "";
    proxyUrl = "";
    /** Faults by request: the first whose `match` accepts the request applies, `times` times (default: always). */
    readonly faults: Array<{ match: (method: string, url: string) => boolean; fault: Fault; times?: number }> = [];
    readonly proxied: Array<{ method: string; url: string }> = [];

    async start(): Promise<void> {
        let bin: string;
        try {
            bin = execFileSync("sh", ["-c", "command -v moto_server"], { encoding: "utf8" }).trim();
        } catch {
            throw new Error(
                "moto_server is not on PATH: install moto 5.2 (pip install 'moto[server]==5.2.*'); the agent's integration specs need it",
            );
        }
        const port = await freePort();
        this.child = spawn(bin, ["-H", "127.0.0.1", "-p", String(port)], { stdio: ["ignore", "ignore", "pipe"] });
        let stderr = "";
        this.child.stderr!.on("data", (c: Buffer) => (stderr += c.toString()));
        this.url = `http://127.0.0.1:${port}`;
        for (let i = 0; ; i++) {
            if (this.child.exitCode !== null) {
                throw new Error(`moto_server exited (${this.child.exitCode}): ${stderr.slice(-500)}`);
            }
            try {
                await httpGet(`${this.url}/moto-api/`);
                break;
            } catch {
                if (i > 300) {
                    throw new Error(`moto_server did not answer on ${this.url} within 30 s: ${stderr.slice(-500)}`);
                }
                await new Promise((r) => setTimeout(r, 100));
            }
        }
        await this.startProxy();
        await this.s3().send(
            new CreateBucketCommand({ Bucket: MOTO_BUCKET, CreateBucketConfiguration: { LocationConstraint: MOTO_REGION } }),
        );
    }

    async stop(): Promise<void> {
        await new Promise((r) => (this.proxy ? this.proxy.close(r) : r(undefined)));
        this.child?.kill("SIGTERM");
        fs.rmSync(this.dir, { recursive: true, force: true });
    }

    /** The agent's environment: S3 through the proxy, Secrets Manager and SNS straight to moto. */
    env(extra: Record<string, string> = {}): NodeJS.ProcessEnv {
        return {
            PATH: process.env.PATH,
            HOME: this.dir,
            AWS_REGION: MOTO_REGION,
            AWS_ACCESS_KEY_ID: "testing",
            AWS_SECRET_ACCESS_KEY: "testing",
            AWS_CONFIG_FILE: path.join(this.dir, "no-config"),
            AWS_SHARED_CREDENTIALS_FILE: path.join(this.dir, "no-credentials"),
            AWS_EC2_METADATA_DISABLED: "true",
            AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: "true",
            AWS_ENDPOINT_URL_S3: this.proxyUrl,
            AWS_ENDPOINT_URL_SECRETS_MANAGER: this.url,
            AWS_ENDPOINT_URL_SNS: this.url,
            ...extra,
        };
    }

    private clientConfig() {
        return { region: MOTO_REGION, endpoint: this.url, credentials: { accessKeyId: "testing", secretAccessKey: "testing" } };
    }

    s3(): S3Client {
        return new S3Client({ ...this.clientConfig(), forcePathStyle: true });
    }

    async put(prefix: string, files: Record<string, string | Buffer>): Promise<void> {
        const s3 = this.s3();
        for (const [key, body] of Object.entries(files)) {
            await s3.send(new PutObjectCommand({ Bucket: MOTO_BUCKET, Key: `${prefix}${key}`, Body: body }));
        }
    }

    async secret(name: string, value: string): Promise<string> {
        const res = await new SecretsManagerClient(this.clientConfig()).send(new CreateSecretCommand({ Name: name, SecretString: value }));
        return res.ARN!;
    }

    async topic(name: string): Promise<string> {
        return (await new SNSClient(this.clientConfig()).send(new CreateTopicCommand({ Name: name }))).TopicArn!;
    }

    /** GetObject requests (path /<bucket>/<prefix><key>, no query) that reached the proxy. */
    gets(prefix: string): string[] {
        const base = `/${MOTO_BUCKET}/${prefix}`;
        return this.proxied
            .filter((r) => r.method === "GET" && r.url.startsWith(base) && r.url.endsWith("?x-id=GetObject"))
            .map((r) => r.url.slice(base.length, -"?x-id=GetObject".length));
    }

    private startProxy(): Promise<void> {
        const target = new URL(this.url);
        this.proxy = http.createServer((req, res) => {
            const method = req.method ?? "GET";
            const url = req.url ?? "/";
            this.proxied.push({ method, url });
            const entry = this.faults.find((f) => f.match(method, url) && (f.times === undefined || f.times > 0));
            if (entry && entry.times !== undefined) {
                entry.times--;
            }
            const fault = entry?.fault;
            if (fault?.kind === "hang") {
                // never answers; the agent's timeout must end it
                return;
            }
            if (fault?.kind === "repeat-token") {
                // Every page says "more follows" with the same token, as a broken S3-compatible server might.
                res.writeHead(200, { "content-type": "application/xml" });
                res.end(
                    `<?xml version="1.0" encoding="UTF-8"?><ListBucketResult xmlns="http://s3.amazonaws.com/doc/2006-03-01/"><Name>${MOTO_BUCKET}</Name><Prefix></Prefix><KeyCount>0</KeyCount><MaxKeys>1000</MaxKeys><IsTruncated>true</IsTruncated><NextContinuationToken>same-token</NextContinuationToken></ListBucketResult>`,
                );
                return;
            }
            // The repeated token is the proxy's own: moto is asked for the first page again.
            const upPath = url;
            const up = http.request({ host: target.hostname, port: target.port, method, path: upPath, headers: req.headers }, (upRes) => {
                const chunks: Buffer[] = [];
                upRes.on("data", (c: Buffer) => chunks.push(c));
                upRes.on("end", () => {
                    let body: Buffer = Buffer.concat(chunks);
                    const headers = { ...upRes.headers };
                    if (fault?.kind === "corrupt" && body.length > 0) {
                        body = Buffer.from(body);
                        body[body.length >> 1] ^= 0x20;
                    }
                    if (fault?.kind === "drop-every-second-key") {
                        let n = 0;
                        body = Buffer.from(
                            body.toString("utf8").replace(/<Contents>[\s\S]*?<\/Contents>/g, (m) => (n++ % 2 === 1 ? "" : m)),
                        );
                    }
                    if (fault?.kind === "drop-keys") {
                        const drop = fault.drop;
                        body = Buffer.from(
                            body
                                .toString("utf8")
                                .replace(/<Contents>[\s\S]*?<\/Contents>/g, (m) =>
                                    drop(/<Key>([^<]*)<\/Key>/.exec(m)?.[1] ?? "") ? "" : m,
                                ),
                        );
                    }
                    if (fault?.kind !== "short") {
                        headers["content-length"] = String(body.length);
                    }
                    res.writeHead(upRes.statusCode ?? 502, headers);
                    if (fault?.kind === "short") {
                        res.write(body.subarray(0, body.length >> 1));
                        res.socket?.destroy();
                        return;
                    }
                    res.end(body);
                });
            });
            up.on("error", () => res.destroy());
            req.pipe(up);
        });
        return new Promise((resolve) => {
            this.proxy!.listen(0, "127.0.0.1", () => {
                this.proxyUrl = `http://127.0.0.1:${(this.proxy!.address() as AddressInfo).port}`;
                resolve();
            });
        });
    }
}

function freePort(): Promise<number> {
    return new Promise((resolve, reject) => {
        const s = http.createServer();
        s.on("error", reject);
        s.listen(0, "127.0.0.1", () => {
            const port = (s.address() as AddressInfo).port;
            s.close(() => resolve(port));
        });
    });
}

function httpGet(url: string): Promise<void> {
    return new Promise((resolve, reject) => {
        http.get(url, (res) => {
            res.resume();
            res.on("end", () => resolve());
        }).on("error", reject);
    });
}
