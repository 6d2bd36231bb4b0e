// CollectorFleet's network edge as resources: the load balancer's and the instances' security
// groups with the rules `collector-network-rules` derives, the collector subnets' network ACL, and
// the NLB with one target group and listener per port.
import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { listenerProtocol, type CollectorPort } from "./collector-fleet-args";
import { instanceRules, loadBalancerRules, networkAclRules, type NaclRule, type RuleInputs, type SgRule } from "./collector-network-rules";
import type { CollectorNetwork } from "./collector-vpc";

export interface CollectorLoadBalancer {
    readonly loadBalancer: aws.lb.LoadBalancer;
    readonly ports: CollectorPort[];
    readonly targetGroups: aws.lb.TargetGroup[];
    readonly loadBalancerSecurityGroup: aws.ec2.SecurityGroup;
    readonly instanceSecurityGroup: aws.ec2.SecurityGroup;
    readonly networkAcl: aws.ec2.NetworkAcl;
}

function createRules(
    prefix: string,
    group: aws.ec2.SecurityGroup,
    peer: aws.ec2.SecurityGroup,
    rules: { ingress: SgRule[]; egress: SgRule[] },
    parent: pulumi.Resource,
) {
    const args = (rule: SgRule) => ({
        securityGroupId: group.id,
        ipProtocol: rule.protocol,
        fromPort: rule.fromPort,
        toPort: rule.toPort,
        description: rule.description,
        ...(rule.peerGroup ? { referencedSecurityGroupId: peer.id } : { cidrIpv4: rule.cidr }),
    });
    for (const rule of rules.ingress) {
        new aws.vpc.SecurityGroupIngressRule(`${prefix}-in-${rule.key}`, args(rule), { parent });
    }
    for (const rule of rules.egress) {
        new aws.vpc.SecurityGroupEgressRule(`${prefix}-out-${rule.key}`, args(rule), { parent });
    }
}

/** Children `${name}-nlb-sg`, `-instance-sg`, their rules, `-nacl`, `-nlb`, `-tg-<port>` and `-listener-<port>` of `parent`. */
export function createCollectorLoadBalancer(
    name: string,
    shape: { environment: string; rules: RuleInputs; internetFacing: boolean; network: CollectorNetwork },
    parent: pulumi.Resource,
): CollectorLoadBalancer {
    const { environment: env, rules, network } = shape;
    const opts = { parent };
    const loadBalancerSecurityGroup = new aws.ec2.SecurityGroup(
        `${name}-nlb-sg`,
        { vpcId: network.vpcId, description: `Log collector NLB (${env}): senders in, collectors out`, revokeRulesOnDelete: true },
        opts,
    );
    const instanceSecurityGroup = new aws.ec2.SecurityGroup(
        `${name}-instance-sg`,
        {
            vpcId: network.vpcId,
            description: `Log collectors (${env}): NLB in, HTTPS and forward destinations out`,
            revokeRulesOnDelete: true,
        },
        opts,
    );
    createRules(`${name}-nlb`, loadBalancerSecurityGroup, instanceSecurityGroup, loadBalancerRules(rules), parent);
    createRules(`${name}-instance`, instanceSecurityGroup, loadBalancerSecurityGroup, instanceRules(rules), parent);

    const acl = networkAclRules(rules);
    const naclEntry = (rule: NaclRule, index: number) => ({
        ruleNo: 100 + index * 10,
        action: "allow",
        protocol: rule.protocol,
        cidrBlock: rule.cidr,
        fromPort: rule.fromPort,
        toPort: rule.toPort,
    });
    const networkAcl = new aws.ec2.NetworkAcl(
        `${name}-nacl`,
        {
            vpcId: network.vpcId,
            subnetIds: network.instanceSubnetIds,
            ingress: acl.ingress.map(naclEntry),
            egress: acl.egress.map(naclEntry),
            tags: { Name: `log-collectors-${env}` },
        },
        opts,
    );

    const ports = rules.listeners.map((l): CollectorPort => ({ name: l.name, port: l.port, protocol: listenerProtocol(l.protocols) }));
    const loadBalancer = new aws.lb.LoadBalancer(
        `${name}-nlb`,
        {
            loadBalancerType: "network",
            internal: !shape.internetFacing,
            subnets: network.loadBalancerSubnetIds,
            // Created with a security group: an NLB created without one can never get one.
            securityGroups: [loadBalancerSecurityGroup.id],
            enableCrossZoneLoadBalancing: true,
        },
        opts,
    );
    const targetGroups = ports.map((port) => {
        const targetGroup = new aws.lb.TargetGroup(
            `${name}-tg-${port.name}`,
            {
                vpcId: network.vpcId,
                targetType: "instance",
                port: port.port,
                protocol: port.protocol,
                // Give Fluentd time to flush what a draining instance still holds.
                deregistrationDelay: 60,
                healthCheck: {
                    enabled: true,
                    protocol: "TCP",
                    port: String(rules.healthCheckPort),
                    interval: 10,
                    healthyThreshold: 3,
                    unhealthyThreshold: 3,
                },
            },
            opts,
        );
        new aws.lb.Listener(
            `${name}-listener-${port.name}`,
            {
                loadBalancerArn: loadBalancer.arn,
                port: port.port,
                protocol: port.protocol,
                defaultActions: [{ type: "forward", targetGroupArn: targetGroup.arn }],
            },
            opts,
        );
        return targetGroup;
    });
    return { loadBalancer, ports, targetGroups, loadBalancerSecurityGroup, instanceSecurityGroup, networkAcl };
}
