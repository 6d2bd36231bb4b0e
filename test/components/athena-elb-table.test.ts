import * as assert from "assert";
import * as fs from "fs";
import * as path from "path";
import type { AthenaElbTableArgs } from "../../components/athena-elb-table";
import { ALB_ACCESS_LOG_COLUMNS, ALB_ACCESS_LOG_REGEX } from "../../components/internal/alb-log-format";
import { ofType, policyOf, RecordedResource, ROOT, runUnderMocks, single, statement } from "../support/harness";

const ARCHIVE = "222222222222";
const ARGS: AthenaElbTableArgs = {
    elbLogsBucketName: "org-logging-elb-logs-222222222222",
    regions: ["eu-west-1", "eu-central-1"],
    bytesScannedCutoffPerQuery: 5 * 1024 ** 3,
};
const SAMPLES = path.join(ROOT, "test/fixtures/alb-logs");

async function build(args: AthenaElbTableArgs = ARGS): Promise<RecordedResource[]> {
    const aws = await import("@pulumi/aws");
    const { AthenaElbTable } = await import("../../components/athena-elb-table");
    const { resources } = await runUnderMocks(() => {
        const provider = new aws.Provider("archive", {
            region: "eu-west-1",
            assumeRoles: [{ roleArn: `arn:aws:iam::${ARCHIVE}:role/Deployer` }],
            allowedAccountIds: [ARCHIVE],
        });
        return new AthenaElbTable("elb-logs", args, { provider }).workgroup.name;
    });
    return resources;
}

/** RegexSerDe uses Java's Matcher.matches(): the whole line must match. */
function parse(line: string): Record<string, string> | undefined {
    const match = new RegExp(`^(?:${ALB_ACCESS_LOG_REGEX})$`).exec(line);
    return match ? Object.fromEntries(ALB_ACCESS_LOG_COLUMNS.map((c, i) => [c.name, match[i + 1]])) : undefined;
}
const sample = (file: string) => fs.readFileSync(path.join(SAMPLES, file), "utf8").trim();

