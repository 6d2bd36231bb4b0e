import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { assertNoProblems, glueNameProblem, WithDefaults } from "./internal/validation";
import { AthenaNamedQuerySpec, createNamedQueries, partitionQueries } from "./internal/athena-named-queries";
import { secureBucket } from "./internal/secure-bucket";
import { ALB_ACCESS_LOG_COLUMNS, ALB_ACCESS_LOG_FORMAT, ALB_PARTITION_KEYS } from "./internal/alb-log-format";
import { logFileTable } from "./internal/glue-table";
import {
    INJECTED,
    partitionProjectionProperties,
    regionProjectionProblems,
    yearMonthDayProjection,
    yearRangeProblem,
} from "./internal/partition-projection";
import { athenaResultsKeyPolicy } from "./policies/athena-results-policies";

export interface AthenaElbTableArgs {
    /** The bucket ALBs deliver access logs into (`AWSLogs/<account>/elasticloadbalancing/<region>/...`). */
    readonly elbLogsBucketName: pulumi.Input<string>;
    /** Regions of those load balancers: the `region` partition's enum projection. Plain: validated. */
    readonly regions: readonly string[];
    /** Glue database name (queries and the outputs contract refer to it). @default "org_logging" */
    readonly databaseName?: string;
    /** Glue table name. @default "alb_access_logs" */
    readonly tableName?: string;
    /**
     * First year the `year` projection covers. A query that filters on `year` only reads that year, so
     * the range costs nothing; it only bounds queries that forget the filter.
     * @default 2020
     */
    readonly firstYear?: number;
    /** Last year the `year` projection covers. @default 2099 */
    readonly lastYear?: number;
    /**
     * Per-query limit of bytes scanned in the workgroup; a query that reaches it is cancelled
     * (Athena's minimum is 10 MB). Plain: validated.
     * @default 10737418240 (10 GiB)
     */
    readonly bytesScannedCutoffPerQuery?: number;
    /** Days query results are kept before the lifecycle deletes them. @default 30 */
    readonly resultsRetentionDays?: number;
}

const MIN_BYTES_SCANNED_CUTOFF = 10 * 1024 * 1024;

/** AthenaElbTableArgs with every default applied, as the component uses them. */
export type ResolvedAthenaElbTableArgs = WithDefaults<
    AthenaElbTableArgs,
    "databaseName" | "tableName" | "firstYear" | "lastYear" | "bytesScannedCutoffPerQuery" | "resultsRetentionDays"
>;

/**
 * Applies the defaults of the Args (each once) and checks them; throws one `pulumi.ResourceError`
 * listing every problem, one per line (at `parent`, the component, when given).
 */
export function resolveAthenaElbTableArgs(args: AthenaElbTableArgs, parent?: pulumi.Resource): ResolvedAthenaElbTableArgs {
    const resolved: ResolvedAthenaElbTableArgs = {
        ...args,
        databaseName: args.databaseName ?? "org_logging",
        tableName: args.tableName ?? "alb_access_logs",
        firstYear: args.firstYear ?? 2020,
        lastYear: args.lastYear ?? 2099,
        bytesScannedCutoffPerQuery: args.bytesScannedCutoffPerQuery ?? 10 * 1024 ** 3,
        resultsRetentionDays: args.resultsRetentionDays ?? 30,
    };
    const problems = [
        ...regionProjectionProblems(args.regions, "List the regions of the load balancers"),
        glueNameProblem("databaseName", args.databaseName),
        glueNameProblem("tableName", args.tableName),
        yearRangeProblem(resolved.firstYear, resolved.lastYear),
    ].filter((problem) => problem !== undefined);
    const cutoff = resolved.bytesScannedCutoffPerQuery;
    if (!Number.isInteger(cutoff) || cutoff < MIN_BYTES_SCANNED_CUTOFF) {
        problems.push(
            `\`bytesScannedCutoffPerQuery\` (${cutoff}) is below Athena's minimum. Use a whole number of bytes, at least ${MIN_BYTES_SCANNED_CUTOFF}`,
        );
    }
    const retention = resolved.resultsRetentionDays;
    if (!Number.isInteger(retention) || retention < 1) {
        problems.push(`\`resultsRetentionDays\` (${retention}) must be a whole number of days, at least 1`);
    }
    assertNoProblems("AthenaElbTable", problems, parent);
    return resolved;
}

