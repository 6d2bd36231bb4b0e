// Shared pieces of the rule specs: the analyzer's unknown-value sentinels and a check that the
// pack config's enforcement levels change a rule's outcome.
import * as assert from "assert";
import type { Policy } from "@pulumi/policy";
import { FakeResource, runRule } from "./policy";

/** The values the CLI puts in props for outputs that a preview cannot know (see @pulumi/policy/proxy.js). */
export const UNKNOWN_VALUES = require("@pulumi/policy/proxy") as {
    unknownStringValue: string;
    unknownBooleanValue: string;
    unknownNumberValue: string;
    unknownArrayValue: string;
    unknownObjectValue: string;
};
export const UNKNOWN_STRING = UNKNOWN_VALUES.unknownStringValue;

export const BUCKET = "aws:s3/bucket:Bucket";
export const BUCKET_POLICY = "aws:s3/bucketPolicy:BucketPolicy";
export const ROLE = "aws:iam/role:Role";
export const ROLE_POLICY = "aws:iam/rolePolicy:RolePolicy";
export const MANAGED_POLICY = "aws:iam/policy:Policy";

/** A policy document as JSON text, the way most programs write it. */
export const json = (...Statement: unknown[]) => JSON.stringify({ Version: "2012-10-17", Statement });

/** The messages of the violations, for readable failures. */
export const messages = (violations: Array<{ message: string }>) => violations.map((v) => v.message);

/**
 * The failing input fails as mandatory (or the rule's default), passes when the rule is disabled,
 * and is only advisory when the pack config says so.
 */
export function itFollowsEnforcementLevels(rule: Policy, failing: FakeResource | FakeResource[]): void {
    it("follows the pack config: disabled passes, advisory only warns", async () => {
        const byDefault = await runRule(rule, failing);
        assert.ok(byDefault.length > 0, "the failing input must fail by default");
        assert.ok(
            byDefault.every((v) => v.enforcementLevel === "mandatory"),
            "mandatory by default",
        );
        assert.deepStrictEqual(await runRule(rule, failing, "disabled"), []);
        const advisory = await runRule(rule, failing, "advisory");
        assert.deepStrictEqual(
            advisory.map((v) => v.enforcementLevel),
            byDefault.map(() => "advisory"),
        );
        assert.deepStrictEqual(await runRule(rule, failing, { enforcementLevel: "disabled" }), []);
    });
}

/** Runs the rule with the resources exempted by name, with a reason: no violation. */
export function itHonoursExemptions(rule: Policy, failing: FakeResource | FakeResource[], exempt: string): void {
    it("honours `exemptResources` (with a reason) and ignores an exemption without one", async () => {
        assert.deepStrictEqual(
            await runRule(rule, failing, { exemptResources: { [exempt]: "accepted by the security team (ticket SEC-1)" } }),
            [],
        );
        assert.ok((await runRule(rule, failing, { exemptResources: { [exempt]: "" } })).length > 0);
    });
}
