// CloudFormation's linter on several templates in one process: cfn-lint spends most of its second
// or so loading its resource specifications, so templates are linted together, not one by one.
import * as assert from "assert";
import { spawnSync } from "child_process";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";

/** The regions templates are linted for: every region a committed stack deploys the baseline to, and us-east-1. */
export const CFN_LINT_REGIONS = ["eu-west-1", "eu-central-1", "us-east-1"] as const;

/**
 * Lints each template (label → template object) and returns its findings, one parseable line each
 * (`file:line:column:endLine:endColumn:rule:message`, the file replaced by the label). Fails, never
 * skips, when cfn-lint is not installed or cannot run.
 */
export function cfnLint(templates: Record<string, unknown>): Record<string, string[]> {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "cfn-lint-"));
    try {
        const files = Object.entries(templates).map(([label, template], i) => {
            const file = path.join(dir, `template-${i}.json`);
            fs.writeFileSync(file, JSON.stringify(template, null, 2));
            return [label, file] as const;
        });
        const run = spawnSync("cfn-lint", ["--format", "parseable", "--regions", ...CFN_LINT_REGIONS, "--", ...files.map(([, f]) => f)], {
            encoding: "utf8",
        });
        if (run.error) {
            assert.fail(`cfn-lint is required on PATH to validate CloudFormation templates (pip install cfn-lint): ${run.error.message}`);
        }
        // Exit status bits: 2 errors, 4 warnings, 8 informational findings; 1 (or a signal) means cfn-lint itself failed.
        if (run.status === null || run.status % 2 === 1) {
            assert.fail(`cfn-lint failed (status ${run.status ?? run.signal}): ${run.stdout}${run.stderr}`);
        }
        const lines = run.stdout.split("\n").filter((l) => l.trim() !== "");
        return Object.fromEntries(
            files.map(([label, file]) => [
                label,
                lines.filter((l) => l.startsWith(`${file}:`)).map((l) => `${label}${l.slice(file.length)}`),
            ]),
        );
    } finally {
        fs.rmSync(dir, { recursive: true, force: true });
    }
}