/**
 * The table's properties for partition projection: no partition-adding job is ever needed. `account`
 * is injected: every query names the account(s) it reads (`WHERE account = '...'`, as the saved
 * queries do), so the table lists no accounts and a new account of the organization is queryable
 * with no change to the table.
 */
export function elbPartitionProjection(p: {
    bucketName: string;
    regions: readonly string[];
    firstYear: number;
    lastYear: number;
}): Record<string, string> {
    return partitionProjectionProperties({
        partitionKeys: ALB_PARTITION_KEYS,
        columns: { account: INJECTED, region: { type: "enum", values: p.regions }, ...yearMonthDayProjection(p.firstYear, p.lastYear) },
        // ALB writes AWSLogs/<account>/elasticloadbalancing/<region>/yyyy/mm/dd/ (no prefix in the bucket).
        locationTemplate: `s3://${p.bucketName}/AWSLogs/\${account}/elasticloadbalancing/\${region}/\${year}/\${month}/\${day}`,
    });
}

/** A saved query over the ALB access logs. */
export type ElbNamedQuery = AthenaNamedQuerySpec;

/**
 * Saved queries of the workgroup. Each reads one account, region and day only: the `?` parameters
 * are the partition columns, filled in when the query runs (Athena parameterized queries), e.g.
 * `'111111111111', 'eu-west-1', '2018', '07', '31'`.
 */
export function elbNamedQueries(p: { database: string; table: string }): ElbNamedQuery[] {
    return partitionQueries({ ...p, pinned: ALB_PARTITION_KEYS }, [
        {
            id: "5xx-errors",
            name: "ALB 5xx errors of one day",
            description: "Requests answered with a 5xx by the load balancer, with the target's status, for one account, region and day.",
            select: [
                "time, elb, client_ip, request_verb, request_url, elb_status_code, target_status_code,",
                "target_ip, target_port, lambda_error_reason, trace_id",
            ],
            where: ["elb_status_code BETWEEN 500 AND 599"],
            orderBy: "time",
        },
        {
            id: "top-client-ips",
            name: "ALB top client IPs of one day",
            description: "Clients by number of requests and bytes, for one account, region and day.",
            select: [
                "client_ip, count(*) AS requests, sum(received_bytes) AS received_bytes, sum(sent_bytes) AS sent_bytes,",
                "count_if(elb_status_code >= 400) AS errors",
            ],
            groupBy: "client_ip",
            orderBy: "requests DESC",
            limit: 100,
        },
        {
            id: "slowest-targets",
            name: "ALB slowest targets of one day",
            description:
                "Targets by 99th-percentile processing time (requests that reached a target only), for one account, region and day.",
            select: [
                "target_group_arn, target_ip, target_port, count(*) AS requests,",
                "approx_percentile(target_processing_time, 0.99) AS p99_seconds, max(target_processing_time) AS max_seconds",
            ],
            // -1 means the load balancer never got a response from a target.
            where: ["target_processing_time >= 0"],
            groupBy: "target_group_arn, target_ip, target_port",
            orderBy: "p99_seconds DESC",
            limit: 50,
        },
        {
            id: "requests-by-classification",
            name: "ALB requests by desync classification and WAF action of one day",
            description:
                "Requests grouped by desync-mitigation classification and whether AWS WAF acted on them, for one account, region and day.",
            select: [
                "classification, classification_reason,",
                "CASE WHEN contains(split(actions_executed, ','), 'waf-failed') THEN 'waf-failed'",
                "     WHEN contains(split(actions_executed, ','), 'waf') THEN 'waf'",
                "     ELSE '-' END AS waf,",
                "elb_status_code, count(*) AS requests",
            ],
            groupBy: "1, 2, 3, 4",
            orderBy: "requests DESC",
        },
    ]);
}

/**
 * A Glue table over the ALB access logs of the elb-logs bucket, with the regex SerDe AWS documents
 * and partition projection on account, region, year, month and day (so `WHERE year = '2018' AND month = '07' AND
 * day = '31'` reads one day only), plus an Athena workgroup that enforces an encrypted result location
 * and a bytes-scanned cutoff, and saved queries. Lives in the log-archive account: pass its provider.
 */
