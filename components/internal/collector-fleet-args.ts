// CollectorFleet's Args, their defaults and their checks. `resolveCollectorFleetArgs` applies every
// default once and reports every problem together; the component and its parts use only the
// resolved values.
import * as pulumi from "@pulumi/pulumi";
import { naclQuotaProblem, networkInputProblems } from "./collector-network-checks";
import type { CollectorForwardDestination, CollectorListener, RuleInputs } from "./collector-network-rules";
import {
    audienceProblem,
    branchProblem,
    CiSystem,
    DEFAULT_OIDC_AUDIENCE,
    DEFAULT_OIDC_ISSUERS,
    issuerUrlProblem,
    repositoryProblem,
} from "./oidc";
import {
    AMI_ID,
    ANY_IPV4,
    argsError,
    assertNoProblems,
    ENVIRONMENT_NAME,
    INSTANCE_TYPE,
    isIpv4Cidr,
    isNetworkAddress,
    prefixLength,
    show,
} from "./validation";

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

/** A CI issuer with its defaults applied. */
export interface ResolvedCollectorIssuer {
    readonly kind: CiSystem;
    readonly url: string;
    readonly audience: string;
    /** The account's existing IAM OIDC provider; absent: the component creates one. */
    readonly providerArn?: pulumi.Input<string>;
}

/** CollectorFleet's Args with every default applied, as the component uses them. */
export interface ResolvedCollectorFleetArgs {
    readonly environment: string;
    readonly agentBundle: pulumi.Input<pulumi.asset.Asset>;
    readonly configRepository: string;
    readonly deployBranch: string;
    /** The trusted CI issuers (at least one). */
    readonly issuers: ResolvedCollectorIssuer[];
    /** The network shape every security group and network ACL rule is derived from. */
    readonly rules: RuleInputs;
    readonly internetFacing: boolean;
    readonly manifestPublicKeyPem?: string;
    /** The given VPC, or absent when the component creates one (`createdVpc`). */
    readonly vpc?: CollectorVpc;
    readonly createdVpc?: { readonly cidr: string; readonly availabilityZoneCount: number };
    readonly instanceType: string;
    readonly imageId: string;
    readonly minSize: number;
    readonly maxSize: number;
    readonly desiredCapacity: number;
    readonly rootVolumeSizeGiB: number;
    readonly deployEmail?: pulumi.Input<string>;
    readonly accessLogsRetentionDays: number;
}

const DEFAULT_LISTENERS: CollectorListener[] = [
    { name: "forward", port: 24224, protocols: ["TCP"] },
    { name: "syslog", port: 5140, protocols: ["TCP", "UDP"] },
];
const DEFAULT_VPC_CIDR = "10.64.0.0/16";

function vpcProblems(args: CollectorFleetArgs, internetFacing: boolean, vpcCidr: string, zones: number): string[] {
    const problems: string[] = [];
    if (args.vpc) {
        if (!isIpv4Cidr(args.vpc.cidrBlock)) {
            problems.push(`\`vpc.cidrBlock\` (${show(args.vpc.cidrBlock)}) is not an IPv4 CIDR block. Give the VPC's primary CIDR block`);
        }
        if (args.vpc.subnetIds.length === 0) {
            problems.push("`vpc.subnetIds` ([]) is empty. List the collectors' private subnets, in two or more availability zones");
        }
        if (internetFacing && (args.vpc.loadBalancerSubnetIds ?? []).length === 0) {
            problems.push(
                `\`vpc.loadBalancerSubnetIds\` (${show(args.vpc.loadBalancerSubnetIds)}) is empty while \`internetFacing\` is true. List the public subnets for the load balancer`,
            );
        }
        if (args.vpcCidr !== undefined || args.availabilityZoneCount !== undefined) {
            problems.push("`vpcCidr` and `availabilityZoneCount` only shape a created VPC, but `vpc` is given. Remove them");
        }
        return problems;
    }
    if (!isIpv4Cidr(vpcCidr) || !isNetworkAddress(vpcCidr) || prefixLength(vpcCidr) < 16 || prefixLength(vpcCidr) > 24) {
        problems.push(`\`vpcCidr\` (${show(args.vpcCidr)}) is not a /16 to /24 IPv4 network. Use a block such as "10.64.0.0/16"`);
    }
    if (!Number.isInteger(zones) || zones < 2 || zones > 3) {
        problems.push(
            `\`availabilityZoneCount\` (${show(args.availabilityZoneCount)}) must be 2 or 3. Spread the collectors over two or three zones`,
        );
    }
    return problems;
}

