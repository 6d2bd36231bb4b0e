import * as assert from "assert";
import type { PipelineDeployerRoleArgs } from "../../components/pipeline-deployer-role";
import { ofType, policyOf, RecordedResource, runUnderMocks, single, statement } from "../support/harness";

const MANAGEMENT = "111111111111";
const ACCOUNTS = [MANAGEMENT, "222222222222", "333333333333", "444444444444"];
const DEPLOYERS = ACCOUNTS.map((a) => `arn:aws:iam::${a}:role/OrgLoggingDeployer`);
const PREVIEWERS = ACCOUNTS.map((a) => `arn:aws:iam::${a}:role/OrgLoggingPreview`);
const STATE_KEY = `arn:aws:kms:eu-west-1:${MANAGEMENT}:key/0a1b2c3d-1111-2222-3333-444455556666`;

const GITLAB: PipelineDeployerRoleArgs = {
    ciSystem: "gitlab",
    repository: "security/platform/org-logging",
    deployBranch: "main",
    environment: "production",
    deployerRoleArns: DEPLOYERS,
    previewRoleArns: PREVIEWERS,
};

async function build(args: PipelineDeployerRoleArgs): Promise<RecordedResource[]> {
    const aws = await import("@pulumi/aws");
    const { PipelineDeployerRole } = await import("../../components/pipeline-deployer-role");
    const { resources } = await runUnderMocks(() => {
        const management = new aws.Provider("management", {
            region: "eu-west-1",
            assumeRoles: [{ roleArn: `arn:aws:iam::${MANAGEMENT}:role/OrgLoggingDeployer` }],
            allowedAccountIds: [MANAGEMENT],
        });
        const component = new PipelineDeployerRole("pipeline", args, { provider: management });
        return component.role.arn;
    });
    return resources;
}

const role = (resources: RecordedResource[], name: string) => single(resources, "aws:iam/role:Role", name);
const rolePolicy = (resources: RecordedResource[], name: string) => single(resources, "aws:iam/rolePolicy:RolePolicy", name).inputs.policy;

