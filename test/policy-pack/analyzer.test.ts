// The pack as the Pulumi CLI runs it: packed with `npm pack`, installed in a clean folder from its
// own lockfile with `npm ci --offline` (the npm cache the root's `npm ci` filled is enough), started
// with @pulumi/pulumi's run-policy-pack and driven over @pulumi/policy's analyzer gRPC protocol
// (GetAnalyzerInfo, Configure, Analyze, AnalyzeStack). Its verdicts over the production plan and
// fixture programs must be the offline runner's (tools/policy-runner.ts), violation by violation.
//
// The pack is transpiled in the clean folder before it starts: the CLI would type-check it with
// ts-node on every start (tens of seconds here); `npm run typecheck` checks the same sources with
// the same compiler options (policy-pack/tsconfig.json).
import * as assert from "assert";
import { execFileSync } from "child_process";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { policies } from "../../policy-pack/policies";
import { recordedResources, RecordedResource } from "../../tools/mock-runtime";
import { plan } from "../../tools/plan";
import { PACK_DIR, packLockText } from "../../tools/policy-pack-lock";
import type { Violation } from "../../tools/policy-runner";
import { Analyzer, sortedViolations, startAnalyzer } from "../support/analyzer";
import { ROOT } from "../support/harness";

const FIXTURES = path.join(ROOT, "test/fixtures/programs");
/** Fixtures of resource rules, stack rules (joins by bucket) and the reference check. */
const FIXTURE_CASES = [
    ...fs.readdirSync(path.join(FIXTURES, "iam-policy-valid")).map((c) => `iam-policy-valid/${c}`),
    ...[
        "s3-bucket-owner-full-control",
        "ssm-send-command-tag-scoped",
        "secret-naming-convention",
        "s3-default-encryption",
        "s3-public-access-block",
    ].map((rule) => `${rule}/${fs.readdirSync(path.join(FIXTURES, rule)).sort()[0]}`),
];

/** Transpiles every .ts file of the pack (not its node_modules) next to itself under `out`. */
function transpilePack(packDir: string, out: string): void {
    const ts = require(path.join(packDir, "node_modules/typescript")) as typeof import("typescript");
    const options = ts.parseJsonConfigFileContent(
        JSON.parse(fs.readFileSync(path.join(packDir, "tsconfig.json"), "utf8")),
        ts.sys,
        packDir,
    ).options;
    const walk = (dir: string) => {
        for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
            const file = path.join(dir, entry.name);
            if (entry.isDirectory() && entry.name !== "node_modules" && file !== out) {
                walk(file);
            } else if (entry.isFile() && entry.name.endsWith(".ts")) {
                const target = path.join(out, path.relative(packDir, file)).replace(/\.ts$/, ".js");
                fs.mkdirSync(path.dirname(target), { recursive: true });
                fs.writeFileSync(
                    target,
                    ts.transpileModule(fs.readFileSync(file, "utf8"), { compilerOptions: options, fileName: file }).outputText,
                );
            }
        }
    };
    walk(packDir);
}

