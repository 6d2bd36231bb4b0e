import * as assert from "assert";
import type { CollectorFleetArgs } from "../../../components/internal/collector-fleet-args";
import { resolveCollectorFleetArgs } from "../../../components/internal/collector-fleet-args";

const ARGS: CollectorFleetArgs = {
    environment: "production",
    agentBundle: {} as never,
    configRepository: "security/collector-config",
    allowedCidrs: ["10.0.0.0/8"],
    instanceType: "t3.large",
    imageId: "ami-0a1b2c3d4e5f67890",
    minSize: 2,
    maxSize: 6,
    desiredCapacity: 3,
    deployEmail: "log-platform@example.com",
    forwardDestinations: [{ name: "siem", cidr: "10.20.0.0/16", port: 6514, protocol: "TCP" }],
};

describe("components/internal/collector-fleet-args resolution", () => {
    const minimal: CollectorFleetArgs = {
        environment: "integration",
        agentBundle: {} as never,
        configRepository: "g/p",
        imageId: "ami-0a1b2c3d4e5f67890",
    };

    it("applies every default of a minimal fleet once, from the VPC it creates", () => {
        const r = resolveCollectorFleetArgs(minimal);
        assert.deepStrictEqual(r.rules, {
            listeners: [
                { name: "forward", port: 24224, protocols: ["TCP"] },
                { name: "syslog", port: 5140, protocols: ["TCP", "UDP"] },
            ],
            healthCheckPort: 24224,
            allowedCidrs: ["10.64.0.0/16"],
            vpcCidr: "10.64.0.0/16",
            httpsEgressCidrs: ["0.0.0.0/0"],
            forwardDestinations: [],
        });
        assert.deepStrictEqual(
            [
                r.deployBranch,
                r.internetFacing,
                r.instanceType,
                r.minSize,
                r.maxSize,
                r.desiredCapacity,
                r.rootVolumeSizeGiB,
                r.accessLogsRetentionDays,
            ],
            ["integration", false, "t3.medium", 2, 4, 2, 30, 400],
        );
        assert.deepStrictEqual(r.createdVpc, { cidr: "10.64.0.0/16", availabilityZoneCount: 2 });
        assert.deepStrictEqual(r.issuers, [
            { kind: "gitlab", url: "https://gitlab.com", audience: "sts.amazonaws.com", providerArn: undefined },
            { kind: "github", url: "https://token.actions.githubusercontent.com", audience: "sts.amazonaws.com", providerArn: undefined },
        ]);
    });

    it("deploys production from main, allows a given VPC by default and keeps only the enabled issuers", () => {
        const r = resolveCollectorFleetArgs({
            ...minimal,
            environment: "production",
            vpc: { vpcId: "vpc-1", cidrBlock: "10.9.0.0/16", subnetIds: ["subnet-1", "subnet-2"] },
            github: false,
            gitlab: { url: "https://gitlab.example.com", providerArn: "arn:aws:iam::333333333333:oidc-provider/gitlab.example.com" },
            listeners: [{ name: "syslog", port: 514, protocols: ["UDP"] }],
            healthCheckPort: 8888,
        });
        assert.strictEqual(r.deployBranch, "main");
        assert.strictEqual(r.createdVpc, undefined);
        assert.deepStrictEqual([r.rules.allowedCidrs, r.rules.vpcCidr, r.rules.healthCheckPort], [["10.9.0.0/16"], "10.9.0.0/16", 8888]);
        assert.deepStrictEqual(r.issuers, [
            {
                kind: "gitlab",
                url: "https://gitlab.example.com",
                audience: "sts.amazonaws.com",
                providerArn: "arn:aws:iam::333333333333:oidc-provider/gitlab.example.com",
            },
        ]);
    });

    it("refuses more inbound network ACL rules than a network ACL holds", () => {
        const cidrs = [...Array(10).keys()].map((i) => `10.${i}.0.0/16`);
        assert.throws(() => resolveCollectorFleetArgs({ ...minimal, allowedCidrs: cidrs }), {
            message:
                "CollectorFleet: `allowedCidrs` (10 blocks) and `listeners` need 32 inbound network ACL rules, more than the 20 a network ACL holds by default. Aggregate the CIDR blocks or use fewer listener ports.",
        });
    });
});

