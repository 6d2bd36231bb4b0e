import * as aws from "@pulumi/aws";
import { branchSubject, CiSystem, webIdentityTrust } from "../internal/oidc";
import { Statement, policyDocument } from "./document";

export type { CiSystem } from "../internal/oidc";

export interface PipelineTrustParams {
    ciSystem: CiSystem;
    /** ARN of the IAM OIDC provider of the issuer. */
    providerArn: string;
    /** The issuer's host and path without `https://` (`gitlab.com`): the prefix of its condition keys. */
    issuerHost: string;
    /** The `aud` the jobs request. */
    audience: string;
    /** `group/project` (GitLab) or `owner/repo` (GitHub). */
    repository: string;
}

export interface DeployTrustParams extends PipelineTrustParams {
    /** The protected branch whose pipelines deploy (GitLab subject). */
    deployBranch: string;
    /** The CI environment of the deploy job (GitHub subject; the environment's branch rule admits only the deploy branch). */
    environment: string;
}

/**
 * The subject of the deploy jobs' ID tokens. GitLab puts the project path and the branch in `sub`
 * (https://docs.gitlab.com/ci/secrets/id_token_authentication/); GitHub puts the environment there
 * when the job names one, and the environment's deployment branch rule decides which branch may use
 * it (https://docs.github.com/en/actions/reference/security/oidc).
 */
export function deploySubject(p: Pick<DeployTrustParams, "ciSystem" | "repository" | "deployBranch" | "environment">): string {
    return p.ciSystem === "gitlab"
        ? branchSubject("gitlab", p.repository, p.deployBranch)
        : `repo:${p.repository}:environment:${p.environment}`;
}

/**
 * The subjects of merge/pull request jobs: any branch of this project (GitLab, `StringLike`), or the
 * `pull_request` subject of this repository (GitHub). Forks have another project path or get no token.
 */
export function previewSubject(p: Pick<PipelineTrustParams, "ciSystem" | "repository">): string {
    return p.ciSystem === "gitlab" ? `project_path:${p.repository}:ref_type:branch:ref:*` : `repo:${p.repository}:pull_request`;
}

/**
 * Trust policy of the deploy role: only ID tokens of this repository's deploy branch (GitLab) or
 * deploy environment (GitHub), issued for our audience. IAM evaluates only `aud` and `sub` for
 * these issuers, so the branch must be part of `sub` (https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_iam-condition-keys.html#condition-keys-wif).
 */
export function pipelineDeployTrustPolicy(p: DeployTrustParams): aws.iam.PolicyDocument {
    return policyDocument([webIdentityTrust("DeployJobsOfTheDeployBranch", p, deploySubject(p), "StringEquals")]);
}

/**
 * Trust policy of the preview role: merge/pull request jobs of this repository. Those run code from
 * unprotected branches, so the role behind it only reads (see pipelinePreviewPolicy).
 */
export function pipelinePreviewTrustPolicy(p: PipelineTrustParams): aws.iam.PolicyDocument {
    return policyDocument([
        webIdentityTrust("PreviewJobsOfThisRepository", p, previewSubject(p), p.ciSystem === "gitlab" ? "StringLike" : "StringEquals"),
    ]);
}

/** A self-managed Pulumi state backend: the bucket, the key prefix of its URL and the secrets provider's key. */
export interface StateBackendParams {
    bucketArn: string;
    /** `""` or a prefix ending in `/`: the backend URL is `s3://<bucket>/<prefix>`. */
    prefix: string;
    secretsKeyArn: string;
}

