import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { newSecureBucket, secureBucketSettings } from "./internal/secure-bucket";
import {
    CollectorForwardDestination,
    CollectorListener,
    instanceRules,
    loadBalancerRules,
    networkAclRules,
    NaclRule,
    RuleInputs,
    SgRule,
} from "./internal/collector-network-rules";

export type { CollectorForwardDestination, CollectorListener } from "./internal/collector-network-rules";
import { isIpv4Cidr, isNetworkAddress, prefixLength, subnetCidr } from "./internal/cidr";
import {
    collectorLayout,
    collectorUserData,
    deployDocumentContent,
    secretArnPattern as buildSecretArnPattern,
} from "./internal/collector-bootstrap";
import { collectorInstancePolicy, collectorInstanceTrustPolicy } from "./policies/collector-instance-policy";
import {
    COLLECTOR_TAG_KEY,
    COLLECTOR_TAG_VALUE,
    ENVIRONMENT_TAG_KEY,
    PublisherIssuer,
    collectorPublisherPolicy,
    collectorPublisherTrustPolicy,
} from "./policies/collector-publisher-policy";
import { collectorAccessLogsBucketPolicy, collectorKeyPolicy } from "./policies/collector-storage-policy";
import { collectorValidatePolicy, collectorValidateTrustPolicy } from "./policies/collector-validate-policy";

/** An existing VPC to run in instead of creating one. */
export interface CollectorVpc {
    readonly vpcId: pulumi.Input<string>;
    /** The VPC's IPv4 CIDR block: the NLB's health checks come from it. Plain: it shapes the rules. */
    readonly cidrBlock: string;
    /**
     * Private subnets for the collectors (and an internal NLB), in two or more AZs. They must be
     * dedicated to the collectors: the component associates its own network ACL with them.
     */
    readonly subnetIds: pulumi.Input<string>[];
    /**
     * Public subnets for an internet-facing NLB.
     * @default - the collectors' subnets (internal NLB only)
     */
    readonly loadBalancerSubnetIds?: pulumi.Input<string>[];
}

/** A CI identity provider the publisher role trusts. */
export interface CollectorOidcIssuer {
    /**
     * Issuer URL.
     * @default "https://gitlab.com" for GitLab, "https://token.actions.githubusercontent.com" for GitHub
     */
    readonly url?: string;
    /**
     * The `aud` claim the pipeline requests (`id_tokens: aud:` in GitLab, `audience` in GitHub).
     * @default "sts.amazonaws.com"
     */
    readonly audience?: string;
    /**
     * ARN of the account's existing IAM OIDC provider for this issuer (one per issuer per account).
     * @default - the component creates the provider
     */
    readonly providerArn?: pulumi.Input<string>;
}

/**
 * Arguments of CollectorFleet. Fields are plain values where they are validated against each other
 * or decide which resources and rules exist (names, ports, CIDR blocks, sizes), as the JSDoc notes.
 */
