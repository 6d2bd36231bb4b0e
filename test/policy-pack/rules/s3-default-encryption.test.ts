import * as assert from "assert";
import { s3DefaultEncryption as rule } from "../../../policy-pack/rules/s3-default-encryption";
import { FakeResource, runRule, urnOf } from "../../support/policy";
import { BUCKET, itFollowsEnforcementLevels, itHonoursExemptions, messages, UNKNOWN_STRING } from "../../support/policy-rules";

const SSE = "aws:s3/bucketServerSideEncryptionConfiguration:BucketServerSideEncryptionConfiguration";
const bucket = (inputs: Record<string, unknown> = {}, name = "archive"): FakeResource => ({ type: BUCKET, name, inputs });
const sse = (sseAlgorithm: unknown, type = SSE, bucketName = "archive"): FakeResource => ({
    type,
    name: `${bucketName}-encryption`,
    inputs: {
        bucket: `${bucketName}-1234567`,
        rules: [{ applyServerSideEncryptionByDefault: { sseAlgorithm, kmsMasterKeyId: UNKNOWN_STRING }, bucketKeyEnabled: true }],
    },
    propertyDependencies: { bucket: [urnOf(BUCKET, bucketName)] },
});

describe("policy-pack/s3-default-encryption", () => {
    it("passes SSE-KMS (with a key ARN not known yet) and SSE-S3, as a separate resource (v1 and V2 types) or inline", async () => {
        assert.deepStrictEqual(await runRule(rule, [bucket(), sse("aws:kms")]), []);
        assert.deepStrictEqual(
            await runRule(rule, [
                bucket(),
                sse("AES256", "aws:s3/bucketServerSideEncryptionConfigurationV2:BucketServerSideEncryptionConfigurationV2"),
            ]),
            [],
        );
        const inline = { serverSideEncryptionConfiguration: { rule: { applyServerSideEncryptionByDefault: { sseAlgorithm: "aws:kms" } } } };
        assert.deepStrictEqual(await runRule(rule, bucket(inline)), []);
    });

    it("fails a bucket without default encryption, on its URN", async () => {
        const violations = await runRule(rule, [bucket(), bucket({}, "other"), sse("aws:kms", SSE, "other")]);
        assert.deepStrictEqual(
            violations.map((v) => v.urn),
            [urnOf(BUCKET, "archive")],
        );
        assert.strictEqual(
            violations[0].message,
            'bucket "archive" has no default encryption configuration, so its encryption is left to S3\'s implicit default rather than the archive\'s key. Add aws.s3.BucketServerSideEncryptionConfiguration for this bucket with sseAlgorithm "aws:kms" (or "AES256" for ALB access logs), as orglog:index:LogArchiveAccount does.',
        );
    });

    it("fails an algorithm outside the config's list", async () => {
        const violations = await runRule(rule, [bucket(), sse("AES256")], { allowedAlgorithms: ["aws:kms"] });
        assert.deepStrictEqual(
            violations.map((v) => v.urn),
            [urnOf(SSE, "archive-encryption")],
        );
        assert.match(
            violations[0].message,
            /^bucket encryption configuration "archive-encryption" sets the default encryption algorithm "AES256", which is not one of \["aws:kms"\]/,
        );
        assert.deepStrictEqual(
            messages(
                await runRule(
                    rule,
                    bucket({
                        serverSideEncryptionConfiguration: { rule: { applyServerSideEncryptionByDefault: { sseAlgorithm: "aws:kms" } } },
                    }),
                    { allowedAlgorithms: ["AES256"] },
                ),
            ).length,
            1,
        );
    });

    it("lets the separate resource decide when the bucket's outputs show S3's implicit AES256 (state after an update)", async () => {
        const implicit = {
            serverSideEncryptionConfiguration: { rule: { applyServerSideEncryptionByDefault: { sseAlgorithm: "AES256" } } },
        };
        assert.deepStrictEqual(await runRule(rule, [bucket(implicit), sse("aws:kms")], { allowedAlgorithms: ["aws:kms"] }), []);
        assert.strictEqual((await runRule(rule, bucket(implicit), { allowedAlgorithms: ["aws:kms"] })).length, 1);
    });

    it("does not judge an unknown algorithm, and still reports the bucket without any", async () => {
        const violations = await runRule(rule, [bucket(), sse(UNKNOWN_STRING), bucket({}, "bare")]);
        assert.deepStrictEqual(
            violations.map((v) => v.urn),
            [urnOf(BUCKET, "bare")],
        );
    });

    itFollowsEnforcementLevels(rule, bucket());
    itHonoursExemptions(rule, bucket(), "archive");
});
