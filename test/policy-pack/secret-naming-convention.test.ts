import * as assert from "assert";
import { secretNamingConvention as rule } from "../../policy-pack/rules/secret-naming-convention";
import { FakeResource, runRule, urnOf } from "../support/policy";
import { itFollowsEnforcementLevels, itHonoursExemptions, json, MANAGED_POLICY, messages, ROLE, ROLE_POLICY, UNKNOWN_STRING } from "./support";

const SECRET = "aws:secretsmanager/secret:Secret";
const PATTERN = "^log-collection/(integration|production)/[A-Za-z0-9._-]+$";
const secret = (inputs: Record<string, unknown>, name = "token"): FakeResource => ({ type: SECRET, name, inputs });
const read = (Resource: unknown, extra: Record<string, unknown> = {}) => ({ Sid: "ReadSecrets", Effect: "Allow", Action: "secretsmanager:GetSecretValue", Resource, ...extra });
const rolePolicy = (...statements: unknown[]): FakeResource => ({ type: ROLE_POLICY, name: "collector-secrets", inputs: { role: "collector", policy: json(...statements) } });
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

        for (const name of ["log-collection/staging/token", "log-collection/production/a/b", "Log-Collection/production/token", "log-collection/production/"]) {
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
            const managed = await runRule(rule, { type: MANAGED_POLICY, name: "readers", inputs: { policy: { Version: "2012-10-17", Statement: [read("*")] } } });
            assert.match(managed[0].message, /^IAM policy "readers" statement "ReadSecrets"/);
            const role: FakeResource = { type: ROLE, name: "collector", inputs: { assumeRolePolicy: "{}", inlinePolicies: [{ name: "secrets", policy: json(read("*")) }] } };
            assert.match((await runRule(rule, role))[0].message, /^role "collector" inline policy "secrets" statement "ReadSecrets"/);
        });

        it("does not judge unknown statements, and still reports the known one next to them", async () => {
            const policy = { Version: "2012-10-17", Statement: [read(UNKNOWN_STRING), read("*", { Sid: "Known" })] };
            const violations = await runRule(rule, [{ type: MANAGED_POLICY, name: "readers", inputs: { policy } }, { type: ROLE_POLICY, name: "x", inputs: { role: "r", policy: UNKNOWN_STRING } }]);
            assert.deepStrictEqual(messages(violations).map((m) => /statement "(\w+)"/.exec(m)?.[1]), ["Known"]);
        });
    });

    it("follows the pack config: the pattern", async () => {
        const inputs = secret({ name: "logging/prod/token" });
        assert.strictEqual((await runRule(rule, inputs)).length, 1);
        assert.deepStrictEqual(await runRule(rule, inputs, { pattern: "^logging/(dev|prod)/[a-z-]+$" }), []);
    });

    itFollowsEnforcementLevels(rule, secret({ name: "collectors/token" }));
    itHonoursExemptions(rule, secret({ name: "collectors/token" }), "token");
});
