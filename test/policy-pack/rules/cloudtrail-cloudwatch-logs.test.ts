import * as assert from "assert";
import { cloudtrailCloudwatchLogs as rule } from "../../../policy-pack/rules/cloudtrail-cloudwatch-logs";
import { FakeResource, runRule, urnOf } from "../../support/policy";
import { itFollowsEnforcementLevels, itHonoursExemptions, UNKNOWN_STRING } from "../../support/policy-rules";

const TRAIL = "aws:cloudtrail/trail:Trail";
const GROUP = "arn:aws:logs:eu-west-1:111111111111:log-group:/org-logging/cloudtrail:*";
const ROLE = "arn:aws:iam::111111111111:role/org-trail-delivery";
const trail = (inputs: Record<string, unknown>): FakeResource => ({
    type: TRAIL,
    name: "org-trail",
    inputs: { s3BucketName: "archive", ...inputs },
});

describe("policy-pack/cloudtrail-cloudwatch-logs", () => {
    it("passes a trail that delivers to CloudWatch Logs with its role", async () => {
        assert.deepStrictEqual(await runRule(rule, trail({ cloudWatchLogsGroupArn: GROUP, cloudWatchLogsRoleArn: ROLE })), []);
    });

    it("fails a trail without a log group or role, naming both", async () => {
        const violations = await runRule(rule, trail({}));
        assert.deepStrictEqual(
            violations.map((v) => v.urn),
            [urnOf(TRAIL, "org-trail")],
        );
        assert.strictEqual(
            violations[0].message,
            'trail "org-trail" has `cloudWatchLogsGroupArn` not set and `cloudWatchLogsRoleArn` not set, so no metric filter or alarm sees its events. Set `cloudWatchLogsGroupArn` (the group\'s ARN followed by ":*") and `cloudWatchLogsRoleArn`, as orglog:index:OrgTrail does.',
        );
    });

    it("fails a log group without the role that lets CloudTrail write it", async () => {
        const [violation] = await runRule(rule, trail({ cloudWatchLogsGroupArn: GROUP }));
        assert.match(violation.message, /^trail "org-trail" has `cloudWatchLogsRoleArn` not set, so no metric filter/);
    });

    it("does not judge ARNs that are unknown during a preview", async () => {
        assert.deepStrictEqual(
            await runRule(rule, trail({ cloudWatchLogsGroupArn: UNKNOWN_STRING, cloudWatchLogsRoleArn: UNKNOWN_STRING })),
            [],
        );
    });

    itFollowsEnforcementLevels(rule, trail({}));
    itHonoursExemptions(rule, trail({}), "org-trail");
});
