import * as assert from "assert";
import { cloudwatchLogGroupRetention as rule } from "../../../policy-pack/rules/cloudwatch-log-group-retention";
import { FakeResource, runRule, urnOf } from "../../support/policy";
import { itFollowsEnforcementLevels, itHonoursExemptions, messages, UNKNOWN_VALUES } from "../../support/policy-rules";

const LOG_GROUP = "aws:cloudwatch/logGroup:LogGroup";
const group = (retentionInDays: unknown): FakeResource => ({
    type: LOG_GROUP,
    name: "payments-app",
    inputs: { name: "/ecs/payments/app", retentionInDays },
});

describe("policy-pack/cloudwatch-log-group-retention", () => {
    it("passes a retention of at least 30 days", async () => {
        assert.deepStrictEqual(await runRule(rule, [group(30), { ...group(3653), name: "trail" }]), []);
    });

    for (const value of [undefined, 0]) {
        it(`fails retentionInDays ${String(value)} (never expire), on the group's URN`, async () => {
            const violations = await runRule(rule, group(value));
            assert.deepStrictEqual(
                violations.map((v) => v.urn),
                [urnOf(LOG_GROUP, "payments-app")],
            );
            assert.strictEqual(
                violations[0].message,
                `log group "payments-app" has \`retentionInDays\` ${value === undefined ? "not set" : "0"}, so its events never expire. Set \`retentionInDays\` to 30 or more (the archive bucket keeps the long-term copy), as orglog:index:OrgTrail and orglog:index:FireLensService do. No org-logging stack config key sets it: set it on the log group.`,
            );
        });
    }

    it("fails a retention shorter than the config's minimum", async () => {
        assert.deepStrictEqual(messages(await runRule(rule, group(7))), [
            'log group "payments-app" keeps events for 7 days, less than the 30 days an investigation needs. Set `retentionInDays` to 30 or more, or lower the pack\'s `minRetentionDays`. No org-logging stack config key sets it: set it on the log group.',
        ]);
        assert.strictEqual((await runRule(rule, group(90), { minRetentionDays: 365 })).length, 1);
        assert.deepStrictEqual(await runRule(rule, group(7), { minRetentionDays: 7 }), []);
    });

    it("names the component argument that sets the retention of a component's group, and that no config key does", async () => {
        const trailGroup = {
            ...group(365),
            name: "org-trail-log-group",
            urn: "urn:pulumi:production::org-logging::orglog:index:OrgTrail$aws:cloudwatch/logGroup:LogGroup::org-trail-log-group",
        };
        assert.deepStrictEqual(messages(await runRule(rule, trailGroup, { minRetentionDays: 400 })), [
            'log group "org-trail-log-group" keeps events for 365 days, less than the 400 days an investigation needs. Set `retentionInDays` to 400 or more, or lower the pack\'s `minRetentionDays`. The component sets it: pass `logGroupRetentionDays` to orglog:index:OrgTrail; no org-logging stack config key sets it.',
        ]);
        const appGroup = {
            ...group(365),
            urn: "urn:pulumi:production::workload-service::orglog:index:FireLensService$aws:cloudwatch/logGroup:LogGroup::payments-app",
        };
        assert.match(
            messages(await runRule(rule, appGroup, { minRetentionDays: 400 }))[0],
            /pass `logRetentionDays` to orglog:index:FireLensService; no org-logging stack config key sets it\.$/,
        );
    });

    it("does not judge a retention that is unknown during a preview", async () => {
        assert.deepStrictEqual(await runRule(rule, group(UNKNOWN_VALUES.unknownNumberValue)), []);
    });

    itFollowsEnforcementLevels(rule, group(undefined));
    itHonoursExemptions(rule, group(undefined), "payments-*");
});
