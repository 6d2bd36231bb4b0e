// The checks of CollectorFleet's network inputs: listener ports and protocols, the senders' and the
// egress CIDR blocks, forward destinations, and the network ACL's rule quota. Each returns problems
// for `resolveCollectorFleetArgs` to report together.
import type { CollectorForwardDestination, CollectorListener, RuleInputs } from "./collector-network-rules";
import { networkAclRules } from "./collector-network-rules";
import { ANY_IPV4, isIpv4Cidr, isNetworkAddress, show, STABLE_ID } from "./validation";

const SSH_PORT = 22;
/** Default quota of rules per direction of a network ACL. */
const NACL_RULE_QUOTA = 20;

/** The network inputs as given (`listeners` with its default applied). */
export interface NetworkInputs {
    readonly listeners: readonly CollectorListener[];
    readonly healthCheckPort: number | undefined;
    readonly internetFacing: boolean;
    readonly allowedCidrs: readonly string[] | undefined;
    readonly allowAnySourceCidr: boolean;
    readonly httpsEgressCidrs: readonly string[] | undefined;
    readonly forwardDestinations: readonly CollectorForwardDestination[];
}

/** Every problem of the network inputs, in the order of the Args. */
export function networkInputProblems(n: NetworkInputs): string[] {
    const problems = listenerProblems(n.listeners, n.healthCheckPort);
    if (n.internetFacing && (n.allowedCidrs === undefined || n.allowedCidrs.length === 0)) {
        problems.push(
            `\`allowedCidrs\` (${show(n.allowedCidrs)}) is empty while \`internetFacing\` is true, so the load balancer's reach is undefined. List the CIDR blocks of the senders`,
        );
    }
    if (n.allowedCidrs !== undefined && n.allowedCidrs.length === 0 && !n.internetFacing) {
        problems.push(
            "`allowedCidrs` ([]) is empty, so no sender could reach the collectors. List the senders' CIDR blocks, or leave it unset to allow the VPC",
        );
    }
    problems.push(...cidrProblems("allowedCidrs", n.allowedCidrs ?? [], n.allowAnySourceCidr));
    problems.push(...cidrProblems("httpsEgressCidrs", n.httpsEgressCidrs ?? [], true));
    if (n.httpsEgressCidrs !== undefined && n.httpsEgressCidrs.length === 0) {
        problems.push(
            "`httpsEgressCidrs` ([]) is empty, so the collectors could reach neither SSM nor S3. List the CIDR blocks of the AWS endpoints or proxies",
        );
    }
    problems.push(...destinationProblems(n.forwardDestinations));
    return problems;
}

/** The problem when the rules need more inbound network ACL entries than a network ACL holds by default. */
export function naclQuotaProblem(rules: RuleInputs, allowedCidrCount: number): string | undefined {
    const inbound = networkAclRules(rules).ingress.length;
    if (inbound <= NACL_RULE_QUOTA) {
        return undefined;
    }
    return `\`allowedCidrs\` (${allowedCidrCount} blocks) and \`listeners\` need ${inbound} inbound network ACL rules, more than the ${NACL_RULE_QUOTA} a network ACL holds by default. Aggregate the CIDR blocks or use fewer listener ports`;
}

function portProblem(path: string, port: unknown): string | undefined {
    if (typeof port !== "number" || !Number.isInteger(port) || port < 1 || port > 65535) {
        return `\`${path}\` (${show(port)}) is not a port between 1 and 65535. Use a whole number from 1 to 65535`;
    }
    if (port === SSH_PORT) {
        return `\`${path}\` (22) is the SSH port, and collectors take no SSH. Choose another port; reach instances with SSM Session Manager`;
    }
    return undefined;
}