function instanceProblems(args: CollectorFleetArgs, minSize: number, maxSize: number, desired: number): string[] {
    const problems: string[] = [];
    if (typeof args.imageId !== "string" || !AMI_ID.test(args.imageId)) {
        problems.push(
            `\`imageId\` (${show(args.imageId)}) is not an AMI id. Pin an image such as "ami-0a1b2c3d4e5f67890" (aws ssm get-parameter --name /aws/service/ami-amazon-linux-latest/al2023-ami-kernel-default-x86_64)`,
        );
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
    if (minSize > maxSize) {
        problems.push(`\`minSize\` (${minSize}) is larger than \`maxSize\` (${maxSize}). Lower minSize or raise maxSize`);
    } else if (desired < minSize || desired > maxSize) {
        problems.push(
            `\`desiredCapacity\` (${desired}) is outside \`minSize\`..\`maxSize\` (${minSize}..${maxSize}). Choose a capacity in that range`,
        );
    }
    if (
        args.rootVolumeSizeGiB !== undefined &&
        (!Number.isInteger(args.rootVolumeSizeGiB) || args.rootVolumeSizeGiB < 8 || args.rootVolumeSizeGiB > 16384)
    ) {
        problems.push(
            `\`rootVolumeSizeGiB\` (${show(args.rootVolumeSizeGiB)}) is outside 8-16384. The Amazon Linux 2023 image needs at least 8 GiB`,
        );
    }
    return problems;
}

/**
 * Applies CollectorFleet's defaults (each once) and checks the result; throws one
 * `pulumi.ResourceError` listing every problem, one per line (at `parent`, the component, when given).
 */
export function resolveCollectorFleetArgs(args: CollectorFleetArgs, parent?: pulumi.Resource): ResolvedCollectorFleetArgs {
    const env = args.environment;
    const listeners = args.listeners ?? DEFAULT_LISTENERS;
    const internetFacing = args.internetFacing ?? false;
    const vpcCidr = args.vpc?.cidrBlock ?? args.vpcCidr ?? DEFAULT_VPC_CIDR;
    const availabilityZoneCount = args.availabilityZoneCount ?? 2;
    const minSize = args.minSize ?? 2;
    const maxSize = args.maxSize ?? 4;
    const desiredCapacity = args.desiredCapacity ?? minSize;
    const accessLogsRetentionDays = args.accessLogsRetentionDays ?? 400;
    const issuers = (["gitlab", "github"] as const).flatMap((kind): ResolvedCollectorIssuer[] => {
        const given = args[kind];
        if (given === false) {
            return [];
        }
        return [
            {
                kind,
                url: given?.url ?? DEFAULT_OIDC_ISSUERS[kind],
                audience: given?.audience ?? DEFAULT_OIDC_AUDIENCE,
                providerArn: given?.providerArn,
            },
        ];
    });

    const problems: string[] = [];
    if (!ENVIRONMENT_NAME.test(String(env))) {
        problems.push(
            `\`environment\` (${show(env)}) is not an environment name. Use 2-32 lower-case letters, digits or dashes, such as "production"`,
        );
    }
    const optional = (value: unknown, check: () => string | undefined) => (value === undefined ? undefined : check());
    const identity = [
        repositoryProblem("configRepository", args.configRepository),
        optional(args.deployBranch, () => branchProblem("deployBranch", args.deployBranch)),
        ...(["gitlab", "github"] as const).flatMap((kind) => {
            const given = args[kind] || {};
            return [
                optional(given.url, () => issuerUrlProblem(`${kind}.url`, given.url)),
                optional(given.audience, () => audienceProblem(`${kind}.audience`, given.audience)),
            ];
        }),
    ];
    problems.push(...identity.filter((p): p is string => p !== undefined));
    if (issuers.length === 0) {
        problems.push("`gitlab` and `github` (both false) leave the publisher role with no pipeline to trust. Enable at least one issuer");
    }
    problems.push(
        ...networkInputProblems({
            listeners,
            healthCheckPort: args.healthCheckPort,
            internetFacing,
            allowedCidrs: args.allowedCidrs,
            allowAnySourceCidr: args.allowAnySourceCidr ?? false,
            httpsEgressCidrs: args.httpsEgressCidrs,
            forwardDestinations: args.forwardDestinations ?? [],
        }),
    );
    problems.push(...vpcProblems(args, internetFacing, vpcCidr, availabilityZoneCount));
    problems.push(...instanceProblems(args, minSize, maxSize, desiredCapacity));
    if (!Number.isInteger(accessLogsRetentionDays) || accessLogsRetentionDays < 365) {
        problems.push(
            `\`accessLogsRetentionDays\` (${show(args.accessLogsRetentionDays)}) is below 365. Keep access logs for at least a year`,
        );
    }
    assertNoProblems("CollectorFleet", problems, parent);

    const rules: RuleInputs = {
        listeners,
        healthCheckPort: args.healthCheckPort ?? listeners.find((l) => l.protocols.includes("TCP"))!.port,
        allowedCidrs: args.allowedCidrs ?? [vpcCidr],
        vpcCidr,
        httpsEgressCidrs: args.httpsEgressCidrs ?? [ANY_IPV4],
        forwardDestinations: args.forwardDestinations ?? [],
    };
    const quota = naclQuotaProblem(rules, (args.allowedCidrs ?? []).length);
    if (quota) {
        throw argsError("CollectorFleet", [quota], parent);
    }
    return {
        environment: env,
        agentBundle: args.agentBundle,
        configRepository: args.configRepository,
        deployBranch: args.deployBranch ?? (env === "production" ? "main" : env),
        issuers,
        rules,
        internetFacing,
        manifestPublicKeyPem: args.manifestPublicKeyPem,
        vpc: args.vpc,
        createdVpc: args.vpc ? undefined : { cidr: vpcCidr, availabilityZoneCount },
        instanceType: args.instanceType ?? "t3.medium",
        imageId: args.imageId,
        minSize,
        maxSize,
        desiredCapacity,
        rootVolumeSizeGiB: args.rootVolumeSizeGiB ?? 30,
        deployEmail: args.deployEmail,
        accessLogsRetentionDays,
    };
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
