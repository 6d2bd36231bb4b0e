import * as assert from "assert";
import { ec2Imdsv2Required as rule } from "../../../policy-pack/rules/ec2-imdsv2-required";
import { FakeResource, runRule, urnOf } from "../../support/policy";
import { itFollowsEnforcementLevels, itHonoursExemptions, messages, UNKNOWN_STRING } from "../../support/policy-rules";

const LAUNCH_TEMPLATE = "aws:ec2/launchTemplate:LaunchTemplate";
const INSTANCE = "aws:ec2/instance:Instance";
const template = (metadataOptions: unknown, type = LAUNCH_TEMPLATE): FakeResource => ({
    type,
    name: "collectors",
    inputs: { imageId: "ami-0a1b2c3d4e5f67890", metadataOptions },
});

describe("policy-pack/ec2-imdsv2-required", () => {
    it("passes httpTokens required with hop limit 1, and a disabled metadata endpoint", async () => {
        assert.deepStrictEqual(
            await runRule(rule, template({ httpEndpoint: "enabled", httpTokens: "required", httpPutResponseHopLimit: 1 })),
            [],
        );
        assert.deepStrictEqual(await runRule(rule, template({ httpEndpoint: "disabled" }, INSTANCE)), []);
    });

    it("fails httpTokens optional on a launch template, on its URN", async () => {
        const violations = await runRule(rule, template({ httpTokens: "optional" }));
        assert.deepStrictEqual(
            violations.map((v) => v.urn),
            [urnOf(LAUNCH_TEMPLATE, "collectors")],
        );
        assert.strictEqual(
            violations[0].message,
            'launch template "collectors" has metadataOptions.httpTokens "optional", so the instance metadata service answers IMDSv1 requests without a session token. Set metadataOptions.httpTokens to "required", as orglog:index:CollectorFleet\'s launch template does.',
        );
    });

    it("fails instances and launch configurations without metadataOptions", async () => {
        assert.match(
            (await runRule(rule, template(undefined, INSTANCE)))[0].message,
            /^instance "collectors" has metadataOptions.httpTokens not set/,
        );
        assert.match(
            (await runRule(rule, template(undefined, "aws:ec2/launchConfiguration:LaunchConfiguration")))[0].message,
            /^launch configuration "collectors"/,
        );
    });

    it("fails a hop limit above the config's maximum", async () => {
        const options = { httpTokens: "required", httpPutResponseHopLimit: 2 };
        assert.deepStrictEqual(messages(await runRule(rule, template(options))), [
            'launch template "collectors" has metadataOptions.httpPutResponseHopLimit 2, so containers and forwarded hops can reach instance credentials. Set it to 1.',
        ]);
        assert.deepStrictEqual(await runRule(rule, template(options), { maxHopLimit: 2 }), []);
    });

    it("does not judge unknown tokens, and still judges the known hop limit", async () => {
        assert.deepStrictEqual(await runRule(rule, template({ httpTokens: UNKNOWN_STRING })), []);
        assert.strictEqual((await runRule(rule, template({ httpTokens: UNKNOWN_STRING, httpPutResponseHopLimit: 3 }))).length, 1);
    });

    itFollowsEnforcementLevels(rule, template({ httpTokens: "optional" }));
    itHonoursExemptions(rule, template({ httpTokens: "optional" }), "collectors");
});