export interface CollectorFleetArgs {
    /**
     * Environment name (`integration`, `production`): names the configuration prefix, the agent
     * prefix, the secrets prefix and the deploy document, all disjoint between environments. Plain:
     * it is part of physical names.
     */
    readonly environment: string;
    /** The agent bundle (`agent/dist/agent.js`); uploaded to `agent/<env>/agent.js` and pinned by version in user data. */
    readonly agentBundle: pulumi.Input<pulumi.asset.Asset>;
    /** The collector configuration repository whose pipelines may publish (`group/project`, `owner/repo`). */
    readonly configRepository: string;
    /**
     * The protected branch of `configRepository` that deploys this environment.
     * @default "main" for the `production` environment, the environment's name otherwise
     */
    readonly deployBranch?: string;
    /**
     * GitLab issuer trusted by the publisher role; `false` trusts no GitLab.
     * @default { url: "https://gitlab.com" }
     */
    readonly gitlab?: CollectorOidcIssuer | false;
    /**
     * GitHub Actions issuer trusted by the publisher role; `false` trusts no GitHub.
     * @default { url: "https://token.actions.githubusercontent.com" }
     */
    readonly github?: CollectorOidcIssuer | false;
    /**
     * IPv4 CIDR blocks allowed to send logs to the listeners. Plain: one rule per block and port.
     * @default - the VPC's CIDR block (internal load balancer only)
     */
    readonly allowedCidrs?: string[];
    /**
     * Accept `0.0.0.0/0` in `allowedCidrs`. Acceptable only for an internet-facing syslog intake
     * whose senders have no fixed addresses and whose Fluentd inputs authenticate them (TLS, shared key).
     * @default false
     */
    readonly allowAnySourceCidr?: boolean;
    /**
     * Put the NLB on the internet (public subnets); `allowedCidrs` is then required.
     * @default false
     */
    readonly internetFacing?: boolean;
    /**
     * Listener ports and protocols.
     * @default [{ name: "forward", port: 24224, protocols: ["TCP"] }, { name: "syslog", port: 5140, protocols: ["TCP", "UDP"] }]
     */
    readonly listeners?: CollectorListener[];
    /**
     * Public half (PEM) of the KMS key the configuration pipeline signs manifest.json with. When given,
     * the deploy document and the first boot run the agent with --require-signature --public-key.
     * @default - unsigned snapshots are accepted
     */
    readonly manifestPublicKeyPem?: string;
    /**
     * TCP port of the NLB health checks (UDP cannot be health-checked).
     * @default - the port of the first listener that accepts TCP
     */
    readonly healthCheckPort?: number;
    /**
     * Where the collectors forward logs; each gets an egress rule and network ACL entries.
     * @default []
     */
    readonly forwardDestinations?: CollectorForwardDestination[];
    /**
     * Where the collectors may reach HTTPS: AWS APIs (SSM, S3, Secrets Manager, SNS, KMS) and the
     * Fluentd package repository. Narrow it when the VPC reaches those through endpoints and a proxy.
     * @default ["0.0.0.0/0"]
     */
    readonly httpsEgressCidrs?: string[];
    /**
     * Run in an existing VPC.
     * @default - a VPC is created: private subnets for the collectors, one NAT gateway, an S3 gateway endpoint, flow logs
     */
    readonly vpc?: CollectorVpc;
    /**
     * CIDR block of the created VPC (a /16 to /24); only used when `vpc` is not given.
     * @default "10.64.0.0/16"
     */
    readonly vpcCidr?: string;
    /**
     * Availability zones of the created VPC (2 or 3); only used when `vpc` is not given.
     * @default 2
     */
    readonly availabilityZoneCount?: number;
    /**
     * EC2 instance type; Graviton types (`m7g.large`) need an arm64 `imageId`.
     * @default "t3.medium"
     */
    readonly instanceType?: string;
    /**
     * The AMI the collectors run (`ami-...`, Amazon Linux 2023 of `instanceType`'s architecture).
     * Pinned rather than looked up at deploy time, so that a deployment replaces the fleet only when
     * this value changes in a reviewed commit; a new id is a new launch template version and a rolling
     * instance refresh. Plain: it decides the launch template.
     */
    readonly imageId: string;
    /** @default 2 */
    readonly minSize?: number;
    /** @default 4 */
    readonly maxSize?: number;
    /** @default - `minSize` */
    readonly desiredCapacity?: number;
    /**
     * Size of the encrypted gp3 root volume (Fluentd's file buffers live there).
     * @default 30
     */
    readonly rootVolumeSizeGiB?: number;
    /**
     * E-mail address subscribed to the deploy-result topic.
     * @default - no subscription
     */
    readonly deployEmail?: pulumi.Input<string>;
    /**
     * Days the configuration bucket's server access logs are kept (at least 365).
     * @default 400
     */
    readonly accessLogsRetentionDays?: number;
}

/** A listener as exported: `TCP`, `UDP` or `TCP_UDP` on a port. */
export interface CollectorPort {
    name: string;
    port: number;
    protocol: "TCP" | "UDP" | "TCP_UDP";
}

const DEFAULT_LISTENERS: CollectorListener[] = [
    { name: "forward", port: 24224, protocols: ["TCP"] },
    { name: "syslog", port: 5140, protocols: ["TCP", "UDP"] },
];
const DEFAULT_ISSUER_URLS = { gitlab: "https://gitlab.com", github: "https://token.actions.githubusercontent.com" } as const;
const DEFAULT_AUDIENCE = "sts.amazonaws.com";
const DEFAULT_VPC_CIDR = "10.64.0.0/16";
const ANY_IPV4 = "0.0.0.0/0";
/** Key prefix of the created VPC's flow logs in the access-logs bucket. */
const FLOW_LOGS_PREFIX = "vpc-flow-logs/";
const SSH_PORT = 22;
/** Default quota of rules per direction of a network ACL. */
const NACL_RULE_QUOTA = 20;

const ENVIRONMENT = /^[a-z][a-z0-9-]{1,31}$/;
const STABLE_ID = /^[a-z][a-z0-9-]{0,23}$/;
const REPOSITORY = /^[\w.-]+(\/[\w.-]+)+$/;
// Git ref names: no spaces, no "..", no leading "-" or "/"; enough for protected branch names.
const BRANCH = /^(?!-)(?!.*\.\.)[A-Za-z0-9._/-]{1,200}$/;
/** `ami-` and 8 or 17 hex digits. */
const AMI_ID = /^ami-(?:[0-9a-f]{8}|[0-9a-f]{17})$/;
const INSTANCE_TYPE = /^[a-z][a-z0-9-]*\.[a-z0-9]+$/;

const show = (value: unknown) => (value === undefined ? "undefined" : JSON.stringify(value));

function portProblem(path: string, port: unknown): string | undefined {
    if (typeof port !== "number" || !Number.isInteger(port) || port < 1 || port > 65535) {
        return `\`${path}\` (${show(port)}) is not a port between 1 and 65535. Use a whole number from 1 to 65535`;
    }
    if (port === SSH_PORT) {
        return `\`${path}\` (22) is the SSH port, and collectors take no SSH. Choose another port; reach instances with SSM Session Manager`;
    }
    return undefined;
}

