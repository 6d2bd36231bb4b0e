// Local AWS endpoints for the agent specs, all on 127.0.0.1 and all recording their calls:
//  - S3: a real s3rver (the agent's SDK talks to it exactly as to S3, path-style);
//  - Secrets Manager and KMS: small AWS JSON 1.1 servers (X-Amz-Target) with GetSecretValue and Sign;
//  - SNS: a small query-protocol server with Publish and an XML response.
// The agent finds them through the SDK's standard AWS_ENDPOINT_URL_* variables (see env()).
import { DeleteObjectCommand, ListObjectsV2Command, PutObjectCommand, S3Client } from "@aws-sdk/client-s3";
import * as crypto from "crypto";
import * as fs from "fs";
import * as http from "http";
import { AddressInfo } from "net";
import * as os from "os";
import * as path from "path";
import { signDigest } from "./ecdsa-p256";

// s3rver ships no types.

const S3rver = require("s3rver");

// The SDK's "upgrade to Node 22" notice, printed by this test process's own S3 client, is noise in the suite.
process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED = "true";

export const BUCKET = "collector-config";
export const REGION = "eu-west-3";
export const ACCOUNT = "111122223333";
export const TOPIC_ARN = `arn:aws:sns:${REGION}:${ACCOUNT}:collector-deploy-results`;
export const KMS_KEY_ARN = `arn:aws:kms:${REGION}:${ACCOUNT}:key/0b1c2d3e-4f50-6172-8394-a5b6c7d8e9f0`;

export function secretArn(name: string): string {
    return `arn:aws:secretsmanager:${REGION}:${ACCOUNT}:secret:collector/${name}-AbCdEf`;
}

export interface S3Call {
    method: string;
    /** Path-style: /<bucket>/<key>. */
    path: string;
    query: string;
}

export interface SecretsCall {
    action: string;
    secretId: string;
}

export interface SnsCall {
    topicArn: string;
    subject: string;
    message: string;
}

export interface KmsCall {
    action: string;
    keyId: string;
    messageType: string;
    signingAlgorithm: string;
}

type Secret = { string: string } | { binary: Buffer };

export class LocalAws {
    readonly s3Calls: S3Call[] = [];
    readonly secretsCalls: SecretsCall[] = [];
    readonly snsCalls: SnsCall[] = [];
    readonly kmsCalls: KmsCall[] = [];
    /** Topics Publish accepts; any other gets SNS's NotFound. */
    readonly topics = new Set([TOPIC_ARN]);
    readonly kmsKey = crypto.generateKeyPairSync("ec", { namedCurve: "P-256" });
    private readonly secrets = new Map<string, Secret>();
    private readonly dir = fs.mkdtempSync(path.join(os.tmpdir(), "orglog-local-aws-"));
    private s3server: { close(): Promise<void> } | undefined;
    private readonly servers: http.Server[] = [];
    private urls: Record<"s3" | "secrets" | "sns" | "kms", string> = { s3: "", secrets: "", sns: "", kms: "" };
    private client: S3Client | undefined;

    async start(): Promise<void> {
        const s3 = new S3rver({
            address: "127.0.0.1",
            port: 0,
            silent: true,
            directory: path.join(this.dir, "s3"),
            configureBuckets: [{ name: BUCKET }],
        });
        // First in the middleware chain, so every request is recorded before s3rver routes it.
        s3.middleware.unshift(async (ctx: { method: string; path: string; querystring: string }, next: () => Promise<void>) => {
            this.s3Calls.push({ method: ctx.method, path: decodeURIComponent(ctx.path), query: ctx.querystring });
            await next();
        });
        const address = (await s3.run()) as AddressInfo;
        this.s3server = s3;
        this.urls.s3 = `http://127.0.0.1:${address.port}`;
        this.urls.secrets = await this.listen((target, body) => this.secretsManager(target, body));
        this.urls.kms = await this.listen((target, body) => this.kms(target, body));
        this.urls.sns = await this.listenQuery();
    }

    async stop(): Promise<void> {
        await this.s3server?.close();
        await Promise.all(this.servers.map((s) => new Promise((r) => s.close(r))));
        fs.rmSync(this.dir, { recursive: true, force: true });
    }

