import * as assert from "assert";
import { loadStackConfig, StackConfigError } from "../../infra/config";
import { runPlanCli } from "../support/cli";
import { policyOf, rawStackConfig, RecordedResource, runUnderMocks, single, stackConfig, statement } from "../support/harness";

interface PlannedResource {
    urn: string;
    type: string;
    name: string;
    account: string;
    inputs: Record<string, any>;
}

const ROLE = "arn:aws:iam::222222222222:role/org-logging-investigator";

describe("infra: investigating the archive (production plan)", () => {
    let resources: PlannedResource[];
    let outputs: Record<string, unknown>;
    const config = stackConfig("production");
    const find = (type: string, name: string) => {
        const found = resources.filter((r) => r.type === type && r.name === name);
        assert.strictEqual(found.length, 1, `${type} ${name}: ${found.length}`);
        return found[0];
    };

    before(async function () {
        this.timeout(240_000);
        const run = await runPlanCli(["--stack", "production", "--json"]);
        assert.strictEqual(run.status, 0, run.stderr);
        ({ resources, outputs } = JSON.parse(run.stdout));
    });

    it("shows the break-glass alarm with its filter on the trail's log group and the encrypted topic as action", () => {
        const topic = find("aws:sns/topic:Topic", "org-trail-alarm-topic");
        assert.ok(topic.inputs.kmsMasterKeyId, "the alert topic is encrypted");
        const filter = find("aws:cloudwatch/logMetricFilter:LogMetricFilter", "org-trail-break-glass-role-assumed-filter");
        assert.strictEqual(filter.inputs.logGroupName, outputs.trailLogGroupName);
        for (const arn of [config.breakGlassRoleArn, "arn:aws:iam::222222222222:role/OrgLoggingBreakGlass"]) {
            assert.ok(filter.inputs.pattern.includes(`($.requestParameters.roleArn = "${arn}")`), arn);
        }
        const alarm = find("aws:cloudwatch/metricAlarm:MetricAlarm", "org-trail-break-glass-role-assumed-alarm");
        assert.deepStrictEqual(
            [alarm.account, alarm.inputs.metricName, alarm.inputs.namespace, alarm.inputs.alarmActions],
            [
                config.accounts.management.id,
                filter.inputs.metricTransformation.name,
                filter.inputs.metricTransformation.namespace,
                [outputs.alarmTopicArn],
            ],
        );
    });

    it("shows the trail-delivery alarm: no events for an hour, missing data breaching, to the topic", () => {
        const alarm = find("aws:cloudwatch/metricAlarm:MetricAlarm", "org-trail-trail-delivery-stopped-alarm").inputs;
        assert.deepStrictEqual(
            [
                alarm.namespace,
                alarm.metricName,
                alarm.dimensions,
                alarm.period,
                alarm.comparisonOperator,
                alarm.threshold,
                alarm.treatMissingData,
                alarm.alarmActions,
            ],
            [
                "AWS/Logs",
                "IncomingLogEvents",
                { LogGroupName: outputs.trailLogGroupName },
                3600,
                "LessThanThreshold",
                1,
                "breaching",
                [outputs.alarmTopicArn],
            ],
        );
    });

    it("creates the investigator role in the log-archive account, trusted only by the configured role with MFA", () => {
        const role = find("aws:iam/role:Role", "investigator-role");
        assert.strictEqual(role.account, config.accounts.logArchive.id);
        assert.strictEqual(outputs.investigatorRoleArn, ROLE);
        assert.deepStrictEqual(config.investigators, [{ roleArn: "arn:aws:iam::111111111111:role/SecurityInvestigations", human: true }]);
        assert.deepStrictEqual(policyOf(role.inputs.assumeRolePolicy).Statement, [
            {
                Sid: "PeopleWithMfa",
                Effect: "Allow",
                Principal: { AWS: ["arn:aws:iam::111111111111:role/SecurityInvestigations"] },
                Action: "sts:AssumeRole",
                Condition: { Bool: { "aws:MultiFactorAuthPresent": "true" } },
            },
        ]);
        const attached = resources.filter((r) => r.inputs.role === role.inputs.name || r.inputs.role === "org-logging-investigator");
        assert.deepStrictEqual(
            attached.map((r) => r.type),
            ["aws:iam/rolePolicy:RolePolicy"],
            "one inline policy, no managed ones",
        );
    });

    it("lets it use only Athena in the enforced workgroup, Glue reads, S3 reads of the archive and KMS decrypt through S3", () => {
        const policy = find("aws:iam/rolePolicy:RolePolicy", "investigator-policy").inputs.policy;
        const workgroup = find("aws:athena/workgroup:Workgroup", "elb-logs-workgroup");
        assert.strictEqual(workgroup.inputs.configuration.enforceWorkgroupConfiguration, true);
        assert.match(statement(policy, "RunQueriesInTheWorkgroup").Resource, new RegExp(`:workgroup/${outputs.athenaWorkgroupName}$`));
        const read = statement(policy, "ReadTheArchive");
        assert.deepStrictEqual(read.Action, ["s3:GetObject", "s3:GetObjectVersion"]);
        assert.deepStrictEqual(read.Resource, [
            `${outputs.trailBucketArn}/AWSLogs/*`,
            `${outputs.applicationLogsBucketArn}/firelens/*`,
            `${outputs.elbLogsBucketArn}/AWSLogs/*`,
        ]);
        const decrypt = statement(policy, "DecryptTheArchiveThroughS3");
        assert.deepStrictEqual(decrypt.Resource, [outputs.trailKeyArn, outputs.applicationLogsKeyArn]);
        assert.deepStrictEqual(decrypt.Condition, { StringEquals: { "kms:ViaService": `s3.${config.region}.amazonaws.com` } });
        const services = new Set(policyOf(policy).Statement.flatMap((s) => [].concat(s.Action).map((a: string) => a.split(":")[0])));
        assert.deepStrictEqual([...services].sort(), ["athena", "glue", "kms", "s3"]);
    });

    it("lets the trail and application-logs keys decrypt for the role, through S3 only", () => {
        for (const name of ["log-archive-trail-key", "log-archive-application-logs-key"]) {
            const s = statement(find("aws:kms/key:Key", name).inputs.policy, "InvestigatorsDecryptThroughS3");
            assert.deepStrictEqual(
                [s.Action, s.Condition.ArnEquals, s.Condition.StringEquals],
                ["kms:Decrypt", { "aws:PrincipalArn": [ROLE] }, { "kms:ViaService": `s3.${config.region}.amazonaws.com` }],
                name,
            );
        }
    });

    it("puts the CloudTrail and application-logs tables beside the ALB table, over the organization trail's layout", () => {
        const cloudtrail = find("aws:glue/catalogTable:CatalogTable", "cloudtrail-table");
        assert.strictEqual(cloudtrail.account, config.accounts.logArchive.id);
        assert.strictEqual(
            cloudtrail.inputs.parameters["storage.location.template"],
            `s3://${outputs.trailBucketName}/AWSLogs/${config.organizationId}/\${account}/CloudTrail/\${region}/\${day}`,
        );
        const app = find("aws:glue/catalogTable:CatalogTable", "application-logs-table");
        assert.strictEqual(
            app.inputs.parameters["storage.location.template"],
            `s3://${outputs.applicationLogsBucketName}/firelens/\${account}/\${service}/year=\${year}/month=\${month}/day=\${day}`,
        );
        assert.deepStrictEqual([outputs.cloudTrailTableName, outputs.applicationLogsTableName], ["cloudtrail", "application_logs"]);
        const archiveQuery = find("aws:athena/namedQuery:NamedQuery", "cloudtrail-query-archive-bucket-changes").inputs.query;
        for (const bucket of [
            outputs.trailBucketName,
            outputs.configBucketName,
            outputs.elbLogsBucketName,
            outputs.applicationLogsBucketName,
            outputs.accessLogsBucketName,
        ]) {
            assert.ok(archiveQuery.includes(`'${bucket}'`), String(bucket));
        }
        assert.match(
            find("aws:athena/namedQuery:NamedQuery", "cloudtrail-query-break-glass-activity").inputs.query,
            /'%:role\/OrgLoggingBreakGlass'/,
        );
    });
});