function stateStatements(backend: StateBackendParams | undefined, access: "deploy" | "preview"): Statement[] {
    if (!backend) {
        return [];
    }
    const state = `${backend.bucketArn}/${backend.prefix}.pulumi`;
    return [
        {
            Sid: "ListStackState",
            Effect: "Allow",
            Action: ["s3:ListBucket", "s3:GetBucketLocation"],
            Resource: backend.bucketArn,
        },
        access === "deploy"
            ? {
                  Sid: "ReadWriteStackState",
                  Effect: "Allow",
                  Action: ["s3:GetObject", "s3:PutObject", "s3:DeleteObject"],
                  Resource: `${state}/*`,
              }
            : {
                  Sid: "ReadStackState",
                  Effect: "Allow",
                  Action: "s3:GetObject",
                  Resource: `${state}/*`,
              },
        ...(access === "preview"
            ? [
                  {
                      // The self-managed backend takes a lock file per stack operation, previews included.
                      Sid: "TakeStackLocks",
                      Effect: "Allow" as const,
                      Action: ["s3:PutObject", "s3:DeleteObject"],
                      Resource: `${state}/locks/*`,
                  },
              ]
            : []),
        {
            Sid: access === "deploy" ? "UseSecretsProviderKey" : "DecryptWithSecretsProviderKey",
            Effect: "Allow",
            Action: access === "deploy" ? ["kms:Encrypt", "kms:Decrypt", "kms:GenerateDataKey"] : "kms:Decrypt",
            Resource: backend.secretsKeyArn,
        },
    ];
}

/**
 * The roles an assume statement names. With an organization, each distinct role name becomes one
 * ARN of any account (`arn:aws:iam::*:role/OrgLoggingDeployer`) admitted only inside the organization
 * by `aws:ResourceOrgID`, so the statement keeps one size however many accounts use the role.
 */
function assumeRoles(sid: string, roleArns: string[], organizationId: string | undefined): Statement {
    if (!organizationId) {
        return { Sid: sid, Effect: "Allow", Action: "sts:AssumeRole", Resource: [...new Set(roleArns)] };
    }
    const anyAccount = [
        ...new Set(
            roleArns.map((arn) =>
                arn
                    .split(":")
                    .map((part, i) => (i === 4 ? "*" : part))
                    .join(":"),
            ),
        ),
    ];
    return {
        Sid: sid,
        Effect: "Allow",
        Action: "sts:AssumeRole",
        Resource: anyAccount.length === 1 ? anyAccount[0] : anyAccount,
        Condition: { StringEquals: { "aws:ResourceOrgID": organizationId } },
    };
}

/**
 * What the deploy role may do itself: assume the `OrgLoggingDeployer` role of the accounts (everything
 * else happens through those), and read and write the stack's state when the backend is
 * self-managed. With `organizationId` the role of that name in any account of the organization.
 */
export function pipelineDeployPolicy(p: {
    deployerRoleArns: string[];
    stateBackend?: StateBackendParams;
    organizationId?: string;
}): aws.iam.PolicyDocument {
    return policyDocument([
        assumeRoles("AssumeAccountDeployerRoles", p.deployerRoleArns, p.organizationId),
        ...stateStatements(p.stateBackend, "deploy"),
    ]);
}

/** What the preview role may do: assume the read-only `OrgLoggingPreview` roles and read the state. */
export function pipelinePreviewPolicy(p: {
    previewRoleArns: string[];
    stateBackend?: StateBackendParams;
    organizationId?: string;
}): aws.iam.PolicyDocument {
    return policyDocument([
        assumeRoles("AssumeAccountPreviewRoles", p.previewRoleArns, p.organizationId),
        ...stateStatements(p.stateBackend, "preview"),
    ]);
}

/**
 * What the accounts' read-only `OrgLoggingPreview` role may do: read the configuration of the
 * resource types the program manages, and nothing else. An allow-list, not `ReadOnlyAccess` minus
 * a deny list: merge request code runs with this role, and `ReadOnlyAccess` reads data through
 * more actions than a deny list keeps up with (`logs:StartLiveTail`, `logs:GetLogRecord`,
 * `ssm:GetParameterHistory`, `lambda:GetFunction`, `dynamodb:PartiQLSelect`, ...). CloudWatch Logs
 * decrypts server-side, so denying `kms:Decrypt` does not protect encrypted log groups either.
 * No action here returns an object, a log event, a secret value or a parameter of the account;
 * `ssm:GetParameter` reads AWS's public parameters only (the AMI lookup).
 */
