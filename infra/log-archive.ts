import * as aws from "@pulumi/aws";
import { LogArchiveAccount, LogArchiveAccountArgs, resolveLogArchiveAccountArgs } from "../components/log-archive-account";
import { OrgTrail } from "../components/org-trail";
import { AccountProviders } from "./accounts";
import { investigatorRoleArns } from "./analytics";
import { createLogArchivePublicAccessBlock, createOrganizationBaseline } from "./baseline";
import { StackConfig } from "./config";
import { checkConfigDrivenArgs, keysOf } from "./config-keys";
import { LogArchiveOutputs } from "./outputs";

/** Name of the trail; the archive's bucket and key policies admit exactly this trail. */
export const TRAIL_NAME = "org-logging";

/** One account this stack deploys into, keyed by a stable name (`management`, `workload-payments`). */
export interface StackAccount {
    key: string;
    id: string;
    provider: aws.Provider;
}

/** Every core account of the stack: management, log-archive, collection and, when set, audit. */
export function stackAccounts(config: StackConfig, providers: AccountProviders): StackAccount[] {
    return [
        { key: "management", id: config.accounts.management.id, provider: providers.management },
        { key: "log-archive", id: config.accounts.logArchive.id, provider: providers.logArchive },
        { key: "collection", id: config.accounts.collection.id, provider: providers.collection },
        ...(config.accounts.audit && providers.audit ? [{ key: "audit", id: config.accounts.audit.id, provider: providers.audit }] : []),
    ];
}

/**
 * The break-glass role inside the log-archive account: the role of the same name as
 * `breakGlassRoleArn` that ci/bootstrap creates in every account, trusted only by that role. SCPs
 * never apply to the management account, and a session that assumes into the log-archive account
 * acts as a role of that account, so this, not `breakGlassRoleArn`, is the archive SCP's exception.
 */
export function archiveBreakGlassRoleArn(config: StackConfig): string {
    const [, partition, , , , resource] = config.breakGlassRoleArn.split(":");
    const roleName = resource.split("/").pop();
    return `arn:${partition}:iam::${config.accounts.logArchive.id}:role/${roleName}`;
}

/**
 * The log archive (log-archive account), the trail that fills it (management account) and the
 * organization baseline (AWS Config in every account and region of the baseline's units). Production (`trailMode: organization`) adds the SCPs that
 * protect the archive and the trails; integration sandboxes run without them.
 */
export function createLogArchive(config: StackConfig, providers: AccountProviders) {
    const production = config.trailMode === "organization";

    const archiveArgs: LogArchiveAccountArgs = {
        organizationId: config.organizationId,
        managementAccountId: config.accounts.management.id,
        homeRegion: config.region,
        trailName: TRAIL_NAME,
        trailMode: config.trailMode,
        ...config.archive,
        protectWithScp: production,
        protect: production,
        managementProvider: providers.management,
        breakGlassPrincipalArns: [archiveBreakGlassRoleArn(config)],
        investigatorRoleArns: investigatorRoleArns(config),
    };
    checkConfigDrivenArgs(() => resolveLogArchiveAccountArgs(archiveArgs), {
        ...keysOf("archive.", ["objectLockMode", "objectLockDays", "glacierTransitionDays", "logRetentionDays"], config.archive),
        ...keysOf("", ["organizationId", "trailMode"], config),
    });
    // Registered after the checks, so that bad config leaves nothing half-planned.
    const publicAccessBlock = createLogArchivePublicAccessBlock(providers);
    const archive = new LogArchiveAccount(
        "log-archive",
        { ...archiveArgs, accountPublicAccessBlock: publicAccessBlock },
        { provider: providers.logArchive },
    );

    const trail = new OrgTrail(
        "org-trail",
        {
            trailName: TRAIL_NAME,
            trailMode: config.trailMode,
            destination: archive.trailDestination,
            alarmEmail: config.alarmEmail,
            protectWithScp: production,
            breakGlassPrincipalArns: [config.breakGlassRoleArn],
            // The management account's break-glass role and its namesake in the log-archive account.
            alarmOnAssumeRoleArns: [...new Set([config.breakGlassRoleArn, archiveBreakGlassRoleArn(config)])],
        },
        { provider: providers.management },
    );

    const baseline = createOrganizationBaseline(config, providers, archive);

    const outputs: LogArchiveOutputs = {
        organizationId: config.organizationId,
        trailBucketName: archive.trailBucket.bucket,
        trailBucketArn: archive.trailBucket.arn,
        trailKeyArn: archive.trailKey.arn,
        configBucketName: archive.configBucket.bucket,
        elbLogsBucketName: archive.elbLogsBucket.bucket,
        elbLogsBucketArn: archive.elbLogsBucket.arn,
        accessLogsBucketName: archive.accessLogsBucket.bucket,
        applicationLogsBucketName: archive.applicationLogsBucket.bucket,
        applicationLogsBucketArn: archive.applicationLogsBucket.arn,
        applicationLogsKeyArn: archive.applicationLogsKey.arn,
        trailArn: trail.trail.arn,
        trailLogGroupName: trail.logGroup.name,
        alarmTopicArn: trail.alarmTopic.arn,
    };
    return { archive, publicAccessBlock, trail, baseline, outputs };
}
