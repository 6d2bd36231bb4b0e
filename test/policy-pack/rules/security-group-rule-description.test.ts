import * as assert from "assert";
import { securityGroupRuleDescription as rule } from "../../../policy-pack/rules/security-group-rule-description";
import { FakeResource, runRule, urnOf } from "../../support/policy";
import { itFollowsEnforcementLevels, itHonoursExemptions, messages, UNKNOWN_STRING } from "../../support/policy-rules";

const GROUP = "aws:ec2/securityGroup:SecurityGroup";
const INGRESS = "aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule";
const group = (ingress: unknown[], egress: unknown[] = []): FakeResource => ({
    type: GROUP,
    name: "collectors",
    inputs: { vpcId: "vpc-1", description: "collectors", ingress, egress },
});
const forward = {
    description: "fluent forward from workload VPCs",
    protocol: "tcp",
    fromPort: 24224,
    toPort: 24224,
    cidrBlocks: ["10.0.0.0/8"],
};

describe("policy-pack/security-group-rule-description", () => {
    it("passes described rules, inline and separate", async () => {
        const separate: FakeResource = {
            type: INGRESS,
            name: "syslog",
            inputs: {
                securityGroupId: UNKNOWN_STRING,
                ipProtocol: "udp",
                fromPort: 5140,
                toPort: 5140,
                cidrIpv4: "10.0.0.0/8",
                description: "syslog from workloads",
            },
        };
        assert.deepStrictEqual(await runRule(rule, [group([forward], [{ ...forward, description: "to the NLB" }]), separate]), []);
    });

    it("fails an inline rule without a description, naming the rule and its traffic", async () => {
        const violations = await runRule(rule, group([forward, { ...forward, description: undefined, fromPort: 5140, toPort: 5140 }]));
        assert.deepStrictEqual(
            violations.map((v) => v.urn),
            [urnOf(GROUP, "collectors")],
        );
        assert.strictEqual(
            violations[0].message,
            'security group "collectors" ingress rule 2 (tcp 5140 from ["10.0.0.0/8"]) has no description, so nobody can tell why it is open. Set `description` to the reason, e.g. "collectors: fluent forward from workload VPCs", as orglog:index:CollectorFleet does.',
        );
    });

    it("fails separate rules (aws.vpc and aws.ec2.SecurityGroupRule) with empty descriptions, and egress too", async () => {
        const resources: FakeResource[] = [
            {
                type: INGRESS,
                name: "syslog",
                inputs: { securityGroupId: UNKNOWN_STRING, ipProtocol: "udp", fromPort: 5140, toPort: 5140, cidrIpv4: "10.0.0.0/8" },
            },
            {
                type: "aws:ec2/securityGroupRule:SecurityGroupRule",
                name: "all-out",
                inputs: { type: "egress", protocol: "-1", fromPort: 0, toPort: 0, cidrBlocks: ["0.0.0.0/0"], description: " " },
            },
        ];
        assert.deepStrictEqual(
            messages(await runRule(rule, resources)).map((m) => m.split(" has no")[0]),
            [
                'security group ingress rule "syslog" (udp 5140 from ["10.0.0.0/8"])',
                'security group rule "all-out" (all traffic to ["0.0.0.0/0"])',
            ],
        );
    });

    it("does not judge a description that is unknown, nor a rule whose ports are unknown", async () => {
        const violations = await runRule(
            rule,
            group([
                { ...forward, description: UNKNOWN_STRING },
                { ...forward, description: undefined, fromPort: UNKNOWN_STRING },
                { ...forward, description: undefined },
            ]),
        );
        assert.deepStrictEqual(
            messages(violations).map((m) => /rule (\d)/.exec(m)?.[1]),
            ["3"],
        );
    });

    itFollowsEnforcementLevels(rule, group([{ ...forward, description: undefined }]));
    itHonoursExemptions(rule, group([{ ...forward, description: undefined }]), "collectors");
});
