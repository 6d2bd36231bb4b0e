import * as assert from "assert";
import { stacksetAutoDeployment as rule } from "../../../policy-pack/rules/stackset-auto-deployment";
import { FakeResource, runRule, urnOf } from "../../support/policy";
import { itFollowsEnforcementLevels, itHonoursExemptions, messages, UNKNOWN_VALUES } from "../../support/policy-rules";

const STACKSET = "aws:cloudformation/stackSet:StackSet";
const stackSet = (inputs: Record<string, unknown>, name = "baseline"): FakeResource => ({ type: STACKSET, name, inputs });

describe("policy-pack/stackset-auto-deployment", () => {
    it("passes a service-managed StackSet with automatic deployment, and a self-managed one", async () => {
        assert.deepStrictEqual(
            await runRule(
                rule,
                stackSet({ permissionModel: "SERVICE_MANAGED", autoDeployment: { enabled: true, retainStacksOnAccountRemoval: true } }),
            ),
            [],
        );
        assert.deepStrictEqual(await runRule(rule, stackSet({ permissionModel: "SELF_MANAGED" })), []);
    });

    it("fails a service-managed StackSet without automatic deployment, on its URN", async () => {
        const violations = await runRule(rule, [
            stackSet({ permissionModel: "SERVICE_MANAGED" }),
            stackSet({ permissionModel: "SERVICE_MANAGED", autoDeployment: { enabled: false } }, "off"),
        ]);
        assert.deepStrictEqual(
            violations.map((v) => v.urn),
            [urnOf(STACKSET, "baseline"), urnOf(STACKSET, "off")],
        );
        assert.deepStrictEqual(
            messages(violations)[0],
            'StackSet "baseline" is service-managed without automatic deployment (autoDeployment.enabled is unset), so accounts that join its organizational units later never get its stack. Set autoDeployment to { enabled: true, retainStacksOnAccountRemoval: true } (orglog:index:OrganizationBaseline does).',
        );
        assert.match(messages(violations)[1], /autoDeployment.enabled is false/);
    });

    it("does not judge an unknown setting during preview", async () => {
        assert.deepStrictEqual(
            await runRule(
                rule,
                stackSet({ permissionModel: "SERVICE_MANAGED", autoDeployment: { enabled: UNKNOWN_VALUES.unknownBooleanValue } }),
            ),
            [],
        );
    });

    itFollowsEnforcementLevels(rule, stackSet({ permissionModel: "SERVICE_MANAGED" }));
    itHonoursExemptions(rule, stackSet({ permissionModel: "SERVICE_MANAGED" }), "base*");
});
