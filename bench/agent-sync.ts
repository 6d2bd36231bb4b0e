// Agent syncs at scale: a snapshot of N config files (1 KiB each on average; N = 1,000 and 10,000 by
// default) and 20 secrets published to a local S3 (s3rver) with local Secrets Manager / SNS, the
// stand-ins of the agent specs. Runs the built agent bundle and the naive baseline (naive-sync.ts,
// bundled the same way) as processes, one per sync, and records what each did: requests by kind, bytes
// fetched, restarts, paths written on the host, and the process's own CPU time (user + system) and peak
// RSS, read from `process.resourceUsage()` when it exits (a preloaded module, bench/rusage-preload.js).
import { ListObjectsV2Command } from "@aws-sdk/client-s3";
import { execFileSync, spawn } from "child_process";
import { buildSync } from "esbuild";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { BUNDLE, ensureBundle, runAgent } from "../test/support/agent/agent-host";
import { BUCKET, LocalAws, TOPIC_ARN } from "../test/support/agent/local-aws";

/** Snapshot sizes of `npm run bench` (`--agent-files`). */
export const DEFAULT_FILES = [1000, 10000];
/** 1 MiB per 1,000 files. */
export const bytesFor = (files: number): number => Math.round((files * 1024 * 1024) / 1000);
export const SECRETS = 20;
const RUSAGE_PRELOAD = path.join(__dirname, "rusage-preload.js");
/** Of the 20 secrets, these many are `file#` (certificates); the rest are `env#`. */
const FILE_SECRETS = 4;

export interface SyncFigures {
    /** The JSON result's `result` (agent) or "applied" (naive). */
    result: string;
    exitCode: number | null;
    /** Process start to exit. */
    wallMs: number;
    /** User + system CPU time of the process itself (not the commands it ran). */
    cpuMs: number;
    userCpuMs: number;
    systemCpuMs: number;
    /** Peak resident set size of the process. */
    maxRssMiB: number;
    /** Requests by kind: S3 ListObjectsV2, GetObject, ...; Secrets Manager GetSecretValue; SNS Publish. */
    requests: Record<string, number>;
    /** GetObject calls for config files (not manifest.json or secrets.conf). */
    configGetObjects: number;
    /** Bytes of the objects fetched with GetObject. */
    bytesDownloaded: number;
    restarts: number;
    validations: number;
    /** Paths under the host's config dir, env file, certs and state dir that were created, removed or modified. */
    pathsWritten: number;
    /** Of those, the ones the service reads: generation contents and the live paths themselves. */
    livePathsWritten: number;
    /** Which, when there are at most 10 (relative to the host root). */
    writtenPaths?: string[];
    /** Process start to the restart command's start (change sync only). */
    timeToRestartMs?: number;
}

export interface AgentSyncResults {
    files: number;
    totalBytes: number;
    secrets: number;
    /** Objects under the prefix: the files, secrets.conf and manifest.json. */
    objects: number;
    firstSync: SyncFigures;
    noOp: SyncFigures[];
    /** A deploy script's loop: one download after the other. */
    naive: SyncFigures[];
    /** The same with the agent's concurrency (8 downloads at a time). */
    naiveParallel: SyncFigures[];
    change: SyncFigures;
    /** Medians of wall time, CPU time and peak RSS. */
    medians: {
        noOpMs: number;
        naiveMs: number;
        naiveParallelMs: number;
        noOpCpuMs: number;
        naiveCpuMs: number;
        naiveParallelCpuMs: number;
        noOpRssMiB: number;
        naiveRssMiB: number;
        naiveParallelRssMiB: number;
    };
    /** Naive wall time over no-op wall time (medians). */
    noOpSpeedup: number;
    noOpSpeedupParallel: number;
}

/** One collector's paths, in a temporary root; the lock lives apart (it is created and removed by every run). */
interface BenchHost {
    root: string;
    configDir: string;
    environmentFile: string;
    certsDir: string;
    stateDir: string;
    lockFile: string;
    callsFile: string;
}

