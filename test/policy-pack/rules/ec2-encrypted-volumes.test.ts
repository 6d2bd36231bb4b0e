import * as assert from "assert";
import { ec2EncryptedVolumes as rule } from "../../../policy-pack/rules/ec2-encrypted-volumes";
import { FakeResource, runRule, urnOf } from "../../support/policy";
import { itFollowsEnforcementLevels, itHonoursExemptions, messages, UNKNOWN_STRING, UNKNOWN_VALUES } from "../../support/policy-rules";

const LAUNCH_TEMPLATE = "aws:ec2/launchTemplate:LaunchTemplate";
const INSTANCE = "aws:ec2/instance:Instance";
const VOLUME = "aws:ebs/volume:Volume";
const PROVIDER = "urn:pulumi:test::org-logging::pulumi:providers:aws::collection";
const provider: FakeResource = {
    type: "pulumi:providers:aws",
    name: "collection",
    urn: PROVIDER,
    inputs: { region: "eu-west-1", allowedAccountIds: '["333333333333"]' },
};
const accountDefault: FakeResource = {
    type: "aws:ebs/encryptionByDefault:EncryptionByDefault",
    name: "ebs-default",
    inputs: { enabled: true },
    provider: PROVIDER,
};

const template = (blockDeviceMappings: unknown): FakeResource => ({
    type: LAUNCH_TEMPLATE,
    name: "collectors",
    inputs: { imageId: "ami-0a1b2c3d4e5f67890", blockDeviceMappings },
    provider: PROVIDER,
});
const root = (encrypted: unknown) => [{ deviceName: "/dev/xvda", ebs: { volumeSize: 30, encrypted, kmsKeyId: UNKNOWN_STRING } }];

describe("policy-pack/ec2-encrypted-volumes", () => {
    it("passes launch templates with encrypted volumes (string or boolean), instances and volumes with encrypted true", async () => {
        const resources: FakeResource[] = [
            provider,
            template(root("true")),
            { ...template(root(true)), name: "other" },
            {
                type: INSTANCE,
                name: "bastion",
                inputs: { rootBlockDevice: { encrypted: true }, ebsBlockDevices: [{ deviceName: "/dev/sdf", encrypted: true }] },
                provider: PROVIDER,
            },
            { type: VOLUME, name: "buffer", inputs: { encrypted: true }, provider: PROVIDER },
        ];
        assert.deepStrictEqual(messages(await runRule(rule, resources)), []);
    });

    it("fails an explicitly unencrypted launch template volume, on its URN", async () => {
        const violations = await runRule(rule, [provider, template(root("false"))]);
        assert.deepStrictEqual(
            violations.map((v) => v.urn),
            [urnOf(LAUNCH_TEMPLATE, "collectors")],
        );
        assert.strictEqual(
            violations[0].message,
            'launch template "collectors" maps "/dev/xvda" with ebs.encrypted "false", so those volumes are not encrypted. Set encrypted to true (orglog:index:CollectorFleet\'s launch template does), or enable aws.ebs.EncryptionByDefault in the account.',
        );
    });

    it("fails volumes that do not say, unless the stack enables EBS default encryption in the same account", async () => {
        const unstated = [
            template(undefined),
            { type: VOLUME, name: "buffer", inputs: { size: 100 }, provider: PROVIDER },
            { type: INSTANCE, name: "bastion", inputs: {}, provider: PROVIDER },
        ];
        const violations = await runRule(rule, [provider, ...unstated]);
        assert.deepStrictEqual(messages(violations), [
            "launch template \"collectors\" has no block device mapping, so its root volume takes the AMI's unencrypted snapshot, and the stack does not enable EBS default encryption in its account. Set encrypted to true (orglog:index:CollectorFleet's launch template does), or enable aws.ebs.EncryptionByDefault in the account.",
            'instance "bastion" has the root volume with encrypted not set, and the stack does not enable EBS default encryption in its account. Set encrypted to true (orglog:index:CollectorFleet\'s launch template does), or enable aws.ebs.EncryptionByDefault in the account.',
            'EBS volume "buffer" has `encrypted` not set, so its data is stored unencrypted. Set encrypted to true (orglog:index:CollectorFleet\'s launch template does), or enable aws.ebs.EncryptionByDefault in the account.',
        ]);
        assert.deepStrictEqual(await runRule(rule, [provider, accountDefault, ...unstated]), []);
        assert.strictEqual(
            (await runRule(rule, [provider, accountDefault, ...unstated], { acceptAccountDefaultEncryption: false })).length,
            3,
        );
        const elsewhere = { ...accountDefault, provider: undefined };
        assert.strictEqual(
            (await runRule(rule, [provider, elsewhere, ...unstated])).length,
            3,
            "default encryption in another account does not count",
        );
    });

    it("still fails an explicit false when default encryption is on (the code says unencrypted)", async () => {
        assert.strictEqual(
            (
                await runRule(rule, [
                    provider,
                    accountDefault,
                    { type: VOLUME, name: "buffer", inputs: { encrypted: false }, provider: PROVIDER },
                ])
            ).length,
            1,
        );
    });

    it("does not judge unknown mappings or flags, and still reports the known volume", async () => {
        const violations = await runRule(rule, [
            provider,
            template(UNKNOWN_VALUES.unknownArrayValue),
            {
                type: INSTANCE,
                name: "bastion",
                inputs: { rootBlockDevice: { encrypted: UNKNOWN_VALUES.unknownBooleanValue } },
                provider: PROVIDER,
            },
            { type: VOLUME, name: "buffer", inputs: { encrypted: false }, provider: PROVIDER },
        ]);
        assert.deepStrictEqual(
            violations.map((v) => v.urn),
            [urnOf(VOLUME, "buffer")],
        );
    });

    itFollowsEnforcementLevels(rule, [provider, template(root(false))]);
    itHonoursExemptions(rule, [provider, template(root(false))], "collectors");
});
