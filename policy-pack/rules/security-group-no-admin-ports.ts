import { ResourceValidationPolicy } from "@pulumi/policy";
import { EXEMPT_RESOURCES_SCHEMA, ExemptionConfig, validateResourcesOf } from "../lib/rule";
import { describeRule, opensPort, SECURITY_GROUP_CLASSES, securityGroupRules } from "../lib/security-groups";

export interface SecurityGroupNoAdminPortsConfig extends ExemptionConfig {
    /** Remote administration ports that must not be open to the world. */
    adminPorts: number[];
    /** Source ranges that count as "the world". */
    worldCidrs: string[];
}

/** SSH and RDP open to the internet are brute-forced within minutes; collectors are administered through SSM. */
export const securityGroupNoAdminPorts: ResourceValidationPolicy = {
    name: "security-group-no-admin-ports",
    description: "No security group rule opens SSH (22) or RDP (3389) to 0.0.0.0/0 or ::/0.",
    enforcementLevel: "mandatory",
    configSchema: {
        properties: {
            adminPorts: { type: "array", items: { type: "integer" }, default: [22, 3389] },
            worldCidrs: { type: "array", items: { type: "string" }, default: ["0.0.0.0/0", "::/0"] },
            exemptResources: EXEMPT_RESOURCES_SCHEMA,
        },
    },
    validateResource: validateResourcesOf(SECURITY_GROUP_CLASSES, (_rules, args, reportViolation) => {
        const config = args.getConfig<SecurityGroupNoAdminPortsConfig>();
        for (const rule of securityGroupRules(args)) {
            const world = rule.cidrs.filter((c) => config.worldCidrs.includes(c));
            const ports = config.adminPorts.filter((p) => opensPort(rule, p));
            if (rule.direction === "ingress" && world.length > 0 && ports.length > 0) {
                reportViolation(
                    `${rule.where} (${describeRule(rule)}) opens port ${ports.join(" and ")} to ${world.join(" and ")}, so anyone on the internet can try to log in. Remove the rule and use SSM Session Manager, or restrict the source to a known administration range.`,
                );
            }
        }
    }),
};
