// `agent sync` as a process against moto_server's S3 behind a fault-injecting proxy, and several runs at once.
import * as assert from "assert";
import { spawn, spawnSync } from "child_process";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { AgentRun, BUNDLE, ensureBundle, Host, runAgent } from "../support/agent/agent-host";
import { Moto } from "../support/agent/moto";

const TD_AGENT_CONF = "@include conf.d/*.conf\n";
const snapshot = (n: number): Record<string, string> => {
    const files: Record<string, string> = { "td-agent.conf": TD_AGENT_CONF };
    for (let i = 0; i < n; i++) {
        files[`conf.d/part-${String(i).padStart(2, "0")}.conf`] = `# part ${i}\n<match part${i}>\n  @type null\n</match>\n`;
    }
    return files;
};

/** A pid that belonged to a process that has exited (what a killed run leaves in its lock). */
function deadPid(): number {
    return spawnSync("true").pid!;
}

function writeStaleLock(file: string): void {
    fs.mkdirSync(path.dirname(file), { recursive: true });
    fs.writeFileSync(file, `${JSON.stringify({ pid: deadPid(), start: "1" })}\n`);
}

async function waitFor(file: string, ms = 15_000): Promise<void> {
    const end = Date.now() + ms;
    while (!fs.existsSync(file)) {
        if (Date.now() > end) {
            throw new Error(`${file} did not appear within ${ms} ms`);
        }
        await new Promise((r) => setTimeout(r, 20));
    }
}

