import * as assert from "assert";
import { ssmSendCommandTagScoped as rule } from "../../../policy-pack/rules/ssm-send-command-tag-scoped";
import { FakeResource, runRule, urnOf } from "../../support/policy";
import {
    itFollowsEnforcementLevels,
    itHonoursExemptions,
    json,
    MANAGED_POLICY,
    messages,
    ROLE,
    ROLE_POLICY,
    UNKNOWN_STRING,
} from "../../support/policy-rules";

const INSTANCES = "arn:aws:ec2:eu-west-1:333333333333:instance/*";
const DEPLOY_DOCUMENT = "arn:aws:ssm:eu-west-1:333333333333:document/LogCollection-Deploy-production";
const TAG = { StringEquals: { "ssm:resourceTag/InstanceRole": "LogCollection" } };
const ATTACHMENT = "aws:iam/rolePolicyAttachment:RolePolicyAttachment";
const DOCUMENT = "aws:ssm/document:Document";

const send = (extra: Record<string, unknown> = {}) => ({
    Sid: "Send",
    Effect: "Allow",
    Action: "ssm:SendCommand",
    Resource: INSTANCES,
    ...extra,
});
const rolePolicy = (...statements: unknown[]): FakeResource => ({
    type: ROLE_POLICY,
    name: "publisher-policy",
    inputs: { role: "publisher-1234567", policy: json(...statements) },
});
const trust = json({ Sid: "Ec2Assumes", Effect: "Allow", Principal: { Service: "ec2.amazonaws.com" }, Action: "sts:AssumeRole" });
const role = (inputs: Record<string, unknown> = {}): FakeResource => ({
    type: ROLE,
    name: "publisher",
    inputs: { assumeRolePolicy: trust, ...inputs },
});
const deployDocument: FakeResource = {
    type: DOCUMENT,
    name: "deploy",
    inputs: { name: "LogCollection-Deploy-production", documentType: "Command", content: "{}" },
};

/** A role policy attached to the `publisher` role the way programs write it: `role: role.name`. */
const attachedPolicy = (...statements: unknown[]): FakeResource => ({
    ...rolePolicy(...statements),
    propertyDependencies: { role: [urnOf(ROLE, "publisher")], policy: [] },
});

