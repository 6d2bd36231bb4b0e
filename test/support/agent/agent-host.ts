// Runs the BUILT agent bundle (agent/dist/agent.js) as a child process, the way the SSM document and the
// pipeline do, against a temporary "host": its own /etc/td-agent, /etc/sysconfig/td-agent, lock file and
// stand-in validate/restart/health commands that record their calls.
import { execFileSync, spawn } from "child_process";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { BUCKET, LocalAws, TOPIC_ARN } from "./local-aws";

export const ROOT = path.resolve(__dirname, "../../..");
/** The agent build the specs run: this tree's, or another build named by ORGLOG_AGENT_BUNDLE (to run the specs against an older agent). */
export const BUNDLE = process.env.ORGLOG_AGENT_BUNDLE
    ? path.resolve(process.env.ORGLOG_AGENT_BUNDLE)
    : path.join(ROOT, "agent/dist/agent.js");
const FAKE = path.join(__dirname, "fake-command.sh");

/** Builds the bundle when it is missing or older than a source file (a spec run without `npm test`). */
export function ensureBundle(): void {
    if (process.env.ORGLOG_AGENT_BUNDLE) {
        if (!fs.existsSync(BUNDLE)) {
            throw new Error(`ORGLOG_AGENT_BUNDLE names ${BUNDLE}, which does not exist: build that agent with node tools/build-agent.mjs`);
        }
        return;
    }
    const srcDir = path.join(ROOT, "agent/src");
    const newest = Math.max(...fs.readdirSync(srcDir).map((f) => fs.statSync(path.join(srcDir, f)).mtimeMs));
    if (fs.existsSync(BUNDLE) && fs.statSync(BUNDLE).mtimeMs >= newest) {
        return;
    }
    execFileSync(process.execPath, [path.join(ROOT, "tools/build-agent.mjs")], { cwd: ROOT, stdio: "inherit" });
}

export interface AgentRun {
    status: number | null;
    signal: NodeJS.Signals | null;
    stdout: string;
    stderr: string;
    /** The last stdout line, parsed (undefined when the process was killed before printing it). */
    result: Record<string, unknown> & { result?: string };
}

/** Runs `node agent.js <args>`; asynchronous because the local endpoints live in this process. */
export function runAgent(args: readonly string[], env: NodeJS.ProcessEnv, onStderr?: (soFar: string) => void): Promise<AgentRun> {
    return new Promise((resolve, reject) => {
        const child = spawn(process.execPath, [BUNDLE, ...args], { env, stdio: ["ignore", "pipe", "pipe"] });
        let stdout = "";
        let stderr = "";
        child.stdout.on("data", (c: Buffer) => (stdout += c.toString("utf8")));
        child.stderr.on("data", (c: Buffer) => {
            stderr += c.toString("utf8");
            onStderr?.(stderr);
        });
        child.on("error", reject);
        child.on("close", (status, signal) => {
            const last = stdout.trim().split("\n").pop() ?? "";
            let result: AgentRun["result"] = {};
            try {
                result = JSON.parse(last) as AgentRun["result"];
            } catch {
                // killed, or printed nothing: the spec asserts on status/signal
            }
            resolve({ status, signal, stdout, stderr, result });
        });
    });
}

let hostCount = 0;

export interface HostOptions {
    /** Pre-existing package files in /etc/td-agent (the state before the agent ever ran). */
    readonly initial?: Record<string, string>;
    /** Pass --owner nobody (uid 65534) for the secret files. */
    readonly owner?: boolean;
    /** Neither /etc/td-agent nor the env file exist yet (first boot: fluent-package installs neither). */
    readonly bare?: boolean;
}

/** One collector host in a temporary directory. */
export class Host {
    readonly root: string;
    readonly configDir: string;
    readonly environmentFile: string;
    readonly certsDir: string;
    readonly stateDir: string;
    readonly lockFile: string;
    readonly callsFile: string;
    readonly prefix: string;

