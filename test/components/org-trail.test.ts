import * as assert from "assert";
import type { OrgTrailArgs } from "../../components/org-trail";
import { CIS_METRIC_FILTERS } from "../../components/policies/cis-metric-filters";
import { ofType, policyOf, RecordedResource, runUnderMocks, single, statement } from "../support/harness";

const MANAGEMENT = "111111111111";
const ARCHIVE = "222222222222";
const TRAIL_ARN = `arn:aws:cloudtrail:eu-west-1:${MANAGEMENT}:trail/org-logging`;
const LOG_GROUP = "/org-logging/cloudtrail/org-logging";
const LOG_GROUP_ARN = `arn:aws:logs:eu-west-1:${MANAGEMENT}:log-group:${LOG_GROUP}`;
const BREAK_GLASS = `arn:aws:iam::${MANAGEMENT}:role/OrgLoggingBreakGlass`;

const ARGS: Omit<OrgTrailArgs, "destination"> = {
    trailName: "org-logging",
    trailMode: "organization",
    alarmEmail: "security@example.com",
    protectWithScp: true,
    breakGlassPrincipalArns: [BREAK_GLASS],
};

/**
 * Builds the trail in the management account against a stand-in archive (bucket policy and key in
 * the log-archive account) so that the trail's dependencies can be checked.
 */
async function build(args: Partial<OrgTrailArgs> = {}): Promise<RecordedResource[]> {
    const aws = await import("@pulumi/aws");
    const { OrgTrail } = await import("../../components/org-trail");
    const { resources } = await runUnderMocks(() => {
        const provider = (name: string, account: string) =>
            new aws.Provider(name, {
                region: "eu-west-1",
                assumeRoles: [{ roleArn: `arn:aws:iam::${account}:role/Deployer` }],
                allowedAccountIds: [account],
            });
        const archive = provider("archive", ARCHIVE);
        const bucket = new aws.s3.Bucket("archive-bucket", {}, { provider: archive });
        const key = new aws.kms.Key("archive-key", {}, { provider: archive });
        const bucketPolicy = new aws.s3.BucketPolicy("archive-bucket-policy", { bucket: bucket.id, policy: "{}" }, { provider: archive });
        const trail = new OrgTrail(
            "org-trail",
            { ...ARGS, destination: { bucketName: bucket.bucket, kmsKeyArn: key.arn, ready: [bucketPolicy, key] }, ...args },
            { provider: provider("management", MANAGEMENT) },
        );
        return trail.trail.arn;
    });
    return resources;
}

