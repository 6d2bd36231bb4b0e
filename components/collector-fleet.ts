import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import {
    collectorLayout,
    collectorUserData,
    deployDocumentContent,
    secretArnPattern as buildSecretArnPattern,
} from "./internal/collector-bootstrap";
import { createCollectorBuckets, FLOW_LOGS_PREFIX } from "./internal/collector-buckets";
import { createCollectorCiRoles } from "./internal/collector-ci-roles";
import {
    CollectorAccount,
    CollectorFleetArgs,
    CollectorPort,
    instanceArchitecture,
    resolveCollectorFleetArgs,
} from "./internal/collector-fleet-args";
import { createCollectorLoadBalancer } from "./internal/collector-load-balancer";
import { createCollectorVpc } from "./internal/collector-vpc";
import { collectorInstancePolicy, collectorInstanceTrustPolicy } from "./policies/collector-instance-policy";
import { COLLECTOR_TAG_KEY, COLLECTOR_TAG_VALUE, ENVIRONMENT_TAG_KEY } from "./policies/collector-publisher-policy";
import { collectorKeyPolicy } from "./policies/collector-storage-policy";

export type { CollectorForwardDestination, CollectorListener } from "./internal/collector-network-rules";
export type {
    CollectorFleetArgs,
    CollectorOidcIssuer,
    CollectorPort,
    CollectorVpc,
    ResolvedCollectorFleetArgs,
} from "./internal/collector-fleet-args";
export { instanceArchitecture, listenerProtocol, resolveCollectorFleetArgs } from "./internal/collector-fleet-args";

/**
 * Fluentd log collectors in the collection account that only the configuration pipeline can
 * reconfigure, and only through one SSM document: an internal NLB (TCP and UDP), an Auto Scaling
 * group replaced on every launch template change, the configuration bucket, the secrets naming
 * convention, the instance role, the deploy document and topic, and the CI publisher role.
 * Single-account: pass the collection account's provider in `opts.provider`.
 */
export class CollectorFleet extends pulumi.ComponentResource {
    /** The load balancer the senders write to. */
    public readonly loadBalancer: aws.lb.LoadBalancer;
    /** The listeners as exported: name, port and `TCP`/`UDP`/`TCP_UDP`. */
    public readonly ports: CollectorPort[];
    public readonly autoScalingGroup: aws.autoscaling.Group;
    public readonly launchTemplate: aws.ec2.LaunchTemplate;
    public readonly loadBalancerSecurityGroup: aws.ec2.SecurityGroup;
    public readonly instanceSecurityGroup: aws.ec2.SecurityGroup;
    public readonly networkAcl: aws.ec2.NetworkAcl;
    public readonly instanceRole: aws.iam.Role;
    /** The bucket holding `configuration/<env>/` and `agent/<env>/`. */
    public readonly configBucket: aws.s3.Bucket;
    /** `configuration/<env>/`. */
    public readonly configPrefix: string;
    /**
     * Receives the configuration bucket's server access logs (S3 delivers them only to a bucket in the
     * same account and region, so the log archive's access-logs bucket cannot take them) and the
     * created VPC's flow logs.
     */
    public readonly accessLogsBucket: aws.s3.Bucket;
    /** Encrypts the configuration, the deploy topic and (by convention) the collectors' secrets. */
    public readonly key: aws.kms.Key;
    /** `LogCollection-Deploy-<env>`. */
    public readonly deployDocument: aws.ssm.Document;
    public readonly deployTopic: aws.sns.Topic;
    /** The role the configuration pipeline assumes through OIDC. */
    public readonly publisherRole: aws.iam.Role;
    /**
     * The role the configuration repository's test job assumes (`VALIDATE_ROLE_ARN`) to render the
     * configuration with its secrets: it may read this environment's secrets and nothing else.
     */
    public readonly validateRole: aws.iam.Role;
    /** `log-collection/<env>/`. */
    public readonly secretPrefix: string;
    /** `arn:<partition>:secretsmanager:<region>:<account>:secret:log-collection/<env>/*`. */
    public readonly secretArnPattern: pulumi.Output<string>;
    public readonly vpcId: pulumi.Output<string>;

