// ssm-send-command-tag-scoped on the resources that make AWS run a document on instances without
// an identity policy calling ssm:SendCommand: associations, maintenance windows, EventBridge
// targets and Scheduler schedules.
import * as assert from "assert";
import { ssmSendCommandTagScoped as rule } from "../../../policy-pack/rules/ssm-send-command-tag-scoped";
import { FakeResource, runRule, urnOf } from "../../support/policy";
import { messages, UNKNOWN_STRING, UNKNOWN_VALUES } from "../../support/policy-rules";

const ASSOCIATION = "aws:ssm/association:Association";
const WINDOW_TASK = "aws:ssm/maintenanceWindowTask:MaintenanceWindowTask";
const WINDOW_TARGET = "aws:ssm/maintenanceWindowTarget:MaintenanceWindowTarget";
const EVENT_TARGET = "aws:cloudwatch/eventTarget:EventTarget";
const SCHEDULE = "aws:scheduler/schedule:Schedule";
const DOCUMENT = "aws:ssm/document:Document";

const TAGGED = [{ key: "tag:InstanceRole", values: ["LogCollection"] }];
const deployDocument: FakeResource = {
    type: DOCUMENT,
    name: "deploy",
    inputs: { name: "LogCollection-Deploy-production", documentType: "Command", content: "{}" },
};
const autoNamedDocument: FakeResource = { type: DOCUMENT, name: "deploy", inputs: { documentType: "Command", content: "{}" } };

const association = (inputs: Record<string, unknown>, propertyDependencies: Record<string, string[]> = {}): FakeResource => ({
    type: ASSOCIATION,
    name: "sync",
    inputs: { name: "LogCollection-Deploy-production", targets: TAGGED, ...inputs },
    propertyDependencies,
});
const windowTarget = (inputs: Record<string, unknown> = {}): FakeResource => ({
    type: WINDOW_TARGET,
    name: "fleet",
    inputs: { windowId: "mw-1", resourceType: "INSTANCE", targets: TAGGED, ...inputs },
});
const windowTask = (
    inputs: Record<string, unknown> = {},
    propertyDependencies: Record<string, string[]> = { targets: [urnOf(WINDOW_TARGET, "fleet")] },
): FakeResource => ({
    type: WINDOW_TASK,
    name: "nightly",
    inputs: {
        windowId: "mw-1",
        taskType: "RUN_COMMAND",
        taskArn: "LogCollection-Deploy-production",
        targets: [{ key: "WindowTargetIds", values: [UNKNOWN_STRING] }],
        ...inputs,
    },
    propertyDependencies,
});
const eventTarget = (inputs: Record<string, unknown> = {}): FakeResource => ({
    type: EVENT_TARGET,
    name: "hourly",
    inputs: {
        rule: "hourly",
        arn: "arn:aws:ssm:eu-west-1:333333333333:document/LogCollection-Deploy-production",
        runCommandTargets: TAGGED,
        ...inputs,
    },
});
const schedule = (input: unknown, arn = "arn:aws:scheduler:::aws-sdk:ssm:sendCommand"): FakeResource => ({
    type: SCHEDULE,
    name: "nightly",
    inputs: {
        scheduleExpression: "rate(1 day)",
        flexibleTimeWindow: { mode: "OFF" },
        target: { arn, roleArn: "arn:aws:iam::333333333333:role/s", input: typeof input === "string" ? input : JSON.stringify(input) },
    },
});

const DOCUMENT_MESSAGE = /runs the document "AWS-RunShellScript", which is neither in `allowedDocuments` nor created in this stack/;
const TARGET_MESSAGE =
    /so it runs commands on instances that are not log collectors\. Target only \{key: "tag:InstanceRole", values: \["LogCollection"\]\}/;

