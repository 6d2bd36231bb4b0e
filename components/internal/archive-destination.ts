import * as pulumi from "@pulumi/pulumi";

/**
 * A place in the log archive a service delivers into: the bucket, the customer managed key its
 * objects are encrypted with, and what must exist before a delivery is set up. CloudTrail and AWS
 * Config check the bucket and key policies when a trail or delivery channel is created and fail
 * otherwise. `LogArchiveAccount` provides one for its trail bucket and one for its config bucket.
 */
export interface ArchiveDestination {
    /** Name of the bucket (in the log-archive account). */
    readonly bucketName: pulumi.Input<string>;
    /** ARN of the key that encrypts what is delivered. */
    readonly kmsKeyArn: pulumi.Input<string>;
    /**
     * What the delivery waits for: the bucket's policy and the key (with its policy).
     * @default []
     */
    readonly ready?: pulumi.Input<pulumi.Resource>[];
}
