import * as assert from "assert";
import { cloudwatchLogGroupKms as rule } from "../../../policy-pack/rules/cloudwatch-log-group-kms";
import { FakeResource, runRule, urnOf } from "../../support/policy";
import { itFollowsEnforcementLevels, itHonoursExemptions, UNKNOWN_STRING } from "../../support/policy-rules";

const LOG_GROUP = "aws:cloudwatch/logGroup:LogGroup";
const group = (kmsKeyId: unknown): FakeResource => ({ type: LOG_GROUP, name: "payments-app", inputs: { retentionInDays: 90, kmsKeyId } });

describe("policy-pack/cloudwatch-log-group-kms", () => {
    it("passes a group with a key, known or not yet known", async () => {
        assert.deepStrictEqual(
            await runRule(rule, [group("arn:aws:kms:eu-west-1:444444444444:key/1234"), { ...group(UNKNOWN_STRING), name: "other" }]),
            [],
        );
    });

    it("fails a group without a key, on its URN", async () => {
        const violations = await runRule(rule, group(undefined));
        assert.deepStrictEqual(
            violations.map((v) => v.urn),
            [urnOf(LOG_GROUP, "payments-app")],
        );
        assert.strictEqual(
            violations[0].message,
            'log group "payments-app" has `kmsKeyId` not set, so anyone with logs:GetLogEvents reads it without a key grant. Set `kmsKeyId` to a customer managed key whose policy admits logs.<region>.amazonaws.com, as orglog:index:OrgTrail does.',
        );
    });

    itFollowsEnforcementLevels(rule, group(undefined));
    itHonoursExemptions(rule, group(undefined), "payments-app");
});