export function accountPreviewPolicy(p: { partition: string }): aws.iam.PolicyDocument {
    return policyDocument([
        {
            Sid: "ReadResourceConfiguration",
            Effect: "Allow",
            Action: [
                "athena:GetNamedQuery",
                "athena:GetWorkGroup",
                "athena:ListNamedQueries",
                "athena:ListTagsForResource",
                "autoscaling:Describe*",
                "cloudformation:DescribeStackInstance",
                "cloudformation:DescribeStackSet",
                "cloudformation:DescribeStackSetOperation",
                "cloudformation:ListStackInstances",
                "cloudformation:ListStackSets",
                "cloudtrail:DescribeTrails",
                "cloudtrail:GetEventSelectors",
                "cloudtrail:GetInsightSelectors",
                "cloudtrail:GetTrail",
                "cloudtrail:GetTrailStatus",
                "cloudtrail:ListTags",
                "cloudwatch:DescribeAlarms",
                "cloudwatch:ListTagsForResource",
                "config:DescribeAggregationAuthorizations",
                "config:DescribeConfigRules",
                "config:DescribeConfigurationAggregators",
                "config:DescribeConfigurationRecorders",
                "config:DescribeConfigurationRecorderStatus",
                "config:DescribeDeliveryChannels",
                "config:DescribeOrganizationConfigRules",
                "config:DescribeRemediationConfigurations",
                "config:ListTagsForResource",
                "ec2:Describe*",
                "elasticloadbalancing:Describe*",
                "events:DescribeRule",
                "events:ListTagsForResource",
                "events:ListTargetsByRule",
                "firehose:DescribeDeliveryStream",
                "firehose:ListTagsForDeliveryStream",
                "glue:GetDatabase",
                "glue:GetTable",
                "iam:GetInstanceProfile",
                "iam:GetOpenIDConnectProvider",
                "iam:GetPolicy",
                "iam:GetPolicyVersion",
                "iam:GetRole",
                "iam:GetRolePolicy",
                "iam:ListAttachedRolePolicies",
                "iam:ListInstanceProfilesForRole",
                "iam:ListPolicyVersions",
                "iam:ListRolePolicies",
                "iam:ListRoleTags",
                "kms:DescribeKey",
                "kms:GetKeyPolicy",
                "kms:GetKeyRotationStatus",
                "kms:ListAliases",
                "kms:ListResourceTags",
                "logs:DescribeLogGroups",
                "logs:DescribeMetricFilters",
                "logs:ListTagsForResource",
                "organizations:DescribeOrganization",
                "organizations:DescribePolicy",
                "organizations:ListAccounts",
                "organizations:ListAWSServiceAccessForOrganization",
                "organizations:ListDelegatedAdministrators",
                "organizations:ListPoliciesForTarget",
                "organizations:ListRoots",
                "organizations:ListTargetsForPolicy",
                "s3:GetAccountPublicAccessBlock",
                "s3:GetBucket*",
                "s3:GetEncryptionConfiguration",
                "s3:GetLifecycleConfiguration",
                "s3:GetReplicationConfiguration",
                "s3:ListAllMyBuckets",
                "secretsmanager:DescribeSecret",
                "secretsmanager:GetResourcePolicy",
                "sns:GetSubscriptionAttributes",
                "sns:GetTopicAttributes",
                "sns:ListSubscriptionsByTopic",
                "sns:ListTagsForResource",
                "ssm:DescribeDocument",
                "ssm:DescribeDocumentPermission",
                "ssm:GetDocument",
                "ssm:ListTagsForResource",
            ],
            // Describe and List calls of these services take no resource ARN; none of them returns data.
            Resource: "*",
        },
        {
            Sid: "ReadPublicParameters",
            Effect: "Allow",
            Action: ["ssm:GetParameter", "ssm:GetParameters"],
            Resource: `arn:${p.partition}:ssm:*::parameter/aws/service/*`,
        },
    ]);
}
