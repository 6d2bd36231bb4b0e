import * as assert from "assert";
import { s3Versioning as rule } from "../../../policy-pack/rules/s3-versioning";
import { FakeResource, runRule, urnOf } from "../../support/policy";
import { BUCKET, itFollowsEnforcementLevels, itHonoursExemptions, messages, UNKNOWN_STRING } from "../../support/policy-rules";

const VERSIONING = "aws:s3/bucketVersioning:BucketVersioning";
const bucket = (inputs: Record<string, unknown> = {}, name = "archive"): FakeResource => ({ type: BUCKET, name, inputs });
const versioning = (status: unknown, bucketName = "archive"): FakeResource => ({
    type: VERSIONING,
    name: `${bucketName}-versioning`,
    inputs: { bucket: `${bucketName}-1234567`, versioningConfiguration: { status } },
    propertyDependencies: { bucket: [urnOf(BUCKET, bucketName)] },
});

describe("policy-pack/s3-versioning", () => {
    it("passes versioning Enabled, separate or inline", async () => {
        assert.deepStrictEqual(await runRule(rule, [bucket(), versioning("Enabled")]), []);
        assert.deepStrictEqual(await runRule(rule, bucket({ versioning: { enabled: true } })), []);
    });

    it("fails a bucket without versioning, on its URN", async () => {
        const violations = await runRule(rule, [bucket(), bucket({}, "other"), versioning("Enabled", "other")]);
        assert.deepStrictEqual(
            violations.map((v) => v.urn),
            [urnOf(BUCKET, "archive")],
        );
        assert.strictEqual(
            violations[0].message,
            'bucket "archive" has no aws.s3.BucketVersioning, so overwritten or deleted log objects cannot be recovered. Add aws.s3.BucketVersioning for this bucket with versioningConfiguration.status "Enabled", or create the bucket with orglog:index:LogArchiveAccount.',
        );
    });

    it("fails Suspended versioning on the versioning resource, and inline enabled false", async () => {
        const violations = await runRule(rule, [bucket(), versioning("Suspended")]);
        assert.deepStrictEqual(
            violations.map((v) => v.urn),
            [urnOf(VERSIONING, "archive-versioning")],
        );
        assert.deepStrictEqual(messages(violations), [
            'bucket versioning "archive-versioning" has status "Suspended", so overwritten or deleted log objects cannot be recovered. Set versioningConfiguration.status to "Enabled".',
        ]);
        assert.match(
            (await runRule(rule, bucket({ versioning: { enabled: false } })))[0].message,
            /^bucket "archive" has versioning.enabled false/,
        );
    });

    it("lets the separate resource decide when the bucket's outputs say enabled false (state after an update)", async () => {
        assert.deepStrictEqual(
            await runRule(rule, [bucket({ versioning: { enabled: false, mfaDelete: false } }), versioning("Enabled")]),
            [],
        );
    });

    it("does not judge an unknown status, and still reports the bucket without versioning", async () => {
        const violations = await runRule(rule, [bucket(), versioning(UNKNOWN_STRING), bucket({}, "bare")]);
        assert.deepStrictEqual(
            violations.map((v) => v.urn),
            [urnOf(BUCKET, "bare")],
        );
    });

    itFollowsEnforcementLevels(rule, [bucket(), versioning("Suspended")]);
    itHonoursExemptions(rule, [bucket(), versioning("Suspended")], "archive*");
});
