import * as assert from "assert";
import { ecsNoPrivilegedContainers as rule } from "../../../policy-pack/rules/ecs-no-privileged-containers";
import { FakeResource, runRule, urnOf } from "../../support/policy";
import { itFollowsEnforcementLevels, itHonoursExemptions, messages, UNKNOWN_STRING } from "../../support/policy-rules";

const TASK = "aws:ecs/taskDefinition:TaskDefinition";
const app = { name: "app", image: "public.ecr.aws/nginx/nginx:1.27", essential: true, logConfiguration: { logDriver: "awsfirelens" } };
const router = {
    name: "log-router",
    image: "public.ecr.aws/aws-observability/aws-for-fluent-bit:stable",
    essential: true,
    firelensConfiguration: { type: "fluentbit" },
};
const task = (containerDefinitions: unknown): FakeResource => ({
    type: TASK,
    name: "payments",
    inputs: { family: "payments", containerDefinitions },
});

describe("policy-pack/ecs-no-privileged-containers", () => {
    it("passes unprivileged containers (JSON text or an array)", async () => {
        assert.deepStrictEqual(await runRule(rule, task(JSON.stringify([app, router]))), []);
        assert.deepStrictEqual(await runRule(rule, task([app, { ...router, privileged: false }])), []);
    });

    it("fails a privileged container, naming it, on the task definition's URN", async () => {
        const violations = await runRule(rule, task(JSON.stringify([app, { ...router, privileged: true }])));
        assert.deepStrictEqual(
            violations.map((v) => v.urn),
            [urnOf(TASK, "payments")],
        );
        assert.strictEqual(
            violations[0].message,
            'container "log-router" of task definition "payments" has "privileged": true, so it can take over the host and every task on it. Remove "privileged" from the container definition (orglog:index:FireLensService never sets it).',
        );
    });

    it("fails forbidden capabilities (any case), following the config's list", async () => {
        const withCaps = task(JSON.stringify([{ ...app, linuxParameters: { capabilities: { add: ["sys_admin", "NET_BIND_SERVICE"] } } }]));
        assert.deepStrictEqual(messages(await runRule(rule, withCaps)), [
            'container "app" of task definition "payments" adds the Linux capabilities ["sys_admin"], which allow escaping the container. Remove them from linuxParameters.capabilities.add.',
        ]);
        assert.deepStrictEqual(await runRule(rule, withCaps, { forbiddenCapabilities: ["ALL"] }), []);
    });

    it("does not judge definitions that are unknown during a preview", async () => {
        assert.deepStrictEqual(await runRule(rule, task(UNKNOWN_STRING)), []);
        assert.deepStrictEqual(await runRule(rule, task([{ ...router, privileged: true, image: UNKNOWN_STRING }])), []);
    });

    itFollowsEnforcementLevels(rule, task(JSON.stringify([{ ...router, privileged: true }])));
    itHonoursExemptions(rule, task(JSON.stringify([{ ...router, privileged: true }])), "payments");
});
