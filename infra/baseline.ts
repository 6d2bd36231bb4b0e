import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { LogArchiveAccount } from "../components/log-archive-account";
import { OrganizationBaseline } from "../components/organization-baseline";
import { AccountProviders, configAdministratorProvider } from "./accounts";
import { StackConfig, baselineSettings } from "./config";

/** URN of a resource of the per-account baseline earlier versions of the stack created. */
function earlierBaselineParent(accountKey: string): pulumi.Output<string> {
    return pulumi.createUrn(`baseline-${accountKey}`, "orglog:index:AccountBaseline");
}

/**
 * The log-archive account's own account-level S3 public access block, which the archive SCP freezes.
 * Set directly (not by remediation), so that the archive SCP can be attached once it is in place. The
 * alias keeps the earlier per-account baseline's resource: the block is never removed during the migration.
 */
export function createLogArchivePublicAccessBlock(providers: AccountProviders): aws.s3.AccountPublicAccessBlock {
    return new aws.s3.AccountPublicAccessBlock(
        "log-archive-s3-public-access-block",
        { blockPublicAcls: true, blockPublicPolicy: true, ignorePublicAcls: true, restrictPublicBuckets: true },
        {
            provider: providers.logArchive,
            aliases: [{ name: "baseline-log-archive-s3-public-access-block", parent: earlierBaselineParent("log-archive") }],
        },
    );
}

/**
 * The organization baseline: StackSet to the configured units and regions, organization Config from
 * the delegated administrator, the baseline SCP in production.
 */
export function createOrganizationBaseline(
    config: StackConfig,
    providers: AccountProviders,
    archive: LogArchiveAccount,
): OrganizationBaseline {
    const settings = baselineSettings(config);
    const breakGlassRoleName = config.breakGlassRoleArn.split("/").pop();

    return new OrganizationBaseline(
        "org-baseline",
        {
            organizationId: config.organizationId,
            organizationalUnitIds: settings.organizationalUnitIds,
            regions: settings.regions,
            homeRegion: config.region,
            configRecorder: settings.configRecorder,
            configDestination: archive.configDestination,
            managementProvider: providers.management,
            administratorProvider: configAdministratorProvider(providers),
            delegatedAdministratorAccountId: config.accounts.audit?.id,
            notificationEmail: config.alarmEmail,
            protectWithScp: config.trailMode === "organization",
            breakGlassRoleName,
        },
        { provider: providers.management },
    );
}
