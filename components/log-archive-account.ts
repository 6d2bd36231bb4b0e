import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { LogArchiveAccountArgs, resolveLogArchiveAccountArgs } from "./internal/log-archive-account-args";
import { accessLogsBucketPolicy } from "./policies/access-logs-bucket-policy";
import { applicationLogsBucketPolicy, applicationLogsKeyPolicy } from "./policies/application-logs-policies";
import { configBucketPolicy } from "./policies/config-bucket-policy";
import { configKeyPolicy } from "./policies/config-key-policy";
import { LEGACY_ELB_LOG_REGIONS, elbLogsBucketPolicy } from "./policies/elb-logs-bucket-policy";
import { SCP_MAX_CHARACTERS, archiveProtectionScp } from "./policies/scps";
import { trailArn, trailBucketPolicy } from "./policies/trail-bucket-policy";
import { trailKeyPolicy } from "./policies/trail-key-policy";
import type { ArchiveDestination } from "./internal/archive-destination";
import { newSecureBucket, secureBucketSettings, SecureBucketSettings, SecureBucketSettingsArgs } from "./internal/secure-bucket";

export { resolveLogArchiveAccountArgs } from "./internal/log-archive-account-args";
export type { LogArchiveAccountArgs, ResolvedLogArchiveAccountArgs } from "./internal/log-archive-account-args";

/** Bucket properties the archive's buckets ignore after creation: tags, whose change the archive SCP denies. */
export const FROZEN_BUCKET_IGNORED_CHANGES: readonly string[] = ["tags", "tagsAll"];

/**
 * The central, tamper-resistant store of the organization's logs. Lives in the log-archive account:
 * pass that account's provider in `opts.provider`. Five buckets, each with public access blocked,
 * TLS-only policy, versioning, `BucketOwnerEnforced`, lifecycle and server access logging (except the
 * access-logs bucket itself): trail (customer key, optional Object Lock), config (customer key), elb-logs
 * (SSE-S3, the only encryption ALB log delivery supports), access-logs (SSE-S3, the only encryption
 * server access logging supports) and application-logs (customer key; FireLens via Firehose).
 */
export class LogArchiveAccount extends pulumi.ComponentResource {
    /** The bucket the trail delivers into. */
    public readonly trailBucket: aws.s3.Bucket;
    /** The trail bucket's policy; the trail must depend on it (CloudTrail checks it on creation). */
    public readonly trailBucketPolicy: aws.s3.BucketPolicy;
    /** The customer managed key that encrypts the trail's logs. */
    public readonly trailKey: aws.kms.Key;
    /** The bucket AWS Config of every stack account delivers into. */
    public readonly configBucket: aws.s3.Bucket;
    /** The config bucket's policy; AWS Config delivery channels must wait for it. */
    public readonly configBucketPolicy: aws.s3.BucketPolicy;
    /** The customer managed key of the config bucket; delivery channels name it. */
    public readonly configKey: aws.kms.Key;
    /** The bucket ALB access logs of the stack and workload accounts go to. */
    public readonly elbLogsBucket: aws.s3.Bucket;
    /** The bucket that receives the other buckets' server access logs. */
    public readonly accessLogsBucket: aws.s3.Bucket;
    /** The bucket FireLens delivery streams of the workload accounts write under `firelens/`. */
    public readonly applicationLogsBucket: aws.s3.Bucket;
    /** The customer managed key of the application-logs bucket. */
    public readonly applicationLogsKey: aws.kms.Key;
    /** Where the trail delivers (OrgTrail's `destination`): the trail bucket, its key, and their policies to wait for. */
    public readonly trailDestination: ArchiveDestination;
    /** Where AWS Config delivers (the baseline's `configDestination`): the config bucket, its key, and their policies to wait for. */
    public readonly configDestination: ArchiveDestination;
    /** The SCP protecting the archive, when `protectWithScp` is set. */
    public readonly archiveScp?: aws.organizations.Policy;
    /** Its attachment to this account, when `protectWithScp` is set. */
    public readonly archiveScpAttachment?: aws.organizations.PolicyAttachment;

