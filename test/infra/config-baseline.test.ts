import * as assert from "assert";
import { baselineSettings, loadStackConfig, StackConfigError } from "../../infra/config";
import { rawStackConfig } from "../support/harness";

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

describe("infra/config: baseline and accounts.audit", () => {
    it("defaults to the organization root, the stack's region and a recorder the baseline creates", () => {
        const config = loadStackConfig(
            production((r) => delete r.baseline),
            "p",
        );
        assert.deepStrictEqual(baselineSettings(config), {
            organizationalUnitIds: undefined,
            regions: ["eu-west-1"],
            configRecorder: "create",
        });
    });

    it("reads the production example: two regions and the audit account", () => {
        const config = loadStackConfig(rawStackConfig("production"), "p");
        assert.ok(baselineSettings(config).regions.length >= 2);
        assert.strictEqual(config.accounts.audit?.id, "666666666666");
    });

    it("names the key for a bad organizational unit id", () => {
        assert.deepStrictEqual(problemsOf(production((r) => (r.baseline.organizationalUnitIds = ["ou-12"]))), [
            'org-logging:baseline.organizationalUnitIds.0: "ou-12" is not an organizational unit id (ou-xxxx-xxxxxxxx) or root id (r-xxxx)',
        ]);
        assert.deepStrictEqual(problemsOf(production((r) => (r.baseline.organizationalUnitIds = []))), [
            "org-logging:baseline.organizationalUnitIds: [] must list at least one organizational unit, or be left unset for the organization root",
        ]);
    });

    it("rejects a unit listed twice, and the root listed with units", () => {
        assert.deepStrictEqual(
            problemsOf(production((r) => (r.baseline.organizationalUnitIds = ["ou-ab12-11111111", "ou-ab12-11111111"]))),
            ['org-logging:baseline.organizationalUnitIds.1: "ou-ab12-11111111" is listed twice; list each organizational unit once'],
        );
        assert.deepStrictEqual(problemsOf(production((r) => (r.baseline.organizationalUnitIds = ["r-ab12", "ou-ab12-11111111"]))), [
            'org-logging:baseline.organizationalUnitIds: ["r-ab12","ou-ab12-11111111"] lists the root with other units, which the root already contains; list the root alone or only units',
        ]);
    });

    it("names the key for bad regions", () => {
        assert.deepStrictEqual(problemsOf(production((r) => (r.baseline.regions = ["eu-west-1", "europe"]))), [
            'org-logging:baseline.regions.1: "europe" is not an AWS region name such as eu-west-1',
        ]);
        assert.deepStrictEqual(problemsOf(production((r) => (r.baseline.regions = ["eu-central-1"]))), [
            'org-logging:baseline.regions: ["eu-central-1"] does not include the stack\'s region eu-west-1, where global resource types are recorded; add it',
        ]);
        assert.deepStrictEqual(problemsOf(production((r) => (r.baseline.regions = ["eu-west-1", "eu-west-1"]))), [
            'org-logging:baseline.regions.1: "eu-west-1" is listed twice; list each region once',
        ]);
        assert.deepStrictEqual(problemsOf(production((r) => (r.baseline.regions = []))), [
            "org-logging:baseline.regions: [] must list at least one region, or be left unset for the stack's region",
        ]);
    });

    it("names the key for a bad recorder mode and an unknown baseline key", () => {
        assert.deepStrictEqual(problemsOf(production((r) => (r.baseline.configRecorder = "controltower"))), [
            'org-logging:baseline.configRecorder: "controltower" is not a recorder mode (create | existing)',
        ]);
        assert.deepStrictEqual(problemsOf(production((r) => (r.baseline.region = "eu-west-1"))), [
            "org-logging:baseline.region: unknown key; check its spelling or remove it",
        ]);
    });

    it("checks the audit account: a role inside it, not the management or log-archive account", () => {
        assert.deepStrictEqual(
            problemsOf(production((r) => (r.accounts.audit.roleArn = "arn:aws:iam::111111111111:role/OrgLoggingDeployer"))),
            [
                'org-logging:accounts.audit.roleArn: "arn:aws:iam::111111111111:role/OrgLoggingDeployer" is not a role in account 666666666666; name the role to assume inside that account',
            ],
        );
        assert.deepStrictEqual(problemsOf(production((r) => (r.accounts.audit = { ...r.accounts.management }))), [
            'org-logging:accounts.audit.id: "111111111111" is the management account, which cannot be a delegated administrator; name the security tooling account, or leave accounts.audit unset to administer Config from the management account',
        ]);
        assert.deepStrictEqual(problemsOf(production((r) => (r.accounts.audit = { ...r.accounts.logArchive }))), [
            'org-logging:accounts.audit.id: "222222222222" is the log-archive account; keep the archive in an account of its own and name the security tooling account',
        ]);
        assert.deepStrictEqual(problemsOf(production((r) => (r.accounts.audit = { id: "666666666666" }))), [
            "org-logging:accounts.audit.roleArn: is required but missing; set it with `pulumi config set --path 'org-logging:accounts.audit.roleArn' <value>`",
        ]);
    });
});
