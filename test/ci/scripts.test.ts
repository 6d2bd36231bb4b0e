import * as assert from "assert";
import * as fs from "fs";
import * as path from "path";
import { ACCOUNT_PREVIEW_ROLE_NAME, accountDeployerRoleArns, previewRoleArnOf } from "../../infra/deployment";
import { previewNote } from "../../ci/scripts/post-preview-note";
import { fetchBasePlan } from "../../ci/scripts/fetch-base-plan";
import * as http from "http";
import * as os from "os";
import { PREVIEW_ROLE_NAME, providerRoleArn } from "../../infra/accounts";
import type { AccountConfig } from "../../infra/config";
import { tokenExchangeRequest } from "../../ci/scripts/pulumi-login";
import { ROOT, stackConfig } from "../support/harness";

describe("ci/scripts", () => {
    describe("preview roles (ORG_LOGGING_PREVIEW)", () => {
        for (const stack of ["production", "integration"]) {
            it(`gives every provider of ${stack} the read-only twin of its deployer role, exactly the roles the pipeline preview role may assume`, () => {
                const config = stackConfig(stack);
                const { management, logArchive, collection } = config.accounts;
                const accounts: Array<[string, AccountConfig]> = [
                    ["management", management],
                    ["log-archive", logArchive],
                    ["collection", collection],
                ];
                for (const w of config.workloadAccounts) {
                    if (w.roleArn) {
                        accounts.push([`workload-${w.name}`, { id: w.id, roleArn: w.roleArn }]);
                    }
                }
                const preview = accounts.map(([key, account]) => providerRoleArn(key, account, config, { ORG_LOGGING_PREVIEW: "true" }));
                assert.deepStrictEqual(preview, accountDeployerRoleArns(config).map(previewRoleArnOf));
                assert.deepStrictEqual(
                    accounts.map(([key, account]) => providerRoleArn(key, account, config, {})),
                    accountDeployerRoleArns(config),
                );
            });
        }

        it("uses the role name the bootstrap template and the pipeline preview role use", () => {
            assert.strictEqual(PREVIEW_ROLE_NAME, ACCOUNT_PREVIEW_ROLE_NAME);
            assert.ok(fs.readFileSync(path.join(ROOT, "ci/bootstrap/org-logging-account-roles.yaml"), "utf8").includes(PREVIEW_ROLE_NAME));
        });

        it("refuses both overrides at once", () => {
            const config = stackConfig("production");
            assert.throws(
                () =>
                    providerRoleArn("management", config.accounts.management, config, {
                        ORG_LOGGING_PREVIEW: "true",
                        ORG_LOGGING_BREAK_GLASS: "true",
                    }),
                {
                    message:
                        "ORG_LOGGING_PREVIEW and ORG_LOGGING_BREAK_GLASS are both true. A preview never needs the break-glass role; unset one",
                },
            );
        });
    });

    it("pulumi-login asks for a team token (the team's stack permissions only) when PULUMI_TOKEN_TEAM is set", () => {
        const request = tokenExchangeRequest("https://api.pulumi.com", "example-org", "eyJ.id.token", 3600, "org-logging-preview");
        assert.strictEqual(request.body.requested_token_type, "urn:pulumi:token-type:access_token:team");
        assert.strictEqual(request.body.scope, "team:org-logging-preview");
        assert.strictEqual(request.body.expiration, 3600);
    });

    it("pulumi-login asks Pulumi Cloud for a short-lived organization token in exchange for the job's ID token", () => {
        assert.deepStrictEqual(tokenExchangeRequest("https://api.pulumi.com/", "example-org", "eyJ.id.token"), {
            url: "https://api.pulumi.com/api/oauth/token",
            body: {
                audience: "urn:pulumi:org:example-org",
                grant_type: "urn:ietf:params:oauth:grant-type:token-exchange",
                subject_token_type: "urn:ietf:params:oauth:token-type:id_token",
                requested_token_type: "urn:pulumi:token-type:access_token:organization",
                expiration: 7200,
                scope: "",
                subject_token: "eyJ.id.token",
            },
        });
    });

    describe("post-preview-note", () => {
        it("folds the preview into a diff block under a heading naming the stack and the commit", () => {
            assert.strictEqual(
                previewNote("\u001b[32m+ aws:s3/bucket:Bucket\u001b[0m\nPolicies: none\n", "production", "0a1b2c3d"),
                [
                    "#### `pulumi preview` of stack `production` at 0a1b2c3d",
                    "",
                    "<details><summary>Changes and policy report</summary>",
                    "",
                    "```diff",
                    "+ aws:s3/bucket:Bucket",
                    "Policies: none",
                    "```",
                    "",
                    "</details>",
                    "",
                ].join("\n"),
            );
        });

        it("keeps the end of a long preview, where the summary and the policy report are", () => {
            const note = previewNote(`${"x".repeat(50)}SUMMARY`, "integration", "abc", 20);
            assert.ok(note.includes("… (37 earlier characters are in the job artifact)\n" + "x".repeat(13) + "SUMMARY"), note);
        });
    });

    describe("fetch-base-plan", () => {
        it("downloads the target branch's plan-<stack>.json of the test job, and says why when there is none", async () => {
            const requests: Array<{ url?: string; token?: string | string[] }> = [];
            const server = http.createServer((req, res) => {
                requests.push({ url: req.url, token: req.headers["job-token"] ?? req.headers["private-token"] });
                if (req.url === "/api/v4/projects/42/jobs/artifacts/main/raw/plan-production.json?job=test") {
                    res.end('{"stack": "production", "resources": []}');
                } else {
                    res.statusCode = 404;
                    res.end('{"message": "404 Not found"}');
                }
            });
            await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
            try {
                const port = (server.address() as { port: number }).port;
                const env = {
                    CI_API_V4_URL: `http://127.0.0.1:${port}/api/v4`,
                    CI_PROJECT_ID: "42",
                    CI_MERGE_REQUEST_TARGET_BRANCH_NAME: "main",
                    STACK: "production",
                    CI_JOB_TOKEN: "job-token",
                };
                const output = path.join(fs.mkdtempSync(path.join(os.tmpdir(), "base-plan-")), "plan-base.json");
                assert.deepStrictEqual(await fetchBasePlan(output, env), { ok: true });
                assert.strictEqual(JSON.parse(fs.readFileSync(output, "utf8")).stack, "production");
                assert.deepStrictEqual(await fetchBasePlan(output, { ...env, STACK: "integration", PREVIEW_NOTE_TOKEN: "project-token" }), {
                    ok: false,
                    reason: "no plan-integration.json of the last test job on main to compare with (HTTP 404); it appears once a pipeline of that branch has passed",
                });
                assert.deepStrictEqual(
                    requests.map((r) => r.token),
                    ["job-token", "project-token"],
                    "the project token when there is one",
                );
                await assert.rejects(fetchBasePlan(output, { STACK: "production" }), {
                    message:
                        "CI_API_V4_URL, CI_PROJECT_ID, CI_MERGE_REQUEST_TARGET_BRANCH_NAME not set; run in a merge request pipeline with STACK set",
                });
            } finally {
                server.close();
            }
        });

        it("posts the comparison in the same note, after the preview", () => {
            const note = previewNote(
                "+ aws:s3/bucket:Bucket\n",
                "production",
                "0a1b2c3d",
                1000,
                "Changes against plan-base.json (stack production): 0 to create, 0 to delete, 1 to update\n",
            );
            assert.ok(
                note.endsWith(
                    [
                        "</details>",
                        "",
                        "<details><summary>Offline plan compared with the target branch (npm run plan -- --against)</summary>",
                        "",
                        "```diff",
                        "Changes against plan-base.json (stack production): 0 to create, 0 to delete, 1 to update",
                        "```",
                        "",
                        "</details>",
                        "",
                    ].join("\n"),
                ),
                note,
            );
        });
    });
});
