import {
    ArchiveInvestigatorRole,
    AthenaApplicationLogsTable,
    AthenaCloudTrailTable,
    AthenaElbTable,
    INVESTIGATOR_ROLE_NAME,
    LogArchiveAccount,
} from "../components";
import { AccountProviders } from "./accounts";
import { StackConfig } from "./config";
import { AnalyticsOutputs } from "./outputs";

/**
 * The investigator role of the log-archive account when `investigators` is configured, else none.
 * Its name is fixed, so the archive's key policies can name it before it exists.
 */
export function investigatorRoleArns(config: StackConfig): string[] {
    if (!config.investigators) {
        return [];
    }
    const partition = config.breakGlassRoleArn.split(":")[1];
    return [`arn:${partition}:iam::${config.accounts.logArchive.id}:role/${INVESTIGATOR_ROLE_NAME}`];
}

/** Name of the break-glass role (the same in every account, as the bootstrap template creates it). */
export function breakGlassRoleName(config: StackConfig): string {
    return config.breakGlassRoleArn.split("/").pop()!;
}

/**
 * Athena over the archive (log-archive account): the ALB, CloudTrail and application-logs tables in
 * one database, the enforced workgroup with the saved investigation queries, and the investigator role.
 */
export function createAnalytics(config: StackConfig, providers: AccountProviders, logArchive: { archive: LogArchiveAccount }) {
    const archive = logArchive.archive;
    const provider = providers.logArchive;
    const elbLogs = new AthenaElbTable(
        "elb-logs",
        {
            elbLogsBucketName: archive.elbLogsBucket.bucket,
            regions: [config.region],
        },
        { provider },
    );
    const cloudTrail = new AthenaCloudTrailTable(
        "cloudtrail",
        {
            trailBucketName: archive.trailBucket.bucket,
            // The organization trail writes under AWSLogs/<organization id>/; the account trail does not.
            organizationId: config.trailMode === "organization" ? config.organizationId : undefined,
            databaseName: elbLogs.database.name,
            workgroupName: elbLogs.workgroup.name,
            breakGlassRoleName: breakGlassRoleName(config),
            archiveBucketNames: [
                archive.trailBucket.bucket,
                archive.configBucket.bucket,
                archive.elbLogsBucket.bucket,
                archive.applicationLogsBucket.bucket,
                archive.accessLogsBucket.bucket,
            ],
        },
        { provider },
    );
    const applicationLogs = new AthenaApplicationLogsTable(
        "application-logs",
        {
            applicationLogsBucketName: archive.applicationLogsBucket.bucket,
            databaseName: elbLogs.database.name,
            workgroupName: elbLogs.workgroup.name,
        },
        { provider },
    );
    const investigator = config.investigators
        ? new ArchiveInvestigatorRole(
              "investigator",
              {
                  principals: config.investigators,
                  workgroupName: elbLogs.workgroup.name,
                  databaseName: elbLogs.database.name,
                  readBuckets: [
                      { bucketArn: archive.trailBucket.arn, prefix: "AWSLogs/" },
                      { bucketArn: archive.applicationLogsBucket.arn, prefix: "firelens/" },
                      { bucketArn: archive.elbLogsBucket.arn, prefix: "AWSLogs/" },
                  ],
                  // The elb-logs bucket is SSE-S3 (the only encryption ALB delivery supports): no key.
                  decryptKeyArns: [archive.trailKey.arn, archive.applicationLogsKey.arn],
                  resultsBucketArn: elbLogs.resultsBucket.arn,
                  resultsKeyArn: elbLogs.resultsKey.arn,
              },
              { provider },
          )
        : undefined;
    const outputs: AnalyticsOutputs = {
        athenaDatabaseName: elbLogs.database.name,
        athenaTableName: elbLogs.table.name,
        athenaWorkgroupName: elbLogs.workgroup.name,
        cloudTrailTableName: cloudTrail.table.name,
        applicationLogsTableName: applicationLogs.table.name,
        ...(investigator ? { investigatorRoleArn: investigator.role.arn } : {}),
    };
    return { elbLogs, cloudTrail, applicationLogs, investigator, outputs };
}
