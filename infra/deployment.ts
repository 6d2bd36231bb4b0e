import { PipelineDeployerRole } from "../components";
import { AccountProviders } from "./accounts";
import { StackConfig } from "./config";
import { PipelineOutputs } from "./outputs";

/**
 * Name of the read-only role in each account that previews assume. The bootstrap template
 * (ci/bootstrap/org-logging-account-roles.yaml) creates it next to `OrgLoggingDeployer`; this
 * program cannot create either, because it needs them to run at all.
 */
export const ACCOUNT_PREVIEW_ROLE_NAME = "OrgLoggingPreview";

/** The read-only twin of an account's deployer role: same partition and account, role `OrgLoggingPreview`. */
export function previewRoleArnOf(deployerRoleArn: string): string {
    const [, partition, , , accountId] = deployerRoleArn.split(":");
    return `arn:${partition}:iam::${accountId}:role/${ACCOUNT_PREVIEW_ROLE_NAME}`;
}

/** Every deployer role the stack's providers assume, in account order: the role chain's second hop. */
export function accountDeployerRoleArns(config: StackConfig): string[] {
    const { management, logArchive, collection } = config.accounts;
    return [
        management.roleArn,
        logArchive.roleArn,
        collection.roleArn,
        ...config.workloadAccounts.flatMap((a) => (a.roleArn ? [a.roleArn] : [])),
    ];
}

/**
 * This repository's own way into AWS (management account): the OIDC provider and the pipeline roles
 * that deploy (`main`/`integration`) and preview (merge/pull requests) the stack.
 */
export function createDeployment(config: StackConfig, providers: AccountProviders) {
    const { pipeline } = config;
    const partition = config.accounts.management.roleArn.split(":")[1];
    const deployerRoleArns = accountDeployerRoleArns(config);
    const deployer = new PipelineDeployerRole(
        "pipeline",
        {
            ciSystem: pipeline.ciSystem,
            repository: pipeline.repository,
            deployBranch: pipeline.deployBranch,
            environment: config.environment,
            issuerUrl: pipeline.issuerUrl,
            audience: pipeline.audience,
            oidcProviderArn: pipeline.oidcProviderArn,
            deployerRoleArns,
            previewRoleArns: deployerRoleArns.map(previewRoleArnOf),
            // The roles by name in any account of the organization: adding an account changes no policy.
            organizationId: config.organizationId,
            stateBackend: pipeline.stateBackend && {
                bucketArn: `arn:${partition}:s3:::${pipeline.stateBackend.bucket}`,
                prefix: pipeline.stateBackend.prefix,
                secretsKeyArn: pipeline.stateBackend.secretsKeyArn,
            },
        },
        { provider: providers.management },
    );
    const outputs: PipelineOutputs = { pipelineDeployerRoleArn: deployer.role.arn };
    return { deployer, outputs };
}
