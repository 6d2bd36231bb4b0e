import * as assert from "assert";
import type { AccountBaselineArgs } from "../../components/account-baseline";
import { ofType, policyOf, RecordedResource, runUnderMocks, single, statement } from "../support/harness";

const ACCOUNT = "333333333333";
const ARCHIVE = "222222222222";
const CONFIG_KEY = `arn:aws:kms:eu-west-1:${ARCHIVE}:key/11111111-2222-3333-4444-555555555555`;

const ARGS: AccountBaselineArgs = {
    configBucketName: "log-archive-config-bucket-7c62e42",
    configKmsKeyArn: CONFIG_KEY,
    homeRegion: "eu-west-1",
    notificationEmail: "security@example.com",
};

/** Builds the baseline in ACCOUNT/`region`, waiting for a stand-in config bucket policy in the archive account. */
async function build(args: Partial<AccountBaselineArgs> = {}, region = "eu-west-1"): Promise<RecordedResource[]> {
    const aws = await import("@pulumi/aws");
    const { AccountBaseline } = await import("../../components/account-baseline");
    const { resources } = await runUnderMocks(() => {
        const provider = (name: string, account: string) =>
            new aws.Provider(name, { region: region as any, assumeRoles: [{ roleArn: `arn:aws:iam::${account}:role/Deployer` }], allowedAccountIds: [account] });
        const bucketPolicy = new aws.s3.BucketPolicy("config-bucket-policy", { bucket: ARGS.configBucketName, policy: "{}" }, { provider: provider("archive", ARCHIVE) });
        const baseline = new AccountBaseline("baseline", { ...ARGS, deliveryDependencies: [bucketPolicy], ...args }, { provider: provider("account", ACCOUNT) });
        return baseline.complianceTopic.arn;
    });
    return resources;
}

