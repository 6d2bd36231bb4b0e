// The benchmark's baseline: a typical copy-and-restart deploy script, written with the AWS SDK
// directly. Every run downloads every object under the prefix into a temporary folder, reads every
// secret named in secrets.conf, empties the config directory and copies the download into it,
// rewrites the environment file and the certs, restarts the service and reports to SNS, whether or not
// anything changed. It is bundled and run like the agent (one process per run).
//
//   node naive-sync.js --source s3://<bucket>/<prefix>/ --config-dir <dir> --environment-file <file>
//       --certs-dir <dir> --restart-command "<cmd>" [--topic-arn <arn>] [--concurrency <n>]
//
// `--concurrency 1` (the default) downloads one object after the other, as a script's loop over the
// listing does; `--concurrency 8` downloads as many at a time as the agent (and reads secrets 4 at a
// time, as it does), so that the comparison measures only what is transferred and restarted.
// Not a product: no validation, no rollback, no lock.
import { GetObjectCommand, ListObjectsV2Command, S3Client } from "@aws-sdk/client-s3";
import { GetSecretValueCommand, SecretsManagerClient } from "@aws-sdk/client-secrets-manager";
import { PublishCommand, SNSClient } from "@aws-sdk/client-sns";
import { execFileSync } from "child_process";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";

interface Options {
    source: string;
    configDir: string;
    environmentFile: string;
    certsDir: string;
    restartCommand: string;
    topicArn?: string;
    concurrency: number;
}

function options(argv: string[]): Options {
    const get = (name: string) => {
        const i = argv.indexOf(`--${name}`);
        return i >= 0 ? argv[i + 1] : undefined;
    };
    const required = (name: string) => get(name) ?? fail(`--${name} is required`);
    return {
        source: required("source"),
        configDir: required("config-dir"),
        environmentFile: required("environment-file"),
        certsDir: required("certs-dir"),
        restartCommand: required("restart-command"),
        topicArn: get("topic-arn"),
        concurrency: Number(get("concurrency") ?? 1),
    };
}

function fail(message: string): never {
    throw new Error(`naive-sync: ${message}`);
}

async function pool<T>(items: T[], width: number, work: (item: T) => Promise<void>): Promise<void> {
    let next = 0;
    await Promise.all(
        Array.from({ length: Math.min(width, items.length) }, async () => {
            while (next < items.length) {
                await work(items[next++]);
            }
        }),
    );
}

async function main(): Promise<void> {
    const o = options(process.argv.slice(2));
    const m = /^s3:\/\/([^/]+)\/(.*)$/.exec(o.source) ?? fail(`--source ${o.source} is not an s3:// URL`);
    const [bucket, prefix] = [m[1], m[2]];
    const s3 = new S3Client({
        forcePathStyle: true,
        requestChecksumCalculation: "WHEN_REQUIRED",
        responseChecksumValidation: "WHEN_REQUIRED",
    });

    const keys: string[] = [];
    let token: string | undefined;
    do {
        const page = await s3.send(new ListObjectsV2Command({ Bucket: bucket, Prefix: prefix, ContinuationToken: token }));
        keys.push(...(page.Contents ?? []).map((c) => c.Key!.slice(prefix.length)).filter((k) => k !== "" && !k.endsWith("/")));
        token = page.IsTruncated ? page.NextContinuationToken : undefined;
    } while (token);

    const staging = fs.mkdtempSync(path.join(os.tmpdir(), "naive-sync-"));
    let bytes = 0;
    await pool(keys, o.concurrency, async (key) => {
        const res = await s3.send(new GetObjectCommand({ Bucket: bucket, Key: prefix + key }));
        const body = Buffer.from(await res.Body!.transformToByteArray());
        bytes += body.length;
        fs.mkdirSync(path.dirname(path.join(staging, key)), { recursive: true });
        fs.writeFileSync(path.join(staging, key), body);
    });

    const secretsConf = path.join(staging, "secrets.conf");
    const entries = fs.existsSync(secretsConf)
        ? fs
              .readFileSync(secretsConf, "utf8")
              .split("\n")
              .map((l) => l.trim())
              .filter((l) => l !== "" && !l.startsWith("#"))
              .map((l) => l.split("#") as [string, string, string])
        : [];
    const secrets = new SecretsManagerClient({});
    const values = new Map<string, string>();
    await pool(entries, Math.min(4, o.concurrency), async ([, name, arn]) => {
        const res = await secrets.send(new GetSecretValueCommand({ SecretId: arn }));
        values.set(name, res.SecretString ?? Buffer.from(res.SecretBinary ?? []).toString("utf8"));
    });

    // As a copy-and-restart script does: the destination's contents are deleted, then everything from the temporary folder is copied in.
    fs.mkdirSync(o.configDir, { recursive: true });
    for (const entry of fs.readdirSync(o.configDir)) {
        fs.rmSync(path.join(o.configDir, entry), { recursive: true, force: true });
    }
    for (const key of keys.filter((k) => k !== "secrets.conf" && k !== "manifest.json")) {
        fs.mkdirSync(path.dirname(path.join(o.configDir, key)), { recursive: true });
        fs.copyFileSync(path.join(staging, key), path.join(o.configDir, key));
    }
    fs.mkdirSync(o.certsDir, { recursive: true, mode: 0o700 });
    const env: string[] = [];
    for (const [kind, name] of entries) {
        if (kind === "env") {
            env.push(`export ${name}="${values.get(name)}"`);
        } else {
            fs.writeFileSync(path.join(o.certsDir, name), values.get(name)!, { mode: 0o600 });
        }
    }
    fs.mkdirSync(path.dirname(o.environmentFile), { recursive: true });
    fs.writeFileSync(o.environmentFile, `${env.join("\n")}\n`, { mode: 0o600 });
    fs.rmSync(staging, { recursive: true, force: true });

    execFileSync("/bin/sh", ["-c", o.restartCommand], { stdio: "ignore" });
    const result = { command: "naive-sync", result: "applied", restarted: true, downloaded: keys.length, bytes, secrets: entries.length };
    if (o.topicArn) {
        await new SNSClient({}).send(
            new PublishCommand({ TopicArn: o.topicArn, Subject: "naive sync: applied", Message: JSON.stringify(result) }),
        );
    }
    process.stdout.write(`${JSON.stringify(result)}\n`);
}

main().catch((err) => {
    process.stderr.write(`${(err as Error).message}\n`);
    process.exitCode = 1;
});
