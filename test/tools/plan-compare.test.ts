import * as assert from "assert";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { comparePlans, readPlan } from "../../tools/plan-compare";

const r = (urn: string, inputs: Record<string, unknown>, dependsOn: string[] = []) => ({
    urn,
    inputs,
    options: { protect: false, dependsOn },
});

describe("tools/plan-compare", () => {
    it("finds removed and added URNs and changed inputs, and ignores the order of dependencies", () => {
        const before = [r("a", { x: "1" }), r("b", { y: "2" }, ["a", "c"]), r("c", { z: "3" })];
        const after = [r("a", { x: "1" }), r("b", { y: "2" }, ["c", "a"]), r("d", { z: "3" }), r("a2", {})];
        const cmp = comparePlans(before, [...after.slice(0, 2), { ...after[2] }, after[3]]);
        assert.deepStrictEqual([cmp.removed, cmp.added], [["c"], ["d", "a2"]]);
        assert.strictEqual(cmp.changedInputs.size, 0);
        assert.strictEqual(cmp.changedOptions.size, 0, "the same dependencies in another order");

        const changed = comparePlans(before, [r("a", { x: "2", w: "new" }), r("b", { y: "2" }, ["a"]), r("c", { z: "3" })]);
        assert.deepStrictEqual(changed.changedInputs.get("a"), [
            { key: "w", before: undefined, after: "new" },
            { key: "x", before: "1", after: "2" },
        ]);
        assert.deepStrictEqual(changed.changedOptions.get("b"), [{ key: "dependsOn", before: ["a", "c"], after: ["a"] }]);
    });

    it("reads a report behind npm's banner", () => {
        const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), "plan-compare-")), "plan.json");
        fs.writeFileSync(file, `\n> org-logging@0.1.0 plan\n\n${JSON.stringify({ stack: "s", resources: [r("a", {})] })}\n`);
        assert.deepStrictEqual(
            readPlan(file).map((x) => x.urn),
            ["a"],
        );
        fs.writeFileSync(file, "{}");
        assert.throws(() => readPlan(file), /no "resources" array/);
    });
});
