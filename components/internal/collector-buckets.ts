// CollectorFleet's storage: the configuration bucket (`configuration/<env>/`, `agent/<env>/`) and the
// bucket that receives its server access logs and the created VPC's flow logs. S3 delivers server
// access logs only to a bucket in the same account and region, so the fleet keeps its own.
import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { collectorAccessLogsBucketPolicy } from "../policies/collector-storage-policy";
import type { CollectorAccount } from "./collector-fleet-args";
import { newSecureBucket, secureBucketSettings } from "./secure-bucket";

/** Key prefix of the created VPC's flow logs in the access-logs bucket. */
export const FLOW_LOGS_PREFIX = "vpc-flow-logs/";
/** Key prefix of the configuration bucket's server access logs. */
const ACCESS_LOGS_PREFIX = "configuration-bucket/";

export interface CollectorBuckets {
    readonly configBucket: aws.s3.Bucket;
    readonly accessLogsBucket: aws.s3.Bucket;
    /** Objects uploaded to the configuration bucket wait for these: a version id to pin, and the collector key. */
    readonly configReady: pulumi.Resource[];
    /** The access-logs bucket's policy: log deliveries check it when they are set up. */
    readonly accessLogsPolicy: aws.s3.BucketPolicy;
}

/** Children `${name}-config-bucket`, `${name}-access-logs` and their settings, of `parent`. */
export function createCollectorBuckets(
    name: string,
    p: CollectorAccount & {
        /** Admit the created VPC's flow logs. */
        flowLogs: boolean;
        accessLogsRetentionDays: number;
    },
    parent: pulumi.Resource,
): CollectorBuckets {
    const opts = { parent };
    const accessLogsBucket = newSecureBucket(`${name}-access-logs`, {}, opts);
    const configBucket = newSecureBucket(`${name}-config-bucket`, {}, opts);
    const accessLogs = secureBucketSettings(
        `${name}-access-logs`,
        {
            bucket: accessLogsBucket,
            // Server access log delivery supports only SSE-S3 on the target bucket, not SSE-KMS.
            encryption: { kind: "s3" },
            policy: pulumi
                .all([accessLogsBucket.arn, configBucket.arn, p.accountId, p.partition, p.region])
                .apply(([logsBucketArn, sourceBucketArn, accountId, partition, region]) =>
                    JSON.stringify(
                        collectorAccessLogsBucketPolicy({
                            logsBucketArn,
                            logPrefix: ACCESS_LOGS_PREFIX,
                            sourceBucketArn,
                            accountId,
                            flowLogs: p.flowLogs ? { prefix: FLOW_LOGS_PREFIX, partition, region } : undefined,
                        }),
                    ),
                ),
            lifecycleRules: [
                {
                    id: "expire-access-logs",
                    status: "Enabled",
                    filter: {},
                    expiration: { days: p.accessLogsRetentionDays },
                    noncurrentVersionExpiration: { noncurrentDays: 30 },
                },
            ],
        },
        opts,
    );
    const config = secureBucketSettings(
        `${name}-config-bucket`,
        {
            bucket: configBucket,
            encryption: { kind: "kms", keyArn: p.keyArn },
            logging: { targetBucket: accessLogsBucket.id, targetPrefix: ACCESS_LOGS_PREFIX, dependsOn: [accessLogs.policy] },
        },
        opts,
    );
    return { configBucket, accessLogsBucket, configReady: [config.versioning, config.encryption], accessLogsPolicy: accessLogs.policy };
}
