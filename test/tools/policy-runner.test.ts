// tools/policy-runner.ts: the offline stand-in for the CLI's policy analyzer.
import * as assert from "assert";
import type { Policy, ResourceValidationPolicy, StackValidationPolicy } from "@pulumi/policy";
import { policies } from "../../policy-pack/policies";
import { runPolicies, validatePackConfig } from "../../tools/policy-runner";
import { fakeResource, urnOf } from "../support/policy";
import { UNKNOWN_STRING } from "../support/policy-rules";

const BUCKET = "aws:s3/bucket:Bucket";
const bucket = fakeResource({ type: BUCKET, name: "archive", inputs: { bucket: "archive", acl: "public-read" } });

const readsAcl: ResourceValidationPolicy = {
    name: "reads-acl",
    description: "test",
    enforcementLevel: "mandatory",
    configSchema: { properties: { allowed: { type: "array", items: { type: "string" }, default: ["private"] } } },
    validateResource: (args, report) => {
        if (!args.getConfig<{ allowed: string[] }>().allowed.includes(args.props.acl)) {
            report(`acl ${args.props.acl}`);
        }
    },
};
const countsBuckets: StackValidationPolicy = {
    name: "counts-buckets",
    description: "test",
    validateStack: (args, report) => {
        report(`${args.resources.filter((r) => r.type === BUCKET).length} bucket(s)`);
    },
};

describe("tools/policy-runner", () => {
    it("resolves levels like the CLI: policy entry, then `all`, then the policy's own, then the pack's", async () => {
        const levels = async (config?: any, packEnforcementLevel?: any) =>
            (await runPolicies([readsAcl, countsBuckets], [bucket], { config, packEnforcementLevel })).map(
                (v) => `${v.policy}:${v.enforcementLevel}`,
            );
        assert.deepStrictEqual(await levels(), ["reads-acl:mandatory", "counts-buckets:advisory"]);
        assert.deepStrictEqual(await levels(undefined, "mandatory"), ["reads-acl:mandatory", "counts-buckets:mandatory"]);
        assert.deepStrictEqual(await levels({ all: "advisory" }), ["reads-acl:advisory", "counts-buckets:advisory"]);
        assert.deepStrictEqual(await levels({ all: "advisory", "reads-acl": { enforcementLevel: "mandatory" } }), [
            "reads-acl:mandatory",
            "counts-buckets:advisory",
        ]);
        assert.deepStrictEqual(await levels({ "counts-buckets": "disabled", "reads-acl": "disabled" }), []);
    });

    it("hands each policy its config: schema defaults overridden by the pack config", async () => {
        assert.strictEqual((await runPolicies([readsAcl], [bucket])).length, 1);
        assert.deepStrictEqual(await runPolicies([readsAcl], [bucket], { config: { "reads-acl": { allowed: ["public-read"] } } }), []);
    });

    it("turns a read of an unknown value into no violation (the CLI's advisory note), for resource and stack policies", async () => {
        const unknownAcl = fakeResource({ type: BUCKET, name: "later", inputs: { acl: UNKNOWN_STRING } });
        const touchesEverything: StackValidationPolicy = {
            ...countsBuckets,
            validateStack: (args, report) => report(args.resources.map((r) => r.props.acl).join(",")),
        };
        assert.deepStrictEqual(
            (await runPolicies([readsAcl], [unknownAcl, bucket])).map((v) => v.urn),
            [urnOf(BUCKET, "archive")],
        );
        assert.deepStrictEqual(await runPolicies([touchesEverything], [bucket, unknownAcl]), []);
    });

    it("rejects pack config the CLI would reject, listing every problem", () => {
        assert.throws(
            () =>
                validatePackConfig(policies as Policy[], {
                    "ssm-send-comand-tag-scoped": "advisory",
                    "secret-naming-convention": { enforcementLevel: "strict" as any, patern: "x" },
                    "ssm-send-command-tag-scoped": { tagKey: 42, allowedDocuments: ["a", 1] },
                    all: { enforcementLevel: "advisory" },
                }),
            {
                message:
                    'policy config: "ssm-send-comand-tag-scoped" is not a policy of the pack; secret-naming-convention: enforcement level "strict" is not one of advisory, mandatory, remediate, disabled; secret-naming-convention.patern: not a config property of the policy (known: pattern, environment, environmentPrefix, exemptResources); ssm-send-command-tag-scoped.tagKey: 42 is not a string; ssm-send-command-tag-scoped.allowedDocuments: ["a",1] is not an array of string; all: only an enforcement level may be given',
            },
        );
        assert.doesNotThrow(() =>
            validatePackConfig(policies as Policy[], {
                all: "advisory",
                "kms-key-rotation": { maxRotationPeriodDays: 180, enforcementLevel: "mandatory" },
            }),
        );
    });
});
