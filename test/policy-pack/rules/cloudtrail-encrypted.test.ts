import * as assert from "assert";
import { cloudtrailEncrypted as rule } from "../../../policy-pack/rules/cloudtrail-encrypted";
import { FakeResource, runRule, urnOf } from "../../support/policy";
import { itFollowsEnforcementLevels, itHonoursExemptions, UNKNOWN_STRING } from "../../support/policy-rules";

const TRAIL = "aws:cloudtrail/trail:Trail";
const trail = (kmsKeyId: unknown): FakeResource => ({ type: TRAIL, name: "org-trail", inputs: { s3BucketName: "archive", kmsKeyId } });

describe("policy-pack/cloudtrail-encrypted", () => {
    it("passes a trail with a KMS key, and one whose key ARN is not known yet", async () => {
        assert.deepStrictEqual(
            await runRule(rule, trail("arn:aws:kms:eu-west-1:222222222222:key/1234abcd-12ab-34cd-56ef-1234567890ab")),
            [],
        );
        assert.deepStrictEqual(await runRule(rule, trail(UNKNOWN_STRING)), []);
    });

    for (const value of [undefined, ""]) {
        it(`fails kmsKeyId ${JSON.stringify(value) ?? "unset"}`, async () => {
            const violations = await runRule(rule, trail(value));
            assert.deepStrictEqual(
                violations.map((v) => v.urn),
                [urnOf(TRAIL, "org-trail")],
            );
            assert.strictEqual(
                violations[0].message,
                `trail "org-trail" has \`kmsKeyId\` ${value === undefined ? "not set" : '""'}, so its log files are readable by anyone who can read the bucket. Set \`kmsKeyId\` to the log archive's key (orglog:index:LogArchiveAccount's \`trailKey\`).`,
            );
        });
    }

    itFollowsEnforcementLevels(rule, trail(undefined));
    itHonoursExemptions(rule, trail(undefined), "org-*");
});
