// Compares two plans (`npm run plan -- --against <earlier plan JSON>`): which resources would be
// created, deleted or updated, and for an update which inputs change. Policy documents (an input
// that is a policy object or its JSON text) are compared statement by statement. Pure: plain
// values in, plain values out.
import type { PlanChange, PlannedResource, PlanReport } from "./plan-report";

export type { PlanChange };

/** One changed value at a path: `before` absent for an added value, `after` absent for a removed one. */
export interface ValueChange {
    path: string;
    before?: unknown;
    after?: unknown;
}

/** Resources compared: everything the program manages (reads are looked up, never created or deleted). */
function managed(report: Pick<PlanReport, "resources">): Map<string, PlannedResource> {
    return new Map(report.resources.filter((r) => !r.read).map((r) => [r.urn, r]));
}

/**
 * What would change going from `before` to `after`, in the order of `after`'s resources (deletes
 * last, in `before`'s order). A resource is updated when an input or its provider differs.
 */
export function diffPlans(before: Pick<PlanReport, "resources">, after: Pick<PlanReport, "resources">): PlanChange[] {
    const earlier = managed(before);
    const later = managed(after);
    const changes: PlanChange[] = [];
    for (const [urn, resource] of later) {
        const old = earlier.get(urn);
        if (!old) {
            changes.push({ urn, action: "create", paths: [] });
            continue;
        }
        const paths = resourceChanges(old, resource).map((c) => c.path);
        if (paths.length > 0) {
            changes.push({ urn, action: "update", paths });
        }
    }
    for (const urn of earlier.keys()) {
        if (!later.has(urn)) {
            changes.push({ urn, action: "delete", paths: [] });
        }
    }
    return changes;
}

/** The changed values of one resource: its inputs, and `provider` when it moves to another provider. */
export function resourceChanges(before: PlannedResource, after: PlannedResource): ValueChange[] {
    const changes = valueChanges(before.inputs ?? {}, after.inputs ?? {}, "");
    if ((before.provider ?? "") !== (after.provider ?? "")) {
        changes.push({ path: "provider", before: before.provider, after: after.provider });
    }
    return changes;
}

/** `name`, `tags.Environment`, `ingress[0]`, `conditions["aws:SourceArn"]`. */
function childPath(parent: string, key: string | number): string {
    if (typeof key === "number") {
        return `${parent}[${key}]`;
    }
    if (/^[A-Za-z_$][\w$]*$/.test(key)) {
        return parent === "" ? key : `${parent}.${key}`;
    }
    return `${parent}[${JSON.stringify(key)}]`;
}

function isObject(value: unknown): value is Record<string, unknown> {
    return value !== null && typeof value === "object" && !Array.isArray(value);
}

/** A policy document (bucket, key, topic, trust, inline, SCP content), or undefined when `value` is none. */
export function asPolicyDocument(value: unknown): { document: Record<string, unknown>; statements: Record<string, unknown>[] } | undefined {
    let document: unknown = value;
    if (typeof value === "string") {
        const text = value.trim();
        if (!text.startsWith("{")) {
            return undefined;
        }
        try {
            document = JSON.parse(text);
        } catch {
            return undefined;
        }
    }
    if (!isObject(document) || !("Statement" in document)) {
        return undefined;
    }
    const statement = document.Statement;
    const statements = Array.isArray(statement) ? statement : [statement];
    if (!statements.every(isObject)) {
        return undefined;
    }
    return { document, statements: statements as Record<string, unknown>[] };
}

function sameValue(a: unknown, b: unknown): boolean {
    return canonical(a) === canonical(b);
}

/** JSON with object keys sorted: key order never counts as a change. */
function canonical(value: unknown): string {
    return (
        JSON.stringify(value, (_key, v) =>
            isObject(v) ? Object.fromEntries(Object.entries(v).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))) : v,
        ) ?? "undefined"
    );
}

/** The changed leaves between two values; policy documents statement by statement. */
export function valueChanges(before: unknown, after: unknown, path: string): ValueChange[] {
    if (sameValue(before, after)) {
        return [];
    }
    const policyBefore = asPolicyDocument(before);
    const policyAfter = asPolicyDocument(after);
    if (policyBefore && policyAfter) {
        return policyChanges(policyBefore, policyAfter, path);
    }
    if (typeof before === "string" || typeof after === "string") {
        // A policy that appears or disappears, or plain text.
        return [leafChange(path, before, after)];
    }
    if (isObject(before) && isObject(after)) {
        const keys = [...new Set([...Object.keys(before), ...Object.keys(after)])];
        return keys.flatMap((key) => valueChanges(before[key], after[key], childPath(path, key)));
    }
    if (Array.isArray(before) && Array.isArray(after)) {
        const length = Math.max(before.length, after.length);
        return Array.from({ length }, (_, i) => valueChanges(before[i], after[i], childPath(path, i))).flat();
    }
    return [leafChange(path, before, after)];
}

function leafChange(path: string, before: unknown, after: unknown): ValueChange {
    return { path: path || "(value)", ...(before === undefined ? {} : { before }), ...(after === undefined ? {} : { after }) };
}

/** `Statement["OrgTrailWrite"]`, or `Statement[2]` for a statement without a Sid. */
function statementPath(path: string, statement: Record<string, unknown>, index: number): string {
    const prefix = path === "" ? "Statement" : `${path}.Statement`;
    return typeof statement.Sid === "string" && statement.Sid !== ""
        ? `${prefix}[${JSON.stringify(statement.Sid)}]`
        : `${prefix}[${index}]`;
}

