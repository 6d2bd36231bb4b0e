// Reading IAM, bucket and key policy documents the way users write them: JSON text or objects,
// single values or arrays, rendered by aws.iam.getPolicyDocument or written by hand. Parts that a
// preview cannot know yet are reported as such, never guessed.
import { known, plainCopy, UNKNOWN } from "./unknown";

export interface NormalizedStatement {
    /** 1-based position in the document, for messages when there is no Sid. */
    index: number;
    sid?: string;
    effect: "Allow" | "Deny";
    actions: string[];
    /** True when the statement uses NotAction: it covers every action not listed. */
    notAction: boolean;
    resources: string[];
    /** True when the statement uses NotResource: it covers every resource not listed. */
    notResource: boolean;
    /** `*` when the principal is everyone; otherwise principal values keyed by type (Service, AWS, Federated). */
    principals: "*" | Record<string, string[]>;
    /** True when the statement uses NotPrincipal: it applies to every principal not listed. */
    notPrincipal: boolean;
    conditions: Record<string, Record<string, string[]>>;
    /** The statement as written, for messages. */
    raw: Record<string, unknown>;
}

export interface ParsedPolicy {
    /** The statements whose every part is known. */
    statements: NormalizedStatement[];
    /** True when some statements could not be read during the preview (they are not in `statements`). */
    partial: boolean;
}

const list = (value: unknown): string[] =>
    value === undefined || value === null ? [] : (Array.isArray(value) ? value : [value]).map((v) => String(v));

/**
 * Reads a policy document (JSON text or object). Returns undefined when the document is not known
 * yet or is not a policy document at all, so that a preview never reports a violation on values it
 * cannot see; statements with unknown parts are left out and `partial` is set.
 */
export function readPolicy(policy: unknown): ParsedPolicy | undefined {
    const value = known(() => policy);
    if (value === UNKNOWN || value === undefined || value === null || value === "") {
        return undefined;
    }
    let doc: unknown = value;
    if (typeof value === "string") {
        try {
            doc = JSON.parse(value);
        } catch {
            return undefined;
        }
    }
    if (!doc || typeof doc !== "object") {
        return undefined;
    }
    const rawStatements = known(() => (doc as { Statement?: unknown }).Statement);
    if (rawStatements === UNKNOWN) {
        return { statements: [], partial: true };
    }
    const entries = known(() => (Array.isArray(rawStatements) ? rawStatements.map((s) => s) : rawStatements ? [rawStatements] : []));
    if (entries === UNKNOWN) {
        return { statements: [], partial: true };
    }
    let partial = false;
    const statements: NormalizedStatement[] = [];
    entries.forEach((entry, i) => {
        const copy = plainCopy(entry);
        if (copy === UNKNOWN || !copy || typeof copy !== "object") {
            partial = partial || copy === UNKNOWN;
            return;
        }
        statements.push(normalizeStatement(copy as Record<string, unknown>, i + 1));
    });
    return { statements, partial };
}

function normalizeStatement(s: Record<string, any>, index: number): NormalizedStatement {
    const principalField = s.Principal ?? s.NotPrincipal;
    let principals: "*" | Record<string, string[]> = {};
    if (principalField === "*" || (principalField && list(principalField.AWS).includes("*"))) {
        principals = "*";
    } else if (principalField && typeof principalField === "object") {
        principals = Object.fromEntries(Object.entries(principalField).map(([k, v]) => [k, list(v)]));
    }
    const conditions: Record<string, Record<string, string[]>> = {};
    for (const [operator, entries] of Object.entries(s.Condition ?? {})) {
        conditions[operator] = Object.fromEntries(Object.entries((entries ?? {}) as object).map(([k, v]) => [k, list(v)]));
    }
    return {
        index,
        sid: typeof s.Sid === "string" && s.Sid !== "" ? s.Sid : undefined,
        effect: s.Effect === "Deny" ? "Deny" : "Allow",
        actions: list(s.Action ?? s.NotAction),
        notAction: s.NotAction !== undefined && s.Action === undefined,
        resources: list(s.Resource ?? s.NotResource),
        notResource: s.NotResource !== undefined && s.Resource === undefined,
        principals,
        notPrincipal: s.NotPrincipal !== undefined && s.Principal === undefined,
        conditions,
        raw: s,
    };
}

/** `statement "Sid"` or `statement 2` (its position), for messages. */
export function describeStatement(statement: NormalizedStatement): string {
    return statement.sid ? `statement "${statement.sid}"` : `statement ${statement.index}`;
}

/** Does a pattern with IAM wildcards (`*`, `?`) match the whole value? */
export function globMatch(pattern: string, value: string, ignoreCase = false): boolean {
    const regex = new RegExp(
        "^" +
            pattern
                .replace(/[.+^${}()|[\]\\]/g, "\\$&")
                .replace(/\*/g, ".*")
                .replace(/\?/g, ".") +
            "$",
        ignoreCase ? "is" : "s",
    );
    return regex.test(value);
}

