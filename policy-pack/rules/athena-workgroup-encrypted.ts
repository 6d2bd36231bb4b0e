import * as aws from "@pulumi/aws";
import { ResourceValidationPolicy } from "@pulumi/policy";
import { shown } from "../lib/resources";
import { EXEMPT_RESOURCES_SCHEMA, ExemptionConfig, validateResourcesOf } from "../lib/rule";
import { judge, known, UNKNOWN } from "../lib/unknown";

export interface AthenaWorkgroupEncryptedConfig extends ExemptionConfig {
    /** Result encryption options accepted. */
    allowedEncryptionOptions: string[];
    /** Require a per-query bytes-scanned cutoff, so a careless query over years of logs is stopped. */
    requireBytesScannedCutoff: boolean;
}

/** Query results are copies of the logs: they must be encrypted, and clients must not override where they go. */
export const athenaWorkgroupEncrypted: ResourceValidationPolicy = {
    name: "athena-workgroup-encrypted",
    description: "Athena workgroups enforce their configuration and encrypt query results (and cap bytes scanned per query).",
    enforcementLevel: "mandatory",
    configSchema: {
        properties: {
            allowedEncryptionOptions: { type: "array", items: { type: "string" }, default: ["SSE_KMS", "CSE_KMS", "SSE_S3"] },
            requireBytesScannedCutoff: { type: "boolean", default: true },
            exemptResources: EXEMPT_RESOURCES_SCHEMA,
        },
    },
    validateResource: validateResourcesOf([aws.athena.Workgroup], (workgroup, args, reportViolation) => {
        const config = args.getConfig<AthenaWorkgroupEncryptedConfig>();
        const fix = "as orglog:index:AthenaElbTable's workgroup does";
        judge(() => {
            const enforce = known(() => workgroup.configuration?.enforceWorkgroupConfiguration);
            if (enforce === false) {
                reportViolation(
                    `Athena workgroup "${args.name}" has configuration.enforceWorkgroupConfiguration false, so clients can send results to an unencrypted location of their choice. Remove it or set it to true, ${fix}.`,
                );
            }
        });
        judge(() => {
            const managed = known(() => workgroup.configuration?.managedQueryResultsConfiguration?.enabled);
            const option = known(() => workgroup.configuration?.resultConfiguration?.encryptionConfiguration?.encryptionOption);
            if (managed === true || option === UNKNOWN) {
                return;
            }
            if (!config.allowedEncryptionOptions.includes(String(option))) {
                reportViolation(
                    `Athena workgroup "${args.name}" has configuration.resultConfiguration.encryptionConfiguration.encryptionOption ${shown(option)}, so query results (copies of the logs) are stored unencrypted. Set it to "SSE_KMS" with the archive's key, ${fix}.`,
                );
            }
        });
        judge(() => {
            const cutoff = known(() => workgroup.configuration?.bytesScannedCutoffPerQuery);
            if (config.requireBytesScannedCutoff && cutoff !== UNKNOWN && (typeof cutoff !== "number" || cutoff <= 0)) {
                reportViolation(
                    `Athena workgroup "${args.name}" has configuration.bytesScannedCutoffPerQuery ${shown(cutoff)}, so one query without a date filter scans years of logs. Set a cutoff (e.g. 10737418240 for 10 GiB), ${fix}.`,
                );
            }
        });
    }),
};