describe("components/OrgTrail", () => {
    let resources: RecordedResource[];
    before(async () => {
        resources = await build();
    });

    it("creates a multi-region organization trail with global events, validation, KMS and CloudWatch Logs", () => {
        const trail = single(resources, "aws:cloudtrail/trail:Trail", "org-trail-trail");
        assert.strictEqual(trail.account, MANAGEMENT);
        assert.strictEqual(trail.state.arn, TRAIL_ARN);
        const inputs = trail.inputs;
        assert.strictEqual(inputs.name, "org-logging");
        assert.strictEqual(inputs.s3BucketName, single(resources, "aws:s3/bucket:Bucket").state.bucket);
        assert.strictEqual(inputs.kmsKeyId, single(resources, "aws:kms/key:Key", "archive-key").state.arn);
        for (const flag of [
            "isOrganizationTrail",
            "isMultiRegionTrail",
            "includeGlobalServiceEvents",
            "enableLogFileValidation",
            "enableLogging",
        ]) {
            assert.strictEqual(inputs[flag], true, flag);
        }
        assert.strictEqual(inputs.cloudWatchLogsGroupArn, `${LOG_GROUP_ARN}:*`);
        assert.strictEqual(inputs.cloudWatchLogsRoleArn, single(resources, "aws:iam/role:Role").state.arn);
    });

    it("depends on the archive's bucket policy and key, and on the delivery role's policy", () => {
        const trail = single(resources, "aws:cloudtrail/trail:Trail");
        for (const [type, name] of [
            ["aws:s3/bucketPolicy:BucketPolicy", "archive-bucket-policy"],
            ["aws:kms/key:Key", "archive-key"],
            ["aws:iam/rolePolicy:RolePolicy", "org-trail-delivery-role-policy"],
        ]) {
            assert.ok(trail.dependencies.includes(single(resources, type, name).urn), name);
        }
    });

    it("delivers into an encrypted log group with retention, through a role only the trail may assume", () => {
        const group = single(resources, "aws:cloudwatch/logGroup:LogGroup");
        const key = single(resources, "aws:kms/key:Key", "org-trail-log-group-key");
        assert.deepStrictEqual([group.inputs.name, group.inputs.retentionInDays, group.inputs.kmsKeyId], [LOG_GROUP, 365, key.state.arn]);
        assert.strictEqual(key.inputs.enableKeyRotation, true);
        assert.deepStrictEqual(statement(key.inputs.policy, "CloudWatchLogsEncryptsTrailLogGroup").Condition, {
            ArnEquals: { "kms:EncryptionContext:aws:logs:arn": LOG_GROUP_ARN },
        });
        assert.deepStrictEqual(statement(key.inputs.policy, "CloudWatchLogsEncryptsTrailLogGroup").Principal, {
            Service: "logs.eu-west-1.amazonaws.com",
        });
        const role = single(resources, "aws:iam/role:Role");
        assert.strictEqual(statement(role.inputs.assumeRolePolicy, "CloudTrailAssumesForTrail").Condition, undefined);
        const rolePolicy = single(resources, "aws:iam/rolePolicy:RolePolicy");
        assert.deepStrictEqual(policyOf(rolePolicy.inputs.policy).Statement, [
            {
                Sid: "DeliverTrailEvents",
                Effect: "Allow",
                Action: ["logs:CreateLogStream", "logs:PutLogEvents"],
                Resource: `${LOG_GROUP_ARN}:log-stream:*`,
            },
        ]);
    });

    it("creates the seventeen metric filters with the benchmark's patterns on the trail's log group", () => {
        const filters = ofType(resources, "aws:cloudwatch/logMetricFilter:LogMetricFilter");
        assert.strictEqual(filters.length, 17);
        for (const cis of CIS_METRIC_FILTERS) {
            const filter = single(resources, "aws:cloudwatch/logMetricFilter:LogMetricFilter", `org-trail-${cis.id}-filter`);
            assert.strictEqual(filter.inputs.pattern, cis.pattern, cis.id);
            assert.strictEqual(filter.inputs.logGroupName, LOG_GROUP);
            assert.strictEqual((filter.inputs.metricTransformation as any).namespace, "CISBenchmark");
            assert.strictEqual((filter.inputs.metricTransformation as any).value, "1");
        }
    });

    it("alarms on each metric (Sum over 300 s >= 1, missing data not breaching) into the encrypted topic", () => {
        const topic = single(resources, "aws:sns/topic:Topic");
        const alarms = ofType(resources, "aws:cloudwatch/metricAlarm:MetricAlarm");
        // The 16 filter alarms and the delivery alarm; no break-glass alarm without alarmOnAssumeRoleArns.
        assert.strictEqual(alarms.length, 18);
        for (const cis of CIS_METRIC_FILTERS) {
            const filter = single(resources, "aws:cloudwatch/logMetricFilter:LogMetricFilter", `org-trail-${cis.id}-filter`);
            const alarm = single(resources, "aws:cloudwatch/metricAlarm:MetricAlarm", `org-trail-${cis.id}-alarm`).inputs;
            assert.deepStrictEqual(
                [
                    alarm.namespace,
                    alarm.metricName,
                    alarm.statistic,
                    alarm.period,
                    alarm.evaluationPeriods,
                    alarm.threshold,
                    alarm.comparisonOperator,
                    alarm.treatMissingData,
                    alarm.alarmActions,
                ],
                [
                    "CISBenchmark",
                    (filter.inputs.metricTransformation as any).name,
                    "Sum",
                    300,
                    1,
                    1,
                    "GreaterThanOrEqualToThreshold",
                    "notBreaching",
                    [topic.state.arn],
                ],
                cis.id,
            );
        }
        assert.strictEqual(
            single(resources, "aws:cloudwatch/metricAlarm:MetricAlarm", "org-trail-iam-user-created-alarm").inputs.metricName,
            "IamUserCreated",
        );
        const key = single(resources, "aws:kms/key:Key", "org-trail-alarm-topic-key");
        assert.strictEqual(topic.inputs.kmsMasterKeyId, key.state.arn);
        assert.deepStrictEqual(statement(key.inputs.policy, "CloudWatchAlarmsEncrypt").Principal, { Service: "cloudwatch.amazonaws.com" });
        const topicPolicy = single(resources, "aws:sns/topicPolicy:TopicPolicy");
        assert.strictEqual(topicPolicy.inputs.arn, topic.state.arn);
        assert.deepStrictEqual(statement(topicPolicy.inputs.policy, "CloudWatchAlarmsPublish").Condition, {
            ArnLike: { "aws:SourceArn": `arn:aws:cloudwatch:eu-west-1:${MANAGEMENT}:alarm:*` },
            StringEquals: { "aws:SourceAccount": MANAGEMENT },
        });
        const subscription = single(resources, "aws:sns/topicSubscription:TopicSubscription").inputs;
        assert.deepStrictEqual(
            [subscription.topic, subscription.protocol, subscription.endpoint],
            [topic.state.arn, "email", "security@example.com"],
        );
    });

    it("attaches the trail SCP to the organization's root by default", () => {
        const scp = single(resources, "aws:organizations/policy:Policy", "org-trail-scp");
        assert.strictEqual(scp.inputs.type, "SERVICE_CONTROL_POLICY");
        const deny = statement(scp.inputs.content, "DenyTrailChanges");
        for (const action of [
            "cloudtrail:StopLogging",
            "cloudtrail:DeleteTrail",
            "cloudtrail:UpdateTrail",
            "cloudtrail:PutEventSelectors",
            "cloudtrail:PutInsightSelectors",
        ]) {
            assert.ok(deny.Action.includes(action), action);
        }
        // SCPs never bind the management account: the exception is each member account's break-glass role.
        assert.deepStrictEqual(deny.Condition, { ArnNotLike: { "aws:PrincipalARN": ["arn:aws:iam::*:role/OrgLoggingBreakGlass"] } });
        const attachment = single(resources, "aws:organizations/policyAttachment:PolicyAttachment", "org-trail-scp-attachment-root");
        assert.deepStrictEqual(
            [attachment.inputs.policyId, attachment.inputs.targetId, attachment.account],
            [scp.state.id, "r-1111", MANAGEMENT],
        );
    });

    it("alarms when the trail delivers no events into its log group for an hour, missing data breaching", () => {
        const topic = single(resources, "aws:sns/topic:Topic");
        const logGroup = single(resources, "aws:cloudwatch/logGroup:LogGroup");
        const alarm = single(resources, "aws:cloudwatch/metricAlarm:MetricAlarm", "org-trail-trail-delivery-stopped-alarm").inputs;
        assert.deepStrictEqual(
            [
                alarm.namespace,
                alarm.metricName,
                alarm.dimensions,
                alarm.statistic,
                alarm.period,
                alarm.evaluationPeriods,
                alarm.threshold,
                alarm.comparisonOperator,
                alarm.treatMissingData,
            ],
            ["AWS/Logs", "IncomingLogEvents", { LogGroupName: logGroup.state.name }, "Sum", 3600, 1, 1, "LessThanThreshold", "breaching"],
        );
        assert.deepStrictEqual([alarm.alarmActions, alarm.okActions], [[topic.state.arn], [topic.state.arn]]);
        assert.strictEqual(
            ofType(resources, "aws:cloudwatch/logMetricFilter:LogMetricFilter", "org-trail-break-glass-role-assumed-filter").length,
            0,
        );
    });

    it("alarms on every assumption of the named break-glass roles, through STS or the console", async () => {
        const archiveBreakGlass = `arn:aws:iam::${ARCHIVE}:role/OrgLoggingBreakGlass`;
        const withAlarm = await build({ alarmOnAssumeRoleArns: [BREAK_GLASS, archiveBreakGlass] });
        const topic = single(withAlarm, "aws:sns/topic:Topic");
        const filter = single(
            withAlarm,
            "aws:cloudwatch/logMetricFilter:LogMetricFilter",
            "org-trail-break-glass-role-assumed-filter",
        ).inputs;
        assert.strictEqual(filter.logGroupName, LOG_GROUP);
        assert.strictEqual(
            filter.pattern,
            `{ (($.eventSource = "sts.amazonaws.com") && ($.eventName = "AssumeRole") && (($.requestParameters.roleArn = "${BREAK_GLASS}") || ($.requestParameters.roleArn = "${archiveBreakGlass}")))` +
                ` || (($.eventSource = "signin.amazonaws.com") && ($.eventName = "SwitchRole") && (($.additionalEventData.SwitchTo = "${BREAK_GLASS}") || ($.additionalEventData.SwitchTo = "${archiveBreakGlass}"))) }`,
        );
        assert.deepStrictEqual(filter.metricTransformation, { name: "BreakGlassRoleAssumed", namespace: "CISBenchmark", value: "1" });
        const alarm = single(withAlarm, "aws:cloudwatch/metricAlarm:MetricAlarm", "org-trail-break-glass-role-assumed-alarm").inputs;
        assert.deepStrictEqual(
            [
                alarm.namespace,
                alarm.metricName,
                alarm.statistic,
                alarm.period,
                alarm.threshold,
                alarm.comparisonOperator,
                alarm.treatMissingData,
                alarm.alarmActions,
            ],
            ["CISBenchmark", "BreakGlassRoleAssumed", "Sum", 300, 1, "GreaterThanOrEqualToThreshold", "notBreaching", [topic.state.arn]],
        );
        assert.strictEqual(ofType(withAlarm, "aws:cloudwatch/metricAlarm:MetricAlarm").length, 19);
    });

    describe("account mode, explicit retention and SCP targets", () => {
        it("creates an account trail that keeps the other settings, and attaches the SCP to each named target instead of the root", async () => {
            const accountMode = await build({
                trailMode: "account",
                logGroupRetentionDays: 90,
                scpTargetIds: ["ou-ab12-cdef3456", "444444444444"],
            });
            const trail = single(accountMode, "aws:cloudtrail/trail:Trail").inputs;
            assert.deepStrictEqual(
                [trail.isOrganizationTrail, trail.isMultiRegionTrail, trail.enableLogFileValidation],
                [false, true, true],
            );
            assert.strictEqual(single(accountMode, "aws:cloudwatch/logGroup:LogGroup").inputs.retentionInDays, 90);
            assert.strictEqual(ofType(accountMode, "aws:cloudwatch/metricAlarm:MetricAlarm").length, 18);
            const attachments = ofType(accountMode, "aws:organizations/policyAttachment:PolicyAttachment");
            assert.deepStrictEqual(attachments.map((a) => a.inputs.targetId).sort(), ["444444444444", "ou-ab12-cdef3456"]);
        });
    });
});

