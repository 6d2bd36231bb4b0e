import * as aws from "@pulumi/aws";
import { ResourceValidationPolicy } from "@pulumi/policy";
import { label } from "../lib/resources";
import { EXEMPT_RESOURCES_SCHEMA, ExemptionConfig, validateResourcesOf } from "../lib/rule";
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
    validateResource: validateResourcesOf([aws.cloudformation.StackSet], (stackSet, args, reportViolation) => {
        const model = known(() => stackSet.permissionModel);
        const enabled = known(() => stackSet.autoDeployment?.enabled);
        if (model !== "SERVICE_MANAGED" || enabled === UNKNOWN) {
            return;
        }
        if (enabled !== true) {
            reportViolation(
                `StackSet ${label(args)} is service-managed without automatic deployment (autoDeployment.enabled is ${JSON.stringify(enabled) ?? "unset"}), so accounts that join its organizational units later never get its stack. Set autoDeployment to { enabled: true, retainStacksOnAccountRemoval: true } (orglog:index:OrganizationBaseline does).`,
            );
        }
    }),
};
