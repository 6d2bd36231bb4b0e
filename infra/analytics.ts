import { AthenaElbTable, LogArchiveAccount } from "../components";
import { AccountProviders } from "./accounts";
import { StackConfig } from "./config";
import { AnalyticsOutputs } from "./outputs";

/**
 * Every account whose load balancers may log into the elb-logs bucket: the stack's own accounts and
 * the workload accounts, each once. They are the `account` partition values of the ALB table.
 */
export function elbLogAccountIds(config: StackConfig): string[] {
    const { management, logArchive, collection } = config.accounts;
    return [...new Set([management.id, logArchive.id, collection.id, ...config.workloadAccounts.map((a) => a.id)])];
}

/** Athena over the archive's ALB access logs (log-archive account). */
export function createAnalytics(config: StackConfig, providers: AccountProviders, logArchive: { archive: LogArchiveAccount }) {
    const elbLogs = new AthenaElbTable(
        "elb-logs",
        {
            elbLogsBucketName: logArchive.archive.elbLogsBucket.bucket,
            accountIds: elbLogAccountIds(config),
            regions: [config.region],
        },
        { provider: providers.logArchive },
    );
    const outputs: AnalyticsOutputs = {
        athenaDatabaseName: elbLogs.database.name,
        athenaTableName: elbLogs.table.name,
        athenaWorkgroupName: elbLogs.workgroup.name,
    };
    return { elbLogs, outputs };
}
