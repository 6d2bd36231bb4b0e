import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import {
    audienceProblem,
    branchProblem,
    CiSystem,
    DEFAULT_OIDC_AUDIENCE,
    DEFAULT_OIDC_ISSUERS,
    issuerHost,
    issuerUrlProblem,
    repositoryProblem,
} from "./internal/oidc";
import { assertNoProblems, ENVIRONMENT_NAME, KEY_PREFIX, ROLE_NAME } from "./internal/validation";
import {
    pipelineDeployPolicy,
    pipelineDeployTrustPolicy,
    pipelinePreviewPolicy,
    pipelinePreviewTrustPolicy,
} from "./policies/pipeline-role-policies";

export { DEFAULT_OIDC_ISSUERS } from "./internal/oidc";

/** Physical name of the deploy role of an environment; the accounts' `OrgLoggingDeployer` roles trust it by name. */
export function pipelineRoleName(environment: string): string {
    return `OrgLoggingPipeline-${environment}`;
}

/** Physical name of the preview role of an environment; the accounts' `OrgLoggingPreview` roles trust it by name. */
export function pipelinePreviewRoleName(environment: string): string {
    return `OrgLoggingPipelinePreview-${environment}`;
}

/** Where a self-managed backend keeps the stack's state and which key its `awskms://` secrets provider uses. */
export interface PipelineStateBackend {
    /** ARN of the state bucket (`s3://<bucket>/<prefix>` is the backend URL). */
    readonly bucketArn: pulumi.Input<string>;
    /**
     * Key prefix of the backend URL, ending in `/`.
     * @default ""
     */
    readonly prefix?: string;
    /** ARN of the KMS key of the stack's secrets provider (`awskms://...`). */
    readonly secretsKeyArn: pulumi.Input<string>;
}

export interface PipelineDeployerRoleArgs {
    /** The CI system of the repository. Plain: it decides the format of the OIDC subject in the trust policies. */
    readonly ciSystem: CiSystem;
    /** The repository: `group/project` on GitLab (subgroups allowed), `owner/repo` on GitHub. Plain: part of the trust policies. */
    readonly repository: string;
    /** The protected branch whose pipelines deploy this stack (GitLab trusts it by name). Plain: part of the trust policy. */
    readonly deployBranch: string;
    /**
     * The stack's environment: part of the role names and, on GitHub, the job environment the deploy
     * role trusts (give that environment a deployment branch rule admitting only `deployBranch`).
     */
    readonly environment: string;
    /**
     * The OIDC issuer URL, for example a self-managed GitLab. Plain: its host prefixes the condition keys.
     * @default - `https://gitlab.com` for `gitlab`, `https://token.actions.githubusercontent.com` for `github`
     */
    readonly issuerUrl?: string;
    /**
     * The audience the jobs request for their AWS ID token.
     * @default "sts.amazonaws.com"
     */
    readonly audience?: string;
    /**
     * An IAM OIDC provider for the issuer that already exists in this account (IAM allows one per issuer).
     * @default - a provider is created for the issuer and the audience
     */
    readonly oidcProviderArn?: pulumi.Input<string>;
    /** The `OrgLoggingDeployer` role of every account of the stack: the only thing the deploy role may do is assume them. */
    readonly deployerRoleArns: pulumi.Input<pulumi.Input<string>[]>;
    /**
     * The read-only `OrgLoggingPreview` role of every account. Plain presence: it decides whether a
     * preview role for merge/pull request jobs is created.
     * @default - no preview role
     */
    readonly previewRoleArns?: pulumi.Input<pulumi.Input<string>[]>;
    /**
     * The organization whose accounts' roles of those names the pipeline roles may assume
     * (`aws:ResourceOrgID`, any account): the policies then name each role once, not once per account.
     * @default - exactly the listed role ARNs
     */
    readonly organizationId?: pulumi.Input<string>;
    /**
     * A self-managed state backend the roles read (preview) and write (deploy).
     * @default - no state access: Pulumi Cloud keeps the state and the jobs log in to it with their own OIDC token
     */
    readonly stateBackend?: PipelineStateBackend;
    /**
     * Physical name of the deploy role: the accounts' `OrgLoggingDeployer` roles trust it by name.
     * @default - `OrgLoggingPipeline-<environment>`
     */
    readonly roleName?: string;
    /**
     * Physical name of the preview role: the accounts' `OrgLoggingPreview` roles trust it by name.
     * @default - `OrgLoggingPipelinePreview-<environment>`
     */
    readonly previewRoleName?: string;
}

