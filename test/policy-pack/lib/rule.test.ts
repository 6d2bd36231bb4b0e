// policy-pack/lib/rule.ts and types.ts: the type match, exemptions and unknown-value handling that
// every rule shares, run through the offline analyzer the plan uses.
import * as assert from "assert";
import * as aws from "@pulumi/aws";
import type { ResourceValidationPolicy, StackValidationPolicy } from "@pulumi/policy";
import {
    EXEMPT_RESOURCES_SCHEMA,
    ExemptionConfig,
    judgedResources,
    validateEveryResource,
    validateResourcesOf,
} from "../../../policy-pack/lib/rule";
import { isOfType, S3_BUCKETS, tokenOf } from "../../../policy-pack/lib/types";
import { runPolicies } from "../../../tools/policy-runner";
import { fakeResource, runRule, urnOf } from "../../support/policy";
import { UNKNOWN_VALUES } from "../../support/policy-rules";

const BUCKET = "aws:s3/bucket:Bucket";
const BUCKET_V2 = "aws:s3/bucketV2:BucketV2";
const TRAIL = "aws:cloudtrail/trail:Trail";

const policy = (validateResource: ResourceValidationPolicy["validateResource"]): ResourceValidationPolicy => ({
    name: "test-rule",
    description: "Test.",
    enforcementLevel: "mandatory",
    configSchema: { properties: { exemptResources: EXEMPT_RESOURCES_SCHEMA } },
    validateResource,
});

/** Reports every trail's `s3BucketName` as the rule saw it. */
const trailBuckets = policy(
    validateResourcesOf([aws.cloudtrail.Trail], (trail, args, reportViolation) => {
        reportViolation(`${args.name}: ${trail.s3BucketName}`);
    }),
);

describe("policy-pack/lib/types", () => {
    it("takes each type token from its @pulumi/aws class", () => {
        assert.strictEqual(tokenOf(aws.s3.Bucket), BUCKET);
        assert.strictEqual(
            tokenOf(aws.ssoadmin.PermissionSetInlinePolicy),
            "aws:ssoadmin/permissionSetInlinePolicy:PermissionSetInlinePolicy",
        );
        assert.deepStrictEqual(S3_BUCKETS.map(tokenOf), [BUCKET, BUCKET_V2]);
        assert.ok(isOfType({ type: BUCKET_V2 }, S3_BUCKETS));
        assert.ok(!isOfType({ type: "aws:s3/bucketPolicy:BucketPolicy" }, S3_BUCKETS));
    });

    it("refuses a class that is not a Pulumi resource, naming it", () => {
        class NotAResource {
            constructor(_name: string, _args: unknown) {}
        }
        assert.throws(() => tokenOf(NotAResource as never), {
            message: "NotAResource is not a Pulumi resource class (it has no type token)",
        });
    });
});

