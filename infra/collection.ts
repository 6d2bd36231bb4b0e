import * as pulumi from "@pulumi/pulumi";
import * as path from "path";
import { CollectorFleet, CollectorOidcIssuer } from "../components";
import { AccountProviders } from "./accounts";
import { StackConfig } from "./config";
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

/** The log collectors, in the collection account. */
export function createCollection(config: StackConfig, providers: AccountProviders) {
    const c = config.collector;
    const fleet = new CollectorFleet(
        "collectors",
        {
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
        },
        { provider: providers.collection },
    );
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
    return { fleet, outputs };
}