function cidrProblems(path: string, cidrs: readonly unknown[], allowAny: boolean): string[] {
    const problems: string[] = [];
    cidrs.forEach((cidr, index) => {
        if (!isIpv4Cidr(cidr)) {
            problems.push(`\`${path}[${index}]\` (${show(cidr)}) is not an IPv4 CIDR block. Write it like "10.0.0.0/8"`);
        } else if (!isNetworkAddress(cidr)) {
            problems.push(`\`${path}[${index}]\` (${show(cidr)}) has host bits set. Use the network address of the block`);
        } else if (cidr === ANY_IPV4 && !allowAny) {
            problems.push(
                `\`${path}[${index}]\` ("0.0.0.0/0") would let the whole internet send logs. List the senders' CIDR blocks, or set \`allowAnySourceCidr\` if the inputs authenticate senders`,
            );
        }
    });
    return problems;
}

/** The protocol of the NLB listener for a port's protocols. */
export function listenerProtocol(protocols: readonly ("TCP" | "UDP")[]): CollectorPort["protocol"] {
    const tcp = protocols.includes("TCP");
    const udp = protocols.includes("UDP");
    return tcp && udp ? "TCP_UDP" : udp ? "UDP" : "TCP";
}

/** Graviton families (`m7g`, `c6gn`, `t4g`, `is4gen`) carry a `g` after the generation digit. */
export function instanceArchitecture(instanceType: string): "arm64" | "x86_64" {
    const family = instanceType.split(".")[0];
    return /^[a-z]+\d+[a-z-]*g/.test(family) ? "arm64" : "x86_64";
}