function benchHost(root: string, name: string): BenchHost {
    const dir = path.join(root, name);
    const host = {
        root: dir,
        configDir: path.join(dir, "etc/td-agent"),
        environmentFile: path.join(dir, "etc/sysconfig/td-agent"),
        certsDir: path.join(dir, "etc/td-agent/certs"),
        stateDir: path.join(dir, "etc/.td-agent.orglog"),
        lockFile: path.join(root, "run", `${name}.lock`),
        callsFile: path.join(root, `${name}.calls`),
    };
    fs.mkdirSync(path.join(dir, "etc/sysconfig"), { recursive: true });
    fs.mkdirSync(host.configDir, { recursive: true });
    fs.writeFileSync(path.join(host.configDir, "td-agent.conf"), "# td-agent package default\n");
    fs.writeFileSync(host.environmentFile, "TD_AGENT_OPTIONS=\n");
    fs.writeFileSync(host.callsFile, "");
    return host;
}

/** The stand-in service: records "<label> <epoch ms>" for validate and restart. */
function serviceCommand(root: string, host: BenchHost, label: string): string {
    const script = path.join(root, "service.sh");
    if (!fs.existsSync(script)) {
        fs.writeFileSync(script, 'printf "%s %s\\n" "$1" "$(date +%s%3N)" >> "$2"\n');
    }
    return `sh ${script} ${label} ${host.callsFile}`;
}

/** `files` files, 1 KiB each on average: td-agent.conf including 20 directories of sources. */
export function sourceTree(dir: string, secretArns: string[], files: number): void {
    const totalBytes = bytesFor(files);
    const base = Math.floor(totalBytes / files);
    const larger = totalBytes - base * files;
    const digits = String(files - 1).length;
    for (let i = 0; i < files; i++) {
        const size = base + (i < larger ? 1 : 0);
        const rel =
            i === 0
                ? "td-agent.conf"
                : `conf.d/${String(i % 20).padStart(2, "0")}/source-${String(i).padStart(Math.max(4, digits), "0")}.conf`;
        const head =
            i === 0
                ? "@include conf.d/*/*.conf\n<system>\n  log_level info\n</system>\n"
                : `<source>\n  @type tail\n  path /var/log/app-${i}/*.log\n  pos_file /var/lib/td-agent/app-${i}.pos\n  tag app.${i}\n  <parse>\n    @type json\n  </parse>\n</source>\n`;
        const pad = size - Buffer.byteLength(head) - 1;
        const content = `${head}#${"x".repeat(pad - 1)}\n`;
        if (Buffer.byteLength(content) !== size) {
            throw new Error(`bench: file ${i} is ${Buffer.byteLength(content)} bytes, not ${size}`);
        }
        fs.mkdirSync(path.dirname(path.join(dir, rel)), { recursive: true });
        fs.writeFileSync(path.join(dir, rel), content);
    }
    const lines = secretArns.map((arn, i) => (i < FILE_SECRETS ? `file#collector-${i}.pem#${arn}` : `env#SECRET_${i}#${arn}`));
    fs.writeFileSync(path.join(dir, "secrets.conf"), `# ${SECRETS} secrets\n${lines.join("\n")}\n`);
}

/** path -> inode, size, mtime and ctime of everything below the given roots (a rewrite changes ctime). */
function statTree(roots: string[]): Map<string, string> {
    const out = new Map<string, string>();
    const visit = (p: string) => {
        let st: fs.Stats;
        try {
            st = fs.lstatSync(p);
        } catch {
            return;
        }
        out.set(p, `${st.ino} ${st.size} ${st.mtimeMs} ${st.ctimeMs} ${st.mode}`);
        if (st.isDirectory()) {
            for (const name of fs.readdirSync(p)) {
                visit(path.join(p, name));
            }
        }
    };
    roots.forEach(visit);
    return out;
}

function changedPaths(before: Map<string, string>, after: Map<string, string>): string[] {
    const changed: string[] = [];
    for (const [p, v] of after) {
        if (before.get(p) !== v) {
            changed.push(p);
        }
    }
    for (const p of before.keys()) {
        if (!after.has(p)) {
            changed.push(p);
        }
    }
    return changed;
}

