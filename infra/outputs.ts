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
    accounts: pulumi.Input<{ management: string; logArchive: string; collection: string; audit?: string }>;
}

/** The log archive (log-archive account), the trail that fills it and its alarms (management account). */
export interface LogArchiveOutputs {
    /** The AWS Organizations id (`o-...`); the organization trail writes under `AWSLogs/<organizationId>/`. */
    organizationId: pulumi.Input<string>;
    /** Name of the bucket the trail delivers into. */
    trailBucketName: pulumi.Input<string>;
    /** ARN of that bucket. */
    trailBucketArn: pulumi.Input<string>;
    /** ARN of the customer managed key that encrypts the trail's log files. */
    trailKeyArn: pulumi.Input<string>;
    /** Name of the bucket AWS Config of every stack account delivers into (`AWSLogs/<account>/Config/`). */
    configBucketName: pulumi.Input<string>;
    /** Name of the bucket ALBs deliver access logs into (`AWSLogs/<account>/`, SSE-S3). */
    elbLogsBucketName: pulumi.Input<string>;
    /** ARN of that bucket. */
    elbLogsBucketArn: pulumi.Input<string>;
    /** Name of the bucket holding the archive buckets' S3 server access logs. */
    accessLogsBucketName: pulumi.Input<string>;
    /** Name of the bucket FireLens delivery streams write under `firelens/<account id>/<service>/`. */
    applicationLogsBucketName: pulumi.Input<string>;
    /** ARN of that bucket (the Firehose destination). */
    applicationLogsBucketArn: pulumi.Input<string>;
    /** ARN of the customer managed key Firehose encrypts application logs with. */
    applicationLogsKeyArn: pulumi.Input<string>;
    /** ARN of the trail (organization trail in production). */
    trailArn: pulumi.Input<string>;
    /** CloudWatch Logs group that receives the trail's events (management account). */
    trailLogGroupName: pulumi.Input<string>;
    /** ARN of the encrypted SNS topic the CIS alarms notify (management account). */
    alarmTopicArn: pulumi.Input<string>;
}

/** The log collectors (collection account) and how the configuration pipeline reaches them. */
export interface CollectionOutputs {
    /** DNS name of the collectors' internal NLB: where senders write logs. */
    collectorNlbDnsName: pulumi.Input<string>;
    /** Listener ports: `[{ name: "forward", port: 24224, protocol: "TCP" }, { name: "syslog", port: 5140, protocol: "TCP_UDP" }]`. */
    collectorPorts: pulumi.Input<{ name: string; port: number; protocol: "TCP" | "UDP" | "TCP_UDP" }[]>;
    /** Bucket the pipeline publishes configuration to (`s3://<name>/<collectorConfigPrefix>`). */
    collectorConfigBucketName: pulumi.Input<string>;
    /** `configuration/<env>/`: the only prefix the publisher role may write and the collectors read. */
    collectorConfigPrefix: pulumi.Input<string>;
    /** `LogCollection-Deploy-<env>`: the SSM document the pipeline sends (parameters `bucket`, `prefix`). */
    collectorDeployDocumentName: pulumi.Input<string>;
    /** ARN of the encrypted topic the collectors report deploy results to. */
    collectorDeployTopicArn: pulumi.Input<string>;
    /** ARN of the role the configuration pipeline assumes through OIDC. */
    collectorPublisherRoleArn: pulumi.Input<string>;
    /** ARN of the role the configuration repository's test job assumes (`VALIDATE_ROLE_ARN`): reads this environment's secrets only. */
    collectorValidateRoleArn: pulumi.Input<string>;
    /** `log-collection/<env>/`: name prefix of the secrets the collectors may read. */
    collectorSecretPrefix: pulumi.Input<string>;
    /** `arn:<partition>:secretsmanager:<region>:<account>:secret:log-collection/<env>/*`. */
    collectorSecretArnPattern: pulumi.Input<string>;
}

/** Athena over the archive's ALB, CloudTrail and application logs (log-archive account). */
export interface AnalyticsOutputs {
    /** Glue database of the log tables. */
    athenaDatabaseName: pulumi.Input<string>;
    /** Glue table over the ALB access logs (partitions account, region, year, month, day). */
    athenaTableName: pulumi.Input<string>;
    /** Athena workgroup to run queries in (enforced encrypted results and bytes-scanned cutoff). */
    athenaWorkgroupName: pulumi.Input<string>;
    /** Glue table over the trail's records (partitions account, region, day = `yyyy/MM/dd`). */
    cloudTrailTableName: pulumi.Input<string>;
    /** Glue table over the FireLens application logs (partitions account, service, year, month, day). */
    applicationLogsTableName: pulumi.Input<string>;
    /** ARN of the investigator role (log-archive account); present only when `investigators` is configured. */
    investigatorRoleArn?: pulumi.Input<string>;
}

/** This repository's pipeline (management account). */
export interface PipelineOutputs {
    /**
     * ARN of the role this repository's deploy jobs assume through OIDC (`OrgLoggingPipeline-<environment>`):
     * the accounts' `OrgLoggingDeployer` roles trust it, and it may do nothing but assume them.
     */
    pipelineDeployerRoleArn: pulumi.Input<string>;
}

export type OrgLoggingOutputs = StackIdentityOutputs & LogArchiveOutputs & CollectionOutputs & AnalyticsOutputs & PipelineOutputs;
