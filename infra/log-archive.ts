import { LogArchiveAccount } from "../components";
import { AccountProviders } from "./accounts";
import { StackConfig } from "./config";
import { LogArchiveOutputs } from "./outputs";

/** Name of the trail; the archive's bucket and key policies admit exactly this trail. */
export const TRAIL_NAME = "org-logging";

/** The log archive (log-archive account) and what protects it. */
export function createLogArchive(config: StackConfig, providers: AccountProviders) {
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
    const outputs: LogArchiveOutputs = {
        trailBucketName: archive.trailBucket.bucket,
        trailBucketArn: archive.trailBucket.arn,
        trailKeyArn: archive.trailKey.arn,
    };
    return { archive, outputs };
}
