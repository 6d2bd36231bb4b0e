import * as assert from "assert";
import { accessProofs, AccessResult, formatAccessTable, stackFacts } from "../../tools/access-proofs";
import type { PlanReport } from "../../tools/plan-report";
import { runPlanCli } from "../support/cli";
import { ROOT } from "../support/harness";

const plans = new Map<string, PlanReport & { access: AccessResult[] }>();
function planned(stack: string) {
    if (!plans.has(stack)) {
        const run = runPlanCli(["--stack", stack, "--json"]);
        assert.strictEqual(run.status, 0, run.stderr);
        plans.set(stack, JSON.parse(run.stdout));
    }
    return plans.get(stack)!;
}

/** A copy of the plan with one resource's policy document rewritten. */
function variant(report: PlanReport, name: string, property: string, edit: (doc: any) => void): PlanReport {
    const copy: PlanReport = JSON.parse(JSON.stringify(report));
    const resource = copy.resources.find((r) => r.name === name)!;
    assert.ok(resource, name);
    const doc = JSON.parse((resource.inputs as any)[property]);
    edit(doc);
    (resource.inputs as any)[property] = JSON.stringify(doc);
    return copy;
}

const row = (results: AccessResult[], promise: string | RegExp) => {
    const found = results.filter((r) => (typeof promise === "string" ? r.promise === promise : promise.test(r.promise)));
    assert.ok(found.length > 0, `no row ${promise}`);
    return found;
};

describe("tools/access-proofs", function () {
    this.timeout(60000);

    for (const stack of ["production", "integration"]) {
        it(`keeps every promise of the ${stack} stack, in the JSON's access array`, () => {
            const { access } = planned(stack);
            assert.ok(access.length > 10);
            for (const r of access) {
                assert.deepStrictEqual(Object.keys(r).slice(0, 7), ["promise", "principal", "action", "resource", "expected", "decision", "holds"]);
            }
            assert.deepStrictEqual(access.filter((r) => !r.holds), []);
        });
    }

    it("has a row for each protection and delivery path of production", () => {
        const { access } = planned("production");
        const expect = (promise: string | RegExp, decision: string) => row(access, promise).forEach((r) => assert.strictEqual(r.decision, decision, r.promise));
        expect("CloudTrail decrypts with the trail key (S3 Bucket Key)", "Allowed");
        expect("a restore of an archived trail object is not denied", "Allowed");
        expect("CloudTrail assumes the CloudWatch Logs delivery role for the trail", "Allowed");
        expect(/^GitHub cannot publish collector config/, "Denied");
        expect(/^nobody shortens a .* object's retention$/, "Denied");
        expect("nobody changes the trail bucket (PutBucketRequestPayment)", "Denied");
        expect("nobody creates an access point in the archive account", "Denied");
        expect("nobody grants the trail key (CreateGrant)", "Denied");
        expect("nobody tags the archive's break-glass role", "Denied");
        expect("a member account's break-glass role may repair the organization trail", "Allowed");
        expect("a team's own trail stays the team's", "Allowed");
        expect(/^no member account stops or changes the organization trail/, "Denied");
        expect("the investigator reads archived trail logs", "Allowed");
        expect("the investigator deletes nothing", "Denied");
        expect("collectors cannot read another environment's secrets", "Denied");
    });

    it("prints the table with holds/broken and a count", () => {
        const text = formatAccessTable(planned("production").access);
        assert.match(text, /^promise\s+principal\s+decision\s+expected\s+result\n/);
        assert.match(text, /CloudTrail decrypts with the trail key \(S3 Bucket Key\)\s+cloudtrail\.amazonaws\.com\s+Allowed\s+Allowed\s+holds/);
        assert.match(text, /\n\d+ promises, 0 broken\n$/);
    });

    describe("broken variants turn their rows broken", () => {
        const facts = stackFacts(ROOT, "production");
        const broken = async (report: PlanReport) => (await accessProofs(report, facts)).filter((r) => !r.holds).map((r) => r.promise);

        it("without the trail key's Decrypt statement", async () => {
            const report = variant(planned("production"), "log-archive-trail-key", "policy", (doc) => {
                doc.Statement = doc.Statement.filter((s: any) => s.Sid !== "CloudTrailDecryptsForBucketKey");
            });
            assert.deepStrictEqual(await broken(report), ["CloudTrail decrypts with the trail key (S3 Bucket Key)"]);
        });

        it("with GitHub trusted again by the publisher role", async () => {
            const report = variant(planned("production"), "collectors-publisher-role", "assumeRolePolicy", (doc) => {
                doc.Statement.push({
                    Sid: "GitHubWorkflows",
                    Effect: "Allow",
                    Principal: { Federated: "arn:aws:iam::333333333333:oidc-provider/token.actions.githubusercontent.com" },
                    Action: "sts:AssumeRoleWithWebIdentity",
                    Condition: { StringEquals: { "token.actions.githubusercontent.com:aud": "sts.amazonaws.com", "token.actions.githubusercontent.com:sub": "repo:security/collector-config:ref:refs/heads/main" } },
                });
            });
            assert.deepStrictEqual(await broken(report), ["GitHub cannot publish collector config (the organization's CI is another system)"]);
        });

        it("with the archive SCP naming buckets but not their objects", async () => {
            const report = variant(planned("production"), "log-archive-scp", "content", (doc) => {
                doc.Statement[0].Resource = doc.Statement[0].Resource.filter((r: string) => !r.endsWith("/*"));
            });
            const rows = await broken(report);
            assert.ok(rows.includes("nobody deletes a trail object version"), rows.join("; "));
            assert.ok(rows.includes("nobody bypasses governance retention on trail objects"));
            assert.ok(rows.every((r) => /object/.test(r)), rows.join("; "));
        });

        it("with the archive SCP denying restores again", async () => {
            const report = variant(planned("production"), "log-archive-scp", "content", (doc) => {
                doc.Statement[0].Action.push("s3:RestoreObject");
            });
            assert.ok((await broken(report)).includes("a restore of an archived trail object is not denied"));
        });

        it("with the trail SCP excepting only the management account's role on every trail", async () => {
            const report = variant(planned("production"), "org-trail-scp", "content", (doc) => {
                doc.Statement[0].Resource = "*";
                doc.Statement[0].Condition.ArnNotLike["aws:PrincipalARN"] = ["arn:aws:iam::111111111111:role/OrgLoggingBreakGlass"];
            });
            assert.deepStrictEqual(await broken(report), ["a member account's break-glass role may repair the organization trail", "a team's own trail stays the team's"]);
        });
    });

    it("--format access prints the integration table and exits 0 when every promise holds", () => {
        const run = runPlanCli(["--stack", "integration", "--format", "access"]);
        assert.strictEqual(run.status, 0, run.stderr);
        assert.match(run.stdout, /promises, 0 broken/);
    });
});