    /** Environment for the agent: the SDK's standard variables only, nothing inherited from this machine. */
    env(extra: Record<string, string> = {}): NodeJS.ProcessEnv {
        return {
            PATH: process.env.PATH,
            HOME: this.dir,
            AWS_REGION: REGION,
            AWS_ACCESS_KEY_ID: "S3RVER",
            AWS_SECRET_ACCESS_KEY: "S3RVER",
            AWS_CONFIG_FILE: path.join(this.dir, "no-config"),
            AWS_SHARED_CREDENTIALS_FILE: path.join(this.dir, "no-credentials"),
            AWS_EC2_METADATA_DISABLED: "true",
            AWS_ENDPOINT_URL_S3: this.urls.s3,
            AWS_ENDPOINT_URL_SECRETS_MANAGER: this.urls.secrets,
            AWS_ENDPOINT_URL_SNS: this.urls.sns,
            AWS_ENDPOINT_URL_KMS: this.urls.kms,
            ...extra,
        };
    }

    setSecret(name: string, value: string | Buffer): string {
        const arn = secretArn(name);
        this.secrets.set(arn, typeof value === "string" ? { string: value } : { binary: value });
        return arn;
    }

    deleteSecret(name: string): void {
        this.secrets.delete(secretArn(name));
    }

    /** The KMS key's public half as PEM (what `aws kms get-public-key` gives, converted). */
    publicKeyPem(): string {
        return this.kmsKey.publicKey.export({ type: "spki", format: "pem" }).toString();
    }

    // --- S3 helpers for arranging sources (the test's own client, not the agent's) ---

    s3(): S3Client {
        this.client ??= new S3Client({
            region: REGION,
            endpoint: this.urls.s3,
            forcePathStyle: true,
            requestChecksumCalculation: "WHEN_REQUIRED",
            responseChecksumValidation: "WHEN_REQUIRED",
            credentials: { accessKeyId: "S3RVER", secretAccessKey: "S3RVER" },
        });
        return this.client;
    }

    async put(prefix: string, files: Record<string, string | Buffer>): Promise<void> {
        for (const [key, body] of Object.entries(files)) {
            await this.s3().send(new PutObjectCommand({ Bucket: BUCKET, Key: `${prefix}${key}`, Body: body }));
        }
    }

    async remove(prefix: string, ...keys: string[]): Promise<void> {
        for (const key of keys) {
            await this.s3().send(new DeleteObjectCommand({ Bucket: BUCKET, Key: `${prefix}${key}` }));
        }
    }

    async list(prefix: string): Promise<string[]> {
        const res = await this.s3().send(new ListObjectsV2Command({ Bucket: BUCKET, Prefix: prefix }));
        return (res.Contents ?? []).map((o) => o.Key!.slice(prefix.length)).sort();
    }

    async read(prefix: string, key: string): Promise<string> {
        const { GetObjectCommand } = await import("@aws-sdk/client-s3");
        const res = await this.s3().send(new GetObjectCommand({ Bucket: BUCKET, Key: `${prefix}${key}` }));
        return res.Body!.transformToString("utf8");
    }

    /** GetObject requests (not listings) for keys below `prefix` since call index `since`. */
    getObjectCalls(prefix: string, since = 0): string[] {
        const base = `/${BUCKET}/${prefix}`;
        return this.s3Calls
            .slice(since)
            .filter((c) => c.method === "GET" && c.path.startsWith(base) && c.path.length > base.length)
            .map((c) => c.path.slice(base.length));
    }

    // --- stand-ins ---

    private secretsManager(target: string, body: Record<string, unknown>): [number, unknown] {
        const secretId = String(body.SecretId ?? "");
        this.secretsCalls.push({ action: target, secretId });
        if (target !== "secretsmanager.GetSecretValue") {
            return awsJsonError(400, "InvalidAction", `${target} is not served here`);
        }
        const secret = this.secrets.get(secretId);
        if (!secret) {
            return awsJsonError(400, "ResourceNotFoundException", "Secrets Manager can't find the specified secret.");
        }
        return [
            200,
            {
                ARN: secretId,
                Name: secretId.split(":secret:")[1],
                VersionId: crypto.randomUUID(),
                VersionStages: ["AWSCURRENT"],
                CreatedDate: Date.now() / 1000,
                ...("string" in secret ? { SecretString: secret.string } : { SecretBinary: secret.binary.toString("base64") }),
            },
        ];
    }