    constructor(name: string, args: LogArchiveAccountArgs, opts?: pulumi.ComponentResourceOptions) {
        super("orglog:index:LogArchiveAccount", name, {}, opts);
        const resolved = resolveLogArchiveAccountArgs(args, this);
        const trailMode = resolved.trailMode;
        const glacierTransitionDays = resolved.glacierTransitionDays;
        const logRetentionDays = resolved.logRetentionDays;
        const objectLockDays = resolved.objectLockDays;
        // Logs and the keys that decrypt them outlive the stack: deleting either destroys evidence.
        const kept: pulumi.CustomResourceOptions = { parent: this, retainOnDelete: true, protect: resolved.protect };

        const partition = aws.getPartitionOutput({}, { parent: this }).partition;
        const accountId = aws.getCallerIdentityOutput({}, { parent: this }).accountId;
        const region = aws.getRegionOutput({}, { parent: this }).region;
        const sourceArn = pulumi
            .all([partition, args.homeRegion, args.managementAccountId])
            .apply(([p, homeRegion, managementAccountId]) =>
                trailArn({ partition: p, homeRegion, managementAccountId, trailName: args.trailName }),
            );
        // Everything the SCP must not be attached before: configuring any of it afterwards would be denied.
        const children: pulumi.Resource[] = [];
        const child = <T extends pulumi.Resource>(resource: T): T => {
            children.push(resource);
            return resource;
        };

        this.trailKey = child(
            new aws.kms.Key(
                `${name}-trail-key`,
                {
                    description: "Encrypts the organization trail's log files in the log archive",
                    enableKeyRotation: true,
                    deletionWindowInDays: 30,
                    policy: pulumi
                        .all([partition, accountId, args.managementAccountId, sourceArn, region])
                        .apply(([p, keyAccountId, managementAccountId, arn, r]) =>
                            JSON.stringify(
                                trailKeyPolicy({
                                    partition: p,
                                    keyAccountId,
                                    managementAccountId,
                                    trailArn: arn,
                                    readerPrincipalArns: resolved.trailReaderArns,
                                    investigatorRoleArns: resolved.investigatorRoleArns,
                                    region: r,
                                }),
                            ),
                        ),
                },
                kept,
            ),
        );
        this.configKey = child(
            new aws.kms.Key(
                `${name}-config-key`,
                {
                    description: "Encrypts AWS Config snapshots and history in the log archive",
                    enableKeyRotation: true,
                    deletionWindowInDays: 30,
                    policy: pulumi
                        .all([partition, accountId, args.organizationId])
                        .apply(([p, keyAccountId, organizationId]) =>
                            JSON.stringify(configKeyPolicy({ partition: p, keyAccountId, organizationId })),
                        ),
                },
                kept,
            ),
        );
        this.applicationLogsKey = child(
            new aws.kms.Key(
                `${name}-application-logs-key`,
                {
                    description: "Encrypts application logs that FireLens delivers through Firehose into the log archive",
                    enableKeyRotation: true,
                    deletionWindowInDays: 30,
                    policy: pulumi.all([partition, accountId, region, args.organizationId]).apply(([p, keyAccountId, r, organizationId]) =>
                        JSON.stringify(
                            applicationLogsKeyPolicy({
                                partition: p,
                                region: r,
                                keyAccountId,
                                organizationId,
                                investigatorRoleArns: resolved.investigatorRoleArns,
                            }),
                        ),
                    ),
                },
                kept,
            ),
        );

        const lifecycleRules = [
            {
                id: "archive-then-expire",
                status: "Enabled",
                filter: {},
                transitions: [{ days: glacierTransitionDays, storageClass: "GLACIER" }],
                expiration: { days: logRetentionDays },
                noncurrentVersionTransitions: [{ noncurrentDays: glacierTransitionDays, storageClass: "GLACIER" }],
                noncurrentVersionExpiration: { noncurrentDays: logRetentionDays },
                abortIncompleteMultipartUpload: { daysAfterInitiation: 7 },
            },
        ];
        // The archive SCP freezes s3:PutBucketTagging (bucket tags can grant access through ABAC), so a
        // change of the provider's default tags must never become a bucket update: the buckets take
        // their tags when they are created and ignore tag changes afterwards.
        const frozen = { ...kept, ignoreChanges: [...FROZEN_BUCKET_IGNORED_CHANGES] };
        const bucket = (role: string, shape: { objectLockEnabled?: boolean } = {}) =>
            child(newSecureBucket(`${name}-${role}-bucket`, shape, frozen));
        // All buckets first: the access-logs bucket's policy names the others, and their logging waits for that policy.
        this.accessLogsBucket = bucket("access-logs");
        this.trailBucket = bucket("trail", { objectLockEnabled: args.objectLockMode !== undefined });
        this.configBucket = bucket("config");
        this.elbLogsBucket = bucket("elb-logs");
        this.applicationLogsBucket = bucket("application-logs");
        const settings = (role: string, bucketArgs: Omit<SecureBucketSettingsArgs, "lifecycleRules">): SecureBucketSettings => {
            const applied = secureBucketSettings(`${name}-${role}-bucket`, { ...bucketArgs, lifecycleRules }, { parent: this });
            applied.all.forEach(child);
            return applied;
        };

        const logged: Array<[string, aws.s3.Bucket]> = [
            ["trail", this.trailBucket],
            ["config", this.configBucket],
            ["elb-logs", this.elbLogsBucket],
            ["application-logs", this.applicationLogsBucket],
        ];
        const accessLogs = settings("access-logs", {
            bucket: this.accessLogsBucket,
            // Server access log delivery supports only SSE-S3 on the target bucket.
            encryption: { kind: "s3" },
            policy: pulumi
                .all([this.accessLogsBucket.arn, accountId, pulumi.all(logged.map(([, b]) => b.arn))])
                .apply(([bucketArn, sourceAccountId, sourceArns]) =>
                    JSON.stringify(
                        accessLogsBucketPolicy({
                            bucketArn,
                            sourceAccountId,
                            sources: sourceArns.map((arn, i) => ({ bucketArn: arn, prefix: `${logged[i][0]}/` })),
                        }),
                    ),
                ),
        });
        const logging = (role: string) => ({
            targetBucket: this.accessLogsBucket.id,
            targetPrefix: `${role}/`,
            targetObjectKeyFormat: { partitionedPrefix: { partitionDateSource: "EventTime" } },
            dependsOn: [accessLogs.policy],
        });

        this.trailBucketPolicy = settings("trail", {
            bucket: this.trailBucket,
            encryption: { kind: "kms", keyArn: this.trailKey.arn },
            policy: pulumi
                .all([this.trailBucket.arn, partition, args.homeRegion, args.managementAccountId, args.organizationId])
                .apply(([bucketArn, p, homeRegion, managementAccountId, organizationId]) =>
                    JSON.stringify(
                        trailBucketPolicy({
                            bucketArn,
                            partition: p,
                            homeRegion,
                            managementAccountId,
                            organizationId,
                            trailName: args.trailName,
                            trailMode,
                        }),
                    ),
                ),
            logging: logging("trail"),
            objectLock: args.objectLockMode ? { mode: args.objectLockMode, days: objectLockDays! } : undefined,
        }).policy;
        this.configBucketPolicy = settings("config", {
            bucket: this.configBucket,
            encryption: { kind: "kms", keyArn: this.configKey.arn },
            policy: pulumi
                .all([this.configBucket.arn, args.organizationId])
                .apply(([bucketArn, organizationId]) => JSON.stringify(configBucketPolicy({ bucketArn, organizationId }))),
            logging: logging("config"),
        }).policy;
        // Regions that opened before August 2022 deliver ALB logs as the region's ELB account.
        const elbServiceAccountArn = region.apply((r) =>
            LEGACY_ELB_LOG_REGIONS.has(r) ? aws.elb.getServiceAccountOutput({ region: r }, { parent: this }).arn : undefined,
        );
        settings("elb-logs", {
            bucket: this.elbLogsBucket,
            // ALB access log delivery supports only SSE-S3.
            encryption: { kind: "s3" },
            policy: pulumi
                .all([this.elbLogsBucket.arn, elbServiceAccountArn, args.organizationId])
                .apply(([bucketArn, elbArn, organizationId]) =>
                    JSON.stringify(elbLogsBucketPolicy({ bucketArn, organizationId, elbServiceAccountArn: elbArn })),
                ),
            logging: logging("elb-logs"),
        });
        settings("application-logs", {
            bucket: this.applicationLogsBucket,
            encryption: { kind: "kms", keyArn: this.applicationLogsKey.arn },
            policy: pulumi
                .all([this.applicationLogsBucket.arn, partition, args.organizationId])
                .apply(([bucketArn, p, organizationId]) =>
                    JSON.stringify(applicationLogsBucketPolicy({ bucketArn, partition: p, organizationId })),
                ),
            logging: logging("application-logs"),
        });

        this.trailDestination = {
            bucketName: this.trailBucket.bucket,
            kmsKeyArn: this.trailKey.arn,
            ready: [this.trailBucketPolicy, this.trailKey],
        };
        this.configDestination = {
            bucketName: this.configBucket.bucket,
            kmsKeyArn: this.configKey.arn,
            ready: [this.configBucketPolicy, this.configKey],
        };

        if (args.protectWithScp) {
            const buckets = [this.trailBucket, this.configBucket, this.elbLogsBucket, this.accessLogsBucket, this.applicationLogsBucket];
            const keys = [this.trailKey, this.configKey, this.applicationLogsKey];
            this.archiveScp = new aws.organizations.Policy(
                `${name}-scp`,
                {
                    type: "SERVICE_CONTROL_POLICY",
                    description: "org-logging: nobody but break-glass may re-configure or delete the log archive, its objects or its keys",
                    content: pulumi
                        .all([pulumi.all(buckets.map((b) => b.arn)), pulumi.all(keys.map((k) => k.arn))])
                        .apply(([bucketArns, keyArns]) => {
                            const content = JSON.stringify(
                                archiveProtectionScp({ bucketArns, keyArns, breakGlassPrincipalArns: resolved.breakGlassPrincipalArns }),
                            );
                            if (content.length > SCP_MAX_CHARACTERS) {
                                throw new pulumi.ResourceError(
                                    `LogArchiveAccount: the archive SCP has ${content.length} characters, more than the ${SCP_MAX_CHARACTERS} AWS allows. Shorten bucket names or list fewer \`breakGlassPrincipalArns\`.`,
                                    this,
                                );
                            }
                            return content;
                        }),
                },
                { parent: this, provider: args.managementProvider },
            );
            this.archiveScpAttachment = new aws.organizations.PolicyAttachment(
                `${name}-scp-attachment`,
                { policyId: this.archiveScp.id, targetId: accountId },
                // Once attached, the deployer itself may no longer configure the archive: attach last.
                { parent: this, provider: args.managementProvider, dependsOn: [...children, ...resolved.scpDependsOn] },
            );
        }

        this.registerOutputs({
            trailBucket: this.trailBucket,
            trailBucketPolicy: this.trailBucketPolicy,
            trailKey: this.trailKey,
            configBucket: this.configBucket,
            configBucketPolicy: this.configBucketPolicy,
            configKey: this.configKey,
            elbLogsBucket: this.elbLogsBucket,
            accessLogsBucket: this.accessLogsBucket,
            applicationLogsBucket: this.applicationLogsBucket,
            applicationLogsKey: this.applicationLogsKey,
            trailDestination: this.trailDestination,
            configDestination: this.configDestination,
            archiveScp: this.archiveScp,
            archiveScpAttachment: this.archiveScpAttachment,
        });
    }
}
