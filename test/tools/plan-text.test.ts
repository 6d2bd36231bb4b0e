import * as assert from "assert";
import { formatPlanSummary, formatPlanText, PlannedResource, PlanReport } from "../../tools/plan-report";
import { runPlanCli } from "../support/cli";

const urn = (type: string, name: string) => `urn:pulumi:s::p::${type}::${name}`;
const STACK = urn("pulumi:pulumi:Stack", "p-s");

function r(type: string, name: string, account: string, parent = STACK, extra: Partial<PlannedResource> = {}): PlannedResource {
    return {
        urn: urn(type, name),
        type,
        name,
        account,
        region: "eu-west-1",
        parent,
        inputs: {},
        options: { protect: false, retainOnDelete: false, ignoreChanges: [], deleteBeforeReplace: false, dependsOn: [] },
        ...extra,
    };
}

/** A workload account created before the core ones, a component with children, 8 siblings of one type. */
function sample(): PlanReport {
    const archive = r("orglog:index:LogArchiveAccount", "log-archive", "222222222222");
    const trail = r("orglog:index:OrgTrail", "org-trail", "111111111111");
    return {
        stack: "s",
        program: "p",
        resources: [
            r("pulumi:providers:aws", "aws-workload-payments", "444444444444"),
            r("aws:iam/role:Role", "firelens-payments-firehose", "444444444444"),
            r("pulumi:providers:aws", "aws-log-archive", "222222222222"),
            archive,
            r("aws:s3/bucket:Bucket", "log-archive-trail-bucket", "222222222222", archive.urn),
            r("aws:s3/bucketPolicy:BucketPolicy", "log-archive-trail-bucket-policy", "222222222222", archive.urn),
            r("pulumi:providers:aws", "aws-management", "111111111111"),
            trail,
            ...Array.from({ length: 8 }, (_, i) =>
                r("aws:cloudwatch/metricAlarm:MetricAlarm", `org-trail-alarm-${i}`, "111111111111", trail.urn),
            ),
            r("pulumi:pulumi:StackReference", "org", "111111111111", STACK, { read: true }),
        ],
        violations: [],
        outputs: {},
    };
}

describe("tools/plan text formats", () => {
    it("shows each account as a tree of components and children with names, core accounts first, many of a kind folded", () => {
        const text = formatPlanText(sample());
        const body = text.split("\nPolicies:")[0];
        assert.strictEqual(
            body,
            [
                "Plan of p (stack s): 17 resources in 3 accounts",
                "",
                "Account 111111111111 (management) eu-west-1: 11 resources",
                "  provider:aws aws-management",
                "  OrgTrail org-trail",
                "    8 × cloudwatch.MetricAlarm (org-trail-alarm-0 … org-trail-alarm-7)",
                "  StackReference org (read)",
                "",
                "Account 222222222222 (log-archive) eu-west-1: 4 resources",
                "  provider:aws aws-log-archive",
                "  LogArchiveAccount log-archive",
                "    s3.Bucket log-archive-trail-bucket",
                "    s3.BucketPolicy log-archive-trail-bucket-policy",
                "",
                "Account 444444444444 (workload-payments) eu-west-1: 2 resources",
                "  provider:aws aws-workload-payments",
                "  iam.Role firelens-payments-firehose",
                "",
            ].join("\n"),
        );
    });

    it("--format summary keeps the counts by type", () => {
        const text = formatPlanSummary(sample());
        assert.match(
            text,
            /^Account 111111111111 \(management\) eu-west-1: 11 resources\n {5}8 {2}aws:cloudwatch\/metricAlarm:MetricAlarm$/m,
        );
        assert.match(text, /^ {5}1 {2}aws:s3\/bucketPolicy:BucketPolicy$/m);
        assert.ok(text.indexOf("Account 111111111111") < text.indexOf("Account 444444444444"), "core accounts first");
    });

    it("plans production as a named tree by default and as counts with --format summary", async () => {
        const text = await runPlanCli(["--stack", "production"]);
        assert.strictEqual(text.status, 0, text.stderr);
        assert.match(
            text.stdout,
            /^Account 222222222222 \(log-archive\) eu-west-1: \d+ resources\n {2}provider:aws aws-log-archive\n {2}LogArchiveAccount log-archive\n/m,
        );
        assert.match(text.stdout, /^ {4}s3\.BucketPolicy log-archive-elb-logs-bucket-policy$/m);
        const accounts = [...text.stdout.matchAll(/^Account \d+ \(([\w-]+)\)/gm)].map((m) => m[1]);
        assert.deepStrictEqual(accounts.slice(0, 3), ["management", "log-archive", "collection"]);
        const summary = await runPlanCli(["--stack", "production", "--format", "summary"]);
        assert.strictEqual(summary.status, 0, summary.stderr);
        assert.match(summary.stdout, /^ +6 {2}aws:s3\/bucketPolicy:BucketPolicy$/m);
        assert.doesNotMatch(summary.stdout, /log-archive-elb-logs-bucket-policy/);
    });
});
