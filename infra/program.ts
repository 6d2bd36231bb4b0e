import { createAccountProviders } from "./accounts";
import { createAnalytics } from "./analytics";
import { checkCollectionConfig, createCollection } from "./collection";
import { StackConfig } from "./config";
import { createDeployment } from "./deployment";
import { createLogArchive } from "./log-archive";
import { OrgLoggingOutputs } from "./outputs";

/**
 * Builds the whole stack from validated config and returns its outputs contract. Each area of the
 * product lives in its own infra module (log archive, collection, ...); this function only wires
 * them together in dependency order.
 */
export function createOrgLogging(config: StackConfig): OrgLoggingOutputs {
    checkCollectionConfig(config);
    const providers = createAccountProviders(config);
    const logArchive = createLogArchive(config, providers);
    const analytics = createAnalytics(config, providers, logArchive);
    const collection = createCollection(config, providers);
    const deployment = createDeployment(config, providers);

    return {
        environment: config.environment,
        region: config.region,
        accounts: {
            management: config.accounts.management.id,
            logArchive: config.accounts.logArchive.id,
            collection: config.accounts.collection.id,
            ...(config.accounts.audit ? { audit: config.accounts.audit.id } : {}),
        },
        ...logArchive.outputs,
        ...analytics.outputs,
        ...collection.outputs,
        ...deployment.outputs,
    };
}
