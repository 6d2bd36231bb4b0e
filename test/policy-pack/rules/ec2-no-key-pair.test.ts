import * as assert from "assert";
import { ec2NoKeyPair as rule } from "../../../policy-pack/rules/ec2-no-key-pair";
import { FakeResource, runRule, urnOf } from "../../support/policy";
import { itFollowsEnforcementLevels, itHonoursExemptions, messages, UNKNOWN_STRING } from "../../support/policy-rules";

const LAUNCH_TEMPLATE = "aws:ec2/launchTemplate:LaunchTemplate";
const template = (inputs: Record<string, unknown>, type = LAUNCH_TEMPLATE): FakeResource => ({
    type,
    name: "collectors",
    inputs: { imageId: "ami-0a1b2c3d4e5f67890", ...inputs },
});

describe("policy-pack/ec2-no-key-pair", () => {
    it("passes launch templates and instances without keyName", async () => {
        assert.deepStrictEqual(await runRule(rule, [template({}), template({}, "aws:ec2/instance:Instance")]), []);
    });

    it("fails keyName on a launch template, on its URN", async () => {
        const violations = await runRule(rule, template({ keyName: "ops-emergency" }));
        assert.deepStrictEqual(
            violations.map((v) => v.urn),
            [urnOf(LAUNCH_TEMPLATE, "collectors")],
        );
        assert.strictEqual(
            violations[0].message,
            'launch template "collectors" has `keyName` "ops-emergency", so anyone with that SSH key can log in unaudited. Remove `keyName` and use SSM Session Manager, as orglog:index:CollectorFleet does.',
        );
    });

    it("fails keyName on instances and launch configurations, and any aws.ec2.KeyPair", async () => {
        assert.strictEqual((await runRule(rule, template({ keyName: "k" }, "aws:ec2/instance:Instance"))).length, 1);
        assert.strictEqual((await runRule(rule, template({ keyName: "k" }, "aws:ec2/launchConfiguration:LaunchConfiguration"))).length, 1);
        assert.deepStrictEqual(
            messages(await runRule(rule, { type: "aws:ec2/keyPair:KeyPair", name: "ops", inputs: { publicKey: "ssh-ed25519 AAAA" } })),
            [
                'key pair "ops" creates an SSH key, an unaudited way into instances that bypasses SSM. Delete the aws.ec2.KeyPair and use SSM Session Manager.',
            ],
        );
    });

    it("does not judge a key name that is unknown during a preview", async () => {
        assert.deepStrictEqual(await runRule(rule, template({ keyName: UNKNOWN_STRING })), []);
    });

    itFollowsEnforcementLevels(rule, template({ keyName: "ops" }));
    itHonoursExemptions(rule, template({ keyName: "ops" }), "collectors");
});
