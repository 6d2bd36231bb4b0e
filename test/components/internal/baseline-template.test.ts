import * as assert from "assert";
import {
    EBS_ENCRYPTION_REMEDIATION_DOCUMENT,
    FINDINGS_FORWARDER_RULE_NAME,
    S3_PUBLIC_ACCESS_REMEDIATION_DOCUMENT,
    baselineTemplate,
    baselineTemplateParameters,
} from "../../../components/internal/baseline-template";
import { cfnLint } from "../../support/cfn-lint";

const types = (t: ReturnType<typeof baselineTemplate>) => Object.values(t.Resources).map((r) => r.Type);

describe("components/internal/baseline-template", () => {
    it("is pure: the same options give the same template", () => {
        assert.deepStrictEqual(baselineTemplate({ configRecorder: "create" }), baselineTemplate({ configRecorder: "create" }));
    });

    it("records all supported resource types, global ones only in the home region, and delivers to the config bucket with its key", () => {
        const t = baselineTemplate({ configRecorder: "create" });
        const recorder = t.Resources.ConfigurationRecorder;
        assert.strictEqual(recorder.Type, "AWS::Config::ConfigurationRecorder");
        assert.deepStrictEqual(recorder.Properties.RecordingGroup, {
            AllSupported: true,
            IncludeGlobalResourceTypes: { "Fn::If": ["IsHomeRegion", true, false] },
        });
        assert.deepStrictEqual(t.Conditions.IsHomeRegion, { "Fn::Equals": [{ Ref: "AWS::Region" }, { Ref: "HomeRegion" }] });
        const channel = t.Resources.DeliveryChannel;
        assert.deepStrictEqual(
            [channel.Properties.S3BucketName, channel.Properties.S3KmsKeyArn],
            [{ Ref: "ConfigBucketName" }, { Ref: "ConfigKmsKeyArn" }],
        );
        assert.deepStrictEqual(channel.DependsOn, ["ConfigurationRecorder"]);
        // Config's service-linked role is global: created once, in the home region, unless it already exists.
        assert.strictEqual(t.Resources.ConfigServiceLinkedRole.Condition, "CreateServiceLinkedRoleHere");
        assert.deepStrictEqual(t.Conditions.CreateServiceLinkedRoleHere, {
            "Fn::And": [{ Condition: "IsHomeRegion" }, { "Fn::Equals": [{ Ref: "CreateServiceLinkedRole" }, "true"] }],
        });
    });

    it("enforces the S3 account public access block (home region) and EBS encryption by default (every region) with automatic SSM remediation", () => {
        const t = baselineTemplate({ configRecorder: "create" });
        assert.strictEqual(
            t.Resources.S3AccountPublicAccessRule.Properties.Source &&
                (t.Resources.S3AccountPublicAccessRule.Properties.Source as any).SourceIdentifier,
            "S3_ACCOUNT_LEVEL_PUBLIC_ACCESS_BLOCKS_PERIODIC",
        );
        assert.strictEqual(t.Resources.S3AccountPublicAccessRule.Condition, "IsHomeRegion");
        assert.strictEqual((t.Resources.EbsEncryptionRule.Properties.Source as any).SourceIdentifier, "EC2_EBS_ENCRYPTION_BY_DEFAULT");
        assert.strictEqual(t.Resources.EbsEncryptionRule.Condition, undefined);
        const s3 = t.Resources.S3AccountPublicAccessRemediation.Properties;
        const ebs = t.Resources.EbsEncryptionRemediation.Properties;
        assert.deepStrictEqual([s3.TargetId, s3.Automatic, s3.TargetType], [S3_PUBLIC_ACCESS_REMEDIATION_DOCUMENT, true, "SSM_DOCUMENT"]);
        assert.deepStrictEqual([ebs.TargetId, ebs.Automatic], [EBS_ENCRYPTION_REMEDIATION_DOCUMENT, true]);
        assert.strictEqual(S3_PUBLIC_ACCESS_REMEDIATION_DOCUMENT, "AWSConfigRemediation-ConfigureS3PublicAccessBlock");
        assert.strictEqual(EBS_ENCRYPTION_REMEDIATION_DOCUMENT, "AWSConfigRemediation-EnableEbsEncryptionByDefault");
        // The rules wait for the recorder's delivery channel: a rule needs a recorder in the account.
        assert.deepStrictEqual(t.Resources.EbsEncryptionRule.DependsOn, ["DeliveryChannel"]);
    });

    it("forwards compliance changes of every region to the findings bus", () => {
        const rule = baselineTemplate({ configRecorder: "existing" }).Resources.FindingsForwarderRule;
        assert.strictEqual(rule.Properties.Name, FINDINGS_FORWARDER_RULE_NAME);
        assert.deepStrictEqual((rule.Properties.Targets as any)[0].Arn, { Ref: "FindingsBusArn" });
        assert.deepStrictEqual(rule.Properties.EventPattern, { source: ["aws.config"], "detail-type": ["Config Rules Compliance Change"] });
    });

    it("with configRecorder existing holds no recorder, delivery channel or service-linked role, and keeps the rules", () => {
        const t = baselineTemplate({ configRecorder: "existing" });
        for (const type of ["AWS::Config::ConfigurationRecorder", "AWS::Config::DeliveryChannel", "AWS::IAM::ServiceLinkedRole"]) {
            assert.ok(!types(t).includes(type), type);
        }
        assert.ok(types(t).includes("AWS::Config::ConfigRule") && types(t).includes("AWS::Config::RemediationConfiguration"));
        assert.strictEqual(t.Resources.EbsEncryptionRule.DependsOn, undefined);
        assert.deepStrictEqual(Object.keys(t.Parameters).sort(), ["FindingsBusArn", "HomeRegion"]);
        assert.deepStrictEqual(
            baselineTemplateParameters(
                { configRecorder: "existing" },
                { HomeRegion: "eu-west-1", ConfigBucketName: "b", ConfigKmsKeyArn: "k", FindingsBusArn: "bus" },
            ),
            {
                HomeRegion: "eu-west-1",
                FindingsBusArn: "bus",
            },
        );
    });

    it("passes one parameter value for every parameter of the template", () => {
        for (const configRecorder of ["create", "existing"] as const) {
            const params = baselineTemplateParameters(
                { configRecorder },
                { HomeRegion: "eu-west-1", ConfigBucketName: "b", ConfigKmsKeyArn: "k", FindingsBusArn: "bus" },
            );
            assert.deepStrictEqual(Object.keys(params).sort(), Object.keys(baselineTemplate({ configRecorder }).Parameters).sort());
        }
    });

    describe("through cfn-lint (one run for every template)", function () {
        this.timeout(60_000);
        let findings: Record<string, string[]>;
        before(() => {
            const broken = baselineTemplate({ configRecorder: "create" });
            (broken.Resources.DeliveryChannel as any).DependsOn = ["NoSuchResource"];
            findings = cfnLint({
                create: baselineTemplate({ configRecorder: "create" }),
                existing: baselineTemplate({ configRecorder: "existing" }),
                broken,
            });
        });

        for (const configRecorder of ["create", "existing"] as const) {
            it(`passes (configRecorder ${configRecorder})`, () => assert.deepStrictEqual(findings[configRecorder], []));
        }

        it("rejects a broken template, naming the bad DependsOn (the check can fail)", () => {
            assert.ok(
                findings.broken.some((f) => /:E3005:.*NoSuchResource/.test(f)),
                findings.broken.join("\n"),
            );
        });
    });
});
