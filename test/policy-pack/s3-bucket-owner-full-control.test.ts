import * as assert from "assert";
import { s3BucketOwnerFullControl as rule } from "../../policy-pack/rules/s3-bucket-owner-full-control";
import { runRule, urnOf } from "../support/policy";

const BUCKET_POLICY = "aws:s3/bucketPolicy:BucketPolicy";

function cloudTrailWrite(extra: Record<string, unknown> = {}) {
    return {
        Sid: "CloudTrailWrite",
        Effect: "Allow",
        Principal: { Service: "cloudtrail.amazonaws.com" },
        Action: "s3:PutObject",
        Resource: "arn:aws:s3:::archive/AWSLogs/111111111111/*",
        ...extra,
    };
}

const policyWith = (...Statement: unknown[]) => ({ bucket: "archive", policy: JSON.stringify({ Version: "2012-10-17", Statement }) });
const ACL = { StringEquals: { "s3:x-amz-acl": "bucket-owner-full-control" } };

describe("policy-pack/s3-bucket-owner-full-control", () => {
    it("passes a service write that requires bucket-owner-full-control", async () => {
        assert.deepStrictEqual(await runRule(rule, { type: BUCKET_POLICY, inputs: policyWith(cloudTrailWrite({ Condition: ACL })) }), []);
    });

    it("fails a service write without the ACL condition, naming the statement and the resource", async () => {
        const violations = await runRule(rule, { type: BUCKET_POLICY, inputs: policyWith(cloudTrailWrite()) });
        assert.strictEqual(violations.length, 1);
        assert.strictEqual(violations[0].policy, "s3-bucket-owner-full-control");
        assert.strictEqual(violations[0].enforcementLevel, "mandatory");
        assert.strictEqual(violations[0].urn, urnOf(BUCKET_POLICY, "subject"));
        assert.match(violations[0].message, /statement "CloudTrailWrite" lets the service principal "cloudtrail.amazonaws.com" s3:PutObject without requiring "s3:x-amz-acl" = "bucket-owner-full-control"/);
    });

    it("sees PutObject through wildcards, arrays and another account's principal", async () => {
        const cases = [
            cloudTrailWrite({ Action: "s3:*" }),
            cloudTrailWrite({ Action: ["s3:GetObject", "s3:Put*"] }),
            cloudTrailWrite({ Action: "*" }),
            cloudTrailWrite({ Principal: { AWS: ["arn:aws:iam::444444444444:role/firehose"] } }),
            cloudTrailWrite({ Principal: "*" }),
            cloudTrailWrite({ Condition: { StringEquals: { "s3:x-amz-acl": "public-read" } } }),
        ];
        for (const s of cases) {
            assert.strictEqual((await runRule(rule, { type: BUCKET_POLICY, inputs: policyWith(s) })).length, 1, JSON.stringify(s));
        }
    });

    it("ignores reads, denies and exempt log-delivery principals", async () => {
        const cases = [
            cloudTrailWrite({ Action: "s3:GetBucketAcl" }),
            cloudTrailWrite({ Effect: "Deny" }),
            cloudTrailWrite({ Principal: { Service: "logdelivery.elasticloadbalancing.amazonaws.com" } }),
        ];
        for (const s of cases) {
            assert.deepStrictEqual(await runRule(rule, { type: BUCKET_POLICY, inputs: policyWith(s) }), [], JSON.stringify(s));
        }
    });

    it("accepts the policy as an object as well as JSON text", async () => {
        const inputs = { bucket: "archive", policy: { Version: "2012-10-17", Statement: [cloudTrailWrite()] } };
        assert.strictEqual((await runRule(rule, { type: BUCKET_POLICY, inputs })).length, 1);
    });

    it("fails bucket ACLs other than private", async () => {
        const [acl] = await runRule(rule, { type: "aws:s3/bucketAcl:BucketAcl", inputs: { bucket: "archive", acl: "log-delivery-write" } });
        assert.match(acl.message, /bucket ACL "log-delivery-write" gives access outside the bucket policy/);
        assert.deepStrictEqual(await runRule(rule, { type: "aws:s3/bucketAcl:BucketAcl", inputs: { bucket: "archive", acl: "private" } }), []);
        const [canned] = await runRule(rule, { type: "aws:s3/bucket:Bucket", inputs: { acl: "public-read" } });
        assert.match(canned.message, /canned ACL "public-read"/);
    });

    it("follows the pack config: exemptions and enforcement level", async () => {
        const inputs = policyWith(cloudTrailWrite());
        const exempt = { exemptServicePrincipals: { "cloudtrail.amazonaws.com": "test" } };
        assert.deepStrictEqual(await runRule(rule, { type: BUCKET_POLICY, inputs }, exempt), []);
        assert.strictEqual((await runRule(rule, { type: BUCKET_POLICY, inputs }, "advisory"))[0].enforcementLevel, "advisory");
        assert.deepStrictEqual(await runRule(rule, { type: BUCKET_POLICY, inputs }, "disabled"), []);
    });
});
