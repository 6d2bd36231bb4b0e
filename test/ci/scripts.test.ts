import * as assert from "assert";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { parse } from "yaml";
import { loadStackConfig } from "../../infra/config";
import { ACCOUNT_PREVIEW_ROLE_NAME, accountDeployerRoleArns, previewRoleArnOf } from "../../infra/deployment";
import { previewNote } from "../../ci/scripts/post-preview-note";
import { PREVIEW_ROLE_NAME, previewStackConfig, writePreviewConfig } from "../../ci/scripts/preview-config";
import { tokenExchangeRequest } from "../../ci/scripts/pulumi-login";
import { ROOT, stackConfig } from "../support/harness";

const stackFile = (stack: string) => parse(fs.readFileSync(path.join(ROOT, `Pulumi.${stack}.yaml`), "utf8"));
const unprefixed = (doc: any) => Object.fromEntries(Object.entries(doc.config).map(([k, v]) => [k.replace(/^org-logging:/, ""), v]));

describe("ci/scripts", () => {
    describe("preview-config", () => {
        for (const stack of ["production", "integration"]) {
            it(`swaps every account role of ${stack} for the read-only role the preview role may assume, and nothing else`, () => {
                const original = stackFile(stack);
                const { doc, swapped } = previewStackConfig(original);
                const deployers = accountDeployerRoleArns(stackConfig(stack));
                assert.deepStrictEqual(swapped, deployers.map((arn) => [arn, previewRoleArnOf(arn)]), "exactly the roles the pipeline preview role may assume");
                const preview = loadStackConfig(unprefixed(doc), "preview");
                assert.deepStrictEqual(accountDeployerRoleArns(preview), deployers.map(previewRoleArnOf));
                const strip = (config: any) => JSON.stringify(config, (key, value) => (key === "roleArn" ? undefined : value));
                assert.strictEqual(strip(doc), strip(original), "all other config is unchanged");
                assert.ok(JSON.stringify(original).includes("OrgLoggingDeployer"), "the input is not modified");
            });
        }

        it("uses the role name the bootstrap template and the program use", () => {
            assert.strictEqual(PREVIEW_ROLE_NAME, ACCOUNT_PREVIEW_ROLE_NAME);
        });

        it("refuses a stack file with no account role, so a preview never runs with deployer rights by accident", () => {
            assert.throws(() => previewStackConfig({ config: { "org-logging:region": "eu-west-1" } }), {
                message: "preview-config: no account role found to swap; a preview would run with the deployer roles",
            });
            assert.throws(() => previewStackConfig({ config: { "org-logging:accounts": { management: { id: "1", roleArn: "arn:aws:iam::111111111111:user/bob" } } } }), {
                message: 'preview-config: org-logging:accounts.management.roleArn ("arn:aws:iam::111111111111:user/bob") is not an IAM role ARN',
            });
        });

        it("writes the file pulumi preview --config-file reads", () => {
            const out = path.join(fs.mkdtempSync(path.join(os.tmpdir(), "preview-config-")), "Pulumi.production.preview.yaml");
            const swapped = writePreviewConfig("production", out, ROOT);
            assert.deepStrictEqual(swapped[0], ["arn:aws:iam::111111111111:role/OrgLoggingDeployer", "arn:aws:iam::111111111111:role/OrgLoggingPreview"]);
            assert.deepStrictEqual(parse(fs.readFileSync(out, "utf8")), previewStackConfig(stackFile("production")).doc);
        });
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
});
