// `npm run bench`: figures, not assertions. Plans the production stack with 1, 10, 50 and 200
// workload accounts against the floor, measures the policy pack's throughput on the largest plan, and
// times the collector agent's no-op and one-change syncs against a naive sync (1,000 and 10,000 files
// of 1 KiB, 20 secrets, local S3): requests by kind, CPU time, peak RSS and wall time of each process.
// Prints one table and writes the raw figures to bench/results/<YYYY-MM-DD>.json.
//
//   npm run bench [-- --sizes 1,10,50,200] [--repeat 2] [--agent-runs 3] [--agent-files 1000,10000] [--only plan|agent|org] [--org-sizes 5,100,1000,5000] [--out <file>]
//
// `org`: the production plan with generated --organization files (see bench/org-scale.ts).
//
// Not part of `npm test`. The agent part needs the process started with --openssl-legacy-provider:
// s3rver encrypts its ListObjectsV2 continuation tokens with DES, which OpenSSL 3 only has there, and a
// prefix of more than 1,000 objects takes several pages (the `bench` script passes the flag).
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { agentSync, AgentSyncResults, DEFAULT_FILES, SyncFigures } from "./agent-sync";
import { LOADER, planScale, PlanScaleRow } from "./plan-scale";
import { formatOrgScale, orgScale } from "./org-scale";

interface Args {
    sizes: number[];
    repeat: number;
    agentRuns: number;
    agentFiles: number[];
    only?: "plan" | "agent" | "org";
    orgSizes: number[];
    out: string;
}

function parseArgs(argv: string[]): Args {
    const today = new Date().toISOString().slice(0, 10);
    const args: Args = {
        sizes: [1, 10, 50, 200],
        repeat: 2,
        agentRuns: 3,
        agentFiles: DEFAULT_FILES,
        orgSizes: [5, 100, 1000, 5000],
        out: path.join(__dirname, "results", `${today}.json`),
    };
    for (let i = 0; i < argv.length; i += 2) {
        const [flag, value] = [argv[i], argv[i + 1]];
        if (value === undefined) {
            throw new Error(`bench: ${flag} needs a value`);
        }
        if (flag === "--sizes") {
            args.sizes = value.split(",").map(Number);
        } else if (flag === "--repeat") {
            args.repeat = Number(value);
        } else if (flag === "--agent-runs") {
            args.agentRuns = Number(value);
        } else if (flag === "--agent-files") {
            args.agentFiles = value.split(",").map(Number);
        } else if (flag === "--only" && (value === "plan" || value === "agent" || value === "org")) {
            args.only = value;
        } else if (flag === "--org-sizes") {
            args.orgSizes = value.split(",").map(Number);
        } else if (flag === "--out") {
            args.out = path.resolve(value);
        } else {
            throw new Error(`bench: unknown option ${flag} ${value}`);
        }
    }
    if (args.sizes.some((n) => !Number.isInteger(n) || n < 1) || !(args.repeat >= 1) || !(args.agentRuns >= 1)) {
        throw new Error("bench: --sizes takes positive integers, --repeat and --agent-runs at least 1");
    }
    if (args.agentFiles.length === 0 || args.agentFiles.some((n) => !Number.isInteger(n) || n < 2)) {
        throw new Error("bench: --agent-files takes a comma-separated list of file counts, each at least 2 (e.g. 1000,10000)");
    }
    return args;
}

interface Target {
    figure: string;
    value: string;
    /** What the value is compared with (floor, baseline), if anything. */
    against?: string;
    ratio?: string;
    target: string;
    met?: boolean;
}

const n = (x: number) => Math.round(x).toLocaleString("en-US");
const load = () =>
    os
        .loadavg()
        .map((l) => l.toFixed(2))
        .join(" ");
const log = (line: string) => process.stderr.write(`bench: ${line}\n`);

/** Cost of each added account between consecutive sizes (ms of plan per workload account). */
function marginal(rows: PlanScaleRow[]): Array<{ from: number; to: number; msPerAccount: number }> {
    return rows.slice(1).map((row, i) => ({
        from: rows[i].accounts,
        to: row.accounts,
        msPerAccount: Math.round((row.planMs - rows[i].planMs) / (row.accounts - rows[i].accounts)),
    }));
}

