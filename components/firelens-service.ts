import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { assertNoProblems, logRetentionProblem, WithDefaults } from "./internal/validation";
import { secureBucket } from "./internal/secure-bucket";
import { createHash } from "crypto";
import { FluentBitFilter, FluentBitParser, fluentBitProblems, renderFluentBitConfig, renderFluentBitParsers } from "./internal/fluent-bit-config";
import {
    ecsTasksTrustPolicy,
    firehoseTrustPolicy,
    firelensArchivePrefix,
    firelensExecutionRolePolicy,
    firelensFirehoseRoleName,
    firelensFirehoseRolePolicy,
    firelensTaskRolePolicy,
} from "./policies/firelens-role-policies";
import { firelensKeyPolicy } from "./policies/firelens-resource-policies";

export type { FluentBitFilter, FluentBitParser } from "./internal/fluent-bit-config";

/** The AWS for Fluent Bit image with the init process (S3 config loading); pinned, never `latest`. */
export const DEFAULT_FLUENT_BIT_IMAGE = "public.ecr.aws/aws-observability/aws-for-fluent-bit:init-2.32.2.20240425";

/** Fluent forward port that FireLens opens in the log router; it must never be published. */
export const FLUENT_FORWARD_PORT = 24224;

export type FirehoseCompression = "GZIP" | "ZIP" | "Snappy" | "HADOOP_SNAPPY" | "UNCOMPRESSED";

export interface FireLensServiceArgs {
    /**
     * Name of the service: the task family, the `firelens/<account id>/<service>/` prefix in the archive and the
     * Firehose role `firelens-<service>-firehose` that the archive's policies admit. Plain: it names
     * physical resources. 1-32 lower-case letters, digits and dashes.
     */
    readonly serviceName: string;
    /** The application's container image. Private ECR images get pull rights on their repository only. */
    readonly image: pulumi.Input<string>;
    /** Port the application listens on. Plain: validated (it must not be the log router's 24224). */
    readonly containerPort: number;
    /** Variables for the application container. @default - none */
    readonly environment?: Readonly<Record<string, pulumi.Input<string>>>;
    /** Task CPU units. Plain: validated against the Fargate sizes. @default 512 */
    readonly cpu?: number;
    /** Task memory in MiB. Plain: validated against the log router's reservation. @default 1024 */
    readonly memoryMiB?: number;
    /** @default 2 */
    readonly desiredCount?: pulumi.Input<number>;
    /**
     * Cluster to run in.
     * @default - a cluster with Container Insights is created
     */
    readonly clusterArn?: pulumi.Input<string>;
    /** VPC of the tasks. */
    readonly vpcId: pulumi.Input<string>;
    /** Private subnets of the tasks; they get no public IP. */
    readonly subnetIds: pulumi.Input<pulumi.Input<string>[]>;
    /**
     * Security group (usually the load balancer's) allowed to reach `containerPort`. Nothing else may
     * connect to the tasks.
     * @default - no inbound traffic
     */
    readonly ingressSecurityGroupId?: pulumi.Input<string>;
    /**
     * Target group the service registers its tasks in (`ip` targets on `containerPort`).
     * @default - the service is not behind a load balancer
     */
    readonly targetGroupArn?: pulumi.Input<string>;
    /** ARN of the log archive's applicationLogs bucket (log-archive account), the Firehose destination. */
    readonly archiveBucketArn: pulumi.Input<string>;
    /** ARN of the key that encrypts that bucket; Firehose encrypts the objects it writes with it. */
    readonly archiveKeyArn: pulumi.Input<string>;
    /** Firehose buffer size before delivery, 1-128 MiB. Plain: validated. @default 5 */
    readonly firehoseBufferingSizeMiB?: number;
    /** Firehose buffer time before delivery, 0-900 seconds. Plain: validated. @default 300 */
    readonly firehoseBufferingIntervalSeconds?: number;
    /** Compression of the archived objects. @default "GZIP" */
    readonly compression?: FirehoseCompression;
    /**
     * Retention of the CloudWatch Logs groups (a value CloudWatch accepts). The archive keeps the
     * long-term copy, but shorter than a year loses the searchable one. Plain: validated.
     * @default 365
     */
    readonly logRetentionDays?: number;
    /** Fluent Bit filters applied to the application's records before both outputs. @default - none */
    readonly filters?: readonly FluentBitFilter[];
    /** Fluent Bit parsers the filters refer to. @default - none */
    readonly parsers?: readonly FluentBitParser[];
    /**
     * Memory the application's records may buffer in the log router (`Emitter_Mem_Buf_Limit`) before
     * ingestion pauses. Plain: validated against the reservation.
     * @default 32
     */
    readonly memBufLimitMiB?: number;
    /**
     * Memory reserved for the log router, MiB. AWS observes Fluent Bit staying under twice the sum of
     * its buffer limits, so it must be at least 2 x `memBufLimitMiB` (Fluent Bit's published figure is
     * 65 MB at 10,000 lines/s).
     * @default 128
     */
    readonly logRouterMemoryReservationMiB?: number;
    /** @default DEFAULT_FLUENT_BIT_IMAGE (an `init-` tag: the S3 config loading needs the init process) */
    readonly fluentBitImage?: pulumi.Input<string>;
}

