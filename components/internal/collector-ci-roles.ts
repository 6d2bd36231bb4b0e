// The roles the collector configuration repository's pipelines assume through OIDC: the publisher
// (the environment's protected branch: publish `configuration/<env>/`, run the deploy document) and
// the validate role (any pipeline of the repository: read the environment's secrets to render).
import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { collectorPublisherPolicy, collectorPublisherTrustPolicy, PublisherIssuer } from "../policies/collector-publisher-policy";
import { collectorValidatePolicy, collectorValidateTrustPolicy } from "../policies/collector-validate-policy";
import { collectorLayout } from "./collector-bootstrap";
import type { CollectorAccount, ResolvedCollectorFleetArgs } from "./collector-fleet-args";

export interface CollectorCiRoles {
    readonly publisherRole: aws.iam.Role;
    readonly validateRole: aws.iam.Role;
}

/** The issuers the roles trust, with their IAM OIDC providers (`${name}-oidc-<kind>` when created). */
function ciIssuers(name: string, args: ResolvedCollectorFleetArgs, parent: pulumi.Resource): Array<pulumi.Output<PublisherIssuer>> {
    return args.issuers.map((issuer) => {
        const { kind, url, audience } = issuer;
        const providerArn =
            issuer.providerArn !== undefined
                ? pulumi.output(issuer.providerArn)
                : new aws.iam.OpenIdConnectProvider(`${name}-oidc-${kind}`, { url, clientIdLists: [audience] }, { parent }).arn;
        return providerArn.apply((arn): PublisherIssuer => ({ kind, url, audience, providerArn: arn }));
    });
}

/** Children `${name}-publisher-role`, `-publisher-policy`, `-validate-role`, `-validate-policy` (and the OIDC providers) of `parent`. */
export function createCollectorCiRoles(
    name: string,
    args: ResolvedCollectorFleetArgs,
    p: CollectorAccount & {
        configBucketArn: pulumi.Output<string>;
        secretArnPattern: pulumi.Output<string>;
    },
    parent: pulumi.Resource,
): CollectorCiRoles {
    const opts = { parent };
    const env = args.environment;
    const layout = collectorLayout(env);
    const issuers = pulumi.all(ciIssuers(name, args, parent));
    const repository = args.configRepository;
    const branch = args.deployBranch;

    const publisherRole = new aws.iam.Role(
        `${name}-publisher-role`,
        {
            description: `CI publisher (${env}): ${repository}@${branch} publishes configuration/${env}/ and runs ${layout.documentName}`,
            assumeRolePolicy: issuers.apply((resolved) =>
                JSON.stringify(collectorPublisherTrustPolicy({ issuers: resolved, repository, branch })),
            ),
            maxSessionDuration: 3600,
        },
        opts,
    );
    new aws.iam.RolePolicy(
        `${name}-publisher-policy`,
        {
            role: publisherRole.id,
            policy: pulumi
                .all([p.partition, p.region, p.accountId, p.configBucketArn, p.keyArn])
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
        opts,
    );

    const validateRole = new aws.iam.Role(
        `${name}-validate-role`,
        {
            description: `CI validate (${env}): ${repository} renders its configuration with the secrets of ${env}`,
            assumeRolePolicy: issuers.apply((resolved) => JSON.stringify(collectorValidateTrustPolicy({ issuers: resolved, repository }))),
            maxSessionDuration: 3600,
        },
        opts,
    );
    new aws.iam.RolePolicy(
        `${name}-validate-policy`,
        {
            role: validateRole.id,
            policy: pulumi
                .all([p.region, p.secretArnPattern, p.keyArn])
                .apply(([region, secretArnPattern, keyArn]) =>
                    JSON.stringify(collectorValidatePolicy({ region, secretArnPattern, keyArn })),
                ),
        },
        opts,
    );
    return { publisherRole, validateRole };
}
