// The collectors' network rules as plain data, derived from the fleet's resolved Args: the load
// balancer's and the instances' security group rules and the subnets' network ACL. Pure functions,
// so the component only turns them into resources and tests can read them without mocks.

/** One port of the load balancer and the transport protocols it accepts there. */
export interface CollectorListener {
    /** Stable id used in child names and outputs (`forward`, `syslog`): lower case, digits, dashes. */
    readonly name: string;
    /** Port of the listener and of the collectors behind it (1-65535, never 22). */
    readonly port: number;
    /**
     * Protocols accepted on the port. Both give one `TCP_UDP` listener: an NLB holds one listener
     * per port, so TCP and UDP on the same port cannot be two listeners.
     */
    readonly protocols: readonly ("TCP" | "UDP")[];
}

/** A destination the collectors forward logs to (SIEM, archive): opened in egress and the network ACL. */
export interface CollectorForwardDestination {
    /** Stable id used in child names and rule descriptions (`siem`). */
    readonly name: string;
    /** IPv4 CIDR block of the destination. */
    readonly cidr: string;
    readonly port: number;
    readonly protocol: "TCP" | "UDP";
}

/** One security group rule of the fleet, before it becomes a resource. */
export interface SgRule {
    /** Stable suffix of the child name. */
    key: string;
    protocol: "tcp" | "udp";
    fromPort: number;
    toPort: number;
    description: string;
    cidr?: string;
    /** True: the rule's peer is the other security group of the component. */
    peerGroup?: boolean;
}

export interface NaclRule {
    protocol: "tcp" | "udp";
    cidr: string;
    fromPort: number;
    toPort: number;
}

const EPHEMERAL = { fromPort: 1024, toPort: 65535 };
const cidrKey = (cidr: string) => cidr.replace(/[./]/g, "-");
const ipProtocols = (listener: CollectorListener) =>
    (["TCP", "UDP"] as const).filter((p) => listener.protocols.includes(p)).map((p) => p.toLowerCase() as "tcp" | "udp");

/** The resolved network shape every rule is derived from (plain values only). */
export interface RuleInputs {
    listeners: CollectorListener[];
    healthCheckPort: number;
    allowedCidrs: string[];
    vpcCidr: string;
    httpsEgressCidrs: string[];
    forwardDestinations: CollectorForwardDestination[];
}

/** True when a listener already carries TCP on the health-check port, so no separate rule is needed. */
export function healthCheckOnListener(r: RuleInputs): boolean {
    return r.listeners.some((l) => l.port === r.healthCheckPort && l.protocols.includes("TCP"));
}

/** Load balancer security group: senders in, listener and health-check traffic out to the collectors. */
export function loadBalancerRules(r: RuleInputs): { ingress: SgRule[]; egress: SgRule[] } {
    const ingress: SgRule[] = [];
    const egress: SgRule[] = [];
    for (const listener of r.listeners) {
        for (const protocol of ipProtocols(listener)) {
            for (const cidr of r.allowedCidrs) {
                ingress.push({
                    key: `${listener.name}-${protocol}-${cidrKey(cidr)}`,
                    protocol,
                    fromPort: listener.port,
                    toPort: listener.port,
                    cidr,
                    description: `${listener.name} logs (${protocol.toUpperCase()} ${listener.port}) from ${cidr}`,
                });
            }
            egress.push({
                key: `${listener.name}-${protocol}`,
                protocol,
                fromPort: listener.port,
                toPort: listener.port,
                peerGroup: true,
                description: `${listener.name} logs (${protocol.toUpperCase()} ${listener.port}) to the collectors`,
            });
        }
    }
    if (!healthCheckOnListener(r)) {
        egress.push({
            key: "health-check",
            protocol: "tcp",
            fromPort: r.healthCheckPort,
            toPort: r.healthCheckPort,
            peerGroup: true,
            description: `NLB health checks (TCP ${r.healthCheckPort}) to the collectors`,
        });
    }
    return { ingress, egress };
}

/** Collector security group: only the load balancer in; HTTPS and the forward destinations out. */
export function instanceRules(r: RuleInputs): { ingress: SgRule[]; egress: SgRule[] } {
    const ingress: SgRule[] = [];
    for (const listener of r.listeners) {
        for (const protocol of ipProtocols(listener)) {
            const health = protocol === "tcp" && listener.port === r.healthCheckPort ? " and NLB health checks" : "";
            ingress.push({
                key: `${listener.name}-${protocol}`,
                protocol,
                fromPort: listener.port,
                toPort: listener.port,
                peerGroup: true,
                // Referencing the NLB's group admits its traffic even with client IP preservation.
                description: `${listener.name} logs (${protocol.toUpperCase()} ${listener.port})${health} through the NLB`,
            });
        }
    }
    if (!healthCheckOnListener(r)) {
        ingress.push({
            key: "health-check",
            protocol: "tcp",
            fromPort: r.healthCheckPort,
            toPort: r.healthCheckPort,
            peerGroup: true,
            description: `NLB health checks (TCP ${r.healthCheckPort})`,
        });
    }
    const egress: SgRule[] = r.httpsEgressCidrs.map((cidr) => ({
        key: `https-${cidrKey(cidr)}`,
        protocol: "tcp" as const,
        fromPort: 443,
        toPort: 443,
        cidr,
        description: `HTTPS to AWS APIs (SSM, S3, Secrets Manager, SNS, KMS) and the Fluentd repository via ${cidr}`,
    }));
    for (const d of r.forwardDestinations) {
        egress.push({
            key: `forward-${d.name}`,
            protocol: d.protocol.toLowerCase() as "tcp" | "udp",
            fromPort: d.port,
            toPort: d.port,
            cidr: d.cidr,
            description: `Forward logs to ${d.name} (${d.protocol} ${d.port}) at ${d.cidr}`,
        });
    }
    return { ingress, egress };
}

/** The collectors' subnets' network ACL: the same ports as the security groups, plus return traffic (ACLs are stateless). */
export function networkAclRules(r: RuleInputs): { ingress: NaclRule[]; egress: NaclRule[] } {
    const ingress: NaclRule[] = [];
    const egress: NaclRule[] = [];
    for (const listener of r.listeners) {
        for (const protocol of ipProtocols(listener)) {
            for (const cidr of r.allowedCidrs) {
                ingress.push({ protocol, cidr, fromPort: listener.port, toPort: listener.port });
            }
        }
    }
    // NLB health checks come from the load balancer's addresses in the VPC.
    ingress.push({ protocol: "tcp", cidr: r.vpcCidr, fromPort: r.healthCheckPort, toPort: r.healthCheckPort });
    const returnSources = [...r.httpsEgressCidrs, ...r.forwardDestinations.filter((d) => d.protocol === "TCP").map((d) => d.cidr)];
    for (const cidr of [...new Set(returnSources)]) {
        ingress.push({ protocol: "tcp", cidr, ...EPHEMERAL });
    }
    for (const cidr of r.httpsEgressCidrs) {
        egress.push({ protocol: "tcp", cidr, fromPort: 443, toPort: 443 });
    }
    for (const d of r.forwardDestinations) {
        egress.push({ protocol: d.protocol.toLowerCase() as "tcp" | "udp", cidr: d.cidr, fromPort: d.port, toPort: d.port });
    }
    for (const cidr of [...new Set([...r.allowedCidrs, r.vpcCidr])]) {
        egress.push({ protocol: "tcp", cidr, ...EPHEMERAL });
    }
    return { ingress, egress };
}
