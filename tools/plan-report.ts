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
    /** `true` for a read (`StackReference`, a resource's `get`); absent for managed resources. */
    read?: true;
}

/** One resource that differs between the earlier plan and this one (JSON contract; add fields, never rename). */
export interface PlanChange {
    urn: string;
    action: "create" | "delete" | "update";
    /** For an update, the changed input paths (`endpoint`, `policy.Statement["OrgTrailWrite"].Condition`); empty otherwise. */
    paths: string[];
}

/** The document `npm run plan -- --json` prints (JSON contract; add fields, never rename). */
export interface PlanReport {
    stack: string;
    program: string;
    resources: PlannedResource[];
    violations: Violation[];
    outputs: Record<string, unknown>;
    /** With `--against <earlier plan JSON>`: what would change from that plan to this one. */
    changes?: PlanChange[];
}

/** `1 account`, `2 accounts`. */
export function plural(count: number, noun: string): string {
    return `${count} ${noun}${count === 1 ? "" : "s"}`;
}

/** The accounts every stack has, in the order the text plan shows them (by provider label). */
const CORE_ACCOUNTS = ["management", "log-archive", "collection", "audit"];

/** Resources grouped by account, core accounts first, then the others, then resources of no account. */
function byAccount(report: PlanReport): { accounts: [string, PlannedResource[]][]; labels: Map<string, string> } {
    const accounts = new Map<string, PlannedResource[]>();
    const labels = new Map<string, string>();
    for (const r of report.resources) {
        const key = r.account ?? "(components spanning accounts)";
        accounts.set(key, [...(accounts.get(key) ?? []), r]);
        if (r.type.startsWith("pulumi:providers:") && r.account) {
            labels.set(r.account, r.name.replace(/^aws-/, ""));
        }
    }
    const rank = (account: string) => {
        const core = CORE_ACCOUNTS.indexOf(labels.get(account) ?? "");
        return core >= 0 ? core : account.startsWith("(") ? CORE_ACCOUNTS.length + 1 : CORE_ACCOUNTS.length;
    };
    // Array.prototype.sort is stable: accounts of one rank keep the order the program created them in.
    return { accounts: [...accounts].sort((a, b) => rank(a[0]) - rank(b[0])), labels };
}

/** `aws:s3/bucketPolicy:BucketPolicy` → `s3.BucketPolicy`, `orglog:index:OrgTrail` → `OrgTrail`, `pulumi:providers:aws` → `provider:aws`. */
export function shortType(type: string): string {
    if (type.startsWith("pulumi:providers:")) {
        return `provider:${type.slice("pulumi:providers:".length)}`;
    }
    const [pkg, module, name] = type.split(":");
    if (pkg === "aws" && module && name) {
        return `${module.split("/")[0]}.${name}`;
    }
    return name ?? type;
}

/** Children of one parent of the same type beyond this many are folded into one line. */
const FOLD_AT = 6;

/**
 * The default text plan: per account (core accounts first) a tree of components and their
 * children with names, as `pulumi preview` shows them; many siblings of one type fold into a count.
 */
export function formatPlanText(report: PlanReport): string {
    const { accounts, labels } = byAccount(report);
    const lines: string[] = [planHeadline(report, accounts)];
    for (const [account, resources] of accounts) {
        lines.push("", accountHeadline(account, resources, labels));
        const inAccount = new Set(resources.map((r) => r.urn));
        const children = new Map<string, PlannedResource[]>();
        const roots: PlannedResource[] = [];
        for (const r of resources) {
            if (r.parent && inAccount.has(r.parent)) {
                children.set(r.parent, [...(children.get(r.parent) ?? []), r]);
            } else {
                roots.push(r);
            }
        }
        const walk = (nodes: PlannedResource[], indent: string) => {
            const byType = new Map<string, PlannedResource[]>();
            nodes.forEach((n) => byType.set(n.type, [...(byType.get(n.type) ?? []), n]));
            for (const [type, group] of byType) {
                const leaves = group.filter((n) => !children.has(n.urn));
                if (leaves.length > FOLD_AT) {
                    lines.push(`${indent}${leaves.length} × ${shortType(type)} (${leaves[0].name} … ${leaves[leaves.length - 1].name})`);
                }
                for (const n of group) {
                    if (leaves.length > FOLD_AT && !children.has(n.urn)) {
                        continue;
                    }
                    lines.push(`${indent}${shortType(type)} ${n.name}${n.read ? " (read)" : ""}`);
                    walk(children.get(n.urn) ?? [], `${indent}  `);
                }
            }
        };
        walk(roots, "  ");
    }
    return lines.join("\n") + "\n" + formatPolicyAndOutputs(report);
}

function planHeadline(report: PlanReport, accounts: [string, PlannedResource[]][]): string {
    return `Plan of ${report.program} (stack ${report.stack}): ${plural(report.resources.length, "resource")} in ${plural(accounts.filter(([a]) => !a.startsWith("(")).length, "account")}`;
}

function accountHeadline(account: string, resources: PlannedResource[], labels: Map<string, string>): string {
    const region = resources.find((r) => r.region)?.region;
    return `Account ${account}${labels.has(account) ? ` (${labels.get(account)})` : ""}${region ? ` ${region}` : ""}: ${plural(resources.length, "resource")}`;
}

/** `--format summary`: resources by account (counts by type), then the policy report and the outputs. */
export function formatPlanSummary(report: PlanReport): string {
    const { accounts, labels } = byAccount(report);
    const lines: string[] = [planHeadline(report, accounts)];
    for (const [account, resources] of accounts) {
        lines.push("", accountHeadline(account, resources, labels));
        const counts = new Map<string, number>();
        resources.forEach((r) => counts.set(r.type, (counts.get(r.type) ?? 0) + 1));
        for (const [type, count] of [...counts].sort((a, b) => a[0].localeCompare(b[0]))) {
            lines.push(`  ${String(count).padStart(4)}  ${type}`);
        }
    }
    return lines.join("\n") + "\n" + formatPolicyAndOutputs(report);
}

/** The policy report and the outputs, shared by the text formats. */
export function formatPolicyAndOutputs(report: PlanReport): string {
    const lines: string[] = [];
    lines.push("");
    if (report.violations.length === 0) {
        lines.push("Policies: no violations");
    } else {
        const mandatory = report.violations.filter((v) => v.enforcementLevel === "mandatory").length;
        lines.push(`Policies: ${plural(report.violations.length, "violation")}, ${mandatory} mandatory`);
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