export class AthenaElbTable extends pulumi.ComponentResource {
    public readonly database: aws.glue.CatalogDatabase;
    public readonly table: aws.glue.CatalogTable;
    public readonly workgroup: aws.athena.Workgroup;
    /** Bucket of the workgroup's query results (encrypted, expiring). */
    public readonly resultsBucket: aws.s3.Bucket;
    /** Key that encrypts the query results. */
    public readonly resultsKey: aws.kms.Key;
    /** Saved queries, keyed by id (`5xx-errors`, `top-client-ips`, `slowest-targets`, `requests-by-classification`). */
    public readonly namedQueries: Record<string, aws.athena.NamedQuery>;

    constructor(name: string, args: AthenaElbTableArgs, opts?: pulumi.ComponentResourceOptions) {
        super("orglog:index:AthenaElbTable", name, {}, opts);
        const resolved = resolveAthenaElbTableArgs(args, this);
        const databaseName = resolved.databaseName;
        const tableName = resolved.tableName;
        const partition = aws.getPartitionOutput({}, { parent: this }).partition;
        const accountId = aws.getCallerIdentityOutput({}, { parent: this }).accountId;

        this.database = new aws.glue.CatalogDatabase(
            `${name}-database`,
            { name: databaseName, description: "org-logging: central logs queried with Athena" },
            { parent: this },
        );
        this.table = logFileTable(
            `${name}-table`,
            {
                tableName,
                databaseName: this.database.name,
                description: "ALB access logs of the organization's load balancers (regex SerDe, partition projection)",
                bucketName: args.elbLogsBucketName,
                location: (bucketName) => `s3://${bucketName}/AWSLogs/`,
                parameters: (bucketName) =>
                    elbPartitionProjection({
                        bucketName,
                        regions: args.regions,
                        firstYear: resolved.firstYear,
                        lastYear: resolved.lastYear,
                    }),
                partitionKeys: ALB_PARTITION_KEYS,
                format: ALB_ACCESS_LOG_FORMAT,
                columns: ALB_ACCESS_LOG_COLUMNS,
            },
            { parent: this },
        );

        this.resultsKey = new aws.kms.Key(
            `${name}-results-key`,
            {
                description: "Encrypts Athena query results over the log archive",
                enableKeyRotation: true,
                deletionWindowInDays: 30,
                policy: pulumi
                    .all([partition, accountId])
                    .apply(([p, account]) => JSON.stringify(athenaResultsKeyPolicy({ partition: p, accountId: account }))),
            },
            { parent: this },
        );
        const retention = resolved.resultsRetentionDays;
        this.resultsBucket = secureBucket(
            `${name}-results-bucket`,
            {
                encryption: { kind: "kms", keyArn: this.resultsKey.arn },
                lifecycleRules: [
                    {
                        id: "expire-query-results",
                        status: "Enabled",
                        filter: {},
                        expiration: { days: retention },
                        // Versioning keeps deleted results as noncurrent versions; expire those too.
                        noncurrentVersionExpiration: { noncurrentDays: 1 },
                        abortIncompleteMultipartUpload: { daysAfterInitiation: 1 },
                    },
                ],
            },
            { parent: this },
        ).bucket;

        this.workgroup = new aws.athena.Workgroup(
            `${name}-workgroup`,
            {
                description: "Queries over the log archive's ALB access logs",
                state: "ENABLED",
                forceDestroy: false,
                configuration: {
                    // Clients cannot override the result location, its encryption or the cutoff.
                    enforceWorkgroupConfiguration: true,
                    publishCloudwatchMetricsEnabled: true,
                    bytesScannedCutoffPerQuery: resolved.bytesScannedCutoffPerQuery,
                    resultConfiguration: {
                        outputLocation: pulumi.interpolate`s3://${this.resultsBucket.bucket}/results/`,
                        expectedBucketOwner: accountId,
                        encryptionConfiguration: { encryptionOption: "SSE_KMS", kmsKeyArn: this.resultsKey.arn },
                    },
                },
            },
            { parent: this },
        );

        this.namedQueries = createNamedQueries(
            name,
            {
                shapes: elbNamedQueries({ database: databaseName, table: tableName }),
                database: this.database.name,
                workgroup: this.workgroup.name,
                table: this.table,
            },
            this,
        );

        this.registerOutputs({
            database: this.database,
            table: this.table,
            workgroup: this.workgroup,
            resultsBucket: this.resultsBucket,
            resultsKey: this.resultsKey,
            namedQueries: this.namedQueries,
        });
    }
}
