import * as assert from "assert";
import { asPolicyDocument, diffPlans, formatPlanChanges, readEarlierPlan, valueChanges } from "../../tools/plan-diff";
import type { PlannedResource } from "../../tools/plan-report";

const OPTIONS = { protect: false, retainOnDelete: false, ignoreChanges: [], deleteBeforeReplace: false, dependsOn: [] };

function resource(name: string, inputs: Record<string, unknown>, extra: Partial<PlannedResource> = {}): PlannedResource {
    return {
        urn: `urn:pulumi:production::org-logging::aws:s3/bucketPolicy:BucketPolicy::${name}`,
        type: "aws:s3/bucketPolicy:BucketPolicy",
        name,
        account: "222222222222",
        inputs,
        options: OPTIONS,
        ...extra,
    };
}

const policy = (...statements: Record<string, unknown>[]) => JSON.stringify({ Version: "2012-10-17", Statement: statements });
const tls = {
    Sid: "DenyInsecureTransport",
    Effect: "Deny",
    Principal: "*",
    Action: "s3:*",
    Resource: "arn:aws:s3:::b/*",
    Condition: { Bool: { "aws:SecureTransport": "false" } },
};
const write = {
    Sid: "OrgTrailWrite",
    Effect: "Allow",
    Principal: { Service: "cloudtrail.amazonaws.com" },
    Action: "s3:PutObject",
    Resource: "arn:aws:s3:::b/AWSLogs/o-1/*",
};

