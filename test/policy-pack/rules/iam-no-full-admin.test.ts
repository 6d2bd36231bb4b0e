import * as assert from "assert";
import { iamNoFullAdmin as rule } from "../../../policy-pack/rules/iam-no-full-admin";
import { FakeResource, runRule, urnOf } from "../../support/policy";
import {
    itFollowsEnforcementLevels,
    itHonoursExemptions,
    json,
    MANAGED_POLICY,
    messages,
    ROLE,
    UNKNOWN_STRING,
} from "../../support/policy-rules";

const allow = (Action: unknown, Resource: unknown = "*", extra: Record<string, unknown> = {}) => ({
    Sid: "Everything",
    Effect: "Allow",
    Action,
    Resource,
    ...extra,
});
const policy = (...statements: unknown[]): FakeResource => ({
    type: MANAGED_POLICY,
    name: "deployer",
    inputs: { policy: json(...statements) },
});

describe("policy-pack/iam-no-full-admin", () => {
    it("passes scoped statements, service wildcards and a Deny of everything", async () => {
        assert.deepStrictEqual(
            await runRule(
                rule,
                policy(
                    allow("s3:*"),
                    allow(["ssm:*", "ec2:Describe*"]),
                    allow("*", "arn:aws:s3:::bucket/*"),
                    allow("*", "*", { Effect: "Deny" }),
                ),
            ),
            [],
        );
    });

    it("fails *:* on *, naming the statement, on the policy's URN", async () => {
        const violations = await runRule(rule, policy(allow("*:*")));
        assert.deepStrictEqual(
            violations.map((v) => v.urn),
            [urnOf(MANAGED_POLICY, "deployer")],
        );
        assert.strictEqual(
            violations[0].message,
            'IAM policy "deployer" statement "Everything" allows "*:*" on "*", which is full administrator access, including stopping the trail and deleting the archive. List the actions and resources the principal needs; use AWS managed job-function policies only through a reviewed break-glass role.',
        );
    });

    const failing: Array<[string, FakeResource]> = [
        ["* in an array, on an array holding *", policy(allow(["*"], ["arn:aws:s3:::x", "*"]))],
        ["NotAction on *", policy(allow(undefined, "*", { NotAction: ["iam:CreateUser"] }))],
        ["* on NotResource", policy(allow("*", undefined, { NotResource: "arn:aws:s3:::protected/*" }))],
        [
            "a role's inline policy written as an object",
            {
                type: ROLE,
                name: "admin",
                inputs: {
                    assumeRolePolicy: "{}",
                    inlinePolicies: [{ name: "all", policy: { Version: "2012-10-17", Statement: allow("*") } }],
                },
            },
        ],
    ];
    for (const [what, resource] of failing) {
        it(`fails ${what}`, async () => {
            assert.strictEqual((await runRule(rule, resource)).length, 1);
        });
    }

    it("reports a NotAction statement by what it excludes", async () => {
        assert.match(
            messages(await runRule(rule, policy(allow(undefined, "*", { NotAction: "iam:*" }))))[0],
            /allows every action except \["iam:\*"\] \(NotAction\) on "\*"/,
        );
    });

    it("does not judge unknown statements, and still reports the known one", async () => {
        const resource: FakeResource = {
            type: MANAGED_POLICY,
            name: "deployer",
            inputs: { policy: { Version: "2012-10-17", Statement: [allow("*", UNKNOWN_STRING), allow("*", "*", { Sid: "Known" })] } },
        };
        assert.deepStrictEqual(
            messages(await runRule(rule, resource)).map((m) => /statement "(\w+)"/.exec(m)?.[1]),
            ["Known"],
        );
    });

    itFollowsEnforcementLevels(rule, policy(allow("*")));
    itHonoursExemptions(rule, policy(allow("*")), "deployer");
});
