import * as aws from "@pulumi/aws";
import { AccountConfig, StackConfig } from "./config";

/**
 * The explicit provider of every core account the stack deploys into. Nothing uses the default
 * provider, and no workload account has one: the baseline StackSet reaches every member account.
 */
export interface AccountProviders {
    management: aws.Provider;
    logArchive: aws.Provider;
    collection: aws.Provider;
    /** The security tooling account (AWS Config's delegated administrator), when `accounts.audit` is set. */
    audit?: aws.Provider;
}

/** The read-only role the bootstrap template creates in every account (ci/bootstrap/org-logging-account-roles.yaml). */
export const PREVIEW_ROLE_NAME = "OrgLoggingPreview";

/**
 * The role a provider assumes. Only providers change with the environment, never a policy or any
 * other input, so a preview shows exactly what `up` will do:
 * - `ORG_LOGGING_PREVIEW=true` (merge/pull request previews): each account's read-only
 *   `OrgLoggingPreview` role.
 * - `ORG_LOGGING_BREAK_GLASS=true` (an operator repairing the archive): the log-archive provider
 *   assumes the account's break-glass role; the other accounts keep their deployer role.
 * Anything but unset, `true` or `false` is refused, so a typo cannot deploy with the wrong role.
 */
export function providerRoleArn(key: string, account: AccountConfig, config: StackConfig, env: NodeJS.ProcessEnv = process.env): string {
    const flag = (name: string) => {
        const value = env[name];
        if (value !== undefined && value !== "" && value !== "true" && value !== "false") {
            throw new Error(`${name}: "${value}" is not true or false. Set ${name}=true or leave it unset`);
        }
        return value === "true";
    };
    const preview = flag("ORG_LOGGING_PREVIEW");
    const breakGlass = flag("ORG_LOGGING_BREAK_GLASS");
    if (preview && breakGlass) {
        throw new Error(
            "ORG_LOGGING_PREVIEW and ORG_LOGGING_BREAK_GLASS are both true. A preview never needs the break-glass role; unset one",
        );
    }
    const partition = account.roleArn.split(":")[1];
    if (preview) {
        return `arn:${partition}:iam::${account.id}:role/${PREVIEW_ROLE_NAME}`;
    }
    if (breakGlass && key === "log-archive") {
        // The namesake of `breakGlassRoleArn` that the bootstrap template creates in the account.
        const roleName = config.breakGlassRoleArn.split(":")[5].split("/").pop();
        return `arn:${partition}:iam::${account.id}:role/${roleName}`;
    }
    return account.roleArn;
}

/**
 * Makes one provider per core account: it assumes the account's deployer role, refuses to act in any
 * other account (`allowedAccountIds`) and tags everything it creates.
 */
export function createAccountProviders(config: StackConfig): AccountProviders {
    const provider = (key: string, account: AccountConfig) =>
        new aws.Provider(`aws-${key}`, {
            region: config.region as aws.Region,
            assumeRoles: [{ roleArn: providerRoleArn(key, account, config), sessionName: `org-logging-${config.environment}` }],
            allowedAccountIds: [account.id],
            defaultTags: { tags: { environment: config.environment, "managed-by": "org-logging" } },
        });
    return {
        management: provider("management", config.accounts.management),
        logArchive: provider("log-archive", config.accounts.logArchive),
        collection: provider("collection", config.accounts.collection),
        ...(config.accounts.audit ? { audit: provider("audit", config.accounts.audit) } : {}),
    };
}

/** The provider of AWS Config's administrator: the audit account when set, else the management account. */
export function configAdministratorProvider(providers: AccountProviders): aws.Provider {
    return providers.audit ?? providers.management;
}