    constructor(
        private readonly aws: Pick<LocalAws, "env">,
        readonly name: string,
        opts: HostOptions = {},
    ) {
        this.root = fs.mkdtempSync(path.join(os.tmpdir(), `orglog-host-${name}-`));
        this.configDir = path.join(this.root, "etc/td-agent");
        this.environmentFile = path.join(this.root, "etc/sysconfig/td-agent");
        this.certsDir = path.join(this.configDir, "certs");
        this.stateDir = path.join(this.root, "etc/.td-agent.orglog");
        this.lockFile = path.join(this.root, "run/org-logging-agent.lock");
        this.callsFile = path.join(this.root, "calls.log");
        this.prefix = `configuration/${name}-${++hostCount}/`;
        fs.mkdirSync(path.join(this.root, "etc/sysconfig"), { recursive: true });
        fs.mkdirSync(path.dirname(this.lockFile), { recursive: true });
        if (!opts.bare) {
            fs.mkdirSync(this.configDir, { recursive: true });
            for (const [rel, content] of Object.entries(
                opts.initial ?? { "td-agent.conf": "# td-agent package default\n", "plugin/README": "plugins\n" },
            )) {
                fs.mkdirSync(path.dirname(path.join(this.configDir, rel)), { recursive: true });
                fs.writeFileSync(path.join(this.configDir, rel), content, { mode: 0o644 });
            }
            fs.writeFileSync(this.environmentFile, "TD_AGENT_OPTIONS=\n", { mode: 0o644 });
        }
        fs.writeFileSync(this.callsFile, "");
        this.ownerArgs = opts.owner === false ? [] : ["--owner", "nobody"];
    }

    private readonly ownerArgs: string[];

    get source(): string {
        return `s3://${BUCKET}/${this.prefix}`;
    }

    /** The options the SSM document passes, with stand-in commands. */
    syncArgs(extra: readonly string[] = []): string[] {
        return [
            "sync",
            "--source",
            this.source,
            "--config-dir",
            this.configDir,
            "--environment-file",
            this.environmentFile,
            "--certs-dir",
            this.certsDir,
            ...this.ownerArgs,
            "--validate-command",
            `sh ${FAKE} validate {configDir} {environmentFile} {certsDir}`,
            "--restart-command",
            `sh ${FAKE} restart`,
            "--topic-arn",
            TOPIC_ARN,
            "--lock-file",
            this.lockFile,
            ...extra,
        ];
    }

    sync(extra: readonly string[] = [], env: Record<string, string> = {}, onStderr?: (soFar: string) => void): Promise<AgentRun> {
        return runAgent(this.syncArgs(extra), this.aws.env({ FAKE_CALLS: this.callsFile, ...env }), onStderr);
    }

    run(args: readonly string[], env: Record<string, string> = {}): Promise<AgentRun> {
        return runAgent(args, this.aws.env({ FAKE_CALLS: this.callsFile, ...env }));
    }

    /** Recorded stand-in calls, one "<label> <args>" string each. */
    calls(): string[] {
        return fs.readFileSync(this.callsFile, "utf8").split("\n").filter(Boolean);
    }

    labels(): string[] {
        return this.calls().map((c) => c.split(" ")[0]);
    }

    /**
     * Everything the service can see, byte for byte: each live root as lstat shows it (link target or
     * type), then every entry below it as stat/lstat show it, with mode, owner and content.
     */
    tree(): Record<string, string> {
        const out: Record<string, string> = {};
        const visit = (label: string, full: string, follow: boolean) => {
            let st: fs.Stats;
            try {
                st = follow ? fs.statSync(full) : fs.lstatSync(full);
            } catch {
                out[label] = "absent";
                return;
            }
            const meta = `${(st.mode & 0o7777).toString(8)} ${st.uid}:${st.gid}`;
            if (st.isDirectory()) {
                out[label] = `dir ${meta}`;
                for (const name of fs.readdirSync(full).sort()) {
                    visit(`${label}/${name}`, path.join(full, name), false);
                }
            } else if (st.isFile()) {
                out[label] = `file ${meta} ${fs.readFileSync(full).toString("base64")}`;
            } else {
                out[label] = `other ${meta}`;
            }
        };
        for (const [label, live] of [
            ["config", this.configDir],
            ["environment", this.environmentFile],
        ]) {
            const link = fs.lstatSync(live, { throwIfNoEntry: false });
            out[`${label}@`] = link?.isSymbolicLink() ? `-> ${fs.readlinkSync(live)}` : link ? "real" : "absent";
            visit(label, live, true);
        }
        return out;
    }

    generations(): string[] {
        try {
            return fs.readdirSync(path.join(this.stateDir, "generations")).sort();
        } catch {
            return [];
        }
    }

    read(rel: string): string {
        return fs.readFileSync(path.join(this.configDir, rel), "utf8");
    }

    /** What `sh` reads back from the env file for `name`. */
    shellValue(name: string): string {
        return execFileSync("sh", ["-c", `. "$1"; printf %s "$${name}"`, "sh", this.environmentFile], { encoding: "utf8" });
    }

    cleanup(): void {
        fs.rmSync(this.root, { recursive: true, force: true });
    }
}
