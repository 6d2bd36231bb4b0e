// Pure parts of the agent, table-driven and without processes: env-file escaping (checked against a real
// /bin/sh and a model of systemd's parser), the secrets.conf grammar, the option parser, the manifest checks.
import * as assert from "assert";
import { execFileSync } from "child_process";
import * as crypto from "crypto";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { replaceFileDurable } from "../../agent/src/durable";
import { envValueProblem, renderEnvFile } from "../../agent/src/env-file";
import { JournalFile } from "../../agent/src/journal";
import { canonicalJson, Manifest, manifestMismatches, sha256Hex, signatureProblem, signedBytes } from "../../agent/src/manifest";
import { parseArgs } from "../../agent/src/options";
import { Redactor } from "../../agent/src/redact";
import { AgentError, errorName } from "../../agent/src/result";
import { parseSecretsConf } from "../../agent/src/secrets-conf";
import { signDigest } from "../support/agent/ecdsa-p256";
import { parseSystemdEnvFile } from "../support/agent/systemd-env-file";

const ARN = "arn:aws:secretsmanager:eu-west-3:111122223333:secret:collector/key-AbCdEf";

describe("agent env file", () => {
    const values: Record<string, string> = {
        PLAIN: "abc123",
        QUOTES: `he said "hi" and 'bye'`,
        DOLLAR: "$HOME ${HOME} $(id) $1",
        BACKTICK: "`id` and \\`",
        BACKSLASH: "C:\\path\\n\\t\\\\end\\",
        HASH: "#not-a-comment ;nor-this",
        SPACES: "  leading and trailing  ",
        EQUALS: "a=b==c",
        EMPTY: "",
        UNICODE: "pässwörd-✓-日本",
    };
    const vars = Object.entries(values).map(([name, value], i) => ({ name, value, line: i + 1 }));

    it("sh (`. file`) reads back every value exactly, exported to child processes", () => {
        const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), "orglog-env-")), "td-agent");
        fs.writeFileSync(file, renderEnvFile(vars));
        try {
            // A child shell only sees exported variables: what the service started by the init script gets.
            const script = `. "$1"; exec sh -c 'for n in ${Object.keys(values).join(" ")}; do eval "printf %s \\"\\\${$n}\\""; printf "\\0"; done'`;
            const out = execFileSync("sh", ["-c", script, "sh", file], { encoding: "utf8" }).split("\0").slice(0, -1);
            assert.deepStrictEqual(out, Object.values(values));
        } finally {
            fs.rmSync(path.dirname(file), { recursive: true });
        }
    });

    it("systemd's EnvironmentFile= parser reads back every value exactly", () => {
        assert.deepStrictEqual(Object.fromEntries(parseSystemdEnvFile(renderEnvFile(vars).toString("utf8"))), values);
    });

    it('writes NAME="value" lines and one export line, because systemd drops `export NAME=...`', () => {
        assert.strictEqual(
            renderEnvFile(vars.slice(0, 2)).toString("utf8"),
            `# Written by the org-logging agent from secrets.conf; the next sync overwrites any edit.\nPLAIN="abc123"\nQUOTES="he said \\"hi\\" and 'bye'"\nexport PLAIN QUOTES\n`,
        );
        assert.deepStrictEqual([...parseSystemdEnvFile('export NAME="v"\n')], [], "the form the field document uses is lost on systemd");
    });

    it("refuses values an env file cannot carry, without printing them", () => {
        const cases: Array<[Buffer, string | undefined]> = [
            [Buffer.from("ok value"), undefined],
            [Buffer.from("two\nlines"), "contains a line break or NUL"],
            [Buffer.from("carriage\rreturn"), "contains a line break or NUL"],
            [Buffer.from("nul\0byte"), "contains a line break or NUL"],
            [Buffer.from([0x61, 0xff, 0x62]), "is not valid UTF-8 text"],
        ];
        for (const [value, problem] of cases) {
            const got = envValueProblem("NAME", value, 7);
            if (problem === undefined) {
                assert.strictEqual(got, undefined);
            } else {
                assert.match(got!, new RegExp(`^secrets\\.conf:7: the secret for NAME ${problem}`));
                assert.ok(!got!.includes(value.toString("utf8")));
            }
        }
    });
});

