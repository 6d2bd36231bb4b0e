import * as assert from "assert";
import { s3TlsOnly as rule } from "../../../policy-pack/rules/s3-tls-only";
import { FakeResource, runRule, urnOf } from "../../support/policy";
import { BUCKET, BUCKET_POLICY, itFollowsEnforcementLevels, itHonoursExemptions, json, UNKNOWN_STRING } from "../../support/policy-rules";

const ARN = "arn:aws:s3:::archive-1234567";
const deny = (extra: Record<string, unknown> = {}) => ({
    Sid: "DenyInsecureTransport",
    Effect: "Deny",
    Principal: "*",
    Action: "s3:*",
    Resource: [ARN, `${ARN}/*`],
    Condition: { Bool: { "aws:SecureTransport": "false" } },
    ...extra,
});
const reader = {
    Sid: "Read",
    Effect: "Allow",
    Principal: { AWS: "arn:aws:iam::222222222222:role/Auditor" },
    Action: "s3:GetObject",
    Resource: `${ARN}/*`,
};
const bucket = (inputs: Record<string, unknown> = {}, name = "archive"): FakeResource => ({ type: BUCKET, name, inputs });
const policy = (document: unknown, bucketName = "archive"): FakeResource => ({
    type: BUCKET_POLICY,
    name: `${bucketName}-policy`,
    inputs: { bucket: `${bucketName}-1234567`, policy: document },
    propertyDependencies: { bucket: [urnOf(BUCKET, bucketName)], policy: [urnOf(BUCKET, bucketName)] },
});

describe("policy-pack/s3-tls-only", () => {
    const passing: Array<[string, FakeResource[]]> = [
        ["a JSON policy with the deny", [bucket(), policy(json(reader, deny()))]],
        [
            "an object policy with Principal {AWS: *} and Action *",
            [bucket(), policy({ Version: "2012-10-17", Statement: [deny({ Principal: { AWS: "*" }, Action: "*" })] })],
        ],
        [
            "a boolean false and BoolIfExists",
            [bucket(), policy(json(deny({ Condition: { BoolIfExists: { "aws:SecureTransport": false } } })))],
        ],
        ["the deny inline on the bucket", [bucket({ policy: json(deny()) })]],
        [
            "getPolicyDocument's rendering",
            [
                bucket(),
                policy(
                    '{"Version":"2012-10-17","Statement":[{"Effect":"Deny","Action":"s3:*","Resource":["arn:aws:s3:::archive-1234567","arn:aws:s3:::archive-1234567/*"],"Principal":"*","Condition":{"Bool":{"aws:SecureTransport":"false"}}}]}',
                ),
            ],
        ],
    ];
    for (const [what, resources] of passing) {
        it(`passes ${what}`, async () => {
            assert.deepStrictEqual(await runRule(rule, resources), []);
        });
    }

    it("fails a bucket without any policy, on its URN", async () => {
        const violations = await runRule(rule, [bucket(), bucket({}, "other"), policy(json(deny()), "other")]);
        assert.deepStrictEqual(
            violations.map((v) => v.urn),
            [urnOf(BUCKET, "archive")],
        );
        assert.strictEqual(
            violations[0].message,
            'bucket "archive" has no bucket policy, so requests over plain HTTP are accepted. Add {"Sid": "DenyInsecureTransport", "Effect": "Deny", "Principal": "*", "Action": "s3:*", "Resource": [<bucket ARN>, "<bucket ARN>/*"], "Condition": {"Bool": {"aws:SecureTransport": "false"}}} to its aws.s3.BucketPolicy, as orglog:index:LogArchiveAccount does.',
        );
    });

    const weak: Array<[string, Record<string, unknown>]> = [
        ["a deny on objects only", deny({ Resource: `${ARN}/*` })],
        ["a deny of some actions only", deny({ Action: ["s3:GetObject"] })],
        ["a deny for one principal", deny({ Principal: { AWS: "arn:aws:iam::222222222222:root" } })],
        ["a deny with the wrong condition value", deny({ Condition: { Bool: { "aws:SecureTransport": "true" } } })],
        ["an Allow", deny({ Effect: "Allow" })],
    ];
    for (const [what, statement] of weak) {
        it(`fails ${what}`, async () => {
            const [violation, ...rest] = await runRule(rule, [bucket(), policy(json(reader, statement))]);
            assert.deepStrictEqual(rest, []);
            assert.match(violation.message, /^bucket "archive" has a bucket policy without a statement that denies insecure transport/);
        });
    }

    it("does not judge a policy that is unknown (wholly or in part), and still reports the bucket without one", async () => {
        const partly = { Version: "2012-10-17", Statement: [reader, deny({ Resource: [UNKNOWN_STRING] })] };
        const violations = await runRule(rule, [
            bucket(),
            policy(UNKNOWN_STRING),
            bucket({}, "partly"),
            policy(partly, "partly"),
            bucket({}, "bare"),
        ]);
        assert.deepStrictEqual(
            violations.map((v) => v.urn),
            [urnOf(BUCKET, "bare")],
        );
    });

    itFollowsEnforcementLevels(rule, bucket());
    itHonoursExemptions(rule, bucket(), "archive");
});
