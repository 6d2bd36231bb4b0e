import * as assert from "assert";
import * as aws from "@pulumi/aws";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import {
    defaultOrganization,
    generatedOrganization,
    MockOrganization,
    organizationResult,
    validateOrganization,
} from "../../tools/mock-organization";
import { runPlanCli, spawnPlanCli } from "../support/cli";
import { runUnderMocks, unwrap } from "../support/harness";

const ORG: MockOrganization = {
    id: "o-a1b2c3d4e5",
    masterAccountId: "111111111111",
    roots: [{ id: "r-ab12" }],
    accounts: [
        { id: "111111111111", name: "Management", email: "root@example.com", status: "ACTIVE" },
        { id: "777777777777", name: "Data Science Sandbox 7", email: "ds@example.com", status: "SUSPENDED" },
    ],
};

function lookUp(accountId: string, organization?: MockOrganization) {
    return runUnderMocks(
        () => {
            const provider = new aws.Provider(`p${accountId}`, { region: "eu-west-1", allowedAccountIds: [accountId] });
            return aws.organizations.getOrganizationOutput({}, { provider });
        },
        { organization },
    ).then((run) => unwrap(run.result));
}

function writeJson(value: unknown): string {
    const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), "org-")), "organization.json");
    fs.writeFileSync(file, typeof value === "string" ? value : JSON.stringify(value));
    return file;
}

describe("tools/mock-organization", () => {
    it("answers getOrganization from the given organization, with ARNs and member accounts filled in", async () => {
        const org = await lookUp("111111111111", ORG);
        assert.strictEqual(org.id, "o-a1b2c3d4e5");
        assert.strictEqual(org.roots[0].id, "r-ab12");
        assert.deepStrictEqual(
            org.accounts.map((a) => [a.id, a.name, a.status]),
            [
                ["111111111111", "Management", "ACTIVE"],
                ["777777777777", "Data Science Sandbox 7", "SUSPENDED"],
            ],
        );
        assert.strictEqual(org.accounts[1].arn, "arn:aws:organizations::111111111111:account/o-a1b2c3d4e5/777777777777");
        assert.deepStrictEqual(
            org.nonMasterAccounts.map((a) => a.id),
            ["777777777777"],
        );
        assert.strictEqual(org.masterAccountEmail, "root@example.com");
    });

    it("lists no accounts or roots to a member account, as the provider does", async () => {
        const org = await lookUp("777777777777", ORG);
        assert.strictEqual(org.id, "o-a1b2c3d4e5");
        assert.deepStrictEqual([org.accounts, org.roots], [[], []]);
    });

    it("answers an account outside the organization as AWS does: not a member of an organization", () => {
        assert.throws(() => organizationResult(ORG, "999999999999"), {
            message:
                "AWSOrganizationsNotInUseException: Your account is not a member of an organization. (account 999999999999 is not in o-a1b2c3d4e5)",
        });
        assert.strictEqual(
            organizationResult(ORG, "default").id,
            "o-a1b2c3d4e5",
            "the unnamed default provider counts as the management account",
        );
    });

    it("by default answers the core accounts and two example workload accounts", () => {
        const org = defaultOrganization(
            {
                organizationId: "o-a1b2c3d4e5",
                accounts: [
                    { key: "management", id: "111111111111" },
                    { key: "logArchive", id: "222222222222" },
                    { key: "collection", id: "333333333333" },
                ],
            },
            "111111111111",
        );
        assert.deepStrictEqual(
            org.accounts.map((a) => [a.id, a.name]),
            [
                ["111111111111", "Management"],
                ["222222222222", "Log Archive"],
                ["333333333333", "Log Collection"],
                ["444444444444", "Payments Production"],
                ["555555555555", "Storefront Staging"],
            ],
        );
        assert.deepStrictEqual([org.id, org.masterAccountId, org.roots[0].id], ["o-a1b2c3d4e5", "111111111111", "r-1111"]);
    });

    it("generates organizations of any size with unique ids", () => {
        const org = generatedOrganization({
            organizationId: "o-a1b2c3d4e5",
            core: ["111111111111", "222222222222", "333333333333"],
            count: 1000,
        });
        assert.strictEqual(new Set(org.accounts.map((a) => a.id)).size, 1000);
        assert.doesNotThrow(() => validateOrganization(org, "generated"));
    });

    const bad: Array<[string, unknown, string]> = [
        ["a list", [], "the document is not an object"],
        ["a bad organization id", { ...ORG, id: "org-1" }, 'id ("org-1") is not an AWS Organizations id such as o-a1b2c3d4e5'],
        ["no roots", { ...ORG, roots: [] }, 'roots must be a non-empty list such as [{"id": "r-ab12"}]'],
        [
            "a short account id",
            { ...ORG, accounts: [...ORG.accounts, { id: "12345", name: "x", email: "x@example.com", status: "ACTIVE" }] },
            'accounts[2].id ("12345") is not a 12-digit account id',
        ],
        [
            "an account twice",
            { ...ORG, accounts: [...ORG.accounts, ORG.accounts[1]] },
            'accounts[2].id ("777777777777") is listed twice (also accounts[1])',
        ],
        ["a 51-character name", { ...ORG, accounts: [{ ...ORG.accounts[0], name: "n".repeat(51) }] }, "accounts[0].name"],
        [
            "an unknown status",
            { ...ORG, accounts: [{ ...ORG.accounts[0], status: "CLOSED" }] },
            'accounts[0].status ("CLOSED") is not one of ACTIVE, SUSPENDED, PENDING_CLOSURE',
        ],
        [
            "a management account not listed",
            { ...ORG, accounts: [ORG.accounts[1]] },
            'masterAccountId ("111111111111") is not one of the accounts',
        ],
    ];
    for (const [what, doc, message] of bad) {
        it(`refuses a file with ${what}`, () => {
            assert.throws(
                () => validateOrganization(doc, "--organization f.json"),
                (err: Error) => err.message.startsWith("--organization f.json: ") && err.message.includes(message),
            );
        });
    }

    describe("npm run plan -- --organization", () => {
        it("exits 2 with one line naming the field of a bad file", async () => {
            const file = writeJson({ ...ORG, accounts: [{ ...ORG.accounts[0], email: "nobody" }] });
            const run = await runPlanCli(["--stack", "production", "--organization", file]);
            assert.strictEqual(run.status, 2);
            assert.strictEqual(
                run.stderr,
                `plan: --organization ${file}: accounts[0].email ("nobody") is not an e-mail address of at most 64 characters\n`,
            );
        });

        it("exits 2 for a file that is not JSON", async () => {
            const file = writeJson("{ not json");
            const run = await runPlanCli(["--stack", "production", "--organization", file]);
            assert.strictEqual(run.status, 2);
            assert.match(run.stderr, new RegExp(`^plan: --organization ${file}: not valid JSON \\(.+\\)\\n$`));
        });

        it("exits 2 for an organization other than the stack's organizationId", async () => {
            const file = writeJson({ ...ORG, id: "o-zzzzzzzzzz" });
            const run = await runPlanCli(["--stack", "production", "--organization", file]);
            assert.strictEqual(run.status, 2);
            assert.strictEqual(
                run.stderr,
                `plan: --organization ${file}: id "o-zzzzzzzzzz" is not the stack's org-logging:organizationId "o-a1b2c3d4e5"; plan with a file of that organization\n`,
            );
        });

        it("documents the option in --help", () => {
            const run = spawnPlanCli(["--help"]);
            assert.strictEqual(run.status, 0);
            assert.match(run.stdout, /--organization <file\.json>\s+answer AWS Organizations look-ups/);
        });
    });
});