const CI_SYSTEMS: readonly string[] = ["gitlab", "github"];

/** The Args with every default applied, as the component uses them. */
export interface ResolvedPipelineDeployerRoleArgs extends PipelineDeployerRoleArgs {
    readonly issuerUrl: string;
    /** `issuerUrl` without `https://`: the prefix of the trust policies' condition keys. */
    readonly issuerHost: string;
    readonly audience: string;
    readonly roleName: string;
    readonly previewRoleName: string;
}

/**
 * Applies the defaults of the Args that shape the trust policies and names and checks them; throws
 * one `pulumi.ResourceError` listing every problem (at `parent`, the component, when given).
 */
export function resolvePipelineDeployerRoleArgs(
    args: PipelineDeployerRoleArgs,
    parent?: pulumi.Resource,
): ResolvedPipelineDeployerRoleArgs {
    const problems: string[] = [];
    if (!CI_SYSTEMS.includes(args.ciSystem)) {
        problems.push(`\`ciSystem\` ("${String(args.ciSystem)}") is not a supported CI system. Use "gitlab" or "github"`);
    }
    const issues = [
        repositoryProblem("repository", args.repository, args.ciSystem),
        branchProblem("deployBranch", args.deployBranch),
        ENVIRONMENT_NAME.test(args.environment)
            ? undefined
            : `\`environment\` ("${args.environment}") is not an environment name. Use 2-32 lower-case letters, digits or dashes, such as production`,
        args.issuerUrl === undefined ? undefined : issuerUrlProblem("issuerUrl", args.issuerUrl),
        args.audience === undefined ? undefined : audienceProblem("audience", args.audience),
    ];
    problems.push(...issues.filter((p): p is string => p !== undefined));
    for (const [key, value] of [
        ["roleName", args.roleName],
        ["previewRoleName", args.previewRoleName],
    ] as const) {
        if (value !== undefined && !ROLE_NAME.test(value)) {
            problems.push(`\`${key}\` ("${value}") is not an IAM role name. Use up to 64 letters, digits or +=,.@_-`);
        }
    }
    const prefix = args.stateBackend?.prefix;
    if (prefix !== undefined && prefix !== "" && !KEY_PREFIX.test(prefix)) {
        problems.push(`\`stateBackend.prefix\` ("${prefix}") is not a key prefix. Use "" or a prefix ending in "/", such as org-logging/`);
    }
    assertNoProblems("PipelineDeployerRole", problems, parent);
    const issuerUrl = args.issuerUrl ?? DEFAULT_OIDC_ISSUERS[args.ciSystem];
    return {
        ...args,
        issuerUrl,
        issuerHost: issuerHost(issuerUrl),
        audience: args.audience ?? DEFAULT_OIDC_AUDIENCE,
        roleName: args.roleName ?? pipelineRoleName(args.environment),
        previewRoleName: args.previewRoleName ?? pipelinePreviewRoleName(args.environment),
    };
}

/**
 * The entry of this repository's pipelines into AWS, in the management account: an OIDC provider for
 * the CI issuer, a deploy role that only the deploy branch's jobs may assume and that may only assume
 * the `OrgLoggingDeployer` role of each account, and optionally a preview role for merge/pull request
 * jobs that may only assume the read-only `OrgLoggingPreview` roles. No access keys exist anywhere.
 * Pass the management account's provider in `opts.provider`.
 */
