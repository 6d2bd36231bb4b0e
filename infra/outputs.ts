import * as pulumi from "@pulumi/pulumi";

/*
 * The outputs contract of an org-logging stack: what other stacks read with
 * `new pulumi.StackReference("<org>/org-logging/<stack>")`. Documented in docs/outputs.md.
 * Add fields; never rename or remove one without a major version. One interface per area.
 */

/** Identity of the stack. */
export interface StackIdentityOutputs {
    /** The stack's environment name (`integration`, `production`). */
    environment: pulumi.Input<string>;
    /** Home region of the stack's resources. */
    region: pulumi.Input<string>;
    /** Account ids by role. */
    accounts: pulumi.Input<{ management: string; logArchive: string; collection: string }>;
}

/** The log archive (log-archive account). */
export interface LogArchiveOutputs {
    /** Name of the bucket the trail delivers into. */
    trailBucketName: pulumi.Input<string>;
    /** ARN of that bucket. */
    trailBucketArn: pulumi.Input<string>;
    /** ARN of the customer managed key that encrypts the trail's log files. */
    trailKeyArn: pulumi.Input<string>;
}

export type OrgLoggingOutputs = StackIdentityOutputs & LogArchiveOutputs;
