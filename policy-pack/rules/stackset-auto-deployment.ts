import { ResourceValidationPolicy } from "@pulumi/policy";
import { EXEMPT_RESOURCES_SCHEMA, ExemptionConfig, isExempt, label } from "../lib/resources";
import { known, UNKNOWN } from "../lib/unknown";

/** Config of the rule: only exemptions. */
export type StacksetAutoDeploymentConfig = ExemptionConfig;

/**
 * A service-managed StackSet without automatic deployment leaves every account created after its
 * last update without the stack: no Config, no rules, no protection until someone redeploys.
 */
export const stacksetAutoDeployment: ResourceValidationPolicy = {
    name: "stackset-auto-deployment",
    description: "A service-managed CloudFormation StackSet deploys automatically to accounts that join its organizational units.",
    enforcementLevel: "mandatory",
    configSchema: { properties: { exemptResources: EXEMPT_RESOURCES_SCHEMA } },
    validateResource: (args, reportViolation) => {
        if (args.type !== "aws:cloudformation/stackSet:StackSet" || isExempt(args.getConfig<StacksetAutoDeploymentConfig>(), args)) {
            return;
        }
        const model = known(() => args.props.permissionModel);
        const enabled = known(() => args.props.autoDeployment?.enabled);
        if (model !== "SERVICE_MANAGED" || enabled === UNKNOWN) {
            return;
        }
        if (enabled !== true) {
            reportViolation(
                `StackSet ${label(args)} is service-managed without automatic deployment (autoDeployment.enabled is ${JSON.stringify(enabled) ?? "unset"}), so accounts that join its organizational units later never get its stack. Set autoDeployment to { enabled: true, retainStacksOnAccountRemoval: true } (orglog:index:OrganizationBaseline does).`,
            );
        }
    },
};
