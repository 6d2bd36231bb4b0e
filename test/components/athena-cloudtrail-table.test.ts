import * as assert from "assert";
import * as fs from "fs";
import * as path from "path";
import type { AthenaCloudTrailTableArgs } from "../../components/athena-cloudtrail-table";
import { CLOUDTRAIL_COLUMNS } from "../../components/internal/cloudtrail-record-format";
import { ofType, RecordedResource, ROOT, runUnderMocks, single } from "../support/harness";
import { parseHiveType, uncoveredPaths } from "../support/hive-types";
import { projectedPartition } from "../support/projection";

const ARCHIVE = "222222222222";
const BUCKET = "log-archive-trail-bucket-1a2b3c4";
const ORG = "o-a1b2c3d4e5";
const FIXTURES = path.join(ROOT, "test/fixtures/cloudtrail");
const LOG_FILE = "444444444444_CloudTrail_us-east-1_20261201T2140Z_Mu0KsOhtH1ar15ZZ.json";

const ARGS: AthenaCloudTrailTableArgs = {
    trailBucketName: BUCKET,
    organizationId: ORG,
    databaseName: "org_logging",
    workgroupName: "elb-logs-workgroup-7fade28",
    breakGlassRoleName: "OrgLoggingBreakGlass",
    archiveBucketNames: [BUCKET, "log-archive-config-bucket-5d6e7f8"],
};

async function build(args: AthenaCloudTrailTableArgs = ARGS): Promise<RecordedResource[]> {
    const aws = await import("@pulumi/aws");
    const { AthenaCloudTrailTable } = await import("../../components/athena-cloudtrail-table");
    const { resources } = await runUnderMocks(() => {
        const provider = new aws.Provider("archive", {
            region: "eu-west-1",
            assumeRoles: [{ roleArn: `arn:aws:iam::${ARCHIVE}:role/Deployer` }],
            allowedAccountIds: [ARCHIVE],
        });
        return new AthenaCloudTrailTable("cloudtrail", args, { provider }).table.name;
    });
    return resources;
}

const records = (): Array<Record<string, unknown>> => JSON.parse(fs.readFileSync(path.join(FIXTURES, LOG_FILE), "utf8")).Records;

describe("components/AthenaCloudTrailTable: the CloudTrail record format", () => {
    const recordType = parseHiveType(`struct<${CLOUDTRAIL_COLUMNS.map((c) => `${c.name}:${c.type}`).join(",")}>`);

    it("has a column for every field of every documented sample record, nested fields included", () => {
        const all = records();
        assert.strictEqual(all.length, 10);
        for (const [i, record] of all.entries()) {
            assert.deepStrictEqual(uncoveredPaths(record, recordType, `Records[${i}]`), [], String(record.eventName));
        }
    });

    it("would report a field the table lacks (the check is not vacuous)", () => {
        const record = { ...records()[0], newTopLevelField: "x", userIdentity: { type: "IAMUser", newIdentityField: "y" } };
        assert.deepStrictEqual(uncoveredPaths(record, recordType, "r"), ["r.userIdentity.newIdentityField", "r.newTopLevelField"]);
    });

    it("types the identity, resources, TLS details and addendum as structs with their documented fields", () => {
        const type = (name: string) => parseHiveType(CLOUDTRAIL_COLUMNS.find((c) => c.name === name)!.type);
        const identity = type("useridentity");
        assert.ok(identity.kind === "struct");
        assert.deepStrictEqual(
            [...identity.fields.keys()],
            [
                "type",
                "principalid",
                "arn",
                "accountid",
                "invokedby",
                "accesskeyid",
                "username",
                "credentialid",
                "identityprovider",
                "onbehalfof",
                "inscopeof",
                "sessioncontext",
            ],
        );
        const session = identity.fields.get("sessioncontext")!;
        assert.ok(session.kind === "struct");
        assert.deepStrictEqual(
            [...session.fields.keys()],
            ["attributes", "sessionissuer", "ec2roledelivery", "webidfederationdata", "sourceidentity", "assumedroot"],
        );
        const resources = type("resources");
        assert.ok(resources.kind === "array" && resources.element.kind === "struct");
        assert.deepStrictEqual([...resources.element.fields.keys()], ["arn", "accountid", "type"]);
        const tls = type("tlsdetails");
        assert.ok(tls.kind === "struct");
        assert.deepStrictEqual([...tls.fields.keys()], ["tlsversion", "ciphersuite", "clientprovidedhostheader"]);
        for (const name of [
            "eventversion",
            "eventtime",
            "eventsource",
            "eventname",
            "awsregion",
            "sourceipaddress",
            "useragent",
            "errorcode",
            "errormessage",
            "requestparameters",
            "responseelements",
            "additionaleventdata",
            "requestid",
            "eventid",
            "eventtype",
            "apiversion",
            "readonly",
            "recipientaccountid",
            "serviceeventdetails",
            "sharedeventid",
            "vpcendpointid",
            "addendum",
            "sessioncredentialfromconsole",
            "edgedevicedetails",
        ]) {
            assert.ok(
                CLOUDTRAIL_COLUMNS.some((c) => c.name === name),
                name,
            );
        }
    });
});