describe("agent secrets.conf grammar", () => {
    it("accepts comments, blank lines, CRLF and both kinds", () => {
        const { refs, problems } = parseSecretsConf(`# header\r\n\r\n  env#API_KEY#${ARN}  \r\nfile#tls.key.pem#${ARN}\n`);
        assert.deepStrictEqual(problems, []);
        assert.deepStrictEqual(refs, [
            { kind: "env", name: "API_KEY", arn: ARN, line: 3 },
            { kind: "file", name: "tls.key.pem", arn: ARN, line: 4 },
        ]);
    });

    it("reports every bad line at once, each with its line number", () => {
        const text = [
            `file#../x#${ARN}`,
            `file#/etc/passwd#${ARN}`,
            `file#.hidden#${ARN}`,
            `env#1ABC#${ARN}`,
            `env#OK#not-an-arn`,
            `env#OK2`,
            `env#A#B#${ARN}`,
            `env#DUP#${ARN}`,
            `env#DUP#${ARN}`,
        ].join("\n");
        assert.deepStrictEqual(parseSecretsConf(text).problems, [
            'secrets.conf:1: "../x" contains "/"; use a plain file name such as "collector.pem"',
            'secrets.conf:2: "/etc/passwd" is an absolute path; use a plain file name such as "collector.pem"',
            `secrets.conf:3: ".hidden" is not a plain file name (letters, digits, '.', '_', '-'; not starting with '.'); use a plain file name such as "collector.pem"`,
            'secrets.conf:4: "1ABC" is not a variable name; use letters, digits and "_", not starting with a digit',
            "secrets.conf:5: the third field (not shown) is not a Secrets Manager secret ARN (arn:<partition>:secretsmanager:<region>:<account>:secret:<name>)",
            'secrets.conf:6: expected env#NAME#<secret arn> or file#<file name>#<secret arn>, 1 "#" separator(s) found (the line is not shown)',
            `secrets.conf:7: expected env#NAME#<secret arn> or file#<file name>#<secret arn>, 3 "#" separator(s) found (the line is not shown)`,
            'secrets.conf:9: env "DUP" is already defined on line 8',
        ]);
    });
});

describe("agent options", () => {
    const problemsOf = (argv: string[], files: Record<string, string> = {}) => {
        try {
            parseArgs(argv, (p) => {
                if (!(p in files)) {
                    throw Object.assign(new Error(`ENOENT: ${p}`), { code: "ENOENT" });
                }
                return files[p];
            });
        } catch (err) {
            assert.ok(err instanceof AgentError);
            return [err.reason, ...err.problems];
        }
        return [];
    };

    it("applies the defaults the SSM document relies on", () => {
        const parsed = parseArgs(["sync", "--source", "s3://collector-config/configuration/production/"]);
        assert.strictEqual(parsed.command, "sync");
        if (parsed.command !== "sync") {
            return;
        }
        assert.deepStrictEqual(
            [
                parsed.options.configDir,
                parsed.options.environmentFile,
                parsed.options.certsDir,
                parsed.options.restartCommand,
                parsed.options.lockFile,
            ],
            [
                "/etc/td-agent",
                "/etc/sysconfig/td-agent",
                "/etc/td-agent/certs",
                "systemctl restart td-agent",
                "/run/org-logging-agent.lock",
            ],
        );
    });

    it("takes keys from --config, lets the command line win, and reports every problem together", () => {
        const file = { "/etc/agent.json": JSON.stringify({ source: "s3://a-bucket/p/", owner: "td-agent", "restart-command": "x" }) };
        const parsed = parseArgs(
            ["sync", "--config", "/etc/agent.json", "--restart-command", "systemctl restart fluentd"],
            (p) => file[p as keyof typeof file],
        );
        assert.ok(parsed.command === "sync");
        assert.deepStrictEqual(
            [parsed.options.source, parsed.options.owner, parsed.options.restartCommand],
            ["s3://a-bucket/p/", "td-agent", "systemctl restart fluentd"],
        );

        assert.deepStrictEqual(
            problemsOf([
                "sync",
                "--source",
                "s3://a-bucket/p/",
                "--json=yes",
                "--owner",
                "a",
                "--owner",
                "b",
                "extra",
                "--require-signature",
            ]),
            [
                "invalid options (command line)",
                '--json: is a flag and takes no value (got "yes")',
                "--owner: given twice",
                'unexpected argument "extra"',
                "--require-signature: needs --public-key <pem file> to verify the manifest with",
            ],
        );
        assert.deepStrictEqual(problemsOf(["validate", "--certs-dir", "relative/certs", "--source", "s3://a-bucket/"]), [
            "invalid options (command line)",
            '--certs-dir: must be an absolute path (got "relative/certs")',
            "--validate-command: is required",
        ]);
        assert.deepStrictEqual(problemsOf(["publish", "--to", "file:///tmp/x/", "--from", "/tmp/x", "--kms-key-id="]), [
            "invalid options (command line)",
            '--to: must be s3://<bucket>/<prefix>/ (got "file:///tmp/x/")',
            '--kms-key-id: must not be empty (got "")',
        ]);
        assert.deepStrictEqual(problemsOf(["sync", "--config", "/missing.json"]).slice(0, 2), [
            "invalid options (command line and /missing.json)",
            "--config: /missing.json could not be read as JSON (ENOENT: /missing.json)",
        ]);
    });

    it("stops at an unknown option or command, naming it", () => {
        assert.match(problemsOf(["sync", "--env-file", "/x"])[0], /^unknown option "--env-file" for sync\. usage:/);
        assert.match(problemsOf(["deploy"])[0], /^unknown command "deploy"\. usage:/);
    });
});