export class PipelineDeployerRole extends pulumi.ComponentResource {
    /** The deploy role (`OrgLoggingPipeline-<environment>`). */
    public readonly role: aws.iam.Role;
    /** The preview role (`OrgLoggingPipelinePreview-<environment>`), when `previewRoleArns` is given. */
    public readonly previewRole?: aws.iam.Role;
    /** ARN of the OIDC provider the roles trust (created or given). */
    public readonly oidcProviderArn: pulumi.Output<string>;

    constructor(name: string, args: PipelineDeployerRoleArgs, opts?: pulumi.ComponentResourceOptions) {
        super("orglog:index:PipelineDeployerRole", name, {}, opts);
        const { issuerUrl, audience, issuerHost, roleName, previewRoleName } = resolvePipelineDeployerRoleArgs(args, this);

        this.oidcProviderArn = args.oidcProviderArn
            ? pulumi.output(args.oidcProviderArn)
            : new aws.iam.OpenIdConnectProvider(
                  `${name}-oidc-provider`,
                  // No thumbprint: IAM verifies GitLab.com's and GitHub's issuers through its library of
                  // trusted root CAs (https://docs.aws.amazon.com/IAM/latest/UserGuide/id_roles_providers_create_oidc_verify-thumbprint.html).
                  { url: issuerUrl, clientIdLists: [audience] },
                  { parent: this },
              ).arn;

        const trust = { ciSystem: args.ciSystem, issuerHost, audience, repository: args.repository };
        const backend = args.stateBackend
            ? pulumi
                  .all([args.stateBackend.bucketArn, args.stateBackend.secretsKeyArn])
                  .apply(([bucketArn, secretsKeyArn]) => ({ bucketArn, secretsKeyArn, prefix: args.stateBackend?.prefix ?? "" }))
            : pulumi.output(undefined);

        this.role = new aws.iam.Role(
            `${name}-role`,
            {
                name: roleName,
                description: `Deploys org-logging ${args.environment} from ${args.repository}@${args.deployBranch} (OIDC, no access keys)`,
                maxSessionDuration: 3600,
                assumeRolePolicy: this.oidcProviderArn.apply((providerArn) =>
                    JSON.stringify(
                        pipelineDeployTrustPolicy({
                            ...trust,
                            providerArn,
                            deployBranch: args.deployBranch,
                            environment: args.environment,
                        }),
                    ),
                ),
            },
            { parent: this },
        );
        new aws.iam.RolePolicy(
            `${name}-role-policy`,
            {
                role: this.role.name,
                policy: pulumi
                    .all([pulumi.output(args.deployerRoleArns), backend, args.organizationId])
                    .apply(([deployerRoleArns, stateBackend, organizationId]) =>
                        JSON.stringify(pipelineDeployPolicy({ deployerRoleArns, stateBackend, organizationId })),
                    ),
            },
            { parent: this },
        );

        if (args.previewRoleArns !== undefined) {
            this.previewRole = new aws.iam.Role(
                `${name}-preview-role`,
                {
                    name: previewRoleName,
                    description: `Previews org-logging ${args.environment} for merge/pull requests of ${args.repository} (read-only)`,
                    maxSessionDuration: 3600,
                    assumeRolePolicy: this.oidcProviderArn.apply((providerArn) =>
                        JSON.stringify(pipelinePreviewTrustPolicy({ ...trust, providerArn })),
                    ),
                },
                { parent: this },
            );
            new aws.iam.RolePolicy(
                `${name}-preview-role-policy`,
                {
                    role: this.previewRole.name,
                    policy: pulumi
                        .all([pulumi.output(args.previewRoleArns), backend, args.organizationId])
                        .apply(([previewRoleArns, stateBackend, organizationId]) =>
                            JSON.stringify(pipelinePreviewPolicy({ previewRoleArns, stateBackend, organizationId })),
                        ),
                },
                { parent: this },
            );
        }

        this.registerOutputs({ role: this.role, previewRole: this.previewRole, oidcProviderArn: this.oidcProviderArn });
    }
}
