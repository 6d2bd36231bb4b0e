import * as assert from "assert";
import { snsTopicEncrypted as rule } from "../../../policy-pack/rules/sns-topic-encrypted";
import { FakeResource, runRule, urnOf } from "../../support/policy";
import { itFollowsEnforcementLevels, itHonoursExemptions, UNKNOWN_STRING } from "../../support/policy-rules";

const TOPIC = "aws:sns/topic:Topic";
const topic = (kmsMasterKeyId: unknown): FakeResource => ({ type: TOPIC, name: "security-alarms", inputs: { kmsMasterKeyId } });

describe("policy-pack/sns-topic-encrypted", () => {
    it("passes a topic with a key (ARN, alias, or not yet known)", async () => {
        assert.deepStrictEqual(
            await runRule(rule, [
                topic("arn:aws:kms:eu-west-1:111111111111:key/1234"),
                { ...topic("alias/alarms"), name: "b" },
                { ...topic(UNKNOWN_STRING), name: "c" },
            ]),
            [],
        );
    });

    it("fails a topic without a key, on its URN", async () => {
        const violations = await runRule(rule, topic(undefined));
        assert.deepStrictEqual(
            violations.map((v) => v.urn),
            [urnOf(TOPIC, "security-alarms")],
        );
        assert.strictEqual(
            violations[0].message,
            'SNS topic "security-alarms" has `kmsMasterKeyId` not set, so its messages are stored unencrypted. Set `kmsMasterKeyId` to a customer managed key that CloudWatch and EventBridge may use (alias/aws/sns does not admit CloudWatch alarms), as orglog:index:OrgTrail does.',
        );
    });

    itFollowsEnforcementLevels(rule, topic(""));
    itHonoursExemptions(rule, topic(""), "security-alarms");
});