describe("agent manifest", () => {
    const files = { "b.conf": { sha256: sha256Hex("b"), size: 1 }, "a.conf": { sha256: sha256Hex("a"), size: 1 } };
    const manifest: Manifest = { format: "org-logging-manifest/1", files };

    it("signs canonical JSON (sorted keys, no whitespace), so formatting never breaks a signature", () => {
        assert.strictEqual(canonicalJson({ b: 1, a: [{ y: 2, x: 1 }] }), '{"a":[{"x":1,"y":2}],"b":1}');
        const { privateKey, publicKey } = crypto.generateKeyPairSync("ec", { namedCurve: "P-256" });
        const digest = crypto.createHash("sha256").update(signedBytes(manifest)).digest();
        const signed: Manifest = {
            ...manifest,
            signature: { algorithm: "ECDSA_SHA_256", keyId: "k", value: signDigest(privateKey, digest).toString("base64") },
        };
        const pem = publicKey.export({ type: "spki", format: "pem" }).toString();
        const reparsed = JSON.parse(JSON.stringify(signed, null, 4)) as Manifest;
        assert.strictEqual(signatureProblem(reparsed, pem, "key.pem"), undefined);
        const altered: Manifest = { ...reparsed, files: { ...reparsed.files, "a.conf": { sha256: sha256Hex("A"), size: 1 } } };
        assert.strictEqual(signatureProblem(altered, pem, "key.pem"), "manifest.json signature (key k) does not verify with key.pem");
        const rsa = crypto.generateKeyPairSync("rsa", { modulusLength: 1024 }).publicKey.export({ type: "spki", format: "pem" }).toString();
        assert.match(signatureProblem(reparsed, rsa, "rsa.pem")!, /^rsa\.pem is not an ECC P-256 public key/);
    });

    it("names every difference between the files present and the manifest", () => {
        const present = new Map([
            ["a.conf", { sha256: sha256Hex("changed"), size: 7 }],
            ["c.conf", { sha256: sha256Hex("c"), size: 1 }],
        ]);
        const problems = manifestMismatches(manifest, present);
        assert.strictEqual(problems.length, 3);
        assert.match(problems[0], /^a\.conf: SHA-256 [0-9a-f]{12}… differs from manifest\.json \([0-9a-f]{12}…\)$/);
        assert.deepStrictEqual(problems.slice(1), [
            "c.conf: present in the source but not in manifest.json",
            "b.conf: listed in manifest.json but missing from the source",
        ]);
    });
});

