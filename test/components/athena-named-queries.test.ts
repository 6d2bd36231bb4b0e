import * as assert from "assert";
import { queryShape, trinoSyntaxErrors } from "../support/trino";
import { HiveType, parseHiveType } from "../support/hive-types";

interface TableSchema {
    name: string;
    columns: Map<string, HiveType>;
    partitions: readonly string[];
    /**
     * Partitions every query must pin. The CloudTrail table's `region` is an enum of every region, so
     * a query may leave it open and still reads one account's day; every other partition is pinned.
     */
    pinned: readonly string[];
}

/** Column paths a query names that the table does not have (aliases it defines excepted). */
function unknownReferences(sql: string, schema: TableSchema): string[] {
    const shape = queryShape(sql);
    const unknown: string[] = [];
    for (const parts of shape.references) {
        if (parts.length === 1 && shape.aliases.includes(parts[0])) {
            continue;
        }
        let type: HiveType | undefined = schema.columns.get(parts[0]);
        for (const field of parts.slice(1)) {
            type = type?.kind === "struct" ? type.fields.get(field) : undefined;
        }
        if (!type) {
            unknown.push(parts.join("."));
        }
    }
    return unknown;
}

/** Partition columns a query does not pin with `column = ?` (or a literal) as a top-level AND term. */
function unconstrainedPartitions(sql: string, schema: TableSchema): string[] {
    const shape = queryShape(sql);
    assert.strictEqual(shape.selects, 1, "one SELECT block (the WHERE clause then bounds the whole scan)");
    assert.strictEqual(shape.whereConjuncts.length, 1, "one WHERE clause");
    const terms = shape.whereConjuncts[0];
    return schema.pinned.filter((column) => !terms.some((t) => new RegExp(`^"?${column}"?=(\\?|'[^']*')$`).test(t)));
}

describe("components: saved Athena queries", () => {
    let tables: Array<{ schema: TableSchema; queries: Array<{ id: string; sql: string }> }>;
    before(async () => {
        const ct = await import("../../components/athena-cloudtrail-table");
        const { CLOUDTRAIL_COLUMNS } = await import("../../components/internal/cloudtrail-record-format");
        const app = await import("../../components/athena-application-logs-table");
        const elb = await import("../../components/athena-elb-table");
        const { ALB_ACCESS_LOG_COLUMNS, ALB_PARTITION_KEYS } = await import("../../components/internal/alb-log-format");
        const schema = (
            name: string,
            columns: ReadonlyArray<{ name: string; type: string }>,
            partitions: readonly string[],
            pinned = partitions,
        ): TableSchema => ({
            name: `"org_logging"."${name}"`,
            columns: new Map([
                ...columns.map((c) => [c.name, parseHiveType(c.type)] as const),
                ...partitions.map((p) => [p, parseHiveType("string")] as const),
            ]),
            partitions,
            pinned,
        });
        tables = [
            {
                schema: schema("cloudtrail", CLOUDTRAIL_COLUMNS, ct.CLOUDTRAIL_PARTITION_KEYS, ["account", "day"]),
                queries: ct.cloudTrailNamedQueries({
                    database: "org_logging",
                    table: "cloudtrail",
                    breakGlassRoleName: "OrgLoggingBreakGlass",
                    archiveBucketNames: ["log-archive-trail-bucket-1a2b3c4", "o'brien-bucket"],
                }),
            },
            {
                schema: schema("application_logs", app.APPLICATION_LOG_COLUMNS, app.APPLICATION_LOG_PARTITION_KEYS),
                queries: app.applicationLogsNamedQueries({ database: "org_logging", table: "application_logs" }),
            },
            {
                schema: schema("alb_access_logs", ALB_ACCESS_LOG_COLUMNS, ALB_PARTITION_KEYS),
                queries: elb.elbNamedQueries({ database: "org_logging", table: "alb_access_logs" }),
            },
        ];
    });

    it("has every investigation the archive answers", () => {
        assert.deepStrictEqual(
            tables[0].queries.map((q) => q.id),
            [
                "root-activity",
                "console-signin-without-mfa",
                "iam-changes",
                "logging-changes",
                "access-denied-bursts",
                "access-key-activity",
                "break-glass-activity",
                "archive-bucket-changes",
            ],
        );
        assert.deepStrictEqual(
            tables[1].queries.map((q) => q.id),
            ["errors", "volume-by-task"],
        );
    });

    it("parses every query as Trino SQL (Athena engine 3)", () => {
        for (const { queries } of tables) {
            for (const q of queries) {
                assert.deepStrictEqual(trinoSyntaxErrors(q.sql), [], `${q.id}:\n${q.sql}`);
            }
        }
    });

    it("reads only its own table and references only columns (and nested fields) that table has", () => {
        for (const { schema, queries } of tables) {
            for (const q of queries) {
                assert.deepStrictEqual(queryShape(q.sql).tables, [schema.name], q.id);
                assert.deepStrictEqual(unknownReferences(q.sql, schema), [], q.id);
            }
        }
    });

    it("pins the partition columns, so a one-day question scans one day (of one account, service or load balancer account)", () => {
        for (const { schema, queries } of tables) {
            for (const q of queries) {
                assert.deepStrictEqual(unconstrainedPartitions(q.sql, schema), [], `${q.id}:\n${q.sql}`);
            }
        }
    });

    it("catches what it checks: a syntax error, an unknown nested field, a partition left open", () => {
        const schema = tables[0].schema;
        assert.notDeepStrictEqual(trinoSyntaxErrors('SELECT eventname FROM "org_logging"."cloudtrail" WHERE'), []);
        assert.deepStrictEqual(
            unknownReferences(
                `SELECT useridentity.sessioncontext.mfa, eventname AS e, e2 FROM "org_logging"."cloudtrail" WHERE account = ? AND day = ?`,
                schema,
            ),
            ["useridentity.sessioncontext.mfa", "e2"],
        );
        assert.deepStrictEqual(
            unconstrainedPartitions(`SELECT eventname FROM "org_logging"."cloudtrail" WHERE account = ? OR day = ?`, schema),
            ["account", "day"],
        );
        assert.deepStrictEqual(
            unconstrainedPartitions(`SELECT eventname FROM "org_logging"."cloudtrail" WHERE account = ? AND day > '2026/01/01'`, schema),
            ["day"],
        );
        assert.deepStrictEqual(
            unconstrainedPartitions(
                `SELECT eventname FROM "org_logging"."cloudtrail" WHERE day = ? AND (account = ? OR eventname = 'x')`,
                schema,
            ),
            ["account"],
        );
    });

    it("quotes the bucket names it embeds", () => {
        const sql = tables[0].queries.find((q) => q.id === "archive-bucket-changes")!.sql;
        assert.match(sql, /IN \('log-archive-trail-bucket-1a2b3c4', 'o''brien-bucket'\)/);
        assert.match(tables[0].queries.find((q) => q.id === "break-glass-activity")!.sql, /LIKE '%:role\/OrgLoggingBreakGlass'/);
    });
});
