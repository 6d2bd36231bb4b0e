import * as assert from "assert";
import * as fs from "fs";
import * as path from "path";
import { runPlanCli } from "../support/cli";
import { ROOT, stackConfig } from "../support/harness";

const EXAMPLE = path.join(ROOT, "examples/workload-service");
const WORKLOAD = "444444444444";

interface PlannedResource {
    urn: string;
    type: string;
    name: string;
    account: string;
    region: string;
    inputs: Record<string, any>;
    read?: true;
}

describe("examples/workload-service (offline plan through StackReference)", () => {
    let report: { violations: unknown[]; resources: PlannedResource[]; outputs: Record<string, any>; program: string };
    const one = (type: string, name?: string) => {
        const found = report.resources.filter((r) => r.type === type && (name === undefined || r.name === name));
        assert.strictEqual(found.length, 1, `${type} ${name ?? ""}: ${found.map((r) => r.name)}`);
        return found[0];
    };

    before(async () => {
        const run = await runPlanCli(["--program", EXAMPLE, "--stack", "production", "--json"]);
        assert.strictEqual(run.status, 0, run.stderr);
        report = JSON.parse(run.stdout);
    });

    it("plans with no policy violations, everything in the workload account through its own provider", () => {
        assert.strictEqual(report.program, "workload-service");
        assert.deepStrictEqual(report.violations, []);
        const custom = report.resources.filter((r) => !r.type.startsWith("orglog:") && !r.type.startsWith("pulumi:pulumi:"));
        assert.ok(custom.length > 30, `${custom.length} resources`);
        for (const r of custom) {
            assert.strictEqual(r.account, WORKLOAD, r.urn);
            assert.strictEqual(r.region, "eu-west-1", r.urn);
        }
        // The StackReference is a read, listed as `pulumi preview` lists it.
        assert.strictEqual(one("pulumi:pulumi:StackReference").read, true);
        const provider = one("pulumi:providers:aws");
        assert.deepStrictEqual(JSON.parse(provider.inputs.assumeRoles)[0].roleArn, "arn:aws:iam::444444444444:role/WorkloadDeployer");
        assert.deepStrictEqual(JSON.parse(provider.inputs.allowedAccountIds), [WORKLOAD]);
        // The workload account's own organization was looked up and is the archive's.
        assert.strictEqual(report.outputs.archiveOrganization, stackConfig("production").organizationId);
    });

    it("refuses a workload account outside the archive's organization, whose logs the archive would not admit", async () => {
        const { organizationProblem } = await import("../../examples/workload-service/config");
        const config = { accountId: "999999999999", orgLoggingStack: "acme/org-logging/production" };
        assert.strictEqual(organizationProblem(config, "o-a1b2c3d4e5", "o-a1b2c3d4e5"), undefined);
        assert.strictEqual(
            organizationProblem(config, "o-a1b2c3d4e5", undefined),
            'workload-service:accountId: "999999999999" belongs to no organization, but the archive of acme/org-logging/production admits only the accounts of o-a1b2c3d4e5, so none of the service\'s logs would arrive; deploy into an account of o-a1b2c3d4e5',
        );
        assert.match(
            organizationProblem(config, "o-a1b2c3d4e5", "o-zzzzzzzzzz") ?? "",
            /^workload-service:accountId: "999999999999" belongs to organization o-zzzzzzzzzz, but the archive/,
        );
    });

    it("sends the Firehose copy into the archive bucket and key that the org-logging stack exports", () => {
        const logArchive = stackConfig("production").accounts.logArchive.id;
        const { archivePrefix } = report.outputs;
        const bucketArn = String(archivePrefix).replace(new RegExp(`/firelens/${WORKLOAD}/payments-api/$`), "");
        assert.match(bucketArn, /^arn:aws:s3:::[a-z0-9.-]+$/);
        const s3 = one("aws:kinesis/firehoseDeliveryStream:FirehoseDeliveryStream").inputs.extendedS3Configuration;
        assert.strictEqual(s3.bucketArn, bucketArn);
        // The key lives in the log-archive account of the referenced stack: the value came from its outputs.
        assert.match(s3.kmsKeyArn, new RegExp(`^arn:aws:kms:eu-west-1:${logArchive}:key/`));
        assert.strictEqual(
            s3.prefix,
            `firelens/${WORKLOAD}/payments-api/year=!{timestamp:yyyy}/month=!{timestamp:MM}/day=!{timestamp:dd}/`,
        );
        assert.strictEqual(one("aws:iam/role:Role", "service-firehose-role").inputs.name, "firelens-payments-api-firehose");
    });

    it("puts the service behind an HTTPS load balancer whose access logs go to the central elb-logs bucket", () => {
        const alb = one("aws:lb/loadBalancer:LoadBalancer").inputs;
        // No prefix: the central Athena table reads AWSLogs/<account>/elasticloadbalancing/<region>/...
        assert.deepStrictEqual(alb.accessLogs, { bucket: report.outputs.accessLogsBucket, enabled: true });
        assert.match(String(report.outputs.accessLogsBucket), /^[a-z0-9.-]+$/);
        assert.strictEqual(alb.dropInvalidHeaderFields, true);
        const https = one("aws:lb/listener:Listener", "https").inputs;
        assert.deepStrictEqual([https.port, https.protocol, https.sslPolicy], [443, "HTTPS", "ELBSecurityPolicy-TLS13-1-2-2021-06"]);
        assert.strictEqual(one("aws:lb/listener:Listener", "http-redirect").inputs.defaultActions[0].redirect.protocol, "HTTPS");
        const service = one("aws:ecs/service:Service").inputs;
        assert.deepStrictEqual(
            service.loadBalancers.map((lb: any) => [lb.containerName, lb.containerPort]),
            [["app", 8080]],
        );
        assert.match(service.loadBalancers[0].targetGroupArn, /^arn:aws:elasticloadbalancing:eu-west-1:444444444444:targetgroup\/app-tg/);
        const containers = JSON.parse(one("aws:ecs/taskDefinition:TaskDefinition").inputs.containerDefinitions);
        assert.deepStrictEqual(
            containers.map((c: any) => c.logConfiguration.logDriver),
            ["awslogs", "awsfirelens"],
        );
        const ports = report.resources
            .filter((r) => r.type.startsWith("aws:vpc/securityGroup"))
            .map((r) => [r.name, r.inputs.fromPort, r.inputs.toPort]);
        assert.ok(!ports.some(([, from, to]) => from <= 24224 && 24224 <= to), JSON.stringify(ports));
    });

    it("exits 2 with one line naming the output when the org-logging stack lacks one the service requires", async () => {
        // A copy of the example built against a contract the org-logging stack does not export.
        const dir = path.join(ROOT, ".tmp", `workload-missing-output-${process.pid}`);
        fs.mkdirSync(dir, { recursive: true });
        try {
            for (const file of ["Pulumi.yaml", "Pulumi.production.yaml", "config.ts"]) {
                fs.copyFileSync(path.join(EXAMPLE, file), path.join(dir, file));
            }
            const source = fs.readFileSync(path.join(EXAMPLE, "index.ts"), "utf8");
            assert.ok(source.includes('requireOutput("applicationLogsKeyArn")'));
            fs.writeFileSync(
                path.join(dir, "index.ts"),
                source.replace('requireOutput("applicationLogsKeyArn")', 'requireOutput("applicationLogsKmsKeyArn")'),
            );
            const run = await runPlanCli(["--program", dir, "--stack", "production", "--json"]);
            assert.strictEqual(run.status, 2, run.stderr);
            assert.strictEqual(run.stdout, "");
            assert.strictEqual(
                run.stderr,
                "plan: Required output 'applicationLogsKmsKeyArn' does not exist on stack 'acme/org-logging/production'.\n",
            );
        } finally {
            fs.rmSync(dir, { recursive: true, force: true });
            try {
                fs.rmdirSync(path.dirname(dir));
            } catch {
                // another run still uses it
            }
        }
    });

    it("names every bad config key in one error", async () => {
        const { loadWorkloadConfig } = await import("../../examples/workload-service/config");
        assert.throws(
            () =>
                loadWorkloadConfig(
                    {
                        orgLoggingStack: "acme/other/production",
                        accountId: "444444444444",
                        roleArn: "arn:aws:iam::555555555555:role/WorkloadDeployer",
                        region: "eu-west-1",
                        serviceName: "payments-api",
                        image: "nginx",
                        containerPort: "8080",
                        certificateArn: "arn:aws:acm:eu-west-1:444444444444:certificate/abc",
                        network: { vpcId: "vpc-0a1b", publicSubnetIds: ["subnet-0a"], privateSubnetIds: ["subnet-0b", "subnet-0c"] },
                    },
                    "Pulumi.production.yaml",
                ),
            {
                message:
                    'Pulumi.production.yaml: workload-service:orgLoggingStack: "acme/other/production" is not an org-logging stack such as acme/org-logging/production; ' +
                    'workload-service:network.publicSubnetIds: ["subnet-0a"] must list at least two subnets (two availability zones)',
            },
        );
        const config = loadWorkloadConfig(
            {
                orgLoggingStack: "acme/org-logging/production",
                accountId: 444444444444,
                roleArn: "arn:aws:iam::444444444444:role/WorkloadDeployer",
                region: "eu-west-1",
                serviceName: "payments-api",
                image: "nginx",
                containerPort: "8080",
                certificateArn: "arn:aws:acm:eu-west-1:444444444444:certificate/abc",
                network: { vpcId: "vpc-0a1b", publicSubnetIds: ["subnet-0a", "subnet-0d"], privateSubnetIds: ["subnet-0b", "subnet-0c"] },
            },
            "Pulumi.production.yaml",
        );
        assert.deepStrictEqual([config.accountId, config.containerPort, config.healthCheckPath], ["444444444444", 8080, "/"]);
    });
});