describe("policy-pack/lib/rule", () => {
    it("runs a validation on resources of its classes only, with their props", async () => {
        const violations = await runRule(trailBuckets, [
            { type: TRAIL, name: "org-trail", inputs: { s3BucketName: "archive" } },
            { type: BUCKET, name: "org-trail-bucket", inputs: { s3BucketName: "not a trail" } },
        ]);
        assert.deepStrictEqual(
            violations.map((v) => [v.urn, v.message]),
            [[urnOf(TRAIL, "org-trail"), "org-trail: archive"]],
        );
    });

    it("matches every class of a list, and `asType` narrows to one", async () => {
        const kinds = policy(
            validateResourcesOf(S3_BUCKETS, (_bucket, args, reportViolation) => {
                reportViolation(`${args.name} ${args.asType(aws.s3.BucketV2) ? "v2" : "v1"}`);
            }),
        );
        const violations = await runRule(kinds, [
            { type: BUCKET, name: "a", inputs: {} },
            { type: BUCKET_V2, name: "b", inputs: {} },
            { type: TRAIL, name: "c", inputs: {} },
        ]);
        assert.deepStrictEqual(
            violations.map((v) => v.message),
            ["a v1", "b v2"],
        );
    });

    it("skips resources exempt by name or URN pattern with a reason, and ignores an exemption without one", async () => {
        const trails = [
            { type: TRAIL, name: "org-trail", inputs: { s3BucketName: "archive" } },
            { type: TRAIL, name: "sandbox-trail", inputs: { s3BucketName: "sandbox" } },
        ];
        const judged = async (exemptResources: ExemptionConfig["exemptResources"]) =>
            (await runRule(trailBuckets, trails, { exemptResources })).map((v) => v.message);
        assert.deepStrictEqual(await judged({ "org-trail": "ticket SEC-1" }), ["sandbox-trail: sandbox"]);
        assert.deepStrictEqual(await judged({ "urn:pulumi:test::*::sandbox-?rail": "ticket SEC-2" }), ["org-trail: archive"]);
        assert.deepStrictEqual(await judged({ "org-trail": " " }), ["org-trail: archive", "sandbox-trail: sandbox"]);
    });

    it("leaves a resource whose value is unknown unjudged, and still judges the others", async () => {
        const violations = await runRule(trailBuckets, [
            { type: TRAIL, name: "later", inputs: { s3BucketName: UNKNOWN_VALUES.unknownStringValue } },
            { type: TRAIL, name: "org-trail", inputs: { s3BucketName: "archive" } },
        ]);
        assert.deepStrictEqual(
            violations.map((v) => v.message),
            ["org-trail: archive"],
        );
    });

    it("ends quietly itself on an unknown read, as the analyzer hands props (no error reaches the CLI)", () => {
        // The analyzer wraps props in this proxy; a read of an unknown value throws UnknownValueError.
        const { unknownCheckingProxy } = require("@pulumi/policy/proxy") as { unknownCheckingProxy<T extends object>(props: T): T };
        const reported: string[] = [];
        const args = {
            type: TRAIL,
            name: "later",
            urn: urnOf(TRAIL, "later"),
            props: unknownCheckingProxy({ s3BucketName: UNKNOWN_VALUES.unknownStringValue }),
            isType: (cls: { __pulumiType?: string }) => cls.__pulumiType === TRAIL,
            getConfig: () => ({ exemptResources: {} }),
        };
        const validate = trailBuckets.validateResource as (args: unknown, report: (message: string) => void) => void;
        assert.doesNotThrow(() => validate(args, (message) => reported.push(message)));
        assert.deepStrictEqual(reported, []);
    });

    it("lets any other error fail the run, naming the rule and the resource", async () => {
        const broken = policy(
            validateResourcesOf([aws.cloudtrail.Trail], () => {
                throw new Error("bad rule");
            }),
        );
        await assert.rejects(runRule(broken, { type: TRAIL, name: "org-trail", inputs: {} }), {
            message: `policy test-rule failed on ${urnOf(TRAIL, "org-trail")}: bad rule`,
        });
    });

    it("validateEveryResource sees every type, minus the exempt resources", async () => {
        const every = policy(validateEveryResource((args, reportViolation) => reportViolation(args.type)));
        const resources = [
            { type: TRAIL, name: "org-trail", inputs: {} },
            { type: BUCKET, name: "archive", inputs: {} },
        ];
        assert.deepStrictEqual(
            (await runRule(every, resources)).map((v) => v.message),
            [TRAIL, BUCKET],
        );
        assert.deepStrictEqual(
            (await runRule(every, resources, { exemptResources: { archive: "ticket SEC-3" } })).map((v) => v.message),
            [TRAIL],
        );
    });

    it("judgedResources hands a stack rule the resources that are not exempt", async () => {
        const names: StackValidationPolicy = {
            name: "test-stack-rule",
            description: "Test.",
            enforcementLevel: "mandatory",
            configSchema: { properties: { exemptResources: EXEMPT_RESOURCES_SCHEMA } },
            validateStack: (args, reportViolation) =>
                reportViolation(
                    judgedResources(args)
                        .map((r) => r.name)
                        .join(","),
                ),
        };
        const resources = ["a", "b", "c"].map((name) => fakeResource({ type: BUCKET, name, inputs: {} }));
        const run = async (exemptResources: Record<string, string>) =>
            (await runPolicies([names], resources, { config: { [names.name]: { exemptResources } } })).map((v) => v.message);
        assert.deepStrictEqual(await run({}), ["a,b,c"]);
        assert.deepStrictEqual(await run({ b: "ticket SEC-4" }), ["a,c"]);
    });
});
