import * as assert from "assert";
import type { PolicyResource } from "@pulumi/policy";
import { awsPolicySizeLimits as rule, measure, POLICY_QUOTAS, policySizes } from "../../../policy-pack/rules/aws-policy-size-limits";
import { runPolicies } from "../../../tools/policy-runner";
import { FakeResource, runRule, urnOf } from "../../support/policy";
import { plannedStack } from "../../support/planned-stacks";
import {
    BUCKET_POLICY,
    itFollowsEnforcementLevels,
    itHonoursExemptions,
    MANAGED_POLICY,
    messages,
    ROLE,
    ROLE_POLICY,
    UNKNOWN_STRING,
} from "../../support/policy-rules";

/** A policy document of exactly `size` bytes (ASCII, minified), one statement padded through its Sid. */
function documentOf(size: number): string {
    const base = (sid: string) =>
        JSON.stringify({ Version: "2012-10-17", Statement: [{ Sid: sid, Effect: "Allow", Action: "s3:GetObject", Resource: "*" }] });
    const pad = size - base("").length;
    assert.ok(pad >= 0);
    return base("S".repeat(pad));
}

const bucketPolicy = (policy: string): FakeResource => ({ type: BUCKET_POLICY, inputs: { bucket: "archive", policy } });

describe("policy-pack/aws-policy-size-limits", () => {
    it("flags a 21 KB bucket policy with its size, the limit and the resource", async () => {
        const violations = await runRule(rule, bucketPolicy(documentOf(21_000)));
        assert.strictEqual(violations.length, 1);
        assert.strictEqual(violations[0].enforcementLevel, "mandatory");
        assert.strictEqual(violations[0].urn, urnOf(BUCKET_POLICY, "subject"));
        assert.strictEqual(
            violations[0].message,
            'bucket policy "subject" is 21,000 bytes, over the S3 bucket policy limit of 20,480, so AWS would refuse it on deployment. Admit the organization with aws:SourceOrgID or aws:PrincipalOrgID and policy variables instead of one statement or ARN per account.',
        );
    });

    it("accepts a bucket policy of exactly 20,480 bytes and counts bytes, not characters", async () => {
        assert.deepStrictEqual(await runRule(rule, bucketPolicy(documentOf(20_480))), []);
        // 20,475 characters, 20,485 bytes: ten two-byte characters.
        const wide = documentOf(20_475).replace("SSSSSSSSSS", "éééééééééé");
        assert.deepStrictEqual([wide.length, Buffer.byteLength(wide)], [20_475, 20_485]);
        assert.strictEqual((await runRule(rule, bucketPolicy(wide))).length, 1);
    });

    it("measures IAM documents without whitespace, as IAM does", async () => {
        const spaced = JSON.stringify(JSON.parse(documentOf(6_000)), null, 8);
        assert.ok(spaced.length > 6_144);
        assert.strictEqual(measure(spaced, "characters without whitespace"), JSON.stringify(JSON.parse(spaced)).length);
        assert.deepStrictEqual(await runRule(rule, { type: MANAGED_POLICY, inputs: { policy: spaced } }), []);
        assert.strictEqual((await runRule(rule, { type: MANAGED_POLICY, inputs: { policy: documentOf(6_145) } })).length, 1);
    });

    it("sums the inline policies of one role, and only of that role", async () => {
        const inline = (name: string, role: string, size: number): FakeResource => ({
            type: ROLE_POLICY,
            name,
            inputs: { role, policy: documentOf(size) },
        });
        const violations = await runRule(rule, [
            inline("a", "deployer", 6_000),
            inline("b", "deployer", 4_300),
            inline("c", "other", 6_000),
        ]);
        assert.deepStrictEqual(messages(violations), [
            'IAM role "deployer" inline policies is 10,300 characters without whitespace, over the IAM role inline policies (together) limit of 10,240, so AWS would refuse it on deployment. Move statements into customer managed policies attached to the role, or name roles by pattern with aws:ResourceOrgID instead of one ARN per account.',
        ]);
        assert.strictEqual(violations[0].urn, urnOf(ROLE_POLICY, "a"), "reported on the role's largest inline policy");
    });

    it("holds trust policies, SCPs, key and topic policies to their quotas", async () => {
        const cases: Array<[FakeResource, number]> = [
            [{ type: ROLE, inputs: { name: "r", assumeRolePolicy: documentOf(POLICY_QUOTAS.trust.limit + 1) } }, 1],
            [{ type: ROLE, inputs: { name: "r", assumeRolePolicy: documentOf(POLICY_QUOTAS.trust.limit) } }, 0],
            [{ type: "aws:organizations/policy:Policy", inputs: { type: "SERVICE_CONTROL_POLICY", content: documentOf(5_121) } }, 1],
            [{ type: "aws:organizations/policy:Policy", inputs: { type: "TAG_POLICY", content: documentOf(5_121) } }, 0],
            [{ type: "aws:kms/key:Key", inputs: { policy: documentOf(32_769) } }, 1],
            [{ type: "aws:kms/key:Key", inputs: { policy: documentOf(32_768) } }, 0],
            [{ type: "aws:sns/topicPolicy:TopicPolicy", inputs: { arn: "t", policy: documentOf(30_721) } }, 1],
            [{ type: "aws:sns/topic:Topic", inputs: { policy: documentOf(30_720) } }, 0],
        ];
        for (const [resource, expected] of cases) {
            assert.strictEqual(
                (await runRule(rule, resource)).length,
                expected,
                `${resource.type} ${JSON.stringify(resource.inputs).length}`,
            );
        }
    });

    it("skips a policy that is unknown during preview", async () => {
        assert.deepStrictEqual(await runRule(rule, bucketPolicy(UNKNOWN_STRING)), []);
    });

    itFollowsEnforcementLevels(rule, bucketPolicy(documentOf(21_000)));
    itHonoursExemptions(rule, bucketPolicy(documentOf(21_000)), "subject");

    for (const stack of ["integration", "production"] as const) {
        it(`passes the ${stack} stack, whose largest documents are measured`, async function () {
            this.timeout(120_000);
            // Reads are looked up, not managed: the plan judges only what the program manages.
            const managed = (await plannedStack(stack)).filter((r) => !r.read);
            assert.deepStrictEqual(await runPolicies([rule], managed), []);
            // Not vacuous: the stack's bucket, key and trust policies are measured (and its SCPs in production).
            const kinds = new Set(
                policySizes(
                    managed.map((r) => ({ type: r.type, urn: r.urn, name: r.name, props: r.inputs }) as unknown as PolicyResource),
                ).map((s) => s.kind),
            );
            assert.deepStrictEqual(
                ["bucket", "key", "trust", "scp"].filter((k) => kinds.has(k as never)),
                stack === "production" ? ["bucket", "key", "trust", "scp"] : ["bucket", "key", "trust"],
            );
        });
    }
});