export function median(values: number[]): number {
    const s = [...values].sort((a, b) => a - b);
    return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
}

export async function agentSync(
    log: (line: string) => void = () => undefined,
    runs = 3,
    files = DEFAULT_FILES[0],
): Promise<AgentSyncResults> {
    ensureBundle();
    const totalBytes = bytesFor(files);
    const root = fs.mkdtempSync(path.join(os.tmpdir(), "bench-agent-"));
    const naiveBundle = path.join(root, "naive-sync.js");
    buildSync({
        entryPoints: [path.join(__dirname, "naive-sync.ts")],
        outfile: naiveBundle,
        bundle: true,
        platform: "node",
        target: "node20",
        format: "cjs",
        logLevel: "warning",
    });
    const aws = new LocalAws();
    await aws.start();
    try {
        const prefix = "configuration/bench/";
        const source = `s3://${BUCKET}/${prefix}`;
        const arns = Array.from({ length: SECRETS }, (_, i) =>
            aws.setSecret(
                `bench-${i}`,
                i < FILE_SECRETS
                    ? `-----BEGIN CERTIFICATE-----\nMIIB${"A".repeat(600)}\n-----END CERTIFICATE-----\n`
                    : `value-${i}-${"s".repeat(24)}`,
            ),
        );
        const from = path.join(root, "source");
        sourceTree(from, arns, files);
        const published = await runAgent(["publish", "--from", from, "--to", source], aws.env());
        if (published.status !== 0) {
            throw new Error(`bench: publish failed: ${published.stderr}`);
        }
        log(`published ${files} files (${totalBytes} bytes) and secrets.conf to ${source}`);

        const objectSizes = async () => {
            const sizes = new Map<string, number>();
            let token: string | undefined;
            do {
                const page = await aws.s3().send(new ListObjectsV2Command({ Bucket: BUCKET, Prefix: prefix, ContinuationToken: token }));
                for (const o of page.Contents ?? []) {
                    sizes.set(`/${BUCKET}/${o.Key}`, o.Size ?? 0);
                }
                token = page.IsTruncated ? page.NextContinuationToken : undefined;
            } while (token);
            return sizes;
        };

        const measure = async (host: BenchHost, command: string[], sizes: Map<string, number>): Promise<SyncFigures> => {
            const marks = { s3: aws.s3Calls.length, secrets: aws.secretsCalls.length, sns: aws.snsCalls.length, kms: aws.kmsCalls.length };
            const callsBefore = fs.readFileSync(host.callsFile, "utf8").split("\n").filter(Boolean).length;
            const before = statTree([host.configDir, host.environmentFile, host.stateDir]);
            const rusageFile = path.join(root, "rusage.json");
            fs.rmSync(rusageFile, { force: true });
            const started = Date.now();
            const run = await runNode(command, aws.env({ BENCH_RUSAGE_FILE: rusageFile }));
            const wallMs = Date.now() - started;
            const after = statTree([host.configDir, host.environmentFile, host.stateDir]);
            const written = changedPaths(before, after);
            const requests: Record<string, number> = {};
            const count = (kind: string) => (requests[kind] = (requests[kind] ?? 0) + 1);
            let bytesDownloaded = 0;
            let configGetObjects = 0;
            for (const c of aws.s3Calls.slice(marks.s3)) {
                const kind = s3Kind(c.method, c.path, c.query);
                count(`S3 ${kind}`);
                if (kind === "GetObject") {
                    bytesDownloaded += sizes.get(c.path) ?? 0;
                    if (!/\/(manifest\.json|secrets\.conf)$/.test(c.path)) {
                        configGetObjects++;
                    }
                }
            }
            aws.secretsCalls.slice(marks.secrets).forEach((c) => count(`SecretsManager ${c.action.replace(/^secretsmanager\./, "")}`));
            aws.snsCalls.slice(marks.sns).forEach(() => count("SNS Publish"));
            aws.kmsCalls.slice(marks.kms).forEach((c) => count(`KMS ${c.action.replace(/^TrentService\./, "")}`));
            const calls = fs.readFileSync(host.callsFile, "utf8").split("\n").filter(Boolean).slice(callsBefore);
            const restart = calls.find((c) => c.startsWith("restart "));
            if (run.status !== 0) {
                throw new Error(`bench: ${path.basename(command[0])} exited ${run.status}: ${run.stderr}`);
            }
            if (!fs.existsSync(rusageFile)) {
                throw new Error(`bench: ${path.basename(command[0])} exited without writing its resource usage (${RUSAGE_PRELOAD})`);
            }
            const usage = JSON.parse(fs.readFileSync(rusageFile, "utf8")) as NodeJS.ResourceUsage;
            const userCpuMs = Math.round(usage.userCPUTime / 1000);
            const systemCpuMs = Math.round(usage.systemCPUTime / 1000);
            return {
                result: String(run.result.result),
                exitCode: run.status,
                wallMs,
                cpuMs: userCpuMs + systemCpuMs,
                userCpuMs,
                systemCpuMs,
                maxRssMiB: Math.round((usage.maxRSS / 1024) * 10) / 10,
                requests,
                configGetObjects,
                bytesDownloaded,
                restarts: calls.filter((c) => c.startsWith("restart ")).length,
                validations: calls.filter((c) => c.startsWith("validate ")).length,
                pathsWritten: written.length,
                livePathsWritten: written.filter(
                    (p) =>
                        p === host.configDir ||
                        p === host.environmentFile ||
                        /\/generations\/[^/]+\//.test(p) ||
                        !p.startsWith(host.stateDir),
                ).length,
                writtenPaths: written.length <= 10 ? written.map((p) => path.relative(host.root, p)) : undefined,
                timeToRestartMs: restart ? Number(restart.split(" ")[1]) - started : undefined,
            };
        };

        const agentHost = benchHost(root, "agent");
        const agentArgs = [
            "sync",
            "--source",
            source,
            "--config-dir",
            agentHost.configDir,
            "--environment-file",
            agentHost.environmentFile,
            "--certs-dir",
            agentHost.certsDir,
            "--validate-command",
            serviceCommand(root, agentHost, "validate"),
            "--restart-command",
            serviceCommand(root, agentHost, "restart"),
            "--topic-arn",
            TOPIC_ARN,
            "--lock-file",
            agentHost.lockFile,
        ];
        const naiveHost = benchHost(root, "naive");
        const naiveArgs = [
            naiveBundle,
            "--source",
            source,
            "--config-dir",
            naiveHost.configDir,
            "--environment-file",
            naiveHost.environmentFile,
            "--certs-dir",
            naiveHost.certsDir,
            "--restart-command",
            serviceCommand(root, naiveHost, "restart"),
            "--topic-arn",
            TOPIC_ARN,
        ];

        let sizes = await objectSizes();
        const firstSync = await measure(agentHost, [BUNDLE, ...agentArgs], sizes);
        log(`agent first sync: ${firstSync.result} in ${firstSync.wallMs} ms`);
        const noOp: SyncFigures[] = [];
        const naive: SyncFigures[] = [];
        const naiveParallel: SyncFigures[] = [];
        // Interleaved, so that all three see the same load on the machine.
        for (let i = 0; i < runs; i++) {
            noOp.push(await measure(agentHost, [BUNDLE, ...agentArgs], sizes));
            naive.push(await measure(naiveHost, [...naiveArgs, "--concurrency", "1"], sizes));
            naiveParallel.push(await measure(naiveHost, [...naiveArgs, "--concurrency", "8"], sizes));
            log(
                `run ${i + 1}/${runs}: agent no-op ${noOp[i].result} in ${noOp[i].wallMs} ms, naive ${naive[i].wallMs} ms, naive with 8 downloads at a time ${naiveParallel[i].wallMs} ms`,
            );
        }

        // One file changes (same size, new content), published as the pipeline does.
        const changedFile = path.join(from, "conf.d/07/source-0007.conf");
        const text = fs.readFileSync(changedFile, "utf8");
        fs.writeFileSync(changedFile, text.replace("@type json", "@type ltsv"));
        const republished = await runAgent(["publish", "--from", from, "--to", source], aws.env());
        if (republished.status !== 0 || (republished.result.uploaded as string[]).length !== 1) {
            throw new Error(`bench: the change was not published as one upload: ${republished.stdout}${republished.stderr}`);
        }
        sizes = await objectSizes();
        const change = await measure(agentHost, [BUNDLE, ...agentArgs], sizes);
        log(`agent change sync: ${change.result} in ${change.wallMs} ms, restarted after ${change.timeToRestartMs} ms`);

        const medians = {
            noOpMs: median(noOp.map((r) => r.wallMs)),
            naiveMs: median(naive.map((r) => r.wallMs)),
            naiveParallelMs: median(naiveParallel.map((r) => r.wallMs)),
            noOpCpuMs: median(noOp.map((r) => r.cpuMs)),
            naiveCpuMs: median(naive.map((r) => r.cpuMs)),
            naiveParallelCpuMs: median(naiveParallel.map((r) => r.cpuMs)),
            noOpRssMiB: median(noOp.map((r) => r.maxRssMiB)),
            naiveRssMiB: median(naive.map((r) => r.maxRssMiB)),
            naiveParallelRssMiB: median(naiveParallel.map((r) => r.maxRssMiB)),
        };
        return {
            files,
            totalBytes,
            secrets: SECRETS,
            objects: sizes.size,
            firstSync,
            noOp,
            naive,
            naiveParallel,
            change,
            medians,
            noOpSpeedup: Math.round((medians.naiveMs / medians.noOpMs) * 10) / 10,
            noOpSpeedupParallel: Math.round((medians.naiveParallelMs / medians.noOpMs) * 10) / 10,
        };
    } finally {
        await aws.stop();
        // Generations and the naive copy may hold files only their owner could remove; force it.
        execFileSync("rm", ["-rf", root]);
    }
}

