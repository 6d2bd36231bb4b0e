import * as assert from "assert";
import { baselineTemplate } from "../../../components/internal/baseline-template";
import { configRecorderBaseline as rule } from "../../../policy-pack/rules/config-recorder-baseline";
import { FakeResource, runRule, urnOf } from "../../support/policy";
import { BUCKET, itFollowsEnforcementLevels, itHonoursExemptions, messages, UNKNOWN_STRING } from "../../support/policy-rules";

const STACKSET = "aws:cloudformation/stackSet:StackSet";
const ARCHIVE = "orglog:index:LogArchiveAccount";
const archive: FakeResource = { type: ARCHIVE, name: "log-archive", inputs: {} };
const configBucket: FakeResource = {
    type: BUCKET,
    name: "log-archive-config-bucket",
    inputs: { bucket: "archive-config-1234" },
    parent: urnOf(ARCHIVE, "log-archive"),
};

function stackSet(change: (t: any) => void = () => {}, bucket: unknown = "archive-config-1234", name = "baseline"): FakeResource {
    const template: any = baselineTemplate({ configRecorder: "create" });
    change(template);
    return {
        type: STACKSET,
        name,
        inputs: {
            permissionModel: "SERVICE_MANAGED",
            templateBody: JSON.stringify(template),
            parameters: { ConfigBucketName: bucket, HomeRegion: "eu-west-1" },
        },
    };
}

describe("policy-pack/config-recorder-baseline", () => {
    it("passes the organization baseline's template delivering into the archive's config bucket", async () => {
        assert.deepStrictEqual(await runRule(rule, [archive, configBucket, stackSet()]), []);
    });

    it("fails a StackSet template whose recorder does not record all supported resource types", async () => {
        const violations = await runRule(rule, [
            archive,
            configBucket,
            stackSet((t) => (t.Resources.ConfigurationRecorder.Properties.RecordingGroup.AllSupported = false)),
        ]);
        assert.deepStrictEqual(
            violations.map((v) => v.urn),
            [urnOf(STACKSET, "baseline")],
        );
        assert.deepStrictEqual(messages(violations), [
            "StackSet \"baseline\"'s template resource ConfigurationRecorder does not record all supported resource types (allSupported is false), so changes to the others leave no configuration history. Set the recording group's allSupported to true (orglog:index:OrganizationBaseline's template does).",
        ]);
    });

    it("fails a StackSet template delivering to a bucket outside the archive, through a parameter or a literal", async () => {
        const viaParameter = await runRule(rule, [archive, configBucket, stackSet(() => {}, "someone-elses-bucket")]);
        assert.deepStrictEqual(messages(viaParameter), [
            'StackSet "baseline"\'s template resource DeliveryChannel delivers to bucket "someone-elses-bucket", which is not a bucket of the log archive (archive-config-1234), so the configuration history can be changed by whoever owns that bucket. Deliver into the archive\'s config bucket (orglog:index:LogArchiveAccount\'s configBucket).',
        ]);
        const literal = await runRule(rule, [
            archive,
            configBucket,
            stackSet((t) => (t.Resources.DeliveryChannel.Properties.S3BucketName = "literal-bucket")),
        ]);
        assert.match(literal[0].message, /delivers to bucket "literal-bucket"/);
    });

    it("reads YAML templates too", async () => {
        const yaml = [
            "Resources:",
            "  Recorder:",
            "    Type: AWS::Config::ConfigurationRecorder",
            "    Properties:",
            "      RoleARN: arn:aws:iam::111111111111:role/x",
            "      RecordingGroup:",
            "        AllSupported: false",
            "        ResourceTypes: [AWS::S3::Bucket]",
        ].join("\n");
        const violations = await runRule(rule, [{ type: STACKSET, name: "yaml", inputs: { templateBody: yaml } }]);
        assert.match(violations[0].message, /^StackSet "yaml"'s template resource Recorder does not record all supported/);
    });

    it("checks recorders and delivery channels of the stack itself", async () => {
        const violations = await runRule(rule, [
            archive,
            configBucket,
            {
                type: "aws:cfg/recorder:Recorder",
                name: "rec",
                inputs: { recordingGroup: { allSupported: false, resourceTypes: ["AWS::EC2::Instance"] } },
            },
            { type: "aws:cfg/deliveryChannel:DeliveryChannel", name: "ch", inputs: { s3BucketName: "elsewhere" } },
        ]);
        assert.deepStrictEqual(
            violations.map((v) => v.urn),
            [urnOf("aws:cfg/recorder:Recorder", "rec"), urnOf("aws:cfg/deliveryChannel:DeliveryChannel", "ch")],
        );
    });

    it("does not judge unknown bucket names during preview", async () => {
        assert.deepStrictEqual(await runRule(rule, [archive, configBucket, stackSet(() => {}, UNKNOWN_STRING)]), []);
    });

    itFollowsEnforcementLevels(rule, [stackSet((t) => (t.Resources.ConfigurationRecorder.Properties.RecordingGroup.AllSupported = false))]);
    itHonoursExemptions(
        rule,
        [stackSet((t) => (t.Resources.ConfigurationRecorder.Properties.RecordingGroup.AllSupported = false))],
        "base*",
    );
});
