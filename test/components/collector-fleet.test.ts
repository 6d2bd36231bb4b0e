import * as assert from "assert";
import type { CollectorFleetArgs } from "../../components/collector-fleet";
import { ofType, policyOf, RecordedResource, runUnderMocks, single, statement, unwrap, waitsFor } from "../support/harness";

const ACCOUNT = "333333333333";
const REGION = "eu-west-1";
const AMI = "ami-0a1b2c3d4e5f67890";

const ARGS: CollectorFleetArgs = {
    environment: "production",
    agentBundle: undefined as never, // set in build(): assets need the Pulumi module loaded after the mocks
    configRepository: "security/collector-config",
    allowedCidrs: ["10.0.0.0/8"],
    instanceType: "t3.large",
    imageId: AMI,
    minSize: 2,
    maxSize: 6,
    desiredCapacity: 3,
    deployEmail: "log-platform@example.com",
    forwardDestinations: [{ name: "siem", cidr: "10.20.0.0/16", port: 6514, protocol: "TCP" }],
};

interface Built {
    resources: RecordedResource[];
    outputs: Record<string, any>;
}

async function build(args: Partial<CollectorFleetArgs> = {}, account = ACCOUNT): Promise<Built> {
    const aws = await import("@pulumi/aws");
    const pulumi = await import("@pulumi/pulumi");
    const { CollectorFleet } = await import("../../components/collector-fleet");
    const { resources, result } = await runUnderMocks(() => {
        const provider = new aws.Provider("collection", {
            region: REGION,
            assumeRoles: [{ roleArn: `arn:aws:iam::${account}:role/Deployer` }],
            allowedAccountIds: [account],
        });
        const fleet = new CollectorFleet(
            "collectors",
            { ...ARGS, agentBundle: new pulumi.asset.StringAsset("// agent"), ...args },
            { provider },
        );
        return {
            dnsName: fleet.loadBalancer.dnsName,
            ports: fleet.ports,
            bucket: fleet.configBucket.bucket,
            configPrefix: fleet.configPrefix,
            documentName: fleet.deployDocument.name,
            documentArn: fleet.deployDocument.arn,
            secretPrefix: fleet.secretPrefix,
            secretArnPattern: fleet.secretArnPattern,
            publisherRoleArn: fleet.publisherRole.arn,
        };
    });
    return { resources, outputs: (await unwrap(result)) as Record<string, any> };
}

const SG_INGRESS = "aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule";
const SG_EGRESS = "aws:vpc/securityGroupEgressRule:SecurityGroupEgressRule";

function userDataOf(resources: RecordedResource[]): string {
    return Buffer.from(String(single(resources, "aws:ec2/launchTemplate:LaunchTemplate").inputs.userData), "base64").toString("utf8");
}

function documentOf(resources: RecordedResource[]): any {
    return JSON.parse(String(single(resources, "aws:ssm/document:Document").inputs.content));
}

