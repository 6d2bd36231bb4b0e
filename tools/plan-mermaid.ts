// `npm run plan -- --format mermaid`: the plan as a flowchart, one subgraph per account, one node per
// component (split by account when a component spans several), and the relations between accounts:
// solid edges where a resource's inputs come from a resource in another account, dotted edges where
// a resource's inputs (a policy, mostly) name another account of the plan by ARN.
import { createHash } from "crypto";
import { PlannedResource, PlanReport } from "./plan-report";

/** What the mock runtime knows about a resource beyond the report: its state and what its inputs came from. */
export interface ResourceDetails {
    urn: string;
    state?: Record<string, unknown>;
    dependencies?: string[];
    propertyDependencies?: Record<string, string[]>;
}

interface Node {
    id: string;
    account: string;
    label: string;
    count: number;
}

// Inputs are searched as JSON text, where a policy is a string with escaped quotes: stop at `\`.
const ARN = /arn:aws[a-z-]*:[a-z0-9-]+:[a-z0-9-]*:(\d{12}):[^"\\\s,\]}]*/g;
const MAX_LABELS = 3;

/** Renders the plan as a mermaid flowchart. `details` (from the mock runtime) adds the dependency edges. */
export function formatPlanMermaid(report: PlanReport, details: ResourceDetails[] = []): string {
    const byUrn = new Map(report.resources.map((r) => [r.urn, r]));
    const detailOf = new Map(details.map((d) => [d.urn, d]));
    const accountLabels = new Map<string, string>();
    for (const r of report.resources) {
        if (r.type.startsWith("pulumi:providers:") && r.account) {
            accountLabels.set(r.account, r.name.replace(/^aws-/, ""));
        }
    }

    // The unit of a resource: its outermost component below the stack, or its type when it has none.
    const unitOf = (r: PlannedResource): { key: string; label: string } => {
        let top = r;
        for (
            let parent = byUrn.get(r.parent ?? "");
            parent && parent.type !== "pulumi:pulumi:Stack";
            parent = byUrn.get(parent.parent ?? "")
        ) {
            top = parent;
        }
        return top === r
            ? { key: `type:${r.type}`, label: shortType(r.type) }
            : { key: top.urn, label: `${shortType(top.type)}<br/>${top.name}` };
    };

    const nodes = new Map<string, Node>();
    const nodeOfResource = new Map<string, Node>();
    // Custom resources carry their provider; components (remote ones under mocks too) have none.
    const managed = report.resources.filter(
        (r) => r.provider !== undefined && !r.type.startsWith("pulumi:") && r.account && r.account !== "default",
    );
    for (const r of managed) {
        const unit = unitOf(r);
        const key = `${unit.key}@${r.account}`;
        let node = nodes.get(key);
        if (!node) {
            node = { id: `n${hash(key)}`, account: r.account!, label: unit.label, count: 0 };
            nodes.set(key, node);
        }
        node.count++;
        nodeOfResource.set(r.urn, node);
        accountLabels.set(r.account!, accountLabels.get(r.account!) ?? `account ${r.account}`);
    }

    const arnOwners = new Map<string, Node>();
    for (const r of managed) {
        const arn = detailOf.get(r.urn)?.state?.arn;
        if (typeof arn === "string") {
            arnOwners.set(arn, nodeOfResource.get(r.urn)!);
        }
    }

    const edges = new Map<string, { from: string; to: string; dotted: boolean; labels: Set<string> }>();
    const addEdge = (from: Node, to: string, dotted: boolean, label: string) => {
        const key = `${from.id}>${to}>${dotted}`;
        const edge = edges.get(key) ?? { from: from.id, to, dotted, labels: new Set<string>() };
        edge.labels.add(label);
        edges.set(key, edge);
    };
    for (const r of managed) {
        const node = nodeOfResource.get(r.urn)!;
        const detail = detailOf.get(r.urn);
        const propertiesByDependency = new Map<string, string[]>();
        for (const [property, urns] of Object.entries(detail?.propertyDependencies ?? {})) {
            urns.forEach((urn) => propertiesByDependency.set(urn, [...(propertiesByDependency.get(urn) ?? []), property]));
        }
        for (const dependency of new Set([...(detail?.dependencies ?? []), ...propertiesByDependency.keys()])) {
            const target = nodeOfResource.get(dependency);
            if (target && target.account !== node.account) {
                (propertiesByDependency.get(dependency) ?? ["dependsOn"]).forEach((p) => addEdge(node, target.id, false, p));
            }
        }
        for (const [property, value] of Object.entries(r.inputs)) {
            for (const match of JSON.stringify(value ?? null).matchAll(ARN)) {
                const account = match[1];
                if (account === node.account || !accountLabels.has(account)) {
                    continue;
                }
                const owner = arnOwners.get(match[0]);
                const target = owner && owner.account === account ? owner.id : accountId(account);
                if (!edges.has(`${node.id}>${target}>false`)) {
                    addEdge(node, target, true, property);
                }
            }
        }
    }

    const lines = ["flowchart LR"];
    const accounts = [...accountLabels.keys()].sort();
    const withNodes = new Set([...nodes.values()].map((n) => n.account));
    for (const account of accounts) {
        const label = `${accountLabels.get(account)} · ${account}`;
        if (!withNodes.has(account)) {
            lines.push(`  ${accountId(account)}(["${escape(label)}"])`);
            continue;
        }
        lines.push(`  subgraph ${accountId(account)}["${escape(label)}"]`, "    direction TB");
        const inAccount = [...nodes.values()]
            .filter((n) => n.account === account)
            .sort((a, b) => a.label.localeCompare(b.label) || a.id.localeCompare(b.id));
        for (const n of inAccount) {
            lines.push(`    ${n.id}["${escape(n.label)}<br/>${n.count} resource${n.count === 1 ? "" : "s"}"]`);
        }
        lines.push("  end");
    }
    const sorted = [...edges.values()].sort((a, b) => `${a.from}${a.to}${a.dotted}`.localeCompare(`${b.from}${b.to}${b.dotted}`));
    for (const e of sorted) {
        // `dependsOn` says nothing more when the edge already names the inputs that carry the relation.
        const labels = [...e.labels].filter((l) => l !== "dependsOn" || e.labels.size === 1).sort();
        const text = labels.length > MAX_LABELS ? `${labels.slice(0, MAX_LABELS).join(", ")}, …` : labels.join(", ");
        lines.push(`  ${e.from} ${e.dotted ? "-.->" : "-->"}|"${escape(text)}"| ${e.to}`);
    }
    return lines.join("\n") + "\n";
}

/** `aws:s3/bucket:Bucket` → `s3 Bucket`; `orglog:index:OrgTrail` → `OrgTrail`. */
function shortType(type: string): string {
    const [pkg, module, name] = type.split(":");
    if (module === "index" || module === undefined) {
        return name ?? pkg;
    }
    return `${module.split("/")[0]} ${name}`;
}

function accountId(account: string): string {
    return `acct_${account}`;
}

function hash(text: string): string {
    return createHash("sha256").update(text).digest("hex").slice(0, 10);
}

/** Mermaid labels are double-quoted; quotes inside become entities. */
function escape(text: string): string {
    return text.replace(/"/g, "#quot;");
}
