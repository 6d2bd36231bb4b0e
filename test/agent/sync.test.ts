// `agent sync`, run as the built bundle against a real local S3 (s3rver) and local Secrets Manager / SNS.
import * as assert from "assert";
import { spawn } from "child_process";
import * as fs from "fs";
import * as path from "path";
import { AgentRun, ensureBundle, Host, HostOptions } from "../support/agent/agent-host";
import { LocalAws, TOPIC_ARN } from "../support/agent/local-aws";
import { parseSystemdEnvFile } from "../support/agent/systemd-env-file";

const API_KEY = "k3y-Va1ue-7f3a9c";
/** Every character the shell or systemd would otherwise interpret. */
const TRICKY = `p@ss "w0rd" $HOME \`id\` back\\slash 'single' #hash ;semi =eq \${X} trailing `;
const PEM = [
    "-----BEGIN PRIVATE KEY-----",
    "MIGHAgEAMBMGByqGSM49AgEGCCqGSM49AwEHBG0wawIBAQQgc2VjcmV0LWtleQ",
    "bWF0ZXJpYWwtZm9yLXRlc3RzLW9ubHktbm90LWEtcmVhbC1rZXktMDAwMDAwMA",
    "-----END PRIVATE KEY-----",
    "",
].join("\n");
const SECRET_NEEDLES = [API_KEY, TRICKY, "c2VjcmV0LWtleQ", "bWF0ZXJpYWwtZm9yLXRlc3Rz"];

const TD_AGENT_CONF = "@include conf.d/*.conf\n<system>\n  log_level info\n</system>\n";
const SYSLOG_CONF = "<source>\n  @type syslog\n  port 5140\n  tag system\n</source>\n";

