import * as assert from "assert";
import { loadStackConfig, StackConfigError } from "../../infra/config";
import { rawStackConfig } from "../support/harness";

/** A copy of the production config with one change applied. */
function production(change: (raw: any) => void): unknown {
    const raw = structuredClone(rawStackConfig("production")) as any;
    change(raw);
    return raw;
}

function problemsOf(raw: unknown): string[] {
    try {
        loadStackConfig(raw, "Pulumi.production.yaml");
    } catch (err) {
        assert.ok(err instanceof StackConfigError, `expected StackConfigError, got ${err}`);
        assert.ok(!err.message.includes("\n"), "the message is one line");
        return err.problems;
    }
    assert.fail("config was accepted");
}

describe("infra/config", () => {
    it("accepts both committed stack configs", () => {
        for (const stack of ["integration", "production"]) {
            const config = loadStackConfig(rawStackConfig(stack), `Pulumi.${stack}.yaml`);
            assert.strictEqual(config.environment, stack);
            assert.match(config.accounts.logArchive.id, /^\d{12}$/);
        }
        assert.strictEqual(loadStackConfig(rawStackConfig("production"), "p").trailMode, "organization");
        assert.strictEqual(loadStackConfig(rawStackConfig("integration"), "i").trailMode, "account");
    });

    it("reads account ids written as YAML numbers as strings", () => {
        const config = loadStackConfig(production((r) => (r.accounts.collection.id = 333333333333)), "p");
        assert.strictEqual(config.accounts.collection.id, "333333333333");
    });

    it("names the key, the value and the rule for a bad account id", () => {
        assert.deepStrictEqual(problemsOf(production((r) => (r.accounts.logArchive.id = "12345"))), [
            'org-logging:accounts.logArchive.id: "12345" is not a 12-digit AWS account ID',
        ]);
    });

    it("names a missing account", () => {
        const problems = problemsOf(production((r) => delete r.accounts.collection));
        assert.deepStrictEqual(problems, [
            "org-logging:accounts.collection: is required but missing; set it with `pulumi config set --path 'org-logging:accounts.collection' <value>`",
        ]);
    });

    it("rejects an unknown trail mode with the allowed values", () => {
        assert.deepStrictEqual(problemsOf(production((r) => (r.trailMode = "org"))), [
            'org-logging:trailMode: "org" is not a trail mode (organization | account)',
        ]);
    });

    it("rejects unknown keys instead of ignoring a typo", () => {
        assert.deepStrictEqual(problemsOf(production((r) => (r.collector.maxsize = 4))), [
            "org-logging:collector.maxsize: unknown key; check its spelling or remove it",
        ]);
    });

    it("reports every problem in one error", () => {
        const problems = problemsOf(
            production((r) => {
                r.organizationId = "a1b2";
                r.alarmEmail = "not-an-address";
                r.workloadAccounts[0].roleArn = "arn:aws:iam::444444444444:user/bob";
            }),
        );
        assert.deepStrictEqual(problems, [
            'org-logging:organizationId: "a1b2" is not an AWS Organizations id such as o-a1b2c3d4e5',
            'org-logging:alarmEmail: "not-an-address" is not an e-mail address',
            'org-logging:workloadAccounts.0.roleArn: "arn:aws:iam::444444444444:user/bob" is not an IAM role ARN (arn:<partition>:iam::<account id>:role/<name>)',
        ]);
    });

    it("checks fields against each other after the schema", () => {
        const problems = problemsOf(
            production((r) => {
                r.accounts.logArchive = { ...r.accounts.management };
                r.workloadAccounts[1] = { ...r.workloadAccounts[0], name: "payments-eu" };
                r.collector.minSize = 5;
                r.collector.maxSize = 2;
                r.collector.desiredCapacity = 1;
            }),
        );
        assert.deepStrictEqual(problems, [
            'org-logging:accounts.logArchive.id: "111111111111" is the management account; the archive must live in its own account so that the accounts it protects cannot change it',
            'org-logging:workloadAccounts.1.id: "444444444444" is listed twice (also org-logging:workloadAccounts.0); list each account once',
            "org-logging:collector.minSize: 5 is larger than collector.maxSize (2); lower minSize or raise maxSize",
        ]);
    });

    it("requires each role to live in its own account", () => {
        assert.deepStrictEqual(
            problemsOf(production((r) => (r.accounts.collection.roleArn = "arn:aws:iam::111111111111:role/OrgLoggingDeployer"))),
            ['org-logging:accounts.collection.roleArn: "arn:aws:iam::111111111111:role/OrgLoggingDeployer" is not a role in account 333333333333; name the role to assume inside that account'],
        );
    });
});
