import * as assert from "assert";
import { execFileSync } from "child_process";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { runPlanCli } from "../support/cli";
import { ROOT } from "../support/harness";

const LIBRARY = "@org-logging/components";

describe("components as an npm package (packed, installed outside the repository)", function () {
    this.timeout(180000);
    let work: string;
    let tarball: string;
    let outside: string;

    before(() => {
        work = fs.mkdtempSync(path.join(os.tmpdir(), "components-pack-"));
        const staging = path.join(work, "staging");
        fs.mkdirSync(staging);
        // Built as a consumer gets it: tsc with the library's own tsconfig, into the folder npm packs.
        execFileSync(
            process.execPath,
            [
                path.join(ROOT, "node_modules/typescript/bin/tsc"),
                "-p",
                path.join(ROOT, "components/tsconfig.json"),
                "--outDir",
                path.join(staging, "dist"),
            ],
            {
                stdio: "pipe",
            },
        );
        fs.copyFileSync(path.join(ROOT, "components/package.json"), path.join(staging, "package.json"));
        const packed = JSON.parse(execFileSync("npm", ["pack", "--json", "--pack-destination", work], { cwd: staging, encoding: "utf8" }));
        tarball = path.join(work, packed[0].filename);

        // A workload project elsewhere: the example's files, the packed library installed in its
        // node_modules, and the repository's @pulumi modules linked rather than installed.
        outside = path.join(work, "workload-service");
        fs.mkdirSync(path.join(outside, "node_modules", "@org-logging"), { recursive: true });
        for (const file of ["index.ts", "config.ts", "Pulumi.yaml", "Pulumi.production.yaml", "package.json"]) {
            fs.copyFileSync(path.join(ROOT, "examples/workload-service", file), path.join(outside, file));
        }
        execFileSync("tar", ["-xzf", tarball, "-C", path.join(outside, "node_modules", "@org-logging")]);
        fs.renameSync(path.join(outside, "node_modules/@org-logging/package"), path.join(outside, "node_modules/@org-logging/components"));
        for (const dep of ["@pulumi", "zod"]) {
            fs.symlinkSync(path.join(ROOT, "node_modules", dep), path.join(outside, "node_modules", dep), "dir");
        }
    });

    after(() => fs.rmSync(work, { recursive: true, force: true }));

    it("packs built JavaScript and declarations only, with exports and peer dependencies on @pulumi/pulumi and @pulumi/aws", () => {
        const files = execFileSync("tar", ["-tzf", tarball], { encoding: "utf8" }).trim().split("\n");
        assert.ok(files.includes("package/dist/index.js") && files.includes("package/dist/index.d.ts"), files.join(" "));
        assert.ok(files.includes("package/dist/firelens-service.d.ts"));
        assert.deepStrictEqual(
            files.filter((f) => f.endsWith(".ts") && !f.endsWith(".d.ts")),
            [],
            "no TypeScript sources",
        );
        const manifest = JSON.parse(fs.readFileSync(path.join(outside, "node_modules", LIBRARY, "package.json"), "utf8"));
        assert.strictEqual(manifest.name, LIBRARY);
        assert.deepStrictEqual(Object.keys(manifest.peerDependencies).sort(), ["@pulumi/aws", "@pulumi/pulumi"]);
        assert.deepStrictEqual(manifest.exports["."], { types: "./dist/index.d.ts", default: "./dist/index.js" });
        assert.strictEqual(manifest.dependencies, undefined, "everything else it needs is Node's own");
    });

    it("the example depends on the library by name, and outside the repository that name is the packed copy", () => {
        const example = JSON.parse(fs.readFileSync(path.join(ROOT, "examples/workload-service/package.json"), "utf8"));
        assert.strictEqual(example.dependencies[LIBRARY], "file:../../components");
        const source = fs.readFileSync(path.join(ROOT, "examples/workload-service/index.ts"), "utf8");
        assert.match(source, /from "@org-logging\/components"/);
        assert.doesNotMatch(source, /\.\.\/\.\.\/components/);
        assert.strictEqual(
            require.resolve(LIBRARY, { paths: [outside] }),
            path.join(fs.realpathSync(outside), "node_modules", LIBRARY, "dist", "index.js"),
        );
    });

    it("plans the example against the packed library: exit 0, no violation, the FireLens service in the workload account", async () => {
        const run = await runPlanCli(["--program", outside, "--stack", "production", "--json"]);
        assert.strictEqual(run.status, 0, run.stderr);
        const report = JSON.parse(run.stdout);
        assert.deepStrictEqual(report.violations, []);
        const service = report.resources.filter((r: any) => r.type === "orglog:index:FireLensService");
        assert.strictEqual(service.length, 1);
        assert.strictEqual(service[0].account, "444444444444");
    });
});