const SERVICE_NAME = /^[a-z](?:[a-z0-9-]{0,30}[a-z0-9])?$/;
const FARGATE_CPU = [256, 512, 1024, 2048, 4096, 8192, 16384];
const COMPRESSION: FirehoseCompression[] = ["GZIP", "ZIP", "Snappy", "HADOOP_SNAPPY", "UNCOMPRESSED"];

const isInt = (v: number) => Number.isInteger(v);

/** FireLensServiceArgs with every default applied, as the component uses them. */
export type ResolvedFireLensServiceArgs = WithDefaults<FireLensServiceArgs, "cpu" | "memoryMiB" | "memBufLimitMiB" | "logRouterMemoryReservationMiB" | "firehoseBufferingSizeMiB" | "firehoseBufferingIntervalSeconds" | "logRetentionDays" | "filters" | "parsers" | "fluentBitImage" | "compression" | "environment" | "desiredCount">;

/**
 * Applies the defaults of the Args (each once) and checks them; throws one `pulumi.ResourceError`
 * listing every problem, one per line (at `parent`, the component, when given).
 */
export function resolveFireLensServiceArgs(args: FireLensServiceArgs, parent?: pulumi.Resource): ResolvedFireLensServiceArgs {
    const resolved: ResolvedFireLensServiceArgs = {
        ...args,
        cpu: args.cpu ?? 512,
        memoryMiB: args.memoryMiB ?? 1024,
        memBufLimitMiB: args.memBufLimitMiB ?? 32,
        logRouterMemoryReservationMiB: args.logRouterMemoryReservationMiB ?? 128,
        firehoseBufferingSizeMiB: args.firehoseBufferingSizeMiB ?? 5,
        firehoseBufferingIntervalSeconds: args.firehoseBufferingIntervalSeconds ?? 300,
        logRetentionDays: args.logRetentionDays ?? 365,
        filters: args.filters ?? [],
        parsers: args.parsers ?? [],
        fluentBitImage: args.fluentBitImage ?? DEFAULT_FLUENT_BIT_IMAGE,
        compression: args.compression ?? "GZIP",
        environment: args.environment ?? {},
        desiredCount: args.desiredCount ?? 2,
    };
    const problems: string[] = [];
    if (!SERVICE_NAME.test(args.serviceName)) {
        problems.push(`\`serviceName\` ("${args.serviceName}") is not a service name. Use 1-32 lower-case letters, digits and "-", starting with a letter and not ending with "-"`);
    }
    if (!isInt(args.containerPort) || args.containerPort < 1 || args.containerPort > 65535) {
        problems.push(`\`containerPort\` (${args.containerPort}) is not a TCP port. Use a whole number from 1 to 65535`);
    } else if (args.containerPort === FLUENT_FORWARD_PORT) {
        problems.push(`\`containerPort\` (${FLUENT_FORWARD_PORT}) is the log router's Fluent forward port, which must never be exposed. Let the application listen on another port`);
    }
    const cpu = resolved.cpu;
    if (!FARGATE_CPU.includes(cpu)) {
        problems.push(`\`cpu\` (${cpu}) is not a Fargate task size. Use one of ${FARGATE_CPU.join(", ")}`);
    }
    const memory = resolved.memoryMiB;
    const memBufLimit = resolved.memBufLimitMiB;
    const reservation = resolved.logRouterMemoryReservationMiB;
    if (!isInt(memBufLimit) || memBufLimit < 1) {
        problems.push(`\`memBufLimitMiB\` (${memBufLimit}) must be a whole number of MiB, at least 1`);
    }
    if (!isInt(reservation) || reservation < 2 * memBufLimit) {
        problems.push(
            `\`logRouterMemoryReservationMiB\` (${reservation}) is less than twice \`memBufLimitMiB\` (${memBufLimit}); Fluent Bit can use up to twice its buffer limit. Raise the reservation to at least ${2 * memBufLimit} or lower the limit`,
        );
    }
    if (!isInt(memory) || memory < 512) {
        problems.push(`\`memoryMiB\` (${memory}) is not a Fargate task memory size. Use a whole number of MiB, at least 512`);
    } else if (reservation >= memory) {
        problems.push(`\`logRouterMemoryReservationMiB\` (${reservation}) leaves no memory for the application in a task of \`memoryMiB\` ${memory}. Raise \`memoryMiB\``);
    }
    const size = resolved.firehoseBufferingSizeMiB;
    if (!isInt(size) || size < 1 || size > 128) {
        problems.push(`\`firehoseBufferingSizeMiB\` (${size}) is outside what Firehose accepts. Use a whole number from 1 to 128`);
    }
    const interval = resolved.firehoseBufferingIntervalSeconds;
    if (!isInt(interval) || interval < 0 || interval > 900) {
        problems.push(`\`firehoseBufferingIntervalSeconds\` (${interval}) is outside what Firehose accepts. Use a whole number from 0 to 900`);
    }
    if (args.compression !== undefined && !COMPRESSION.includes(args.compression)) {
        problems.push(`\`compression\` ("${String(args.compression)}") is not a Firehose compression format. Use one of ${COMPRESSION.join(", ")}`);
    }
    const retentionProblem = logRetentionProblem("logRetentionDays", resolved.logRetentionDays);
    if (retentionProblem) {
        problems.push(retentionProblem);
    }
    problems.push(...fluentBitProblems(resolved.filters, resolved.parsers));
    assertNoProblems("FireLensService", problems, parent);
    return resolved;
}

