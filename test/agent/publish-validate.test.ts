// `agent publish` (the configuration pipeline's upload) and `agent validate` (its CI test stage), and the
// manifest / signature checks `sync` makes on what publish wrote. Built bundle, local S3 / KMS / Secrets Manager.
import * as assert from "assert";
import * as crypto from "crypto";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { ensureBundle, Host, runAgent } from "../support/agent/agent-host";
import { BUCKET, KMS_KEY_ARN, LocalAws } from "../support/agent/local-aws";

const FAKE = path.join(__dirname, "../support/agent/fake-command.sh");
const API_KEY = "pub1ish-Key-0042";

describe("agent publish and validate (built bundle, local S3 / KMS / Secrets Manager)", function () {
    this.timeout(30_000);
    const aws = new LocalAws();
    const cleanup: string[] = [];
    let arn: string;

    before(async () => {
        ensureBundle();
        await aws.start();
        arn = aws.setSecret("publish-api-key", API_KEY);
    });
    after(async () => {
        for (const dir of cleanup) {
            fs.rmSync(dir, { recursive: true, force: true });
        }
        await aws.stop();
    });

    function repo(files: Record<string, string>): string {
        const dir = fs.mkdtempSync(path.join(os.tmpdir(), "orglog-repo-"));
        cleanup.push(dir);
        for (const [rel, content] of Object.entries(files)) {
            fs.mkdirSync(path.dirname(path.join(dir, rel)), { recursive: true });
            fs.writeFileSync(path.join(dir, rel), content);
        }
        return dir;
    }

    function host(name: string, prefix: string): Host {
        const h = new Host(aws, name);
        cleanup.push(h.root);
        return Object.assign(h, { prefix });
    }

    /** PUT and DELETE requests on `prefix` since call index `since`, as "PUT key" / "DELETE key". */
    function writes(prefix: string, since: number): string[] {
        const base = `/${BUCKET}/${prefix}`;
        return aws.s3Calls
            .slice(since)
            .filter((c) => (c.method === "PUT" || c.method === "DELETE") && c.path.startsWith(base))
            .map((c) => `${c.method} ${c.path.slice(base.length)}`);
    }

    const publish = (from: string, prefix: string, extra: string[] = []) =>
        runAgent(["publish", "--from", from, "--to", `s3://${BUCKET}/${prefix}`, ...extra], aws.env());

    it("uploads changed files only, deletes stale ones, writes manifest.json last; a second publish uploads nothing", async () => {
        const prefix = "configuration/published/";
        const dir = repo({
            "td-agent.conf": "@include conf.d/*.conf\n",
            "conf.d/a.conf": "# a\n",
            "conf.d/b.conf": "# b\n",
            "secrets.conf": `env#API_KEY#${arn}\n`,
        });
        let mark = aws.s3Calls.length;
        const first = await publish(dir, prefix);
        assert.strictEqual(first.status, 0, first.stderr);
        assert.deepStrictEqual(
            [first.result.result, first.result.uploaded, first.result.manifest],
            ["published", ["conf.d/a.conf", "conf.d/b.conf", "secrets.conf", "td-agent.conf"], "written"],
        );
        assert.strictEqual(writes(prefix, mark).pop(), "PUT manifest.json");
        const manifest = JSON.parse(await aws.read(prefix, "manifest.json"));
        assert.strictEqual(manifest.format, "org-logging-manifest/1");
        assert.strictEqual(manifest.files["conf.d/a.conf"].sha256, crypto.createHash("sha256").update("# a\n").digest("hex"));
        assert.strictEqual(manifest.signature, undefined);

        mark = aws.s3Calls.length;
        const again = await publish(dir, prefix);
        assert.strictEqual(again.status, 0, again.stderr);
        assert.deepStrictEqual(
            [again.result.result, again.result.uploaded, again.result.deleted, again.result.manifest, again.result.unchanged],
            ["unchanged", [], [], "unchanged", 4],
        );
        assert.deepStrictEqual(writes(prefix, mark), []);

        fs.writeFileSync(path.join(dir, "conf.d/a.conf"), "# a, version 2\n");
        fs.rmSync(path.join(dir, "conf.d/b.conf"));
        mark = aws.s3Calls.length;
        const changed = await publish(dir, prefix);
        assert.deepStrictEqual([changed.result.uploaded, changed.result.deleted], [["conf.d/a.conf"], ["conf.d/b.conf"]]);
        assert.deepStrictEqual(writes(prefix, mark), ["PUT conf.d/a.conf", "DELETE conf.d/b.conf", "PUT manifest.json"]);

        const h = host("from-publish", prefix);
        const sync = await h.sync();
        assert.strictEqual(sync.status, 0, sync.stderr);
        assert.deepStrictEqual([sync.result.result, sync.result.manifest], ["applied", "verified"]);
        assert.strictEqual(h.read("conf.d/a.conf"), "# a, version 2\n");
        assert.ok(!fs.existsSync(path.join(h.configDir, "conf.d/b.conf")));
    });

    it("signs the manifest with KMS; sync with --require-signature applies it, and rejects a wrong key, an unsigned manifest or a tampered snapshot", async () => {
        const prefix = "configuration/signed/";
        const dir = repo({ "td-agent.conf": "# signed\n", "secrets.conf": `env#API_KEY#${arn}\n` });
        const signed = await publish(dir, prefix, ["--kms-key-id", KMS_KEY_ARN]);
        assert.strictEqual(signed.status, 0, signed.stderr);
        assert.strictEqual(signed.result.signed, true);
        assert.deepStrictEqual(
            aws.kmsCalls.map((c) => [c.action, c.keyId, c.messageType, c.signingAlgorithm]),
            [["TrentService.Sign", KMS_KEY_ARN, "DIGEST", "ECDSA_SHA_256"]],
        );
        const manifest = JSON.parse(await aws.read(prefix, "manifest.json"));
        assert.deepStrictEqual([manifest.signature.algorithm, manifest.signature.keyId], ["ECDSA_SHA_256", KMS_KEY_ARN]);

        const again = await publish(dir, prefix, ["--kms-key-id", KMS_KEY_ARN]);
        assert.deepStrictEqual(
            [again.result.result, again.result.uploaded, aws.kmsCalls.length],
            ["unchanged", [], 1],
            "no re-sign, no upload",
        );

        const goodKey = path.join(dir, "..", `${path.basename(dir)}-good.pem`);
        const otherKey = path.join(dir, "..", `${path.basename(dir)}-other.pem`);
        cleanup.push(goodKey, otherKey);
        fs.writeFileSync(goodKey, aws.publicKeyPem());
        fs.writeFileSync(
            otherKey,
            crypto.generateKeyPairSync("ec", { namedCurve: "P-256" }).publicKey.export({ type: "spki", format: "pem" }),
        );

        const h = host("signed", prefix);
        const ok = await h.sync(["--require-signature", "--public-key", goodKey]);
        assert.strictEqual(ok.status, 0, ok.stderr);
        assert.deepStrictEqual([ok.result.result, ok.result.manifest], ["applied", "signed"]);

        const wrong = await host("wrong-key", prefix).sync(["--require-signature", "--public-key", otherKey]);
        assert.strictEqual(wrong.status, 2);
        assert.deepStrictEqual(wrong.result.problems, [`manifest.json signature (key ${KMS_KEY_ARN}) does not verify with ${otherKey}`]);

        const tree = h.tree();
        await aws.put(prefix, { "td-agent.conf": "# slipped in without the pipeline\n" });
        const tampered = await h.sync(["--require-signature", "--public-key", goodKey]);
        assert.strictEqual(tampered.status, 2);
        assert.match((tampered.result.problems as string[])[0], /^td-agent\.conf: SHA-256 [0-9a-f]{12}… differs from manifest\.json/);
        await aws.put(prefix, { "td-agent.conf": "# signed\n", "extra.conf": "# not published\n" });
        const extra = await h.sync(["--require-signature", "--public-key", goodKey]);
        assert.strictEqual(extra.status, 2);
        assert.deepStrictEqual(extra.result.problems, ["extra.conf: present in the source but not in manifest.json"]);
        assert.deepStrictEqual(h.tree(), tree);

        const unsignedPrefix = "configuration/unsigned/";
        await publish(dir, unsignedPrefix);
        const unsigned = await host("unsigned", unsignedPrefix).sync(["--require-signature", "--public-key", goodKey]);
        assert.strictEqual(unsigned.status, 2);
        assert.deepStrictEqual(unsigned.result.problems, ["manifest.json carries no signature"]);
    });

    it("refuses to publish a directory whose secrets.conf is malformed, and uploads nothing", async () => {
        const prefix = "configuration/refused/";
        const dir = repo({ "td-agent.conf": "# x\n", "secrets.conf": `file#../escape.pem#${arn}\n` });
        const mark = aws.s3Calls.length;
        const run = await publish(dir, prefix);
        assert.strictEqual(run.status, 2);
        assert.deepStrictEqual(run.result.problems, [
            'secrets.conf:1: "../escape.pem" contains "/"; use a plain file name such as "collector.pem"',
        ]);
        assert.deepStrictEqual(writes(prefix, mark), []);

        const empty = await publish(repo({ "secrets.conf": "# nothing else\n" }), "configuration/published/");
        assert.strictEqual(empty.status, 2);
        assert.match(String(empty.result.problems), /holds no configuration files; refusing to publish an empty snapshot/);
        assert.deepStrictEqual(writes("configuration/published/", mark), []);
    });

    describe("validate", () => {
        const prefix = "configuration/validate/";
        before(async () => {
            await aws.put(prefix, {
                "td-agent.conf": "# validate me\n",
                "secrets.conf": `env#API_KEY#${arn}\nfile#collector.pem#${aws.setSecret("validate-pem", "-----BEGIN CERTIFICATE-----\nMIIBvalidate\n-----END CERTIFICATE-----\n")}\n`,
            });
        });

        // The validator checks what it was given: rendered files, owner-only env file, the variables.
        const checks = `test -f {configDir}/td-agent.conf && test -f {certsDir}/collector.pem && test "$(stat -c %a {environmentFile})" = 600 && test "$API_KEY" = "$(. {environmentFile}; printf %s "$API_KEY")" && test -n "$API_KEY"`;

        it("renders into a temporary directory, runs only the validate command there, and removes it", async () => {
            const h = host("validate", prefix);
            const run = await h.run([
                "validate",
                "--source",
                h.source,
                "--validate-command",
                `${checks} && sh ${FAKE} validate {configDir}`,
            ]);
            assert.strictEqual(run.status, 0, run.stderr);
            assert.deepStrictEqual([run.result.result, run.result.files], ["valid", 3]);
            const [label, rendered] = h.calls()[0].split(" ");
            assert.strictEqual(label, "validate");
            assert.ok(rendered.startsWith(os.tmpdir()) && !fs.existsSync(rendered), `${rendered} is left behind`);
            assert.strictEqual(h.tree()["config@"], "real", "the live paths are not involved");
            assert.ok(!run.stderr.includes(API_KEY) && !run.stdout.includes(API_KEY));
        });

        it("exit 1 when the validate command fails, exit 2 when the snapshot is bad", async () => {
            const h = host("validate-fails", prefix);
            const invalid = await h.run(["validate", "--source", h.source, "--validate-command", `sh ${FAKE} validate`], {
                FAKE_FAIL: "validate",
            });
            assert.deepStrictEqual(
                [invalid.status, invalid.result.result, invalid.result.reason],
                [1, "invalid", "the validate command failed (exit 1)"],
            );

            const local = repo({ "td-agent.conf": "# x\n", "secrets.conf": `env#API-KEY#${arn}\n` });
            const bad = await h.run(["validate", "--source", `file://${local}/`, "--validate-command", `sh ${FAKE} validate`]);
            assert.deepStrictEqual([bad.status, bad.result.result], [2, "rejected"]);
            assert.deepStrictEqual(bad.result.problems, [
                'secrets.conf:1: "API-KEY" is not a variable name; use letters, digits and "_", not starting with a digit',
            ]);
            assert.deepStrictEqual(h.labels(), ["validate"]);
        });
    });
});
