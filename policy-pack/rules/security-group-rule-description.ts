import { ResourceValidationPolicy } from "@pulumi/policy";
import { EXEMPT_RESOURCES_SCHEMA, ExemptionConfig, validateResourcesOf } from "../lib/rule";
import { describeRule, SECURITY_GROUP_CLASSES, securityGroupRules } from "../lib/security-groups";

export type SecurityGroupRuleDescriptionConfig = ExemptionConfig;

/** A rule nobody can explain is a rule nobody dares to remove; every rule says why it exists. */
export const securityGroupRuleDescription: ResourceValidationPolicy = {
    name: "security-group-rule-description",
    description: "Every security group rule (inline or separate) has a description saying why it exists.",
    enforcementLevel: "mandatory",
    configSchema: { properties: { exemptResources: EXEMPT_RESOURCES_SCHEMA } },
    validateResource: validateResourcesOf(SECURITY_GROUP_CLASSES, (_rules, args, reportViolation) => {
        for (const rule of securityGroupRules(args)) {
            if (!rule.description || rule.description.trim() === "") {
                reportViolation(
                    `${rule.where} (${describeRule(rule)}) has no description, so nobody can tell why it is open. Set \`description\` to the reason, e.g. "collectors: fluent forward from workload VPCs", as orglog:index:CollectorFleet does.`,
                );
            }
        }
    }),
};
