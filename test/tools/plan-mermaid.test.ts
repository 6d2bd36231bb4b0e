import * as assert from "assert";
import * as fs from "fs";
import * as path from "path";
import { formatPlanMermaid, ResourceDetails } from "../../tools/plan-mermaid";
import { parseArgs } from "../../tools/plan";
import type { PlannedResource, PlanReport } from "../../tools/plan-report";
import { runPlanCli } from "../support/cli";
import { ROOT, stackConfig } from "../support/harness";

const STACK = "urn:pulumi:test::org-logging::pulumi:pulumi:Stack::org-logging-test";
const urn = (type: string, name: string) => `urn:pulumi:test::org-logging::${type}::${name}`;

function resource(type: string, name: string, account: string | undefined, extra: Partial<PlannedResource> = {}): PlannedResource {
    const custom = !type.startsWith("orglog:") && !type.startsWith("pulumi:pulumi:");
    return {
        urn: urn(type, name),
        type,
        name,
        account,
        region: "eu-west-1",
        parent: STACK,
        provider: custom ? `urn:provider-${account}` : undefined,
        inputs: {},
        options: { protect: false, retainOnDelete: false, ignoreChanges: [], deleteBeforeReplace: false, dependsOn: [] },
        ...extra,
    };
}

/** A trail in the management account writing into an archive bucket whose policy names the trail and a workload account. */
function sample(): { report: PlanReport; details: ResourceDetails[] } {
    const archive = resource("orglog:index:LogArchiveAccount", "log-archive", "222222222222");
    const trail = resource("orglog:index:OrgTrail", "org-trail", "111111111111");
    const bucket = resource("aws:s3/bucket:Bucket", "log-archive-trail-bucket", "222222222222", { parent: archive.urn });
    const policy = resource("aws:s3/bucketPolicy:BucketPolicy", "log-archive-trail-bucket-policy", "222222222222", {
        parent: archive.urn,
        inputs: {
            policy: JSON.stringify({
                Statement: [
                    {
                        Sid: "OrgTrailWrite",
                        Condition: { StringEquals: { "aws:SourceArn": "arn:aws:cloudtrail:eu-west-1:111111111111:trail/org-logging" } },
                    },
                    { Sid: "Workloads", Principal: { AWS: ["arn:aws:iam::444444444444:root", "arn:aws:iam::156460612806:root"] } },
                ],
            }),
        },
    });
    const cloudTrail = resource("aws:cloudtrail/trail:Trail", "org-trail", "111111111111", {
        parent: trail.urn,
        inputs: { s3BucketName: "log-archive-trail-bucket-1" },
    });
    const topic = resource("aws:sns/topic:Topic", "alerts", "111111111111");
    const providers = ["management", "log-archive", "workload-payments"].map((label, i) =>
        resource("pulumi:providers:aws", `aws-${label}`, ["111111111111", "222222222222", "444444444444"][i], { provider: undefined }),
    );
    const report: PlanReport = {
        stack: "test",
        program: "org-logging",
        resources: [
            resource("pulumi:pulumi:Stack", "org-logging-test", undefined, { parent: undefined }),
            ...providers,
            archive,
            bucket,
            policy,
            trail,
            cloudTrail,
            topic,
        ],
        violations: [],
        outputs: {},
    };
    const details: ResourceDetails[] = [
        { urn: bucket.urn, state: { arn: "arn:aws:s3:::log-archive-trail-bucket-1" } },
        {
            urn: cloudTrail.urn,
            state: { arn: "arn:aws:cloudtrail:eu-west-1:111111111111:trail/org-logging" },
            dependencies: [bucket.urn, policy.urn],
            propertyDependencies: { s3BucketName: [bucket.urn] },
        },
    ];
    return { report, details };
}

