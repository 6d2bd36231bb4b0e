import * as assert from "assert";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { loadPlanProgram } from "../../tools/plan-program";
import { ROOT } from "../support/harness";

describe("tools/plan-program (what --program plans, with which config)", () => {
    it("plans the repository as the org-logging project with its stack file", () => {
        const program = loadPlanProgram(ROOT, "production");
        assert.deepStrictEqual([program.project, program.entry], ["org-logging", path.join(ROOT, "infra", "index.ts")]);
        assert.strictEqual(program.config["org-logging:trailMode"], "organization");
        assert.deepStrictEqual(JSON.parse(program.config["org-logging:accounts"]).logArchive.id, "222222222222");
    });

    it("plans `--program infra` as the project whose Pulumi.yaml names it as main", () => {
        const program = loadPlanProgram(path.join(ROOT, "infra"), "integration");
        assert.deepStrictEqual([program.dir, program.project], [ROOT, "org-logging"]);
        assert.strictEqual(program.config["org-logging:trailMode"], "account");
    });

    it("plans a bare folder with its index.ts and no config", () => {
        const dir = fs.mkdtempSync(path.join(os.tmpdir(), "plan-bare-"));
        fs.writeFileSync(path.join(dir, "index.ts"), "export {};\n");
        const program = loadPlanProgram(dir, "production");
        assert.deepStrictEqual([program.entry, program.project, program.config], [path.join(dir, "index.ts"), path.basename(dir), {}]);
    });

    it("names the missing stack file of a project and the stacks it has, and a folder without a program", () => {
        assert.deepStrictEqual(loadPlanProgram(ROOT, "staging").missingStackFile, {
            stackFile: path.join(ROOT, "Pulumi.staging.yaml"),
            stacks: ["integration", "production"],
        });
        const empty = fs.mkdtempSync(path.join(os.tmpdir(), "plan-empty-"));
        assert.throws(() => loadPlanProgram(empty, "production"), {
            message: `${empty}: no Pulumi program found (expected index.ts, index.js or the \`main\` of Pulumi.yaml)`,
        });
    });
});
