import * as assert from "assert";
import {
    healthCheckOnListener,
    instanceRules,
    loadBalancerRules,
    networkAclRules,
    RuleInputs,
} from "../../../components/internal/collector-network-rules";

const base: RuleInputs = {
    listeners: [
        { name: "forward", port: 24224, protocols: ["TCP"] },
        { name: "syslog", port: 5140, protocols: ["TCP", "UDP"] },
    ],
    healthCheckPort: 24224,
    allowedCidrs: ["10.0.0.0/8", "172.16.0.0/12"],
    vpcCidr: "10.64.0.0/16",
    httpsEgressCidrs: ["0.0.0.0/0"],
    forwardDestinations: [{ name: "siem", cidr: "10.20.0.0/16", port: 6514, protocol: "TCP" }],
};

const ports = (rules: { protocol: string; fromPort: number; toPort: number; cidr?: string; peerGroup?: boolean }[]) =>
    rules.map((r) => `${r.protocol} ${r.fromPort}-${r.toPort} ${r.peerGroup ? "peer" : r.cidr}`);

describe("collector network rules", () => {
    it("admits every sender block on every listener protocol at the load balancer", () => {
        const { ingress, egress } = loadBalancerRules(base);
        assert.deepStrictEqual(ports(ingress), [
            "tcp 24224-24224 10.0.0.0/8",
            "tcp 24224-24224 172.16.0.0/12",
            "tcp 5140-5140 10.0.0.0/8",
            "tcp 5140-5140 172.16.0.0/12",
            "udp 5140-5140 10.0.0.0/8",
            "udp 5140-5140 172.16.0.0/12",
        ]);
        assert.deepStrictEqual(ports(egress), ["tcp 24224-24224 peer", "tcp 5140-5140 peer", "udp 5140-5140 peer"]);
        assert.strictEqual(ingress[0].description, "forward logs (TCP 24224) from 10.0.0.0/8");
        assert.strictEqual(ingress[0].key, "forward-tcp-10-0-0-0-8");
    });

    it("adds a health-check rule only when no TCP listener carries the health-check port", () => {
        assert.strictEqual(healthCheckOnListener(base), true);
        const separate = { ...base, healthCheckPort: 8888 };
        assert.strictEqual(healthCheckOnListener(separate), false);
        assert.deepStrictEqual(ports(loadBalancerRules(separate).egress).at(-1), "tcp 8888-8888 peer");
        assert.deepStrictEqual(ports(instanceRules(separate).ingress).at(-1), "tcp 8888-8888 peer");
        // A UDP-only listener on the health-check port does not carry TCP health checks.
        const udpOnly = { ...base, listeners: [{ name: "syslog", port: 5140, protocols: ["UDP"] as const }], healthCheckPort: 5140 };
        assert.strictEqual(healthCheckOnListener(udpOnly), false);
    });

    it("lets the collectors in only from the load balancer and out to HTTPS and the forward destinations", () => {
        const { ingress, egress } = instanceRules(base);
        assert.ok(ingress.every((r) => r.peerGroup && r.cidr === undefined));
        assert.strictEqual(ingress[0].description, "forward logs (TCP 24224) and NLB health checks through the NLB");
        assert.deepStrictEqual(ports(egress), ["tcp 443-443 0.0.0.0/0", "tcp 6514-6514 10.20.0.0/16"]);
        assert.ok(![...ingress, ...egress].some((r) => r.fromPort <= 22 && r.toPort >= 22));
        assert.ok([...ingress, ...egress].every((r) => r.description.length > 0));
    });

    it("mirrors the groups in a stateless network ACL with return traffic", () => {
        const { ingress, egress } = networkAclRules(base);
        assert.deepStrictEqual(ports(ingress), [
            "tcp 24224-24224 10.0.0.0/8",
            "tcp 24224-24224 172.16.0.0/12",
            "tcp 5140-5140 10.0.0.0/8",
            "tcp 5140-5140 172.16.0.0/12",
            "udp 5140-5140 10.0.0.0/8",
            "udp 5140-5140 172.16.0.0/12",
            "tcp 24224-24224 10.64.0.0/16",
            "tcp 1024-65535 0.0.0.0/0",
            "tcp 1024-65535 10.20.0.0/16",
        ]);
        assert.deepStrictEqual(ports(egress), [
            "tcp 443-443 0.0.0.0/0",
            "tcp 6514-6514 10.20.0.0/16",
            "tcp 1024-65535 10.0.0.0/8",
            "tcp 1024-65535 172.16.0.0/12",
            "tcp 1024-65535 10.64.0.0/16",
        ]);
    });

    it("opens no return path for a UDP forward destination and lists each return block once", () => {
        const udp = {
            ...base,
            httpsEgressCidrs: ["10.20.0.0/16"],
            forwardDestinations: [
                { name: "siem", cidr: "10.20.0.0/16", port: 6514, protocol: "TCP" as const },
                { name: "metrics", cidr: "10.30.0.0/16", port: 8125, protocol: "UDP" as const },
            ],
        };
        const ephemeralIn = networkAclRules(udp)
            .ingress.filter((r) => r.fromPort === 1024)
            .map((r) => r.cidr);
        assert.deepStrictEqual(ephemeralIn, ["10.20.0.0/16"]);
        assert.deepStrictEqual(
            ports(networkAclRules(udp).egress).filter((p) => p.includes("8125")),
            ["udp 8125-8125 10.30.0.0/16"],
        );
    });
});