describe("components/internal/collector-fleet-args validation", () => {
    let validate: (args: CollectorFleetArgs) => void;
    before(async () => {
        const { resolveCollectorFleetArgs } = await import("../../../components/internal/collector-fleet-args");
        validate = (a) => void resolveCollectorFleetArgs(a);
    });
    const args = (change: Partial<CollectorFleetArgs>): CollectorFleetArgs => ({ ...ARGS, agentBundle: {} as never, ...change });
    const messageOf = (change: Partial<CollectorFleetArgs>) => {
        try {
            validate(args(change));
        } catch (err) {
            return (err as Error).message;
        }
        return "accepted";
    };

    it("accepts the defaults and the production args", () => {
        assert.strictEqual(messageOf({}), "accepted");
        assert.strictEqual(
            messageOf({
                allowedCidrs: undefined,
                forwardDestinations: undefined,
                minSize: undefined,
                maxSize: undefined,
                desiredCapacity: undefined,
            }),
            "accepted",
        );
    });

    it("rejects a port outside 1-65535", () => {
        assert.strictEqual(
            messageOf({ listeners: [{ name: "forward", port: 70000, protocols: ["TCP"] }] }),
            "CollectorFleet: `listeners[0].port` (70000) is not a port between 1 and 65535. Use a whole number from 1 to 65535.",
        );
    });

    it("rejects an image that is not a pinned AMI id", () => {
        for (const imageId of [
            "resolve:ssm:/aws/service/ami-amazon-linux-latest/al2023-ami-kernel-default-x86_64",
            "ami-XYZ",
            undefined as never,
        ]) {
            assert.strictEqual(
                messageOf({ imageId }),
                `CollectorFleet: \`imageId\` (${imageId === undefined ? "undefined" : `"${imageId}"`}) is not an AMI id. Pin an image such as "ami-0a1b2c3d4e5f67890" (aws ssm get-parameter --name /aws/service/ami-amazon-linux-latest/al2023-ami-kernel-default-x86_64).`,
            );
        }
        assert.strictEqual(messageOf({ imageId: "ami-0123abcd" }), "accepted");
    });

    it("rejects a listener on port 22", () => {
        assert.strictEqual(
            messageOf({
                listeners: [
                    { name: "forward", port: 24224, protocols: ["TCP"] },
                    { name: "ssh", port: 22, protocols: ["TCP"] },
                ],
            }),
            "CollectorFleet: `listeners[1].port` (22) is the SSH port, and collectors take no SSH. Choose another port; reach instances with SSM Session Manager.",
        );
    });

    it("rejects minSize > maxSize", () => {
        assert.strictEqual(
            messageOf({ minSize: 5, maxSize: 2, desiredCapacity: undefined }),
            "CollectorFleet: `minSize` (5) is larger than `maxSize` (2). Lower minSize or raise maxSize.",
        );
    });

    it("rejects an internet-facing NLB with an empty CIDR list", () => {
        assert.strictEqual(
            messageOf({ internetFacing: true, allowedCidrs: [] }),
            "CollectorFleet: `allowedCidrs` ([]) is empty while `internetFacing` is true, so the load balancer's reach is undefined. List the CIDR blocks of the senders.",
        );
    });

    it("rejects 0.0.0.0/0 senders unless explicitly allowed, and reports every problem at once", () => {
        assert.strictEqual(
            messageOf({
                allowedCidrs: ["0.0.0.0/0"],
                forwardDestinations: [{ name: "siem", cidr: "10.20.0.0/16", port: 22, protocol: "TCP" }],
                minSize: 3,
                maxSize: 6,
                desiredCapacity: 1,
            }),
            'CollectorFleet: `allowedCidrs[0]` ("0.0.0.0/0") would let the whole internet send logs. List the senders\' CIDR blocks, or set `allowAnySourceCidr` if the inputs authenticate senders.\n' +
                "CollectorFleet: `forwardDestinations[0].port` (22) is the SSH port, and collectors take no SSH. Choose another port; reach instances with SSM Session Manager.\n" +
                "CollectorFleet: `desiredCapacity` (1) is outside `minSize`..`maxSize` (3..6). Choose a capacity in that range.",
        );
        assert.strictEqual(messageOf({ allowedCidrs: ["0.0.0.0/0"], allowAnySourceCidr: true }), "accepted");
    });

    it("rejects two listeners on one port and a UDP-only fleet without a health-check port", () => {
        assert.strictEqual(
            messageOf({
                listeners: [
                    { name: "a", port: 5140, protocols: ["TCP"] },
                    { name: "b", port: 5140, protocols: ["UDP"] },
                ],
            }),
            'CollectorFleet: `listeners[1].port` (5140) is also the port of listener "a"; an NLB holds one listener per port. Merge them into one listener with protocols ["TCP", "UDP"].',
        );
        assert.strictEqual(
            messageOf({ listeners: [{ name: "syslog", port: 514, protocols: ["UDP"] }] }),
            "CollectorFleet: `healthCheckPort` (undefined) has no default because no listener accepts TCP, and NLB health checks need TCP. Set the TCP port Fluentd answers health checks on.",
        );
    });
});
