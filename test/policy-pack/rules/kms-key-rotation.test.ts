import * as assert from "assert";
import { kmsKeyRotation as rule } from "../../../policy-pack/rules/kms-key-rotation";
import { FakeResource, runRule, urnOf } from "../../support/policy";
import { itFollowsEnforcementLevels, itHonoursExemptions, messages, UNKNOWN_VALUES } from "../../support/policy-rules";

const KEY = "aws:kms/key:Key";
const key = (inputs: Record<string, unknown>): FakeResource => ({
    type: KEY,
    name: "archive-key",
    inputs: { description: "archive", ...inputs },
});

describe("policy-pack/kms-key-rotation", () => {
    it("passes a symmetric key with rotation (default period or a shorter one)", async () => {
        assert.deepStrictEqual(await runRule(rule, key({ enableKeyRotation: true })), []);
        assert.deepStrictEqual(
            await runRule(rule, key({ enableKeyRotation: true, rotationPeriodInDays: 180, customerMasterKeySpec: "SYMMETRIC_DEFAULT" })),
            [],
        );
    });

    for (const value of [false, undefined]) {
        it(`fails enableKeyRotation ${String(value)}, on the key's URN`, async () => {
            const violations = await runRule(rule, key({ enableKeyRotation: value }));
            assert.deepStrictEqual(
                violations.map((v) => v.urn),
                [urnOf(KEY, "archive-key")],
            );
            assert.strictEqual(
                violations[0].message,
                `KMS key "archive-key" has \`enableKeyRotation\` ${value === undefined ? "not set" : "false"}, so its key material never changes. Set \`enableKeyRotation: true\`, as orglog:index:LogArchiveAccount does for its keys.`,
            );
        });
    }

    it("fails a rotation period longer than the config allows", async () => {
        assert.deepStrictEqual(messages(await runRule(rule, key({ enableKeyRotation: true, rotationPeriodInDays: 730 }))), [
            'KMS key "archive-key" rotates every 730 days, longer than 365. Set `rotationPeriodInDays` to 365 or less.',
        ]);
        assert.deepStrictEqual(
            await runRule(rule, key({ enableKeyRotation: true, rotationPeriodInDays: 730 }), { maxRotationPeriodDays: 730 }),
            [],
        );
    });

    it("leaves asymmetric and HMAC keys alone (they cannot rotate)", async () => {
        assert.deepStrictEqual(await runRule(rule, key({ customerMasterKeySpec: "RSA_4096", keyUsage: "SIGN_VERIFY" })), []);
        assert.deepStrictEqual(await runRule(rule, key({ customerMasterKeySpec: "HMAC_256", keyUsage: "GENERATE_VERIFY_MAC" })), []);
    });

    it("does not judge unknown values, and still judges the known period", async () => {
        assert.deepStrictEqual(await runRule(rule, key({ enableKeyRotation: UNKNOWN_VALUES.unknownBooleanValue })), []);
        const violations = await runRule(rule, key({ enableKeyRotation: UNKNOWN_VALUES.unknownBooleanValue, rotationPeriodInDays: 1000 }));
        assert.deepStrictEqual(messages(violations).length, 1);
        assert.match(violations[0].message, /rotates every 1000 days/);
    });

    itFollowsEnforcementLevels(rule, key({ enableKeyRotation: false }));
    itHonoursExemptions(rule, key({ enableKeyRotation: false }), "archive-key");
});