describe("components/AthenaElbTable: the ALB log format", () => {
    it("has exactly one capture group per column", () => {
        const groups = new RegExp(`${ALB_ACCESS_LOG_REGEX}|`).exec("")!.length - 1;
        assert.strictEqual(groups, ALB_ACCESS_LOG_COLUMNS.length);
        assert.strictEqual(groups, 34);
        const names = ALB_ACCESS_LOG_COLUMNS.map((c) => c.name);
        for (const late of ["classification", "classification_reason", "conn_trace_id"]) {
            assert.ok(names.includes(late), late);
        }
    });

    const files = fs.readdirSync(SAMPLES).filter((f) => f.endsWith(".log"));
    it("has the AWS sample entries of every kind", () => {
        assert.deepStrictEqual(files.sort(), [
            "desync-classified.log",
            "failed-request.log",
            "h2.log",
            "http.log",
            "https.log",
            "lambda-failed.log",
            "lambda.log",
            "ws.log",
            "wss.log",
        ]);
    });
    for (const file of files) {
        it(`captures every column of ${file}`, () => {
            const row = parse(sample(file));
            assert.ok(row, `${file} does not match the regex`);
            assert.strictEqual(Object.keys(row).length, ALB_ACCESS_LOG_COLUMNS.length);
            for (const column of ALB_ACCESS_LOG_COLUMNS) {
                assert.notStrictEqual(row[column.name], undefined, `${file}: ${column.name} not captured`);
            }
            for (const column of ALB_ACCESS_LOG_COLUMNS.filter((c) => c.type !== "string")) {
                // Empty numeric fields read as NULL; anything else must be a number Athena can cast.
                assert.match(row[column.name], /^(-?[0-9.]+)?$/, `${file}: ${column.name} = ${row[column.name]}`);
            }
            assert.match(row.conn_trace_id, /^TID_[0-9a-f]+$/);
        });
    }

    it("splits the fields of each kind of request where AWS documents them", () => {
        const https = parse(sample("https.log"))!;
        assert.deepStrictEqual(
            [
                https.type,
                https.client_ip,
                https.client_port,
                https.target_ip,
                https.target_port,
                https.elb_status_code,
                https.request_verb,
                https.request_url,
                https.request_proto,
            ],
            ["https", "192.168.131.39", "2817", "10.0.0.1", "80", "200", "GET", "https://www.example.com:443/", "HTTP/1.1"],
        );
        assert.deepStrictEqual(
            [https.ssl_cipher, https.ssl_protocol, https.domain_name, https.actions_executed],
            ["ECDHE-RSA-AES128-GCM-SHA256", "TLSv1.2", "www.example.com", "authenticate,forward"],
        );
        const h2 = parse(sample("h2.log"))!;
        assert.deepStrictEqual(
            [h2.type, h2.request_proto, h2.actions_executed, h2.redirect_url],
            ["h2", "HTTP/2.0", "redirect", "https://example.com:80/"],
        );
        const ws = parse(sample("ws.log"))!;
        assert.deepStrictEqual([ws.type, ws.elb_status_code, ws.user_agent, ws.target_port_list], ["ws", "101", "-", "10.0.1.192:8010"]);
        const lambda = parse(sample("lambda-failed.log"))!;
        assert.deepStrictEqual(
            [lambda.target_ip, lambda.target_port, lambda.elb_status_code, lambda.target_status_code, lambda.lambda_error_reason],
            ["", "", "502", "-", "LambdaInvalidResponse"],
        );
        const failed = parse(sample("failed-request.log"))!;
        assert.deepStrictEqual(
            [
                failed.target_processing_time,
                failed.elb_status_code,
                failed.target_status_code,
                failed.target_group_arn,
                failed.trace_id,
                failed.matched_rule_priority,
            ],
            ["-1", "400", "-", "-", "-", "-"],
        );
        const classified = parse(sample("desync-classified.log"))!;
        assert.deepStrictEqual(
            [
                classified.user_agent,
                classified.actions_executed,
                classified.classification,
                classified.classification_reason,
                classified.conn_trace_id,
            ],
            ["Mozilla/5.0 (X11; Linux x86_64)", "waf,forward", "Ambiguous", "UndefinedContentLengthSemantics", "TID_a1b2c3d4e5f60718"],
        );
    });

    it("still reads lines written before conn_trace_id existed and lines with fields ALB adds later", () => {
        const line = sample("http.log");
        const older = parse(line.replace(/ TID_[0-9a-f]+$/, ""));
        assert.ok(older);
        assert.strictEqual(older.classification_reason, "-");
        const newer = parse(`${line} "future-field" 42`);
        assert.ok(newer);
        assert.strictEqual(newer.conn_trace_id, "TID_1234abcd5678ef90");
        assert.strictEqual(parse("not an ALB log line"), undefined);
    });
});

