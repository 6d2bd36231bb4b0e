import * as assert from "assert";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { findImportCycles } from "../../tools/import-cycles";

const ROOT = path.resolve(__dirname, "../..");

describe("import cycles", () => {
    it("finds none among the repository's modules, specs and their support included", () => {
        const cycles = findImportCycles(ROOT, ["components", "infra", "policy-pack", "tools", "agent/src", "examples", "bench", "test"]);
        assert.deepStrictEqual(
            cycles.map((c) => c.join(" -> ")),
            [],
        );
    });

    it("reports a cycle made by a type-only import", () => {
        const dir = fs.mkdtempSync(path.join(os.tmpdir(), "orglog-cycles-"));
        fs.mkdirSync(path.join(dir, "src"));
        fs.writeFileSync(path.join(dir, "src", "a.ts"), 'import { b } from "./b";\nexport const a = b;\n');
        fs.writeFileSync(path.join(dir, "src", "b.ts"), 'import type { A } from "./a";\nexport const b = 1;\nexport type B = A;\n');
        fs.writeFileSync(path.join(dir, "src", "c.ts"), 'import { a } from "./a";\nexport const c = a;\n');
        assert.deepStrictEqual(findImportCycles(dir, ["src"]), [[path.join("src", "a.ts"), path.join("src", "b.ts")]]);
        fs.rmSync(dir, { recursive: true, force: true });
    });
});