describe("infra: investigating the archive (integration)", () => {
    let resources: RecordedResource[];
    before(async () => {
        const { createOrgLogging } = await import("../../infra/program");
        resources = (await runUnderMocks(() => createOrgLogging(stackConfig("integration")), { stack: "integration" })).resources;
    });

    it("reads the account trail's layout, and creates no investigator role when none is configured", () => {
        const parameters = (single(resources, "aws:glue/catalogTable:CatalogTable", "cloudtrail-table").inputs as any).parameters;
        assert.match(
            parameters["storage.location.template"],
            /^s3:\/\/[^/]+\/AWSLogs\/\$\{account\}\/CloudTrail\/\$\{region\}\/\$\{day\}$/,
        );
        assert.strictEqual(resources.filter((r) => r.type === "orglog:index:ArchiveInvestigatorRole").length, 0);
        const trailKey = policyOf(single(resources, "aws:kms/key:Key", "log-archive-trail-key").inputs.policy);
        assert.ok(!trailKey.Statement.some((s) => s.Sid === "InvestigatorsDecryptThroughS3"));
    });
});

describe("infra/config: investigators", () => {
    const problemsOf = (investigators: unknown): string[] => {
        try {
            loadStackConfig({ ...rawStackConfig("production"), investigators }, "Pulumi.production.yaml");
        } catch (err) {
            assert.ok(err instanceof StackConfigError);
            return err.problems;
        }
        assert.fail("config was accepted");
    };

    it("names the key, the value and the fix of every bad entry", () => {
        assert.deepStrictEqual(problemsOf([]), ["org-logging:investigators: [] must list at least one role, or be left unset"]);
        assert.deepStrictEqual(problemsOf([{ roleArn: "nope", human: "yes" }]), [
            'org-logging:investigators.0.roleArn: "nope" is not an IAM role ARN (arn:<partition>:iam::<account id>:role/<name>)',
            'org-logging:investigators.0.human: "yes" is not true (a person: MFA required) or false (automation)',
        ]);
        assert.deepStrictEqual(problemsOf([{ roleArn: "arn:aws:iam::111111111111:role/A", human: true, mfa: 1 }]), [
            "org-logging:investigators.0.mfa: unknown key; check its spelling or remove it",
        ]);
        assert.deepStrictEqual(
            problemsOf([
                { roleArn: "arn:aws:iam::111111111111:role/A", human: true },
                { roleArn: "arn:aws:iam::111111111111:role/A", human: false },
            ]),
            [
                'org-logging:investigators.1.roleArn: "arn:aws:iam::111111111111:role/A" is listed twice (also org-logging:investigators.0); list each role once',
            ],
        );
        assert.match(
            problemsOf([{ roleArn: "arn:aws:iam::111111111111:role/A" }])[0],
            /^org-logging:investigators\.0\.human: is required but missing/,
        );
    });
});
