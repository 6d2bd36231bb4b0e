// The one recipe for a bucket: the bucket itself (never force-destroyed) and its settings, ownership
// enforced, public access blocked, the bucket's single policy, versioning, default encryption,
// lifecycle, server access logging and Object Lock, applied one after another. S3 answers
// `OperationAborted` ("A conflicting conditional operation is currently in progress") when two
// configuration calls on one bucket overlap, and Pulumi runs independent resources in parallel, so
// each setting waits for the one before it.
import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { tlsOnlyBucketPolicy } from "../policies/document";

/** Default encryption of a bucket. */
export type SecureBucketEncryption =
    /** SSE-KMS with a customer key and an S3 Bucket Key (fewer KMS requests). */
    | { readonly kind: "kms"; readonly keyArn: pulumi.Input<string> }
    /** SSE-S3: what server access log delivery and ELB log delivery require of their target. */
    | { readonly kind: "s3" };

/** Server access logging of a bucket into another bucket of the same account and region. */
export interface SecureBucketLogging {
    readonly targetBucket: pulumi.Input<string>;
    readonly targetPrefix: pulumi.Input<string>;
    /** Key layout of the delivered logs; S3's simple prefix layout when absent. */
    readonly targetObjectKeyFormat?: pulumi.Input<aws.types.input.s3.BucketLoggingTargetObjectKeyFormat>;
    /** What the target must have before S3 accepts `PutBucketLogging` (its policy admitting the logging service). */
    readonly dependsOn?: pulumi.Input<pulumi.Resource>[];
}

export interface SecureBucketSettingsArgs {
    /** The bucket the settings belong to (made with `newSecureBucket`). */
    readonly bucket: aws.s3.Bucket;
    readonly encryption: SecureBucketEncryption;
    /**
     * The bucket's policy document (JSON). S3 keeps one policy per bucket: this is it, so whoever
     * needs access to the bucket says so through the owner's Args, never with a second policy.
     * @default - TLS only, nothing granted (a bucket its own account reads and writes through IAM)
     */
    readonly policy?: pulumi.Input<string>;
    /** Lifecycle rules; none when absent. */
    readonly lifecycleRules?: pulumi.Input<pulumi.Input<aws.types.input.s3.BucketLifecycleConfigurationRule>[]>;
    /** Server access logging; none when absent. */
    readonly logging?: SecureBucketLogging;
    /** Default Object Lock retention (the bucket must have been created with `objectLockEnabled`). */
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
    /** Every setting, in the order applied. */
    readonly all: pulumi.Resource[];
}

/**
 * A bucket that is never force-destroyed, with Object Lock when asked (which S3 allows only when the
 * bucket is created). Its settings come from `secureBucketSettings`: the two are separate so that
 * buckets whose policies name each other (a log target and its sources) can all exist first.
 */
export function newSecureBucket(
    name: string,
    shape: { readonly objectLockEnabled?: boolean },
    opts: pulumi.CustomResourceOptions,
): aws.s3.Bucket {
    return new aws.s3.Bucket(name, { forceDestroy: false, ...(shape.objectLockEnabled ? { objectLockEnabled: true } : {}) }, opts);
}

/**
 * Applies the secure settings of one bucket in the order S3 needs. Children are named
 * `${prefix}-ownership`, `-public-access`, `-policy`, `-versioning`, `-encryption`, `-lifecycle`,
 * `-logging` and `-object-lock`, and get `opts` (parent, provider) as they are.
 */
export function secureBucketSettings(
    prefix: string,
    args: SecureBucketSettingsArgs,
    opts: pulumi.CustomResourceOptions,
): SecureBucketSettings {
    const bucket = args.bucket.id;
    const all: pulumi.Resource[] = [];
    const next = <T extends pulumi.Resource>(
        make: (o: pulumi.CustomResourceOptions) => T,
        extra: pulumi.Input<pulumi.Resource>[] = [],
    ): T => {
        const previous = all[all.length - 1];
        const dependsOn = [...(previous ? [previous] : []), ...extra];
        const resource = make(dependsOn.length > 0 ? { ...opts, dependsOn } : opts);
        all.push(resource);
        return resource;
    };

    const ownership = next(
        (o) => new aws.s3.BucketOwnershipControls(`${prefix}-ownership`, { bucket, rule: { objectOwnership: "BucketOwnerEnforced" } }, o),
    );
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
    const document = args.policy ?? args.bucket.arn.apply((bucketArn) => JSON.stringify(tlsOnlyBucketPolicy({ bucketArn })));
    const policy = next((o) => new aws.s3.BucketPolicy(`${prefix}-policy`, { bucket, policy: document }, o));
    const versioning = next(
        (o) => new aws.s3.BucketVersioning(`${prefix}-versioning`, { bucket, versioningConfiguration: { status: "Enabled" } }, o),
    );
    const rule =
        args.encryption.kind === "kms"
            ? {
                  applyServerSideEncryptionByDefault: { sseAlgorithm: "aws:kms", kmsMasterKeyId: args.encryption.keyArn },
                  bucketKeyEnabled: true,
              }
            : { applyServerSideEncryptionByDefault: { sseAlgorithm: "AES256" } };
    const encryption = next(
        (o) => new aws.s3.BucketServerSideEncryptionConfiguration(`${prefix}-encryption`, { bucket, rules: [rule] }, o),
    );
    // Lifecycle rules on noncurrent versions need versioning configured first; the chain puts it after.
    const rules = args.lifecycleRules;
    const lifecycle = rules ? next((o) => new aws.s3.BucketLifecycleConfiguration(`${prefix}-lifecycle`, { bucket, rules }, o)) : undefined;
    const log = args.logging;
    const logging = log
        ? next(
              (o) =>
                  new aws.s3.BucketLogging(
                      `${prefix}-logging`,
                      {
                          bucket,
                          targetBucket: log.targetBucket,
                          targetPrefix: log.targetPrefix,
                          ...(log.targetObjectKeyFormat ? { targetObjectKeyFormat: log.targetObjectKeyFormat } : {}),
                      },
                      o,
                  ),
              // Logs delivered before the target's policy admits them would be dropped.
              log.dependsOn,
          )
        : undefined;
    const lock = args.objectLock;
    const objectLock = lock
        ? next(
              (o) =>
                  new aws.s3.BucketObjectLockConfiguration(
                      `${prefix}-object-lock`,
                      { bucket, objectLockEnabled: "Enabled", rule: { defaultRetention: { mode: lock.mode, days: lock.days } } },
                      o,
                  ),
          )
        : undefined;
    return { ownership, publicAccessBlock, policy, versioning, encryption, lifecycle, logging, objectLock, last: all[all.length - 1], all };
}

export interface SecureBucketArgs extends Omit<SecureBucketSettingsArgs, "bucket"> {
    /** Options of the bucket itself (`retainOnDelete`, `protect`, `ignoreChanges`); its settings get `opts`. */
    readonly bucketOptions?: pulumi.CustomResourceOptions;
}

/** A bucket named `name` and its settings (`${name}-ownership`, ...): `newSecureBucket` then `secureBucketSettings`. */
export function secureBucket(
    name: string,
    args: SecureBucketArgs,
    opts: pulumi.CustomResourceOptions,
): SecureBucketSettings & { readonly bucket: aws.s3.Bucket } {
    const { bucketOptions, ...settings } = args;
    const bucket = newSecureBucket(name, { objectLockEnabled: args.objectLock !== undefined }, bucketOptions ?? opts);
    return { bucket, ...secureBucketSettings(name, { bucket, ...settings }, opts) };
}