describe("agent sync under faults (moto_server S3 behind a fault-injecting proxy)", function () {
    this.timeout(60_000);
    const moto = new Moto();
    const hosts: Host[] = [];

    before(async () => {
        ensureBundle();
        await moto.start();
    });
    after(async () => {
        for (const h of hosts) {
            h.cleanup();
        }
        await moto.stop();
    });
    afterEach(() => moto.faults.splice(0));

    async function host(name: string, files: Record<string, string> = snapshot(4)): Promise<Host> {
        const h = new Host(moto, name, { owner: false });
        hosts.push(h);
        await moto.put(h.prefix, files);
        return h;
    }

    async function synced(name: string, files?: Record<string, string>): Promise<Host> {
        const h = await host(name, files);
        const first = await h.sync();
        assert.strictEqual(first.status, 0, first.stderr);
        assert.strictEqual(first.result.result, "applied");
        return h;
    }

    const isGet = (h: Host, key: string) => (method: string, url: string) =>
        method === "GET" && url.split("?")[0] === `/collector-config/${h.prefix}${key}`;
    const isList = (h: Host) => (method: string, url: string) =>
        method === "GET" &&
        url.startsWith("/collector-config/?") &&
        url.includes("list-type=2") &&
        url.includes(`prefix=${encodeURIComponent(h.prefix)}`);

    it("two runs over one stale lock: the run held between seeing the stale lock and taking it over waits for the other", async () => {
        const h = await host("lock-race");
        writeStaleLock(h.lockFile);
        const pause = fs.mkdtempSync(path.join(os.tmpdir(), "orglog-pause-"));
        const paused = path.join(pause, "second");
        const holding = path.join(pause, "first");
        fs.mkdirSync(paused);
        fs.mkdirSync(holding);
        // Run 2 sees the stale lock and stops before taking it over.
        let secondErr = "";
        const second = h.sync([], { ORGLOG_AGENT_PAUSE: `lock-stale:${paused}` }, (soFar) => (secondErr = soFar));
        await waitFor(path.join(paused, "lock-stale.reached"));
        // Run 1 takes the stale lock over and stops while holding it.
        const first = h.sync([], { ORGLOG_AGENT_PAUSE: `locked:${holding}` });
        await waitFor(path.join(holding, "locked.reached"));
        // Run 2 goes on: it must wait for the lock run 1 now holds (it says so), not validate or restart.
        fs.writeFileSync(path.join(paused, "lock-stale.go"), "");
        const end = Date.now() + 10_000;
        while (!/waiting for pid \d+ to finish/.test(secondErr) && h.labels().length === 0 && Date.now() < end) {
            await new Promise((r) => setTimeout(r, 20));
        }
        assert.deepStrictEqual(h.labels(), [], "run 2 went ahead while run 1 held the lock");
        assert.match(secondErr, /waiting for pid \d+ to finish/);
        fs.writeFileSync(path.join(holding, "locked.go"), "");
        const [r1, r2] = await Promise.all([first, second]);
        assert.deepStrictEqual([r1.result.result, r2.result.result], ["applied", "unchanged"], `${r1.stderr}\n${r2.stderr}`);
        assert.strictEqual(h.read("td-agent.conf"), TD_AGENT_CONF);
        assert.ok(!fs.existsSync(h.lockFile), "the lock is released");
        assert.strictEqual(h.generations().length, 1);
        fs.rmSync(pause, { recursive: true, force: true });
    });

    it("5 concurrent syncs over a stale lock, 20 rounds: exactly one applies per round and the live tree is always complete", async function () {
        this.timeout(120_000);
        // A local source: the race is between the runs on the host, and 100 runs must fit on two loaded cores.
        const h = new Host(moto, "stress", { owner: false });
        hosts.push(h);
        const dir = path.join(h.root, "source");
        const put = (files: Record<string, string>) => {
            for (const [key, content] of Object.entries(files)) {
                fs.mkdirSync(path.dirname(path.join(dir, key)), { recursive: true });
                fs.writeFileSync(path.join(dir, key), content);
            }
        };
        put(snapshot(4));
        const args = h.syncArgs(["--lock-timeout", "60"]);
        args[args.indexOf("--source") + 1] = `file://${dir}/`;
        args.splice(args.indexOf("--topic-arn"), 2);
        const env = moto.env({ FAKE_CALLS: h.callsFile });
        for (let round = 0; round < 20; round++) {
            const files = snapshot(4);
            files["conf.d/part-00.conf"] = `# round ${round}\n`;
            put(files);
            writeStaleLock(h.lockFile);
            const runs = await Promise.all(Array.from({ length: 5 }, () => runAgent(args, env)));
            const results = runs.map((r) => r.result.result).sort();
            assert.deepStrictEqual(
                results,
                ["applied", "unchanged", "unchanged", "unchanged", "unchanged"],
                `round ${round}: ${runs.map((r) => r.stderr).join("\n")}`,
            );
            for (const [key, content] of Object.entries(files)) {
                assert.strictEqual(h.read(key), content, `round ${round}: ${key}`);
            }
            assert.strictEqual(h.generations().length, 1, `round ${round}: ${h.generations().join(",")}`);
        }
    });

    it("a GET that never answers: exit 4 after --request-timeout, live tree unchanged, lock released", async () => {
        const h = await synced("hang");
        const before = h.tree();
        await moto.put(h.prefix, { "conf.d/part-01.conf": "# changed\n" });
        moto.faults.push({ match: isGet(h, "conf.d/part-01.conf"), fault: { kind: "hang" } });
        const started = Date.now();
        const run = await h.sync(["--request-timeout", "1"]);
        assert.strictEqual(run.status, 4, run.stderr);
        assert.strictEqual(run.result.timedOut, true);
        assert.match(
            String(run.result.reason),
            /conf\.d\/part-01\.conf could not be read: no answer within --request-timeout 1 s \(3 attempts\); the live state is unchanged/,
        );
        assert.ok(Date.now() - started < 15_000);
        assert.deepStrictEqual(h.tree(), before);
        assert.ok(!fs.existsSync(h.lockFile));
    });

    it("the whole-run --deadline ends a run whose requests each stay within --request-timeout", async () => {
        const h = await synced("deadline");
        const before = h.tree();
        await moto.put(h.prefix, { "conf.d/part-02.conf": "# changed\n" });
        moto.faults.push({ match: isGet(h, "conf.d/part-02.conf"), fault: { kind: "hang" } });
        const run = await h.sync(["--request-timeout", "30", "--deadline", "2"]);
        assert.strictEqual(run.status, 4, run.stderr);
        assert.match(String(run.result.reason), /within --deadline 2 s; the live state is unchanged/);
        assert.deepStrictEqual(h.tree(), before);
        assert.ok(!fs.existsSync(h.lockFile));
    });

    it("a listing that repeats its continuation token is refused after two pages", async () => {
        const h = await synced("token");
        const before = h.tree();
        const since = moto.proxied.length;
        moto.faults.push({ match: isList(h), fault: { kind: "repeat-token" } });
        const run = await h.sync();
        assert.strictEqual(run.status, 2, run.stderr);
        assert.match(String(run.result.reason), /could not be listed \(S3 returned the same continuation token twice\)/);
        assert.ok(moto.proxied.length - since <= 3, `${moto.proxied.length - since} requests`);
        assert.deepStrictEqual(h.tree(), before);
    });

    it("a same-length corrupted body is retried, then rejected; a clean run afterwards applies the right bytes", async () => {
        const h = await synced("corrupt");
        const before = h.tree();
        await moto.put(h.prefix, { "conf.d/part-03.conf": "# part 3, new content\n" });
        moto.faults.push({ match: isGet(h, "conf.d/part-03.conf"), fault: { kind: "corrupt" } });
        const bad = await h.sync();
        assert.strictEqual(bad.status, 2, bad.stderr);
        assert.match(
            String(bad.result.reason),
            /part-03\.conf could not be read: the bytes do not match (their MD5 \(ETag\) checksum|the checksum S3 returned) \(3 attempts\); the live state is unchanged/,
        );
        assert.deepStrictEqual(h.tree(), before);
        moto.faults.splice(0);
        const good = await h.sync();
        assert.strictEqual(good.result.result, "applied", good.stderr);
        assert.strictEqual(h.read("conf.d/part-03.conf"), "# part 3, new content\n");
    });

    it("a corrupted or cut body that comes right on the next attempt is applied with the right bytes", async () => {
        const h = await synced("retry");
        const first = moto.gets(h.prefix).length;
        await moto.put(h.prefix, { "conf.d/part-01.conf": "# one, again\n", "conf.d/part-02.conf": "# two, again\n" });
        moto.faults.push({ match: isGet(h, "conf.d/part-01.conf"), fault: { kind: "corrupt" }, times: 1 });
        moto.faults.push({ match: isGet(h, "conf.d/part-02.conf"), fault: { kind: "short" }, times: 1 });
        const run = await h.sync();
        assert.strictEqual(run.result.result, "applied", run.stderr);
        assert.strictEqual(h.read("conf.d/part-01.conf"), "# one, again\n");
        assert.strictEqual(h.read("conf.d/part-02.conf"), "# two, again\n");
        assert.deepStrictEqual(
            moto
                .gets(h.prefix)
                .slice(first)
                .filter((k) => k === "conf.d/part-01.conf" || k === "conf.d/part-02.conf")
                .sort(),
            ["conf.d/part-01.conf", "conf.d/part-01.conf", "conf.d/part-02.conf", "conf.d/part-02.conf"],
        );
    });

    it("a listing missing every second key: without a manifest the removal is refused (--max-removal-share)", async () => {
        const h = await synced("lossy", snapshot(8));
        const before = h.tree();
        moto.faults.push({ match: isList(h), fault: { kind: "drop-every-second-key" } });
        const run = await h.sync();
        assert.strictEqual(run.status, 2, run.stderr);
        assert.match(
            String(run.result.reason),
            /has no manifest\.json and would remove 4 of 9 live config files, more than --max-removal-share 0\.25/,
        );
        assert.deepStrictEqual(h.tree(), before);
        assert.deepStrictEqual(
            h.labels().filter((l) => l === "restart"),
            ["restart"],
            "no restart beyond the first sync",
        );
    });

    it("a listing that loses manifest.json after a published snapshot had one is refused", async () => {
        const h = new Host(moto, "manifest-lost", { owner: false });
        hosts.push(h);
        const from = path.join(h.root, "repo");
        for (const [key, content] of Object.entries(snapshot(4))) {
            fs.mkdirSync(path.dirname(path.join(from, key)), { recursive: true });
            fs.writeFileSync(path.join(from, key), content);
        }
        const pub = await h.run(["publish", "--from", from, "--to", h.source]);
        assert.strictEqual(pub.result.result, "published", pub.stderr);
        const first = await h.sync();
        assert.deepStrictEqual([first.result.result, first.result.manifest], ["applied", "verified"], first.stderr);
        const before = h.tree();
        // The listing loses manifest.json and half of the config files: what is left is consistent in
        // itself (every listed key is readable), so only the manifest's absence gives the loss away.
        const lost = new Set(["manifest.json", "conf.d/part-01.conf", "conf.d/part-03.conf"].map((k) => `${h.prefix}${k}`));
        moto.faults.push({ match: isList(h), fault: { kind: "drop-keys", drop: (key) => lost.has(key) } });
        const run = await h.sync();
        assert.strictEqual(run.status, 2, run.stderr);
        assert.match(String(run.result.reason), /has no manifest\.json although the live snapshot had one/);
        assert.deepStrictEqual(h.tree(), before);
        assert.deepStrictEqual(
            h.labels().filter((l) => l === "restart"),
            ["restart"],
            "no restart beyond the first sync",
        );
    });

    it("--require-signature: a snapshot without manifest.json is refused", async () => {
        const h = await synced("unsigned");
        const key = path.join(h.root, "key.pem");
        fs.writeFileSync(key, "-----BEGIN PUBLIC KEY-----\n-----END PUBLIC KEY-----\n");
        const run = await h.sync(["--require-signature", "--public-key", key]);
        assert.strictEqual(run.status, 2, run.stderr);
        assert.match(String(run.result.reason), /has no manifest\.json, and --require-signature is set/);
    });

    it("a 300-byte key segment is refused in one line, without a stack trace", async () => {
        const h = await host("long-key", { ...snapshot(2), [`conf.d/${"x".repeat(300)}.conf`]: "# long\n" });
        const run = await h.sync();
        assert.strictEqual(run.status, 2, run.stderr);
        assert.match(JSON.stringify(run.result.problems), /has a path segment longer than 255 bytes/);
        assert.ok(!/\n\s+at /.test(run.stderr), run.stderr);
    });

    describe("validate's rendered state", () => {
        function validateArgs(h: Host, command: string): string[] {
            return [
                "validate",
                "--source",
                h.source,
                "--config-dir",
                "/etc/td-agent",
                "--environment-file",
                "/etc/sysconfig/td-agent",
                "--certs-dir",
                "/etc/td-agent/certs",
                "--validate-command",
                command,
            ];
        }

        it("is removed on SIGTERM, and a leftover of a SIGKILLed run is removed by the next run", async () => {
            const h = await host("validate-signals");
            const tmp = path.join(h.root, "tmp");
            fs.mkdirSync(tmp);
            const marker = path.join(h.root, "rendered");
            const args = validateArgs(h, `echo {configDir} > ${marker}; sleep 30`);
            for (const signal of ["SIGTERM", "SIGKILL"] as const) {
                fs.rmSync(marker, { force: true });
                const child = spawn(process.execPath, [BUNDLE, ...args], { env: moto.env({ TMPDIR: tmp }), stdio: "ignore" });
                await waitFor(marker);
                const dir = fs.readFileSync(marker, "utf8").trim();
                assert.ok(fs.existsSync(dir), dir);
                const exited = new Promise<number | null>((r) => child.on("exit", (code) => r(code)));
                child.kill(signal);
                const code = await exited;
                if (signal === "SIGTERM") {
                    assert.strictEqual(code, 143);
                    assert.deepStrictEqual(fs.readdirSync(tmp), []);
                } else {
                    assert.strictEqual(fs.readdirSync(tmp).length, 1, "SIGKILL leaves the directory");
                }
            }
            const next = await runAgent(validateArgs(h, "true"), moto.env({ TMPDIR: tmp }));
            assert.strictEqual(next.result.result, "valid", next.stderr);
            assert.deepStrictEqual(fs.readdirSync(tmp), []);
            await new Promise((r) => setTimeout(r, 100));
        });
    });

    it("secrets come from moto's Secrets Manager; env names that steer processes are refused", async () => {
        const arn = await moto.secret("collector/siem-api-key", "k3y-Va1ue-9q");
        const h = await host("secrets", { ...snapshot(1), "secrets.conf": `env#SIEM_API_KEY#${arn}\n` });
        const ok = await h.sync();
        assert.strictEqual(ok.result.result, "applied", ok.stderr);
        assert.strictEqual(h.shellValue("SIEM_API_KEY"), "k3y-Va1ue-9q");
        await moto.put(h.prefix, { "secrets.conf": `env#LD_PRELOAD#${arn}\nenv#PATH#${arn}\n` });
        const bad: AgentRun = await h.sync();
        assert.strictEqual(bad.status, 2, bad.stderr);
        assert.deepStrictEqual(bad.result.problems, [
            "secrets.conf:1: LD_PRELOAD changes how processes run (the shell, the dynamic loader or an interpreter reads it), so the environment file cannot set it; use another variable name",
            "secrets.conf:2: PATH changes how processes run (the shell, the dynamic loader or an interpreter reads it), so the environment file cannot set it; use another variable name",
        ]);
    });
});
