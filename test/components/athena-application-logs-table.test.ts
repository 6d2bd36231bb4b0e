import * as assert from "assert";
import * as fs from "fs";
import * as path from "path";
import type { AthenaApplicationLogsTableArgs } from "../../components/athena-application-logs-table";
import { ofType, RecordedResource, ROOT, runUnderMocks, single } from "../support/harness";
import { parseHiveType, uncoveredPaths } from "../support/hive-types";
import { projectedPartition } from "../support/projection";

const ARCHIVE = "222222222222";
const BUCKET = "log-archive-application-logs-bucket-9a8b7c6";
const FIXTURE = "payments-api-firehose-1-2026-12-01-10-15-00-0d1e2f3a-4b5c-6d7e-8f90-a1b2c3d4e5f6";
const ARGS: AthenaApplicationLogsTableArgs = {
    applicationLogsBucketName: BUCKET,
    databaseName: "org_logging",
    workgroupName: "elb-logs-workgroup-7fade28",
};

async function build(args: AthenaApplicationLogsTableArgs = ARGS): Promise<RecordedResource[]> {
    const aws = await import("@pulumi/aws");
    const { AthenaApplicationLogsTable } = await import("../../components/athena-application-logs-table");
    const { resources } = await runUnderMocks(() => {
        const provider = new aws.Provider("archive", {
            region: "eu-west-1",
            assumeRoles: [{ roleArn: `arn:aws:iam::${ARCHIVE}:role/Deployer` }],
            allowedAccountIds: [ARCHIVE],
        });
        return new AthenaApplicationLogsTable("application-logs", args, { provider }).table.name;
    });
    return resources;
}

describe("components/AthenaApplicationLogsTable", () => {
    let resources: RecordedResource[];
    let mod: typeof import("../../components/athena-application-logs-table");
    before(async () => {
        mod = await import("../../components/athena-application-logs-table");
        resources = await build();
    });

    it("has a column for every field of a FireLens record as Firehose delivers it", () => {
        const type = parseHiveType(`struct<${mod.APPLICATION_LOG_COLUMNS.map((c) => `${c.name}:${c.type}`).join(",")}>`);
        const lines = fs
            .readFileSync(path.join(ROOT, "test/fixtures/firelens", FIXTURE), "utf8")
            .trim()
            .split("\n");
        assert.strictEqual(lines.length, 2);
        for (const line of lines) {
            assert.deepStrictEqual(uncoveredPaths(JSON.parse(line), type, "record"), []);
        }
        assert.deepStrictEqual(uncoveredPaths({ log: "x", kubernetes: {} }, type, "record"), ["record.kubernetes"]);
    });

    it("finds account, service and day in the key Firehose writes under firelens/<account>/<service>/", () => {
        const p = mod.applicationLogsPartitionProjection({ bucketName: BUCKET, firstYear: 2020, lastYear: 2099 });
        assert.strictEqual(
            p["storage.location.template"],
            `s3://${BUCKET}/firelens/\${account}/\${service}/year=\${year}/month=\${month}/day=\${day}`,
        );
        assert.deepStrictEqual(
            [p["projection.account.type"], p["projection.service.type"], p.read_restored_glacier_objects],
            ["injected", "injected", "true"],
        );
        const key = `s3://${BUCKET}/firelens/444444444444/payments-api/year=2026/month=12/day=01/${FIXTURE}`;
        assert.deepStrictEqual(projectedPartition(p, key), {
            account: "444444444444",
            service: "payments-api",
            year: "2026",
            month: "12",
            day: "01",
        });
        // Firehose's error output for the service stays out of the table.
        assert.strictEqual(
            projectedPartition(p, `s3://${BUCKET}/firelens/444444444444/payments-api/errors/processing-failed/year=2026/month=12/day=01/x`),
            undefined,
        );
        assert.strictEqual(
            projectedPartition(p, `s3://${BUCKET}/firelens/444444444444/payments-api/year=2026/month=13/day=01/x`),
            undefined,
        );
    });

    it("creates the JSON table and its saved queries in the log-archive account, with no crawler", () => {
        const table = single(resources, "aws:glue/catalogTable:CatalogTable").inputs as any;
        assert.deepStrictEqual(
            [table.name, table.databaseName, table.storageDescriptor.location],
            ["application_logs", "org_logging", `s3://${BUCKET}/firelens/`],
        );
        assert.deepStrictEqual(table.storageDescriptor.serDeInfo, {
            serializationLibrary: "org.openx.data.jsonserde.JsonSerDe",
            parameters: { "serialization.format": "1", "ignore.malformed.json": "true" },
        });
        assert.deepStrictEqual(
            table.partitionKeys.map((k: any) => k.name),
            ["account", "service", "year", "month", "day"],
        );
        const queries = ofType(resources, "aws:athena/namedQuery:NamedQuery");
        assert.deepStrictEqual(queries.map((q) => q.name).sort(), [
            "application-logs-query-errors",
            "application-logs-query-volume-by-task",
        ]);
        for (const q of queries) {
            assert.deepStrictEqual([q.inputs.workgroup, q.account], ["elb-logs-workgroup-7fade28", ARCHIVE]);
        }
        assert.strictEqual(ofType(resources, "aws:glue/crawler:Crawler").length, 0);
    });

    it("rejects a range of years that is not one, naming the arguments", () => {
        assert.throws(() => mod.resolveAthenaApplicationLogsTableArgs({ ...ARGS, firstYear: 2030, lastYear: 2020 }), {
            message:
                "AthenaApplicationLogsTable: `firstYear`..`lastYear` (2030..2020) is not a range of years. Use whole years from 2000 with firstYear <= lastYear.",
        });
    });
});

describe("components/AthenaElbTable: partition projection against a real ALB log key", () => {
    it("finds account, region and date in the key ALB writes", async () => {
        const { elbPartitionProjection } = await import("../../components/athena-elb-table");
        const p = elbPartitionProjection({ bucketName: "elb-logs", regions: ["us-east-2"], firstYear: 2020, lastYear: 2099 });
        const key =
            "s3://elb-logs/AWSLogs/123456789012/elasticloadbalancing/us-east-2/2026/05/01/123456789012_elasticloadbalancing_us-east-2_app.my-loadbalancer.1234567890abcdef_20260501T2340Z_172.160.001.192_20sg8hgm.log.gz";
        assert.deepStrictEqual(projectedPartition(p, key), {
            account: "123456789012",
            region: "us-east-2",
            year: "2026",
            month: "05",
            day: "01",
        });
        // Injected: any account's key projects, the query names the account it reads.
        assert.deepStrictEqual(
            projectedPartition(p, key.replace("/123456789012/elastic", "/210987654321/elastic"))?.account,
            "210987654321",
        );
        assert.strictEqual(projectedPartition(p, key.replace("/2026/05/01/", "/2019/05/01/")), undefined, "a year outside the range");
    });
});