/** Checks the Args; throws one error listing every problem. */
export function validateCollectorFleetArgs(args: CollectorFleetArgs): void {
    const problems: string[] = [];
    if (!ENVIRONMENT.test(String(args.environment))) {
        problems.push(`\`environment\` (${show(args.environment)}) is not an environment name. Use 2-32 lower-case letters, digits or dashes, such as "production"`);
    }
    if (!REPOSITORY.test(String(args.configRepository))) {
        problems.push(`\`configRepository\` (${show(args.configRepository)}) is not a repository path. Write it as "group/project" or "owner/repo"`);
    }
    if (args.deployBranch !== undefined && !BRANCH.test(args.deployBranch)) {
        problems.push(`\`deployBranch\` (${show(args.deployBranch)}) is not a branch name. Name the protected branch, such as "main"`);
    }
    const issuers = (["gitlab", "github"] as const).filter((kind) => args[kind] !== false);
    if (issuers.length === 0) {
        problems.push("`gitlab` and `github` (both false) leave the publisher role with no pipeline to trust. Enable at least one issuer");
    }
    for (const kind of issuers) {
        const issuer = args[kind] || {};
        if (issuer.url !== undefined && !/^https:\/\/[a-z0-9.-]+(:\d+)?(\/[\w./-]*)?$/.test(issuer.url)) {
            problems.push(`\`${kind}.url\` (${show(issuer.url)}) is not an https issuer URL. Use the issuer's https:// URL without a trailing query`);
        }
        if (issuer.audience !== undefined && (typeof issuer.audience !== "string" || issuer.audience === "")) {
            problems.push(`\`${kind}.audience\` (${show(issuer.audience)}) is empty. Give the aud claim the pipeline requests, such as "sts.amazonaws.com"`);
        }
    }

    const listeners = args.listeners ?? DEFAULT_LISTENERS;
    if (listeners.length === 0) {
        problems.push("`listeners` ([]) is empty, so the load balancer would accept nothing. List at least one port");
    }
    const ports = new Map<number, string>();
    const names = new Set<string>();
    listeners.forEach((listener, index) => {
        const path = `listeners[${index}]`;
        if (!STABLE_ID.test(String(listener.name))) {
            problems.push(`\`${path}.name\` (${show(listener.name)}) is not a listener id. Use up to 24 lower-case letters, digits or dashes, such as "syslog"`);
        } else if (names.has(listener.name)) {
            problems.push(`\`${path}.name\` (${show(listener.name)}) is used twice. Give each listener its own name`);
        }
        names.add(listener.name);
        const problem = portProblem(`${path}.port`, listener.port);
        if (problem) {
            problems.push(problem);
        } else if (ports.has(listener.port)) {
            problems.push(
                `\`${path}.port\` (${listener.port}) is also the port of listener "${ports.get(listener.port)}"; an NLB holds one listener per port. Merge them into one listener with protocols ["TCP", "UDP"]`,
            );
        } else {
            ports.set(listener.port, listener.name);
        }
        const protocols = listener.protocols ?? [];
        if (protocols.length === 0 || protocols.some((p) => p !== "TCP" && p !== "UDP") || new Set(protocols).size !== protocols.length) {
            problems.push(`\`${path}.protocols\` (${show(listener.protocols)}) must list "TCP", "UDP" or both, once each`);
        }
    });
    if (args.healthCheckPort !== undefined) {
        const problem = portProblem("healthCheckPort", args.healthCheckPort);
        if (problem) {
            problems.push(problem);
        }
    } else if (listeners.length > 0 && !listeners.some((l) => (l.protocols ?? []).includes("TCP"))) {
        problems.push("`healthCheckPort` (undefined) has no default because no listener accepts TCP, and NLB health checks need TCP. Set the TCP port Fluentd answers health checks on");
    }

    const internetFacing = args.internetFacing ?? false;
    if (internetFacing && (args.allowedCidrs === undefined || args.allowedCidrs.length === 0)) {
        problems.push(
            `\`allowedCidrs\` (${show(args.allowedCidrs)}) is empty while \`internetFacing\` is true, so the load balancer's reach is undefined. List the CIDR blocks of the senders`,
        );
    }
    if (args.allowedCidrs !== undefined && args.allowedCidrs.length === 0 && !internetFacing) {
        problems.push("`allowedCidrs` ([]) is empty, so no sender could reach the collectors. List the senders' CIDR blocks, or leave it unset to allow the VPC");
    }
    problems.push(...cidrProblems("allowedCidrs", args.allowedCidrs ?? [], args.allowAnySourceCidr ?? false));
    problems.push(...cidrProblems("httpsEgressCidrs", args.httpsEgressCidrs ?? [], true));
    if (args.httpsEgressCidrs !== undefined && args.httpsEgressCidrs.length === 0) {
        problems.push("`httpsEgressCidrs` ([]) is empty, so the collectors could reach neither SSM nor S3. List the CIDR blocks of the AWS endpoints or proxies");
    }
    const destinations = new Set<string>();
    (args.forwardDestinations ?? []).forEach((destination, index) => {
        const path = `forwardDestinations[${index}]`;
        if (!STABLE_ID.test(String(destination.name))) {
            problems.push(`\`${path}.name\` (${show(destination.name)}) is not a destination id. Use up to 24 lower-case letters, digits or dashes, such as "siem"`);
        } else if (destinations.has(destination.name)) {
            problems.push(`\`${path}.name\` (${show(destination.name)}) is used twice. Give each destination its own name`);
        }
        destinations.add(destination.name);
        problems.push(...cidrProblems(`${path}.cidr`, [destination.cidr], true).map((p) => p.replace(`${path}.cidr[0]`, `${path}.cidr`)));
        const problem = portProblem(`${path}.port`, destination.port);
        if (problem) {
            problems.push(problem);
        }
        if (destination.protocol !== "TCP" && destination.protocol !== "UDP") {
            problems.push(`\`${path}.protocol\` (${show(destination.protocol)}) must be "TCP" or "UDP"`);
        }
    });

    if (args.vpc) {
        if (!isIpv4Cidr(args.vpc.cidrBlock)) {
            problems.push(`\`vpc.cidrBlock\` (${show(args.vpc.cidrBlock)}) is not an IPv4 CIDR block. Give the VPC's primary CIDR block`);
        }
        if (args.vpc.subnetIds.length === 0) {
            problems.push("`vpc.subnetIds` ([]) is empty. List the collectors' private subnets, in two or more availability zones");
        }
        if (internetFacing && (args.vpc.loadBalancerSubnetIds ?? []).length === 0) {
            problems.push(`\`vpc.loadBalancerSubnetIds\` (${show(args.vpc.loadBalancerSubnetIds)}) is empty while \`internetFacing\` is true. List the public subnets for the load balancer`);
        }
        if (args.vpcCidr !== undefined || args.availabilityZoneCount !== undefined) {
            problems.push("`vpcCidr` and `availabilityZoneCount` only shape a created VPC, but `vpc` is given. Remove them");
        }
    } else {
        const vpcCidr = args.vpcCidr ?? DEFAULT_VPC_CIDR;
        if (!isIpv4Cidr(vpcCidr) || !isNetworkAddress(vpcCidr) || prefixLength(vpcCidr) < 16 || prefixLength(vpcCidr) > 24) {
            problems.push(`\`vpcCidr\` (${show(args.vpcCidr)}) is not a /16 to /24 IPv4 network. Use a block such as "10.64.0.0/16"`);
        }
        const azs = args.availabilityZoneCount ?? 2;
        if (!Number.isInteger(azs) || azs < 2 || azs > 3) {
            problems.push(`\`availabilityZoneCount\` (${show(args.availabilityZoneCount)}) must be 2 or 3. Spread the collectors over two or three zones`);
        }
    }

    if (typeof args.imageId !== "string" || !AMI_ID.test(args.imageId)) {
        problems.push(`\`imageId\` (${show(args.imageId)}) is not an AMI id. Pin an image such as "ami-0a1b2c3d4e5f67890" (aws ssm get-parameter --name /aws/service/ami-amazon-linux-latest/al2023-ami-kernel-default-x86_64)`);
    }
    if (args.instanceType !== undefined && !INSTANCE_TYPE.test(args.instanceType)) {
        problems.push(`\`instanceType\` (${show(args.instanceType)}) is not an EC2 instance type. Use a type such as "t3.medium"`);
    }
    const sizes = { minSize: args.minSize, maxSize: args.maxSize, desiredCapacity: args.desiredCapacity };
    for (const [key, value] of Object.entries(sizes)) {
        if (value !== undefined && (!Number.isInteger(value) || value < 0)) {
            problems.push(`\`${key}\` (${show(value)}) is not a whole number of instances. Use 0 or more`);
        }
    }
    const minSize = args.minSize ?? 2;
    const maxSize = args.maxSize ?? 4;
    const desired = args.desiredCapacity ?? minSize;
    if (minSize > maxSize) {
        problems.push(`\`minSize\` (${minSize}) is larger than \`maxSize\` (${maxSize}). Lower minSize or raise maxSize`);
    } else if (desired < minSize || desired > maxSize) {
        problems.push(`\`desiredCapacity\` (${desired}) is outside \`minSize\`..\`maxSize\` (${minSize}..${maxSize}). Choose a capacity in that range`);
    }
    if (args.rootVolumeSizeGiB !== undefined && (!Number.isInteger(args.rootVolumeSizeGiB) || args.rootVolumeSizeGiB < 8 || args.rootVolumeSizeGiB > 16384)) {
        problems.push(`\`rootVolumeSizeGiB\` (${show(args.rootVolumeSizeGiB)}) is outside 8-16384. The Amazon Linux 2023 image needs at least 8 GiB`);
    }
    if (args.accessLogsRetentionDays !== undefined && (!Number.isInteger(args.accessLogsRetentionDays) || args.accessLogsRetentionDays < 365)) {
        problems.push(`\`accessLogsRetentionDays\` (${show(args.accessLogsRetentionDays)}) is below 365. Keep access logs for at least a year`);
    }

    if (problems.length === 0) {
        const inbound = naclRuleCount(args);
        if (inbound > NACL_RULE_QUOTA) {
            problems.push(
                `\`allowedCidrs\` (${(args.allowedCidrs ?? []).length} blocks) and \`listeners\` need ${inbound} inbound network ACL rules, more than the ${NACL_RULE_QUOTA} a network ACL holds by default. Aggregate the CIDR blocks or use fewer listener ports`,
            );
        }
    }
    if (problems.length > 0) {
        throw new Error(`CollectorFleet: ${problems.join("; ")}.`);
    }
}

