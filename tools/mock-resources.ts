// Fabricates the ids, names and ARNs AWS would return, in the account and region of each
// resource's provider, so that policies built from them carry realistic values.
import { createHash } from "crypto";

export interface MockAccount {
    accountId: string;
    region: string;
    partition: string;
}

function hex(length: number, ...parts: string[]): string {
    return createHash("sha256").update(parts.join("\u0000")).digest("hex").slice(0, length);
}

/**
 * Physical name the way the AWS provider names a resource the program does not name: the logical
 * name, a dash and 7 random hex digits (here a hash of the logical name, so plans are diffable); with
 * `<key>Prefix`, the prefix and a 26-character unique suffix. Never truncated: a name AWS would
 * refuse is reported by `physicalNameProblem`, as the deployment would fail on it.
 */
function autoName(name: string, inputs: Record<string, unknown>, key = "name"): string {
    const given = inputs[key];
    if (typeof given === "string" && given !== "") {
        return given;
    }
    const prefix = inputs[`${key}Prefix`];
    if (typeof prefix === "string" && prefix !== "") {
        return `${prefix}${String(BigInt(`0x${hex(20, name)}`))
            .padStart(26, "0")
            .slice(-26)}`;
    }
    return `${name}-${hex(7, name)}`;
}

/** A physical name AWS limits: the field that holds it, its maximum length and its characters. */
interface NameLimit {
    key: string;
    max: number;
    /** What AWS accepts, with a description for the message. */
    pattern?: [RegExp, string];
}