/** The Firehose prefixes of a service of `accountId`: data by day, and errors under the same service prefix. */
export function firehosePrefixes(accountId: string, serviceName: string): { prefix: string; errorOutputPrefix: string } {
    const base = firelensArchivePrefix(accountId, serviceName);
    const day = "year=!{timestamp:yyyy}/month=!{timestamp:MM}/day=!{timestamp:dd}/";
    // Errors stay under firelens/<account id>/<service>/: the archive admits the account's roles only under its own segment.
    return { prefix: `${base}${day}`, errorOutputPrefix: `${base}errors/!{firehose:error-output-type}/${day}` };
}

const APP_CONTAINER = "app";
const LOG_ROUTER_CONTAINER = "log-router";

/**
 * An ECS Fargate service whose application logs go through a FireLens (AWS for Fluent Bit) sidecar to
 * CloudWatch Logs and, through Kinesis Data Firehose, to the central log archive. Lives in a workload
 * account: pass that account's provider in `opts.provider`.
 *
 * The Fluent Bit configuration is rendered from Args into an S3 object in the workload account and
 * loaded by the init image (Fargate only takes `config-file-type=file`). The object key carries a
 * hash of its content, so a changed configuration is a new task definition revision and a rolling
 * deployment, never an edit under running tasks.
 */
