import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import * as path from "path";
import { CollectorFleet, CollectorFleetArgs, CollectorOidcIssuer, resolveCollectorFleetArgs } from "../components";
import { collectionProtectionScp } from "../components/policies/collection-scp";
import { AccountProviders } from "./accounts";
import { StackConfig } from "./config";
import { checkConfigDrivenArgs, keysOf } from "./config-keys";
import { CollectionOutputs } from "./outputs";

/** The agent bundle `npm run build` writes; the stack uploads it to `agent/<env>/agent.js`. */
export const AGENT_BUNDLE = path.resolve(__dirname, "../agent/dist/agent.js");

type IssuerConfig = NonNullable<StackConfig["collector"]["gitlab"]>;

/** An issuer's config as the component takes it: `false` when disabled, unset fields left to its defaults. */
function issuer(config: IssuerConfig | undefined): CollectorOidcIssuer | false | undefined {
    if (config === undefined) {
        return undefined;
    }
    if (config.enabled === false) {
        return false;
    }
    return { url: config.url, audience: config.audience, providerArn: config.providerArn };
}

/**
 * The issuer of one CI system for the publisher role: the one the config names, else trusted by
 * default only when it is the organization's CI system (`pipeline.ciSystem`). Trusting another CI
 * system by default would let whoever owns the same repository path there publish collector config.
 */
export function ciIssuer(config: StackConfig, kind: "gitlab" | "github"): CollectorOidcIssuer | false | undefined {
    const configured = config.collector[kind];
    if (configured !== undefined) {
        return issuer(configured);
    }
    return config.pipeline.ciSystem === kind ? undefined : false;
}

/** CollectorFleet's Args as the stack's config gives them. */
function collectorFleetArgs(config: StackConfig): CollectorFleetArgs {
    const c = config.collector;
    return {
        environment: config.environment,
        agentBundle: new pulumi.asset.FileAsset(AGENT_BUNDLE),
        configRepository: c.configRepository,
        allowedCidrs: c.allowedCidrs,
        instanceType: c.instanceType,
        imageId: c.imageId,
        minSize: c.minSize,
        maxSize: c.maxSize,
        desiredCapacity: c.desiredCapacity,
        deployEmail: c.deployEmail,
        gitlab: ciIssuer(config, "gitlab"),
        github: ciIssuer(config, "github"),
        forwardDestinations: c.forwardDestinations,
        manifestPublicKeyPem: c.manifestPublicKeyPem,
    };
}

/**
 * The fleet's own check on the Args the config gives, reported with the config keys
 * (`org-logging:collector.minSize`). The program runs it before it registers any resource, so that
 * a bad collector setting stops the update before anything is created.
 */
export function checkCollectionConfig(config: StackConfig): void {
    const fields = [
        "allowedCidrs",
        "instanceType",
        "imageId",
        "minSize",
        "maxSize",
        "desiredCapacity",
        "configRepository",
        "deployEmail",
        "forwardDestinations",
        "manifestPublicKeyPem",
    ];
    checkConfigDrivenArgs(() => resolveCollectorFleetArgs(collectorFleetArgs(config)), {
        ...keysOf("collector.", fields, config.collector),
        ...keysOf("", ["environment"], config),
    });
}

/** The log collectors, in the collection account. */
export function createCollection(config: StackConfig, providers: AccountProviders) {
    const fleet = new CollectorFleet("collectors", collectorFleetArgs(config), { provider: providers.collection });
    const protection = config.trailMode === "organization" ? createCollectionProtection(config, providers, fleet) : undefined;
    const outputs: CollectionOutputs = {
        collectorNlbDnsName: fleet.loadBalancer.dnsName,
        collectorPorts: fleet.ports,
        collectorConfigBucketName: fleet.configBucket.bucket,
        collectorConfigPrefix: fleet.configPrefix,
        collectorDeployDocumentName: fleet.deployDocument.name,
        collectorDeployTopicArn: fleet.deployTopic.arn,
        collectorPublisherRoleArn: fleet.publisherRole.arn,
        collectorValidateRoleArn: fleet.validateRole.arn,
        collectorSecretPrefix: fleet.secretPrefix,
        collectorSecretArnPattern: fleet.secretArnPattern,
    };
    return { fleet, protection, outputs };
}

/** The role of the same name as `roleArn` in another account (the break-glass role that ci/bootstrap creates in every account). */
function namesakeRoleArn(roleArn: string, accountId: string): string {
    const [, partition, , , , resource] = roleArn.split(":");
    return `arn:${partition}:iam::${accountId}:role/${resource.split("/").pop()}`;
}

/**
 * The SCP on the collection account (production): only the pipeline's deployer and break-glass may
 * change the collector tags, the deploy document and the publisher role or open a shell on a
 * collector; the publisher may send the deploy document. It lives in the management account.
 */
export function createCollectionProtection(config: StackConfig, providers: AccountProviders, fleet: CollectorFleet) {
    const collection = config.accounts.collection;
    const partition = collection.roleArn.split(":")[1];
    const policy = new aws.organizations.Policy(
        "collection-scp",
        {
            type: "SERVICE_CONTROL_POLICY",
            description:
                "org-logging: only the pipeline and break-glass may tag collectors, change their deploy document or open a shell on them",
            content: pulumi.all([fleet.publisherRole.arn, fleet.deployDocument.name]).apply(([publisherRoleArn, documentName]) =>
                JSON.stringify(
                    collectionProtectionScp({
                        partition,
                        pipelinePrincipalArns: [collection.roleArn],
                        breakGlassPrincipalArns: [namesakeRoleArn(config.breakGlassRoleArn, collection.id)],
                        publisherRoleArns: [publisherRoleArn],
                        deployDocumentArns: [`arn:${partition}:ssm:${config.region}:${collection.id}:document/${documentName}`],
                    }),
                ),
            ),
        },
        { provider: providers.management },
    );
    const attachment = new aws.organizations.PolicyAttachment(
        "collection-scp-attachment",
        { policyId: policy.id, targetId: collection.id },
        { provider: providers.management },
    );
    return { policy, attachment };
}