describe("policy-pack/ssm-send-command-tag-scoped", () => {
    it("passes instances scoped by the collectors' tag, and the deploy document created in the stack", async () => {
        const resources = [deployDocument, rolePolicy(send({ Condition: TAG }), send({ Sid: "Document", Resource: DEPLOY_DOCUMENT }))];
        assert.deepStrictEqual(messages(await runRule(rule, resources)), []);
    });

    it("fails instances without the tag condition, naming the statement, the resources and the fix", async () => {
        const violations = await runRule(rule, rolePolicy(send()));
        assert.strictEqual(violations.length, 1);
        assert.strictEqual(violations[0].urn, urnOf(ROLE_POLICY, "publisher-policy"));
        assert.strictEqual(
            violations[0].message,
            'role policy "publisher-policy" statement "Send" allows ssm:SendCommand on "arn:aws:ec2:eu-west-1:333333333333:instance/*" without the condition "ssm:resourceTag/InstanceRole" = "LogCollection", so it can run commands on instances that are not log collectors. Add Condition {"StringEquals": {"ssm:resourceTag/InstanceRole": "LogCollection"}} to the statement (orglog:index:CollectorFleet\'s publisher role does), or name only allow-listed document ARNs.',
        );
    });

    const untagged: Array<[string, Record<string, unknown>]> = [
        ["ssm:* on *", send({ Action: "ssm:*", Resource: "*" })],
        ["ssm:Send* in an array", send({ Action: ["ssm:Send*", "ssm:ListCommands"], Resource: ["*"] })],
        ["Action * (case-insensitive)", send({ Action: "SSM:SENDCOMMAND", Resource: "arn:aws:ec2:*:*:instance/i-0123456789abcdef0" })],
        ["* on *", send({ Action: "*", Resource: "*" })],
        ["a wildcard ARN covering instances", send({ Resource: "arn:aws:ec2:*" })],
        ["managed instances", send({ Resource: "arn:aws:ssm:eu-west-1:333333333333:managed-instance/*" })],
        ["NotAction that leaves SendCommand in", send({ Action: undefined, NotAction: ["iam:*"], Resource: "*" })],
        [
            "the tag condition under StringEqualsIfExists",
            send({ Condition: { StringEqualsIfExists: { "ssm:resourceTag/InstanceRole": "LogCollection" } } }),
        ],
        ["the tag condition with a wildcard value", send({ Condition: { StringLike: { "ssm:resourceTag/InstanceRole": "Log*" } } })],
        ["another tag value", send({ Condition: { StringEquals: { "ssm:resourceTag/InstanceRole": ["LogCollection", "WebServer"] } } })],
        ["another tag key", send({ Condition: { StringEquals: { "ssm:resourceTag/Team": "LogCollection" } } })],
    ];
    for (const [what, statement] of untagged) {
        it(`fails ${what}`, async () => {
            const violations = await runRule(rule, rolePolicy(statement));
            assert.strictEqual(violations.length, 1, JSON.stringify(messages(violations)));
            assert.match(
                violations[0].message,
                /allows ssm:SendCommand on .* without the condition "ssm:resourceTag\/InstanceRole" = "LogCollection"/,
            );
        });
    }

    it("says why a tag condition that is present does not count", async () => {
        const [violation] = await runRule(
            rule,
            rolePolicy(send({ Condition: { StringEqualsIfExists: { "ssm:resourceTag/InstanceRole": "LogCollection" } } })),
        );
        assert.match(
            violation.message,
            /without the condition "ssm:resourceTag\/InstanceRole" = "LogCollection" \(it has StringEqualsIfExists \["LogCollection"\]\)/,
        );
    });

    it("fails NotResource without the tag condition", async () => {
        const [violation] = await runRule(
            rule,
            rolePolicy(send({ Resource: undefined, NotResource: "arn:aws:ec2:*:*:instance/i-0bastion" })),
        );
        assert.match(
            violation.message,
            /allows ssm:SendCommand on every resource except \["arn:aws:ec2:\*:\*:instance\/i-0bastion"\] \(NotResource\)/,
        );
    });

    const fine: Array<[string, Record<string, unknown>]> = [
        ["ssm:* on * with the tag condition", send({ Action: "ssm:*", Resource: "*", Condition: TAG })],
        [
            "the tag condition with StringEqualsIgnoreCase",
            send({ Condition: { StringEqualsIgnoreCase: { "ssm:resourceTag/InstanceRole": "logcollection" } } }),
        ],
        ["other SSM actions on *", send({ Action: ["ssm:GetCommandInvocation", "ssm:ListCommandInvocations"], Resource: "*" })],
        ["NotAction that excludes SendCommand", send({ Action: undefined, NotAction: "ssm:Send*", Resource: "*" })],
        ["a Deny", send({ Effect: "Deny", Resource: "*" })],
        ["SendCommand on S3 output buckets only", send({ Action: "*", Resource: "arn:aws:s3:::command-output/*" })],
    ];
    for (const [what, statement] of fine) {
        it(`passes ${what}`, async () => {
            assert.deepStrictEqual(messages(await runRule(rule, rolePolicy(statement))), []);
        });
    }

    describe("documents", () => {
        it("fails an AWS document outside the allow-list (getPolicyDocument rendering, no Sid)", async () => {
            const rendered =
                '{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"ssm:SendCommand","Resource":["arn:aws:ssm:eu-west-1::document/AWS-RunShellScript","arn:aws:ssm:eu-west-1:333333333333:document/*"]}]}';
            const [violation, ...rest] = await runRule(rule, { type: MANAGED_POLICY, name: "ops", inputs: { policy: rendered } });
            assert.deepStrictEqual(rest, []);
            assert.strictEqual(violation.urn, urnOf(MANAGED_POLICY, "ops"));
            assert.strictEqual(
                violation.message,
                'IAM policy "ops" statement 1 allows ssm:SendCommand with the document(s) "arn:aws:ssm:eu-west-1::document/AWS-RunShellScript", "arn:aws:ssm:eu-west-1:333333333333:document/*", which are neither in `allowedDocuments` nor created in this stack, so it can run arbitrary commands. Name only the reviewed documents (orglog:index:CollectorFleet creates one), add the document to the rule\'s `allowedDocuments`, or add the "ssm:resourceTag/InstanceRole" condition.',
            );
        });

        it("accepts documents from `allowedDocuments` (wildcards) and refuses stack documents when allowStackDocuments is off", async () => {
            const policy = rolePolicy(send({ Resource: "arn:aws:ssm:eu-west-1:333333333333:document/LogCollection-Deploy-integration" }));
            assert.strictEqual((await runRule(rule, policy)).length, 1);
            assert.deepStrictEqual(await runRule(rule, policy, { allowedDocuments: ["LogCollection-Deploy-*"] }), []);
            const stack = [deployDocument, rolePolicy(send({ Resource: DEPLOY_DOCUMENT }))];
            assert.deepStrictEqual(await runRule(rule, stack), []);
            assert.strictEqual((await runRule(rule, stack, { allowStackDocuments: false })).length, 1);
        });

        it("recognises an auto-named stack document the policy was computed from", async () => {
            const autoNamed: FakeResource = { type: DOCUMENT, name: "deploy", inputs: { documentType: "Command", content: "{}" } };
            const arn = "arn:aws:ssm:eu-west-1:333333333333:document/deploy-1a2b3c4";
            const computed = { ...rolePolicy(send({ Resource: arn })), propertyDependencies: { policy: [urnOf(DOCUMENT, "deploy")] } };
            assert.deepStrictEqual(await runRule(rule, [autoNamed, computed]), []);
            // Without the dependency the name alone proves nothing.
            assert.strictEqual((await runRule(rule, [autoNamed, rolePolicy(send({ Resource: arn }))])).length, 1);
        });
    });

    describe("managed policies on roles that send commands", () => {
        const attachment = (policyArn: string): FakeResource => ({
            type: ATTACHMENT,
            name: "publisher-extra",
            inputs: { role: "publisher-1234567", policyArn },
            propertyDependencies: { role: [urnOf(ROLE, "publisher")], policyArn: [] },
        });

        it("fails AmazonSSMFullAccess attached to any role, on the attachment, like an inline grant", async () => {
            const violations = await runRule(rule, [
                role(),
                attachedPolicy(send({ Condition: TAG })),
                attachment("arn:aws:iam::aws:policy/AmazonSSMFullAccess"),
            ]);
            assert.strictEqual(violations.length, 1);
            assert.strictEqual(violations[0].urn, urnOf(ATTACHMENT, "publisher-extra"));
            assert.strictEqual(
                violations[0].message,
                'role policy attachment "publisher-extra" attaches the AWS managed policy AmazonSSMFullAccess, which allows ssm:SendCommand on every instance and every document without the "ssm:resourceTag/InstanceRole" condition, so the principal can run commands on any instance. Detach AmazonSSMFullAccess and grant ssm:SendCommand in a policy of your own with the condition (orglog:index:CollectorFleet\'s publisher role does).',
            );
            // No grant of its own is needed: the managed policy is the grant.
            assert.deepStrictEqual(
                (await runRule(rule, [role(), attachment("arn:aws:iam::aws:policy/AmazonSSMFullAccess")])).map((v) => v.urn),
                [urnOf(ATTACHMENT, "publisher-extra")],
            );
        });

        it("fails AdministratorAccess in the role's managedPolicyArns, on the role", async () => {
            const [violation, ...rest] = await runRule(rule, role({ managedPolicyArns: ["arn:aws:iam::aws:policy/AdministratorAccess"] }));
            assert.deepStrictEqual(rest, []);
            assert.strictEqual(violation.urn, urnOf(ROLE, "publisher"));
            assert.match(
                violation.message,
                /^role "publisher" `managedPolicyArns` attaches the AWS managed policy AdministratorAccess, which allows ssm:SendCommand on every instance/,
            );
        });

        const attachments: Array<[string, FakeResource]> = [
            [
                "a service-role path (AmazonSSMMaintenanceWindowRole)",
                attachment("arn:aws:iam::aws:policy/service-role/AmazonSSMMaintenanceWindowRole"),
            ],
            [
                "a user policy attachment",
                {
                    type: "aws:iam/userPolicyAttachment:UserPolicyAttachment",
                    name: "ops",
                    inputs: { user: "ops", policyArn: "arn:aws:iam::aws:policy/PowerUserAccess" },
                },
            ],
            [
                "a group policy attachment",
                {
                    type: "aws:iam/groupPolicyAttachment:GroupPolicyAttachment",
                    name: "ops",
                    inputs: { group: "ops", policyArn: "arn:aws:iam::aws:policy/AmazonSSMAutomationRole" },
                },
            ],
            [
                "a policy attachment",
                {
                    type: "aws:iam/policyAttachment:PolicyAttachment",
                    name: "ops",
                    inputs: { roles: ["a"], policyArn: "arn:aws:iam::aws:policy/AmazonSSMFullAccess" },
                },
            ],
            [
                "exclusive role attachments",
                {
                    type: "aws:iam/rolePolicyAttachmentsExclusive:RolePolicyAttachmentsExclusive",
                    name: "ops",
                    inputs: {
                        roleName: "a",
                        policyArns: ["arn:aws:iam::aws:policy/ReadOnlyAccess", "arn:aws:iam::aws:policy/AmazonSSMFullAccess"],
                    },
                },
            ],
            [
                "an SSO permission set attachment",
                {
                    type: "aws:ssoadmin/managedPolicyAttachment:ManagedPolicyAttachment",
                    name: "ops",
                    inputs: { managedPolicyArn: "arn:aws:iam::aws:policy/AdministratorAccess" },
                },
            ],
        ];
        for (const [what, resource] of attachments) {
            it(`fails ${what} of a managed policy that sends commands everywhere`, async () => {
                const violations = await runRule(rule, resource);
                assert.strictEqual(violations.length, 1, JSON.stringify(messages(violations)));
                assert.match(violations[0].message, /attaches the AWS managed policy \w+, which allows ssm:SendCommand on every instance/);
            });
        }

        it("reads the list from `sendCommandManagedPolicies` and passes unknown policy ARNs", async () => {
            const maintenance = attachment("arn:aws:iam::aws:policy/service-role/AmazonSSMMaintenanceWindowRole");
            assert.deepStrictEqual(await runRule(rule, maintenance, { sendCommandManagedPolicies: [] }), []);
            assert.deepStrictEqual(await runRule(rule, [attachment(UNKNOWN_STRING), role({ managedPolicyArns: UNKNOWN_STRING })]), []);
            // Known once the preview resolves it.
            assert.strictEqual(
                (await runRule(rule, role({ managedPolicyArns: ["arn:aws:iam::aws:policy/AmazonSSMFullAccess"] }))).length,
                1,
            );
        });

        it("finds the grant in a customer managed policy attached to the role", async () => {
            const managed: FakeResource = { type: MANAGED_POLICY, name: "send", inputs: { policy: json(send({ Condition: TAG })) } };
            const attachManaged: FakeResource = {
                type: ATTACHMENT,
                name: "publisher-send",
                inputs: { role: "publisher-1234567", policyArn: "arn:aws:iam::333333333333:policy/send-1234567" },
                propertyDependencies: { role: [urnOf(ROLE, "publisher")], policyArn: [urnOf(MANAGED_POLICY, "send")] },
            };
            const violations = await runRule(rule, [
                role(),
                managed,
                attachManaged,
                attachment("arn:aws:iam::aws:policy/AmazonSSMFullAccess"),
            ]);
            assert.deepStrictEqual(
                violations.map((v) => v.urn),
                [urnOf(ATTACHMENT, "publisher-extra")],
            );
        });

        it("keeps `forbiddenManagedPolicies` for other policies: only on roles that send commands, unless config says every role", async () => {
            const config = { forbiddenManagedPolicies: ["AmazonEC2FullAccess"] };
            const ec2 = attachment("arn:aws:iam::aws:policy/AmazonEC2FullAccess");
            assert.deepStrictEqual(await runRule(rule, [role(), ec2], config), []);
            const [sending] = await runRule(rule, [role(), attachedPolicy(send({ Condition: TAG })), ec2], config);
            assert.match(
                sending.message,
                /^role "publisher" can send commands \(role policy "publisher-policy"\) and has the AWS managed policy AmazonEC2FullAccess attached by RolePolicyAttachment "publisher-extra"/,
            );
            const [violation] = await runRule(rule, [role(), ec2], { ...config, forbidManagedPoliciesOnEveryRole: true });
            assert.match(
                violation.message,
                /^role "publisher" has the AWS managed policy AmazonEC2FullAccess attached by RolePolicyAttachment "publisher-extra"/,
            );
        });

        it("honours an exemption of the attachment itself", async () => {
            const resources = [role(), attachedPolicy(send({ Condition: TAG })), attachment("arn:aws:iam::aws:policy/AmazonSSMFullAccess")];
            assert.deepStrictEqual(
                await runRule(rule, resources, { exemptResources: { "publisher-extra": "migration window until SEC-9 closes" } }),
                [],
            );
        });

        it("ignores AmazonSSMManagedInstanceCore, which collectors need to receive commands", async () => {
            assert.deepStrictEqual(
                await runRule(rule, [
                    role(),
                    attachedPolicy(send({ Condition: TAG })),
                    attachment("arn:aws:iam::aws:policy/AmazonSSMManagedInstanceCore"),
                ]),
                [],
            );
        });
    });

    it("reads role inline policies, user and group policies and SSO permission sets", async () => {
        const inline = await runRule(rule, role({ inlinePolicies: [{ name: "send", policy: json(send()) }] }));
        assert.match(inline[0].message, /^role "publisher" inline policy "send" statement "Send"/);
        const user = await runRule(rule, {
            type: "aws:iam/userPolicy:UserPolicy",
            name: "ops",
            inputs: { user: "ops", policy: json(send()) },
        });
        assert.match(user[0].message, /^user policy "ops" statement "Send"/);
        const group = await runRule(rule, {
            type: "aws:iam/groupPolicy:GroupPolicy",
            name: "ops",
            inputs: { group: "ops", policy: { Version: "2012-10-17", Statement: send() } },
        });
        assert.match(group[0].message, /^group policy "ops" statement "Send"/);
        const sso = await runRule(rule, {
            type: "aws:ssoadmin/permissionSetInlinePolicy:PermissionSetInlinePolicy",
            name: "ops",
            inputs: { inlinePolicy: json(send()) },
        });
        assert.strictEqual(sso.length, 1);
    });

    it("never fails on unknown values, and still reports the known problems next to them", async () => {
        const unknownPolicy: FakeResource = {
            type: ROLE_POLICY,
            name: "unknown",
            inputs: { role: UNKNOWN_STRING, policy: UNKNOWN_STRING },
        };
        const unknownStatement: FakeResource = {
            type: MANAGED_POLICY,
            name: "partly",
            inputs: { policy: { Version: "2012-10-17", Statement: [send({ Resource: UNKNOWN_STRING })] } },
        };
        const unknownRole = role({ inlinePolicies: UNKNOWN_STRING, managedPolicyArns: UNKNOWN_STRING });
        const bad = rolePolicy(send());
        const violations = await runRule(rule, [unknownPolicy, unknownStatement, unknownRole, bad]);
        assert.deepStrictEqual(
            violations.map((v) => v.urn),
            [urnOf(ROLE_POLICY, "publisher-policy")],
        );
    });

    it("follows the pack config: tag key and value", async () => {
        const team = send({ Condition: { StringEquals: { "ssm:resourceTag/Team": "logging" } } });
        assert.strictEqual((await runRule(rule, rolePolicy(team))).length, 1);
        assert.deepStrictEqual(await runRule(rule, rolePolicy(team), { tagKey: "Team", tagValue: "logging" }), []);
    });

    itFollowsEnforcementLevels(rule, rolePolicy(send()));
    itHonoursExemptions(rule, rolePolicy(send()), "publisher-policy");
});