describe("tools/plan-mermaid", () => {
    it("draws one subgraph per account, components as nodes and the relations between accounts", () => {
        const { report, details } = sample();
        assert.strictEqual(
            formatPlanMermaid(report, details),
            [
                "flowchart LR",
                '  subgraph acct_111111111111["management · 111111111111"]',
                "    direction TB",
                '    n41cd05ae06["OrgTrail<br/>org-trail<br/>1 resource"]',
                '    n02c49169d6["sns Topic<br/>1 resource"]',
                "  end",
                '  subgraph acct_222222222222["log-archive · 222222222222"]',
                "    direction TB",
                '    n5f5613c046["LogArchiveAccount<br/>log-archive<br/>2 resources"]',
                "  end",
                '  acct_444444444444(["workload-payments · 444444444444"])',
                '  n41cd05ae06 -->|"s3BucketName"| n5f5613c046',
                '  n5f5613c046 -.->|"policy"| acct_444444444444',
                '  n5f5613c046 -.->|"policy"| n41cd05ae06',
                "",
            ].join("\n"),
        );
    });

    it("leaves out accounts outside the plan (AWS service accounts) and edges within one account", () => {
        const { report, details } = sample();
        const text = formatPlanMermaid(report, details);
        assert.ok(!text.includes("156460612806"), text);
        assert.strictEqual(text.match(/-->|-\.->/g)?.length, 3);
    });

    it("reads --format and keeps --json as its alias", () => {
        assert.strictEqual(parseArgs(["--stack", "production", "--format", "mermaid"]).format, "mermaid");
        assert.strictEqual(parseArgs(["--stack", "production", "--json"]).format, "json");
        assert.strictEqual(parseArgs(["--stack", "production"]).format, "text");
        assert.throws(
            () => parseArgs(["--stack", "production", "--format", "svg"]),
            /^Error: --format "svg" is not one of text, summary, json, mermaid, access\. usage: /,
        );
    });

    it("prints the production plan as a diagram grouped by the stack's accounts", async () => {
        const run = await runPlanCli(["--stack", "production", "--format", "mermaid"]);
        assert.strictEqual(run.status, 0, run.stderr);
        assert.match(run.stdout, /^flowchart LR\n/);
        const config = stackConfig("production");
        // The stack deploys into its core accounts only (the baseline StackSet reaches the others).
        const { management, logArchive, collection, audit } = config.accounts;
        const accounts = [management, logArchive, collection, ...(audit ? [audit] : [])];
        for (const account of accounts) {
            assert.match(run.stdout, new RegExp(`^  subgraph acct_${account.id}\\["[a-z-]+ · ${account.id}"\\]$`, "m"));
        }
        const nodeIn = (account: string, component: string) => {
            const block = run.stdout.split(`subgraph acct_${account}[`)[1].split("\n  end")[0];
            const id = new RegExp(`(n[0-9a-f]{10})\\["${component}<br/>`).exec(block)?.[1];
            assert.ok(id, `no ${component} node in account ${account}`);
            return id;
        };
        const trail = nodeIn(config.accounts.management.id, "OrgTrail");
        const archive = nodeIn(config.accounts.logArchive.id, "LogArchiveAccount");
        const pipeline = nodeIn(config.accounts.management.id, "PipelineDeployerRole");
        assert.match(
            run.stdout,
            new RegExp(`^  ${trail} -->\\|"[^"]*s3BucketName[^"]*"\\| ${archive}$`, "m"),
            "the trail writes into the archive bucket",
        );
        // The pipeline role assumes the deployer roles by name in any account of the organization
        // (aws:ResourceOrgID), so its policy names no account and draws no edge to one.
        assert.doesNotMatch(
            run.stdout,
            new RegExp(`^  ${pipeline} -\\.->\\|"policy"\\| acct_`, "m"),
            "the pipeline policy names no account",
        );
        // The README shows this diagram; a change of the program makes it stale.
        const readme = fs.readFileSync(path.join(ROOT, "README.md"), "utf8");
        const embedded = /<!-- plan-mermaid:begin[^>]*-->\n```mermaid\n([\s\S]*?)```\n<!-- plan-mermaid:end -->/.exec(readme)?.[1];
        assert.strictEqual(
            embedded,
            run.stdout,
            "README.md's diagram is stale: regenerate it with npm run --silent plan -- --stack production --format mermaid",
        );
    });
});
