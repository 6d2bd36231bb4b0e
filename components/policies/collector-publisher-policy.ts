import * as aws from "@pulumi/aws";
import { branchSubject, CiSystem, issuerHost, webIdentityTrust } from "../internal/oidc";
import { policyDocument, useKeyThroughS3 } from "./document";

/** Tag that marks the collector instances; the publisher may run commands only on instances carrying it. */
export const COLLECTOR_TAG_KEY = "InstanceRole";
export const COLLECTOR_TAG_VALUE = "LogCollection";
/** Tag that names the environment of a collector instance. */
export const ENVIRONMENT_TAG_KEY = "environment";

/** One OIDC issuer the publisher role trusts. */
export interface PublisherIssuer {
    kind: CiSystem;
    /** Issuer URL, `https://gitlab.com` or `https://token.actions.githubusercontent.com`. */
    url: string;
    /** ARN of the account's IAM OIDC provider for that issuer. */
    providerArn: string;
    /** The `aud` claim the CI job requests. */
    audience: string;
}

export interface PublisherTrustPolicyParams {
    issuers: PublisherIssuer[];
    /** Repository path: `group/project` (GitLab) or `owner/repo` (GitHub). */
    repository: string;
    /** The protected branch whose pipelines may publish (`main`, `integration`). */
    branch: string;
}

/**
 * Trust of the CI publisher role: web identities of the configuration repository's pipelines on the
 * environment's protected branch, one statement per issuer, subject and audience matched exactly.
 */
export function collectorPublisherTrustPolicy(p: PublisherTrustPolicyParams): aws.iam.PolicyDocument {
    return issuersTrustPolicy(p.issuers, (kind) => branchSubject(kind, p.repository, p.branch), "StringEquals");
}

/** A trust policy with one statement per issuer (`GitLabPipelines`, `GitHubWorkflows`) admitting `subject` of its CI system. */
export function issuersTrustPolicy(
    issuers: PublisherIssuer[],
    subject: (kind: CiSystem) => string,
    match: "StringEquals" | "StringLike",
): aws.iam.PolicyDocument {
    return policyDocument(
        issuers.map((issuer) =>
            webIdentityTrust(
                issuer.kind === "gitlab" ? "GitLabPipelines" : "GitHubWorkflows",
                { providerArn: issuer.providerArn, issuerHost: issuerHost(issuer.url), audience: issuer.audience },
                subject(issuer.kind),
                match,
            ),
        ),
    );
}

export interface PublisherPolicyParams {
    partition: string;
    region: string;
    accountId: string;
    environment: string;
    bucketArn: string;
    /** `configuration/<env>/`. */
    configPrefix: string;
    /** ARN of the key that encrypts the configuration objects. */
    keyArn: string;
    /** Name of the environment's deploy document, `LogCollection-Deploy-<env>`. */
    documentName: string;
}

/**
 * What the CI publisher may do, and nothing else: replace the objects under its environment's
 * prefix, run the deploy document on the environment's tagged collectors and follow the run.
 */
export function collectorPublisherPolicy(p: PublisherPolicyParams): aws.iam.PolicyDocument {
    return policyDocument([
        {
            Sid: "PublishEnvironmentConfiguration",
            Effect: "Allow",
            Action: ["s3:PutObject", "s3:GetObject", "s3:DeleteObject"],
            Resource: `${p.bucketArn}/${p.configPrefix}*`,
        },
        {
            Sid: "ListEnvironmentConfiguration",
            Effect: "Allow",
            Action: "s3:ListBucket",
            Resource: p.bucketArn,
            Condition: { StringLike: { "s3:prefix": [p.configPrefix, `${p.configPrefix}*`] } },
        },
        // SSE-KMS objects cannot be written or read without the key; S3 is the only way in.
        useKeyThroughS3("UseConfigurationKeyThroughS3", p.keyArn, p.region),
        {
            // A document ARN carries no resource tags, so the tag condition lives in the next statement.
            Sid: "SendDeployDocument",
            Effect: "Allow",
            Action: "ssm:SendCommand",
            Resource: `arn:${p.partition}:ssm:${p.region}:${p.accountId}:document/${p.documentName}`,
        },
        {
            Sid: "SendToTaggedCollectors",
            Effect: "Allow",
            Action: "ssm:SendCommand",
            // Any instance of the account and region, narrowed to the collectors by their tags.
            Resource: `arn:${p.partition}:ec2:${p.region}:${p.accountId}:instance/*`,
            Condition: {
                StringEquals: {
                    [`ssm:resourceTag/${COLLECTOR_TAG_KEY}`]: COLLECTOR_TAG_VALUE,
                    [`ssm:resourceTag/${ENVIRONMENT_TAG_KEY}`]: p.environment,
                },
            },
        },
        {
            Sid: "FollowDeployCommands",
            Effect: "Allow",
            Action: ["ssm:GetCommandInvocation", "ssm:ListCommandInvocations"],
            // These two actions support no resource-level permissions: "*" is the only valid Resource.
            Resource: "*",
        },
        {
            // Explicit deny, so no later policy lets this role tag its way onto other instances.
            Sid: "DenyCollectorTagChanges",
            Effect: "Deny",
            Action: ["ec2:CreateTags", "ec2:DeleteTags"],
            // Every instance in the account: the tag keys, not the resources, are what is protected.
            Resource: "*",
            Condition: { "ForAnyValue:StringEquals": { "aws:TagKeys": [COLLECTOR_TAG_KEY, ENVIRONMENT_TAG_KEY] } },
        },
    ]);
}
