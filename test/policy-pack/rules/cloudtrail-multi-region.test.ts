import * as assert from "assert";
import { cloudtrailMultiRegion as rule } from "../../../policy-pack/rules/cloudtrail-multi-region";
import { FakeResource, runRule, urnOf } from "../../support/policy";
import { itFollowsEnforcementLevels, itHonoursExemptions, messages, UNKNOWN_VALUES } from "../../support/policy-rules";

const TRAIL = "aws:cloudtrail/trail:Trail";
const trail = (inputs: Record<string, unknown>): FakeResource => ({
    type: TRAIL,
    name: "org-trail",
    inputs: { s3BucketName: "archive", isMultiRegionTrail: true, includeGlobalServiceEvents: true, ...inputs },
});

describe("policy-pack/cloudtrail-multi-region", () => {
    it("passes a multi-region trail with global service events (explicit or by default)", async () => {
        assert.deepStrictEqual(await runRule(rule, trail({})), []);
        assert.deepStrictEqual(await runRule(rule, trail({ includeGlobalServiceEvents: undefined })), []);
    });

    it("fails a single-region trail, on its URN, with the fix", async () => {
        const violations = await runRule(rule, trail({ isMultiRegionTrail: false }));
        assert.deepStrictEqual(
            violations.map((v) => v.urn),
            [urnOf(TRAIL, "org-trail")],
        );
        assert.strictEqual(
            violations[0].message,
            'trail "org-trail" has `isMultiRegionTrail` false, so API activity in the other regions is not recorded. Set `isMultiRegionTrail: true`, as orglog:index:OrgTrail does.',
        );
    });

    it("fails a trail that leaves isMultiRegionTrail unset (the provider's default is false)", async () => {
        assert.match((await runRule(rule, trail({ isMultiRegionTrail: undefined })))[0].message, /has `isMultiRegionTrail` not set/);
    });

    it("fails a trail without global service events", async () => {
        assert.deepStrictEqual(messages(await runRule(rule, trail({ includeGlobalServiceEvents: false }))), [
            'trail "org-trail" has `includeGlobalServiceEvents` false, so IAM, STS and other global service events are not recorded. Remove it or set `includeGlobalServiceEvents: true`.',
        ]);
    });

    it("does not judge an unknown flag, and still judges the known one", async () => {
        assert.deepStrictEqual(await runRule(rule, trail({ isMultiRegionTrail: UNKNOWN_VALUES.unknownBooleanValue })), []);
        const violations = await runRule(
            rule,
            trail({ isMultiRegionTrail: UNKNOWN_VALUES.unknownBooleanValue, includeGlobalServiceEvents: false }),
        );
        assert.strictEqual(violations.length, 1);
        assert.match(violations[0].message, /includeGlobalServiceEvents/);
    });

    itFollowsEnforcementLevels(rule, trail({ isMultiRegionTrail: false }));
    itHonoursExemptions(rule, trail({ isMultiRegionTrail: false }), "org-trail");
});