describe("components/AthenaElbTable", () => {
    let resources: RecordedResource[];
    before(async () => {
        resources = await build();
    });

    it("creates exactly its children, all in the log-archive account", () => {
        const count = (type: string) => ofType(resources, type).length;
        assert.deepStrictEqual(
            [
                count("aws:glue/catalogDatabase:CatalogDatabase"),
                count("aws:glue/catalogTable:CatalogTable"),
                count("aws:athena/workgroup:Workgroup"),
                count("aws:athena/namedQuery:NamedQuery"),
                count("aws:s3/bucket:Bucket"),
                count("aws:kms/key:Key"),
            ],
            [1, 1, 1, 4, 1, 1],
        );
        for (const r of resources.filter((r) => r.custom && !r.type.startsWith("pulumi:providers:"))) {
            assert.strictEqual(r.account, ARCHIVE, r.urn);
        }
    });

    it("defines an external regex-SerDe table with every ALB column and the five partition keys", () => {
        const table = single(resources, "aws:glue/catalogTable:CatalogTable").inputs as any;
        assert.strictEqual(table.name, "alb_access_logs");
        assert.strictEqual(table.databaseName, "org_logging");
        assert.strictEqual(table.tableType, "EXTERNAL_TABLE");
        const sd = table.storageDescriptor;
        assert.strictEqual(sd.location, "s3://org-logging-elb-logs-222222222222/AWSLogs/");
        assert.strictEqual(sd.serDeInfo.serializationLibrary, "org.apache.hadoop.hive.serde2.RegexSerDe");
        assert.strictEqual(sd.serDeInfo.parameters["input.regex"], ALB_ACCESS_LOG_REGEX);
        assert.deepStrictEqual(
            sd.columns,
            ALB_ACCESS_LOG_COLUMNS.map((c) => ({ name: c.name, type: c.type })),
        );
        const groups = new RegExp(`${sd.serDeInfo.parameters["input.regex"]}|`).exec("")!.length - 1;
        assert.strictEqual(groups, sd.columns.length, "one capture group per non-partition column");
        assert.deepStrictEqual(
            table.partitionKeys,
            ["account", "region", "year", "month", "day"].map((name) => ({ name, type: "string" })),
        );
    });

    it("projects partitions from the accounts (injected: no account listed), regions and dates so no partition job is needed", () => {
        const parameters = (single(resources, "aws:glue/catalogTable:CatalogTable").inputs as any).parameters;
        assert.deepStrictEqual(parameters, {
            EXTERNAL: "TRUE",
            "projection.enabled": "true",
            "projection.account.type": "injected",
            "projection.region.type": "enum",
            "projection.region.values": "eu-west-1,eu-central-1",
            "projection.year.type": "integer",
            "projection.year.range": "2020,2099",
            "projection.month.type": "integer",
            "projection.month.range": "1,12",
            "projection.month.digits": "2",
            "projection.day.type": "integer",
            "projection.day.range": "1,31",
            "projection.day.digits": "2",
            "storage.location.template":
                "s3://org-logging-elb-logs-222222222222/AWSLogs/${account}/elasticloadbalancing/${region}/${year}/${month}/${day}",
        });
        // The field document's query `WHERE year = '2018' AND month = '07' AND day = '31'` maps to exactly one prefix.
        const day: Record<string, string> = { account: "444444444444", region: "eu-west-1", year: "2018", month: "07", day: "31" };
        const prefix = parameters["storage.location.template"].replace(/\$\{(\w+)\}/g, (_: string, k: string) => day[k]);
        assert.strictEqual(prefix, "s3://org-logging-elb-logs-222222222222/AWSLogs/444444444444/elasticloadbalancing/eu-west-1/2018/07/31");
    });

    it("enforces the workgroup's encrypted result location, bytes-scanned cutoff and metrics", () => {
        const workgroup = single(resources, "aws:athena/workgroup:Workgroup").inputs as any;
        const bucket = single(resources, "aws:s3/bucket:Bucket").state;
        const key = single(resources, "aws:kms/key:Key");
        assert.strictEqual(workgroup.configuration.enforceWorkgroupConfiguration, true);
        assert.strictEqual(workgroup.configuration.publishCloudwatchMetricsEnabled, true);
        assert.strictEqual(workgroup.configuration.bytesScannedCutoffPerQuery, 5 * 1024 ** 3);
        assert.deepStrictEqual(workgroup.configuration.resultConfiguration, {
            outputLocation: `s3://${bucket.bucket}/results/`,
            expectedBucketOwner: ARCHIVE,
            encryptionConfiguration: { encryptionOption: "SSE_KMS", kmsKeyArn: key.state.arn },
        });
        assert.strictEqual(workgroup.forceDestroy, false);
        assert.strictEqual(key.inputs.enableKeyRotation, true);
    });

    it("keeps query results private, encrypted, TLS-only and expiring", () => {
        const bucketArn = String(single(resources, "aws:s3/bucket:Bucket").state.arn);
        const block = single(resources, "aws:s3/bucketPublicAccessBlock:BucketPublicAccessBlock").inputs;
        for (const flag of ["blockPublicAcls", "blockPublicPolicy", "ignorePublicAcls", "restrictPublicBuckets"]) {
            assert.strictEqual(block[flag], true, flag);
        }
        assert.strictEqual(
            (single(resources, "aws:s3/bucketOwnershipControls:BucketOwnershipControls").inputs.rule as any).objectOwnership,
            "BucketOwnerEnforced",
        );
        const sse = (
            single(resources, "aws:s3/bucketServerSideEncryptionConfiguration:BucketServerSideEncryptionConfiguration").inputs
                .rules as any[]
        )[0];
        assert.deepStrictEqual(sse.applyServerSideEncryptionByDefault, {
            sseAlgorithm: "aws:kms",
            kmsMasterKeyId: single(resources, "aws:kms/key:Key").state.arn,
        });
        const rule = (single(resources, "aws:s3/bucketLifecycleConfiguration:BucketLifecycleConfiguration").inputs.rules as any[])[0];
        assert.deepStrictEqual([rule.status, rule.expiration.days, rule.noncurrentVersionExpiration.noncurrentDays], ["Enabled", 30, 1]);
        assert.deepStrictEqual(
            statement(single(resources, "aws:s3/bucketPolicy:BucketPolicy").inputs.policy, "DenyInsecureTransport").Resource,
            [bucketArn, `${bucketArn}/*`],
        );
        assert.deepStrictEqual(
            policyOf(single(resources, "aws:kms/key:Key").inputs.policy).Statement.map((s) => s.Sid),
            ["KeyAccountAdministers"],
        );
    });

    it("saves the four queries in the workgroup, each reading one account, region and day", () => {
        const workgroupName = single(resources, "aws:athena/workgroup:Workgroup").state.name;
        const queries = ofType(resources, "aws:athena/namedQuery:NamedQuery");
        assert.deepStrictEqual(queries.map((q) => q.name).sort(), [
            "elb-logs-query-5xx-errors",
            "elb-logs-query-requests-by-classification",
            "elb-logs-query-slowest-targets",
            "elb-logs-query-top-client-ips",
        ]);
        for (const q of queries) {
            const sql = String(q.inputs.query);
            assert.strictEqual(q.inputs.workgroup, workgroupName);
            assert.strictEqual(q.inputs.database, "org_logging");
            assert.ok(sql.includes('FROM "org_logging"."alb_access_logs"'), sql);
            assert.ok(
                sql.includes("WHERE account = ? AND region = ? AND year = ? AND month = ? AND day = ?"),
                `${q.name} does not filter on the partitions:\n${sql}`,
            );
        }
        const sqlOf = (id: string) => String(single(resources, "aws:athena/namedQuery:NamedQuery", `elb-logs-query-${id}`).inputs.query);
        assert.match(sqlOf("5xx-errors"), /elb_status_code BETWEEN 500 AND 599/);
        assert.match(sqlOf("top-client-ips"), /GROUP BY client_ip\nORDER BY requests DESC/);
        assert.match(sqlOf("slowest-targets"), /approx_percentile\(target_processing_time, 0\.99\)/);
        assert.match(sqlOf("requests-by-classification"), /classification, classification_reason,[\s\S]*'waf'/);
    });

    it("reports every problem of the Args in one error", async () => {
        const { resolveAthenaElbTableArgs } = await import("../../components/athena-elb-table");
        assert.throws(
            () =>
                resolveAthenaElbTableArgs({
                    ...ARGS,
                    regions: [],
                    tableName: "ALB-Logs",
                    bytesScannedCutoffPerQuery: 1000,
                }),
            {
                message:
                    "AthenaElbTable: `regions` ([]) is empty, so the table would have no partitions. List the regions of the load balancers.\n" +
                    'AthenaElbTable: `tableName` ("ALB-Logs") is not a Glue name Athena can query. Use 1-255 lower-case letters, digits and "_".\n' +
                    "AthenaElbTable: `bytesScannedCutoffPerQuery` (1000) is below Athena's minimum. Use a whole number of bytes, at least 10485760.",
            },
        );
    });
});
