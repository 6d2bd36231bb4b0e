import * as assert from "assert";
import { secretNamingConvention as rule } from "../../../policy-pack/rules/secret-naming-convention";
import { FakeResource, runRule, urnOf } from "../../support/policy";
import {
    itFollowsEnforcementLevels,
    itHonoursExemptions,
    json,
    MANAGED_POLICY,
    messages,
    ROLE,
    ROLE_POLICY,
    UNKNOWN_STRING,
} from "../../support/policy-rules";

const SECRET = "aws:secretsmanager/secret:Secret";
const PATTERN = "^log-collection/(integration|production)/[A-Za-z0-9._-]+$";
const secret = (inputs: Record<string, unknown>, name = "token"): FakeResource => ({ type: SECRET, name, inputs });
const read = (Resource: unknown, extra: Record<string, unknown> = {}) => ({
    Sid: "ReadSecrets",
    Effect: "Allow",
    Action: "secretsmanager:GetSecretValue",
    Resource,
    ...extra,
});
const rolePolicy = (...statements: unknown[]): FakeResource => ({
    type: ROLE_POLICY,
    name: "collector-secrets",
    inputs: { role: "collector", policy: json(...statements) },
});
const ARN = "arn:aws:secretsmanager:eu-west-1:333333333333:secret:";

