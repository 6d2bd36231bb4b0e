// Evaluates a Glue table's partition projection the way Athena does for a given S3 object key: the
// `storage.location.template` with each `${column}` replaced by what its projection type admits.

const escape = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");

function valuePattern(column: string, p: Record<string, string>): string {
    const type = p[`projection.${column}.type`];
    switch (type) {
        case "injected":
            return "[^/]+";
        case "enum":
            return p[`projection.${column}.values`].split(",").map(escape).join("|");
        case "integer": {
            const digits = p[`projection.${column}.digits`];
            return digits ? `\\d{${digits}}` : "\\d+";
        }
        case "date":
            return escape(p[`projection.${column}.format`])
                .replace(/yyyy/g, "\\d{4}")
                .replace(/MM|dd|HH|mm/g, "\\d{2}");
        default:
            throw new Error(`projection of ${column}: unknown type ${type}`);
    }
}

/**
 * The partition values Athena would project for `s3://<bucket>/<key>`, or undefined when the key
 * lies outside every projected partition. Checks integer ranges and date formats too.
 */
export function projectedPartition(parameters: Record<string, string>, objectUrl: string): Record<string, string> | undefined {
    const template = parameters["storage.location.template"];
    const columns: string[] = [];
    const pattern = template.split(/(\$\{[a-z_]+\})/).map((part) => {
        const m = /^\$\{([a-z_]+)\}$/.exec(part);
        if (!m) {
            return escape(part);
        }
        columns.push(m[1]);
        return `(${valuePattern(m[1], parameters)})`;
    });
    const match = new RegExp(`^${pattern.join("")}/[^/]+$`).exec(objectUrl);
    if (!match) {
        return undefined;
    }
    const values = Object.fromEntries(columns.map((c, i) => [c, match[i + 1]]));
    for (const [column, value] of Object.entries(values)) {
        if (parameters[`projection.${column}.type`] === "integer") {
            const [low, high] = parameters[`projection.${column}.range`].split(",").map(Number);
            if (Number(value) < low || Number(value) > high) {
                return undefined;
            }
        }
        if (parameters[`projection.${column}.type`] === "date") {
            const [y, m, d] = value.split("/").map(Number);
            const date = new Date(Date.UTC(y, m - 1, d));
            const [first] = parameters[`projection.${column}.range`].split(",");
            if (date.getUTCDate() !== d || value < first) {
                return undefined;
            }
        }
    }
    return values;
}