function planTargets(rows: PlanScaleRow[]): Target[] {
    const out: Target[] = rows.map((r) => {
        const memory = r.planRssMiB / r.floorRssMiB;
        return {
            figure: `plan, ${r.accounts} workload account${r.accounts === 1 ? "" : "s"} (${n(r.resources)} resources)`,
            value: `${n(r.planMs)} ms (${r.planMsPerResource} ms/resource), ${n(r.planRssMiB)} MiB, ${r.violations} violations`,
            against: `floor ${n(r.floorMs)} ms, ${n(r.floorRssMiB)} MiB; bare floor ${n(r.bareFloorMs)} ms`,
            ratio: `time ${r.ratio}x (CPU ${r.cpuRatio}x; bare ${r.bareRatio}x), memory ${memory.toFixed(2)}x`,
            target: "< 2x floor",
            met: r.ratio < 2 && memory < 2,
        };
    });
    const steps = marginal(rows);
    if (steps.length >= 2) {
        const [last, before] = [steps[steps.length - 1], steps[steps.length - 2]];
        out.push({
            figure: "plan growth: ms per added workload account",
            value: steps.map((s) => `${s.from}->${s.to}: ${s.msPerAccount}`).join(", "),
            ratio: `last step / the one before: ${(last.msPerAccount / Math.max(before.msPerAccount, 1)).toFixed(2)}`,
            target: "linear (ratio <= 1.5)",
            met: last.msPerAccount <= 1.5 * Math.max(before.msPerAccount, 1),
        });
    }
    const largest = rows[rows.length - 1];
    out.push({
        figure: `policy pack, ${largest.accounts}-account plan`,
        value: `${n(largest.resources)} resources in ${n(largest.policyMs)} ms (CPU ${n(largest.policyCpuMs)} ms)`,
        ratio: `${n((largest.resources / largest.policyMs) * 1000)} resources/s`,
        target: "reported",
    });
    return out;
}

/** "S3 LIST 2, HEAD 0, GET 0; Secrets 20; SNS 1" (other S3 kinds, if any, after GET). */
function requests(f: SyncFigures): string {
    const r = f.requests;
    const main = ["ListObjectsV2", "HeadObject", "GetObject"];
    const s3 = [`LIST ${n(r["S3 ListObjectsV2"] ?? 0)}`, `HEAD ${n(r["S3 HeadObject"] ?? 0)}`, `GET ${n(r["S3 GetObject"] ?? 0)}`];
    s3.push(
        ...Object.entries(r)
            .filter(([k]) => k.startsWith("S3 ") && !main.includes(k.slice(3)))
            .map(([k, c]) => `${k.slice(3)} ${n(c)}`),
    );
    const other = Object.entries(r)
        .filter(([k]) => !k.startsWith("S3 "))
        .map(([k, c]) => `${k.replace("SecretsManager GetSecretValue", "Secrets").replace("SNS Publish", "SNS")} ${c}`);
    return [`S3 ${s3.join(", ")}`, ...other].join("; ");
}

/** "433 ms wall, CPU 310 ms, max RSS 80 MiB" (medians). */
function costs(wallMs: number, cpuMs: number, rssMiB: number): string {
    return `${n(wallMs)} ms wall, CPU ${n(cpuMs)} ms, max RSS ${Math.round(rssMiB)} MiB`;
}

function agentTargets(a: AgentSyncResults): Target[] {
    const noOp = a.noOp;
    const change = a.change;
    const m = a.medians;
    const restarts = (runs: SyncFigures[]) => runs.reduce((s, r) => s + r.restarts, 0);
    const size = `${n(a.files)} files`;
    return [
        {
            figure: `agent no-op sync (${size}, ${n(a.totalBytes)} B, ${a.secrets} secrets; median of ${noOp.length})`,
            value:
                `${costs(m.noOpMs, m.noOpCpuMs, m.noOpRssMiB)}; ${requests(noOp[0])}; restarts ${restarts(noOp)}; ` +
                `files the service reads written ${noOp.reduce((s, r) => s + r.livePathsWritten, 0)}, agent state entries touched ${noOp.map((r) => r.pathsWritten - r.livePathsWritten).join("/")}`,
            target: "0 GetObject for unchanged files, 0 restarts, no live file written",
            met: noOp.every((r) => r.result === "unchanged" && r.configGetObjects === 0 && r.restarts === 0 && r.livePathsWritten === 0),
        },
        {
            figure: `naive sync, ${size}, one download at a time (median of ${a.naive.length})`,
            value: `${costs(m.naiveMs, m.naiveCpuMs, m.naiveRssMiB)}; ${requests(a.naive[0])}; ${n(a.naive[0].bytesDownloaded)} B; restarts ${restarts(a.naive)}; paths written ${n(a.naive[0].pathsWritten)} per run`,
            target: "baseline",
        },
        {
            figure: `naive sync, ${size}, 8 downloads at a time (median of ${a.naiveParallel.length})`,
            value: `${costs(m.naiveParallelMs, m.naiveParallelCpuMs, m.naiveParallelRssMiB)}; ${requests(a.naiveParallel[0])}; restarts ${restarts(a.naiveParallel)}`,
            target: "baseline",
        },
        {
            figure: `agent no-op sync vs naive sync, ${size}`,
            value: `${n(m.noOpMs)} ms, CPU ${n(m.noOpCpuMs)} ms`,
            against: `${n(m.naiveMs)} ms, CPU ${n(m.naiveCpuMs)} ms (8 at a time: ${n(m.naiveParallelMs)} ms, CPU ${n(m.naiveParallelCpuMs)} ms)`,
            ratio: `${a.noOpSpeedup}x faster (${a.noOpSpeedupParallel}x); CPU ${(m.naiveCpuMs / Math.max(m.noOpCpuMs, 1)).toFixed(1)}x less`,
            target: ">= 10x faster",
            met: a.noOpSpeedup >= 10,
        },
        {
            figure: `agent change sync (1 of ${n(a.files)} files changed)`,
            value:
                `${change.result} in ${n(change.wallMs)} ms (CPU ${n(change.cpuMs)} ms, max RSS ${Math.round(change.maxRssMiB)} MiB), service restarted ${n(change.timeToRestartMs ?? NaN)} ms after the start; ${requests(change)}; ` +
                `${n(change.bytesDownloaded)} B downloaded; ${change.validations} validation, ${change.restarts} restart; ${n(change.pathsWritten)} paths written`,
            target: "the changed file only, 1 restart",
            met: change.result === "applied" && change.configGetObjects === 1 && change.restarts === 1,
        },
    ];
}

