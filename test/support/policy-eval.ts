// A small evaluator of resource policies for builder specs: Allow/Deny statements, Principal "*" or
// AWS principals, the condition operators our policies use, and policy variables in Resource.
// It answers "does this policy alone allow the request", as AWS evaluates one resource policy.

export interface EvalRequest {
    action: string;
    resource: string;
    /** The request context: aws:PrincipalArn, aws:PrincipalAccount, aws:PrincipalOrgID, s3:x-amz-acl, ... */
    context: Record<string, string | undefined>;
    /** The calling principal as a resource policy names it (account root or role ARN). */
    principal?: string;
    service?: string;
}

const glob = (pattern: string, value: string, ignoreCase = false) => {
    const re = new RegExp(
        `^${pattern
            .split(/([*?])/)
            .map((part) => (part === "*" ? ".*" : part === "?" ? "." : part.replace(/[.+^${}()|[\]\\/]/g, "\\$&")))
            .join("")}$`,
        ignoreCase ? "i" : "",
    );
    return re.test(value);
};

const list = (v: unknown): string[] => (v === undefined ? [] : Array.isArray(v) ? v.map(String) : [String(v)]);

/** Replaces `${key}` policy variables with the request's context; an absent key makes the resource unmatched. */
function substitute(pattern: string, context: EvalRequest["context"]): string | undefined {
    let missing = false;
    const out = pattern.replace(/\$\{([^}]+)\}/g, (_, key: string) => {
        const value = Object.entries(context).find(([k]) => k.toLowerCase() === key.toLowerCase())?.[1];
        if (value === undefined) {
            missing = true;
        }
        return value ?? "";
    });
    return missing ? undefined : out;
}

function conditionHolds(operator: string, key: string, expected: string[], context: EvalRequest["context"]): boolean {
    const actual = Object.entries(context).find(([k]) => k.toLowerCase() === key.toLowerCase())?.[1];
    const ifExists = operator.endsWith("IfExists");
    const op = ifExists ? operator.slice(0, -"IfExists".length) : operator;
    if (op === "Null") {
        return expected.every((e) => (e === "true") === (actual === undefined));
    }
    if (actual === undefined) {
        return ifExists || op.startsWith("StringNot") || op.startsWith("ArnNot");
    }
    switch (op) {
        case "StringEquals":
        case "ArnEquals":
            return expected.includes(actual);
        case "StringNotEquals":
        case "ArnNotEquals":
            return !expected.includes(actual);
        case "StringLike":
        case "ArnLike":
            return expected.some((e) => glob(e, actual));
        case "StringNotLike":
        case "ArnNotLike":
            return !expected.some((e) => glob(e, actual));
        case "Bool":
            return expected.includes(actual);
        default:
            throw new Error(`policy-eval: operator ${operator} not supported`);
    }
}

function matches(statement: Record<string, any>, request: EvalRequest): boolean {
    const principal = statement.Principal;
    const principalOk =
        principal === "*" ||
        (request.principal !== undefined && list(principal?.AWS).some((p) => p === "*" || p === request.principal)) ||
        (request.service !== undefined && list(principal?.Service).includes(request.service));
    if (!principalOk) {
        return false;
    }
    if (!list(statement.Action).some((a) => glob(a, request.action, true))) {
        return false;
    }
    const resources = list(statement.Resource).map((r) => substitute(r, request.context));
    if (!resources.some((r) => r !== undefined && glob(r, request.resource))) {
        return false;
    }
    for (const [operator, entries] of Object.entries((statement.Condition ?? {}) as Record<string, Record<string, unknown>>)) {
        for (const [key, values] of Object.entries(entries)) {
            if (!conditionHolds(operator, key, list(values), request.context)) {
                return false;
            }
        }
    }
    return true;
}

/** Allowed by this policy alone: some Allow statement matches and no Deny does. */
export function policyAllows(policy: { Statement: Array<Record<string, any>> } | any, request: EvalRequest): boolean {
    const statements = policy.Statement as Array<Record<string, any>>;
    if (statements.some((s) => s.Effect === "Deny" && matches(s, request))) {
        return false;
    }
    return statements.some((s) => s.Effect === "Allow" && matches(s, request));
}
