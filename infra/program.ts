import { LogArchiveAccount } from "../components";
import { createAccountProviders } from "./accounts";
import { StackConfig } from "./config";
import { OrgLoggingOutputs } from "./outputs";

/** Name of the trail; the archive's bucket and key policies admit exactly this trail. */
export const TRAIL_NAME = "org-logging";

/** Builds the whole stack from validated config and returns its outputs contract. */
export function createOrgLogging(config: StackConfig): OrgLoggingOutputs {
    const providers = createAccountProviders(config);

    const archive = new LogArchiveAccount(
        "log-archive",
        {
            organizationId: config.organizationId,
            managementAccountId: config.accounts.management.id,
            homeRegion: config.region,
            trailName: TRAIL_NAME,
            trailMode: config.trailMode,
        },
        { provider: providers.logArchive },
    );

    return {
        environment: config.environment,
        region: config.region,
        accounts: {
            management: config.accounts.management.id,
            logArchive: config.accounts.logArchive.id,
            collection: config.accounts.collection.id,
        },
        trailBucketName: archive.trailBucket.bucket,
        trailBucketArn: archive.trailBucket.arn,
        trailKeyArn: archive.trailKey.arn,
    };
}
