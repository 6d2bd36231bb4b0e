// The one recipe for a bucket's settings: ownership enforced, public access blocked, the bucket's
// single policy, versioning, default encryption, lifecycle, server access logging and Object Lock,
// applied one after another. S3 answers `OperationAborted` ("A conflicting conditional operation is
// currently in progress") when two configuration calls on one bucket overlap, and Pulumi runs
// independent resources in parallel, so each setting waits for the one before it.
import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";

/** Default encryption of a bucket. */
export type SecureBucketEncryption =
    /** SSE-KMS with a customer key and an S3 Bucket Key (fewer KMS requests). */
    | { readonly kind: "kms"; readonly keyArn: pulumi.Input<string> }
    /** SSE-S3: what server access log delivery and ELB log delivery require of their target. */
    | { readonly kind: "s3" };

export interface SecureBucketSettingsArgs {
    /** The bucket the settings belong to. */
    readonly bucket: aws.s3.Bucket;
    readonly encryption: SecureBucketEncryption;
    /** The bucket's policy document (JSON). S3 keeps one policy per bucket: this is it. */
    readonly policy: pulumi.Input<string>;
    /** Lifecycle rules; none when absent. */
    readonly lifecycleRules?: pulumi.Input<pulumi.Input<aws.types.input.s3.BucketLifecycleConfigurationRule>[]>;
    /** Server access logging into another bucket of the same account and region. */
    readonly logging?: {
        readonly targetBucket: pulumi.Input<string>;
        readonly targetPrefix: pulumi.Input<string>;
        /** Key layout of the delivered logs; S3's simple prefix layout when absent. */
        readonly targetObjectKeyFormat?: pulumi.Input<aws.types.input.s3.BucketLoggingTargetObjectKeyFormat>;
        /** What the target must have before S3 accepts `PutBucketLogging` (its policy admitting the logging service). */
        readonly dependsOn?: pulumi.Input<pulumi.Resource>[];
    };
    /** Default Object Lock retention (the bucket must have been created with Object Lock enabled). */
    readonly objectLock?: { readonly mode: pulumi.Input<string>; readonly days: pulumi.Input<number> };
}

/** The settings' resources, for callers that order other work after one of them. */
export interface SecureBucketSettings {
    readonly ownership: aws.s3.BucketOwnershipControls;
    readonly publicAccessBlock: aws.s3.BucketPublicAccessBlock;
    readonly policy: aws.s3.BucketPolicy;
    readonly versioning: aws.s3.BucketVersioning;
    readonly encryption: aws.s3.BucketServerSideEncryptionConfiguration;
    readonly lifecycle?: aws.s3.BucketLifecycleConfiguration;
    readonly logging?: aws.s3.BucketLogging;
    readonly objectLock?: aws.s3.BucketObjectLockConfiguration;
    /** The last setting applied: depend on it to act on a fully configured bucket. */
    readonly last: pulumi.Resource;
}

/**
 * Applies the secure settings of one bucket in the order S3 needs. Children are named
 * `${prefix}-ownership`, `-public-access`, `-policy`, `-versioning`, `-encryption`, `-lifecycle`,
 * `-logging` and `-object-lock`, and get `opts` (parent, provider) as they are.
 */
export function secureBucketSettings(prefix: string, args: SecureBucketSettingsArgs, opts: pulumi.CustomResourceOptions): SecureBucketSettings {
    const bucket = args.bucket.id;
    let previous: pulumi.Resource | undefined;
    const next = <T extends pulumi.Resource>(make: (o: pulumi.CustomResourceOptions) => T, extra: pulumi.Input<pulumi.Resource>[] = []): T => {
        const dependsOn = [...(previous ? [previous] : []), ...extra];
        const resource = make(dependsOn.length > 0 ? { ...opts, dependsOn } : opts);
        previous = resource;
        return resource;
    };

    const ownership = next((o) => new aws.s3.BucketOwnershipControls(`${prefix}-ownership`, { bucket, rule: { objectOwnership: "BucketOwnerEnforced" } }, o));
    const publicAccessBlock = next(
        (o) =>
            new aws.s3.BucketPublicAccessBlock(
                `${prefix}-public-access`,
                { bucket, blockPublicAcls: true, blockPublicPolicy: true, ignorePublicAcls: true, restrictPublicBuckets: true },
                o,
            ),
    );
    // After the block: a policy written first could be public for a moment, and S3 refuses a public
    // policy once BlockPublicPolicy is on, which keeps a mistake from landing.
    const policy = next((o) => new aws.s3.BucketPolicy(`${prefix}-policy`, { bucket, policy: args.policy }, o));
    const versioning = next((o) => new aws.s3.BucketVersioning(`${prefix}-versioning`, { bucket, versioningConfiguration: { status: "Enabled" } }, o));
    const rule =
        args.encryption.kind === "kms"
            ? { applyServerSideEncryptionByDefault: { sseAlgorithm: "aws:kms", kmsMasterKeyId: args.encryption.keyArn }, bucketKeyEnabled: true }
            : { applyServerSideEncryptionByDefault: { sseAlgorithm: "AES256" } };
    const encryption = next((o) => new aws.s3.BucketServerSideEncryptionConfiguration(`${prefix}-encryption`, { bucket, rules: [rule] }, o));
    // Lifecycle rules on noncurrent versions need versioning configured first; the chain puts it after.
    const lifecycle = args.lifecycleRules
        ? next((o) => new aws.s3.BucketLifecycleConfiguration(`${prefix}-lifecycle`, { bucket, rules: args.lifecycleRules! }, o))
        : undefined;
    const logging = args.logging
        ? next(
              (o) =>
                  new aws.s3.BucketLogging(
                      `${prefix}-logging`,
                      {
                          bucket,
                          targetBucket: args.logging!.targetBucket,
                          targetPrefix: args.logging!.targetPrefix,
                          ...(args.logging!.targetObjectKeyFormat ? { targetObjectKeyFormat: args.logging!.targetObjectKeyFormat } : {}),
                      },
                      o,
                  ),
              args.logging.dependsOn,
          )
        : undefined;
    const objectLock = args.objectLock
        ? next(
              (o) =>
                  new aws.s3.BucketObjectLockConfiguration(
                      `${prefix}-object-lock`,
                      { bucket, objectLockEnabled: "Enabled", rule: { defaultRetention: { mode: args.objectLock!.mode, days: args.objectLock!.days } } },
                      o,
                  ),
          )
        : undefined;
    return { ownership, publicAccessBlock, policy, versioning, encryption, lifecycle, logging, objectLock, last: previous! };
}