describe("agent redactor", () => {
    it("masks whole values and each body line of a PEM, also inside JSON-escaped fields", () => {
        const r = new Redactor();
        r.add('s3cr"et\\value');
        r.add("-----BEGIN KEY-----\nAAAAbodyline1111\nBBBBbodyline2222\n-----END KEY-----\n");
        assert.strictEqual(
            r.redact('x s3cr"et\\value y AAAAbodyline1111 -----END KEY-----'),
            "x [redacted] y [redacted] -----END KEY-----",
        );
        assert.deepStrictEqual(JSON.stringify(r.redactDeep({ msg: ['s3cr"et\\value'], n: 1 })), '{"msg":["[redacted]"],"n":1}');
    });
});

describe("agent redaction of the forms the agent writes", () => {
    const { Redactor } = require("../../agent/src/redact") as typeof import("../../agent/src/redact");

    const { escapeEnvValue } = require("../../agent/src/env-file") as typeof import("../../agent/src/env-file");

    it("masks the env-file escaping, the base64 and every PEM body line, the short last one included", () => {
        const r = new Redactor();
        const tricky = 'p"w$x`y\\z';
        const pem = "-----BEGIN PRIVATE KEY-----\nMIGHAgEAMBMGByqGSM49AgEGCCqGSM49AwEHBG0wawIBAQQg\nAbC=\n-----END PRIVATE KEY-----\n";
        r.add(tricky);
        r.add(pem);
        const text = `A="${escapeEnvValue(tricky)}" b64=${Buffer.from(tricky).toString("base64")} last=AbC= body=MIGHAgEAMBMGByqGSM49AgEGCCqGSM49AwEHBG0wawIBAQQg`;
        assert.strictEqual(r.redact(text), 'A="[redacted]" b64=[redacted] last=[redacted] body=[redacted]');
        assert.strictEqual(r.redact("-----END PRIVATE KEY-----"), "-----END PRIVATE KEY-----");
    });

    it("a secret pasted where the ARN belongs is never echoed", () => {
        const { problems } = parseSecretsConf("env#API_KEY#sk-live-0123456789abcdef\n");
        assert.deepStrictEqual(problems, [
            "secrets.conf:1: the third field (not shown) is not a Secrets Manager secret ARN (arn:<partition>:secretsmanager:<region>:<account>:secret:<name>)",
        ]);
    });

    it("a key segment over 255 bytes is named as such", () => {
        const { keyProblem } = require("../../agent/src/source") as typeof import("../../agent/src/source");
        assert.strictEqual(
            keyProblem(`conf.d/${"é".repeat(128)}`),
            "has a path segment longer than 255 bytes, the longest file name Linux allows",
        );
    });
});

describe("agent durable writes", () => {
    it("a full disk names the file being written, and leaves no temp file behind", () => {
        const dir = fs.mkdtempSync(path.join(os.tmpdir(), "orglog-enospc-"));
        let full: unknown;
        try {
            fs.writeFileSync("/dev/full", "x"); // the kernel's own ENOSPC, which names no path
        } catch (err) {
            full = err;
        }
        assert.strictEqual((full as NodeJS.ErrnoException).code, "ENOSPC");
        const nodeFs = require("fs") as { writeFileSync: unknown }; // the module object itself, which the agent's code calls
        const write = nodeFs.writeFileSync;
        const target = path.join(dir, "journal.json");
        try {
            nodeFs.writeFileSync = () => {
                throw full;
            };
            assert.throws(
                () => replaceFileDurable(target, "{}\n"),
                (err: unknown) => errorName(err) === `ENOSPC on ${target}.${process.pid}.tmp`,
            );
        } finally {
            nodeFs.writeFileSync = write;
        }
        assert.deepStrictEqual(fs.readdirSync(dir), []);
        fs.rmSync(dir, { recursive: true, force: true });
    });

    it("removes the journal's temp files of earlier failed writes, and nothing else", () => {
        const dir = fs.mkdtempSync(path.join(os.tmpdir(), "orglog-journal-"));
        for (const name of ["journal.json.4242.tmp", "journal.json.7.tmp", "journal.json", "state.json.9.tmp", "generations"]) {
            fs.writeFileSync(path.join(dir, name), "x");
        }
        new JournalFile(dir).removeLeftovers();
        assert.deepStrictEqual(fs.readdirSync(dir).sort(), ["generations", "journal.json", "state.json.9.tmp"]);
        fs.rmSync(dir, { recursive: true, force: true });
    });
});