function ruleInputs(args: CollectorFleetArgs): RuleInputs {
    const listeners = args.listeners ?? DEFAULT_LISTENERS;
    const vpcCidr = args.vpc?.cidrBlock ?? args.vpcCidr ?? DEFAULT_VPC_CIDR;
    return {
        listeners,
        healthCheckPort: args.healthCheckPort ?? listeners.find((l) => l.protocols.includes("TCP"))!.port,
        allowedCidrs: args.allowedCidrs ?? [vpcCidr],
        vpcCidr,
        httpsEgressCidrs: args.httpsEgressCidrs ?? [ANY_IPV4],
        forwardDestinations: args.forwardDestinations ?? [],
    };
}

function naclRuleCount(args: CollectorFleetArgs): number {
    return networkAclRules(ruleInputs(args)).ingress.length;
}

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
        try {
            validateCollectorFleetArgs(args);
        } catch (err) {
            throw new pulumi.ResourceError((err as Error).message, this);
        }
        const env = args.environment;
        const layout = collectorLayout(env);
        const rules = ruleInputs(args);
        const instanceType = args.instanceType ?? "t3.medium";
        const minSize = args.minSize ?? 2;
        const maxSize = args.maxSize ?? 4;
        const internetFacing = args.internetFacing ?? false;

        const partition = aws.getPartitionOutput({}, { parent: this }).partition;
        const region = aws.getRegionOutput({}, { parent: this }).region;
        const accountId = aws.getCallerIdentityOutput({}, { parent: this }).accountId;
        this.secretPrefix = layout.secretPrefix;
        this.configPrefix = layout.configPrefix;
        this.secretArnPattern = pulumi
            .all([partition, region, accountId])
            .apply(([p, r, a]) => buildSecretArnPattern({ partition: p, region: r, accountId: a, environment: env }));

        const network = args.vpc
            ? {
                  vpcId: pulumi.output(args.vpc.vpcId),
                  instanceSubnetIds: args.vpc.subnetIds,
                  loadBalancerSubnetIds: args.vpc.loadBalancerSubnetIds ?? args.vpc.subnetIds,
              }
            : this.createVpc(name, args.vpcCidr ?? DEFAULT_VPC_CIDR, args.availabilityZoneCount ?? 2, internetFacing, region);
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
                    .apply(([p, a, r, roleArn]) => JSON.stringify(collectorKeyPolicy({ partition: p, accountId: a, region: r, instanceRoleArn: roleArn }))),
            },
            { parent: this },
        );
        // Operators create the collectors' secrets with this alias (`--kms-key-id alias/log-collection-<env>`).
        new aws.kms.Alias(`${name}-key-alias`, { name: `alias/log-collection-${env}`, targetKeyId: this.key.keyId }, { parent: this });

        const config = this.createBuckets(name, { partition, region, accountId }, args.vpc === undefined, args.accessLogsRetentionDays ?? 400);
        this.accessLogsBucket = config.accessLogsBucket;
        this.configBucket = config.bucket;

        const agent = new aws.s3.BucketObjectv2(
            `${name}-agent`,
            {
                bucket: this.configBucket.id,
                key: layout.agentKey,
                source: args.agentBundle,
                contentType: "application/javascript",
            },
            // Versioning must be on before the upload, or the object has no version id to pin;
            // encryption must be on so the bundle is stored under the collector key.
            { parent: this, dependsOn: [config.versioning, config.encryption] },
        );

        if (args.vpc === undefined) {
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
                { parent: this, dependsOn: [config.logsPolicy] },
            );
        }

        this.deployTopic = new aws.sns.Topic(
            `${name}-deploy-topic`,
            { displayName: `Log collection deploy results (${env})`, kmsMasterKeyId: this.key.id },
            { parent: this },
        );
        if (args.deployEmail !== undefined) {
            new aws.sns.TopicSubscription(
                `${name}-deploy-email`,
                { topic: this.deployTopic.arn, protocol: "email", endpoint: args.deployEmail },
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

        this.loadBalancerSecurityGroup = new aws.ec2.SecurityGroup(
            `${name}-nlb-sg`,
            { vpcId: network.vpcId, description: `Log collector NLB (${env}): senders in, collectors out`, revokeRulesOnDelete: true },
            { parent: this },
        );
        this.instanceSecurityGroup = new aws.ec2.SecurityGroup(
            `${name}-instance-sg`,
            { vpcId: network.vpcId, description: `Log collectors (${env}): NLB in, HTTPS and forward destinations out`, revokeRulesOnDelete: true },
            { parent: this },
        );
        this.createRules(`${name}-nlb`, this.loadBalancerSecurityGroup, this.instanceSecurityGroup, loadBalancerRules(rules));
        this.createRules(`${name}-instance`, this.instanceSecurityGroup, this.loadBalancerSecurityGroup, instanceRules(rules));

        const acl = networkAclRules(rules);
        const naclEntry = (rule: NaclRule, index: number) => ({
            ruleNo: 100 + index * 10,
            action: "allow",
            protocol: rule.protocol,
            cidrBlock: rule.cidr,
            fromPort: rule.fromPort,
            toPort: rule.toPort,
        });
        this.networkAcl = new aws.ec2.NetworkAcl(
            `${name}-nacl`,
            {
                vpcId: network.vpcId,
                subnetIds: network.instanceSubnetIds,
                ingress: acl.ingress.map(naclEntry),
                egress: acl.egress.map(naclEntry),
                tags: { Name: `log-collectors-${env}` },
            },
            { parent: this },
        );

        this.ports = rules.listeners.map((l) => ({ name: l.name, port: l.port, protocol: listenerProtocol(l.protocols) }));
        this.loadBalancer = new aws.lb.LoadBalancer(
            `${name}-nlb`,
            {
                loadBalancerType: "network",
                internal: !internetFacing,
                subnets: network.loadBalancerSubnetIds,
                // Created with a security group: an NLB created without one can never get one.
                securityGroups: [this.loadBalancerSecurityGroup.id],
                enableCrossZoneLoadBalancing: true,
            },
            { parent: this },
        );
        const targetGroups = this.ports.map((port) => {
            const targetGroup = new aws.lb.TargetGroup(
                `${name}-tg-${port.name}`,
                {
                    vpcId: network.vpcId,
                    targetType: "instance",
                    port: port.port,
                    protocol: port.protocol,
                    // Give Fluentd time to flush what a draining instance still holds.
                    deregistrationDelay: 60,
                    healthCheck: {
                        enabled: true,
                        protocol: "TCP",
                        port: String(rules.healthCheckPort),
                        interval: 10,
                        healthyThreshold: 3,
                        unhealthyThreshold: 3,
                    },
                },
                { parent: this },
            );
            new aws.lb.Listener(
                `${name}-listener-${port.name}`,
                {
                    loadBalancerArn: this.loadBalancer.arn,
                    port: port.port,
                    protocol: port.protocol,
                    defaultActions: [{ type: "forward", targetGroupArn: targetGroup.arn }],
                },
                { parent: this },
            );
            return targetGroup;
        });

        this.deployDocument = new aws.ssm.Document(
            `${name}-deploy-document`,
            {
                name: layout.documentName,
                documentType: "Command",
                documentFormat: "JSON",
                targetType: "/AWS::EC2::Instance",
                content: pulumi
                    .all([region, this.configBucket.bucket, this.deployTopic.arn])
                    .apply(([r, bucketName, topicArn]) =>
                        JSON.stringify(
                            deployDocumentContent({
                                environment: env,
                                region: r,
                                bucketName,
                                deployTopicArn: topicArn,
                                healthCheckPort: rules.healthCheckPort,
                                requireSignature: args.manifestPublicKeyPem !== undefined,
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
                imageId: args.imageId,
                instanceType,
                iamInstanceProfile: { arn: profile.arn },
                vpcSecurityGroupIds: [this.instanceSecurityGroup.id],
                metadataOptions: { httpEndpoint: "enabled", httpTokens: "required", httpPutResponseHopLimit: 1, instanceMetadataTags: "disabled" },
                monitoring: { enabled: true },
                ebsOptimized: "true",
                blockDeviceMappings: [
                    {
                        deviceName: "/dev/xvda",
                        ebs: {
                            volumeType: "gp3",
                            volumeSize: args.rootVolumeSizeGiB ?? 30,
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
                                manifestPublicKeyPem: args.manifestPublicKeyPem,
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
                minSize,
                maxSize,
                desiredCapacity: args.desiredCapacity ?? minSize,
                vpcZoneIdentifiers: network.instanceSubnetIds,
                targetGroupArns: targetGroups.map((tg) => tg.arn),
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

        const issuers = this.ciIssuers(name, args);
        this.publisherRole = this.createPublisherRole(name, args, issuers, { partition, region, accountId });
        this.validateRole = this.createValidateRole(name, args, issuers, region);

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

    /** Private subnets for collectors and an internal NLB, public subnets for one NAT gateway, an S3 gateway endpoint. */
    private createVpc(name: string, cidr: string, zones: number, internetFacing: boolean, region: pulumi.Output<string>) {
        const parent = { parent: this };
        const azs = aws.getAvailabilityZonesOutput({ state: "available" }, parent).names;
        const vpc = new aws.ec2.Vpc(`${name}-vpc`, { cidrBlock: cidr, enableDnsHostnames: true, enableDnsSupport: true, tags: { Name: `${name}-vpc` } }, parent);
        // Eight equal blocks: private subnets take the first ones, public subnets start at the fifth.
        const subnet = (kind: "private" | "public", index: number) =>
            new aws.ec2.Subnet(
                `${name}-${kind}-${index + 1}`,
                {
                    vpcId: vpc.id,
                    cidrBlock: subnetCidr(cidr, 3, kind === "private" ? index : 4 + index),
                    availabilityZone: azs.apply((names) => names[index]),
                    mapPublicIpOnLaunch: false,
                    tags: { Name: `${name}-${kind}-${index + 1}` },
                },
                parent,
            );
        // The VPC's default security group keeps no rules, so nothing can fall back to it (CIS 5.4).
        new aws.ec2.DefaultSecurityGroup(`${name}-default-sg`, { vpcId: vpc.id }, parent);
        const indexes = [...Array(zones).keys()];
        const privateSubnets = indexes.map((i) => subnet("private", i));
        const publicSubnets = indexes.map((i) => subnet("public", i));

        const gateway = new aws.ec2.InternetGateway(`${name}-igw`, { vpcId: vpc.id }, parent);
        const publicRoutes = new aws.ec2.RouteTable(
            `${name}-public-routes`,
            { vpcId: vpc.id, routes: [{ cidrBlock: ANY_IPV4, gatewayId: gateway.id }] },
            parent,
        );
        publicSubnets.forEach((s, i) => new aws.ec2.RouteTableAssociation(`${name}-public-${i + 1}-routes`, { subnetId: s.id, routeTableId: publicRoutes.id }, parent));
        // One NAT gateway: the collectors only need it for package installs and AWS APIs at boot and deploy.
        const eip = new aws.ec2.Eip(`${name}-nat-eip`, { domain: "vpc" }, parent);
        // A NAT gateway routes nowhere until the VPC's internet gateway is attached.
        const nat = new aws.ec2.NatGateway(`${name}-nat`, { subnetId: publicSubnets[0].id, allocationId: eip.id }, { parent: this, dependsOn: [gateway] });
        const privateRoutes = new aws.ec2.RouteTable(
            `${name}-private-routes`,
            { vpcId: vpc.id, routes: [{ cidrBlock: ANY_IPV4, natGatewayId: nat.id }] },
            parent,
        );
        privateSubnets.forEach((s, i) => new aws.ec2.RouteTableAssociation(`${name}-private-${i + 1}-routes`, { subnetId: s.id, routeTableId: privateRoutes.id }, parent));
        // Keeps configuration and agent downloads on the AWS network.
        new aws.ec2.VpcEndpoint(
            `${name}-s3-endpoint`,
            {
                vpcId: vpc.id,
                serviceName: pulumi.interpolate`com.amazonaws.${region}.s3`,
                vpcEndpointType: "Gateway",
                routeTableIds: [privateRoutes.id],
            },
            parent,
        );
        return {
            vpcId: vpc.id,
            instanceSubnetIds: privateSubnets.map((s) => s.id),
            loadBalancerSubnetIds: (internetFacing ? publicSubnets : privateSubnets).map((s) => s.id),
        };
    }

    private createRules(prefix: string, group: aws.ec2.SecurityGroup, peer: aws.ec2.SecurityGroup, rules: { ingress: SgRule[]; egress: SgRule[] }) {
        const args = (rule: SgRule) => ({
            securityGroupId: group.id,
            ipProtocol: rule.protocol,
            fromPort: rule.fromPort,
            toPort: rule.toPort,
            description: rule.description,
            ...(rule.peerGroup ? { referencedSecurityGroupId: peer.id } : { cidrIpv4: rule.cidr }),
        });
        for (const rule of rules.ingress) {
            new aws.vpc.SecurityGroupIngressRule(`${prefix}-in-${rule.key}`, args(rule), { parent: this });
        }
        for (const rule of rules.egress) {
            new aws.vpc.SecurityGroupEgressRule(`${prefix}-out-${rule.key}`, args(rule), { parent: this });
        }
    }

    /**
     * The configuration bucket and the bucket that receives its server access logs: S3 delivers them
     * only to a bucket in the same account and region, so the fleet keeps its own.
     */
    private createBuckets(
        name: string,
        ctx: { partition: pulumi.Output<string>; region: pulumi.Output<string>; accountId: pulumi.Output<string> },
        flowLogs: boolean,
        retentionDays: number,
    ) {
        const parent = { parent: this };
        const accessLogsBucket = newSecureBucket(`${name}-access-logs`, {}, parent);
        const bucket = newSecureBucket(`${name}-config-bucket`, {}, parent);
        const logPrefix = "configuration-bucket/";
        const accessLogs = secureBucketSettings(
            `${name}-access-logs`,
            {
                bucket: accessLogsBucket,
                // Server access log delivery supports only SSE-S3 on the target bucket, not SSE-KMS.
                encryption: { kind: "s3" },
                policy: pulumi
                    .all([accessLogsBucket.arn, bucket.arn, ctx.accountId, ctx.partition, ctx.region])
                    .apply(([logsBucketArn, sourceBucketArn, accountId, partition, region]) =>
                        JSON.stringify(
                            collectorAccessLogsBucketPolicy({
                                logsBucketArn,
                                logPrefix,
                                sourceBucketArn,
                                accountId,
                                flowLogs: flowLogs ? { prefix: FLOW_LOGS_PREFIX, partition, region } : undefined,
                            }),
                        ),
                    ),
                lifecycleRules: [
                    {
                        id: "expire-access-logs",
                        status: "Enabled",
                        filter: {},
                        expiration: { days: retentionDays },
                        noncurrentVersionExpiration: { noncurrentDays: 30 },
                    },
                ],
            },
            parent,
        );
        const config = secureBucketSettings(
            `${name}-config-bucket`,
            {
                bucket,
                encryption: { kind: "kms", keyArn: this.key.arn },
                logging: { targetBucket: accessLogsBucket.id, targetPrefix: logPrefix, dependsOn: [accessLogs.policy] },
            },
            parent,
        );
        return { bucket, accessLogsBucket, versioning: config.versioning, encryption: config.encryption, logsPolicy: accessLogs.policy };
    }

    /** The CI issuers the configuration repository's roles trust, with their IAM OIDC providers. */
    private ciIssuers(name: string, args: CollectorFleetArgs): Array<pulumi.Output<PublisherIssuer>> {
        return (["gitlab", "github"] as const)
            .filter((kind) => args[kind] !== false)
            .map((kind) => {
                const given = args[kind] || {};
                const url = given.url ?? DEFAULT_ISSUER_URLS[kind];
                const audience = given.audience ?? DEFAULT_AUDIENCE;
                const providerArn =
                    given.providerArn !== undefined
                        ? pulumi.output(given.providerArn)
                        : new aws.iam.OpenIdConnectProvider(`${name}-oidc-${kind}`, { url, clientIdLists: [audience] }, { parent: this }).arn;
                return providerArn.apply((arn): PublisherIssuer => ({ kind, url, audience, providerArn: arn }));
            });
    }

    private createValidateRole(name: string, args: CollectorFleetArgs, issuers: Array<pulumi.Output<PublisherIssuer>>, region: pulumi.Output<string>): aws.iam.Role {
        const env = args.environment;
        const role = new aws.iam.Role(
            `${name}-validate-role`,
            {
                description: `CI validate (${env}): ${args.configRepository} renders its configuration with the secrets of ${env}`,
                assumeRolePolicy: pulumi
                    .all(issuers)
                    .apply((resolved) => JSON.stringify(collectorValidateTrustPolicy({ issuers: resolved, repository: args.configRepository }))),
                maxSessionDuration: 3600,
            },
            { parent: this },
        );
        new aws.iam.RolePolicy(
            `${name}-validate-policy`,
            {
                role: role.id,
                policy: pulumi
                    .all([region, this.secretArnPattern, this.key.arn])
                    .apply(([r, secretArnPattern, keyArn]) => JSON.stringify(collectorValidatePolicy({ region: r, secretArnPattern, keyArn }))),
            },
            { parent: this },
        );
        return role;
    }

    private createPublisherRole(
        name: string,
        args: CollectorFleetArgs,
        issuers: Array<pulumi.Output<PublisherIssuer>>,
        ctx: { partition: pulumi.Output<string>; region: pulumi.Output<string>; accountId: pulumi.Output<string> },
    ): aws.iam.Role {
        const env = args.environment;
        const layout = collectorLayout(env);
        const branch = args.deployBranch ?? (env === "production" ? "main" : env);
        const role = new aws.iam.Role(
            `${name}-publisher-role`,
            {
                description: `CI publisher (${env}): ${args.configRepository}@${branch} publishes configuration/${env}/ and runs ${layout.documentName}`,
                assumeRolePolicy: pulumi
                    .all(issuers)
                    .apply((resolved) => JSON.stringify(collectorPublisherTrustPolicy({ issuers: resolved, repository: args.configRepository, branch }))),
                maxSessionDuration: 3600,
            },
            { parent: this },
        );
        new aws.iam.RolePolicy(
            `${name}-publisher-policy`,
            {
                role: role.id,
                policy: pulumi
                    .all([ctx.partition, ctx.region, ctx.accountId, this.configBucket.arn, this.key.arn])
                    .apply(([partition, region, accountId, bucketArn, keyArn]) =>
                        JSON.stringify(
                            collectorPublisherPolicy({
                                partition,
                                region,
                                accountId,
                                environment: env,
                                bucketArn,
                                configPrefix: layout.configPrefix,
                                keyArn,
                                documentName: layout.documentName,
                            }),
                        ),
                    ),
            },
            { parent: this },
        );
        return role;
    }
}
