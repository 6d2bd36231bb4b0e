// Changes to what protects the logs raise an alarm: the trail's metric filters, evaluated on the
// CloudTrail events such changes record (in the management account, where the SCPs and the trail
// live and no SCP applies).
import * as assert from "assert";
import { CIS_METRIC_FILTERS } from "../../../components/policies/cis-metric-filters";
import { matchesFilterPattern } from "../../support/filter-pattern";

const event = (eventSource: string, eventName: string) => ({
    eventVersion: "1.09",
    eventSource,
    eventName,
    userIdentity: { type: "AssumedRole", arn: "arn:aws:sts::111111111111:assumed-role/OrgLoggingPipeline-production/gitlab" },
    sourceIPAddress: "203.0.113.10",
    eventType: "AwsApiCall",
});
const alarmsOf = (e: Record<string, unknown>) => CIS_METRIC_FILTERS.filter((f) => matchesFilterPattern(f.pattern, e)).map((f) => f.id);

describe("components/policies/cis-metric-filters: changes to the trail and the SCPs raise alarms", () => {
    it("reads filter patterns as CloudWatch Logs does", () => {
        assert.strictEqual(matchesFilterPattern('{ ($.a = "x*") && ($.b.c != "Yes") }', { a: "xyz", b: { c: "No" } }), true);
        assert.strictEqual(matchesFilterPattern("{ ($.a = x) || ($.a = y) }", { a: "z" }), false);
        assert.strictEqual(matchesFilterPattern("{ $.a NOT EXISTS && $.b = 1 }", { b: 1 }), true);
    });

    for (const name of ["StopLogging", "DeleteTrail", "UpdateTrail", "CreateTrail", "StartLogging"]) {
        it(`cloudtrail:${name} raises the CloudTrail configuration alarm (CIS 4.5)`, () => {
            assert.deepStrictEqual(alarmsOf(event("cloudtrail.amazonaws.com", name)), ["cloudtrail-configuration-changes"]);
        });
    }

    for (const name of ["PutEventSelectors", "PutInsightSelectors"]) {
        it(`cloudtrail:${name}, which CIS 4.5 misses, raises the event-selector alarm`, () => {
            assert.deepStrictEqual(alarmsOf(event("cloudtrail.amazonaws.com", name)), ["trail-event-selector-changes"]);
        });
    }

    for (const name of ["UpdatePolicy", "DetachPolicy", "AttachPolicy", "DeletePolicy", "CreatePolicy", "DisablePolicyType"]) {
        it(`organizations:${name} (an SCP change) raises the Organizations alarm (CIS 4.15)`, () => {
            assert.ok(alarmsOf(event("organizations.amazonaws.com", name)).includes("organizations-changes"));
        });
    }

    it("kms:DisableKey and kms:ScheduleKeyDeletion raise the key alarm (CIS 4.7)", () => {
        for (const name of ["DisableKey", "ScheduleKeyDeletion"]) {
            assert.deepStrictEqual(alarmsOf(event("kms.amazonaws.com", name)), ["cmk-disabled-or-scheduled-deletion"]);
        }
    });

    it("an ordinary read raises none", () => {
        assert.deepStrictEqual(alarmsOf(event("cloudtrail.amazonaws.com", "DescribeTrails")), []);
    });
});