function printTable(rows: Target[]): void {
    const head = ["figure", "value", "compared with", "ratio", "target", "met"];
    const cells = [
        head,
        ...rows.map((r) => [r.figure, r.value, r.against ?? "", r.ratio ?? "", r.target, r.met === undefined ? "-" : r.met ? "yes" : "NO"]),
    ];
    const widths = head.map((_, i) => Math.max(...cells.map((c) => c[i].length)));
    const line = (c: string[]) =>
        c
            .map((v, i) => v.padEnd(widths[i]))
            .join(" | ")
            .trimEnd();
    process.stdout.write([line(cells[0]), widths.map((w) => "-".repeat(w)).join("-|-"), ...cells.slice(1).map(line)].join("\n") + "\n");
}

async function main(): Promise<void> {
    const args = parseArgs(process.argv.slice(2));
    const started = new Date();
    const machine = {
        node: process.version,
        cpus: os.cpus().length,
        cpuModel: os.cpus()[0]?.model,
        loadAverageAtStart: load(),
        loader: path.relative(path.resolve(__dirname, ".."), LOADER) || LOADER,
    };
    log(`node ${machine.node}, ${machine.cpus} CPUs, load average ${machine.loadAverageAtStart}`);

    let plan: PlanScaleRow[] | undefined;
    let planLoad: string | undefined;
    let org: ReturnType<typeof orgScale> | undefined;
    if (args.only === undefined || args.only === "org") {
        org = orgScale(args.orgSizes, log);
    }
    if (args.only === undefined || args.only === "plan") {
        plan = planScale(args.sizes, args.repeat, log);
        planLoad = load();
    }
    let agent: AgentSyncResults[] | undefined;
    let agentLoad: string[] | undefined;
    if (args.only === undefined || args.only === "agent") {
        agent = [];
        agentLoad = [];
        for (const files of args.agentFiles) {
            agent.push(await agentSync(log, args.agentRuns, files));
            agentLoad.push(load());
        }
    }

    const rows = [...(plan ? planTargets(plan) : []), ...(agent ?? []).flatMap(agentTargets)];
    process.stdout.write(
        `org-logging bench ${started.toISOString()}: node ${machine.node}, ${machine.cpus} CPUs; load average (1/5/15 min) at start ${machine.loadAverageAtStart}` +
            `${planLoad ? `, after the plan ${planLoad}` : ""}` +
            `${agentLoad ? `, after the agent (${args.agentFiles.map((f, i) => `${n(f)} files: ${agentLoad![i]}`).join("; ")})` : ""}\n\n`,
    );
    printTable(rows);
    if (org) {
        process.stdout.write(`\norganization scale (production plan, --organization files):\n${formatOrgScale(org)}`);
    }

    const results = {
        date: started.toISOString(),
        machine: { ...machine, loadAverageAfterPlan: planLoad, loadAverageAfterAgent: agentLoad },
        options: { sizes: args.sizes, repeat: args.repeat, agentRuns: args.agentRuns, agentFiles: args.agentFiles },
        planScale: plan && { rows: plan, msPerAddedAccount: marginal(plan) },
        policyThroughput: plan && {
            accounts: plan[plan.length - 1].accounts,
            resources: plan[plan.length - 1].resources,
            ms: plan[plan.length - 1].policyMs,
            resourcesPerSecond: Math.round((plan[plan.length - 1].resources / plan[plan.length - 1].policyMs) * 1000),
        },
        agent,
        organizationScale: org,
        targets: rows,
    };
    fs.mkdirSync(path.dirname(args.out), { recursive: true });
    fs.writeFileSync(args.out, `${JSON.stringify(results, null, 2)}\n`);
    const shown = path.relative(process.cwd(), args.out);
    process.stdout.write(`\nraw results: ${shown.startsWith("..") ? args.out : shown}\n`);
}

main().catch((err) => {
    process.stderr.write(`${(err as Error).stack ?? err}\n`);
    process.exitCode = 1;
});