describe("components/AccountBaseline", () => {
    let resources: RecordedResource[];
    before(async () => {
        resources = await build();
    });

    it("creates everything in the account of its provider", () => {
        const own = resources.filter((r) => r.custom && !r.type.startsWith("pulumi:providers:") && r.name !== "config-bucket-policy");
        // role, recorder, channel, status, 11 rules, event rule, key, topic, topic policy, target, subscription, public access block, EBS default
        assert.strictEqual(own.length, 23);
        own.forEach((r) => assert.strictEqual(r.account, ACCOUNT, r.name));
    });

    it("records all supported resources, global ones in the home region, with Config's service-linked role", () => {
        const role = single(resources, "aws:iam/serviceLinkedRole:ServiceLinkedRole");
        assert.strictEqual(role.inputs.awsServiceName, "config.amazonaws.com");
        const recorder = single(resources, "aws:cfg/recorder:Recorder");
        assert.strictEqual(recorder.inputs.roleArn, `arn:aws:iam::${ACCOUNT}:role/aws-service-role/config.amazonaws.com/AWSServiceRoleForConfig`);
        assert.deepStrictEqual(recorder.inputs.recordingGroup, { allSupported: true, includeGlobalResourceTypes: true });
    });

    it("delivers into the central config bucket with its key, then starts the recorder", () => {
        const channel = single(resources, "aws:cfg/deliveryChannel:DeliveryChannel");
        assert.deepStrictEqual([channel.inputs.s3BucketName, channel.inputs.s3KmsKeyArn], [ARGS.configBucketName, CONFIG_KEY]);
        assert.deepStrictEqual(channel.inputs.snapshotDeliveryProperties, { deliveryFrequency: "TwentyFour_Hours" });
        assert.ok(channel.dependencies.includes(single(resources, "aws:cfg/recorder:Recorder").urn));
        assert.ok(channel.dependencies.includes(single(resources, "aws:s3/bucketPolicy:BucketPolicy", "config-bucket-policy").urn));
        const status = single(resources, "aws:cfg/recorderStatus:RecorderStatus");
        assert.deepStrictEqual([status.inputs.isEnabled, status.inputs.name], [true, "default"]);
        assert.ok(status.dependencies.includes(channel.urn));
    });

    it("enables the managed rules, ACCESS_KEYS_ROTATED at 90 days", () => {
        const rules = ofType(resources, "aws:cfg/rule:Rule");
        const sources = Object.fromEntries(rules.map((r) => [(r.inputs.source as any).sourceIdentifier, r]));
        for (const id of ["ACCESS_KEYS_ROTATED", "CLOUD_TRAIL_ENABLED", "INCOMING_SSH_DISABLED", "ENCRYPTED_VOLUMES", "S3_BUCKET_PUBLIC_READ_PROHIBITED", "IAM_USER_MFA_ENABLED"]) {
            assert.ok(sources[id], `missing ${id}`);
            assert.strictEqual((sources[id].inputs.source as any).owner, "AWS");
            assert.ok(sources[id].dependencies.includes(single(resources, "aws:cfg/recorder:Recorder").urn), id);
        }
        assert.deepStrictEqual(JSON.parse(String(sources.ACCESS_KEYS_ROTATED.inputs.inputParameters)), { maxAccessKeyAge: "90" });
        assert.strictEqual(rules.length, 11);
    });

    it("sends NON_COMPLIANT evaluations through EventBridge to an encrypted topic only that rule may publish to", () => {
        const rule = single(resources, "aws:cloudwatch/eventRule:EventRule");
        assert.deepStrictEqual(JSON.parse(String(rule.inputs.eventPattern)), {
            source: ["aws.config"],
            "detail-type": ["Config Rules Compliance Change"],
            detail: { messageType: ["ComplianceChangeNotification"], newEvaluationResult: { complianceType: ["NON_COMPLIANT"] } },
        });
        const topic = single(resources, "aws:sns/topic:Topic");
        const key = single(resources, "aws:kms/key:Key");
        assert.strictEqual(topic.inputs.kmsMasterKeyId, key.state.arn);
        assert.strictEqual(key.inputs.enableKeyRotation, true);
        assert.deepStrictEqual(statement(key.inputs.policy, "EventBridgeEncrypts").Principal, { Service: "events.amazonaws.com" });
        const target = single(resources, "aws:cloudwatch/eventTarget:EventTarget");
        assert.deepStrictEqual([target.inputs.rule, target.inputs.arn], [rule.state.name, topic.state.arn]);
        const topicPolicy = single(resources, "aws:sns/topicPolicy:TopicPolicy");
        assert.ok(target.dependencies.includes(topicPolicy.urn));
        assert.deepStrictEqual(statement(topicPolicy.inputs.policy, "ComplianceRulePublishes").Condition, { ArnEquals: { "aws:SourceArn": rule.state.arn } });
        assert.strictEqual(rule.state.arn, `arn:aws:events:eu-west-1:${ACCOUNT}:rule/${rule.state.name}`);
        assert.deepStrictEqual(policyOf(topicPolicy.inputs.policy).Statement.map((s) => s.Sid), ["DenyInsecureTransport", "ComplianceRulePublishes"]);
        assert.strictEqual(single(resources, "aws:sns/topicSubscription:TopicSubscription").inputs.endpoint, "security@example.com");
    });

    it("blocks public S3 access account-wide and encrypts new EBS volumes by default", () => {
        const block = single(resources, "aws:s3/accountPublicAccessBlock:AccountPublicAccessBlock").inputs;
        for (const flag of ["blockPublicAcls", "blockPublicPolicy", "ignorePublicAcls", "restrictPublicBuckets"]) {
            assert.strictEqual(block[flag], true, flag);
        }
        assert.strictEqual(single(resources, "aws:ebs/encryptionByDefault:EncryptionByDefault").inputs.enabled, true);
    });

    it("outside the home region records no global resources; with an existing service-linked role creates none", async () => {
        const other = await build({ createServiceLinkedRole: false, notificationEmail: undefined, accessKeyMaxAgeDays: 45 }, "eu-central-1");
        assert.deepStrictEqual(single(other, "aws:cfg/recorder:Recorder").inputs.recordingGroup, { allSupported: true, includeGlobalResourceTypes: false });
        assert.strictEqual(ofType(other, "aws:iam/serviceLinkedRole:ServiceLinkedRole").length, 0);
        assert.strictEqual(single(other, "aws:cfg/recorder:Recorder").inputs.roleArn, `arn:aws:iam::${ACCOUNT}:role/aws-service-role/config.amazonaws.com/AWSServiceRoleForConfig`);
        assert.strictEqual(ofType(other, "aws:sns/topicSubscription:TopicSubscription").length, 0);
        const rotated = ofType(other, "aws:cfg/rule:Rule").find((r) => (r.inputs.source as any).sourceIdentifier === "ACCESS_KEYS_ROTATED");
        assert.strictEqual(rotated?.inputs.inputParameters, JSON.stringify({ maxAccessKeyAge: "45" }));
    });

    it("rejects an access key age it cannot enforce, naming the argument", async () => {
        const { validateAccountBaselineArgs } = await import("../../components/account-baseline");
        assert.throws(() => validateAccountBaselineArgs({ ...ARGS, accessKeyMaxAgeDays: 0 }), {
            message: "AccountBaseline: `accessKeyMaxAgeDays` (0) is not a whole number of days between 1 and 365. The field documents require 90.",
        });
    });
});
