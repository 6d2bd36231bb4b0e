import * as aws from "@pulumi/aws";
import { anyRefSubject } from "../internal/oidc";
import { issuersTrustPolicy, PublisherIssuer } from "./collector-publisher-policy";
import { policyDocument } from "./document";

export interface ValidateTrustPolicyParams {
    issuers: PublisherIssuer[];
    /** Repository path: `group/project` (GitLab) or `owner/repo` (GitHub). */
    repository: string;
}

/**
 * Trust of the collector-config validate role: the configuration repository's test job, which runs
 * on every merge request and push (before review), so any ref of that one repository; audience
 * matched exactly, one statement per issuer.
 */
export function collectorValidateTrustPolicy(p: ValidateTrustPolicyParams): aws.iam.PolicyDocument {
    return issuersTrustPolicy(p.issuers, (kind) => anyRefSubject(kind, p.repository), "StringLike");
}

export interface ValidatePolicyParams {
    region: string;
    /** `arn:...:secret:log-collection/<env>/*`: the secrets `secrets.conf` may name. */
    secretArnPattern: string;
    /** The collector key that encrypts those secrets. */
    keyArn: string;
}

/**
 * What `agent validate --source file://...` reads: the values of the secrets `secrets.conf` names
 * (GetSecretValue, and the key's Decrypt through Secrets Manager only). The configuration comes from
 * the checkout, so no S3 access; nothing is written, published or sent.
 */
export function collectorValidatePolicy(p: ValidatePolicyParams): aws.iam.PolicyDocument {
    return policyDocument([
        {
            Sid: "ReadEnvironmentSecrets",
            Effect: "Allow",
            Action: "secretsmanager:GetSecretValue",
            Resource: p.secretArnPattern,
        },
        {
            Sid: "DecryptThroughSecretsManager",
            Effect: "Allow",
            Action: "kms:Decrypt",
            Resource: p.keyArn,
            Condition: { StringEquals: { "kms:ViaService": `secretsmanager.${p.region}.amazonaws.com` } },
        },
    ]);
}
