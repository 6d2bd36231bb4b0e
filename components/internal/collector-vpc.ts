// The VPC CollectorFleet creates when it is given none: private subnets for the collectors (and an
// internal NLB), public subnets for one NAT gateway and an internet-facing NLB, an S3 gateway endpoint.
import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { ANY_IPV4, subnetCidr } from "./cidr";

/** Where the collectors and their load balancer run. */
export interface CollectorNetwork {
    readonly vpcId: pulumi.Output<string>;
    readonly instanceSubnetIds: pulumi.Input<string>[];
    readonly loadBalancerSubnetIds: pulumi.Input<string>[];
}

/** Children `${name}-vpc`, `-private-<n>`, `-public-<n>`, `-igw`, `-nat`, ... of `parent`. */
export function createCollectorVpc(
    name: string,
    shape: { cidr: string; zones: number; internetFacing: boolean; region: pulumi.Output<string> },
    parent: pulumi.Resource,
): CollectorNetwork {
    const opts = { parent };
    const { cidr, region } = shape;
    const azs = aws.getAvailabilityZonesOutput({ state: "available" }, opts).names;
    const vpc = new aws.ec2.Vpc(
        `${name}-vpc`,
        { cidrBlock: cidr, enableDnsHostnames: true, enableDnsSupport: true, tags: { Name: `${name}-vpc` } },
        opts,
    );
    // Eight equal blocks: private subnets take the first ones, public subnets start at the fifth.
    const subnet = (kind: "private" | "public", index: number) =>
        new aws.ec2.Subnet(
            `${name}-${kind}-${index + 1}`,
            {
                vpcId: vpc.id,
                cidrBlock: subnetCidr(cidr, 3, kind === "private" ? index : 4 + index),
                availabilityZone: azs.apply((names) => names[index]),
                mapPublicIpOnLaunch: false,
                tags: { Name: `${name}-${kind}-${index + 1}` },
            },
            opts,
        );
    // The VPC's default security group keeps no rules, so nothing can fall back to it (CIS 5.4).
    new aws.ec2.DefaultSecurityGroup(`${name}-default-sg`, { vpcId: vpc.id }, opts);
    const indexes = [...Array(shape.zones).keys()];
    const privateSubnets = indexes.map((i) => subnet("private", i));
    const publicSubnets = indexes.map((i) => subnet("public", i));

    const gateway = new aws.ec2.InternetGateway(`${name}-igw`, { vpcId: vpc.id }, opts);
    const publicRoutes = new aws.ec2.RouteTable(
        `${name}-public-routes`,
        { vpcId: vpc.id, routes: [{ cidrBlock: ANY_IPV4, gatewayId: gateway.id }] },
        opts,
    );
    publicSubnets.forEach(
        (s, i) =>
            new aws.ec2.RouteTableAssociation(`${name}-public-${i + 1}-routes`, { subnetId: s.id, routeTableId: publicRoutes.id }, opts),
    );
    // One NAT gateway: the collectors only need it for package installs and AWS APIs at boot and deploy.
    const eip = new aws.ec2.Eip(`${name}-nat-eip`, { domain: "vpc" }, opts);
    // A NAT gateway routes nowhere until the VPC's internet gateway is attached.
    const nat = new aws.ec2.NatGateway(
        `${name}-nat`,
        { subnetId: publicSubnets[0].id, allocationId: eip.id },
        { parent, dependsOn: [gateway] },
    );
    const privateRoutes = new aws.ec2.RouteTable(
        `${name}-private-routes`,
        { vpcId: vpc.id, routes: [{ cidrBlock: ANY_IPV4, natGatewayId: nat.id }] },
        opts,
    );
    privateSubnets.forEach(
        (s, i) =>
            new aws.ec2.RouteTableAssociation(`${name}-private-${i + 1}-routes`, { subnetId: s.id, routeTableId: privateRoutes.id }, opts),
    );
    // Keeps configuration and agent downloads on the AWS network.
    new aws.ec2.VpcEndpoint(
        `${name}-s3-endpoint`,
        {
            vpcId: vpc.id,
            serviceName: pulumi.interpolate`com.amazonaws.${region}.s3`,
            vpcEndpointType: "Gateway",
            routeTableIds: [privateRoutes.id],
        },
        opts,
    );
    return {
        vpcId: vpc.id,
        instanceSubnetIds: privateSubnets.map((s) => s.id),
        loadBalancerSubnetIds: (shape.internetFacing ? publicSubnets : privateSubnets).map((s) => s.id),
    };
}
