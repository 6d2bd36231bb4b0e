import * as assert from "assert";
import { athenaWorkgroupEncrypted as rule } from "../../../policy-pack/rules/athena-workgroup-encrypted";
import { FakeResource, runRule, urnOf } from "../../support/policy";
import { itFollowsEnforcementLevels, itHonoursExemptions, messages, UNKNOWN_STRING } from "../../support/policy-rules";

const WORKGROUP = "aws:athena/workgroup:Workgroup";
const good = {
    enforceWorkgroupConfiguration: true,
    bytesScannedCutoffPerQuery: 10737418240,
    resultConfiguration: {
        outputLocation: "s3://results/elb/",
        encryptionConfiguration: { encryptionOption: "SSE_KMS", kmsKeyArn: UNKNOWN_STRING },
    },
};
const workgroup = (configuration: Record<string, unknown>): FakeResource => ({
    type: WORKGROUP,
    name: "elb-logs",
    inputs: { configuration },
});

describe("policy-pack/athena-workgroup-encrypted", () => {
    it("passes an enforced, encrypted workgroup with a cutoff (and managed query results)", async () => {
        assert.deepStrictEqual(await runRule(rule, workgroup(good)), []);
        assert.deepStrictEqual(
            await runRule(rule, workgroup({ bytesScannedCutoffPerQuery: 1e10, managedQueryResultsConfiguration: { enabled: true } })),
            [],
        );
    });

    it("fails unencrypted results, on the workgroup's URN", async () => {
        const violations = await runRule(rule, workgroup({ ...good, resultConfiguration: { outputLocation: "s3://results/" } }));
        assert.deepStrictEqual(
            violations.map((v) => v.urn),
            [urnOf(WORKGROUP, "elb-logs")],
        );
        assert.strictEqual(
            violations[0].message,
            'Athena workgroup "elb-logs" has configuration.resultConfiguration.encryptionConfiguration.encryptionOption not set, so query results (copies of the logs) are stored unencrypted. Set it to "SSE_KMS" with the archive\'s key, as orglog:index:AthenaElbTable\'s workgroup does.',
        );
    });

    it("fails a workgroup that clients may override, and one without a cutoff", async () => {
        const violations = await runRule(
            rule,
            workgroup({ ...good, enforceWorkgroupConfiguration: false, bytesScannedCutoffPerQuery: undefined }),
        );
        assert.deepStrictEqual(
            messages(violations).map((m) => m.split(",")[0]),
            [
                'Athena workgroup "elb-logs" has configuration.enforceWorkgroupConfiguration false',
                'Athena workgroup "elb-logs" has configuration.bytesScannedCutoffPerQuery not set',
            ],
        );
        assert.strictEqual(
            (await runRule(rule, workgroup({ ...good, bytesScannedCutoffPerQuery: undefined }), { requireBytesScannedCutoff: false }))
                .length,
            0,
        );
    });

    it("follows the pack config: encryption options", async () => {
        const sseS3 = workgroup({ ...good, resultConfiguration: { encryptionConfiguration: { encryptionOption: "SSE_S3" } } });
        assert.deepStrictEqual(await runRule(rule, sseS3), []);
        assert.strictEqual((await runRule(rule, sseS3, { allowedEncryptionOptions: ["SSE_KMS"] })).length, 1);
    });

    it("does not judge an unknown option, and still judges the known cutoff", async () => {
        const violations = await runRule(
            rule,
            workgroup({ resultConfiguration: { encryptionConfiguration: { encryptionOption: UNKNOWN_STRING } } }),
        );
        assert.deepStrictEqual(
            messages(violations).map((m) => /configuration\.(\w+)/.exec(m)?.[1]),
            ["bytesScannedCutoffPerQuery"],
        );
    });

    itFollowsEnforcementLevels(rule, workgroup({ ...good, resultConfiguration: {} }));
    itHonoursExemptions(rule, workgroup({ ...good, resultConfiguration: {} }), "elb-logs");
});
