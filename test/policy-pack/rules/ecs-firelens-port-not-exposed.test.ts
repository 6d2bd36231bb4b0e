import * as assert from "assert";
import { ecsFirelensPortNotExposed as rule } from "../../../policy-pack/rules/ecs-firelens-port-not-exposed";
import { FakeResource, runRule, urnOf } from "../../support/policy";
import { itFollowsEnforcementLevels, itHonoursExemptions, UNKNOWN_STRING } from "../../support/policy-rules";

const TASK = "aws:ecs/taskDefinition:TaskDefinition";
const app = { name: "app", image: "nginx", portMappings: [{ containerPort: 8080 }], logConfiguration: { logDriver: "awsfirelens" } };
const router = { name: "log-router", image: "aws-for-fluent-bit", firelensConfiguration: { type: "fluentbit" } };
const task = (...containers: unknown[]): FakeResource => ({
    type: TASK,
    name: "payments",
    inputs: { family: "payments", containerDefinitions: JSON.stringify(containers) },
});

describe("policy-pack/ecs-firelens-port-not-exposed", () => {
    it("passes a FireLens task that publishes only the application's port", async () => {
        assert.deepStrictEqual(await runRule(rule, task(app, router)), []);
    });

    it("fails the router publishing 24224, on the task definition's URN", async () => {
        const violations = await runRule(rule, task(app, { ...router, portMappings: [{ containerPort: 24224, protocol: "tcp" }] }));
        assert.deepStrictEqual(
            violations.map((v) => v.urn),
            [urnOf(TASK, "payments")],
        );
        assert.strictEqual(
            violations[0].message,
            'container "log-router" of task definition "payments" maps port 24224, the FireLens log router\'s forward input, so anything that reaches the task can inject forged log records. Remove that entry from portMappings: containers of the task reach the router without it (orglog:index:FireLensService publishes none).',
        );
    });

    it("fails a host port mapping of 24224 on another container of a FireLens task", async () => {
        assert.strictEqual(
            (await runRule(rule, task({ ...app, portMappings: [{ containerPort: 9000, hostPort: 24224 }] }, router))).length,
            1,
        );
    });

    it("ignores tasks without FireLens (a Fluentd aggregator task may listen on 24224) and unknown definitions", async () => {
        assert.deepStrictEqual(
            await runRule(rule, task({ name: "fluentd", image: "fluentd", portMappings: [{ containerPort: 24224 }] })),
            [],
        );
        assert.deepStrictEqual(await runRule(rule, { type: TASK, name: "payments", inputs: { containerDefinitions: UNKNOWN_STRING } }), []);
    });

    it("follows the pack config: forward ports", async () => {
        const mapped = task(app, { ...router, portMappings: [{ containerPort: 24225 }] });
        assert.deepStrictEqual(await runRule(rule, mapped), []);
        assert.strictEqual((await runRule(rule, mapped, { forwardPorts: [24224, 24225] })).length, 1);
    });

    itFollowsEnforcementLevels(rule, task({ ...router, portMappings: [{ containerPort: 24224 }] }));
    itHonoursExemptions(rule, task({ ...router, portMappings: [{ containerPort: 24224 }] }), "payments");
});
