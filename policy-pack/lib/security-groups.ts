// Security group rules however they are written: inline `ingress`/`egress` blocks of
// aws.ec2.SecurityGroup, aws.ec2.SecurityGroupRule, aws.vpc.SecurityGroupIngressRule/EgressRule.
import * as aws from "@pulumi/aws";
import { ResourceLike } from "./resources";
import { tokenOf } from "./types";
import { known, plainCopy, UNKNOWN } from "./unknown";

export interface SgRule {
    /** For messages: `security group "x" ingress rule 2`, `security group rule "y"`. */
    where: string;
    direction: "ingress" | "egress";
    protocol: string;
    fromPort?: number;
    toPort?: number;
    cidrs: string[];
    description?: string;
}

const str = (v: unknown) => (v === undefined || v === null ? undefined : String(v));
const cidrs = (...lists: unknown[]) => lists.flatMap((l) => (Array.isArray(l) ? l : l === undefined || l === null ? [] : [l])).map(String);

/**
 * The rules a resource declares. Each field is read on its own: a rule's group id or peer group is
 * often unknown during a preview and must not hide the ports and ranges that are known. A rule
 * whose ports or ranges are unknown is left out; an unknown description counts as present.
 */
export function securityGroupRules(resource: ResourceLike): SgRule[] {
    const rules: SgRule[] = [];
    const read = (entry: () => any, where: string, direction: "ingress" | "egress", keys: { protocol: string; cidrs: string[] }) => {
        const field = (key: string) => known(() => entry()[key]);
        const protocol = field(keys.protocol);
        const fromPort = field("fromPort");
        const toPort = field("toPort");
        const ranges = keys.cidrs.map((k) => plainCopy(field(k)));
        if ([protocol, fromPort, toPort, ...ranges].some((v) => v === UNKNOWN)) {
            return;
        }
        const description = field("description");
        rules.push({
            where,
            direction,
            protocol: String(protocol ?? "-1"),
            fromPort: typeof fromPort === "number" ? fromPort : undefined,
            toPort: typeof toPort === "number" ? toPort : undefined,
            cidrs: cidrs(...ranges),
            description: description === UNKNOWN ? "(unknown during preview)" : str(description),
        });
    };
    if (resource.type === tokenOf(aws.ec2.SecurityGroup)) {
        for (const direction of ["ingress", "egress"] as const) {
            const count = known(() => (Array.isArray(resource.props[direction]) ? resource.props[direction].length : 0));
            if (count === UNKNOWN) {
                continue;
            }
            for (let i = 0; i < count; i++) {
                read(() => resource.props[direction][i], `security group "${resource.name}" ${direction} rule ${i + 1}`, direction, {
                    protocol: "protocol",
                    cidrs: ["cidrBlocks", "ipv6CidrBlocks"],
                });
            }
        }
    } else if (resource.type === tokenOf(aws.ec2.SecurityGroupRule)) {
        const type = known(() => resource.props.type);
        if (type !== UNKNOWN) {
            const direction = type === "egress" ? "egress" : "ingress";
            read(() => resource.props, `security group rule "${resource.name}"`, direction, {
                protocol: "protocol",
                cidrs: ["cidrBlocks", "ipv6CidrBlocks"],
            });
        }
    } else if (resource.type === tokenOf(aws.vpc.SecurityGroupIngressRule) || resource.type === tokenOf(aws.vpc.SecurityGroupEgressRule)) {
        const direction = resource.type === tokenOf(aws.vpc.SecurityGroupIngressRule) ? "ingress" : "egress";
        read(() => resource.props, `security group ${direction} rule "${resource.name}"`, direction, {
            protocol: "ipProtocol",
            cidrs: ["cidrIpv4", "cidrIpv6"],
        });
    }
    return rules;
}

export const SECURITY_GROUP_CLASSES = [
    aws.ec2.SecurityGroup,
    aws.ec2.SecurityGroupRule,
    aws.vpc.SecurityGroupIngressRule,
    aws.vpc.SecurityGroupEgressRule,
];

/** Does the rule open the port (any protocol that carries ports, or all traffic)? */
export function opensPort(rule: SgRule, port: number): boolean {
    const protocol = rule.protocol.toLowerCase();
    if (protocol === "-1" || protocol === "all") {
        return true;
    }
    if (!["tcp", "udp", "6", "17"].includes(protocol)) {
        return false;
    }
    const from = rule.fromPort ?? 0;
    const to = rule.toPort ?? 65535;
    return from <= port && port <= to;
}

/** `tcp 22-22 from ["0.0.0.0/0"]`, for messages. */
export function describeRule(rule: SgRule): string {
    const ports =
        rule.protocol === "-1"
            ? "all traffic"
            : `${rule.protocol} ${rule.fromPort ?? 0}${rule.toPort !== rule.fromPort ? `-${rule.toPort ?? 65535}` : ""}`;
    return `${ports} ${rule.direction === "ingress" ? "from" : "to"} ${JSON.stringify(rule.cidrs)}`;
}
