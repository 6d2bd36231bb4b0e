import * as assert from "assert";
import { iamPolicyValid as rule } from "../../../policy-pack/rules/iam-policy-valid";
import { FakeResource, runRule, urnOf } from "../../support/policy";
import {
    BUCKET_POLICY,
    itFollowsEnforcementLevels,
    itHonoursExemptions,
    json,
    messages,
    ROLE,
    ROLE_POLICY,
    UNKNOWN_STRING,
} from "../../support/policy-rules";

const FIX = "Correct it from AWS's Service Authorization Reference; IAM ignores what it does not know.";
const reads = { Sid: "Reads", Effect: "Allow", Action: "s3:GetObject", Resource: "arn:aws:s3:::archive/*" };
const rolePolicy = (...statements: unknown[]): FakeResource => ({
    type: ROLE_POLICY,
    name: "reader",
    inputs: { role: "collector", policy: json(...statements) },
});

describe("policy-pack/iam-policy-valid", () => {
    it("passes statements whose actions, condition keys, operators and resources exist", async () => {
        const conditioned = {
            ...reads,
            Sid: "Scoped",
            Condition: { StringEquals: { "aws:PrincipalOrgID": "o-abc123", "s3:signatureversion": "AWS4-HMAC-SHA256" } },
        };
        assert.deepStrictEqual(
            await runRule(rule, rolePolicy(reads, conditioned, { Sid: "Lists", Effect: "Allow", Action: "s3:List*", Resource: "*" })),
            [],
        );
    });

    it("passes condition keys whose variable part the reference writes as <key> (s3:ExistingObjectTag/<key>)", async () => {
        const tagged = { ...reads, Condition: { StringEquals: { "s3:ExistingObjectTag/environment": "production" } } };
        const tagging = {
            Sid: "Tags",
            Effect: "Allow",
            Action: "s3:PutObjectTagging",
            Resource: "arn:aws:s3:::archive/*",
            Condition: { "ForAnyValue:StringEquals": { "s3:RequestObjectTag/environment": "production" } },
        };
        assert.deepStrictEqual(await runRule(rule, rolePolicy(tagged, tagging)), []);
    });

    it("fails a misspelt action, on the policy's URN, with the fix", async () => {
        const violations = await runRule(rule, rolePolicy({ ...reads, Action: "s3:GetObjekt" }));
        assert.deepStrictEqual(
            violations.map((v) => v.urn),
            [urnOf(ROLE_POLICY, "reader")],
        );
        assert.strictEqual(
            violations[0].message,
            `role policy "reader" statement "Reads": action "s3:GetObjekt" does not exist in the IAM reference of "s3". ${FIX}`,
        );
    });

    it("fails an unknown service prefix, a pattern matching nothing and an action without a service", async () => {
        assert.deepStrictEqual(
            messages(await runRule(rule, rolePolicy({ ...reads, Action: ["s4:GetObject", "s3:Frobnicate*", "GetObject"] }))),
            [
                `role policy "reader" statement "Reads": action "s4:GetObject": "s4" is not an IAM service prefix. ${FIX}`,
                `role policy "reader" statement "Reads": action pattern "s3:Frobnicate*" matches no action of the IAM reference. ${FIX}`,
                `role policy "reader" statement "Reads": action "GetObject" is not written service:Action. ${FIX}`,
            ],
        );
    });

    it("fails an unknown operator, a misspelt global key and a service key the actions do not take", async () => {
        const statement = {
            ...reads,
            Condition: {
                StringEqual: { "aws:SourceAcount": "111111111111" },
                StringEquals: { "kms:ViaService": "s3.eu-west-1.amazonaws.com" },
            },
        };
        assert.deepStrictEqual(messages(await runRule(rule, rolePolicy(statement))), [
            `role policy "reader" statement "Reads": condition operator "StringEqual" is not an IAM condition operator. ${FIX}`,
            `role policy "reader" statement "Reads": condition key "aws:SourceAcount" is not a global condition key. ${FIX}`,
            `role policy "reader" statement "Reads": condition key "kms:ViaService" applies to none of the statement's actions. ${FIX}`,
        ]);
    });

    it("fails an object action on a bucket ARN, in a bucket policy", async () => {
        const policy: FakeResource = {
            type: BUCKET_POLICY,
            name: "archive-policy",
            inputs: {
                bucket: "archive",
                policy: json({
                    Sid: "Writes",
                    Effect: "Allow",
                    Principal: { AWS: "arn:aws:iam::111111111111:root" },
                    Action: "s3:PutObject",
                    Resource: "arn:aws:s3:::archive",
                }),
            },
        };
        const [violation] = await runRule(rule, policy);
        assert.match(
            violation.message,
            /^bucket policy "archive-policy" statement "Writes": action "s3:PutObject" cannot apply to "arn:aws:s3:::archive" \(it takes .*object.*\)\. Correct it/,
        );
    });

    it("reads a role's trust policy and inline policies, and keys of identity providers are not IAM's", async () => {
        const trust = json({
            Sid: "Ci",
            Effect: "Allow",
            Principal: { Federated: "arn:aws:iam::111111111111:oidc-provider/gitlab.com" },
            Action: "sts:AssumeRoleWithWebIdentity",
            Condition: { StringLike: { "gitlab.com:sub": "project_path:org/*" } },
        });
        const role: FakeResource = {
            type: ROLE,
            name: "deployer",
            inputs: { assumeRolePolicy: trust, inlinePolicies: [{ name: "read", policy: json({ ...reads, Action: "s3:GetObjekt" }) }] },
        };
        assert.deepStrictEqual(messages(await runRule(rule, role)), [
            `role "deployer" inline policy "read" statement "Reads": action "s3:GetObjekt" does not exist in the IAM reference of "s3". ${FIX}`,
        ]);
    });

    it("does not judge a document that is unknown during preview", async () => {
        assert.deepStrictEqual(
            await runRule(rule, { type: ROLE_POLICY, name: "reader", inputs: { role: "collector", policy: UNKNOWN_STRING } }),
            [],
        );
    });

    itFollowsEnforcementLevels(rule, rolePolicy({ ...reads, Action: "s3:GetObjekt" }));
    itHonoursExemptions(rule, rolePolicy({ ...reads, Action: "s3:GetObjekt" }), "reader");
});
