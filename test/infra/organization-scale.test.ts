// Adding an account to the organization changes nothing in the log-archive account: no policy there
// lists accounts, so the addition deploys from the pipeline without break-glass.
import * as assert from "assert";
import { generatedOrganization } from "../../tools/mock-organization";
import { MockOrganization, RecordedResource, runUnderMocks, stackConfig } from "../support/harness";

const config = stackConfig("production");
const core = [config.accounts.management.id, config.accounts.logArchive.id, config.accounts.collection.id];

async function planWith(organization: MockOrganization, stack = config): Promise<RecordedResource[]> {
    const { createOrgLogging } = await import("../../infra/program");
    return (await runUnderMocks(() => createOrgLogging(stack), { stack: "production", organization })).resources;
}

/** The log-archive account's resources as URN -> inputs. */
function archiveView(resources: RecordedResource[]): Map<string, unknown> {
    return new Map(resources.filter((r) => r.account === config.accounts.logArchive.id).map((r) => [r.urn, r.inputs]));
}

/** Every policy document of the plan, by URN and property. */
function policies(resources: RecordedResource[]): Map<string, unknown> {
    const out = new Map<string, unknown>();
    for (const r of resources) {
        for (const key of ["policy", "assumeRolePolicy", "content"]) {
            if (typeof r.inputs[key] === "string") {
                out.set(`${r.urn}#${key}`, r.inputs[key]);
            }
        }
    }
    return out;
}

describe("infra: organization scale (production plan)", function () {
    this.timeout(120_000);
    const sizes = [5, 6, 1000];
    const plans = new Map<number, RecordedResource[]>();

    before(async () => {
        for (const count of sizes) {
            plans.set(count, await planWith(generatedOrganization({ organizationId: config.organizationId, core, count })));
        }
    });

    it("has the same log-archive resources with the same inputs for N and N+1 accounts", () => {
        const [n, n1] = [archiveView(plans.get(5)!), archiveView(plans.get(6)!)];
        assert.ok(n.size > 50, `only ${n.size} log-archive resources`);
        assert.deepStrictEqual([...n1.keys()].sort(), [...n.keys()].sort());
        for (const [urn, inputs] of n) {
            assert.deepStrictEqual(n1.get(urn), inputs, urn);
        }
    });

    it("has the same log-archive resources when a workload account with a role joins the stack's config", async () => {
        // While the config still lists workload accounts (for their baselines), one more must not reach the archive.
        const listed = (config as unknown as { workloadAccounts?: Array<{ id: string; name: string; roleArn?: string }> }).workloadAccounts;
        assert.ok(Array.isArray(listed), "the production config lists workload accounts");
        const id = "666666666666";
        const more = {
            ...config,
            workloadAccounts: [...listed, { id, name: "analytics", roleArn: `arn:aws:iam::${id}:role/OrgLoggingDeployer` }],
        };
        const organization = generatedOrganization({ organizationId: config.organizationId, core, count: 6 });
        const after = archiveView(await planWith(organization, more as typeof config));
        assert.deepStrictEqual(after, archiveView(plans.get(6)!));
    });

    it("has the same log-archive resources and the same policies everywhere for 5 and 1,000 accounts", () => {
        assert.deepStrictEqual(archiveView(plans.get(1000)!), archiveView(plans.get(5)!));
        assert.deepStrictEqual(policies(plans.get(1000)!), policies(plans.get(5)!));
    });

    it("names no account of the organization beyond the core accounts in any log-archive policy", () => {
        const archive = JSON.stringify([...archiveView(plans.get(1000)!).values()]);
        for (const account of generatedOrganization({ organizationId: config.organizationId, core, count: 1000 }).accounts.slice(3, 50)) {
            assert.ok(!archive.includes(account.id), account.id);
        }
    });
});
