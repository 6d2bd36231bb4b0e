import * as assert from "assert";
import { NON_COMPLIANT_EVENT_PATTERN, complianceKeyPolicy, complianceTopicPolicy } from "../../../components/policies/baseline-policies";
import { CIS_METRIC_FILTERS } from "../../../components/policies/cis-metric-filters";
import {
    alarmKeyPolicy,
    alarmTopicPolicy,
    logGroupKeyPolicy,
    trailDeliveryRolePolicy,
    trailDeliveryTrustPolicy,
} from "../../../components/policies/trail-monitoring-policies";

const TOPIC = "arn:aws:sns:eu-west-1:111111111111:alarms";
const TOPIC_TLS = {
    Sid: "DenyInsecureTransport",
    Effect: "Deny",
    Principal: "*",
    Action: "sns:Publish",
    Resource: TOPIC,
    Condition: { Bool: { "aws:SecureTransport": "false" } },
};

describe("components/policies (trail monitoring and baseline)", () => {
    describe("CIS_METRIC_FILTERS", () => {
        it("covers CIS 4.1-4.15 once each, plus the field documents' IAM user alarm and the trail selectors' alarm, with unique ids", () => {
            assert.deepStrictEqual(
                CIS_METRIC_FILTERS.map((f) => f.control),
                [...Array.from({ length: 15 }, (_, i) => `4.${i + 1}`), "field", "field"],
            );
            assert.strictEqual(new Set(CIS_METRIC_FILTERS.map((f) => f.id)).size, 17);
        });

        // A few patterns spelled out here too, so an edit of the table cannot silently weaken them.
        const expected: Record<string, string> = {
            "4.3": '{ $.userIdentity.type = "Root" && $.userIdentity.invokedBy NOT EXISTS && $.eventType != "AwsServiceEvent" }',
            "4.5": "{ ($.eventName = CreateTrail) || ($.eventName = UpdateTrail) || ($.eventName = DeleteTrail) || ($.eventName = StartLogging) || ($.eventName = StopLogging) }",
            "4.7": "{($.eventSource = kms.amazonaws.com) && (($.eventName=DisableKey)||($.eventName=ScheduleKeyDeletion)) }",
            field: "{ ($.eventSource = iam.amazonaws.com) && ($.eventName = CreateUser) }",
        };
        for (const [control, pattern] of Object.entries(expected)) {
            it(`uses the benchmark's pattern for ${control}`, () => {
                assert.strictEqual(CIS_METRIC_FILTERS.find((f) => f.control === control)?.pattern, pattern);
            });
        }

        it("writes every pattern as one balanced JSON filter expression", () => {
            for (const f of CIS_METRIC_FILTERS) {
                assert.ok(f.pattern.startsWith("{") && f.pattern.endsWith("}"), f.id);
                let depth = 0;
                for (const ch of f.pattern.slice(1, -1)) {
                    depth += ch === "(" ? 1 : ch === ")" ? -1 : 0;
                    assert.ok(depth >= 0, f.id);
                }
                assert.strictEqual(depth, 0, f.id);
            }
        });
    });

    describe("trail delivery into CloudWatch Logs", () => {
        it("lets CloudWatch Logs use the key for the one log group (encryption context)", () => {
            const doc: any = logGroupKeyPolicy({
                partition: "aws",
                region: "eu-west-1",
                accountId: "111111111111",
                logGroupName: "/org-logging/cloudtrail/t",
            });
            assert.deepStrictEqual(doc.Statement[1], {
                Sid: "CloudWatchLogsEncryptsTrailLogGroup",
                Effect: "Allow",
                Principal: { Service: "logs.eu-west-1.amazonaws.com" },
                Action: ["kms:Encrypt*", "kms:Decrypt*", "kms:ReEncrypt*", "kms:GenerateDataKey*", "kms:Describe*"],
                Resource: "*",
                Condition: {
                    ArnEquals: {
                        "kms:EncryptionContext:aws:logs:arn": "arn:aws:logs:eu-west-1:111111111111:log-group:/org-logging/cloudtrail/t",
                    },
                },
            });
        });
        it("trusts CloudTrail without a source condition (CloudTrail sends none for this role) and allows only stream creation and puts in the group", () => {
            assert.deepStrictEqual((trailDeliveryTrustPolicy() as any).Statement, [
                {
                    Sid: "CloudTrailAssumesForTrail",
                    Effect: "Allow",
                    Principal: { Service: "cloudtrail.amazonaws.com" },
                    Action: "sts:AssumeRole",
                },
            ]);
            assert.deepStrictEqual(
                (trailDeliveryRolePolicy({ logGroupArn: "arn:aws:logs:eu-west-1:111111111111:log-group:g" }) as any).Statement,
                [
                    {
                        Sid: "DeliverTrailEvents",
                        Effect: "Allow",
                        Action: ["logs:CreateLogStream", "logs:PutLogEvents"],
                        Resource: "arn:aws:logs:eu-west-1:111111111111:log-group:g:log-stream:*",
                    },
                ],
            );
        });
    });

    describe("alarm topic", () => {
        it("lets only this account's alarms publish, over TLS, and encrypt with the key", () => {
            const doc: any = alarmTopicPolicy({ topicArn: TOPIC, partition: "aws", region: "eu-west-1", accountId: "111111111111" });
            assert.deepStrictEqual(doc.Statement[0], TOPIC_TLS);
            assert.deepStrictEqual(doc.Statement[1].Condition, {
                ArnLike: { "aws:SourceArn": "arn:aws:cloudwatch:eu-west-1:111111111111:alarm:*" },
                StringEquals: { "aws:SourceAccount": "111111111111" },
            });
            const key: any = alarmKeyPolicy({ partition: "aws", accountId: "111111111111" });
            assert.deepStrictEqual(key.Statement[1].Principal, { Service: "cloudwatch.amazonaws.com" });
            assert.deepStrictEqual(key.Statement[1].Condition, { StringEquals: { "aws:SourceAccount": "111111111111" } });
        });
    });

    describe("compliance notifications", () => {
        it("matches Config evaluations that turn NON_COMPLIANT", () => {
            assert.deepStrictEqual(JSON.parse(JSON.stringify(NON_COMPLIANT_EVENT_PATTERN)), {
                source: ["aws.config"],
                "detail-type": ["Config Rules Compliance Change"],
                detail: { messageType: ["ComplianceChangeNotification"], newEvaluationResult: { complianceType: ["NON_COMPLIANT"] } },
            });
        });
        it("lets only the one rule publish, and EventBridge encrypt without a source condition it would not carry", () => {
            const rule = "arn:aws:events:eu-west-1:111111111111:rule/r";
            assert.deepStrictEqual((complianceTopicPolicy({ topicArn: TOPIC, ruleArn: rule }) as any).Statement, [
                TOPIC_TLS,
                {
                    Sid: "ComplianceRulePublishes",
                    Effect: "Allow",
                    Principal: { Service: "events.amazonaws.com" },
                    Action: "sns:Publish",
                    Resource: TOPIC,
                    Condition: { ArnEquals: { "aws:SourceArn": rule } },
                },
            ]);
            // EventBridge's KMS requests for an encrypted SNS target carry no aws:Source* keys: a condition
            // would drop every finding silently. The topic policy above is what limits publishing.
            assert.deepStrictEqual((complianceKeyPolicy({ partition: "aws", accountId: "111111111111" }) as any).Statement[1], {
                Sid: "EventBridgeEncrypts",
                Effect: "Allow",
                Principal: { Service: "events.amazonaws.com" },
                Action: ["kms:Decrypt", "kms:GenerateDataKey*"],
                Resource: "*",
            });
        });
    });
});