export class FireLensService extends pulumi.ComponentResource {
    /** The ARN of the cluster the service runs in (passed in or created). */
    public readonly clusterArn: pulumi.Output<string>;
    public readonly service: aws.ecs.Service;
    public readonly taskDefinition: aws.ecs.TaskDefinition;
    /** Role of the running task (application and log router). */
    public readonly taskRole: aws.iam.Role;
    /** Role ECS uses to start the task (image pulls, the log router's own logs). */
    public readonly executionRole: aws.iam.Role;
    /** `firelens-<service>-firehose`: the role the archive's bucket and key policies admit. */
    public readonly firehoseRole: aws.iam.Role;
    public readonly deliveryStream: aws.kinesis.FirehoseDeliveryStream;
    /** CloudWatch Logs group of the application's logs (written by Fluent Bit). */
    public readonly appLogGroup: aws.cloudwatch.LogGroup;
    /** CloudWatch Logs group of the log router's own output (awslogs driver). */
    public readonly logRouterLogGroup: aws.cloudwatch.LogGroup;
    /** Bucket holding the rendered Fluent Bit configuration. */
    public readonly configBucket: aws.s3.Bucket;
    /** Key of the service's log groups, config bucket and delivery stream. */
    public readonly key: aws.kms.Key;
    /** Security group of the tasks. */
    public readonly securityGroup: aws.ec2.SecurityGroup;
    /** The rendered Fluent Bit configuration (filters and outputs). */
    public readonly fluentBitConfig: pulumi.Output<string>;

