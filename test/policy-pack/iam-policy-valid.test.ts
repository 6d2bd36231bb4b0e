import * as assert from "assert";
import { iamPolicyValid as rule } from "../../policy-pack/rules/iam-policy-valid";
import { FakeResource, runRule } from "../support/policy";
import {
    BUCKET_POLICY,
    itFollowsEnforcementLevels,
    itHonoursExemptions,
    json,
    messages,
    ROLE,
    ROLE_POLICY,
    UNKNOWN_STRING,
} from "../support/policy-rules";

const rolePolicy = (...statements: unknown[]): FakeResource => ({
    type: ROLE_POLICY,
    name: "reader",
    inputs: { role: "r", policy: json(...statements) },
});
const allow = (Action: unknown, Resource: unknown, Condition?: unknown) => ({
    Sid: "Read",
    Effect: "Allow",
    Action,
    Resource,
    ...(Condition ? { Condition } : {}),
});
const SUFFIX = "Correct it from AWS's Service Authorization Reference; IAM ignores what it does not know.";

describe("policy-pack/iam-policy-valid", () => {
    it("passes valid statements: wildcards, global keys, service keys, IfExists and ForAnyValue operators, object ARNs", async () => {
        const ok = rolePolicy(
            allow(["s3:GetObject", "s3:List*"], ["arn:aws:s3:::logs", "arn:aws:s3:::logs/*"], {
                StringEqualsIfExists: { "aws:SourceAccount": "111111111111" },
                "ForAnyValue:StringLike": { "aws:TagKeys": ["a*"] },
            }),
            allow("s3:PutObject", "arn:aws:s3:::logs/AWSLogs/*", { StringEquals: { "s3:x-amz-acl": "bucket-owner-full-control" } }),
            allow("kms:Decrypt", "*", { StringLike: { "kms:EncryptionContext:aws:cloudtrail:arn": "arn:aws:cloudtrail:*:1:trail/*" } }),
        );
        assert.deepStrictEqual(messages(await runRule(rule, ok)), []);
    });

    it("flags an action that does not exist", async () => {
        assert.deepStrictEqual(messages(await runRule(rule, rolePolicy(allow("s3:GetObjekt", "arn:aws:s3:::logs/*")))), [
            `role policy "reader" statement "Read": action "s3:GetObjekt" does not exist in the IAM reference of "s3". ${SUFFIX}`,
        ]);
    });

    it("flags a wildcard that matches no action and an unknown service", async () => {
        assert.deepStrictEqual(messages(await runRule(rule, rolePolicy(allow(["s3:Frobnicate*", "s4:GetObject"], "*")))).length, 2);
    });

    it("flags a condition key that does not exist", async () => {
        const violations = await runRule(
            rule,
            rolePolicy(allow("s3:GetObject", "arn:aws:s3:::logs/*", { StringEquals: { "aws:SourceAcount": "111111111111" } })),
        );
        assert.deepStrictEqual(messages(violations), [
            `role policy "reader" statement "Read": condition key "aws:SourceAcount" is not a global condition key. ${SUFFIX}`,
        ]);
    });

    it("flags a service key that applies to none of the statement's actions", async () => {
        const violations = await runRule(
            rule,
            rolePolicy(allow("s3:GetObject", "arn:aws:s3:::logs/*", { StringEquals: { "kms:ViaService": "s3.eu-west-1.amazonaws.com" } })),
        );
        assert.deepStrictEqual(messages(violations), [
            `role policy "reader" statement "Read": condition key "kms:ViaService" applies to none of the statement's actions. ${SUFFIX}`,
        ]);
    });

    it("flags an operator that does not exist", async () => {
        const violations = await runRule(
            rule,
            rolePolicy(allow("s3:GetObject", "arn:aws:s3:::logs/*", { StringEqual: { "aws:SourceAccount": "111111111111" } })),
        );
        assert.deepStrictEqual(messages(violations), [
            `role policy "reader" statement "Read": condition operator "StringEqual" is not an IAM condition operator. ${SUFFIX}`,
        ]);
    });

    it("flags s3:PutObject on a bucket ARN without /*, in a bucket policy", async () => {
        const resource: FakeResource = {
            type: BUCKET_POLICY,
            name: "logs-policy",
            inputs: {
                bucket: "logs",
                policy: json({
                    Sid: "Write",
                    Effect: "Allow",
                    Principal: { Service: "cloudtrail.amazonaws.com" },
                    Action: "s3:PutObject",
                    Resource: "arn:aws:s3:::logs",
                }),
            },
        };
        assert.deepStrictEqual(messages(await runRule(rule, resource)), [
            `bucket policy "logs-policy" statement "Write": action "s3:PutObject" cannot apply to "arn:aws:s3:::logs" (it takes accesspointobject, object: arn:\${Partition}:s3:\${Region}:\${Account}:accesspoint/\${AccessPointName}/object/\${ObjectName}, arn:\${Partition}:s3:::\${BucketName}/\${ObjectName}). ${SUFFIX}`,
        ]);
    });

    it("checks trust policies and SCPs, and leaves identity providers' claims alone", async () => {
        const role: FakeResource = {
            type: ROLE,
            name: "ci",
            inputs: {
                assumeRolePolicy: json({
                    Effect: "Allow",
                    Principal: { Federated: "arn:aws:iam::1:oidc-provider/gitlab.com" },
                    Action: "sts:AssumeRoleWithWebIdentity",
                    Condition: { StringEquals: { "gitlab.com:sub": "x" } },
                }),
            },
        };
        assert.deepStrictEqual(messages(await runRule(rule, role)), []);
        const scp: FakeResource = {
            type: "aws:organizations/policy:Policy",
            name: "scp",
            inputs: {
                type: "SERVICE_CONTROL_POLICY",
                content: json({ Effect: "Deny", Action: "s3:DeleteBucketOwnershipControls", Resource: "*" }),
            },
        };
        assert.match(
            messages(await runRule(rule, scp))[0],
            /^organization policy "scp" statement 1: action "s3:DeleteBucketOwnershipControls" does not exist/,
        );
    });

    it("does not judge values a preview cannot know", async () => {
        assert.deepStrictEqual(messages(await runRule(rule, rolePolicy(allow("s3:GetObjekt", UNKNOWN_STRING)))), []);
        assert.deepStrictEqual(
            messages(await runRule(rule, { type: ROLE_POLICY, name: "x", inputs: { role: "r", policy: UNKNOWN_STRING } })),
            [],
        );
    });

    itFollowsEnforcementLevels(rule, rolePolicy(allow("s3:GetObjekt", "*")));
    itHonoursExemptions(rule, rolePolicy(allow("s3:GetObjekt", "*")), "reader");
});