describe("components/PipelineDeployerRole", () => {
    describe("GitLab, with a preview role and Pulumi Cloud state", () => {
        let resources: RecordedResource[];
        before(async () => {
            resources = await build(GITLAB);
        });

        it("creates one OIDC provider, two named roles and their policies, all in the management account", () => {
            assert.strictEqual(ofType(resources, "aws:iam/openIdConnectProvider:OpenIdConnectProvider").length, 1);
            assert.deepStrictEqual(
                ofType(resources, "aws:iam/role:Role")
                    .map((r) => [r.name, r.inputs.name, r.inputs.maxSessionDuration])
                    .sort(),
                [
                    ["pipeline-preview-role", "OrgLoggingPipelinePreview-production", 3600],
                    ["pipeline-role", "OrgLoggingPipeline-production", 3600],
                ],
            );
            assert.deepStrictEqual(
                ofType(resources, "aws:iam/rolePolicy:RolePolicy")
                    .map((r) => r.name)
                    .sort(),
                ["pipeline-preview-role-policy", "pipeline-role-policy"],
            );
            for (const r of resources.filter((r) => r.custom && !r.type.startsWith("pulumi:providers:"))) {
                assert.strictEqual(r.account, MANAGEMENT, r.name);
                assert.ok(r.parent?.endsWith("orglog:index:PipelineDeployerRole::pipeline"), `${r.name} parent ${r.parent}`);
            }
            assert.strictEqual(single(resources, "orglog:index:PipelineDeployerRole").account, MANAGEMENT);
        });

        it("trusts GitLab.com for the sts.amazonaws.com audience, without thumbprints", () => {
            const provider = single(resources, "aws:iam/openIdConnectProvider:OpenIdConnectProvider", "pipeline-oidc-provider");
            assert.strictEqual(provider.inputs.url, "https://gitlab.com");
            assert.deepStrictEqual(provider.inputs.clientIdLists, ["sts.amazonaws.com"]);
            assert.strictEqual(provider.inputs.thumbprintLists, undefined);
        });

        it("lets only jobs of the deploy branch of this project assume the deploy role", () => {
            const trust = policyOf(role(resources, "pipeline-role").inputs.assumeRolePolicy);
            assert.deepStrictEqual(trust.Statement, [
                {
                    Sid: "DeployJobsOfTheDeployBranch",
                    Effect: "Allow",
                    Principal: { Federated: `arn:aws:iam::${MANAGEMENT}:oidc-provider/gitlab.com` },
                    Action: "sts:AssumeRoleWithWebIdentity",
                    Condition: {
                        StringEquals: {
                            "gitlab.com:aud": "sts.amazonaws.com",
                            "gitlab.com:sub": "project_path:security/platform/org-logging:ref_type:branch:ref:main",
                        },
                    },
                },
            ]);
        });

        it("lets the deploy role do nothing but assume each account's OrgLoggingDeployer role", () => {
            const policy = policyOf(rolePolicy(resources, "pipeline-role-policy"));
            assert.deepStrictEqual(policy.Statement, [
                { Sid: "AssumeAccountDeployerRoles", Effect: "Allow", Action: "sts:AssumeRole", Resource: DEPLOYERS },
            ]);
        });

        it("lets merge request jobs of any branch of this project assume the preview role, which only reaches the read-only roles", () => {
            const trust = statement(role(resources, "pipeline-preview-role").inputs.assumeRolePolicy, "PreviewJobsOfThisRepository");
            assert.deepStrictEqual(trust.Condition, {
                StringEquals: { "gitlab.com:aud": "sts.amazonaws.com" },
                StringLike: { "gitlab.com:sub": "project_path:security/platform/org-logging:ref_type:branch:ref:*" },
            });
            const policy = policyOf(rolePolicy(resources, "pipeline-preview-role-policy"));
            assert.deepStrictEqual(policy.Statement, [
                { Sid: "AssumeAccountPreviewRoles", Effect: "Allow", Action: "sts:AssumeRole", Resource: PREVIEWERS },
            ]);
            assert.ok(!JSON.stringify(policy).includes("OrgLoggingDeployer"), "the preview role cannot reach a deployer role");
        });
    });

    describe("GitHub, with an existing provider, a self-managed state backend and no preview role", () => {
        let resources: RecordedResource[];
        before(async () => {
            resources = await build({
                ciSystem: "github",
                repository: "example-org/org-logging",
                deployBranch: "integration",
                environment: "integration",
                oidcProviderArn: `arn:aws:iam::${MANAGEMENT}:oidc-provider/token.actions.githubusercontent.com`,
                deployerRoleArns: [...DEPLOYERS, DEPLOYERS[0]],
                stateBackend: { bucketArn: "arn:aws:s3:::org-pulumi-state", prefix: "org-logging/", secretsKeyArn: STATE_KEY },
            });
        });

        it("reuses the given provider and creates only the deploy role", () => {
            assert.strictEqual(ofType(resources, "aws:iam/openIdConnectProvider:OpenIdConnectProvider").length, 0);
            assert.deepStrictEqual(
                ofType(resources, "aws:iam/role:Role").map((r) => r.inputs.name),
                ["OrgLoggingPipeline-integration"],
            );
        });

        it("trusts the GitHub environment named after the stack (its branch rule admits the deploy branch)", () => {
            const trust = statement(role(resources, "pipeline-role").inputs.assumeRolePolicy, "DeployJobsOfTheDeployBranch");
            assert.strictEqual(trust.Principal.Federated, `arn:aws:iam::${MANAGEMENT}:oidc-provider/token.actions.githubusercontent.com`);
            assert.deepStrictEqual(trust.Condition, {
                StringEquals: {
                    "token.actions.githubusercontent.com:aud": "sts.amazonaws.com",
                    "token.actions.githubusercontent.com:sub": "repo:example-org/org-logging:environment:integration",
                },
            });
        });

        it("reads and writes only the stack state under the backend prefix and uses the secrets key", () => {
            const policy = rolePolicy(resources, "pipeline-role-policy");
            assert.deepStrictEqual(statement(policy, "AssumeAccountDeployerRoles").Resource, DEPLOYERS, "each account once");
            assert.deepStrictEqual(statement(policy, "ReadWriteStackState"), {
                Sid: "ReadWriteStackState",
                Effect: "Allow",
                Action: ["s3:GetObject", "s3:PutObject", "s3:DeleteObject"],
                Resource: "arn:aws:s3:::org-pulumi-state/org-logging/.pulumi/*",
            });
            assert.deepStrictEqual(statement(policy, "ListStackState").Resource, "arn:aws:s3:::org-pulumi-state");
            assert.deepStrictEqual(statement(policy, "UseSecretsProviderKey").Resource, STATE_KEY);
        });
    });

    it("gives the preview role read access to the state, locks only, and decrypt only", async () => {
        const { pipelinePreviewPolicy } = await import("../../components/policies/pipeline-role-policies");
        const policy = JSON.parse(
            JSON.stringify(
                pipelinePreviewPolicy({
                    previewRoleArns: PREVIEWERS,
                    stateBackend: { bucketArn: "arn:aws:s3:::state", prefix: "", secretsKeyArn: STATE_KEY },
                }),
            ),
        );
        assert.deepStrictEqual(
            policy.Statement.map((s: any) => [s.Sid, s.Action, s.Resource]),
            [
                ["AssumeAccountPreviewRoles", "sts:AssumeRole", PREVIEWERS],
                ["ListStackState", ["s3:ListBucket", "s3:GetBucketLocation"], "arn:aws:s3:::state"],
                ["ReadStackState", "s3:GetObject", "arn:aws:s3:::state/.pulumi/*"],
                ["TakeStackLocks", ["s3:PutObject", "s3:DeleteObject"], "arn:aws:s3:::state/.pulumi/locks/*"],
                ["DecryptWithSecretsProviderKey", "kms:Decrypt", STATE_KEY],
            ],
        );
    });

    it("rejects bad Args with one error naming every problem, one per line", async () => {
        const { resolvePipelineDeployerRoleArgs: validatePipelineDeployerRoleArgs } =
            await import("../../components/pipeline-deployer-role");
        assert.throws(
            () =>
                validatePipelineDeployerRoleArgs({
                    ...GITLAB,
                    ciSystem: "jenkins" as any,
                    deployBranch: "*",
                    environment: "Prod",
                    issuerUrl: "http://gitlab.example.com",
                    roleName: "a".repeat(65),
                    stateBackend: { bucketArn: "arn:aws:s3:::state", prefix: "/state", secretsKeyArn: STATE_KEY },
                }),
            {
                message:
                    'PipelineDeployerRole: `ciSystem` ("jenkins") is not a supported CI system. Use "gitlab" or "github".\n' +
                    'PipelineDeployerRole: `deployBranch` ("*") is not a branch name. Name one protected branch, such as main, without wildcards.\n' +
                    'PipelineDeployerRole: `environment` ("Prod") is not an environment name. Use 2-32 lower-case letters, digits or dashes, such as production.\n' +
                    'PipelineDeployerRole: `issuerUrl` ("http://gitlab.example.com") is not an https issuer URL. Use the issuer of the ID tokens, such as https://gitlab.example.com.\n' +
                    `PipelineDeployerRole: \`roleName\` ("${"a".repeat(65)}") is not an IAM role name. Use up to 64 letters, digits or +=,.@_-.\n` +
                    'PipelineDeployerRole: `stateBackend.prefix` ("/state") is not a key prefix. Use "" or a prefix ending in "/", such as org-logging/.',
            },
        );
        assert.throws(() => validatePipelineDeployerRoleArgs({ ...GITLAB, ciSystem: "github" }), {
            message: 'PipelineDeployerRole: `repository` ("security/platform/org-logging") is not a GitHub repository. Use owner/repo.',
        });
    });
});