describe("tools/plan-diff: comparing two plans", () => {
    it("finds creates, deletes and updates by URN, in the later plan's order with deletes last, and ignores reads", () => {
        const kept = resource("kept", { bucket: "b" });
        const before = {
            resources: [
                resource("gone", { bucket: "g" }),
                kept,
                resource("edited", { bucket: "e", tags: { Env: "a" } }),
                resource("ref", {}, { read: true }),
            ],
        };
        const after = {
            resources: [
                resource("new", { bucket: "n" }),
                resource("edited", { tags: { Env: "b" }, bucket: "e" }),
                kept,
                resource("ref2", {}, { read: true }),
            ],
        };
        assert.deepStrictEqual(
            diffPlans(before, after).map((c) => [c.action, c.urn.split("::").pop(), c.paths]),
            [
                ["create", "new", []],
                ["update", "edited", ["tags.Env"]],
                ["delete", "gone", []],
            ],
        );
    });

    it("counts a different provider as an update and key order of objects as no change", () => {
        const before = { resources: [resource("r", { a: 1, b: { c: [1, 2], d: "x" } }, { provider: "urn:p1" })] };
        const same = { resources: [resource("r", { b: { d: "x", c: [1, 2] }, a: 1 }, { provider: "urn:p1" })] };
        const moved = { resources: [resource("r", { a: 1, b: { c: [1, 2], d: "x" } }, { provider: "urn:p2" })] };
        assert.deepStrictEqual(diffPlans(before, same), []);
        assert.deepStrictEqual(diffPlans(before, moved)[0].paths, ["provider"]);
    });

    it("names array elements, keys that are not identifiers, and added or removed values", () => {
        assert.deepStrictEqual(
            valueChanges(
                { ingress: [{ port: 1 }, { port: 2 }], tags: { "aws:cloudformation": "x" } },
                { ingress: [{ port: 1 }, { port: 3 }, { port: 4 }], tags: {} },
                "",
            ),
            [
                { path: "ingress[1].port", before: 2, after: 3 },
                { path: "ingress[2]", after: { port: 4 } },
                { path: 'tags["aws:cloudformation"]', before: "x" },
            ],
        );
    });

    it("diffs a policy document (JSON text or object) statement by statement, by Sid", () => {
        const before = policy(tls, write);
        const after = policy(
            { ...write, Condition: { StringEquals: { "aws:SourceArn": "arn:aws:cloudtrail:eu-west-1:1:trail/t" } } },
            { Sid: "New", Effect: "Allow", Principal: "*", Action: "s3:GetObject", Resource: "*" },
        );
        assert.deepStrictEqual(
            valueChanges(before, after, "policy").map((c) => c.path),
            ['policy.Statement["OrgTrailWrite"].Condition', 'policy.Statement["New"]', 'policy.Statement["DenyInsecureTransport"]'],
        );
        // Reordering statements is no change; the same document as an object compares the same way.
        assert.deepStrictEqual(valueChanges(policy(tls, write), policy(write, tls), "policy"), []);
        assert.deepStrictEqual(
            valueChanges(JSON.parse(before), JSON.parse(policy(tls, { ...write, Action: ["s3:PutObject"] })), "content").map((c) => c.path),
            ['content.Statement["OrgTrailWrite"].Action'],
        );
    });

    it("matches statements without a Sid by content first, then by position", () => {
        const a = {
            Effect: "Allow",
            Principal: { Service: "delivery.logs.amazonaws.com" },
            Action: "s3:PutObject",
            Resource: "arn:aws:s3:::elb/*",
        };
        const b = { Effect: "Allow", Principal: { AWS: "arn:aws:iam::1:root" }, Action: "s3:GetBucketAcl", Resource: "arn:aws:s3:::elb" };
        // `a` moved behind `b`: no change. `b` gains a condition: one change at its new position.
        assert.deepStrictEqual(valueChanges(policy(a, b), policy(b, a), "policy"), []);
        const changed = valueChanges(policy(a, b), policy({ ...b, Condition: { Bool: { "aws:SecureTransport": "true" } } }, a), "policy");
        assert.deepStrictEqual(
            changed.map((c) => c.path),
            ["policy.Statement[0].Condition"],
        );
        assert.deepStrictEqual(
            valueChanges(policy(a), policy(a, b), "policy").map((c) => [c.path, c.before, c.after]),
            [["policy.Statement[1]", undefined, b]],
        );
    });

    it("recognises trust, inline, topic and SCP documents, a single Statement object included, and nothing else", () => {
        assert.ok(asPolicyDocument(policy(tls)));
        assert.strictEqual(asPolicyDocument({ Version: "2012-10-17", Statement: tls })?.statements.length, 1);
        assert.strictEqual(asPolicyDocument('{"Rules": []}'), undefined);
        assert.strictEqual(asPolicyDocument("arn:aws:s3:::b"), undefined);
        assert.strictEqual(asPolicyDocument("{not json"), undefined);
        // A policy that replaces plain text is one change of the whole value.
        assert.deepStrictEqual(
            valueChanges("", policy(tls), "policy").map((c) => c.path),
            ["policy"],
        );
    });

    it("prints the comparison with the counts, one line per resource and before → after per changed value", () => {
        const before = { resources: [resource("edited", { policy: policy(tls, write) }), resource("gone", {})] };
        const after = { stack: "production", resources: [resource("edited", { policy: policy(tls) }), resource("new", { bucket: "n" })] };
        assert.strictEqual(
            formatPlanChanges(diffPlans(before, after), before, after, "main.json"),
            [
                "Changes against main.json (stack production): 1 to create, 1 to delete, 1 to update",
                "  ~ aws:s3/bucketPolicy:BucketPolicy edited  (account 222222222222)",
                `      policy.Statement["OrgTrailWrite"]: removed ${JSON.stringify(write).slice(0, 99)}…`,
                "  + aws:s3/bucketPolicy:BucketPolicy new  (account 222222222222)",
                "  - aws:s3/bucketPolicy:BucketPolicy gone  (account 222222222222)",
                "",
            ].join("\n"),
        );
        assert.strictEqual(
            formatPlanChanges([], before, { ...before, stack: "production" }, "main.json"),
            "Changes against main.json (stack production): 0 to create, 0 to delete, 0 to update\n  no differences\n",
        );
    });

    it("refuses an earlier plan that is not JSON or not a plan document, naming how to save one", () => {
        const save = "save the earlier plan with npm run plan -- --stack <name> --json > plan.json";
        assert.throws(
            () => readEarlierPlan("Plan of org-logging"),
            (err: Error) => err.message.startsWith("not JSON (") && err.message.endsWith(`); ${save}`),
        );
        assert.throws(() => readEarlierPlan('{"violations": []}'), {
            message: `not a plan document (no \`stack\` and \`resources\`); ${save}`,
        });
        assert.throws(() => readEarlierPlan('{"stack": "p", "resources": [{"urn": "u"}]}'), {
            message: `resources[0] has no \`urn\` and \`inputs\`; ${save}`,
        });
        assert.strictEqual(readEarlierPlan('{"stack": "p", "resources": []}').stack, "p");
    });
});
