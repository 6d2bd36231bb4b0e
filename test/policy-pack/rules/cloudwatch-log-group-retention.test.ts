import * as assert from "assert";
import { cloudwatchLogGroupRetention as rule } from "../../../policy-pack/rules/cloudwatch-log-group-retention";
import { FakeResource, runRule, urnOf } from "../../support/policy";
import { itFollowsEnforcementLevels, itHonoursExemptions, messages, UNKNOWN_VALUES } from "../../support/policy-rules";

const LOG_GROUP = "aws:cloudwatch/logGroup:LogGroup";
const group = (retentionInDays: unknown): FakeResource => ({ type: LOG_GROUP, name: "payments-app", inputs: { name: "/ecs/payments/app", retentionInDays } });

describe("policy-pack/cloudwatch-log-group-retention", () => {
    it("passes a retention of at least 30 days", async () => {
        assert.deepStrictEqual(await runRule(rule, [group(30), { ...group(3653), name: "trail" }]), []);
    });

    for (const value of [undefined, 0]) {
        it(`fails retentionInDays ${String(value)} (never expire), on the group's URN`, async () => {
            const violations = await runRule(rule, group(value));
            assert.deepStrictEqual(violations.map((v) => v.urn), [urnOf(LOG_GROUP, "payments-app")]);
            assert.strictEqual(
                violations[0].message,
                `log group "payments-app" has \`retentionInDays\` ${value === undefined ? "not set" : "0"}, so its events never expire. Set \`retentionInDays\` to 30 or more (the archive bucket keeps the long-term copy), as orglog:index:OrgTrail and orglog:index:FireLensService do.`,
            );
        });
    }

    it("fails a retention shorter than the config's minimum", async () => {
        assert.deepStrictEqual(messages(await runRule(rule, group(7))), ['log group "payments-app" keeps events for 7 days, less than the 30 days an investigation needs. Set `retentionInDays` to 30 or more.']);
        assert.strictEqual((await runRule(rule, group(90), { minRetentionDays: 365 })).length, 1);
        assert.deepStrictEqual(await runRule(rule, group(7), { minRetentionDays: 7 }), []);
    });

    it("does not judge a retention that is unknown during a preview", async () => {
        assert.deepStrictEqual(await runRule(rule, group(UNKNOWN_VALUES.unknownNumberValue)), []);
    });

    itFollowsEnforcementLevels(rule, group(undefined));
    itHonoursExemptions(rule, group(undefined), "payments-*");
});
