// A CloudWatch Logs filter-pattern matcher for JSON log events, enough for the CIS patterns: `{ }`
// around comparisons `$.path = value` / `!=` (values bare or quoted, `*` as a wildcard), `NOT
// EXISTS`, `&&`, `||` (`&&` binds tighter) and parentheses
// (https://docs.aws.amazon.com/AmazonCloudWatch/latest/logs/FilterAndPatternSyntax.html).
type Event = Record<string, unknown>;

const TOKEN = /\s*(\(|\)|&&|\|\||\$\.[\w.]+|!=|=|NOT EXISTS|"[^"]*"|[^\s()&|=!"]+)/y;

function tokenize(text: string): string[] {
    const tokens: string[] = [];
    let at = 0;
    while (text.slice(at).trim()) {
        TOKEN.lastIndex = at;
        const match = TOKEN.exec(text);
        if (!match) {
            throw new Error(`filter pattern: cannot read "${text.slice(at)}"`);
        }
        tokens.push(match[1]);
        at = TOKEN.lastIndex;
    }
    return tokens;
}

const valueAt = (event: Event, path: string): unknown =>
    path
        .slice(2)
        .split(".")
        .reduce<unknown>((v, key) => (v && typeof v === "object" ? (v as Event)[key] : undefined), event);

const like = (pattern: string, value: string) =>
    new RegExp(
        `^${pattern
            .split("*")
            .map((p) => p.replace(/[.+?^${}()|[\]\\]/g, "\\$&"))
            .join(".*")}$`,
    ).test(value);

/** Does the JSON log event match the filter pattern? */
export function matchesFilterPattern(pattern: string, event: Event): boolean {
    const body = pattern.trim().replace(/^\{/, "").replace(/\}$/, "");
    const tokens = tokenize(body);
    let i = 0;
    const or = (): boolean => {
        let result = and();
        while (tokens[i] === "||") {
            i++;
            result = and() || result;
        }
        return result;
    };
    const and = (): boolean => {
        let result = term();
        while (tokens[i] === "&&") {
            i++;
            result = term() && result;
        }
        return result;
    };
    const term = (): boolean => {
        if (tokens[i] === "(") {
            i++;
            const result = or();
            if (tokens[i++] !== ")") {
                throw new Error(`filter pattern: missing ) in ${pattern}`);
            }
            return result;
        }
        const path = tokens[i++];
        const op = tokens[i++];
        if (op === "NOT EXISTS") {
            return valueAt(event, path) === undefined;
        }
        const raw = tokens[i++];
        const expected = raw.startsWith('"') ? raw.slice(1, -1) : raw;
        const actual = valueAt(event, path);
        const equal = actual !== undefined && like(expected, String(actual));
        return op === "=" ? equal : !equal;
    };
    const result = or();
    if (i !== tokens.length) {
        throw new Error(`filter pattern: unexpected "${tokens[i]}" in ${pattern}`);
    }
    return result;
}