/**
 * Statements are matched by `Sid`; statements without one first by equal content (a statement that
 * only moved is unchanged), then by position among the remaining ones.
 */
function policyChanges(
    before: { document: Record<string, unknown>; statements: Record<string, unknown>[] },
    after: { document: Record<string, unknown>; statements: Record<string, unknown>[] },
    path: string,
): ValueChange[] {
    const changes: ValueChange[] = [];
    const { Statement: _b, ...restBefore } = before.document;
    const { Statement: _a, ...restAfter } = after.document;
    changes.push(...valueChanges(restBefore, restAfter, path));

    const sid = (s: Record<string, unknown>) => (typeof s.Sid === "string" && s.Sid !== "" ? s.Sid : undefined);
    const bySid = new Map(before.statements.filter((s) => sid(s)).map((s) => [sid(s) as string, s]));
    const unnamedBefore = before.statements.map((s, i) => ({ s, i })).filter(({ s }) => !sid(s));
    const unnamedAfter = after.statements.map((s, i) => ({ s, i })).filter(({ s }) => !sid(s));

    after.statements.forEach((statement, index) => {
        const name = sid(statement);
        if (name === undefined) {
            return;
        }
        const old = bySid.get(name);
        const at = statementPath(path, statement, index);
        if (!old) {
            changes.push({ path: at, after: statement });
        } else {
            changes.push(...valueChanges(old, statement, at));
        }
    });
    before.statements.forEach((statement, index) => {
        const name = sid(statement);
        if (name !== undefined && !after.statements.some((s) => sid(s) === name)) {
            changes.push({ path: statementPath(path, statement, index), before: statement });
        }
    });

    // Unnamed statements: those present on both sides unchanged drop out, the rest pair by position.
    const remainingBefore = unnamedBefore.filter(({ s }) => {
        const twin = unnamedAfter.findIndex(({ s: t }) => sameValue(s, t));
        if (twin >= 0) {
            unnamedAfter.splice(twin, 1);
            return false;
        }
        return true;
    });
    const pairs = Math.max(remainingBefore.length, unnamedAfter.length);
    for (let k = 0; k < pairs; k++) {
        const old = remainingBefore[k];
        const now = unnamedAfter[k];
        if (old && now) {
            changes.push(...valueChanges(old.s, now.s, statementPath(path, now.s, now.i)));
        } else if (now) {
            changes.push({ path: statementPath(path, now.s, now.i), after: now.s });
        } else if (old) {
            changes.push({ path: statementPath(path, old.s, old.i), before: old.s });
        }
    }
    return changes;
}

/** A value for one line of text: JSON, cut to `max` characters. */
function shown(value: unknown, max = 100): string {
    const text = JSON.stringify(value) ?? "undefined";
    return text.length > max ? `${text.slice(0, max - 1)}…` : text;
}

/**
 * The comparison as text: a headline with the counts, then one line per resource (`+` create,
 * `-` delete, `~` update) and, for an update, one line per changed value with before → after.
 */
export function formatPlanChanges(
    changes: PlanChange[],
    before: Pick<PlanReport, "resources">,
    after: Pick<PlanReport, "resources" | "stack">,
    against: string,
): string {
    const count = (action: PlanChange["action"]) => changes.filter((c) => c.action === action).length;
    const lines = [
        `Changes against ${against} (stack ${after.stack}): ${count("create")} to create, ${count("delete")} to delete, ${count("update")} to update`,
    ];
    if (changes.length === 0) {
        lines.push("  no differences");
    }
    const earlier = managed(before);
    const later = managed(after);
    const mark = { create: "+", delete: "-", update: "~" } as const;
    for (const change of changes) {
        const resource = later.get(change.urn) ?? earlier.get(change.urn);
        const where = resource?.account ? `  (account ${resource.account})` : "";
        lines.push(`  ${mark[change.action]} ${resource?.type ?? ""} ${resource?.name ?? change.urn}${where}`);
        if (change.action === "update") {
            const old = earlier.get(change.urn) as PlannedResource;
            const now = later.get(change.urn) as PlannedResource;
            for (const value of resourceChanges(old, now)) {
                const text =
                    value.before === undefined
                        ? `added ${shown(value.after)}`
                        : value.after === undefined
                          ? `removed ${shown(value.before)}`
                          : `${shown(value.before)} → ${shown(value.after)}`;
                lines.push(`      ${value.path}: ${text}`);
            }
        }
    }
    return lines.join("\n") + "\n";
}

/** An earlier plan document: a `--json` plan, or a problem naming what is wrong with it. */
export function readEarlierPlan(text: string): Pick<PlanReport, "resources" | "stack"> {
    let doc: unknown;
    try {
        doc = JSON.parse(text);
    } catch (err) {
        throw new Error(
            `not JSON (${(err as Error).message}); save the earlier plan with npm run plan -- --stack <name> --json > plan.json`,
        );
    }
    if (!isObject(doc) || !Array.isArray(doc.resources) || typeof doc.stack !== "string") {
        throw new Error(
            "not a plan document (no `stack` and `resources`); save the earlier plan with npm run plan -- --stack <name> --json > plan.json",
        );
    }
    const bad = doc.resources.findIndex((r) => !isObject(r) || typeof r.urn !== "string" || !isObject(r.inputs));
    if (bad >= 0) {
        throw new Error(
            `resources[${bad}] has no \`urn\` and \`inputs\`; save the earlier plan with npm run plan -- --stack <name> --json > plan.json`,
        );
    }
    return doc as unknown as Pick<PlanReport, "resources" | "stack">;
}
