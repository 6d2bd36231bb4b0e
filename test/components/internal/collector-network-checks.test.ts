import * as assert from "assert";
import { naclQuotaProblem, NetworkInputs, networkInputProblems } from "../../../components/internal/collector-network-checks";
import type { CollectorListener, RuleInputs } from "../../../components/internal/collector-network-rules";

const LISTENERS: CollectorListener[] = [
    { name: "forward", port: 24224, protocols: ["TCP"] },
    { name: "syslog", port: 5140, protocols: ["TCP", "UDP"] },
];

const valid: NetworkInputs = {
    listeners: LISTENERS,
    healthCheckPort: undefined,
    internetFacing: false,
    allowedCidrs: ["10.0.0.0/8"],
    allowAnySourceCidr: false,
    httpsEgressCidrs: undefined,
    forwardDestinations: [{ name: "siem", cidr: "192.0.2.0/24", port: 6514, protocol: "TCP" }],
};

describe("components/internal/collector-network-checks", () => {
    it("accepts the default listeners with private senders and a forward destination", () => {
        assert.deepStrictEqual(networkInputProblems(valid), []);
    });

    const cases: Array<[string, Partial<NetworkInputs>, string[]]> = [
        [
            "no listener",
            { listeners: [] },
            ["`listeners` ([]) is empty, so the load balancer would accept nothing. List at least one port"],
        ],
        [
            "a listener id with capitals, and a duplicate one",
            {
                listeners: [
                    { name: "Syslog", port: 514, protocols: ["TCP"] },
                    { name: "a", port: 515, protocols: ["TCP"] },
                    { name: "a", port: 516, protocols: ["TCP"] },
                ],
            },
            [
                '`listeners[0].name` ("Syslog") is not a listener id. Use up to 24 lower-case letters, digits or dashes, such as "syslog"',
                '`listeners[2].name` ("a") is used twice. Give each listener its own name',
            ],
        ],
        [
            "a destination id with a dot, and a duplicate one",
            {
                forwardDestinations: [
                    { name: "siem.eu", cidr: "192.0.2.0/24", port: 6514, protocol: "TCP" },
                    { name: "siem", cidr: "192.0.2.0/24", port: 6514, protocol: "TCP" },
                    { name: "siem", cidr: "198.51.100.0/24", port: 6514, protocol: "TCP" },
                ],
            },
            [
                '`forwardDestinations[0].name` ("siem.eu") is not a destination id. Use up to 24 lower-case letters, digits or dashes, such as "siem"',
                '`forwardDestinations[2].name` ("siem") is used twice. Give each destination its own name',
            ],
        ],
        [
            "a protocol listed twice",
            { listeners: [{ name: "syslog", port: 514, protocols: ["TCP", "TCP"] }] },
            ['`listeners[0].protocols` (["TCP","TCP"]) must list "TCP", "UDP" or both, once each'],
        ],
        [
            "the SSH port as the health check",
            { healthCheckPort: 22 },
            [
                "`healthCheckPort` (22) is the SSH port, and collectors take no SSH. Choose another port; reach instances with SSM Session Manager",
            ],
        ],
        [
            "an empty sender list on an internal load balancer",
            { allowedCidrs: [] },
            [
                "`allowedCidrs` ([]) is empty, so no sender could reach the collectors. List the senders' CIDR blocks, or leave it unset to allow the VPC",
            ],
        ],
        [
            "a sender block with host bits, and one that is no CIDR block",
            { allowedCidrs: ["10.0.0.1/8", "10.0.0.0"] },
            [
                '`allowedCidrs[0]` ("10.0.0.1/8") has host bits set. Use the network address of the block',
                '`allowedCidrs[1]` ("10.0.0.0") is not an IPv4 CIDR block. Write it like "10.0.0.0/8"',
            ],
        ],
        ["the whole internet as senders, when allowed", { allowedCidrs: ["0.0.0.0/0"], allowAnySourceCidr: true }, []],
        ["the whole internet as HTTPS egress", { httpsEgressCidrs: ["0.0.0.0/0"] }, []],
        [
            "no HTTPS egress at all",
            { httpsEgressCidrs: [] },
            [
                "`httpsEgressCidrs` ([]) is empty, so the collectors could reach neither SSM nor S3. List the CIDR blocks of the AWS endpoints or proxies",
            ],
        ],
        [
            "a forward destination with a host address, a bad port and an unknown protocol",
            { forwardDestinations: [{ name: "siem", cidr: "192.0.2.1/24", port: 0, protocol: "TLS" as "TCP" }] },
            [
                '`forwardDestinations[0].cidr` ("192.0.2.1/24") has host bits set. Use the network address of the block',
                "`forwardDestinations[0].port` (0) is not a port between 1 and 65535. Use a whole number from 1 to 65535",
                '`forwardDestinations[0].protocol` ("TLS") must be "TCP" or "UDP"',
            ],
        ],
    ];
    for (const [what, change, problems] of cases) {
        it(`${problems.length === 0 ? "accepts" : "names"} ${what}`, () => {
            assert.deepStrictEqual(networkInputProblems({ ...valid, ...change }), problems);
        });
    }

    it("allows 20 inbound network ACL rules (6 sender blocks over two listeners) and refuses 23 (7 blocks)", () => {
        const rules = (blocks: number): RuleInputs => ({
            listeners: LISTENERS,
            healthCheckPort: 24224,
            allowedCidrs: [...Array(blocks).keys()].map((i) => `10.${i}.0.0/16`),
            vpcCidr: "10.64.0.0/16",
            httpsEgressCidrs: ["0.0.0.0/0"],
            forwardDestinations: [],
        });
        assert.strictEqual(naclQuotaProblem(rules(6), 6), undefined);
        assert.strictEqual(
            naclQuotaProblem(rules(7), 7),
            "`allowedCidrs` (7 blocks) and `listeners` need 23 inbound network ACL rules, more than the 20 a network ACL holds by default. Aggregate the CIDR blocks or use fewer listener ports",
        );
    });
});