describe("policy-pack, packed and run through the analyzer gRPC server", function () {
    this.timeout(180_000);
    let work: string;
    let packDir: string;
    let packedFiles: string[];
    let analyzer: Analyzer;
    const offline = new Map<string, { resources: RecordedResource[]; violations: Violation[] }>();
    const timings: Record<string, number> = {};
    const timed = async <T>(label: string, run: () => Promise<T> | T): Promise<T> => {
        const start = Date.now();
        try {
            return await run();
        } finally {
            timings[label] = Date.now() - start;
        }
    };

    before(async function () {
        work = fs.mkdtempSync(path.join(os.tmpdir(), "org-logging-pack-"));
        await timed("npm pack", () => {
            const [packed] = JSON.parse(
                execFileSync("npm", ["pack", "--json", "--pack-destination", work], { cwd: PACK_DIR, encoding: "utf8" }),
            );
            packedFiles = packed.files.map((f: { path: string }) => f.path);
            execFileSync("tar", ["xzf", path.join(work, packed.filename), "-C", work]);
        });
        packDir = path.join(work, "package");
        // npm never packs package-lock.json: the lockfile travels next to the tarball.
        fs.copyFileSync(path.join(PACK_DIR, "package-lock.json"), path.join(packDir, "package-lock.json"));
        await timed("npm ci --offline", () =>
            execFileSync("npm", ["ci", "--offline", "--ignore-scripts", "--no-audit", "--no-fund", "--loglevel=error"], {
                cwd: packDir,
                encoding: "utf8",
            }),
        );
        await timed("transpile", () => transpilePack(packDir, path.join(packDir, "dist")));
        const starting = timed("analyzer start", () => startAnalyzer(packDir, "dist"));
        // Plans run in this process meanwhile, as the offline plan does.
        await timed("offline plans", async () => {
            for (const [key, program, stack] of [
                ["production", ROOT, "production"],
                ...FIXTURE_CASES.map((c) => [c, path.join(FIXTURES, c), "production"]),
            ] as const) {
                const report = await plan({ stack, program, json: true });
                offline.set(key, { resources: recordedResources().filter((r) => !r.read), violations: report.violations });
            }
        });
        analyzer = await starting;
        await analyzer.configureDefaults();
    });

    after(() => {
        analyzer?.stop();
        if (work) {
            fs.rmSync(work, { recursive: true, force: true });
        }
        process.stderr.write(
            `      (${Object.entries(timings)
                .map(([k, v]) => `${k} ${(v / 1000).toFixed(1)} s`)
                .join(", ")})\n`,
        );
    });

    it("packs the manifest, the pack's config, its sources and tsconfig; the committed lockfile is the root's tree for the pack", () => {
        for (const file of [
            "package.json",
            "PulumiPolicy.yaml",
            "index.ts",
            "policies.ts",
            "tsconfig.json",
            ...policies.map((p) => `rules/${p.name}.ts`),
        ]) {
            assert.ok(packedFiles.includes(file), `${file} is not in the package`);
        }
        assert.ok(!packedFiles.some((f) => f.startsWith("node_modules/")));
        assert.strictEqual(
            fs.readFileSync(path.join(PACK_DIR, "package-lock.json"), "utf8"),
            packLockText(),
            "run node -r ./tools/register-ts.js tools/policy-pack-lock.ts",
        );
        const manifest = JSON.parse(fs.readFileSync(path.join(PACK_DIR, "package.json"), "utf8"));
        for (const [name, version] of Object.entries(manifest.dependencies as Record<string, string>)) {
            assert.strictEqual(
                JSON.parse(fs.readFileSync(path.join(packDir, "node_modules", name, "package.json"), "utf8")).version.replace(/^v/, ""),
                version,
                name,
            );
        }
    });

    it("the analyzer serves every policy of the pack with its enforcement level", () => {
        assert.deepStrictEqual(
            analyzer.policies.map((p) => [p.name, p.enforcementLevel]),
            policies.map((p) => [p.name, p.enforcementLevel]),
        );
        assert.ok(
            analyzer.policies.some((p) => Object.keys(p.defaults).length > 0),
            "config schema defaults reach Configure",
        );
    });

    it("production: the analyzer finds what the offline runner finds (nothing)", async () => {
        const { resources, violations } = offline.get("production")!;
        assert.ok(resources.length > 100);
        assert.deepStrictEqual(violations, []);
        assert.deepStrictEqual(sortedViolations(await analyzer.analyze(resources)), []);
    });

    for (const fixture of FIXTURE_CASES) {
        it(`${fixture}: the analyzer finds exactly the offline runner's violations`, async () => {
            const { resources, violations } = offline.get(fixture)!;
            assert.ok(
                violations.some((v) => v.policy === fixture.split("/")[0] && v.enforcementLevel === "mandatory"),
                JSON.stringify(violations),
            );
            assert.deepStrictEqual(sortedViolations(await analyzer.analyze(resources)), sortedViolations(violations));
        });
    }
});
