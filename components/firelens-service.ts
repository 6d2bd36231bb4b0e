import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { secureBucket } from "./internal/secure-bucket";
import { createHash } from "crypto";
import { FireLensServiceArgs, resolveFireLensServiceArgs } from "./internal/firelens-service-args";
import { renderFluentBitConfig, renderFluentBitParsers } from "./internal/fluent-bit-config";
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
export type { FireLensServiceArgs, FirehoseCompression, ResolvedFireLensServiceArgs } from "./internal/firelens-service-args";
export { DEFAULT_FLUENT_BIT_IMAGE, FLUENT_FORWARD_PORT, resolveFireLensServiceArgs } from "./internal/firelens-service-args";

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
                        JSON.stringify(
                            firelensKeyPolicy({ partition: p, accountId: account, region: r, logGroupNamePrefix: logGroupPrefix }),
                        ),
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
                        JSON.stringify(
                            firelensFirehoseRolePolicy({
                                accountId: account,
                                archiveBucketArn,
                                archiveKeyArn,
                                serviceName: service,
                                region: r,
                                firehoseLogGroupArn,
                            }),
                        ),
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
        const parsersObject =
            parsers.length > 0
                ? this.configObject(name, "parsers", "parsers.conf", pulumi.output(parsersText), configBucketId, [encryption])
                : undefined;
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
                            firelensTaskRolePolicy({
                                configObjectArns: objectArns,
                                configBucketArn,
                                configKeyArn,
                                region: r,
                                deliveryStreamArn,
                                appLogGroupArn,
                            }),
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

        const initEnvironment = configObjectArns.apply((arns) =>
            arns.map((arn, i) => ({ name: `aws_fluent_bit_init_s3_${i + 1}`, value: arn })),
        );
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
                                    options: {
                                        "awslogs-group": routerLogGroup,
                                        "awslogs-region": r,
                                        "awslogs-stream-prefix": LOG_ROUTER_CONTAINER,
                                    },
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
