import * as assert from "assert";
import { s3PublicAccessBlock as rule } from "../../../policy-pack/rules/s3-public-access-block";
import { FakeResource, runRule, urnOf } from "../../support/policy";
import { BUCKET, itFollowsEnforcementLevels, itHonoursExemptions, messages, UNKNOWN_VALUES } from "../../support/policy-rules";

const BLOCK = "aws:s3/bucketPublicAccessBlock:BucketPublicAccessBlock";
const ACCOUNT_BLOCK = "aws:s3/accountPublicAccessBlock:AccountPublicAccessBlock";
const ALL = { blockPublicAcls: true, blockPublicPolicy: true, ignorePublicAcls: true, restrictPublicBuckets: true };
const PROVIDER = "urn:pulumi:test::org-logging::pulumi:providers:aws::log-archive";
const OTHER_PROVIDER = "urn:pulumi:test::org-logging::pulumi:providers:aws::collection";

const bucket = (name = "archive", provider?: string): FakeResource => ({ type: BUCKET, name, inputs: {}, provider });
const block = (flags: Record<string, unknown>, bucketName = "archive"): FakeResource => ({
    type: BLOCK,
    name: `${bucketName}-public-access`,
    inputs: { bucket: `${bucketName}-1234567`, ...flags },
    propertyDependencies: { bucket: [urnOf(BUCKET, bucketName)] },
});

describe("policy-pack/s3-public-access-block", () => {
    it("passes a bucket with a block of all four flags (related through propertyDependencies)", async () => {
        assert.deepStrictEqual(await runRule(rule, [bucket(), block(ALL)]), []);
    });

    it("fails a bucket without a block, on the bucket's URN", async () => {
        const violations = await runRule(rule, [bucket(), block(ALL, "other"), bucket("other")]);
        assert.deepStrictEqual(
            violations.map((v) => v.urn),
            [urnOf(BUCKET, "archive")],
        );
        assert.strictEqual(
            violations[0].message,
            'bucket "archive" has no aws.s3.BucketPublicAccessBlock, so a public policy or ACL would expose it. Add aws.s3.BucketPublicAccessBlock for this bucket with blockPublicAcls, blockPublicPolicy, ignorePublicAcls, restrictPublicBuckets all true, as orglog:index:LogArchiveAccount does.',
        );
    });

    it("fails a block that leaves flags off, on the block's URN", async () => {
        const violations = await runRule(rule, [bucket(), block({ ...ALL, blockPublicPolicy: false, restrictPublicBuckets: undefined })]);
        assert.deepStrictEqual(
            violations.map((v) => v.urn),
            [urnOf(BLOCK, "archive-public-access")],
        );
        assert.deepStrictEqual(messages(violations), [
            'bucket public access block "archive-public-access" leaves `blockPublicPolicy`, `restrictPublicBuckets` not true, so public policies or ACLs can still take effect. Set `blockPublicPolicy: true`, `restrictPublicBuckets: true`.',
        ]);
    });

    it("accepts an account-level block in the bucket's account (same provider), unless config refuses it", async () => {
        const providers: FakeResource[] = [PROVIDER, OTHER_PROVIDER].map((urn, i) => ({
            type: "pulumi:providers:aws",
            name: urn.split("::").pop(),
            urn,
            inputs: { region: "eu-west-1", allowedAccountIds: JSON.stringify([["222222222222", "333333333333"][i]]) },
        }));
        const accountBlock: FakeResource = { type: ACCOUNT_BLOCK, name: "account", inputs: ALL, provider: PROVIDER };
        assert.deepStrictEqual(await runRule(rule, [...providers, bucket("archive", PROVIDER), accountBlock]), []);
        assert.strictEqual(
            (await runRule(rule, [...providers, bucket("archive", OTHER_PROVIDER), accountBlock])).length,
            1,
            "another account's block does not count",
        );
        assert.strictEqual(
            (await runRule(rule, [...providers, bucket("archive", PROVIDER), accountBlock], { acceptAccountLevelBlock: false })).length,
            1,
        );
        // Two providers for the same account and region (e.g. one per component) also share the block.
        const twin: FakeResource = { ...providers[0], name: "log-archive-2", urn: `${PROVIDER}-2` };
        assert.deepStrictEqual(await runRule(rule, [...providers, twin, bucket("archive", `${PROVIDER}-2`), accountBlock]), []);
    });

    it("does not judge flags that are unknown, and still reports the bucket without any block", async () => {
        const unknownFlags = block({ ...ALL, blockPublicAcls: UNKNOWN_VALUES.unknownBooleanValue });
        const violations = await runRule(rule, [bucket(), unknownFlags, bucket("bare")]);
        assert.deepStrictEqual(
            violations.map((v) => v.urn),
            [urnOf(BUCKET, "bare")],
        );
    });

    itFollowsEnforcementLevels(rule, bucket());
    itHonoursExemptions(rule, bucket(), "archive");
});
