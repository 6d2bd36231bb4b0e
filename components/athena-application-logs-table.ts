import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { assertNoProblems, glueNameProblem, WithDefaults } from "./internal/validation";
import { AthenaNamedQuerySpec, createNamedQueries, partitionQueries } from "./internal/athena-named-queries";
import { LogFileFormat, logFileTable, TEXT_INPUT_FORMAT } from "./internal/glue-table";
import {
    INJECTED,
    partitionProjectionProperties,
    READ_RESTORED_GLACIER_OBJECTS,
    yearMonthDayProjection,
    yearRangeProblem,
} from "./internal/partition-projection";

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
    const problems = [glueNameProblem("tableName", args.tableName), yearRangeProblem(resolved.firstYear, resolved.lastYear)].filter(
        (problem) => problem !== undefined,
    );
    assertNoProblems("AthenaApplicationLogsTable", problems, parent);
    return resolved;
}

/**
 * The table's properties for partition projection over
 * `firelens/<account id>/<service>/year=YYYY/month=MM/day=DD/`. `account` and `service` are injected:
 * a query names them, so no list of accounts or services exists to keep up to date.
 */
export function applicationLogsPartitionProjection(p: { bucketName: string; firstYear: number; lastYear: number }): Record<string, string> {
    return partitionProjectionProperties({
        properties: { classification: "json", ...READ_RESTORED_GLACIER_OBJECTS },
        partitionKeys: APPLICATION_LOG_PARTITION_KEYS,
        columns: { account: INJECTED, service: INJECTED, ...yearMonthDayProjection(p.firstYear, p.lastYear) },
        // Firehose writes the day from the record's arrival time (UTC), as `!{timestamp:yyyy}` etc.
        locationTemplate: `s3://${p.bucketName}/firelens/\${account}/\${service}/year=\${year}/month=\${month}/day=\${day}`,
    });
}

/** JSON lines, as Firehose writes them. */
const APPLICATION_LOG_FORMAT: LogFileFormat = {
    inputFormat: TEXT_INPUT_FORMAT,
    serializationLibrary: "org.openx.data.jsonserde.JsonSerDe",
    // A line that is not JSON (a truncated record) reads as NULLs instead of failing the query.
    serDeParameters: { "ignore.malformed.json": "true" },
};

/**
 * Saved queries over the application logs. Each reads one account, service and day: the first five
 * `?` parameters are `account`, `service`, `year`, `month`, `day`, e.g.
 * `'444444444444', 'payments-api', '2026', '12', '01'`.
 */
export function applicationLogsNamedQueries(p: { database: string; table: string }): AthenaNamedQuerySpec[] {
    return partitionQueries({ ...p, pinned: APPLICATION_LOG_PARTITION_KEYS }, [
        {
            id: "errors",
            name: "Application logs: errors of one service and day",
            description: "Lines written to stderr or mentioning an error, by task and container, for one account, service and day.",
            select: ["time, ecs_task_arn, container_name, source, log"],
            where: ["(source = 'stderr' OR regexp_like(log, '(?i)\\b(error|fatal|panic|exception)\\b'))"],
            orderBy: "time",
            limit: 1000,
        },
        {
            id: "volume-by-task",
            name: "Application logs: lines by task of one service and day",
            description: "Lines and bytes per task and stream, for one account, service and day (a noisy or silent task stands out).",
            select: [
                "ecs_task_arn, ecs_task_definition, source, count(*) AS lines, sum(length(log)) AS characters,",
                "min(time) AS first_time, max(time) AS last_time",
            ],
            groupBy: "1, 2, 3",
            orderBy: "lines DESC",
        },
    ]);
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

        this.table = logFileTable(
            `${name}-table`,
            {
                tableName,
                databaseName: args.databaseName,
                description: "Application logs FireLens delivers through Firehose (JSON SerDe, partition projection)",
                bucketName: args.applicationLogsBucketName,
                location: (bucketName) => `s3://${bucketName}/firelens/`,
                parameters: (bucketName) =>
                    applicationLogsPartitionProjection({ bucketName, firstYear: resolved.firstYear, lastYear: resolved.lastYear }),
                partitionKeys: APPLICATION_LOG_PARTITION_KEYS,
                format: APPLICATION_LOG_FORMAT,
                columns: APPLICATION_LOG_COLUMNS,
            },
            { parent: this },
        );

        this.namedQueries = createNamedQueries(
            name,
            {
                shapes: applicationLogsNamedQueries({ database: "database", table: tableName }),
                queries: pulumi.output(args.databaseName).apply((database) => applicationLogsNamedQueries({ database, table: tableName })),
                database: args.databaseName,
                workgroup: args.workgroupName,
                table: this.table,
            },
            this,
        );

        this.registerOutputs({ table: this.table, namedQueries: this.namedQueries });
    }
}