    constructor(name: string, args: CollectorFleetArgs, opts?: pulumi.ComponentResourceOptions) {
        super("orglog:index:CollectorFleet", name, {}, opts);
        const resolved = resolveCollectorFleetArgs(args, this);
        const { environment: env, rules, instanceType } = resolved;
        const layout = collectorLayout(env);

        const partition = aws.getPartitionOutput({}, { parent: this }).partition;
        const region = aws.getRegionOutput({}, { parent: this }).region;
        const accountId = aws.getCallerIdentityOutput({}, { parent: this }).accountId;
        this.secretPrefix = layout.secretPrefix;
        this.configPrefix = layout.configPrefix;
        this.secretArnPattern = pulumi
            .all([partition, region, accountId])
            .apply(([p, r, a]) => buildSecretArnPattern({ partition: p, region: r, accountId: a, environment: env }));

        const network = resolved.vpc
            ? {
                  vpcId: pulumi.output(resolved.vpc.vpcId),
                  instanceSubnetIds: resolved.vpc.subnetIds,
                  loadBalancerSubnetIds: resolved.vpc.loadBalancerSubnetIds ?? resolved.vpc.subnetIds,
              }
            : createCollectorVpc(
                  name,
                  {
                      cidr: resolved.createdVpc!.cidr,
                      zones: resolved.createdVpc!.availabilityZoneCount,
                      internetFacing: resolved.internetFacing,
                      region,
                  },
                  this,
              );
        this.vpcId = network.vpcId;

        // Instance role first: the key policy names it, and KMS rejects policies naming unknown principals.
        this.instanceRole = new aws.iam.Role(
            `${name}-instance-role`,
            {
                description: `Log collectors (${env}): read their configuration and secrets, report deploy results`,
                assumeRolePolicy: JSON.stringify(collectorInstanceTrustPolicy()),
                maxSessionDuration: 3600,
            },
            { parent: this },
        );
        this.key = new aws.kms.Key(
            `${name}-key`,
            {
                description: `Log collection (${env}): configuration objects, deploy topic and collector secrets`,
                enableKeyRotation: true,
                deletionWindowInDays: 30,
                policy: pulumi
                    .all([partition, accountId, region, this.instanceRole.arn])
                    .apply(([p, a, r, roleArn]) =>
                        JSON.stringify(collectorKeyPolicy({ partition: p, accountId: a, region: r, instanceRoleArn: roleArn })),
                    ),
            },
            { parent: this },
        );
        // Operators create the collectors' secrets with this alias (`--kms-key-id alias/log-collection-<env>`).
        new aws.kms.Alias(`${name}-key-alias`, { name: `alias/log-collection-${env}`, targetKeyId: this.key.keyId }, { parent: this });

        const account: CollectorAccount = { partition, region, accountId, keyArn: this.key.arn };
        const buckets = createCollectorBuckets(
            name,
            {
                ...account,
                flowLogs: resolved.vpc === undefined,
                accessLogsRetentionDays: resolved.accessLogsRetentionDays,
            },
            this,
        );
        this.accessLogsBucket = buckets.accessLogsBucket;
        this.configBucket = buckets.configBucket;

        const agent = new aws.s3.BucketObjectv2(
            `${name}-agent`,
            {
                bucket: this.configBucket.id,
                key: layout.agentKey,
                source: resolved.agentBundle,
                contentType: "application/javascript",
            },
            // Versioning must be on before the upload, or the object has no version id to pin;
            // encryption must be on so the bundle is stored under the collector key.
            { parent: this, dependsOn: buckets.configReady },
        );

        if (resolved.vpc === undefined) {
            new aws.ec2.FlowLog(
                `${name}-flow-logs`,
                {
                    vpcId: network.vpcId,
                    trafficType: "ALL",
                    logDestinationType: "s3",
                    logDestination: pulumi.interpolate`${this.accessLogsBucket.arn}/${FLOW_LOGS_PREFIX}`,
                    maxAggregationInterval: 600,
                },
                // Log delivery checks the bucket policy when the flow log is created.
                { parent: this, dependsOn: [buckets.accessLogsPolicy] },
            );
        }

        this.deployTopic = new aws.sns.Topic(
            `${name}-deploy-topic`,
            { displayName: `Log collection deploy results (${env})`, kmsMasterKeyId: this.key.id },
            { parent: this },
        );
        if (resolved.deployEmail !== undefined) {
            new aws.sns.TopicSubscription(
                `${name}-deploy-email`,
                { topic: this.deployTopic.arn, protocol: "email", endpoint: resolved.deployEmail },
                { parent: this },
            );
        }

        new aws.iam.RolePolicy(
            `${name}-instance-policy`,
            {
                role: this.instanceRole.id,
                policy: pulumi
                    .all([this.configBucket.arn, this.secretArnPattern, this.key.arn, region, this.deployTopic.arn])
                    .apply(([bucketArn, secrets, keyArn, r, topicArn]) =>
                        JSON.stringify(
                            collectorInstancePolicy({
                                bucketArn,
                                configPrefix: layout.configPrefix,
                                agentPrefix: layout.agentPrefix,
                                secretArnPattern: secrets,
                                keyArn,
                                region: r,
                                deployTopicArn: topicArn,
                            }),
                        ),
                    ),
            },
            { parent: this },
        );
        new aws.iam.RolePolicyAttachment(
            `${name}-instance-ssm-core`,
            { role: this.instanceRole.name, policyArn: pulumi.interpolate`arn:${partition}:iam::aws:policy/AmazonSSMManagedInstanceCore` },
            { parent: this },
        );
        const profile = new aws.iam.InstanceProfile(`${name}-instance-profile`, { role: this.instanceRole.name }, { parent: this });

        const edge = createCollectorLoadBalancer(name, { environment: env, rules, internetFacing: resolved.internetFacing, network }, this);
        this.loadBalancerSecurityGroup = edge.loadBalancerSecurityGroup;
        this.instanceSecurityGroup = edge.instanceSecurityGroup;
        this.networkAcl = edge.networkAcl;
        this.ports = edge.ports;
        this.loadBalancer = edge.loadBalancer;

        this.deployDocument = new aws.ssm.Document(
            `${name}-deploy-document`,
            {
                name: layout.documentName,
                documentType: "Command",
                documentFormat: "JSON",
                targetType: "/AWS::EC2::Instance",
                content: pulumi.all([region, this.configBucket.bucket, this.deployTopic.arn]).apply(([r, bucketName, topicArn]) =>
                    JSON.stringify(
                        deployDocumentContent({
                            environment: env,
                            region: r,
                            bucketName,
                            deployTopicArn: topicArn,
                            healthCheckPort: rules.healthCheckPort,
                            requireSignature: resolved.manifestPublicKeyPem !== undefined,
                        }),
                    ),
                ),
            },
            { parent: this },
        );

        const arch = instanceArchitecture(instanceType);
        const tags = { Name: `log-collector-${env}`, [COLLECTOR_TAG_KEY]: COLLECTOR_TAG_VALUE, [ENVIRONMENT_TAG_KEY]: env };
        this.launchTemplate = new aws.ec2.LaunchTemplate(
            `${name}-launch-template`,
            {
                description: `Log collector (${env}), Amazon Linux 2023 ${arch}`,
                // Pinned: only a reviewed change of `imageId` makes a new version and an instance refresh.
                imageId: resolved.imageId,
                instanceType,
                iamInstanceProfile: { arn: profile.arn },
                vpcSecurityGroupIds: [this.instanceSecurityGroup.id],
                metadataOptions: {
                    httpEndpoint: "enabled",
                    httpTokens: "required",
                    httpPutResponseHopLimit: 1,
                    instanceMetadataTags: "disabled",
                },
                monitoring: { enabled: true },
                ebsOptimized: "true",
                blockDeviceMappings: [
                    {
                        deviceName: "/dev/xvda",
                        ebs: {
                            volumeType: "gp3",
                            volumeSize: resolved.rootVolumeSizeGiB,
                            encrypted: "true",
                            deleteOnTermination: "true",
                        },
                    },
                ],
                userData: pulumi
                    .all([region, accountId, this.configBucket.bucket, agent.versionId, this.deployTopic.arn])
                    .apply(([r, a, bucketName, versionId, topicArn]) =>
                        Buffer.from(
                            collectorUserData({
                                environment: env,
                                region: r,
                                accountId: a,
                                bucketName,
                                agentVersionId: versionId,
                                deployTopicArn: topicArn,
                                healthCheckPort: rules.healthCheckPort,
                                bindsPrivilegedPorts: rules.listeners.some((l) => l.port < 1024),
                                manifestPublicKeyPem: resolved.manifestPublicKeyPem,
                            }),
                        ).toString("base64"),
                    ),
                tagSpecifications: ["instance", "volume", "network-interface"].map((resourceType) => ({ resourceType, tags })),
                updateDefaultVersion: true,
                tags,
            },
            { parent: this },
        );

        this.autoScalingGroup = new aws.autoscaling.Group(
            `${name}-asg`,
            {
                minSize: resolved.minSize,
                maxSize: resolved.maxSize,
                desiredCapacity: resolved.desiredCapacity,
                vpcZoneIdentifiers: network.instanceSubnetIds,
                targetGroupArns: edge.targetGroups.map((tg) => tg.arn),
                healthCheckType: "ELB",
                healthCheckGracePeriod: 300,
                launchTemplate: { id: this.launchTemplate.id, version: this.launchTemplate.latestVersion.apply(String) },
                // A launch template change starts a rolling replacement (immutable instances): new
                // instances come up before old ones go, and a failed refresh rolls back.
                instanceRefresh: {
                    strategy: "Rolling",
                    preferences: { minHealthyPercentage: 100, maxHealthyPercentage: 200, instanceWarmup: "300", autoRollback: true },
                },
                tags: Object.entries(tags).map(([key, value]) => ({ key, value, propagateAtLaunch: true })),
            },
            { parent: this },
        );

        const roles = createCollectorCiRoles(
            name,
            resolved,
            { ...account, configBucketArn: this.configBucket.arn, secretArnPattern: this.secretArnPattern },
            this,
        );
        this.publisherRole = roles.publisherRole;
        this.validateRole = roles.validateRole;

        this.registerOutputs({
            loadBalancer: this.loadBalancer,
            ports: this.ports,
            autoScalingGroup: this.autoScalingGroup,
            launchTemplate: this.launchTemplate,
            loadBalancerSecurityGroup: this.loadBalancerSecurityGroup,
            instanceSecurityGroup: this.instanceSecurityGroup,
            networkAcl: this.networkAcl,
            instanceRole: this.instanceRole,
            configBucket: this.configBucket,
            configPrefix: this.configPrefix,
            accessLogsBucket: this.accessLogsBucket,
            key: this.key,
            deployDocument: this.deployDocument,
            deployTopic: this.deployTopic,
            publisherRole: this.publisherRole,
            validateRole: this.validateRole,
            secretPrefix: this.secretPrefix,
            secretArnPattern: this.secretArnPattern,
            vpcId: this.vpcId,
        });
    }
}
