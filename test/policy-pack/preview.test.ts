// The whole pack on the production stack as a first `pulumi preview` sees it: nothing exists yet,
// so every input computed from another resource (a bucket's ARN in its policy, a key's ARN in an
// encryption rule, a role's name in its policy) is unknown. No rule may turn that into a violation,
// and the values that are known must still be judged.
import * as assert from "assert";
import { policies } from "../../policy-pack/policies";
import { runPolicies } from "../../tools/policy-runner";
import type { RecordedResource } from "../support/harness";
import { plannedStack } from "../support/planned-stacks";
import { UNKNOWN_STRING } from "../support/policy-rules";

/** The resources with every input that depends on another (not yet created) resource made unknown. */
function asFirstPreview(resources: readonly RecordedResource[]): { resources: RecordedResource[]; unknownInputs: number } {
    const created = new Set(resources.filter((r) => r.custom && !r.type.startsWith("pulumi:providers:")).map((r) => r.urn));
    let unknownInputs = 0;
    const previewed = resources.map((r) => {
        const inputs = { ...r.inputs };
        for (const [key, deps] of Object.entries(r.propertyDependencies)) {
            if (key in inputs && deps.some((urn) => created.has(urn))) {
                inputs[key] = UNKNOWN_STRING;
                unknownInputs++;
            }
        }
        return { ...r, inputs };
    });
    return { resources: previewed, unknownInputs };
}

describe("policy-pack on a first preview of the production stack", () => {
    let resources: readonly RecordedResource[];

    before(async function () {
        this.timeout(120_000);
        resources = await plannedStack("production");
    });

    it("reports no violation although hundreds of inputs are unknown", async () => {
        const preview = asFirstPreview(resources);
        assert.ok(preview.unknownInputs > 100, `only ${preview.unknownInputs} unknown inputs`);
        assert.deepStrictEqual(await runPolicies(policies, preview.resources), []);
    });

    it("still judges what is known: a single-region trail and a bucket without ownership controls are reported among the unknowns", async () => {
        const preview = asFirstPreview(resources).resources.map((r) => {
            if (r.type === "aws:cloudtrail/trail:Trail") {
                return { ...r, inputs: { ...r.inputs, isMultiRegionTrail: false } };
            }
            return r;
        });
        const trail = preview.find((r) => r.type === "aws:cloudtrail/trail:Trail")!;
        const bucket = preview.find((r) => r.type === "aws:s3/bucket:Bucket")!;
        // The bucket loses its ownership controls: their `bucket` input is unknown, so only the
        // declared dependency related them; without the controls, nothing does.
        const controls = preview.filter(
            (r) => r.type === "aws:s3/bucketOwnershipControls:BucketOwnershipControls" && r.dependencies.includes(bucket.urn),
        );
        assert.strictEqual(controls.length, 1);
        assert.strictEqual(controls[0].inputs.bucket, UNKNOWN_STRING);
        const violations = await runPolicies(
            policies,
            preview.filter((r) => r !== controls[0]),
        );
        assert.deepStrictEqual(
            violations.map((v) => [v.policy, v.urn]),
            [
                ["s3-bucket-owner-full-control", bucket.urn],
                ["cloudtrail-multi-region", trail.urn],
            ],
        );
    });
});
