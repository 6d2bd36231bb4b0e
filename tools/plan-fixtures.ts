// Plans several programs in one process, exactly as `npm run plan -- --program <dir> --stack <s>
// [--policy-config <file>]` would plan each of them, and prints one JSON array with each program's
// exit status and violations. Each CLI start costs a process and a load of the SDKs (about 1 s,
// more under load); the policy pack's fixture folders are planned here in one go instead.
//
//   node -r ./tools/register-ts.js tools/plan-fixtures.ts --stack production [--policy-config <file>] <dir>...
//   node -r ./tools/register-ts.js tools/plan-fixtures.ts --stack production --under test/fixtures/programs
import * as fs from "fs";
import * as path from "path";
import { oneLine, plan } from "./plan";
import { hasMandatoryViolation, Violation } from "./policy-runner";

export interface FixturePlan {
    program: string;
    /** The exit status `npm run plan -- --program <program>` has: 0 clean, 1 mandatory violation, 2 error. */
    status: 0 | 1 | 2;
    violations: Violation[];
    error?: string;
}

/** Program folders (those with an index.ts) below `root`, skipping folders whose name starts with `_`. */
export function programFolders(root: string): string[] {
    const found: string[] = [];
    const walk = (dir: string) => {
        if (fs.existsSync(path.join(dir, "index.ts"))) {
            found.push(dir);
            return;
        }
        for (const entry of fs.readdirSync(dir, { withFileTypes: true }).sort((a, b) => a.name.localeCompare(b.name))) {
            if (entry.isDirectory() && !entry.name.startsWith("_") && entry.name !== "node_modules") {
                walk(path.join(dir, entry.name));
            }
        }
    };
    walk(path.resolve(root));
    return found;
}

export async function planPrograms(programs: string[], stack: string, policyConfig?: string): Promise<FixturePlan[]> {
    const results: FixturePlan[] = [];
    for (const program of programs.map((p) => path.resolve(p))) {
        try {
            const report = await plan({ stack, json: true, program, policyConfig });
            results.push({ program, status: hasMandatoryViolation(report.violations) ? 1 : 0, violations: report.violations });
        } catch (err) {
            results.push({ program, status: 2, violations: [], error: oneLine(err) });
        }
    }
    return results;
}

async function main(): Promise<void> {
    const argv = process.argv.slice(2);
    let stack = "production";
    let policyConfig: string | undefined;
    const programs: string[] = [];
    for (let i = 0; i < argv.length; i++) {
        const arg = argv[i];
        if (arg === "--stack") {
            stack = argv[++i];
        } else if (arg === "--policy-config") {
            policyConfig = path.resolve(argv[++i]);
        } else if (arg === "--under") {
            programs.push(...programFolders(path.resolve(argv[++i])));
        } else if (arg.startsWith("--")) {
            process.stderr.write(`plan-fixtures: unknown argument "${arg}"\n`);
            process.exitCode = 2;
            return;
        } else {
            programs.push(path.resolve(arg));
        }
    }
    // Programs may log; stdout carries exactly one JSON document.
    const write = process.stdout.write.bind(process.stdout);
    console.log = console.info = (...items: unknown[]) => process.stderr.write(items.map(String).join(" ") + "\n");
    const results = await planPrograms(programs, stack, policyConfig);
    write(JSON.stringify(results) + "\n");
}

if (require.main === module) {
    void main();
}
