// Reading IAM, bucket and key policy documents the way users write them: JSON text or objects,
// single values or arrays, rendered by aws.iam.getPolicyDocument or written by hand.

export interface NormalizedStatement {
    sid?: string;
    effect: "Allow" | "Deny";
    actions: string[];
    /** True when the statement uses NotAction: it covers every action not listed. */
    notAction: boolean;
    resources: string[];
    notResource: boolean;
    /** `*` when the principal is everyone; otherwise principal values keyed by type (Service, AWS, Federated). */
    principals: "*" | Record<string, string[]>;
    conditions: Record<string, Record<string, string[]>>;
    /** The statement as written, for messages. */
    raw: Record<string, unknown>;
}

/** True for values that are not known yet during a preview (outputs of resources not created). */
export function isUnknown(value: unknown): boolean {
    return value === undefined || value === null || (typeof value === "string" && value.includes("04da6b54-80e4-46f7-96ec-b56ff0331ba9"));
}

const list = (value: unknown): string[] =>
    value === undefined || value === null ? [] : (Array.isArray(value) ? value : [value]).map((v) => String(v));

/**
 * Parses a policy document. Returns undefined when the document (or part of it) is not known yet,
 * so that a preview never reports a violation on values it cannot see.
 */
export function parsePolicy(policy: unknown): NormalizedStatement[] | undefined {
    if (isUnknown(policy)) {
        return undefined;
    }
    let doc: any = policy;
    if (typeof policy === "string") {
        try {
            doc = JSON.parse(policy);
        } catch {
            return undefined;
        }
    }
    if (!doc || typeof doc !== "object") {
        return undefined;
    }
    const statements = Array.isArray(doc.Statement) ? doc.Statement : doc.Statement ? [doc.Statement] : [];
    return statements.map((s: any) => normalizeStatement(s));
}

function normalizeStatement(s: any): NormalizedStatement {
    const principalField = s.Principal ?? s.NotPrincipal;
    let principals: "*" | Record<string, string[]> = {};
    if (principalField === "*" || (principalField && principalField.AWS === "*")) {
        principals = "*";
    } else if (principalField && typeof principalField === "object") {
        principals = Object.fromEntries(Object.entries(principalField).map(([k, v]) => [k, list(v)]));
    }
    const conditions: Record<string, Record<string, string[]>> = {};
    for (const [operator, entries] of Object.entries(s.Condition ?? {})) {
        conditions[operator] = Object.fromEntries(Object.entries(entries as object).map(([k, v]) => [k, list(v)]));
    }
    return {
        sid: s.Sid,
        effect: s.Effect === "Deny" ? "Deny" : "Allow",
        actions: list(s.Action ?? s.NotAction),
        notAction: s.NotAction !== undefined,
        resources: list(s.Resource ?? s.NotResource),
        notResource: s.NotResource !== undefined,
        principals,
        conditions,
        raw: s,
    };
}

/** Does an IAM action pattern (with `*` and `?`) match the action? Case-insensitive, as IAM is. */
export function actionPatternMatches(pattern: string, action: string): boolean {
    const regex = new RegExp(
        "^" + pattern.replace(/[.+^${}()|[\]\\]/g, "\\$&").replace(/\*/g, ".*").replace(/\?/g, ".") + "$",
        "i",
    );
    return regex.test(action);
}

/**
 * Does the statement allow (or deny) the action? NotAction is read conservatively: it covers the
 * action unless the action is explicitly excluded.
 */
export function statementCoversAction(statement: NormalizedStatement, action: string): boolean {
    const listed = statement.actions.some((pattern) => actionPatternMatches(pattern, action));
    return statement.notAction ? !listed : listed;
}

/** Values of a condition key under any of the given operators (keys compared case-insensitively). */
export function conditionValues(statement: NormalizedStatement, operators: string[], key: string): string[] | undefined {
    for (const operator of operators) {
        const entries = statement.conditions[operator];
        if (!entries) {
            continue;
        }
        for (const [k, v] of Object.entries(entries)) {
            if (k.toLowerCase() === key.toLowerCase()) {
                return v;
            }
        }
    }
    return undefined;
}