interface NodeRun {
    status: number | null;
    stderr: string;
    /** The last stdout line, parsed. */
    result: Record<string, unknown>;
}

/** `node -r rusage-preload.js <script> <args>`, asynchronously: the local endpoints answer from this process. */
function runNode([script, ...args]: string[], env: NodeJS.ProcessEnv): Promise<NodeRun> {
    return new Promise((resolve, reject) => {
        const child = spawn(process.execPath, ["-r", RUSAGE_PRELOAD, script, ...args], { env, stdio: ["ignore", "pipe", "pipe"] });
        let stdout = "";
        let stderr = "";
        child.stdout.on("data", (c: Buffer) => (stdout += c.toString("utf8")));
        child.stderr.on("data", (c: Buffer) => (stderr += c.toString("utf8")));
        child.on("error", reject);
        child.on("close", (status) => {
            let result: Record<string, unknown> = {};
            try {
                result = JSON.parse(stdout.trim().split("\n").pop() ?? "") as Record<string, unknown>;
            } catch {
                // reported through the exit status
            }
            resolve({ status, stderr, result });
        });
    });
}

/** The S3 operation of a path-style request, as s3rver routes it. */
function s3Kind(method: string, p: string, query: string): string {
    const isBucket = p.split("/").filter(Boolean).length === 1;
    if (method === "GET" && isBucket) {
        return /(^|&)list-type=2/.test(query) ? "ListObjectsV2" : "ListObjects";
    }
    if (method === "GET") {
        return "GetObject";
    }
    if (method === "HEAD") {
        return isBucket ? "HeadBucket" : "HeadObject";
    }
    if (method === "PUT") {
        return "PutObject";
    }
    if (method === "DELETE") {
        return "DeleteObject";
    }
    if (method === "POST" && /(^|&)delete/.test(query)) {
        return "DeleteObjects";
    }
    return `${method} ${isBucket ? "bucket" : "object"}`;
}