    constructor(name: string, args: FireLensServiceArgs, opts?: pulumi.ComponentResourceOptions) {
        super("orglog:index:FireLensService", name, {}, opts);
        const resolved = resolveFireLensServiceArgs(args, this);
        const service = args.serviceName;
        const cpu = resolved.cpu;
        const memory = resolved.memoryMiB;
        const memBufLimitMiB = resolved.memBufLimitMiB;
        const parsers = resolved.parsers;
        const fluentBitImage = resolved.fluentBitImage;

        const partition = aws.getPartitionOutput({}, { parent: this }).partition;
        const accountId = aws.getCallerIdentityOutput({}, { parent: this }).accountId;
        const region = aws.getRegionOutput({}, { parent: this }).region;

        const logGroupPrefix = `/org-logging/firelens/${service}/`;
        this.key = new aws.kms.Key(
            `${name}-key`,
            {
                description: `Encrypts the logs, Fluent Bit config and delivery stream of FireLens service ${service}`,
                enableKeyRotation: true,
                deletionWindowInDays: 30,
                policy: pulumi
                    .all([partition, accountId, region])
                    .apply(([p, account, r]) =>
                        JSON.stringify(firelensKeyPolicy({ partition: p, accountId: account, region: r, logGroupNamePrefix: logGroupPrefix })),
                    ),
            },
            { parent: this },
        );

        const retentionInDays = resolved.logRetentionDays;
        this.appLogGroup = new aws.cloudwatch.LogGroup(
            `${name}-app-logs`,
            { name: `${logGroupPrefix}app`, retentionInDays, kmsKeyId: this.key.arn },
            { parent: this },
        );
        this.logRouterLogGroup = new aws.cloudwatch.LogGroup(
            `${name}-log-router-logs`,
            { name: `${logGroupPrefix}log-router`, retentionInDays, kmsKeyId: this.key.arn },
            { parent: this },
        );
        const firehoseLogGroup = new aws.cloudwatch.LogGroup(
            `${name}-firehose-logs`,
            { name: `${logGroupPrefix}firehose`, retentionInDays, kmsKeyId: this.key.arn },
            { parent: this },
        );
        const firehoseLogStream = new aws.cloudwatch.LogStream(
            `${name}-firehose-log-stream`,
            { logGroupName: firehoseLogGroup.name, name: "S3Delivery" },
            { parent: this },
        );

        const configBucket = secureBucket(`${name}-config-bucket`, { encryption: { kind: "kms", keyArn: this.key.arn } }, { parent: this });
        this.configBucket = configBucket.bucket;
        const encryption = configBucket.encryption;
        const configBucketId = this.configBucket.id;

        const streamName = `firelens-${service}`;
        this.firehoseRole = new aws.iam.Role(
            `${name}-firehose-role`,
            {
                name: firelensFirehoseRoleName(service),
                description: `Firehose delivery of FireLens service ${service} into the log archive`,
                assumeRolePolicy: accountId.apply((account) => JSON.stringify(firehoseTrustPolicy({ accountId: account }))),
            },
            { parent: this },
        );
        const firehoseRolePolicy = new aws.iam.RolePolicy(
            `${name}-firehose-role-policy`,
            {
                role: this.firehoseRole.id,
                policy: pulumi
                    .all([args.archiveBucketArn, args.archiveKeyArn, region, firehoseLogGroup.arn, accountId])
                    .apply(([archiveBucketArn, archiveKeyArn, r, firehoseLogGroupArn, account]) =>
                        JSON.stringify(firelensFirehoseRolePolicy({ accountId: account, archiveBucketArn, archiveKeyArn, serviceName: service, region: r, firehoseLogGroupArn })),
                    ),
            },
            { parent: this },
        );

        const prefixes = accountId.apply((account) => firehosePrefixes(account, service));
        this.deliveryStream = new aws.kinesis.FirehoseDeliveryStream(
            `${name}-delivery-stream`,
            {
                name: streamName,
                destination: "extended_s3",
                serverSideEncryption: { enabled: true, keyType: "CUSTOMER_MANAGED_CMK", keyArn: this.key.arn },
                extendedS3Configuration: {
                    roleArn: this.firehoseRole.arn,
                    bucketArn: args.archiveBucketArn,
                    prefix: prefixes.prefix,
                    errorOutputPrefix: prefixes.errorOutputPrefix,
                    bufferingSize: resolved.firehoseBufferingSizeMiB,
                    bufferingInterval: resolved.firehoseBufferingIntervalSeconds,
                    compressionFormat: resolved.compression,
                    kmsKeyArn: args.archiveKeyArn,
                    cloudwatchLoggingOptions: { enabled: true, logGroupName: firehoseLogGroup.name, logStreamName: firehoseLogStream.name },
                },
            },
            // Firehose checks on creation that its role can write to the destination.
            { parent: this, dependsOn: [firehoseRolePolicy] },
        );

        this.fluentBitConfig = pulumi
            .all([region, this.appLogGroup.name, this.deliveryStream.name])
            .apply(([r, logGroupName, deliveryStreamName]) =>
                renderFluentBitConfig({
                    serviceName: service,
                    appContainerName: APP_CONTAINER,
                    region: r,
                    logGroupName,
                    deliveryStreamName,
                    memBufLimitMiB,
                    filters: resolved.filters,
                }),
            );
        const configObject = this.configObject(name, "service", "service.conf", this.fluentBitConfig, configBucketId, [encryption]);
        const parsersText = renderFluentBitParsers(parsers);
        const parsersObject = parsers.length > 0 ? this.configObject(name, "parsers", "parsers.conf", pulumi.output(parsersText), configBucketId, [encryption]) : undefined;
        const configObjects = parsersObject ? [configObject, parsersObject] : [configObject];
        const configObjectArns = pulumi.all(configObjects.map((o) => pulumi.interpolate`${this.configBucket.arn}/${o.key}`));

        const trust = pulumi
            .all([partition, accountId, region])
            .apply(([p, account, r]) => JSON.stringify(ecsTasksTrustPolicy({ partition: p, accountId: account, region: r })));
        this.taskRole = new aws.iam.Role(
            `${name}-task-role`,
            { description: `Task role of FireLens service ${service}`, assumeRolePolicy: trust },
            { parent: this },
        );
        const taskRolePolicy = new aws.iam.RolePolicy(
            `${name}-task-role-policy`,
            {
                role: this.taskRole.id,
                policy: pulumi
                    .all([configObjectArns, this.configBucket.arn, this.key.arn, region, this.deliveryStream.arn, this.appLogGroup.arn])
                    .apply(([objectArns, configBucketArn, configKeyArn, r, deliveryStreamArn, appLogGroupArn]) =>
                        JSON.stringify(
                            firelensTaskRolePolicy({ configObjectArns: objectArns, configBucketArn, configKeyArn, region: r, deliveryStreamArn, appLogGroupArn }),
                        ),
                    ),
            },
            { parent: this },
        );
        this.executionRole = new aws.iam.Role(
            `${name}-execution-role`,
            { description: `Execution role of FireLens service ${service}`, assumeRolePolicy: trust },
            { parent: this },
        );
        const executionRolePolicy = new aws.iam.RolePolicy(
            `${name}-execution-role-policy`,
            {
                role: this.executionRole.id,
                policy: pulumi
                    .all([partition, this.logRouterLogGroup.arn, args.image, fluentBitImage])
                    .apply(([p, logRouterLogGroupArn, image, routerImage]) =>
                        JSON.stringify(firelensExecutionRolePolicy({ partition: p, logRouterLogGroupArn, images: [image, routerImage] })),
                    ),
            },
            { parent: this },
        );

        const initEnvironment = configObjectArns.apply((arns) => arns.map((arn, i) => ({ name: `aws_fluent_bit_init_s3_${i + 1}`, value: arn })));
        const appEnvironment = pulumi
            .all(Object.entries(resolved.environment).map(([key, value]) => pulumi.output(value).apply((v) => ({ name: key, value: v }))))
            .apply((list) => list.sort((a, b) => a.name.localeCompare(b.name)));
        this.taskDefinition = new aws.ecs.TaskDefinition(
            `${name}-task`,
            {
                family: service,
                requiresCompatibilities: ["FARGATE"],
                networkMode: "awsvpc",
                cpu: String(cpu),
                memory: String(memory),
                runtimePlatform: { operatingSystemFamily: "LINUX", cpuArchitecture: "X86_64" },
                taskRoleArn: this.taskRole.arn,
                executionRoleArn: this.executionRole.arn,
                containerDefinitions: pulumi
                    .all([args.image, fluentBitImage, initEnvironment, appEnvironment, region, this.logRouterLogGroup.name])
                    .apply(([image, routerImage, initEnv, appEnv, r, routerLogGroup]) =>
                        JSON.stringify([
                            {
                                name: LOG_ROUTER_CONTAINER,
                                image: routerImage,
                                essential: true,
                                memoryReservation: resolved.logRouterMemoryReservationMiB,
                                // No config-file-type: Fargate only reads files inside the image; the init process loads ours from S3.
                                firelensConfiguration: { type: "fluentbit", options: { "enable-ecs-log-metadata": "true" } },
                                environment: initEnv,
                                // The router's own output cannot go through itself.
                                logConfiguration: {
                                    logDriver: "awslogs",
                                    options: { "awslogs-group": routerLogGroup, "awslogs-region": r, "awslogs-stream-prefix": LOG_ROUTER_CONTAINER },
                                },
                                // Deliberately no portMappings: FireLens listens on 24224 for the task only.
                                portMappings: [],
                            },
                            {
                                name: APP_CONTAINER,
                                image,
                                essential: true,
                                portMappings: [{ containerPort: args.containerPort, protocol: "tcp" }],
                                environment: appEnv,
                                logConfiguration: { logDriver: "awsfirelens" },
                                dependsOn: [{ containerName: LOG_ROUTER_CONTAINER, condition: "START" }],
                            },
                        ]),
                    ),
            },
            // The roles' policies must exist before a task starts with them.
            { parent: this, dependsOn: [taskRolePolicy, executionRolePolicy] },
        );

        this.securityGroup = new aws.ec2.SecurityGroup(
            `${name}-tasks-sg`,
            { vpcId: args.vpcId, description: `Tasks of FireLens service ${service}` },
            { parent: this },
        );
        if (args.ingressSecurityGroupId !== undefined) {
            new aws.vpc.SecurityGroupIngressRule(
                `${name}-tasks-ingress`,
                {
                    securityGroupId: this.securityGroup.id,
                    referencedSecurityGroupId: args.ingressSecurityGroupId,
                    ipProtocol: "tcp",
                    fromPort: args.containerPort,
                    toPort: args.containerPort,
                    description: `Load balancer to the application port of ${service}`,
                },
                { parent: this },
            );
        }
        new aws.vpc.SecurityGroupEgressRule(
            `${name}-tasks-egress-https`,
            {
                securityGroupId: this.securityGroup.id,
                cidrIpv4: "0.0.0.0/0",
                ipProtocol: "tcp",
                fromPort: 443,
                toPort: 443,
                description: "HTTPS to AWS APIs (ECR, S3, CloudWatch Logs, Firehose)",
            },
            { parent: this },
        );

        let clusterArn: pulumi.Input<string>;
        if (args.clusterArn !== undefined) {
            clusterArn = args.clusterArn;
        } else {
            clusterArn = new aws.ecs.Cluster(
                `${name}-cluster`,
                { settings: [{ name: "containerInsights", value: "enabled" }] },
                { parent: this },
            ).arn;
        }
        this.clusterArn = pulumi.output(clusterArn);

        this.service = new aws.ecs.Service(
            `${name}-service`,
            {
                cluster: clusterArn,
                taskDefinition: this.taskDefinition.arn,
                desiredCount: resolved.desiredCount,
                launchType: "FARGATE",
                platformVersion: "LATEST",
                networkConfiguration: { subnets: args.subnetIds, securityGroups: [this.securityGroup.id], assignPublicIp: false },
                loadBalancers:
                    args.targetGroupArn !== undefined
                        ? [{ targetGroupArn: args.targetGroupArn, containerName: APP_CONTAINER, containerPort: args.containerPort }]
                        : [],
                deploymentCircuitBreaker: { enable: true, rollback: true },
                enableExecuteCommand: false,
                propagateTags: "SERVICE",
            },
            { parent: this },
        );

        this.registerOutputs({
            clusterArn: this.clusterArn,
            service: this.service,
            taskDefinition: this.taskDefinition,
            taskRole: this.taskRole,
            executionRole: this.executionRole,
            firehoseRole: this.firehoseRole,
            deliveryStream: this.deliveryStream,
            appLogGroup: this.appLogGroup,
            logRouterLogGroup: this.logRouterLogGroup,
            configBucket: this.configBucket,
            key: this.key,
            securityGroup: this.securityGroup,
            fluentBitConfig: this.fluentBitConfig,
        });
    }

    /** One rendered file, stored under a key that carries its content hash (immutable, versioned by name). */
    private configObject(
        name: string,
        role: string,
        fileName: string,
        content: pulumi.Output<string>,
        bucket: pulumi.Input<string>,
        dependsOn: pulumi.Resource[],
    ): aws.s3.BucketObjectv2 {
        return new aws.s3.BucketObjectv2(
            `${name}-${role}-config`,
            {
                bucket,
                // The init process saves each object under its file name, so the hash goes into the folder.
                key: content.apply((text) => `fluent-bit/${createHash("sha256").update(text).digest("hex").slice(0, 16)}/${fileName}`),
                content,
                contentType: "text/plain",
                serverSideEncryption: "aws:kms",
                kmsKeyId: this.key.arn,
            },
            // Objects are encrypted with the bucket's key only once its default encryption exists.
            { parent: this, dependsOn },
        );
    }
}
