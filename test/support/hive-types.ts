// Parses the Hive type strings Glue stores for columns (`struct<a:string,b:array<struct<...>>>`).

export type HiveType =
    | { kind: "primitive"; name: string }
    | { kind: "struct"; fields: Map<string, HiveType> }
    | { kind: "array"; element: HiveType }
    | { kind: "map"; key: HiveType; value: HiveType };

export function parseHiveType(text: string): HiveType {
    let i = 0;
    const word = () => {
        const m = /^[a-z0-9_]+/.exec(text.slice(i));
        if (!m) {
            throw new Error(`parseHiveType: expected a name at ${i} in ${text}`);
        }
        i += m[0].length;
        return m[0];
    };
    const expect = (c: string) => {
        if (text[i] !== c) {
            throw new Error(`parseHiveType: expected "${c}" at ${i} in ${text}`);
        }
        i++;
    };
    const type = (): HiveType => {
        const name = word();
        if (name === "struct") {
            expect("<");
            const fields = new Map<string, HiveType>();
            for (;;) {
                const field = word();
                expect(":");
                if (fields.has(field)) {
                    throw new Error(`parseHiveType: field ${field} twice in ${text}`);
                }
                fields.set(field, type());
                if (text[i] === ",") {
                    i++;
                    continue;
                }
                expect(">");
                return { kind: "struct", fields };
            }
        }
        if (name === "array") {
            expect("<");
            const element = type();
            expect(">");
            return { kind: "array", element };
        }
        if (name === "map") {
            expect("<");
            const key = type();
            expect(",");
            const value = type();
            expect(">");
            return { kind: "map", key, value };
        }
        return { kind: "primitive", name };
    };
    const result = type();
    if (i !== text.length) {
        throw new Error(`parseHiveType: trailing text at ${i} in ${text}`);
    }
    return result;
}

/** Every path of `value` (a JSON record) that `type` has no place for; empty when the type covers it. */
export function uncoveredPaths(value: unknown, type: HiveType, path: string): string[] {
    if (value === null || value === undefined) {
        return [];
    }
    switch (type.kind) {
        case "primitive":
            // A string column takes any JSON (the SerDe keeps nested JSON as text); others need a scalar.
            return type.name === "string" || typeof value !== "object" ? [] : [`${path} (object in a ${type.name} column)`];
        case "map":
            return typeof value === "object" && !Array.isArray(value) ? [] : [`${path} (not an object)`];
        case "array":
            return Array.isArray(value)
                ? value.flatMap((v, i) => uncoveredPaths(v, type.element, `${path}[${i}]`))
                : [`${path} (not an array)`];
        case "struct":
            if (typeof value !== "object" || Array.isArray(value)) {
                return [`${path} (not an object)`];
            }
            return Object.entries(value as Record<string, unknown>).flatMap(([key, v]) => {
                const field = type.fields.get(key.toLowerCase());
                return field ? uncoveredPaths(v, field, `${path}.${key}`) : [`${path}.${key}`];
            });
    }
}
