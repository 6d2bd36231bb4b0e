import * as assert from "assert";
import { cloudtrailLogFileValidation as rule } from "../../../policy-pack/rules/cloudtrail-log-file-validation";
import { FakeResource, runRule, urnOf } from "../../support/policy";
import { itFollowsEnforcementLevels, itHonoursExemptions, UNKNOWN_VALUES } from "../../support/policy-rules";

const TRAIL = "aws:cloudtrail/trail:Trail";
const trail = (enableLogFileValidation: unknown): FakeResource => ({
    type: TRAIL,
    name: "org-trail",
    inputs: { s3BucketName: "archive", enableLogFileValidation },
});

describe("policy-pack/cloudtrail-log-file-validation", () => {
    it("passes a trail with log file validation", async () => {
        assert.deepStrictEqual(await runRule(rule, trail(true)), []);
    });

    for (const value of [false, undefined]) {
        it(`fails enableLogFileValidation ${String(value)}`, async () => {
            const violations = await runRule(rule, trail(value));
            assert.deepStrictEqual(
                violations.map((v) => v.urn),
                [urnOf(TRAIL, "org-trail")],
            );
            assert.strictEqual(
                violations[0].message,
                `trail "org-trail" has \`enableLogFileValidation\` ${value === undefined ? "not set" : "false"}, so a modified or deleted log file cannot be detected. Set \`enableLogFileValidation: true\`, as orglog:index:OrgTrail does.`,
            );
        });
    }

    it("ignores other resources and does not judge an unknown value", async () => {
        assert.deepStrictEqual(await runRule(rule, { type: "aws:s3/bucket:Bucket", inputs: { enableLogFileValidation: false } }), []);
        assert.deepStrictEqual(await runRule(rule, trail(UNKNOWN_VALUES.unknownBooleanValue)), []);
    });

    itFollowsEnforcementLevels(rule, trail(false));
    itHonoursExemptions(rule, trail(false), "urn:pulumi:test::org-logging::aws:cloudtrail/trail:Trail::*");
});
