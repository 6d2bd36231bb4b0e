import * as assert from "assert";
import { noDefaultProvider as rule } from "../../../policy-pack/rules/no-default-provider";
import { FakeResource, runRule, urnOf } from "../../support/policy";
import { BUCKET, itFollowsEnforcementLevels, itHonoursExemptions } from "../../support/policy-rules";

const PROVIDER = "urn:pulumi:test::org-logging::pulumi:providers:aws::log-archive";
const DEFAULT = "urn:pulumi:test::org-logging::pulumi:providers:aws::default_7_48_0";
const providers: FakeResource[] = [
    { type: "pulumi:providers:aws", name: "log-archive", urn: PROVIDER, inputs: { region: "eu-west-1" } },
    { type: "pulumi:providers:aws", name: "default_7_48_0", urn: DEFAULT, inputs: {} },
];
const bucket = (provider?: string): FakeResource => ({ type: BUCKET, name: "archive", inputs: {}, provider });

describe("policy-pack/no-default-provider", () => {
    it("passes resources with an explicit provider, components and other packages", async () => {
        const others: FakeResource[] = [
            { type: "orglog:index:LogArchiveAccount", name: "log-archive", inputs: {} },
            { type: "random:index/randomId:RandomId", name: "suffix", inputs: {} },
        ];
        assert.deepStrictEqual(await runRule(rule, [...providers, bucket(PROVIDER), ...others]), []);
    });

    it("fails a resource without a provider (offline) and one on the CLI's default provider, on its URN", async () => {
        const offline = await runRule(rule, bucket());
        assert.deepStrictEqual(
            offline.map((v) => v.urn),
            [urnOf(BUCKET, "archive")],
        );
        assert.strictEqual(
            offline[0].message,
            'Bucket "archive" uses the default aws provider, so it lands in whatever account the ambient credentials belong to. Pass `{ provider }` with the account\'s provider from infra/accounts.ts (or a parent component that has one).',
        );
        const [cli] = await runRule(rule, [...providers, bucket(DEFAULT)]);
        assert.match(cli.message, /^Bucket "archive" uses the default aws provider \("default_7_48_0"\)/);
    });

    it("follows the pack config: packages", async () => {
        const random: FakeResource = { type: "random:index/randomId:RandomId", name: "suffix", inputs: {} };
        assert.strictEqual((await runRule(rule, random, { packages: ["aws", "random"] })).length, 1);
    });

    itFollowsEnforcementLevels(rule, bucket());
    itHonoursExemptions(rule, bucket(), "archive");
});