/** A listener's or destination's name: a stable id (it names child resources), once per list; records it in `seen`. */
function idProblems(path: string, name: string, seen: Set<string>, kind: string, example: string): string[] {
    const problems: string[] = [];
    if (!STABLE_ID.test(String(name))) {
        problems.push(
            `\`${path}\` (${show(name)}) is not a ${kind} id. Use up to 24 lower-case letters, digits or dashes, such as "${example}"`,
        );
    } else if (seen.has(name)) {
        problems.push(`\`${path}\` (${show(name)}) is used twice. Give each ${kind} its own name`);
    }
    seen.add(name);
    return problems;
}

/** The problems of a list of CIDR blocks at `path` (`path[i]` each, or `path` alone with `single`). */
function cidrProblems(path: string, cidrs: readonly unknown[], allowAny: boolean, single = false): string[] {
    const problems: string[] = [];
    cidrs.forEach((cidr, index) => {
        const at = single ? path : `${path}[${index}]`;
        if (!isIpv4Cidr(cidr)) {
            problems.push(`\`${at}\` (${show(cidr)}) is not an IPv4 CIDR block. Write it like "10.0.0.0/8"`);
        } else if (!isNetworkAddress(cidr)) {
            problems.push(`\`${at}\` (${show(cidr)}) has host bits set. Use the network address of the block`);
        } else if (cidr === ANY_IPV4 && !allowAny) {
            problems.push(
                `\`${at}\` ("0.0.0.0/0") would let the whole internet send logs. List the senders' CIDR blocks, or set \`allowAnySourceCidr\` if the inputs authenticate senders`,
            );
        }
    });
    return problems;
}

function listenerProblems(listeners: readonly CollectorListener[], healthCheckPort: number | undefined): string[] {
    const problems: string[] = [];
    if (listeners.length === 0) {
        problems.push("`listeners` ([]) is empty, so the load balancer would accept nothing. List at least one port");
    }
    const ports = new Map<number, string>();
    const names = new Set<string>();
    listeners.forEach((listener, index) => {
        const path = `listeners[${index}]`;
        problems.push(...idProblems(`${path}.name`, listener.name, names, "listener", "syslog"));
        const problem = portProblem(`${path}.port`, listener.port);
        if (problem) {
            problems.push(problem);
        } else if (ports.has(listener.port)) {
            problems.push(
                `\`${path}.port\` (${listener.port}) is also the port of listener "${ports.get(listener.port)}"; an NLB holds one listener per port. Merge them into one listener with protocols ["TCP", "UDP"]`,
            );
        } else {
            ports.set(listener.port, listener.name);
        }
        const protocols = listener.protocols ?? [];
        if (protocols.length === 0 || protocols.some((p) => p !== "TCP" && p !== "UDP") || new Set(protocols).size !== protocols.length) {
            problems.push(`\`${path}.protocols\` (${show(listener.protocols)}) must list "TCP", "UDP" or both, once each`);
        }
    });
    if (healthCheckPort !== undefined) {
        const problem = portProblem("healthCheckPort", healthCheckPort);
        if (problem) {
            problems.push(problem);
        }
    } else if (listeners.length > 0 && !listeners.some((l) => (l.protocols ?? []).includes("TCP"))) {
        problems.push(
            "`healthCheckPort` (undefined) has no default because no listener accepts TCP, and NLB health checks need TCP. Set the TCP port Fluentd answers health checks on",
        );
    }
    return problems;
}

function destinationProblems(destinations: readonly CollectorForwardDestination[]): string[] {
    const problems: string[] = [];
    const names = new Set<string>();
    destinations.forEach((destination, index) => {
        const path = `forwardDestinations[${index}]`;
        problems.push(...idProblems(`${path}.name`, destination.name, names, "destination", "siem"));
        problems.push(...cidrProblems(`${path}.cidr`, [destination.cidr], true, true));
        const problem = portProblem(`${path}.port`, destination.port);
        if (problem) {
            problems.push(problem);
        }
        if (destination.protocol !== "TCP" && destination.protocol !== "UDP") {
            problems.push(`\`${path}.protocol\` (${show(destination.protocol)}) must be "TCP" or "UDP"`);
        }
    });
    return problems;
}
