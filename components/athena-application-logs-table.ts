import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { assertNoProblems, GLUE_NAME, WithDefaults } from "./internal/validation";
import { AthenaNamedQuerySpec, createNamedQueries } from "./internal/athena-named-queries";

/**
 * Fields of a record FireLens delivers through Firehose: Fluent Bit's `log` and `source`, the ECS
 * metadata FireLens adds (`enable-ecs-log-metadata`, on by default) and the `time` the Firehose
 * output writes (`time_key time`). https://docs.aws.amazon.com/AmazonECS/latest/developerguide/using_firelens.html
 */
export const APPLICATION_LOG_COLUMNS: ReadonlyArray<{ readonly name: string; readonly type: string }> = [
    { name: "time", type: "string" },
    { name: "log", type: "string" },
    { name: "source", type: "string" },
    { name: "container_id", type: "string" },
    { name: "container_name", type: "string" },
    { name: "ecs_cluster", type: "string" },
    { name: "ecs_task_arn", type: "string" },
    { name: "ecs_task_definition", type: "string" },
];

/** Partition columns of the application-logs table, in path order. */
export const APPLICATION_LOG_PARTITION_KEYS = ["account", "service", "year", "month", "day"] as const;

export interface AthenaApplicationLogsTableArgs {
    /** The application-logs bucket FireLens delivery streams write into. */
    readonly applicationLogsBucketName: pulumi.Input<string>;
    /** Glue database the table is created in (the ALB table's database). */
    readonly databaseName: pulumi.Input<string>;
    /** Athena workgroup the saved queries belong to (the enforced workgroup). */
    readonly workgroupName: pulumi.Input<string>;
    /** Glue table name. @default "application_logs" */
    readonly tableName?: string;
    /** First year the `year` projection covers. @default 2020 */
    readonly firstYear?: number;
    /** Last year the `year` projection covers. @default 2099 */
    readonly lastYear?: number;
}

/** AthenaApplicationLogsTableArgs with every default applied, as the component uses them. */
export type ResolvedAthenaApplicationLogsTableArgs = WithDefaults<AthenaApplicationLogsTableArgs, "tableName" | "firstYear" | "lastYear">;

/**
 * Applies the defaults of the Args (each once) and checks them; throws one `pulumi.ResourceError`
 * listing every problem, one per line (at `parent`, the component, when given).
 */
export function resolveAthenaApplicationLogsTableArgs(
    args: AthenaApplicationLogsTableArgs,
    parent?: pulumi.Resource,
): ResolvedAthenaApplicationLogsTableArgs {
    const resolved: ResolvedAthenaApplicationLogsTableArgs = {
        ...args,
        tableName: args.tableName ?? "application_logs",
        firstYear: args.firstYear ?? 2020,
        lastYear: args.lastYear ?? 2099,
    };
    const problems: string[] = [];
    if (args.tableName !== undefined && !GLUE_NAME.test(args.tableName)) {
        problems.push(
            `\`tableName\` ("${args.tableName}") is not a Glue name Athena can query. Use 1-255 lower-case letters, digits and "_"`,
        );
    }
    const firstYear = resolved.firstYear;
    const lastYear = resolved.lastYear;
    if (!Number.isInteger(firstYear) || !Number.isInteger(lastYear) || firstYear < 2000 || lastYear > 9999 || firstYear > lastYear) {
        problems.push(
            `\`firstYear\`..\`lastYear\` (${firstYear}..${lastYear}) is not a range of years. Use whole years from 2000 with firstYear <= lastYear`,
        );
    }
    assertNoProblems("AthenaApplicationLogsTable", problems, parent);
    return resolved;
}

/**
 * The table's properties for partition projection over
 * `firelens/<account id>/<service>/year=YYYY/month=MM/day=DD/`. `account` and `service` are injected:
 * a query names them, so no list of accounts or services exists to keep up to date.
 */
export function applicationLogsPartitionProjection(p: { bucketName: string; firstYear: number; lastYear: number }): Record<string, string> {
    return {
        EXTERNAL: "TRUE",
        classification: "json",
        // Logs past the lifecycle's Glacier transition are skipped unless restored; restored ones are read.
        // https://docs.aws.amazon.com/athena/latest/ug/querying-glacier.html
        read_restored_glacier_objects: "true",
        "projection.enabled": "true",
        "projection.account.type": "injected",
        "projection.service.type": "injected",
        "projection.year.type": "integer",
        "projection.year.range": `${p.firstYear},${p.lastYear}`,
        "projection.month.type": "integer",
        "projection.month.range": "1,12",
        "projection.month.digits": "2",
        "projection.day.type": "integer",
        "projection.day.range": "1,31",
        "projection.day.digits": "2",
        // Firehose writes the day from the record's arrival time (UTC), as `!{timestamp:yyyy}` etc.
        "storage.location.template": `s3://${p.bucketName}/firelens/\${account}/\${service}/year=\${year}/month=\${month}/day=\${day}`,
    };
}