describe("policy-pack/ssm-send-command-tag-scoped: associations, maintenance windows, EventBridge and Scheduler", () => {
    describe("aws.ssm.Association", () => {
        it("passes the stack's document on the collectors' tag, by name or by the input computed from an auto-named document", async () => {
            assert.deepStrictEqual(messages(await runRule(rule, [deployDocument, association({})])), []);
            const computed = association({ name: UNKNOWN_STRING }, { name: [urnOf(DOCUMENT, "deploy")] });
            assert.deepStrictEqual(
                messages(await runRule(rule, [autoNamedDocument, { ...computed, inputs: { ...computed.inputs, name: "deploy-1a2b3c4" } }])),
                [],
            );
        });

        it("fails AWS-RunShellScript on every instance, with both problems on the association", async () => {
            const violations = await runRule(
                rule,
                association({ name: "AWS-RunShellScript", targets: [{ key: "InstanceIds", values: ["*"] }] }),
            );
            assert.deepStrictEqual(
                violations.map((v) => v.urn),
                [urnOf(ASSOCIATION, "sync"), urnOf(ASSOCIATION, "sync")],
            );
            assert.strictEqual(
                violations[1].message,
                'SSM association "sync" targets {key: "InstanceIds", values: ["*"]}, which is every instance of the account, so it runs commands on instances that are not log collectors. Target only {key: "tag:InstanceRole", values: ["LogCollection"]}, as orglog:index:CollectorFleet\'s deploy document is sent.',
            );
            assert.match(violations[0].message, DOCUMENT_MESSAGE);
        });

        const badTargets: Array<[string, Record<string, unknown>]> = [
            ["another tag", { targets: [{ key: "tag:Team", values: ["platform"] }] }],
            ["the collectors' tag with another value", { targets: [{ key: "tag:InstanceRole", values: ["LogCollection", "WebServer"] }] }],
            ["a resource group", { targets: [{ key: "resource-groups:Name", values: ["everything"] }] }],
            ["listed instance ids", { targets: [{ key: "InstanceIds", values: ["i-0123456789abcdef0"] }] }],
            ["the deprecated instanceId", { targets: undefined, instanceId: "i-0123456789abcdef0" }],
            ["no targets", { targets: [] }],
        ];
        for (const [what, inputs] of badTargets) {
            it(`fails ${what}`, async () => {
                const violations = await runRule(rule, [deployDocument, association(inputs)]);
                assert.strictEqual(violations.length, 1, JSON.stringify(messages(violations)));
                assert.match(violations[0].message, TARGET_MESSAGE);
            });
        }

        it("accepts a document ARN from `allowedDocuments`, and refuses stack documents when allowStackDocuments is off", async () => {
            const shared = association({ name: "arn:aws:ssm:eu-west-1:111111111111:document/LogCollection-Deploy-shared" });
            assert.strictEqual((await runRule(rule, shared)).length, 1);
            assert.deepStrictEqual(await runRule(rule, shared, { allowedDocuments: ["LogCollection-Deploy-*"] }), []);
            assert.strictEqual((await runRule(rule, [deployDocument, association({})], { allowStackDocuments: false })).length, 1);
        });

        it("judges nothing that is unknown during a preview, and the same inputs once known", async () => {
            assert.deepStrictEqual(
                await runRule(rule, association({ name: UNKNOWN_STRING, targets: UNKNOWN_VALUES.unknownArrayValue })),
                [],
            );
            assert.deepStrictEqual(
                await runRule(
                    rule,
                    association({ name: UNKNOWN_STRING, targets: [{ key: "tag:InstanceRole", values: [UNKNOWN_STRING] }] }),
                ),
                [],
            );
            assert.strictEqual(
                (
                    await runRule(
                        rule,
                        association({ name: "AWS-RunShellScript", targets: [{ key: "tag:InstanceRole", values: ["WebServer"] }] }),
                    )
                ).length,
                2,
            );
        });

        it("follows the tag key and value of the config, and honours an exemption", async () => {
            const team = association({ targets: [{ key: "tag:Team", values: ["logging"] }] });
            assert.deepStrictEqual(await runRule(rule, [deployDocument, team], { tagKey: "Team", tagValue: "logging" }), []);
            assert.deepStrictEqual(
                await runRule(rule, association({ name: "AWS-RunShellScript" }), {
                    exemptResources: { sync: "inventory association, reviewed in SEC-12" },
                }),
                [],
            );
        });
    });

    describe("aws.ssm.MaintenanceWindowTask and MaintenanceWindowTarget", () => {
        it("passes a RUN_COMMAND task of the stack's document on a window target of the collectors' tag", async () => {
            assert.deepStrictEqual(messages(await runRule(rule, [deployDocument, windowTarget(), windowTask()])), []);
        });

        it("fails a shell document on the task and another tag on the window target, each on the resource to change", async () => {
            const violations = await runRule(rule, [
                windowTarget({ targets: [{ key: "tag:Team", values: ["platform"] }] }),
                windowTask({ taskArn: "arn:aws:ssm:eu-west-1::document/AWS-RunShellScript" }),
            ]);
            assert.deepStrictEqual(
                violations.map((v) => v.urn).sort(),
                [urnOf(WINDOW_TARGET, "fleet"), urnOf(WINDOW_TASK, "nightly")].sort(),
            );
            assert.match(
                violations.find((v) => v.urn === urnOf(WINDOW_TASK, "nightly"))!.message,
                /^maintenance window task "nightly" runs the document "AWS-RunShellScript"/,
            );
            assert.match(
                violations.find((v) => v.urn === urnOf(WINDOW_TARGET, "fleet"))!.message,
                /^maintenance window target "fleet" \(used by the RUN_COMMAND task "nightly"\) targets \{key: "tag:Team", values: \["platform"\]\}, not the collectors' tag/,
            );
        });

        it("fails instance ids on the task itself, and a resource group target", async () => {
            const direct = await runRule(rule, [
                deployDocument,
                windowTask({ targets: [{ key: "InstanceIds", values: ["i-0123456789abcdef0"] }] }, {}),
            ]);
            assert.deepStrictEqual(
                direct.map((v) => v.urn),
                [urnOf(WINDOW_TASK, "nightly")],
            );
            const group = await runRule(rule, [
                deployDocument,
                windowTarget({ resourceType: "RESOURCE_GROUP", targets: [{ key: "resource-groups:Name", values: ["all"] }] }),
                windowTask(),
            ]);
            assert.deepStrictEqual(
                group.map((v) => v.urn),
                [urnOf(WINDOW_TARGET, "fleet")],
            );
        });

        it("leaves window targets alone that no RUN_COMMAND task uses, and tasks of other types", async () => {
            const lambda = windowTask({ taskType: "LAMBDA", taskArn: "arn:aws:lambda:eu-west-1:333333333333:function:rotate" });
            assert.deepStrictEqual(await runRule(rule, [windowTarget({ targets: [{ key: "InstanceIds", values: ["*"] }] }), lambda]), []);
        });

        it("judges nothing that is unknown during a preview, and the same inputs once known", async () => {
            const unknown = [
                windowTarget({ targets: UNKNOWN_VALUES.unknownArrayValue }),
                windowTask({ taskType: UNKNOWN_STRING, taskArn: UNKNOWN_STRING }),
            ];
            assert.deepStrictEqual(await runRule(rule, unknown), []);
            assert.deepStrictEqual(
                await runRule(rule, [windowTarget({ targets: UNKNOWN_VALUES.unknownArrayValue }), windowTask({ taskArn: UNKNOWN_STRING })]),
                [],
            );
            const known = [
                windowTarget({ targets: [{ key: "InstanceIds", values: ["*"] }] }),
                windowTask({ taskArn: "AWS-RunShellScript" }),
            ];
            assert.strictEqual((await runRule(rule, known)).length, 2);
        });
    });

    describe("aws.cloudwatch.EventTarget", () => {
        it("passes the stack's document on the collectors' tag, and targets that are not Run Command", async () => {
            assert.deepStrictEqual(messages(await runRule(rule, [deployDocument, eventTarget()])), []);
            assert.deepStrictEqual(
                await runRule(rule, eventTarget({ arn: "arn:aws:sns:eu-west-1:333333333333:alarms", runCommandTargets: undefined })),
                [],
            );
        });

        it("fails AWS-RunShellScript on another tag", async () => {
            const violations = await runRule(
                rule,
                eventTarget({
                    arn: "arn:aws:ssm:eu-west-1::document/AWS-RunShellScript",
                    runCommandTargets: [{ key: "tag:Team", values: ["platform"] }],
                }),
            );
            assert.strictEqual(violations.length, 2);
            assert.match(violations[0].message, DOCUMENT_MESSAGE);
            assert.match(
                violations[1].message,
                /^EventBridge target "hourly" has `runCommandTargets` \{key: "tag:Team", values: \["platform"\]\}, not the collectors' tag/,
            );
        });

        it("fails a Run Command document target without runCommandTargets", async () => {
            const [violation] = await runRule(rule, [deployDocument, eventTarget({ runCommandTargets: undefined })]);
            assert.match(violation.message, /has `runCommandTargets` no targets/);
        });

        it("judges nothing that is unknown during a preview, and the same inputs once known", async () => {
            assert.deepStrictEqual(
                await runRule(rule, eventTarget({ arn: UNKNOWN_STRING, runCommandTargets: UNKNOWN_VALUES.unknownArrayValue })),
                [],
            );
            assert.strictEqual(
                (await runRule(rule, eventTarget({ runCommandTargets: [{ key: "InstanceIds", values: ["*"] }] }))).length,
                2,
            );
        });
    });

    describe("aws.scheduler.Schedule", () => {
        it("passes sendCommand of an allow-listed document on the collectors' tag, and other universal targets", async () => {
            const fine = schedule({
                DocumentName: "LogCollection-Deploy-production",
                Targets: [{ Key: "tag:InstanceRole", Values: ["LogCollection"] }],
            });
            assert.deepStrictEqual(messages(await runRule(rule, fine, { allowedDocuments: ["LogCollection-Deploy-*"] })), []);
            assert.deepStrictEqual(
                await runRule(rule, schedule({ TopicArn: "x", Message: "y" }, "arn:aws:scheduler:::aws-sdk:sns:publish")),
                [],
            );
        });

        it("fails the shell document on every instance through sendCommand", async () => {
            const violations = await runRule(rule, schedule({ DocumentName: "AWS-RunShellScript", InstanceIds: ["*"] }));
            assert.strictEqual(violations.length, 2);
            assert.match(
                violations[0].message,
                /^schedule "nightly" \(target arn:aws:scheduler:::aws-sdk:ssm:sendCommand\) runs the document "AWS-RunShellScript"/,
            );
            assert.match(
                violations[1].message,
                /input has \{key: "InstanceIds", values: \["\*"\]\}, which is every instance of the account/,
            );
        });

        it("fails createAssociation of the shell document on another tag", async () => {
            const violations = await runRule(
                rule,
                schedule(
                    { Name: "AWS-RunShellScript", Targets: [{ Key: "tag:Team", Values: ["platform"] }] },
                    "arn:aws:scheduler:::aws-sdk:ssm:createAssociation",
                ),
            );
            assert.strictEqual(violations.length, 2, JSON.stringify(messages(violations)));
        });

        it("judges nothing that is unknown during a preview, and the same inputs once known", async () => {
            assert.deepStrictEqual(await runRule(rule, schedule(JSON.stringify({ DocumentName: UNKNOWN_STRING, InstanceIds: ["*"] }))), []);
            assert.deepStrictEqual(await runRule(rule, { ...schedule("{}"), inputs: { target: UNKNOWN_VALUES.unknownObjectValue } }), []);
            assert.strictEqual((await runRule(rule, schedule({ DocumentName: "AWS-RunShellScript", InstanceIds: ["*"] }))).length, 2);
        });
    });
});
