import * as assert from "assert";
import { RecordedResource, runUnderMocks, single, stackConfig, unwrap } from "../support/harness";

describe("infra/analytics (production stack)", () => {
    const config = stackConfig("production");
    let resources: RecordedResource[];
    let outputs: Record<string, unknown>;

    before(async () => {
        const { createOrgLogging } = await import("../../infra/program");
        const run = await runUnderMocks(() => createOrgLogging(config), { stack: "production" });
        resources = run.resources;
        outputs = (await unwrap(run.result)) as Record<string, unknown>;
    });

    it("puts the ALB table and its workgroup in the log-archive account", () => {
        const component = single(resources, "orglog:index:AthenaElbTable");
        assert.strictEqual(component.account, config.accounts.logArchive.id);
        for (const r of resources.filter((r) => r.parent === component.urn && r.custom)) {
            assert.strictEqual(r.account, config.accounts.logArchive.id, r.urn);
        }
    });

    it("reads the archive's elb-logs bucket for any account a query names (injected, no account list), in the stack's region", () => {
        const elbLogs = resources.find((r) => r.type === "aws:s3/bucket:Bucket" && r.name === "log-archive-elb-logs-bucket");
        assert.ok(elbLogs, "no elb-logs bucket in the archive");
        const parameters = (single(resources, "aws:glue/catalogTable:CatalogTable", "elb-logs-table").inputs as any).parameters;
        assert.strictEqual(
            parameters["storage.location.template"],
            `s3://${elbLogs.state.bucket}/AWSLogs/\${account}/elasticloadbalancing/\${region}/\${year}/\${month}/\${day}`,
        );
        assert.strictEqual(parameters["projection.account.type"], "injected");
        assert.strictEqual(parameters["projection.account.values"], undefined);
        assert.strictEqual(parameters["projection.region.values"], "eu-west-1");
    });

    it("exports the athena* outputs of the contract", () => {
        assert.strictEqual(outputs.athenaDatabaseName, "org_logging");
        assert.strictEqual(outputs.athenaTableName, "alb_access_logs");
        assert.strictEqual(outputs.athenaWorkgroupName, single(resources, "aws:athena/workgroup:Workgroup").state.name);
    });
});