describe("policy-pack/secret-naming-convention", () => {
    describe("secret names", () => {
        for (const name of ["log-collection/production/splunk-hec-token", "log-collection/integration/syslog.ca_v2"]) {
            it(`passes "${name}"`, async () => {
                assert.deepStrictEqual(await runRule(rule, secret({ name })), []);
            });
        }

        it("fails a name outside the convention, on the secret's URN, saying what to set", async () => {
            const violations = await runRule(rule, secret({ name: "collectors/splunk-hec-token" }));
            assert.strictEqual(violations.length, 1);
            assert.strictEqual(violations[0].urn, urnOf(SECRET, "token"));
            assert.strictEqual(
                violations[0].message,
                `secret "token" is named "collectors/splunk-hec-token", which does not match ${PATTERN}, so the collectors' grants do not reach it or reach the wrong environment. Set \`name\` to "log-collection/<environment>/<name>" (orglog:index:CollectorFleet names its secrets this way).`,
            );
        });

        for (const name of [
            "log-collection/staging/token",
            "log-collection/production/a/b",
            "Log-Collection/production/token",
            "log-collection/production/",
        ]) {
            it(`fails "${name}"`, async () => {
                assert.strictEqual((await runRule(rule, secret({ name }))).length, 1);
            });
        }

        it("judges a namePrefix by the names it produces", async () => {
            assert.deepStrictEqual(await runRule(rule, secret({ namePrefix: "log-collection/production/token-" })), []);
            const [violation] = await runRule(rule, secret({ namePrefix: "log-collection/staging/token-" }));
            assert.strictEqual(
                violation.message,
                `secret "token" has \`namePrefix\` "log-collection/staging/token-", so its names do not match ${PATTERN}. Use a \`namePrefix\` such as "log-collection/<environment>/<name>-", or set \`name\`.`,
            );
        });

        it("fails an auto-named secret (Pulumi names it after the logical name)", async () => {
            const [violation] = await runRule(rule, secret({ description: "no name" }, "splunk-token"));
            assert.match(violation.message, /^secret "splunk-token" has no `name`, so Pulumi names it "splunk-token-<random>"/);
        });

        it("does not judge a name that is unknown during a preview", async () => {
            assert.deepStrictEqual(await runRule(rule, secret({ name: UNKNOWN_STRING })), []);
            assert.deepStrictEqual(await runRule(rule, secret({ namePrefix: UNKNOWN_STRING })), []);
        });
    });

    describe("GetSecretValue grants", () => {
        const passing: Array<[string, unknown]> = [
            ["the environment's prefix", `${ARN}log-collection/production/*`],
            ["one secret with its random suffix", `${ARN}log-collection/production/splunk-hec-token-AbCdEf`],
            ["one secret with a ?????? suffix", `${ARN}log-collection/integration/splunk-hec-token-??????`],
            ["an array of secrets", [`${ARN}log-collection/production/a-*`, `${ARN}log-collection/production/b-*`]],
        ];
        for (const [what, resource] of passing) {
            it(`passes ${what}`, async () => {
                assert.deepStrictEqual(messages(await runRule(rule, rolePolicy(read(resource)))), []);
            });
        }

        it("fails Resource *, naming the statement and the fix", async () => {
            const violations = await runRule(rule, rolePolicy(read("*")));
            assert.strictEqual(violations.length, 1);
            assert.strictEqual(violations[0].urn, urnOf(ROLE_POLICY, "collector-secrets"));
            assert.strictEqual(
                violations[0].message,
                'role policy "collector-secrets" statement "ReadSecrets" allows secretsmanager:GetSecretValue on "*", which is every secret of the account. Name the secret ARNs, e.g. "arn:aws:secretsmanager:<region>:<account>:secret:log-collection/<environment>/*", as orglog:index:CollectorFleet\'s instance role does.',
            );
        });

        const failing: Array<[string, Record<string, unknown>]> = [
            ["a wildcard over every environment", read(`${ARN}log-collection/*`)],
            ["a wildcard over every secret", read(`${ARN}*`)],
            ["another naming scheme", read(`${ARN}collectors/production/*`)],
            ["a wildcard service ARN", read("arn:aws:*:*:*:*")],
            ["secretsmanager:Get* in an array", read("*", { Action: ["secretsmanager:Get*", "secretsmanager:DescribeSecret"] })],
            ["secretsmanager:*", read(`${ARN}*`, { Action: "secretsmanager:*" })],
            ["NotResource", read(undefined, { NotResource: `${ARN}admin/*` })],
        ];
        for (const [what, statement] of failing) {
            it(`fails ${what}`, async () => {
                const violations = await runRule(rule, rolePolicy(statement));
                assert.strictEqual(violations.length, 1, JSON.stringify(messages(violations)));
                assert.match(violations[0].message, /allows secretsmanager:GetSecretValue on /);
            });
        }

        it("passes grants that do not include GetSecretValue or name no secret", async () => {
            const statements = [
                read("*", { Action: "secretsmanager:ListSecrets" }),
                read("*", { Effect: "Deny" }),
                read("*", { Action: undefined, NotAction: "secretsmanager:*" }),
                read("arn:aws:kms:eu-west-1:333333333333:key/1234", { Action: "*" }),
            ];
            assert.deepStrictEqual(messages(await runRule(rule, rolePolicy(...statements))), []);
        });

        it("reads managed policies written as objects and role inline policies", async () => {
            const managed = await runRule(rule, {
                type: MANAGED_POLICY,
                name: "readers",
                inputs: { policy: { Version: "2012-10-17", Statement: [read("*")] } },
            });
            assert.match(managed[0].message, /^IAM policy "readers" statement "ReadSecrets"/);
            const role: FakeResource = {
                type: ROLE,
                name: "collector",
                inputs: { assumeRolePolicy: "{}", inlinePolicies: [{ name: "secrets", policy: json(read("*")) }] },
            };
            assert.match((await runRule(rule, role))[0].message, /^role "collector" inline policy "secrets" statement "ReadSecrets"/);
        });

        it("does not judge unknown statements, and still reports the known one next to them", async () => {
            const policy = { Version: "2012-10-17", Statement: [read(UNKNOWN_STRING), read("*", { Sid: "Known" })] };
            const violations = await runRule(rule, [
                { type: MANAGED_POLICY, name: "readers", inputs: { policy } },
                { type: ROLE_POLICY, name: "x", inputs: { role: "r", policy: UNKNOWN_STRING } },
            ]);
            assert.deepStrictEqual(
                messages(violations).map((m) => /statement "(\w+)"/.exec(m)?.[1]),
                ["Known"],
            );
        });
    });

    it("follows the pack config: the pattern", async () => {
        const inputs = secret({ name: "logging/prod/token" });
        assert.strictEqual((await runRule(rule, inputs)).length, 1);
        assert.deepStrictEqual(await runRule(rule, inputs, { pattern: "^logging/(dev|prod)/[a-z-]+$" }), []);
    });

    describe("secret resource policies", () => {
        const COLLECTION_PROVIDER = "urn:pulumi:test::org-logging::pulumi:providers:aws::collection";
        const provider: FakeResource = {
            type: "pulumi:providers:aws",
            name: "collection",
            urn: COLLECTION_PROVIDER,
            inputs: { region: "eu-west-1", allowedAccountIds: '["333333333333"]' },
        };
        const SECRET_POLICY = "aws:secretsmanager/secretPolicy:SecretPolicy";
        const grant = (Principal: unknown, extra: Record<string, unknown> = {}) => ({
            Sid: "Read",
            Effect: "Allow",
            Principal,
            Action: "secretsmanager:GetSecretValue",
            Resource: "*",
            ...extra,
        });
        const secretPolicy = (...statements: unknown[]): FakeResource => ({
            type: SECRET_POLICY,
            name: "token-policy",
            inputs: { secretArn: `${ARN}log-collection/production/token-AbCdEf`, policy: json(...statements) },
            provider: COLLECTION_PROVIDER,
        });

        it("fails everyone, on the secret policy, naming the statement and the fix", async () => {
            const violations = await runRule(rule, [provider, secretPolicy(grant("*"))]);
            assert.deepStrictEqual(
                violations.map((v) => v.urn),
                [urnOf(SECRET_POLICY, "token-policy")],
            );
            assert.strictEqual(
                violations[0].message,
                'secret policy "token-policy" statement "Read" lets everyone ("*") call secretsmanager:GetSecretValue, so anyone who can reach the secret reads it. Grant the readers through their identity policies (orglog:index:CollectorFleet\'s instance role), or name them as principals of this account.',
            );
        });

        const bad: Array<[string, unknown[]]> = [
            ['{AWS: "*"}', [grant({ AWS: "*" })]],
            [
                "NotPrincipal",
                [{ ...grant(undefined), Principal: undefined, NotPrincipal: { AWS: "arn:aws:iam::333333333333:role/admin" } }],
            ],
            ["another account's root", [grant({ AWS: "arn:aws:iam::444444444444:root" })]],
            [
                "another account's role in a list",
                [grant({ AWS: ["arn:aws:iam::333333333333:role/collector", "arn:aws:iam::444444444444:role/exporter"] })],
            ],
            ["an account id", [grant({ AWS: "444444444444" })]],
            ["a principal with a wildcard", [grant({ AWS: "arn:aws:iam::*:role/collector" })]],
            ["secretsmanager:* to everyone", [grant("*", { Action: "secretsmanager:*" })]],
        ];
        for (const [what, statements] of bad) {
            it(`fails ${what}`, async () => {
                const violations = await runRule(rule, [provider, secretPolicy(...statements)]);
                assert.strictEqual(violations.length, 1, JSON.stringify(messages(violations)));
            });
        }

        it("reads the secret's own `policy` input the same way", async () => {
            const [violation] = await runRule(rule, [
                provider,
                { ...secret({ name: "log-collection/production/token", policy: json(grant("*")) }), provider: COLLECTION_PROVIDER },
            ]);
            assert.match(violation.message, /^secret "token" `policy` statement "Read" lets everyone/);
        });

        it("passes principals of the secret's own account, Deny statements and other actions", async () => {
            const fine = secretPolicy(
                grant({ AWS: "arn:aws:iam::333333333333:role/collector" }),
                grant("*", { Effect: "Deny", Condition: { StringNotEquals: { "aws:PrincipalAccount": "333333333333" } } }),
                grant("*", { Action: "secretsmanager:DescribeSecret" }),
            );
            assert.deepStrictEqual(messages(await runRule(rule, [provider, fine])), []);
        });

        it("judges nothing that is unknown during a preview, and the same policy once known", async () => {
            assert.deepStrictEqual(
                await runRule(rule, [provider, { ...secretPolicy(), inputs: { secretArn: UNKNOWN_STRING, policy: UNKNOWN_STRING } }]),
                [],
            );
            const partly = {
                ...secretPolicy(),
                inputs: { secretArn: UNKNOWN_STRING, policy: { Version: "2012-10-17", Statement: [grant({ AWS: UNKNOWN_STRING })] } },
            };
            assert.deepStrictEqual(await runRule(rule, [provider, partly]), []);
            const known = {
                ...secretPolicy(),
                inputs: {
                    secretArn: UNKNOWN_STRING,
                    policy: { Version: "2012-10-17", Statement: [grant({ AWS: "arn:aws:iam::444444444444:root" })] },
                },
            };
            assert.strictEqual((await runRule(rule, [provider, known])).length, 1);
        });
    });

    describe("the environment boundary", () => {
        const PRODUCTION_POLICY = "urn:pulumi:production::org-logging::aws:iam/rolePolicy:RolePolicy::collector-secrets";
        const inProduction = (...statements: unknown[]): FakeResource => ({ ...rolePolicy(...statements), urn: PRODUCTION_POLICY });

        it("fails a production stack's role that may read integration secrets, on the policy", async () => {
            const violations = await runRule(
                rule,
                inProduction(read([`${ARN}log-collection/production/*`, `${ARN}log-collection/integration/*`])),
            );
            assert.deepStrictEqual(
                violations.map((v) => v.urn),
                [PRODUCTION_POLICY],
            );
            assert.strictEqual(
                violations[0].message,
                'role policy "collector-secrets" statement "ReadSecrets" allows secretsmanager:GetSecretValue on "arn:aws:secretsmanager:eu-west-1:333333333333:secret:log-collection/integration/*", which names another environment\'s secrets, but this stack is the "production" environment, so its principals can read the other environment\'s credentials. Name only "log-collection/production/" secrets, as orglog:index:CollectorFleet\'s instance role does (set the rule\'s `environment` when the stack name is not the environment).',
            );
        });

        it("passes the stack's own environment, and takes the environment from the config when the stack name is not one", async () => {
            assert.deepStrictEqual(await runRule(rule, inProduction(read(`${ARN}log-collection/production/splunk-??????`))), []);
            // Stack "test" is no environment of the convention: nothing to compare with, unless the config names it.
            const integrationRead = rolePolicy(read(`${ARN}log-collection/integration/*`));
            assert.deepStrictEqual(await runRule(rule, integrationRead), []);
            assert.strictEqual((await runRule(rule, integrationRead, { environment: "production" })).length, 1);
            assert.deepStrictEqual(
                await runRule(rule, inProduction(read(`${ARN}log-collection/integration/*`)), { environment: "integration" }),
                [],
            );
        });

        it("reads the reverse, in inline role policies, and leaves unknown resources alone", async () => {
            const integrationRole: FakeResource = {
                type: ROLE,
                name: "collector",
                urn: "urn:pulumi:integration::org-logging::aws:iam/role:Role::collector",
                inputs: {
                    assumeRolePolicy: "{}",
                    inlinePolicies: [{ name: "secrets", policy: json(read(`${ARN}log-collection/production/siem-token-AbCdEf`)) }],
                },
            };
            const [violation] = await runRule(rule, integrationRole);
            assert.match(violation.message, /which names another environment's secrets, but this stack is the "integration" environment/);
            assert.deepStrictEqual(await runRule(rule, inProduction(read(UNKNOWN_STRING))), []);
        });
    });

    itFollowsEnforcementLevels(rule, secret({ name: "collectors/token" }));
    itHonoursExemptions(rule, secret({ name: "collectors/token" }), "token");
});
