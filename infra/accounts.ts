import * as aws from "@pulumi/aws";
import { AccountConfig, StackConfig } from "./config";

/** The explicit provider of every account the stack deploys into. Nothing uses the default provider. */
export interface AccountProviders {
    management: aws.Provider;
    logArchive: aws.Provider;
    collection: aws.Provider;
    /** Workload accounts that name a role to assume, keyed by account id. */
    workloads: Record<string, aws.Provider>;
}

/**
 * Makes one provider per account: it assumes the account's deployer role, refuses to act in any other
 * account (`allowedAccountIds`) and tags everything it creates.
 */
export function createAccountProviders(config: StackConfig): AccountProviders {
    const provider = (key: string, account: AccountConfig) =>
        new aws.Provider(`aws-${key}`, {
            region: config.region as aws.Region,
            assumeRoles: [{ roleArn: account.roleArn, sessionName: `org-logging-${config.environment}` }],
            allowedAccountIds: [account.id],
            defaultTags: { tags: { environment: config.environment, "managed-by": "org-logging" } },
        });
    const workloads: Record<string, aws.Provider> = {};
    for (const workload of config.workloadAccounts) {
        if (workload.roleArn) {
            workloads[workload.id] = provider(`workload-${workload.name}`, { id: workload.id, roleArn: workload.roleArn });
        }
    }
    return {
        management: provider("management", config.accounts.management),
        logArchive: provider("log-archive", config.accounts.logArchive),
        collection: provider("collection", config.accounts.collection),
        workloads,
    };
}