describe("components/AthenaCloudTrailTable: partition projection", () => {
    let projection: typeof import("../../components/athena-cloudtrail-table").cloudTrailPartitionProjection;
    let regions: readonly string[];
    before(async () => {
        ({ cloudTrailPartitionProjection: projection, CLOUDTRAIL_REGIONS: regions } =
            await import("../../components/athena-cloudtrail-table"));
    });

    it("finds account, region and day in the key of a real organization-trail log file", () => {
        const p = projection({ bucketName: BUCKET, organizationId: ORG, regions, firstDay: "2020/01/01" });
        assert.strictEqual(p["storage.location.template"], `s3://${BUCKET}/AWSLogs/${ORG}/\${account}/CloudTrail/\${region}/\${day}`);
        const key = `s3://${BUCKET}/AWSLogs/${ORG}/444444444444/CloudTrail/us-east-1/2026/12/01/${LOG_FILE}.gz`;
        assert.deepStrictEqual(projectedPartition(p, key), { account: "444444444444", region: "us-east-1", day: "2026/12/01" });
        // The digest files (log file validation) and the account trail's layout are outside the table.
        assert.strictEqual(
            projectedPartition(p, `s3://${BUCKET}/AWSLogs/${ORG}/444444444444/CloudTrail-Digest/us-east-1/2026/12/01/x.json.gz`),
            undefined,
        );
        assert.strictEqual(
            projectedPartition(p, `s3://${BUCKET}/AWSLogs/444444444444/CloudTrail/us-east-1/2026/12/01/x.json.gz`),
            undefined,
        );
    });

    it("projects the account by injection and lists no account, so a new account needs no change", () => {
        const p = projection({ bucketName: BUCKET, organizationId: ORG, regions, firstDay: "2020/01/01" });
        assert.strictEqual(p["projection.account.type"], "injected");
        assert.strictEqual(p.read_restored_glacier_objects, "true", "restored logs older than the Glacier transition are read");
        assert.deepStrictEqual(
            Object.keys(p).filter((k) => k.startsWith("projection.account.")),
            ["projection.account.type"],
        );
        assert.deepStrictEqual(
            [
                p["projection.day.type"],
                p["projection.day.format"],
                p["projection.day.range"],
                p["projection.day.interval"],
                p["projection.day.interval.unit"],
            ],
            ["date", "yyyy/MM/dd", "2020/01/01,NOW", "1", "DAYS"],
        );
        assert.ok(regions.includes("eu-west-1") && regions.includes("us-east-1"));
        assert.strictEqual(p["projection.region.values"], regions.join(","));
        assert.strictEqual(
            projectedPartition(p, `s3://${BUCKET}/AWSLogs/${ORG}/999999999999/CloudTrail/eu-west-1/2026/02/30/x.json.gz`),
            undefined,
            "no 30 February",
        );
    });

    it("uses the account trail's layout without an organization id", () => {
        const p = projection({ bucketName: BUCKET, regions: ["eu-west-1"], firstDay: "2024/06/01" });
        assert.strictEqual(p["storage.location.template"], `s3://${BUCKET}/AWSLogs/\${account}/CloudTrail/\${region}/\${day}`);
        const key = `s3://${BUCKET}/AWSLogs/666666666666/CloudTrail/eu-west-1/2026/12/01/666666666666_CloudTrail_eu-west-1_20261201T0210Z_Mu0KsOhtH1ar15ZZ.json.gz`;
        assert.deepStrictEqual(projectedPartition(p, key), { account: "666666666666", region: "eu-west-1", day: "2026/12/01" });
        assert.strictEqual(projectedPartition(p, key.replace("eu-west-1/2026", "us-east-1/2026")), undefined, "region outside the enum");
        assert.strictEqual(projectedPartition(p, key.replace("2026/12/01", "2024/05/31")), undefined, "before the first day");
    });
});