describe("agent sync (built bundle, local S3 / Secrets Manager / SNS)", function () {
    this.timeout(30_000);
    const aws = new LocalAws();
    const hosts: Host[] = [];
    let arns: { api: string; tricky: string; pem: string };

    before(async () => {
        ensureBundle();
        await aws.start();
        arns = {
            api: aws.setSecret("siem-api-key", API_KEY),
            tricky: aws.setSecret("tls-passphrase", TRICKY),
            pem: aws.setSecret("collector-pem", PEM),
        };
    });
    after(async () => {
        for (const h of hosts) {
            h.cleanup();
        }
        await aws.stop();
    });

    function secretsConf(extra = ""): string {
        return `# collector secrets\nenv#SIEM_API_KEY#${arns.api}\n\nenv#TLS_PASSPHRASE#${arns.tricky}\nfile#collector.pem#${arns.pem}\n${extra}`;
    }

    /** A host whose source holds the standard snapshot. */
    async function host(name: string, opts: HostOptions = {}): Promise<Host> {
        const h = new Host(aws, name, opts);
        hosts.push(h);
        await aws.put(h.prefix, { "td-agent.conf": TD_AGENT_CONF, "conf.d/syslog.conf": SYSLOG_CONF, "secrets.conf": secretsConf() });
        return h;
    }

    /** A host after one successful sync. */
    async function syncedHost(name: string): Promise<Host> {
        const h = await host(name);
        const first = await h.sync();
        assert.strictEqual(first.status, 0, first.stderr);
        assert.strictEqual(first.result.result, "applied");
        return h;
    }

    function assertNoSecret(run: AgentRun): void {
        for (const needle of SECRET_NEEDLES) {
            assert.ok(!run.stdout.includes(needle), `stdout shows a secret: ${needle}`);
            assert.ok(!run.stderr.includes(needle), `stderr shows a secret: ${needle}`);
        }
    }

    it("applies the first snapshot and restarts once; an identical second sync validates, restarts and downloads nothing", async () => {
        const h = await host("first");
        const before = aws.s3Calls.length;
        const first = await h.sync([], { FAKE_PRINT_ENV: "1" });
        assert.strictEqual(first.status, 0, first.stderr);
        assert.deepStrictEqual(
            { result: first.result.result, restarted: first.result.restarted, manifest: first.result.manifest },
            { result: "applied", restarted: true, manifest: "absent" },
        );
        assert.deepStrictEqual(h.labels(), ["validate", "restart"]);
        // The validator saw the staged generation, not the live paths.
        const [, stagedConfig, stagedEnv, stagedCerts] = h.calls()[0].split(" ");
        assert.ok(stagedConfig.startsWith(path.join(h.stateDir, "generations")), stagedConfig);
        assert.ok(stagedEnv.startsWith(path.join(h.stateDir, "generations")) && stagedCerts.endsWith("/config/certs"), h.calls()[0]);
        assert.deepStrictEqual(aws.getObjectCalls(h.prefix, before).sort(), ["conf.d/syslog.conf", "secrets.conf", "td-agent.conf"]);

        assert.strictEqual(h.read("td-agent.conf"), TD_AGENT_CONF);
        assert.strictEqual(h.read("conf.d/syslog.conf"), SYSLOG_CONF);
        assert.strictEqual(fs.readFileSync(path.join(h.certsDir, "collector.pem"), "utf8"), PEM);
        assert.ok(!fs.existsSync(path.join(h.configDir, "plugin/README")), "a file that is not in the source stays behind");
        assert.ok(!fs.existsSync(path.join(h.configDir, "secrets.conf")), "secrets.conf is an instruction, not config");
        assert.deepStrictEqual(first.result.removed, [`${h.configDir}/plugin/`, `${h.configDir}/plugin/README`]);
        assert.ok((first.result.changed as string[]).includes(h.environmentFile));

        // Both readers of the env file get exactly the secret back, and the variables are exported.
        assert.strictEqual(h.shellValue("TLS_PASSPHRASE"), TRICKY);
        assert.strictEqual(h.shellValue("SIEM_API_KEY"), API_KEY);
        const systemd = parseSystemdEnvFile(fs.readFileSync(h.environmentFile, "utf8"));
        assert.deepStrictEqual(Object.fromEntries(systemd), { SIEM_API_KEY: API_KEY, TLS_PASSPHRASE: TRICKY });

        // Owner-only secret material, owned by --owner (nobody = 65534); config stays root's and readable.
        const st = (p: string) => fs.statSync(p);
        assert.deepStrictEqual([st(h.environmentFile).mode & 0o777, st(h.environmentFile).uid], [0o600, 65534]);
        assert.deepStrictEqual([st(h.certsDir).mode & 0o777, st(h.certsDir).uid], [0o700, 65534]);
        const pem = path.join(h.certsDir, "collector.pem");
        assert.deepStrictEqual([st(pem).mode & 0o777, st(pem).uid, st(pem).gid], [0o600, 65534, 65534]);
        assert.deepStrictEqual(
            [st(path.join(h.configDir, "td-agent.conf")).mode & 0o777, st(path.join(h.configDir, "td-agent.conf")).uid],
            [0o644, 0],
        );

        // The validator printed its environment (secrets included): the agent's output carries none of it.
        assert.match(first.stderr, /\[redacted\]/);
        assertNoSecret(first);

        const tree = h.tree();
        const mark = aws.s3Calls.length;
        const second = await h.sync();
        assert.strictEqual(second.status, 0, second.stderr);
        assert.deepStrictEqual(
            {
                result: second.result.result,
                changed: second.result.changed,
                restarted: second.result.restarted,
                downloaded: second.result.downloaded,
            },
            { result: "unchanged", changed: [], restarted: false, downloaded: 0 },
        );
        assert.deepStrictEqual(h.labels(), ["validate", "restart"], "no validation and no restart for an unchanged snapshot");
        assert.deepStrictEqual(aws.getObjectCalls(h.prefix, mark), [], "unchanged files are not downloaded");
        assert.deepStrictEqual(h.tree(), tree);
        assert.deepStrictEqual(h.generations().length, 1);
        assertNoSecret(second);

        const published = aws.snsCalls.filter((c) => JSON.parse(c.message).source === h.source);
        assert.deepStrictEqual(
            published.map((c) => [c.topicArn, JSON.parse(c.message).result]),
            [
                [TOPIC_ARN, "applied"],
                [TOPIC_ARN, "unchanged"],
            ],
        );
        for (const c of published) {
            for (const needle of SECRET_NEEDLES) {
                assert.ok(!c.message.includes(needle));
            }
        }
    });

    it("puts back a live config file edited by hand, even with the same size, downloading only that file", async () => {
        const h = await syncedHost("hand-edited");
        const edited = TD_AGENT_CONF.replace("info", "warn");
        assert.strictEqual(edited.length, TD_AGENT_CONF.length);
        fs.writeFileSync(path.join(h.configDir, "td-agent.conf"), edited);
        const mark = aws.s3Calls.length;
        const run = await h.sync();
        assert.strictEqual(run.status, 0, run.stderr);
        assert.deepStrictEqual(
            [run.result.result, run.result.changed, run.result.restarted],
            ["applied", [`${h.configDir}/td-agent.conf`], true],
        );
        assert.deepStrictEqual(aws.getObjectCalls(h.prefix, mark), ["td-agent.conf"], "the edited file is fetched again, nothing else");
        assert.strictEqual(h.read("td-agent.conf"), TD_AGENT_CONF);
        assert.deepStrictEqual(h.labels(), ["validate", "restart", "validate", "restart"]);
    });

    it("sets up a bare host (first boot: no /etc/td-agent, no env file yet) and creates the live paths as links", async () => {
        const h = await host("bare", { bare: true });
        const run = await h.sync();
        assert.strictEqual(run.status, 0, run.stderr);
        assert.strictEqual(run.result.result, "applied");
        assert.strictEqual(h.read("td-agent.conf"), TD_AGENT_CONF);
        assert.strictEqual(h.shellValue("SIEM_API_KEY"), API_KEY);
        const current = path.join(h.stateDir, "current");
        assert.deepStrictEqual(
            [fs.readlinkSync(h.configDir), fs.readlinkSync(h.environmentFile)],
            [`${current}/config`, `${current}/environment`],
        );
        assert.ok(!fs.existsSync(path.join(h.stateDir, "displaced")), "nothing was there to keep");
    });

    it("restarts when only a secret changed, and removes a file that left the source", async () => {
        const h = await syncedHost("secret-change");
        aws.setSecret("siem-api-key", "r0tated-Key-99");
        try {
            const mark = aws.s3Calls.length;
            const rotated = await h.sync();
            assert.strictEqual(rotated.status, 0, rotated.stderr);
            assert.deepStrictEqual(
                [rotated.result.result, rotated.result.changed, rotated.result.restarted],
                ["applied", [h.environmentFile], true],
            );
            assert.deepStrictEqual(aws.getObjectCalls(h.prefix, mark), []);
            assert.strictEqual(h.shellValue("SIEM_API_KEY"), "r0tated-Key-99");
            assert.deepStrictEqual(h.labels(), ["validate", "restart", "validate", "restart"]);
        } finally {
            aws.setSecret("siem-api-key", API_KEY);
        }

        await aws.remove(h.prefix, "conf.d/syslog.conf");
        await aws.put(h.prefix, { "secrets.conf": secretsConf() });
        const removed = await h.sync();
        assert.strictEqual(removed.status, 0, removed.stderr);
        assert.strictEqual(removed.result.result, "applied");
        assert.deepStrictEqual(removed.result.removed, [`${h.configDir}/conf.d/`, `${h.configDir}/conf.d/syslog.conf`]);
        assert.ok(!fs.existsSync(path.join(h.configDir, "conf.d")));
        assert.strictEqual(h.shellValue("SIEM_API_KEY"), API_KEY);
        assert.deepStrictEqual(h.generations().length, 1, "the superseded generations are removed");
    });

    describe("rejects a bad snapshot with exit 2 and leaves the live tree byte for byte as it was", () => {
        let h: Host;
        before(async () => {
            h = await syncedHost("rejects");
        });

        const cases: Array<[string, () => string, RegExp]> = [
            ["file#../x", () => `file#../x#${arns.pem}`, /secrets\.conf:6: "\.\.\/x" contains "\/"; use a plain file name/],
            ["file#/etc/passwd", () => `file#/etc/passwd#${arns.pem}`, /secrets\.conf:6: "\/etc\/passwd" is an absolute path/],
            ["a bad env# name", () => `env#9LIVES#${arns.api}`, /secrets\.conf:6: "9LIVES" is not a variable name/],
            [
                "a malformed line",
                () => `env#ONLY_TWO_FIELDS`,
                /secrets\.conf:6: expected env#NAME#<secret arn> or file#<file name>#<secret arn>, 1 "#" separator\(s\) found/,
            ],
            ["an unknown kind", () => `dir#x#${arns.pem}`, /secrets\.conf:6: unknown kind "dir"/],
            [
                "a missing secret",
                () => `env#GONE#${arns.api.replace("siem-api-key", "deleted")}`,
                /secrets\.conf:6: secret arn:aws:secretsmanager:\S+:secret:collector\/deleted-AbCdEf for env "GONE" could not be read \(ResourceNotFoundException\)/,
            ],
        ];
        for (const [what, line, message] of cases) {
            it(`${what}`, async () => {
                await aws.put(h.prefix, { "secrets.conf": secretsConf(`${line()}\n`), "td-agent.conf": `${TD_AGENT_CONF}# new\n` });
                const tree = h.tree();
                const calls = h.calls().length;
                const run = await h.sync();
                assert.strictEqual(run.status, 2, run.stderr);
                assert.strictEqual(run.result.result, "rejected");
                assert.match((run.result.problems as string[]).join("\n"), message);
                assert.deepStrictEqual(h.tree(), tree);
                assert.strictEqual(h.calls().length, calls, "neither validated nor restarted");
                assert.deepStrictEqual(h.generations().length, 1);
                assertNoSecret(run);
            });
        }

        it("an env# secret holding a newline (its value never printed)", async () => {
            aws.setSecret("multi-line", "line-one-secret\nline-two-secret");
            await aws.put(h.prefix, {
                "secrets.conf": secretsConf(`env#MULTI#${aws.setSecret("multi-line", "line-one-secret\nline-two-secret")}\n`),
            });
            const tree = h.tree();
            const run = await h.sync();
            assert.strictEqual(run.status, 2);
            assert.match(
                (run.result.problems as string[])[0],
                /secrets\.conf:6: the secret for MULTI contains a line break or NUL, which an environment file cannot carry; store it with file#/,
            );
            assert.ok(!run.stderr.includes("line-one-secret") && !run.stdout.includes("line-two-secret"));
            assert.deepStrictEqual(h.tree(), tree);
        });
    });

    it("rejects before the first apply without touching the package's own files", async () => {
        const h = await host("reject-fresh");
        const empty = await h.run(h.syncArgs().map((a) => (a === h.source ? `${h.source}mistyped/` : a)));
        assert.strictEqual(empty.status, 2);
        assert.strictEqual(
            empty.result.reason,
            `source ${h.source}mistyped/ holds no configuration files; refusing to apply an empty snapshot`,
        );
        await aws.put(h.prefix, { "secrets.conf": secretsConf(`file#../../etc/shadow#${arns.pem}\n`) });
        const tree = h.tree();
        const run = await h.sync();
        assert.strictEqual(run.status, 2);
        assert.deepStrictEqual(h.tree(), tree);
        assert.strictEqual(tree["config@"], "real");
        assert.deepStrictEqual(h.calls(), []);
    });

    it("a failing validator: exit 1, result invalid, live state untouched (not even taken over), no restart", async () => {
        const h = await host("invalid");
        const tree = h.tree();
        const run = await h.sync([], { FAKE_FAIL: "validate" });
        assert.strictEqual(run.status, 1, run.stderr);
        assert.strictEqual(run.result.result, "invalid");
        assert.ok((run.result.pending as string[]).includes(`${h.configDir}/td-agent.conf`));
        assert.match(String(run.result.reason), /the validate command failed \(exit 1\); the live state is unchanged/);
        assert.deepStrictEqual(h.tree(), tree);
        assert.strictEqual(tree["config@"], "real");
        assert.deepStrictEqual(h.labels(), ["validate"]);
        assert.deepStrictEqual(h.generations(), []);
    });

    it("a failing restart: exit 3, the previous state back, and the service restarted on it", async () => {
        const h = await syncedHost("rollback");
        const tree = h.tree();
        await aws.put(h.prefix, { "td-agent.conf": `${TD_AGENT_CONF}# BROKEN: the service will not start on this\n` });
        const run = await h.sync(["--health-command", `sh ${path.join(__dirname, "../support/agent/fake-command.sh")} health`], {
            FAKE_FAIL_ON_MARKER: "restart",
        });
        assert.strictEqual(run.status, 3, run.stderr);
        assert.deepStrictEqual(
            { result: run.result.result, restarted: run.result.restarted, rollback: run.result.rollback },
            { result: "rolled-back", restarted: true, rollback: { ok: true, status: "ok" } },
        );
        assert.match(String(run.result.reason), /the restart command failed \(exit 1\); the previous state is back/);
        assert.deepStrictEqual(h.tree(), tree);
        // restart on the new state fails, restart on the old one succeeds and its health check passes.
        assert.deepStrictEqual(h.labels(), ["validate", "restart", "validate", "restart", "restart", "health"]);
        assert.deepStrictEqual(h.generations().length, 1);
        assert.ok(!fs.existsSync(path.join(h.stateDir, "journal.json")));
    });

    describe("a run killed between steps is completed or undone by the next run", () => {
        it("killed after staging: live untouched, the next run applies and restarts once", async () => {
            const h = await syncedHost("crash-stage");
            await aws.put(h.prefix, { "td-agent.conf": `${TD_AGENT_CONF}# v2\n` });
            const tree = h.tree();
            const killed = await h.sync([], { ORGLOG_AGENT_CRASH_AFTER: "stage" });
            assert.deepStrictEqual([killed.status, killed.signal], [null, "SIGKILL"]);
            assert.deepStrictEqual(h.tree(), tree);
            assert.strictEqual(h.generations().length, 2, "the staged generation is left behind");

            const next = await h.sync();
            assert.strictEqual(next.status, 0, next.stderr);
            assert.strictEqual(next.result.result, "applied");
            assert.match(String(next.result.recovered), /removed generation \S+ that an interrupted run was staging/);
            assert.strictEqual(h.read("td-agent.conf"), `${TD_AGENT_CONF}# v2\n`);
            assert.deepStrictEqual(h.labels(), ["validate", "restart", "validate", "restart"]);
            assert.strictEqual(h.generations().length, 1);
        });

        it("killed after the switch, before the restart: the next run restarts on the new state and commits it", async () => {
            const h = await syncedHost("crash-switch");
            await aws.put(h.prefix, { "td-agent.conf": `${TD_AGENT_CONF}# v2\n` });
            const killed = await h.sync([], { ORGLOG_AGENT_CRASH_AFTER: "switch" });
            assert.strictEqual(killed.signal, "SIGKILL");
            assert.strictEqual(h.read("td-agent.conf"), `${TD_AGENT_CONF}# v2\n`, "the switch itself is one rename: wholly new");
            assert.deepStrictEqual(h.labels(), ["validate", "restart", "validate"]);

            const next = await h.sync();
            assert.strictEqual(next.status, 0, next.stderr);
            assert.deepStrictEqual(
                [next.result.result, next.result.restarted, next.result.changed],
                ["applied", true, [`${h.configDir}/td-agent.conf`]],
            );
            assert.match(String(next.result.recovered), /completed an interrupted run: restarted on generation/);
            assert.deepStrictEqual(h.labels(), ["validate", "restart", "validate", "restart"], "exactly one restart, no second validation");
            assert.strictEqual(h.generations().length, 1);

            const settled = await h.sync();
            assert.deepStrictEqual([settled.status, settled.result.result], [0, "unchanged"]);
        });

        it("killed while taking over a fresh host's directories: the next run finishes it and converges", async () => {
            const h = await host("crash-adopt");
            const killed = await h.sync([], { ORGLOG_AGENT_CRASH_AFTER: "adopt-displace" });
            assert.strictEqual(killed.signal, "SIGKILL");
            assert.ok(!fs.existsSync(h.configDir), "the one moment a live directory is absent: moved aside, link not yet placed");

            const next = await h.sync();
            assert.strictEqual(next.status, 0, next.stderr);
            assert.strictEqual(next.result.result, "applied");
            assert.strictEqual(h.read("td-agent.conf"), TD_AGENT_CONF);
            assert.strictEqual(h.shellValue("SIEM_API_KEY"), API_KEY);
            assert.deepStrictEqual(h.labels(), ["validate", "validate", "restart"]);
            assert.strictEqual(h.generations().length, 1);
            // The package's original directory is kept, not deleted.
            const displaced = fs.readdirSync(path.join(h.stateDir, "displaced"));
            assert.strictEqual(
                fs.readFileSync(path.join(h.stateDir, "displaced", displaced[0], "config/plugin/README"), "utf8"),
                "plugins\n",
            );
        });
    });

    it("one run at a time: a second run waits for the holder, and gives up with exit 2 when it takes too long", async () => {
        const h = await host("lock");
        // The holder ends as soon as the agent reports that it waits for it.
        const holder = spawn("sleep", ["30"]);
        fs.writeFileSync(h.lockFile, JSON.stringify({ pid: holder.pid, start: "" }));
        const waited = await h
            .sync(["--lock-timeout", "20"], {}, (stderr) => {
                if (stderr.includes(`waiting for pid ${holder.pid} to finish`)) {
                    holder.kill();
                }
            })
            .finally(() => holder.kill());
        assert.deepStrictEqual([waited.status, waited.result.result], [0, "applied"]);
        assert.match(waited.stderr, new RegExp(`waiting for pid ${holder.pid} to finish`));
        assert.ok(!fs.existsSync(h.lockFile), "released at the end");

        // (A lock left by a killed run is taken over: the crash cases above start right after a SIGKILL.)
        fs.writeFileSync(h.lockFile, JSON.stringify({ pid: process.pid, start: "" }));
        const busy = await h.sync(["--lock-timeout", "1"]);
        assert.strictEqual(busy.status, 2);
        assert.match(
            String(busy.result.reason),
            new RegExp(`another agent run \\(pid ${process.pid}\\) holds the lock ${h.lockFile}; waited 1 s`),
        );
        assert.deepStrictEqual(h.labels(), ["validate", "restart"]);
    });

    it("a failing SNS publish is logged and does not change the outcome", async () => {
        const h = await host("sns-down");
        const missing = TOPIC_ARN.replace("collector-deploy-results", "deleted-topic");
        // The topic (and JSON logs) from a --config file: the same keys as the options.
        const config = path.join(h.root, "agent.json");
        fs.writeFileSync(config, JSON.stringify({ "topic-arn": missing, json: true }));
        const args = h.syncArgs().filter((a, i, all) => a !== "--topic-arn" && all[i - 1] !== "--topic-arn");
        const viaFile = await h.run([...args, "--config", config]);
        assert.deepStrictEqual([viaFile.status, viaFile.result.result], [0, "applied"]);
        const lines = viaFile.stderr
            .trim()
            .split("\n")
            .map((l) => JSON.parse(l) as { level: string; msg: string });
        assert.ok(
            lines.some(
                (l) =>
                    l.level === "warn" &&
                    /result could not be published to .*deleted-topic \(NotFoundException\); the outcome stands/.test(l.msg),
            ),
        );
        assert.ok(aws.snsCalls.some((c) => c.topicArn === missing));
    });

    it("refuses an unknown option with exit 2 and one line naming it", async () => {
        const h = await host("options");
        const run = await h.run(["sync", "--source", h.source, "--config-directory", "/tmp/x"]);
        assert.strictEqual(run.status, 2);
        assert.match(String(run.result.reason), /^unknown option "--config-directory" for sync\./);
        assert.deepStrictEqual(run.stderr.trim().split("\n").length, 2, run.stderr); // the message and the result line
        assert.deepStrictEqual(h.calls(), []);
    });
});