/**
 * Saved queries over the application logs. Each reads one account, service and day: the first five
 * `?` parameters are `account`, `service`, `year`, `month`, `day`, e.g.
 * `'444444444444', 'payments-api', '2026', '12', '01'`.
 */
export function applicationLogsNamedQueries(p: { database: string; table: string }): AthenaNamedQuerySpec[] {
    const from = `"${p.database}"."${p.table}"`;
    const oneDay = "account = ? AND service = ? AND year = ? AND month = ? AND day = ?";
    return [
        {
            id: "errors",
            name: "Application logs: errors of one service and day",
            description: "Lines written to stderr or mentioning an error, by task and container, for one account, service and day.",
            sql: [
                "SELECT time, ecs_task_arn, container_name, source, log",
                `FROM ${from}`,
                `WHERE ${oneDay}`,
                "  AND (source = 'stderr' OR regexp_like(log, '(?i)\\b(error|fatal|panic|exception)\\b'))",
                "ORDER BY time",
                "LIMIT 1000",
            ].join("\n"),
        },
        {
            id: "volume-by-task",
            name: "Application logs: lines by task of one service and day",
            description: "Lines and bytes per task and stream, for one account, service and day (a noisy or silent task stands out).",
            sql: [
                "SELECT ecs_task_arn, ecs_task_definition, source, count(*) AS lines, sum(length(log)) AS characters,",
                "       min(time) AS first_time, max(time) AS last_time",
                `FROM ${from}`,
                `WHERE ${oneDay}`,
                "GROUP BY 1, 2, 3",
                "ORDER BY lines DESC",
            ].join("\n"),
        },
    ];
}

/**
 * A Glue table over the JSON records FireLens delivers through Firehose into the application-logs
 * bucket, partitioned by account, service and day by projection, plus saved queries in the given
 * workgroup. Lives in the log-archive account: pass its provider.
 */
export class AthenaApplicationLogsTable extends pulumi.ComponentResource {
    public readonly table: aws.glue.CatalogTable;
    /** Saved queries keyed by id (`errors`, `volume-by-task`). */
    public readonly namedQueries: Record<string, aws.athena.NamedQuery>;

    constructor(name: string, args: AthenaApplicationLogsTableArgs, opts?: pulumi.ComponentResourceOptions) {
        super("orglog:index:AthenaApplicationLogsTable", name, {}, opts);
        const resolved = resolveAthenaApplicationLogsTableArgs(args, this);
        const tableName = resolved.tableName;
        const firstYear = resolved.firstYear;
        const lastYear = resolved.lastYear;

        this.table = new aws.glue.CatalogTable(
            `${name}-table`,
            {
                name: tableName,
                databaseName: args.databaseName,
                description: "Application logs FireLens delivers through Firehose (JSON SerDe, partition projection)",
                tableType: "EXTERNAL_TABLE",
                parameters: pulumi
                    .output(args.applicationLogsBucketName)
                    .apply((bucketName) => applicationLogsPartitionProjection({ bucketName, firstYear, lastYear })),
                partitionKeys: APPLICATION_LOG_PARTITION_KEYS.map((key) => ({ name: key, type: "string" })),
                storageDescriptor: {
                    location: pulumi.interpolate`s3://${args.applicationLogsBucketName}/firelens/`,
                    inputFormat: "org.apache.hadoop.mapred.TextInputFormat",
                    outputFormat: "org.apache.hadoop.hive.ql.io.HiveIgnoreKeyTextOutputFormat",
                    serDeInfo: {
                        serializationLibrary: "org.openx.data.jsonserde.JsonSerDe",
                        // A line that is not JSON (a truncated record) reads as NULLs instead of failing the query.
                        parameters: { "serialization.format": "1", "ignore.malformed.json": "true" },
                    },
                    columns: APPLICATION_LOG_COLUMNS.map((c) => ({ name: c.name, type: c.type })),
                },
            },
            { parent: this },
        );

        const queries = pulumi.output(args.databaseName).apply((database) => applicationLogsNamedQueries({ database, table: tableName }));
        this.namedQueries = createNamedQueries(
            name,
            {
                shapes: applicationLogsNamedQueries({ database: "database", table: tableName }),
                sql: (id) => queries.apply((all) => all.find((q) => q.id === id)!.sql),
                database: args.databaseName,
                workgroup: args.workgroupName,
                table: this.table,
            },
            this,
        );

        this.registerOutputs({ table: this.table, namedQueries: this.namedQueries });
    }
}
