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
        const ephemeralIn = networkAclRules(udp).ingress.filter((r) => r.fromPort === 1024).map((r) => r.cidr);
        assert.deepStrictEqual(ephemeralIn, ["10.20.0.0/16"]);
        assert.deepStrictEqual(ports(networkAclRules(udp).egress).filter((p) => p.includes("8125")), ["udp 8125-8125 10.30.0.0/16"]);
    });
});