describe("components/CollectorFleet", () => {
    let production: Built;
    let resources: RecordedResource[];
    let bucketArn: string;
    let bucketName: string;
    let keyArn: string;
    let topicArn: string;
    before(async () => {
        production = await build();
        resources = production.resources;
        const bucket = single(resources, "aws:s3/bucket:Bucket", "collectors-config-bucket");
        bucketArn = String(bucket.state.arn);
        bucketName = String(bucket.state.bucket);
        keyArn = String(single(resources, "aws:kms/key:Key").state.arn);
        topicArn = String(single(resources, "aws:sns/topic:Topic").state.arn);
    });

    it("builds every child in the collection account, parented to the component", () => {
        const component = single(resources, "orglog:index:CollectorFleet");
        const children = resources.filter((r) => r.custom && !r.type.startsWith("pulumi:providers:"));
        assert.ok(children.length > 50, `only ${children.length} children`);
        for (const r of children) {
            assert.strictEqual(r.parent, component.urn, `${r.name} is not parented to the component`);
            assert.strictEqual(r.account, ACCOUNT, `${r.name} is in ${r.account}`);
        }
        const counts = (type: string) => ofType(resources, type).length;
        assert.deepStrictEqual(
            [
                counts("aws:lb/loadBalancer:LoadBalancer"),
                counts("aws:lb/listener:Listener"),
                counts("aws:lb/targetGroup:TargetGroup"),
                counts("aws:autoscaling/group:Group"),
                counts("aws:ec2/securityGroup:SecurityGroup"),
                counts("aws:s3/bucket:Bucket"),
                counts("aws:iam/role:Role"),
                counts("aws:iam/openIdConnectProvider:OpenIdConnectProvider"),
                counts("aws:ec2/subnet:Subnet"),
            ],
            [1, 2, 2, 1, 2, 2, 3, 2, 4],
        );
    });

    it("listens on 24224/TCP and 5140/TCP+UDP behind an internal NLB with TCP health checks", () => {
        const nlb = single(resources, "aws:lb/loadBalancer:LoadBalancer");
        assert.strictEqual(nlb.inputs.loadBalancerType, "network");
        assert.strictEqual(nlb.inputs.internal, true);
        assert.deepStrictEqual(nlb.inputs.securityGroups, [
            single(resources, "aws:ec2/securityGroup:SecurityGroup", "collectors-nlb-sg").state.id,
        ]);
        const listeners = ofType(resources, "aws:lb/listener:Listener").map((l) => {
            const tg = ofType(resources, "aws:lb/targetGroup:TargetGroup").find(
                (t) => t.state.arn === (l.inputs.defaultActions as any[])[0].targetGroupArn,
            )!;
            return {
                name: l.name,
                port: l.inputs.port,
                protocol: l.inputs.protocol,
                lb: l.inputs.loadBalancerArn,
                tg: [tg.inputs.port, tg.inputs.protocol, tg.inputs.targetType],
                health: tg.inputs.healthCheck,
            };
        });
        const health = { enabled: true, protocol: "TCP", port: "24224", interval: 10, healthyThreshold: 3, unhealthyThreshold: 3 };
        assert.deepStrictEqual(listeners, [
            {
                name: "collectors-listener-forward",
                port: 24224,
                protocol: "TCP",
                lb: nlb.state.arn,
                tg: [24224, "TCP", "instance"],
                health,
            },
            {
                name: "collectors-listener-syslog",
                port: 5140,
                protocol: "TCP_UDP",
                lb: nlb.state.arn,
                tg: [5140, "TCP_UDP", "instance"],
                health,
            },
        ]);
        assert.deepStrictEqual(production.outputs.ports, [
            { name: "forward", port: 24224, protocol: "TCP" },
            { name: "syslog", port: 5140, protocol: "TCP_UDP" },
        ]);
        assert.match(production.outputs.dnsName, /\.elb\.eu-west-1\.amazonaws\.com$/);
    });

    it("launches Amazon Linux 2023 with IMDSv2 only, no key pair, an encrypted gp3 root and the collector tags", () => {
        const lt = single(resources, "aws:ec2/launchTemplate:LaunchTemplate");
        assert.deepStrictEqual(lt.inputs.metadataOptions, {
            httpEndpoint: "enabled",
            httpTokens: "required",
            httpPutResponseHopLimit: 1,
            instanceMetadataTags: "disabled",
        });
        assert.strictEqual(lt.inputs.keyName, undefined);
        assert.strictEqual(lt.inputs.imageId, AMI);
        assert.strictEqual(lt.inputs.instanceType, "t3.large");
        assert.deepStrictEqual(lt.inputs.monitoring, { enabled: true });
        assert.deepStrictEqual(lt.inputs.blockDeviceMappings, [
            { deviceName: "/dev/xvda", ebs: { volumeType: "gp3", volumeSize: 30, encrypted: "true", deleteOnTermination: "true" } },
        ]);
        assert.deepStrictEqual(lt.inputs.vpcSecurityGroupIds, [
            single(resources, "aws:ec2/securityGroup:SecurityGroup", "collectors-instance-sg").state.id,
        ]);
        assert.strictEqual(
            (lt.inputs.iamInstanceProfile as any).arn,
            single(resources, "aws:iam/instanceProfile:InstanceProfile").state.arn,
        );
        const tags = { Name: "log-collector-production", InstanceRole: "LogCollection", environment: "production" };
        assert.deepStrictEqual(
            (lt.inputs.tagSpecifications as any[]).map((t) => [t.resourceType, t.tags]),
            [
                ["instance", tags],
                ["volume", tags],
                ["network-interface", tags],
            ],
        );
        const param = "/aws/service/ami-amazon-linux-latest/al2023-ami-kernel-default-x86_64";
        assert.ok(String(lt.inputs.description).includes("x86_64"), param);
    });

    it("runs an Auto Scaling group over the private subnets that refreshes instances on template changes", () => {
        const asg = single(resources, "aws:autoscaling/group:Group");
        const lt = single(resources, "aws:ec2/launchTemplate:LaunchTemplate");
        assert.deepStrictEqual([asg.inputs.minSize, asg.inputs.maxSize, asg.inputs.desiredCapacity], [2, 6, 3]);
        assert.deepStrictEqual(asg.inputs.launchTemplate, { id: lt.state.id, version: "1" });
        assert.deepStrictEqual(asg.inputs.instanceRefresh, {
            strategy: "Rolling",
            preferences: { minHealthyPercentage: 100, maxHealthyPercentage: 200, instanceWarmup: "300", autoRollback: true },
        });
        assert.strictEqual(asg.inputs.healthCheckType, "ELB");
        const privateSubnets = ofType(resources, "aws:ec2/subnet:Subnet").filter((s) => s.name.includes("-private-"));
        assert.deepStrictEqual(
            asg.inputs.vpcZoneIdentifiers,
            privateSubnets.map((s) => s.state.id),
        );
        assert.deepStrictEqual(
            asg.inputs.targetGroupArns,
            ofType(resources, "aws:lb/targetGroup:TargetGroup").map((t) => t.state.arn),
        );
        assert.deepStrictEqual(asg.inputs.tags, [
            { key: "Name", value: "log-collector-production", propagateAtLaunch: true },
            { key: "InstanceRole", value: "LogCollection", propagateAtLaunch: true },
            { key: "environment", value: "production", propagateAtLaunch: true },
        ]);
        assert.deepStrictEqual(
            privateSubnets.map((s) => s.inputs.cidrBlock),
            ["10.64.0.0/19", "10.64.32.0/19"],
        );
        const defaultSg = single(resources, "aws:ec2/defaultSecurityGroup:DefaultSecurityGroup").inputs;
        assert.deepStrictEqual([defaultSg.ingress, defaultSg.egress], [undefined, undefined], "the default security group keeps no rules");
        assert.ok(privateSubnets.every((s) => s.inputs.mapPublicIpOnLaunch === false));
    });

    it("describes every security group rule and opens neither port 22 nor 0.0.0.0/0 ingress", () => {
        const rules = [...ofType(resources, SG_INGRESS), ...ofType(resources, SG_EGRESS)];
        assert.strictEqual(rules.length, 11);
        for (const rule of rules) {
            assert.ok(
                typeof rule.inputs.description === "string" && rule.inputs.description.length > 10,
                `${rule.name} has no description`,
            );
            const [from, to] = [Number(rule.inputs.fromPort), Number(rule.inputs.toPort)];
            assert.ok(!(from <= 22 && 22 <= to), `${rule.name} opens port 22`);
            assert.notStrictEqual(rule.inputs.ipProtocol, "-1", `${rule.name} opens every protocol`);
        }
        for (const rule of ofType(resources, SG_INGRESS)) {
            assert.notStrictEqual(rule.inputs.cidrIpv4, "0.0.0.0/0", `${rule.name} admits the internet`);
        }
    });

    it("admits senders only at the NLB, and only the NLB at the collectors", () => {
        const nlbSg = String(single(resources, "aws:ec2/securityGroup:SecurityGroup", "collectors-nlb-sg").state.id);
        const instanceSg = String(single(resources, "aws:ec2/securityGroup:SecurityGroup", "collectors-instance-sg").state.id);
        const view = (type: string, group: string) =>
            ofType(resources, type)
                .filter((r) => r.inputs.securityGroupId === group)
                .map((r) => [
                    r.inputs.ipProtocol,
                    r.inputs.fromPort,
                    r.inputs.cidrIpv4 ??
                        (r.inputs.referencedSecurityGroupId === nlbSg
                            ? "nlb-sg"
                            : r.inputs.referencedSecurityGroupId === instanceSg
                              ? "instance-sg"
                              : "?"),
                ]);
        assert.deepStrictEqual(view(SG_INGRESS, nlbSg), [
            ["tcp", 24224, "10.0.0.0/8"],
            ["tcp", 5140, "10.0.0.0/8"],
            ["udp", 5140, "10.0.0.0/8"],
        ]);
        assert.deepStrictEqual(view(SG_EGRESS, nlbSg), [
            ["tcp", 24224, "instance-sg"],
            ["tcp", 5140, "instance-sg"],
            ["udp", 5140, "instance-sg"],
        ]);
        assert.deepStrictEqual(view(SG_INGRESS, instanceSg), [
            ["tcp", 24224, "nlb-sg"],
            ["tcp", 5140, "nlb-sg"],
            ["udp", 5140, "nlb-sg"],
        ]);
        assert.deepStrictEqual(view(SG_EGRESS, instanceSg), [
            ["tcp", 443, "0.0.0.0/0"],
            ["tcp", 6514, "10.20.0.0/16"],
        ]);
        assert.strictEqual(
            single(resources, SG_INGRESS, "collectors-instance-in-forward-tcp").inputs.description,
            "forward logs (TCP 24224) and NLB health checks through the NLB",
        );
    });

    it("mirrors those ports in the collector subnets' network ACL, with return traffic", () => {
        const acl = single(resources, "aws:ec2/networkAcl:NetworkAcl");
        const rows = (list: unknown) => (list as any[]).map((e) => [e.ruleNo, e.protocol, e.fromPort, e.toPort, e.cidrBlock, e.action]);
        assert.deepStrictEqual(rows(acl.inputs.ingress), [
            [100, "tcp", 24224, 24224, "10.0.0.0/8", "allow"],
            [110, "tcp", 5140, 5140, "10.0.0.0/8", "allow"],
            [120, "udp", 5140, 5140, "10.0.0.0/8", "allow"],
            [130, "tcp", 24224, 24224, "10.64.0.0/16", "allow"],
            [140, "tcp", 1024, 65535, "0.0.0.0/0", "allow"],
            [150, "tcp", 1024, 65535, "10.20.0.0/16", "allow"],
        ]);
        assert.deepStrictEqual(rows(acl.inputs.egress), [
            [100, "tcp", 443, 443, "0.0.0.0/0", "allow"],
            [110, "tcp", 6514, 6514, "10.20.0.0/16", "allow"],
            [120, "tcp", 1024, 65535, "10.0.0.0/8", "allow"],
            [130, "tcp", 1024, 65535, "10.64.0.0/16", "allow"],
        ]);
        const privateSubnets = ofType(resources, "aws:ec2/subnet:Subnet").filter((s) => s.name.includes("-private-"));
        assert.deepStrictEqual(
            acl.inputs.subnetIds,
            privateSubnets.map((s) => s.state.id),
        );
    });

    it("keeps the configuration in a KMS-encrypted, versioned, private, TLS-only bucket logged in the same account", () => {
        const bucketId = (r: RecordedResource) => r.inputs.bucket;
        const configSse = ofType(resources, "aws:s3/bucketServerSideEncryptionConfiguration:BucketServerSideEncryptionConfiguration").find(
            (r) => bucketId(r) === bucketName,
        )!;
        assert.deepStrictEqual((configSse.inputs.rules as any[])[0], {
            applyServerSideEncryptionByDefault: { sseAlgorithm: "aws:kms", kmsMasterKeyId: keyArn },
            bucketKeyEnabled: true,
        });
        const forBucket = (type: string) => ofType(resources, type).find((r) => bucketId(r) === bucketName)!.inputs;
        assert.deepStrictEqual(forBucket("aws:s3/bucketVersioning:BucketVersioning").versioningConfiguration, { status: "Enabled" });
        assert.deepStrictEqual(forBucket("aws:s3/bucketOwnershipControls:BucketOwnershipControls").rule, {
            objectOwnership: "BucketOwnerEnforced",
        });
        const block = forBucket("aws:s3/bucketPublicAccessBlock:BucketPublicAccessBlock");
        assert.deepStrictEqual(
            [block.blockPublicAcls, block.blockPublicPolicy, block.ignorePublicAcls, block.restrictPublicBuckets],
            [true, true, true, true],
        );
        assert.deepStrictEqual(statement(forBucket("aws:s3/bucketPolicy:BucketPolicy").policy, "DenyInsecureTransport").Resource, [
            bucketArn,
            `${bucketArn}/*`,
        ]);

        const logsBucket = single(resources, "aws:s3/bucket:Bucket", "collectors-access-logs");
        const logging = single(resources, "aws:s3/bucketLogging:BucketLogging").inputs;
        assert.deepStrictEqual(
            [logging.bucket, logging.targetBucket, logging.targetPrefix],
            [bucketName, logsBucket.state.bucket, "configuration-bucket/"],
        );
        const logsSse = ofType(resources, "aws:s3/bucketServerSideEncryptionConfiguration:BucketServerSideEncryptionConfiguration").find(
            (r) => bucketId(r) === logsBucket.state.bucket,
        )!;
        assert.deepStrictEqual((logsSse.inputs.rules as any[])[0].applyServerSideEncryptionByDefault, { sseAlgorithm: "AES256" });
        const logsPolicy = ofType(resources, "aws:s3/bucketPolicy:BucketPolicy").find((r) => bucketId(r) === logsBucket.state.bucket)!;
        assert.deepStrictEqual(statement(logsPolicy.inputs.policy, "S3ServerAccessLogsDelivery").Condition, {
            ArnLike: { "aws:SourceArn": bucketArn },
            StringEquals: { "aws:SourceAccount": ACCOUNT },
        });
        const flowLog = single(resources, "aws:ec2/flowLog:FlowLog");
        assert.deepStrictEqual(
            [flowLog.inputs.vpcId, flowLog.inputs.trafficType, flowLog.inputs.logDestinationType, flowLog.inputs.logDestination],
            [single(resources, "aws:ec2/vpc:Vpc").state.id, "ALL", "s3", `${logsBucket.state.arn}/vpc-flow-logs/`],
        );
        assert.ok(flowLog.dependencies.includes(logsPolicy.urn), "the flow log waits for the bucket policy");
        assert.strictEqual(
            statement(logsPolicy.inputs.policy, "VpcFlowLogsDelivery").Resource,
            `${logsBucket.state.arn}/vpc-flow-logs/AWSLogs/${ACCOUNT}/*`,
        );
        const lifecycle = single(resources, "aws:s3/bucketLifecycleConfiguration:BucketLifecycleConfiguration");
        assert.strictEqual((lifecycle.inputs.rules as any[])[0].expiration.days, 400);
        // S3 aborts overlapping configuration calls on one bucket: policy after the block, lifecycle after versioning.
        for (const prefix of ["collectors-access-logs", "collectors-config-bucket"]) {
            const policy = single(resources, "aws:s3/bucketPolicy:BucketPolicy", `${prefix}-policy`);
            assert.ok(
                waitsFor(
                    resources,
                    policy,
                    single(resources, "aws:s3/bucketPublicAccessBlock:BucketPublicAccessBlock", `${prefix}-public-access`),
                ),
                prefix,
            );
        }
        assert.ok(
            waitsFor(
                resources,
                lifecycle,
                single(resources, "aws:s3/bucketVersioning:BucketVersioning", "collectors-access-logs-versioning"),
            ),
        );
        assert.strictEqual(single(resources, "aws:kms/key:Key").inputs.enableKeyRotation, true);
    });

    it("uploads the agent to agent/<env>/ and pins that version in the user data, which runs the first sync", () => {
        const agent = single(resources, "aws:s3/bucketObjectv2:BucketObjectv2");
        assert.deepStrictEqual([agent.inputs.bucket, agent.inputs.key], [bucketName, "agent/production/agent.js"]);
        const userData = userDataOf(resources);
        assert.ok(
            userData.includes(
                `aws s3api get-object --region ${REGION} --expected-bucket-owner ${ACCOUNT} --bucket ${bucketName} --key agent/production/agent.js --version-id ${agent.state.versionId} /opt/org-logging/agent.js`,
            ),
            userData,
        );
        assert.ok(userData.includes(`--source s3://${bucketName}/configuration/production/ `), "first sync from the environment prefix");
        assert.ok(userData.includes("dnf install -y fluent-package nodejs20"));
        assert.ok(userData.includes("gpgcheck=1"));
        assert.ok(!/ssh|authorized_keys/i.test(userData), "no SSH set-up");
    });

    it("runs the agent through a deploy document whose only parameters are pinned to this bucket and prefix", () => {
        const doc = single(resources, "aws:ssm/document:Document");
        assert.deepStrictEqual(
            [doc.inputs.name, doc.inputs.documentType, doc.inputs.documentFormat],
            ["LogCollection-Deploy-production", "Command", "JSON"],
        );
        const content = documentOf(resources);
        assert.strictEqual(content.schemaVersion, "2.2");
        assert.deepStrictEqual(Object.keys(content.parameters), ["bucket", "prefix"]);
        assert.strictEqual(content.parameters.bucket.allowedPattern, `^${bucketName}$`);
        assert.strictEqual(content.parameters.prefix.allowedPattern, "^configuration/production/$");
        assert.deepStrictEqual(
            content.mainSteps.map((s: any) => s.action),
            ["aws:runShellScript"],
        );
        assert.deepStrictEqual(content.mainSteps[0].inputs.runCommand, [
            "set -eu",
            "export PATH=/usr/local/bin:/usr/bin:/bin",
            `AWS_REGION=${REGION} node /opt/org-logging/agent.js sync --source s3://{{bucket}}/{{prefix}} --config-dir /etc/td-agent` +
                " --environment-file /etc/sysconfig/td-agent --certs-dir /etc/td-agent/certs --owner td-agent" +
                " --validate-command '/opt/org-logging/td-agent {environmentFile} --dry-run -c {configDir}/td-agent.conf'" +
                " --restart-command 'systemctl restart td-agent' --health-command '/opt/org-logging/td-agent-healthy 24224'" +
                ` --topic-arn ${topicArn} --lock-file /run/org-logging-agent.lock --json`,
        ]);
        // The same command (with literal values) is what the first boot runs.
        assert.ok(
            userDataOf(resources).includes(
                content.mainSteps[0].inputs.runCommand[2]
                    .replace("{{bucket}}", bucketName)
                    .replace("{{prefix}}", "configuration/production/"),
            ),
        );
        assert.strictEqual(production.outputs.documentName, "LogCollection-Deploy-production");
    });

    it("gives the instance role only its environment's configuration, secrets, key uses and topic", () => {
        const policy = single(resources, "aws:iam/rolePolicy:RolePolicy", "collectors-instance-policy");
        const role = single(resources, "aws:iam/role:Role", "collectors-instance-role");
        assert.strictEqual(policy.inputs.role, role.state.id);
        assert.deepStrictEqual(statement(policy.inputs.policy, "ReadEnvironmentConfiguration").Resource, [
            `${bucketArn}/configuration/production/*`,
            `${bucketArn}/agent/production/*`,
        ]);
        assert.deepStrictEqual(statement(policy.inputs.policy, "ListEnvironmentConfiguration").Condition, {
            StringLike: { "s3:prefix": ["configuration/production/", "configuration/production/*"] },
        });
        assert.strictEqual(
            statement(policy.inputs.policy, "ReadEnvironmentSecrets").Resource,
            `arn:aws:secretsmanager:${REGION}:${ACCOUNT}:secret:log-collection/production/*`,
        );
        assert.deepStrictEqual(statement(policy.inputs.policy, "DecryptThroughSecretsManagerAndS3"), {
            Sid: "DecryptThroughSecretsManagerAndS3",
            Effect: "Allow",
            Action: "kms:Decrypt",
            Resource: keyArn,
            Condition: { StringEquals: { "kms:ViaService": [`secretsmanager.${REGION}.amazonaws.com`, `s3.${REGION}.amazonaws.com`] } },
        });
        assert.deepStrictEqual(statement(policy.inputs.policy, "PublishDeployResults"), {
            Sid: "PublishDeployResults",
            Effect: "Allow",
            Action: "sns:Publish",
            Resource: topicArn,
        });
        assert.deepStrictEqual(statement(policy.inputs.policy, "ReadPinnedAgentVersion").Resource, `${bucketArn}/agent/production/*`);
        assert.strictEqual(policyOf(policy.inputs.policy).Statement.length, 6);
        const attachment = single(resources, "aws:iam/rolePolicyAttachment:RolePolicyAttachment").inputs;
        assert.deepStrictEqual(
            [attachment.role, attachment.policyArn],
            [role.state.name, "arn:aws:iam::aws:policy/AmazonSSMManagedInstanceCore"],
        );
        assert.deepStrictEqual(statement(single(resources, "aws:kms/key:Key").inputs.policy, "CollectorsPublishDeployResults").Principal, {
            AWS: role.state.arn,
        });
        const topic = single(resources, "aws:sns/topic:Topic");
        assert.strictEqual(topic.inputs.kmsMasterKeyId, single(resources, "aws:kms/key:Key").state.id);
        const email = single(resources, "aws:sns/topicSubscription:TopicSubscription").inputs;
        assert.deepStrictEqual([email.topic, email.protocol, email.endpoint], [topicArn, "email", "log-platform@example.com"]);
    });

    it("creates the validate role: any pipeline of the repository may assume it, and it may only read the environment's secrets", () => {
        const role = single(resources, "aws:iam/role:Role", "collectors-validate-role");
        assert.deepStrictEqual(
            policyOf(role.inputs.assumeRolePolicy).Statement.map((s) => [s.Principal.Federated, s.Condition]),
            [
                [
                    `arn:aws:iam::${ACCOUNT}:oidc-provider/gitlab.com`,
                    {
                        StringEquals: { "gitlab.com:aud": "sts.amazonaws.com" },
                        StringLike: { "gitlab.com:sub": "project_path:security/collector-config:*" },
                    },
                ],
                [
                    `arn:aws:iam::${ACCOUNT}:oidc-provider/token.actions.githubusercontent.com`,
                    {
                        StringEquals: { "token.actions.githubusercontent.com:aud": "sts.amazonaws.com" },
                        StringLike: { "token.actions.githubusercontent.com:sub": "repo:security/collector-config:*" },
                    },
                ],
            ],
        );
        const policy = single(resources, "aws:iam/rolePolicy:RolePolicy", "collectors-validate-policy");
        assert.strictEqual(policy.inputs.role, role.state.id);
        const key = single(resources, "aws:kms/key:Key");
        assert.deepStrictEqual(policyOf(policy.inputs.policy).Statement, [
            {
                Sid: "ReadEnvironmentSecrets",
                Effect: "Allow",
                Action: "secretsmanager:GetSecretValue",
                Resource: `arn:aws:secretsmanager:${REGION}:${ACCOUNT}:secret:log-collection/production/*`,
            },
            {
                Sid: "DecryptThroughSecretsManager",
                Effect: "Allow",
                Action: "kms:Decrypt",
                Resource: key.state.arn,
                Condition: { StringEquals: { "kms:ViaService": `secretsmanager.${REGION}.amazonaws.com` } },
            },
        ]);
    });

    it("lets the publisher role be assumed only by the repository's main branch and send only the deploy document to tagged collectors", () => {
        const role = single(resources, "aws:iam/role:Role", "collectors-publisher-role");
        const trust = policyOf(role.inputs.assumeRolePolicy);
        assert.deepStrictEqual(
            trust.Statement.map((s) => [s.Sid, s.Principal.Federated, s.Action, s.Condition]),
            [
                [
                    "GitLabPipelines",
                    `arn:aws:iam::${ACCOUNT}:oidc-provider/gitlab.com`,
                    "sts:AssumeRoleWithWebIdentity",
                    {
                        StringEquals: {
                            "gitlab.com:aud": "sts.amazonaws.com",
                            "gitlab.com:sub": "project_path:security/collector-config:ref_type:branch:ref:main",
                        },
                    },
                ],
                [
                    "GitHubWorkflows",
                    `arn:aws:iam::${ACCOUNT}:oidc-provider/token.actions.githubusercontent.com`,
                    "sts:AssumeRoleWithWebIdentity",
                    {
                        StringEquals: {
                            "token.actions.githubusercontent.com:aud": "sts.amazonaws.com",
                            "token.actions.githubusercontent.com:sub": "repo:security/collector-config:ref:refs/heads/main",
                        },
                    },
                ],
            ],
        );
        assert.deepStrictEqual(
            ofType(resources, "aws:iam/openIdConnectProvider:OpenIdConnectProvider").map((p) => [p.inputs.url, p.inputs.clientIdLists]),
            [
                ["https://gitlab.com", ["sts.amazonaws.com"]],
                ["https://token.actions.githubusercontent.com", ["sts.amazonaws.com"]],
            ],
        );
        const policy = single(resources, "aws:iam/rolePolicy:RolePolicy", "collectors-publisher-policy");
        assert.strictEqual(policy.inputs.role, role.state.id);
        const p = policy.inputs.policy;
        assert.deepStrictEqual(statement(p, "PublishEnvironmentConfiguration").Resource, `${bucketArn}/configuration/production/*`);
        assert.deepStrictEqual(statement(p, "SendDeployDocument").Resource, production.outputs.documentArn);
        assert.strictEqual(production.outputs.documentArn, `arn:aws:ssm:${REGION}:${ACCOUNT}:document/LogCollection-Deploy-production`);
        assert.strictEqual(statement(p, "SendDeployDocument").Condition, undefined);
        assert.deepStrictEqual(statement(p, "SendToTaggedCollectors"), {
            Sid: "SendToTaggedCollectors",
            Effect: "Allow",
            Action: "ssm:SendCommand",
            Resource: `arn:aws:ec2:${REGION}:${ACCOUNT}:instance/*`,
            Condition: { StringEquals: { "ssm:resourceTag/InstanceRole": "LogCollection", "ssm:resourceTag/environment": "production" } },
        });
        assert.deepStrictEqual(statement(p, "DenyCollectorTagChanges"), {
            Sid: "DenyCollectorTagChanges",
            Effect: "Deny",
            Action: ["ec2:CreateTags", "ec2:DeleteTags"],
            Resource: "*",
            Condition: { "ForAnyValue:StringEquals": { "aws:TagKeys": ["InstanceRole", "environment"] } },
        });
        assert.deepStrictEqual(
            policyOf(p).Statement.map((s) => s.Sid),
            [
                "PublishEnvironmentConfiguration",
                "ListEnvironmentConfiguration",
                "UseConfigurationKeyThroughS3",
                "SendDeployDocument",
                "SendToTaggedCollectors",
                "FollowDeployCommands",
                "DenyCollectorTagChanges",
            ],
        );
        assert.strictEqual(production.outputs.publisherRoleArn, role.state.arn);
    });

    it("gives integration disjoint prefixes, secret pattern, document and publisher branch", async () => {
        const integration = await build({ environment: "integration" });
        const o = integration.outputs;
        const p = production.outputs;
        assert.deepStrictEqual(
            [o.configPrefix, o.secretPrefix, o.secretArnPattern, o.documentName],
            [
                "configuration/integration/",
                "log-collection/integration/",
                `arn:aws:secretsmanager:${REGION}:${ACCOUNT}:secret:log-collection/integration/*`,
                "LogCollection-Deploy-integration",
            ],
        );
        for (const key of ["configPrefix", "secretPrefix", "documentName", "documentArn"]) {
            assert.ok(!String(o[key]).startsWith(String(p[key])) && !String(p[key]).startsWith(String(o[key])), key);
        }
        assert.ok(!p.secretArnPattern.slice(0, -1).startsWith(o.secretArnPattern.slice(0, -1)));
        assert.ok(!o.secretArnPattern.slice(0, -1).startsWith(p.secretArnPattern.slice(0, -1)));
        assert.strictEqual(documentOf(integration.resources).parameters.prefix.allowedPattern, "^configuration/integration/$");
        const trust = policyOf(single(integration.resources, "aws:iam/role:Role", "collectors-publisher-role").inputs.assumeRolePolicy);
        assert.strictEqual(
            trust.Statement[0].Condition.StringEquals["gitlab.com:sub"],
            "project_path:security/collector-config:ref_type:branch:ref:integration",
        );
        const granted = JSON.stringify(
            policyOf(single(integration.resources, "aws:iam/rolePolicy:RolePolicy", "collectors-instance-policy").inputs.policy),
        );
        assert.ok(!granted.includes("production"), "the integration instance role names nothing of production");
        assert.ok(userDataOf(integration.resources).includes("--key agent/integration/agent.js"));
    });

    it("runs in a given VPC, allowing that VPC by default, and trusts a configured GitLab with an existing provider only", async () => {
        const { resources: given } = await build({
            allowedCidrs: undefined,
            forwardDestinations: undefined,
            vpc: { vpcId: "vpc-0123456789abcdef0", cidrBlock: "172.31.0.0/16", subnetIds: ["subnet-a", "subnet-b"] },
            gitlab: {
                url: "https://gitlab.example.com",
                audience: "https://gitlab.example.com",
                providerArn: `arn:aws:iam::${ACCOUNT}:oidc-provider/gitlab.example.com`,
            },
            github: false,
            listeners: [
                { name: "syslog-tls", port: 6514, protocols: ["TCP"] },
                { name: "syslog", port: 514, protocols: ["UDP"] },
            ],
            instanceType: "m7g.large",
        });
        assert.deepStrictEqual(ofType(given, "aws:ec2/vpc:Vpc"), []);
        assert.deepStrictEqual(ofType(given, "aws:ec2/flowLog:FlowLog"), [], "a given VPC's flow logs are its owner's");
        assert.deepStrictEqual(ofType(given, "aws:iam/openIdConnectProvider:OpenIdConnectProvider"), []);
        assert.deepStrictEqual(single(given, "aws:ec2/networkAcl:NetworkAcl").inputs.subnetIds, ["subnet-a", "subnet-b"]);
        assert.deepStrictEqual(single(given, "aws:autoscaling/group:Group").inputs.vpcZoneIdentifiers, ["subnet-a", "subnet-b"]);
        assert.deepStrictEqual(
            ofType(given, SG_INGRESS)
                .filter((r) => r.inputs.cidrIpv4)
                .map((r) => [r.inputs.ipProtocol, r.inputs.fromPort, r.inputs.cidrIpv4]),
            [
                ["tcp", 6514, "172.31.0.0/16"],
                ["udp", 514, "172.31.0.0/16"],
            ],
        );
        assert.deepStrictEqual(
            ofType(given, "aws:lb/listener:Listener").map((l) => [l.inputs.port, l.inputs.protocol]),
            [
                [6514, "TCP"],
                [514, "UDP"],
            ],
        );
        const health = ofType(given, "aws:lb/targetGroup:TargetGroup").map((t) => (t.inputs.healthCheck as any).port);
        assert.deepStrictEqual(health, ["6514", "6514"], "UDP targets are health-checked on the TCP listener's port");
        const trust = policyOf(single(given, "aws:iam/role:Role", "collectors-publisher-role").inputs.assumeRolePolicy);
        assert.deepStrictEqual(
            trust.Statement.map((s) => [s.Principal.Federated, Object.keys(s.Condition.StringEquals)]),
            [[`arn:aws:iam::${ACCOUNT}:oidc-provider/gitlab.example.com`, ["gitlab.example.com:aud", "gitlab.example.com:sub"]]],
        );
        assert.ok(String(single(given, "aws:ec2/launchTemplate:LaunchTemplate").inputs.description).endsWith("arm64"));
        assert.ok(userDataOf(given).includes("AmbientCapabilities=CAP_NET_BIND_SERVICE"), "port 514 needs the bind capability");
    });
});

describe("components/CollectorFleet validation", () => {
    it("fails the component construction with the same message", async () => {
        const pulumi = await import("@pulumi/pulumi");
        const { CollectorFleet } = await import("../../components/collector-fleet");
        await assert.rejects(
            async () => {
                await runUnderMocks(
                    () => new CollectorFleet("bad", { ...ARGS, agentBundle: new pulumi.asset.StringAsset(""), minSize: 9, maxSize: 1 }),
                );
            },
            (err: Error) =>
                err.message.includes("CollectorFleet: `minSize` (9) is larger than `maxSize` (1). Lower minSize or raise maxSize."),
        );
    });
});