describe("components/AthenaCloudTrailTable", () => {
    let resources: RecordedResource[];
    before(async () => {
        resources = await build();
    });

    it("creates one table and one saved query per investigation, in the log-archive account", () => {
        assert.strictEqual(ofType(resources, "aws:glue/catalogTable:CatalogTable").length, 1);
        const queries = ofType(resources, "aws:athena/namedQuery:NamedQuery");
        assert.deepStrictEqual(queries.map((q) => q.name).sort(), [
            "cloudtrail-query-access-denied-bursts",
            "cloudtrail-query-access-key-activity",
            "cloudtrail-query-archive-bucket-changes",
            "cloudtrail-query-break-glass-activity",
            "cloudtrail-query-console-signin-without-mfa",
            "cloudtrail-query-iam-changes",
            "cloudtrail-query-logging-changes",
            "cloudtrail-query-root-activity",
        ]);
        for (const q of queries) {
            assert.deepStrictEqual(
                [q.inputs.database, q.inputs.workgroup, q.account],
                ["org_logging", "elb-logs-workgroup-7fade28", ARCHIVE],
                q.name,
            );
        }
        assert.match(
            String(single(resources, "aws:athena/namedQuery:NamedQuery", "cloudtrail-query-archive-bucket-changes").inputs.query),
            /IN \('log-archive-trail-bucket-1a2b3c4', 'log-archive-config-bucket-5d6e7f8'\)/,
        );
        for (const r of resources.filter((r) => r.custom && !r.type.startsWith("pulumi:providers:"))) {
            assert.strictEqual(r.account, ARCHIVE, r.urn);
        }
    });

    it("reads the trail's files with the CloudTrail SerDe and input format, partitioned by account, region and day", () => {
        const table = single(resources, "aws:glue/catalogTable:CatalogTable").inputs as any;
        assert.deepStrictEqual([table.name, table.databaseName, table.tableType], ["cloudtrail", "org_logging", "EXTERNAL_TABLE"]);
        assert.deepStrictEqual(table.partitionKeys, [
            { name: "account", type: "string" },
            { name: "region", type: "string" },
            { name: "day", type: "string" },
        ]);
        const sd = table.storageDescriptor;
        assert.deepStrictEqual(
            [sd.location, sd.inputFormat, sd.outputFormat, sd.serDeInfo.serializationLibrary],
            [
                `s3://${BUCKET}/AWSLogs/${ORG}/`,
                "com.amazon.emr.cloudtrail.CloudTrailInputFormat",
                "org.apache.hadoop.hive.ql.io.HiveIgnoreKeyTextOutputFormat",
                "org.apache.hive.hcatalog.data.JsonSerDe",
            ],
        );
        assert.deepStrictEqual(
            sd.columns,
            CLOUDTRAIL_COLUMNS.map((c) => ({ name: c.name, type: c.type })),
        );
        assert.strictEqual(table.parameters["projection.enabled"], "true");
        assert.strictEqual(ofType(resources, "aws:glue/crawler:Crawler").length, 0);
        assert.strictEqual(ofType(resources, "aws:lambda/function:Function").length, 0);
    });

    it("leaves out the break-glass and archive queries when neither is given", async () => {
        const bare = await build({ ...ARGS, breakGlassRoleName: undefined, archiveBucketNames: undefined, organizationId: undefined });
        assert.strictEqual(ofType(bare, "aws:athena/namedQuery:NamedQuery").length, 6);
        assert.strictEqual(
            (single(bare, "aws:glue/catalogTable:CatalogTable").inputs as any).storageDescriptor.location,
            `s3://${BUCKET}/AWSLogs/`,
        );
    });
});

describe("components/AthenaCloudTrailTable validation", () => {
    const cases: Array<[string, Partial<AthenaCloudTrailTableArgs>, string]> = [
        [
            "a malformed organization id",
            { organizationId: "a1b2c3" },
            'AthenaCloudTrailTable: `organizationId` ("a1b2c3") is not an AWS Organizations id such as o-a1b2c3d4e5.',
        ],
        [
            "no regions",
            { regions: [] },
            "AthenaCloudTrailTable: `regions` ([]) is empty, so the table would have no partitions. List the regions the trail records, or leave it unset for all of them.",
        ],
        [
            "a region listed twice",
            { regions: ["eu-west-1", "eu-west-1"] },
            'AthenaCloudTrailTable: `regions[1]` ("eu-west-1") is listed twice. List each region once.',
        ],
        [
            "a first day that is no day",
            { firstDay: "2024-02-30" },
            'AthenaCloudTrailTable: `firstDay` ("2024-02-30") is not a day in yyyy/MM/dd form from 2013 on, such as 2020/01/01.',
        ],
        [
            "30 February",
            { firstDay: "2024/02/30" },
            'AthenaCloudTrailTable: `firstDay` ("2024/02/30") is not a day in yyyy/MM/dd form from 2013 on, such as 2020/01/01.',
        ],
        [
            "a role ARN where a role name belongs",
            { breakGlassRoleName: "arn:aws:iam::111111111111:role/X" },
            'AthenaCloudTrailTable: `breakGlassRoleName` ("arn:aws:iam::111111111111:role/X") is not an IAM role name. Name the role without its path or ARN.',
        ],
        [
            "an upper-case table name",
            { tableName: "CloudTrail" },
            'AthenaCloudTrailTable: `tableName` ("CloudTrail") is not a Glue name Athena can query. Use 1-255 lower-case letters, digits and "_".',
        ],
    ];
    for (const [what, change, message] of cases) {
        it(`rejects ${what}, naming the argument`, async () => {
            const { resolveAthenaCloudTrailTableArgs } = await import("../../components/athena-cloudtrail-table");
            assert.throws(() => resolveAthenaCloudTrailTableArgs({ ...ARGS, ...change }), { message });
        });
    }
});