describe("collector network rules, table", () => {
    const tcp = (name: string, port: number) => ({ name, port, protocols: ["TCP"] as const });
    const both = (name: string, port: number) => ({ name, port, protocols: ["TCP", "UDP"] as const });
    const udp = (name: string, port: number) => ({ name, port, protocols: ["UDP"] as const });
    // [what, inputs, load balancer ingress, load balancer egress, instance ingress, instance egress, NACL ingress, NACL egress]
    const table: Array<[string, RuleInputs, number, number, number, number, number, number]> = [
        [
            "the defaults with one sender block",
            { ...base, allowedCidrs: ["10.64.0.0/16"], forwardDestinations: [] },
            3,
            3,
            3,
            1,
            3 + 1 + 1,
            1 + 1,
        ],
        ["two sender blocks and a TCP destination", base, 6, 3, 3, 2, 6 + 1 + 2, 2 + 3],
        ["a separate health-check port", { ...base, healthCheckPort: 8888 }, 6, 4, 4, 2, 6 + 1 + 2, 2 + 3],
        ["a UDP-only listener", { ...base, listeners: [udp("syslog", 514)], healthCheckPort: 24224 }, 2, 2, 2, 2, 2 + 1 + 2, 2 + 3],
        [
            "three listeners, one block, no destinations",
            {
                ...base,
                listeners: [tcp("a", 1000), both("b", 2000), tcp("c", 3000)],
                healthCheckPort: 1000,
                allowedCidrs: ["192.168.0.0/16"],
                forwardDestinations: [],
            },
            4,
            4,
            4,
            1,
            4 + 1 + 1,
            1 + 2,
        ],
        ["HTTPS through the destination's block", { ...base, httpsEgressCidrs: ["10.20.0.0/16"] }, 6, 3, 3, 2, 6 + 1 + 1, 2 + 3],
    ];
    for (const [what, inputs, lbIn, lbOut, instIn, instOut, aclIn, aclOut] of table) {
        it(`derives the rule counts for ${what}`, () => {
            const lb = loadBalancerRules(inputs);
            const inst = instanceRules(inputs);
            const acl = networkAclRules(inputs);
            assert.deepStrictEqual(
                [lb.ingress.length, lb.egress.length, inst.ingress.length, inst.egress.length, acl.ingress.length, acl.egress.length],
                [lbIn, lbOut, instIn, instOut, aclIn, aclOut],
            );
        });

        it(`names every rule of ${what} once, describes it, and never opens port 22`, () => {
            for (const [group, rules] of Object.entries({ lb: loadBalancerRules(inputs), instance: instanceRules(inputs) })) {
                for (const direction of [rules.ingress, rules.egress]) {
                    const keys = direction.map((r) => r.key);
                    assert.strictEqual(new Set(keys).size, keys.length, `${group}: ${keys.join(", ")}`);
                    assert.ok(
                        direction.every((r) => r.description.length > 0 && !(r.fromPort <= 22 && r.toPort >= 22)),
                        group,
                    );
                    assert.ok(
                        direction.every((r) => (r.peerGroup === true) !== (r.cidr !== undefined)),
                        `${group}: a peer group or a CIDR block, never both`,
                    );
                }
            }
            const acl = networkAclRules(inputs);
            assert.ok([...acl.ingress, ...acl.egress].every((r) => !(r.fromPort <= 22 && r.toPort >= 22)));
        });
    }
});
