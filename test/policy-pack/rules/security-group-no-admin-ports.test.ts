import * as assert from "assert";
import { securityGroupNoAdminPorts as rule } from "../../../policy-pack/rules/security-group-no-admin-ports";
import { FakeResource, runRule, urnOf } from "../../support/policy";
import { itFollowsEnforcementLevels, itHonoursExemptions, messages, UNKNOWN_STRING } from "../../support/policy-rules";

const GROUP = "aws:ec2/securityGroup:SecurityGroup";
const group = (...ingress: unknown[]): FakeResource => ({ type: GROUP, name: "collectors", inputs: { vpcId: "vpc-1", ingress } });
const rule22 = (extra: Record<string, unknown> = {}) => ({
    description: "ssh",
    protocol: "tcp",
    fromPort: 22,
    toPort: 22,
    cidrBlocks: ["0.0.0.0/0"],
    ...extra,
});

describe("policy-pack/security-group-no-admin-ports", () => {
    it("passes admin ports from private ranges and other ports from the world", async () => {
        assert.deepStrictEqual(
            await runRule(
                rule,
                group(
                    rule22({ cidrBlocks: ["10.0.0.0/8"] }),
                    rule22({ fromPort: 443, toPort: 443 }),
                    rule22({ protocol: "icmp", fromPort: -1, toPort: -1 }),
                ),
            ),
            [],
        );
    });

    it("fails SSH from 0.0.0.0/0 on an inline rule, on the group's URN", async () => {
        const violations = await runRule(rule, group(rule22()));
        assert.deepStrictEqual(
            violations.map((v) => v.urn),
            [urnOf(GROUP, "collectors")],
        );
        assert.strictEqual(
            violations[0].message,
            'security group "collectors" ingress rule 1 (tcp 22 from ["0.0.0.0/0"]) opens port 22 to 0.0.0.0/0, so anyone on the internet can try to log in. Remove the rule and use SSM Session Manager, or restrict the source to a known administration range.',
        );
    });

    const failing: Array<[string, FakeResource]> = [
        ["RDP from ::/0 in a range", group(rule22({ fromPort: 3000, toPort: 4000, cidrBlocks: [], ipv6CidrBlocks: ["::/0"] }))],
        ["all traffic (-1)", group(rule22({ protocol: "-1", fromPort: 0, toPort: 0 }))],
        [
            "an aws.vpc ingress rule",
            {
                type: "aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule",
                name: "ssh",
                inputs: { securityGroupId: UNKNOWN_STRING, ipProtocol: "tcp", fromPort: 22, toPort: 22, cidrIpv4: "0.0.0.0/0" },
            },
        ],
        [
            "an aws.ec2.SecurityGroupRule",
            {
                type: "aws:ec2/securityGroupRule:SecurityGroupRule",
                name: "ssh",
                inputs: {
                    type: "ingress",
                    securityGroupId: UNKNOWN_STRING,
                    protocol: "6",
                    fromPort: 0,
                    toPort: 65535,
                    cidrBlocks: ["0.0.0.0/0"],
                },
            },
        ],
    ];
    for (const [what, resource] of failing) {
        it(`fails ${what}`, async () => {
            assert.strictEqual((await runRule(rule, resource)).length, 1);
        });
    }

    it("ignores egress and rules whose ranges are unknown", async () => {
        const egress: FakeResource = {
            type: "aws:ec2/securityGroupRule:SecurityGroupRule",
            name: "out",
            inputs: { type: "egress", protocol: "-1", fromPort: 0, toPort: 0, cidrBlocks: ["0.0.0.0/0"] },
        };
        assert.deepStrictEqual(await runRule(rule, [egress, group(rule22({ cidrBlocks: UNKNOWN_STRING }))]), []);
        assert.deepStrictEqual(messages(await runRule(rule, group(rule22({ cidrBlocks: UNKNOWN_STRING }), rule22()))).length, 1);
    });

    it("follows the pack config: ports and ranges", async () => {
        assert.strictEqual(
            (await runRule(rule, group(rule22({ fromPort: 5985, toPort: 5986 })), { adminPorts: [22, 3389, 5985] })).length,
            1,
        );
        assert.deepStrictEqual(await runRule(rule, group(rule22()), { worldCidrs: [] }), []);
    });

    itFollowsEnforcementLevels(rule, group(rule22()));
    itHonoursExemptions(rule, group(rule22()), "collectors");
});
