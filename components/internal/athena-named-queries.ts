// The saved queries of an Athena table, one recipe for the three tables of the archive.
import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";

/** One saved query: its stable id (part of the resource name), title, description and SQL. */
export interface AthenaNamedQuerySpec {
    /** Stable id, part of the resource name. */
    id: string;
    name: string;
    description: string;
    sql: string;
}

/** A saved query that reads one set of partitions (one account's day), as its clauses. */
export interface PartitionQuery {
    /** Stable id, part of the resource name. */
    readonly id: string;
    readonly name: string;
    readonly description: string;
    /** The select list, a line each; the lines after the first are indented under it. */
    readonly select: readonly string[];
    /** Conditions besides the partitions (each `AND`ed); one may span lines. @default [] */
    readonly where?: readonly string[];
    /** @default - no GROUP BY */
    readonly groupBy?: string;
    /** @default - no HAVING */
    readonly having?: string;
    readonly orderBy: string;
    /** @default - no LIMIT */
    readonly limit?: number;
}

/** A condition of several lines, in parentheses: each line as given (indented past the `AND`), then `)` under it. */
export function parenthesized(lines: readonly string[]): string {
    return ["(", ...lines, "  )"].join("\n");
}

/**
 * The saved queries over `"<database>"."<table>"`, each pinning every column of `pinned` to a `?`
 * parameter: those are the first parameters of every query, filled in when it runs (Athena
 * parameterized queries), so a query reads the one set of partitions it is given.
 */
export function partitionQueries(
    p: { database: string; table: string; pinned: readonly string[] },
    queries: readonly PartitionQuery[],
): AthenaNamedQuerySpec[] {
    const from = `FROM "${p.database}"."${p.table}"`;
    const pinned = `WHERE ${p.pinned.map((column) => `${column} = ?`).join(" AND ")}`;
    return queries.map((q) => ({
        id: q.id,
        name: q.name,
        description: q.description,
        sql: [
            `SELECT ${q.select[0]}`,
            ...q.select.slice(1).map((line) => `       ${line}`),
            from,
            pinned,
            ...(q.where ?? []).map((condition) => `  AND ${condition}`),
            ...(q.groupBy === undefined ? [] : [`GROUP BY ${q.groupBy}`]),
            ...(q.having === undefined ? [] : [`HAVING ${q.having}`]),
            `ORDER BY ${q.orderBy}`,
            ...(q.limit === undefined ? [] : [`LIMIT ${q.limit}`]),
        ].join("\n"),
    }));
}

/**
 * Saved queries `${name}-query-<id>` of `parent` in a workgroup, each waiting for the table it names.
 * `shapes` decide which queries exist (plain values); `queries` are the same queries with their
 * final text, which may wait for outputs (a database or bucket name).
 */
export function createNamedQueries(
    name: string,
    p: {
        shapes: readonly AthenaNamedQuerySpec[];
        /** @default - the text of `shapes` */
        queries?: pulumi.Input<readonly AthenaNamedQuerySpec[]>;
        database: pulumi.Input<string>;
        workgroup: pulumi.Input<string>;
        table: aws.glue.CatalogTable;
    },
    parent: pulumi.Resource,
): Record<string, aws.athena.NamedQuery> {
    const texts = pulumi.output(p.queries ?? p.shapes);
    const queries: Record<string, aws.athena.NamedQuery> = {};
    for (const shape of p.shapes) {
        queries[shape.id] = new aws.athena.NamedQuery(
            `${name}-query-${shape.id}`,
            {
                name: shape.name,
                description: shape.description,
                database: p.database,
                workgroup: p.workgroup,
                query: texts.apply((all) => all.find((q) => q.id === shape.id)!.sql),
            },
            // The query names the table; it must exist before anyone runs the query.
            { parent, dependsOn: [p.table] },
        );
    }
    return queries;
}
