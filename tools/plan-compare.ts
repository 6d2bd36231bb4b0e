// Compares two plan JSON reports (`npm run plan -- --json`): the same resources by URN and the
// same inputs per URN. A refactoring of the components must leave both unchanged (or add an
// alias for every URN it changes), so that no deployed resource is replaced or updated.
//
//   node -r ./tools/register-ts.js tools/plan-compare.ts before.json after.json [--options]
//
// Exit 0 when URNs and inputs agree, 1 when they differ, 2 on bad input. `--options` also lists
// differences in resource options (dependsOn, protect, ...): ordering changes that do not touch
// the deployed resource but are worth reading.
import * as fs from "fs";

interface PlanResource {
    urn: string;
    inputs?: Record<string, unknown>;
    options?: Record<string, unknown>;
}

export interface PlanComparison {
    /** URNs only in the first plan. */
    removed: string[];
    /** URNs only in the second plan. */
    added: string[];
    /** URN → input keys whose values differ (or exist on one side only). */
    changedInputs: Map<string, { key: string; before: unknown; after: unknown }[]>;
    /** URN → option keys whose values differ. */
    changedOptions: Map<string, { key: string; before: unknown; after: unknown }[]>;
}

/** Reads a plan report; text before the first `{` (an npm banner) is ignored. */
export function readPlan(file: string): PlanResource[] {
    const text = fs.readFileSync(file, "utf8");
    const start = text.indexOf("{");
    if (start < 0) {
        throw new Error(`${file}: no JSON object found`);
    }
    const report = JSON.parse(text.slice(start)) as { resources?: PlanResource[] };
    if (!Array.isArray(report.resources)) {
        throw new Error(`${file}: no "resources" array`);
    }
    return report.resources;
}

function byUrn(resources: PlanResource[]): Map<string, PlanResource> {
    return new Map(resources.map((r) => [r.urn, r]));
}

function diffRecords(a: Record<string, unknown> = {}, b: Record<string, unknown> = {}) {
    const keys = [...new Set([...Object.keys(a), ...Object.keys(b)])].sort();
    return keys.filter((key) => JSON.stringify(a[key]) !== JSON.stringify(b[key])).map((key) => ({ key, before: a[key], after: b[key] }));
}

/** Options with `dependsOn` as a sorted set: the order of dependencies means nothing to the engine. */
function normalOptions(options: Record<string, unknown> = {}): Record<string, unknown> {
    const dependsOn = options.dependsOn;
    return Array.isArray(dependsOn) ? { ...options, dependsOn: [...dependsOn].sort() } : options;
}

export function comparePlans(before: PlanResource[], after: PlanResource[]): PlanComparison {
    const a = byUrn(before);
    const b = byUrn(after);
    const result: PlanComparison = { removed: [], added: [], changedInputs: new Map(), changedOptions: new Map() };
    for (const urn of a.keys()) {
        if (!b.has(urn)) {
            result.removed.push(urn);
        }
    }
    for (const urn of b.keys()) {
        if (!a.has(urn)) {
            result.added.push(urn);
        }
    }
    for (const [urn, ra] of a) {
        const rb = b.get(urn);
        if (!rb) {
            continue;
        }
        const inputs = diffRecords(ra.inputs, rb.inputs);
        if (inputs.length > 0) {
            result.changedInputs.set(urn, inputs);
        }
        const options = diffRecords(normalOptions(ra.options), normalOptions(rb.options));
        if (options.length > 0) {
            result.changedOptions.set(urn, options);
        }
    }
    return result;
}

function show(value: unknown): string {
    const text = value === undefined ? "(absent)" : JSON.stringify(value);
    return text.length > 300 ? `${text.slice(0, 300)}…` : text;
}

function main(argv: string[]): number {
    const files = argv.filter((a) => !a.startsWith("--"));
    const withOptions = argv.includes("--options");
    if (files.length !== 2) {
        process.stderr.write("usage: plan-compare <before.json> <after.json> [--options]\n");
        return 2;
    }
    let cmp: PlanComparison;
    try {
        cmp = comparePlans(readPlan(files[0]), readPlan(files[1]));
    } catch (e) {
        process.stderr.write(`plan-compare: ${(e as Error).message}\n`);
        return 2;
    }
    const lines: string[] = [];
    for (const urn of cmp.removed) {
        lines.push(`- ${urn}`);
    }
    for (const urn of cmp.added) {
        lines.push(`+ ${urn}`);
    }
    for (const [urn, diffs] of cmp.changedInputs) {
        lines.push(`~ ${urn}`);
        for (const d of diffs) {
            lines.push(`    ${d.key}: ${show(d.before)} → ${show(d.after)}`);
        }
    }
    if (withOptions) {
        for (const [urn, diffs] of cmp.changedOptions) {
            lines.push(`options ${urn}`);
            for (const d of diffs) {
                lines.push(`    ${d.key}: ${show(d.before)} → ${show(d.after)}`);
            }
        }
    }
    const same = cmp.removed.length === 0 && cmp.added.length === 0 && cmp.changedInputs.size === 0;
    lines.push(
        same
            ? `same URNs and inputs (${cmp.changedOptions.size} resources with other options)`
            : `differ: ${cmp.removed.length} removed, ${cmp.added.length} added, ${cmp.changedInputs.size} with other inputs`,
    );
    process.stdout.write(`${lines.join("\n")}\n`);
    return same ? 0 : 1;
}

if (require.main === module) {
    process.exitCode = main(process.argv.slice(2));
}