    private kms(target: string, body: Record<string, unknown>): [number, unknown] {
        const call = {
            action: target,
            keyId: String(body.KeyId ?? ""),
            messageType: String(body.MessageType ?? "RAW"),
            signingAlgorithm: String(body.SigningAlgorithm ?? ""),
        };
        this.kmsCalls.push(call);
        if (target !== "TrentService.Sign") {
            return awsJsonError(400, "UnsupportedOperationException", `${target} is not served here`);
        }
        if (call.keyId !== KMS_KEY_ARN) {
            return awsJsonError(400, "NotFoundException", `Key '${call.keyId}' does not exist`);
        }
        if (call.signingAlgorithm !== "ECDSA_SHA_256") {
            return awsJsonError(400, "InvalidKeyUsageException", "ECC_NIST_P256 keys sign with ECDSA_SHA_256");
        }
        const message = Buffer.from(String(body.Message ?? ""), "base64");
        const digest = call.messageType === "DIGEST" ? message : crypto.createHash("sha256").update(message).digest();
        if (digest.length !== 32) {
            return awsJsonError(400, "ValidationException", "Digest must be 32 bytes for ECDSA_SHA_256");
        }
        return [
            200,
            {
                KeyId: KMS_KEY_ARN,
                SigningAlgorithm: call.signingAlgorithm,
                Signature: signDigest(this.kmsKey.privateKey, digest).toString("base64"),
            },
        ];
    }

    private listen(handle: (target: string, body: Record<string, unknown>) => [number, unknown]): Promise<string> {
        return this.serve((req, raw, res) => {
            let body: Record<string, unknown> = {};
            try {
                body = raw === "" ? {} : (JSON.parse(raw) as Record<string, unknown>);
            } catch {
                // answered below as a bad request
            }
            const [status, payload] = handle(String(req.headers["x-amz-target"] ?? ""), body);
            const type = (payload as { __type?: string }).__type;
            res.writeHead(status, { "content-type": "application/x-amz-json-1.1", ...(type ? { "x-amzn-errortype": type } : {}) });
            res.end(JSON.stringify(payload));
        });
    }

    private listenQuery(): Promise<string> {
        return this.serve((_req, raw, res) => {
            const form = new URLSearchParams(raw);
            const requestId = crypto.randomUUID();
            if (form.get("Action") !== "Publish") {
                res.writeHead(400, { "content-type": "text/xml" });
                res.end(snsError("InvalidAction", `${form.get("Action")} is not served here`, requestId));
                return;
            }
            const call = { topicArn: form.get("TopicArn") ?? "", subject: form.get("Subject") ?? "", message: form.get("Message") ?? "" };
            this.snsCalls.push(call);
            if (!this.topics.has(call.topicArn)) {
                res.writeHead(404, { "content-type": "text/xml" });
                res.end(snsError("NotFound", "Topic does not exist", requestId));
                return;
            }
            res.writeHead(200, { "content-type": "text/xml" });
            res.end(
                `<PublishResponse xmlns="http://sns.amazonaws.com/doc/2010-03-31/"><PublishResult><MessageId>${crypto.randomUUID()}</MessageId></PublishResult><ResponseMetadata><RequestId>${requestId}</RequestId></ResponseMetadata></PublishResponse>`,
            );
        });
    }

    private serve(handler: (req: http.IncomingMessage, body: string, res: http.ServerResponse) => void): Promise<string> {
        const server = http.createServer((req, res) => {
            const chunks: Buffer[] = [];
            req.on("data", (c: Buffer) => chunks.push(c));
            req.on("end", () => handler(req, Buffer.concat(chunks).toString("utf8"), res));
        });
        this.servers.push(server);
        return new Promise((resolve) => {
            server.listen(0, "127.0.0.1", () => resolve(`http://127.0.0.1:${(server.address() as AddressInfo).port}`));
        });
    }
}

function awsJsonError(status: number, type: string, message: string): [number, unknown] {
    return [status, { __type: type, message }];
}

function snsError(code: string, message: string, requestId: string): string {
    return `<ErrorResponse xmlns="http://sns.amazonaws.com/doc/2010-03-31/"><Error><Type>Sender</Type><Code>${code}</Code><Message>${message}</Message></Error><RequestId>${requestId}</RequestId></ErrorResponse>`;
}
