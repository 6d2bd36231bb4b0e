// The plan's report: the JSON contract of `npm run plan -- --json` and its text rendering.
import type { ResourceOptionsRecord } from "./mock-runtime";
import { Violation } from "./policy-runner";

/** One resource of the plan (JSON contract; add fields, never rename). */
export interface PlannedResource {
    urn: string;
    type: string;
    name: string;
    account?: string;
    region?: string;
    parent?: string;
    provider?: string;
    inputs: Record<string, unknown>;
    /** `{protect, retainOnDelete, ignoreChanges, deleteBeforeReplace, dependsOn}` as registered. */
    options: ResourceOptionsRecord;
}

/** The document `npm run plan -- --json` prints (JSON contract; add fields, never rename). */
export interface PlanReport {
    stack: string;
    program: string;
    resources: PlannedResource[];
    violations: Violation[];
    outputs: Record<string, unknown>;
}

/** Resources by account (counts by type), then the policy report and the outputs. */
export function formatPlanText(report: PlanReport): string {
    const lines: string[] = [];
    const accounts = new Map<string, PlannedResource[]>();
    const labels = new Map<string, string>();
    for (const r of report.resources) {
        const key = r.account ?? "(components spanning accounts)";
        accounts.set(key, [...(accounts.get(key) ?? []), r]);
        if (r.type.startsWith("pulumi:providers:") && r.account) {
            labels.set(r.account, r.name.replace(/^aws-/, ""));
        }
    }
    lines.push(`Plan of ${report.program} (stack ${report.stack}): ${report.resources.length} resources in ${[...accounts.keys()].filter((a) => !a.startsWith("(")).length} accounts`);
    for (const [account, resources] of accounts) {
        const region = resources.find((r) => r.region)?.region;
        lines.push("", `Account ${account}${labels.has(account) ? ` (${labels.get(account)})` : ""}${region ? ` ${region}` : ""}: ${resources.length} resources`);
        const counts = new Map<string, number>();
        resources.forEach((r) => counts.set(r.type, (counts.get(r.type) ?? 0) + 1));
        for (const [type, count] of [...counts].sort((a, b) => a[0].localeCompare(b[0]))) {
            lines.push(`  ${String(count).padStart(4)}  ${type}`);
        }
    }
    lines.push("");
    if (report.violations.length === 0) {
        lines.push("Policies: no violations");
    } else {
        const mandatory = report.violations.filter((v) => v.enforcementLevel === "mandatory").length;
        lines.push(`Policies: ${report.violations.length} violation(s), ${mandatory} mandatory`);
        for (const v of report.violations) {
            lines.push(`  [${v.enforcementLevel}] ${v.policy}${v.urn ? `  ${v.urn}` : ""}`, `      ${v.message}`);
        }
    }
    lines.push("", "Outputs:");
    for (const [key, value] of Object.entries(report.outputs)) {
        lines.push(`  ${key}: ${JSON.stringify(value)}`);
    }
    return lines.join("\n") + "\n";
}