/** Could the wildcard pattern match some value that starts with `prefix`? */
function globMayMatchPrefix(pattern: string, prefix: string, ignoreCase = false): boolean {
    const same = (a: string, b: string) => (ignoreCase ? a.toLowerCase() === b.toLowerCase() : a === b);
    for (let i = 0; i < prefix.length; i++) {
        if (i >= pattern.length) {
            return false;
        }
        if (pattern[i] === "*") {
            return true;
        }
        if (pattern[i] !== "?" && !same(pattern[i], prefix[i])) {
            return false;
        }
    }
    return true;
}

/** Does an IAM action pattern (with `*` and `?`) match the action? Case-insensitive, as IAM is. */
export function actionPatternMatches(pattern: string, action: string): boolean {
    return globMatch(pattern, action, true);
}

/**
 * Does the statement cover the action? NotAction is read conservatively: it covers the action
 * unless the action is explicitly excluded.
 */
export function statementCoversAction(statement: NormalizedStatement, action: string): boolean {
    const listed = statement.actions.some((pattern) => actionPatternMatches(pattern, action));
    return statement.notAction ? !listed : listed;
}

/** An Allow statement that covers the action. */
export function allowsAction(statement: NormalizedStatement, action: string): boolean {
    return statement.effect === "Allow" && statementCoversAction(statement, action);
}

/** Values of a condition key under any of the given operators (keys compared case-insensitively). */
export function conditionValues(statement: NormalizedStatement, operators: string[], key: string): string[] | undefined {
    for (const operator of operators) {
        for (const [op, entries] of Object.entries(statement.conditions)) {
            if (op.toLowerCase() !== operator.toLowerCase()) {
                continue;
            }
            for (const [k, v] of Object.entries(entries)) {
                if (k.toLowerCase() === key.toLowerCase()) {
                    return v;
                }
            }
        }
    }
    return undefined;
}

/**
 * Does the condition require `key` to be exactly one of `accepted` (and nothing else)? Only the
 * exact-match operators count: `...IfExists` passes when the key is absent, and a wildcard in a
 * StringLike value admits other values.
 */
export function requiresExactly(statement: NormalizedStatement, key: string, accepted: string[]): boolean {
    const equals = conditionValues(statement, ["StringEquals"], key);
    if (equals) {
        return equals.length > 0 && equals.every((v) => accepted.includes(v));
    }
    const ignoreCase = conditionValues(statement, ["StringEqualsIgnoreCase"], key);
    if (ignoreCase) {
        const lower = accepted.map((a) => a.toLowerCase());
        return ignoreCase.length > 0 && ignoreCase.every((v) => lower.includes(v.toLowerCase()));
    }
    const like = conditionValues(statement, ["StringLike"], key);
    if (like) {
        return like.length > 0 && like.every((v) => !/[*?]/.test(v) && accepted.includes(v));
    }
    return false;
}

export interface ArnParts {
    partition: string;
    service: string;
    region: string;
    account: string;
    resource: string;
}

/** Splits an ARN (which may hold wildcards) into its parts; undefined when it is not an ARN. */
export function splitArn(arn: string): ArnParts | undefined {
    const parts = arn.split(":");
    if (parts.length < 6 || parts[0] !== "arn") {
        return undefined;
    }
    return { partition: parts[1], service: parts[2], region: parts[3], account: parts[4], resource: parts.slice(5).join(":") };
}

/**
 * Could the resource pattern (`*`, an ARN, an ARN with wildcards) name a resource of `service`
 * whose resource part starts with `resourcePrefix` (`instance/`, `document/`, `secret:`)?
 */
export function resourceMayBe(pattern: string, service: string, resourcePrefix: string): boolean {
    const parts = pattern.split(":");
    const expected = ["arn", undefined, service, undefined, undefined];
    for (let i = 0; i < parts.length; i++) {
        const last = i === parts.length - 1;
        if (i >= 5) {
            // The resource part (it may itself contain colons).
            return globMayMatchPrefix(parts.slice(5).join(":"), resourcePrefix);
        }
        const want = expected[i];
        if (last) {
            // A trailing wildcard may run over the remaining parts of the ARN.
            if (!parts[i].includes("*")) {
                return false;
            }
            return want === undefined || globMayMatchPrefix(parts[i], want, true);
        }
        if (want !== undefined && !globMatch(parts[i], want, true)) {
            return false;
        }
    }
    return false;
}

/** The 12-digit account of an AWS principal (`123456789012`, `arn:aws:iam::123456789012:root`, a role ARN). */
export function principalAccount(principal: string): string | undefined {
    if (/^\d{12}$/.test(principal)) {
        return principal;
    }
    return /^arn:[^:]+:(?:iam|sts)::(\d{12}):/.exec(principal)?.[1];
}
