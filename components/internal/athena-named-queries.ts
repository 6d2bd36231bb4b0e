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

/**
 * Saved queries `${name}-query-<id>` of `parent` in a workgroup, each waiting for the table it names.
 * `shapes` decide which queries exist (plain values); `sql` gives each one's final text, which may
 * wait for outputs (a database or bucket name).
 */
export function createNamedQueries(
    name: string,
    p: {
        shapes: readonly AthenaNamedQuerySpec[];
        sql: (id: string) => pulumi.Input<string>;
        database: pulumi.Input<string>;
        workgroup: pulumi.Input<string>;
        table: aws.glue.CatalogTable;
    },
    parent: pulumi.Resource,
): Record<string, aws.athena.NamedQuery> {
    const queries: Record<string, aws.athena.NamedQuery> = {};
    for (const shape of p.shapes) {
        queries[shape.id] = new aws.athena.NamedQuery(
            `${name}-query-${shape.id}`,
            { name: shape.name, description: shape.description, database: p.database, workgroup: p.workgroup, query: p.sql(shape.id) },
            // The query names the table; it must exist before anyone runs the query.
            { parent, dependsOn: [p.table] },
        );
    }
    return queries;
}