const S3_BUCKET: [RegExp, string] = [
    /^[a-z0-9][a-z0-9.-]*[a-z0-9]$/,
    "lower-case letters, digits, dots and dashes, starting and ending with a letter or digit",
];
const IAM_NAME: [RegExp, string] = [/^[\w+=,.@-]+$/, "letters, digits and +=,.@_-"];
const RULE_NAME: [RegExp, string] = [/^[\w.-]+$/, "letters, digits, dots, dashes and underscores"];
const LB_NAME: [RegExp, string] = [
    /^[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?$/,
    "letters, digits and dashes, not starting or ending with a dash",
];

/**
 * AWS's limits on the names the provider sets, per resource type (the provider's auto-naming
 * maximum, which is AWS's documented limit). A type not listed is not checked.
 */
export const NAME_LIMITS: Record<string, NameLimit> = {
    "aws:s3/bucket:Bucket": { key: "bucket", max: 63, pattern: S3_BUCKET },
    "aws:iam/role:Role": { key: "name", max: 64, pattern: IAM_NAME },
    "aws:iam/policy:Policy": { key: "name", max: 128, pattern: IAM_NAME },
    "aws:iam/rolePolicy:RolePolicy": { key: "name", max: 128, pattern: IAM_NAME },
    "aws:iam/instanceProfile:InstanceProfile": { key: "name", max: 128, pattern: IAM_NAME },
    "aws:iam/user:User": { key: "name", max: 64, pattern: IAM_NAME },
    "aws:cloudwatch/eventRule:EventRule": { key: "name", max: 64, pattern: RULE_NAME },
    "aws:cloudwatch/logGroup:LogGroup": { key: "name", max: 512 },
    "aws:cloudwatch/logMetricFilter:LogMetricFilter": { key: "name", max: 512 },
    "aws:cloudwatch/metricAlarm:MetricAlarm": { key: "name", max: 255 },
    "aws:lb/loadBalancer:LoadBalancer": { key: "name", max: 32, pattern: LB_NAME },
    "aws:lb/targetGroup:TargetGroup": { key: "name", max: 32, pattern: LB_NAME },
    "aws:cfg/rule:Rule": { key: "name", max: 128 },
    "aws:cfg/organizationManagedRule:OrganizationManagedRule": { key: "name", max: 64, pattern: RULE_NAME },
    "aws:cfg/organizationCustomRule:OrganizationCustomRule": { key: "name", max: 64, pattern: RULE_NAME },
    "aws:cfg/organizationConformancePack:OrganizationConformancePack": { key: "name", max: 128 },
    "aws:cfg/aggregateAuthorization:AggregateAuthorization": { key: "name", max: 256 },
    "aws:cfg/configurationAggregator:ConfigurationAggregator": { key: "name", max: 256, pattern: RULE_NAME },
    "aws:sns/topic:Topic": { key: "name", max: 256, pattern: [/^[\w-]+$/, "letters, digits, dashes and underscores"] },
    "aws:sqs/queue:Queue": { key: "name", max: 80 },
    "aws:kms/alias:Alias": { key: "name", max: 256 },
    "aws:ssm/document:Document": { key: "name", max: 128, pattern: [/^[\w.-]+$/, "letters, digits, dots, dashes and underscores"] },
    "aws:ssm/parameter:Parameter": { key: "name", max: 2048 },
    "aws:lambda/function:Function": { key: "name", max: 64 },
    "aws:glue/catalogDatabase:CatalogDatabase": { key: "name", max: 255 },
    "aws:glue/catalogTable:CatalogTable": { key: "name", max: 255 },
    "aws:athena/workgroup:Workgroup": { key: "name", max: 128 },
    "aws:athena/namedQuery:NamedQuery": { key: "name", max: 128 },
    "aws:cloudformation/stackSet:StackSet": {
        key: "name",
        max: 128,
        pattern: [/^[A-Za-z][A-Za-z0-9-]*$/, "letters, digits and dashes, starting with a letter"],
    },
    "aws:cloudtrail/trail:Trail": { key: "name", max: 128 },
    "aws:ec2/launchTemplate:LaunchTemplate": { key: "name", max: 128 },
    "aws:ec2/securityGroup:SecurityGroup": { key: "name", max: 255 },
    "aws:autoscaling/group:Group": { key: "name", max: 255 },
    "aws:secretsmanager/secret:Secret": { key: "name", max: 512 },
    "aws:kinesis/firehoseDeliveryStream:FirehoseDeliveryStream": { key: "name", max: 64 },
    "aws:ecs/cluster:Cluster": { key: "name", max: 255 },
    "aws:ecs/service:Service": { key: "name", max: 255 },
    "aws:ecs/taskDefinition:TaskDefinition": { key: "family", max: 255 },
    "aws:organizations/policy:Policy": { key: "name", max: 128 },
};

/** Why AWS would refuse the physical name in `state`, or undefined when it accepts it. */
export function physicalNameProblem(type: string, state: Record<string, unknown>): string | undefined {
    const limit = NAME_LIMITS[type];
    const value = limit ? state[limit.key] : undefined;
    if (!limit || typeof value !== "string") {
        return undefined;
    }
    if (value.length > limit.max) {
        return `${limit.key} "${value}" is ${value.length} characters; AWS allows at most ${limit.max} for ${type}`;
    }
    if (limit.pattern && !limit.pattern[0].test(value)) {
        return `${limit.key} "${value}" has characters AWS refuses for ${type} (${limit.pattern[1]})`;
    }
    return undefined;
}

type Fabricator = (name: string, inputs: Record<string, unknown>, a: MockAccount) => Record<string, unknown>;

const arn = (a: MockAccount, service: string, resource: string, region = a.region, account = a.accountId) =>
    `arn:${a.partition}:${service}:${region}:${account}:${resource}`;

/** Per-type outputs; anything not listed gets a generic id and ARN. */
const FABRICATORS: Record<string, Fabricator> = {
    "aws:s3/bucket:Bucket": (name, inputs, a) => {
        // The provider lower-cases the names it makes for buckets; a name the program gives is kept as given.
        const bucket =
            typeof inputs.bucket === "string" && inputs.bucket !== "" ? inputs.bucket : autoName(name, inputs, "bucket").toLowerCase();
        return {
            id: bucket,
            bucket,
            arn: `arn:${a.partition}:s3:::${bucket}`,
            bucketDomainName: `${bucket}.s3.amazonaws.com`,
            bucketRegionalDomainName: `${bucket}.s3.${a.region}.amazonaws.com`,
            region: a.region,
        };
    },
    "aws:kms/key:Key": (name, _inputs, a) => {
        const id = `${hex(8, name)}-${hex(4, name, "1")}-${hex(4, name, "2")}-${hex(4, name, "3")}-${hex(12, name, "4")}`;
        return { id, keyId: id, arn: arn(a, "kms", `key/${id}`) };
    },
    "aws:kms/alias:Alias": (name, inputs, a) => {
        const alias = autoName(name, inputs);
        return { id: alias, arn: arn(a, "kms", alias), targetKeyArn: arn(a, "kms", `key/${inputs.targetKeyId}`) };
    },
    "aws:iam/role:Role": (name, inputs, a) => {
        const roleName = autoName(name, inputs, "name");
        const path = typeof inputs.path === "string" ? inputs.path : "/";
        return {
            id: roleName,
            name: roleName,
            arn: `arn:${a.partition}:iam::${a.accountId}:role${path}${roleName}`,
            uniqueId: `AROA${hex(17, name).toUpperCase()}`,
        };
    },
    "aws:iam/policy:Policy": (name, inputs, a) => {
        const policyName = autoName(name, inputs, "name");
        const policyArn = `arn:${a.partition}:iam::${a.accountId}:policy/${policyName}`;
        return { id: policyArn, name: policyName, arn: policyArn, policyId: `ANPA${hex(17, name).toUpperCase()}` };
    },
    "aws:iam/instanceProfile:InstanceProfile": (name, inputs, a) => {
        const profileName = autoName(name, inputs, "name");
        return { id: profileName, name: profileName, arn: `arn:${a.partition}:iam::${a.accountId}:instance-profile/${profileName}` };
    },
    "aws:iam/openIdConnectProvider:OpenIdConnectProvider": (name, inputs, a) => {
        const host = String(inputs.url ?? name).replace(/^https:\/\//, "");
        const providerArn = `arn:${a.partition}:iam::${a.accountId}:oidc-provider/${host}`;
        return { id: providerArn, arn: providerArn };
    },
    "aws:sns/topic:Topic": (name, inputs, a) => {
        const topicArn = arn(a, "sns", autoName(name, inputs, "name"));
        return { id: topicArn, arn: topicArn, name: topicArn.split(":").pop() };
    },
    "aws:sqs/queue:Queue": (name, inputs, a) => {
        const queueName = autoName(name, inputs, "name");
        return { id: `https://sqs.${a.region}.amazonaws.com/${a.accountId}/${queueName}`, name: queueName, arn: arn(a, "sqs", queueName) };
    },
    "aws:cloudtrail/trail:Trail": (name, inputs, a) => {
        const trailName = autoName(name, inputs);
        return { id: trailName, name: trailName, arn: arn(a, "cloudtrail", `trail/${trailName}`), homeRegion: a.region };
    },
    "aws:cloudwatch/logGroup:LogGroup": (name, inputs, a) => {
        const groupName = autoName(name, inputs, "name");
        return { id: groupName, name: groupName, arn: arn(a, "logs", `log-group:${groupName}`) };
    },
    "aws:cloudwatch/metricAlarm:MetricAlarm": (name, inputs, a) => {
        const alarmName = autoName(name, inputs, "name");
        return { id: alarmName, name: alarmName, arn: arn(a, "cloudwatch", `alarm:${alarmName}`) };
    },
    "aws:cloudwatch/eventRule:EventRule": (name, inputs, a) => {
        const ruleName = autoName(name, inputs, "name");
        return { id: ruleName, name: ruleName, arn: arn(a, "events", `rule/${ruleName}`) };
    },
    "aws:organizations/policy:Policy": (name, _inputs, a) => {
        const id = `p-${hex(8, name)}`;
        return { id, arn: `arn:${a.partition}:organizations::${a.accountId}:policy/o-mock/service_control_policy/${id}` };
    },
    "aws:s3/bucketObjectv2:BucketObjectv2": (name, inputs) => {
        const versionId = `${hex(32, name, String(inputs.key))}`;
        return { id: String(inputs.key), key: inputs.key, versionId, etag: hex(32, name, "etag") };
    },
    "aws:ec2/launchTemplate:LaunchTemplate": (name, inputs, a) => {
        const id = `lt-${hex(17, name)}`;
        return { id, arn: arn(a, "ec2", `launch-template/${id}`), name: autoName(name, inputs), latestVersion: 1, defaultVersion: 1 };
    },
    "aws:autoscaling/group:Group": (name, inputs, a) => {
        const groupName = autoName(name, inputs, "name");
        const uuid = `${hex(8, name)}-${hex(4, name, "1")}-${hex(4, name, "2")}-${hex(4, name, "3")}-${hex(12, name, "4")}`;
        return { id: groupName, name: groupName, arn: arn(a, "autoscaling", `autoScalingGroup:${uuid}:autoScalingGroupName/${groupName}`) };
    },
    "aws:ssm/document:Document": (name, inputs, a) => {
        const docName = autoName(name, inputs, "name");
        return { id: docName, name: docName, arn: arn(a, "ssm", `document/${docName}`) };
    },
    "aws:secretsmanager/secret:Secret": (name, inputs, a) => {
        const secretName = autoName(name, inputs, "name");
        const secretArn = arn(a, "secretsmanager", `secret:${secretName}-${hex(6, name)}`);
        return { id: secretArn, name: secretName, arn: secretArn };
    },
    "aws:kinesis/firehoseDeliveryStream:FirehoseDeliveryStream": (name, inputs, a) => {
        const streamName = autoName(name, inputs, "name");
        return {
            id: arn(a, "firehose", `deliverystream/${streamName}`),
            name: streamName,
            arn: arn(a, "firehose", `deliverystream/${streamName}`),
        };
    },
    "aws:lb/loadBalancer:LoadBalancer": (name, inputs, a) => {
        const lbName = autoName(name, inputs, "name");
        const kind = inputs.loadBalancerType === "network" ? "net" : "app";
        const lbArn = arn(a, "elasticloadbalancing", `loadbalancer/${kind}/${lbName}/${hex(16, name)}`);
        return {
            id: lbArn,
            arn: lbArn,
            arnSuffix: lbArn.split(":loadbalancer/")[1],
            name: lbName,
            dnsName: `${lbName}-${hex(10, name)}.elb.${a.region}.amazonaws.com`,
            zoneId: "Z2IFOLAFXWLO4F",
        };
    },
    "aws:lb/targetGroup:TargetGroup": (name, inputs, a) => {
        const tgName = autoName(name, inputs, "name");
        const tgArn = arn(a, "elasticloadbalancing", `targetgroup/${tgName}/${hex(16, name)}`);
        return { id: tgArn, arn: tgArn, arnSuffix: tgArn.split(":")[5], name: tgName };
    },
    "aws:ecs/cluster:Cluster": (name, inputs, a) => {
        const clusterName = autoName(name, inputs, "name");
        const clusterArn = arn(a, "ecs", `cluster/${clusterName}`);
        return { id: clusterArn, arn: clusterArn, name: clusterName };
    },
    "aws:ecs/taskDefinition:TaskDefinition": (name, inputs, a) => {
        const family = String(inputs.family ?? name);
        return {
            id: family,
            arn: arn(a, "ecs", `task-definition/${family}:1`),
            revision: 1,
            arnWithoutRevision: arn(a, "ecs", `task-definition/${family}`),
        };
    },
    "aws:glue/catalogDatabase:CatalogDatabase": (name, inputs, a) => {
        const dbName = autoName(name, inputs, "name").replace(/-/g, "_");
        return { id: `${a.accountId}:${dbName}`, name: dbName, arn: arn(a, "glue", `database/${dbName}`), catalogId: a.accountId };
    },
    "aws:athena/workgroup:Workgroup": (name, inputs, a) => {
        const wgName = autoName(name, inputs, "name");
        return { id: wgName, name: wgName, arn: arn(a, "athena", `workgroup/${wgName}`) };
    },
    "aws:iam/serviceLinkedRole:ServiceLinkedRole": (_name, inputs, a) => {
        const service = String(inputs.awsServiceName);
        const known: Record<string, string> = { "config.amazonaws.com": "AWSServiceRoleForConfig" };
        const roleName = known[service] ?? `AWSServiceRoleFor${service.split(".")[0]}`;
        const path = `/aws-service-role/${service}/`;
        return {
            id: `arn:${a.partition}:iam::${a.accountId}:role${path}${roleName}`,
            name: roleName,
            path,
            arn: `arn:${a.partition}:iam::${a.accountId}:role${path}${roleName}`,
        };
    },
    "aws:cfg/recorder:Recorder": (_name, inputs) => {
        const recorderName = typeof inputs.name === "string" ? inputs.name : "default";
        return { id: recorderName, name: recorderName };
    },
    "aws:cfg/deliveryChannel:DeliveryChannel": (_name, inputs) => {
        const channelName = typeof inputs.name === "string" ? inputs.name : "default";
        return { id: channelName, name: channelName };
    },
    "aws:cfg/rule:Rule": (name, inputs, a) => {
        const ruleName = autoName(name, inputs, "name");
        const ruleId = `config-rule-${hex(6, name)}`;
        return { id: ruleName, name: ruleName, ruleId, arn: arn(a, "config", `config-rule/${ruleId}`) };
    },
    "aws:cloudwatch/logMetricFilter:LogMetricFilter": (name, inputs) => {
        const filterName = autoName(name, inputs, "name");
        return { id: filterName, name: filterName };
    },
    "aws:sns/topicSubscription:TopicSubscription": (name, inputs) => {
        const subscriptionArn = `${inputs.topic}:${hex(8, name)}-${hex(4, name, "1")}-${hex(4, name, "2")}-${hex(4, name, "3")}-${hex(12, name, "4")}`;
        return { id: subscriptionArn, arn: subscriptionArn };
    },
    "aws:organizations/policyAttachment:PolicyAttachment": (_name, inputs) => ({ id: `${inputs.targetId}:${inputs.policyId}` }),
    "aws:s3/accountPublicAccessBlock:AccountPublicAccessBlock": (_name, _inputs, a) => ({ id: a.accountId, accountId: a.accountId }),
    "aws:ebs/encryptionByDefault:EncryptionByDefault": (_name, _inputs, a) => ({ id: a.region }),
};

const ID_PREFIXES: Record<string, string> = {
    "aws:ec2/vpc:Vpc": "vpc",
    "aws:ec2/subnet:Subnet": "subnet",
    "aws:ec2/securityGroup:SecurityGroup": "sg",
    "aws:ec2/launchTemplate:LaunchTemplate": "lt",
    "aws:ec2/networkAcl:NetworkAcl": "acl",
    "aws:ec2/internetGateway:InternetGateway": "igw",
    "aws:ec2/natGateway:NatGateway": "nat",
    "aws:ec2/routeTable:RouteTable": "rtb",
    "aws:ec2/eip:Eip": "eipalloc",
    "aws:ec2/vpcEndpoint:VpcEndpoint": "vpce",
    "aws:ec2/instance:Instance": "i",
    "aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule": "sgr",
    "aws:vpc/securityGroupEgressRule:SecurityGroupEgressRule": "sgr",
};

/** Returns the id and state the mock provider reports for a new resource. */
export function fabricateState(
    type: string,
    name: string,
    inputs: Record<string, unknown>,
    account: MockAccount,
    custom: boolean,
): { id: string; state: Record<string, unknown> } {
    if (!custom) {
        return { id: "", state: inputs };
    }
    const fabricate = FABRICATORS[type];
    if (fabricate) {
        const state = fabricate(name, inputs, account);
        return { id: String(state.id), state: { ...inputs, ...state } };
    }
    const prefix = ID_PREFIXES[type];
    const id = prefix ? `${prefix}-${hex(17, type, name)}` : `${name}-${hex(8, type, name)}`;
    // Generic ARN: arn:<partition>:<module>:<region>:<account>:<resource type>/<id>
    const [, module = "mock", resource = "resource"] = /^aws:([^/]+)\/([^:]+):/.exec(type) ?? [];
    const service = module === "vpc" ? "ec2" : module;
    return {
        id,
        state: {
            ...inputs,
            id,
            arn: inputs.arn ?? arn(account, service, `${resource.toLowerCase()}/${id}`),
            name: inputs.name ?? autoName(name, inputs),
        },
    };
}