describe("components/OrgTrail validation", () => {
    const cases: Array<[string, Partial<OrgTrailArgs>, string]> = [
        [
            "an invalid trail name",
            { trailName: "my trail" },
            'OrgTrail: `trailName` ("my trail") is not a valid trail name. Use 3-128 letters, digits, ".", "_" or "-", starting and ending with a letter or digit.',
        ],
        [
            "a retention CloudWatch Logs does not accept",
            { logGroupRetentionDays: 100 },
            "OrgTrail: `logGroupRetentionDays` (100) is not a retention CloudWatch Logs accepts. Use one of 1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922, 3288, 3653.",
        ],
        [
            "an SCP without break-glass role",
            { breakGlassPrincipalArns: [] },
            "OrgTrail: `breakGlassPrincipalArns` ([]) is required with `protectWithScp`. Name the role that may still repair a trail.",
        ],
        [
            "an SCP target that is no root, OU or account",
            { scpTargetIds: ["root"] },
            'OrgTrail: `scpTargetIds` ("root") is not an organization root, OU or account id. Use r-..., ou-...-... or a 12-digit account id.',
        ],
        [
            "a break-glass alarm role that is not a role ARN",
            { alarmOnAssumeRoleArns: ["OrgLoggingBreakGlass"] },
            'OrgTrail: `alarmOnAssumeRoleArns` ("OrgLoggingBreakGlass") is not an IAM role ARN. Name a role such as arn:aws:iam::111111111111:role/BreakGlass.',
        ],
    ];
    for (const [what, change, message] of cases) {
        it(`rejects ${what}, naming the argument`, async () => {
            const { resolveOrgTrailArgs } = await import("../../components/org-trail");
            assert.throws(() => resolveOrgTrailArgs({ ...ARGS, destination: { bucketName: "b", kmsKeyArn: "k" }, ...change }), { message });
        });
    }
});
