import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { trailArn, trailBucketPolicy } from "./policies/trail-bucket-policy";
import { trailKeyPolicy } from "./policies/trail-key-policy";

export interface LogArchiveAccountArgs {
    /** The AWS Organizations id (`o-...`) whose trail writes under `AWSLogs/<organization id>/`. */
    readonly organizationId: pulumi.Input<string>;
    /** The management account, which owns the trail. */
    readonly managementAccountId: pulumi.Input<string>;
    /** Region the trail is created in (its home region), part of the trail's ARN. */
    readonly homeRegion: pulumi.Input<string>;
    /** Name of the trail allowed to write (`aws:SourceArn` in the bucket and key policies). */
    readonly trailName: string;
    /**
     * `organization` admits the organization trail's `AWSLogs/<organization id>/` prefix; `account`
     * admits only the management account's own prefix. Plain: it decides which statements exist.
     * @default "organization"
     */
    readonly trailMode?: "organization" | "account";
}

/** Trail names CloudTrail accepts: 3-128 characters, letters, digits, `.`, `_`, `-`, starting and ending alphanumeric. */
const TRAIL_NAME = /^[A-Za-z0-9][A-Za-z0-9._-]{1,126}[A-Za-z0-9]$/;

/** Checks the Args that decide the shape of the component; throws one error listing every problem. */
export function validateLogArchiveAccountArgs(args: LogArchiveAccountArgs): void {
    const problems: string[] = [];
    if (!TRAIL_NAME.test(args.trailName) || /[._-]{2}/.test(args.trailName)) {
        problems.push(
            `\`trailName\` ("${args.trailName}") is not a valid trail name. Use 3-128 letters, digits, ".", "_" or "-", starting and ending with a letter or digit`,
        );
    }
    if (args.trailMode !== undefined && args.trailMode !== "organization" && args.trailMode !== "account") {
        problems.push(`\`trailMode\` ("${String(args.trailMode)}") must be "organization" or "account"`);
    }
    if (problems.length > 0) {
        throw new Error(`LogArchiveAccount: ${problems.join("; ")}.`);
    }
}

/**
 * The central, tamper-resistant store of the organization's logs. Lives in the log-archive account:
 * pass that account's provider in `opts.provider`.
 */
export class LogArchiveAccount extends pulumi.ComponentResource {
    /** The bucket the trail delivers into. */
    public readonly trailBucket: aws.s3.Bucket;
    /** The trail bucket's policy; the trail must depend on it (CloudTrail checks it on creation). */
    public readonly trailBucketPolicy: aws.s3.BucketPolicy;
    /** The customer managed key that encrypts the trail's logs. */
    public readonly trailKey: aws.kms.Key;

    constructor(name: string, args: LogArchiveAccountArgs, opts?: pulumi.ComponentResourceOptions) {
        super("orglog:index:LogArchiveAccount", name, {}, opts);
        validateLogArchiveAccountArgs(args);
        const trailMode = args.trailMode ?? "organization";
        const partition = aws.getPartitionOutput({}, { parent: this }).partition;
        const identity = aws.getCallerIdentityOutput({}, { parent: this });
        const sourceArn = pulumi
            .all([partition, args.homeRegion, args.managementAccountId])
            .apply(([p, region, management]) =>
                trailArn({ partition: p, homeRegion: region, managementAccountId: management, trailName: args.trailName }),
            );

        this.trailKey = new aws.kms.Key(
            `${name}-trail-key`,
            {
                description: "Encrypts the organization trail's log files in the log archive",
                enableKeyRotation: true,
                deletionWindowInDays: 30,
                policy: pulumi
                    .all([partition, identity.accountId, args.managementAccountId, sourceArn])
                    .apply(([p, keyAccountId, managementAccountId, arn]) =>
                        JSON.stringify(trailKeyPolicy({ partition: p, keyAccountId, managementAccountId, trailArn: arn })),
                    ),
            },
            { parent: this },
        );

        this.trailBucket = new aws.s3.Bucket(`${name}-trail-bucket`, { forceDestroy: false }, { parent: this });
        const bucket = this.trailBucket.id;

        new aws.s3.BucketOwnershipControls(
            `${name}-trail-bucket-ownership`,
            { bucket, rule: { objectOwnership: "BucketOwnerEnforced" } },
            { parent: this },
        );
        new aws.s3.BucketPublicAccessBlock(
            `${name}-trail-bucket-public-access`,
            { bucket, blockPublicAcls: true, blockPublicPolicy: true, ignorePublicAcls: true, restrictPublicBuckets: true },
            { parent: this },
        );
        new aws.s3.BucketVersioning(
            `${name}-trail-bucket-versioning`,
            { bucket, versioningConfiguration: { status: "Enabled" } },
            { parent: this },
        );
        new aws.s3.BucketServerSideEncryptionConfiguration(
            `${name}-trail-bucket-encryption`,
            {
                bucket,
                rules: [
                    {
                        applyServerSideEncryptionByDefault: { sseAlgorithm: "aws:kms", kmsMasterKeyId: this.trailKey.arn },
                        bucketKeyEnabled: true,
                    },
                ],
            },
            { parent: this },
        );
        this.trailBucketPolicy = new aws.s3.BucketPolicy(
            `${name}-trail-bucket-policy`,
            {
                bucket,
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
            },
            { parent: this },
        );

        this.registerOutputs({
            trailBucket: this.trailBucket,
            trailBucketPolicy: this.trailBucketPolicy,
            trailKey: this.trailKey,
        });
    }
}
