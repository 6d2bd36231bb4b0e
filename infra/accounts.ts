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

/**
 * Makes one provider per core account: it assumes the account's deployer role, refuses to act in any
 * other account (`allowedAccountIds`) and tags everything it creates.
 */
export function createAccountProviders(config: StackConfig): AccountProviders {
    const provider = (key: string, account: AccountConfig) =>
        new aws.Provider(`aws-${key}`, {
            region: config.region as aws.Region,
            assumeRoles: [{ roleArn: account.roleArn, sessionName: `org-logging-${config.environment}` }],
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
