import * as aws from "@pulumi/aws";
import { policyDocument } from "./document";

export interface CollectorInstancePolicyParams {
    /** ARN of the configuration bucket. */
    bucketArn: string;
    /** The environment's configuration prefix, `configuration/<env>/`. */
    configPrefix: string;
    /** The environment's agent prefix, `agent/<env>/`, holding the agent bundle the instances install. */
    agentPrefix: string;
    /** `arn:<partition>:secretsmanager:<region>:<account>:secret:log-collection/<env>/*`. */
    secretArnPattern: string;
    /** ARN of the collector key (configuration objects and the environment's secrets). */
    keyArn: string;
    /** Region of the bucket and the secrets, for `kms:ViaService`. */
    region: string;
    /** ARN of the deploy-result topic. */
    deployTopicArn: string;
}

/** The trust policy of the collectors' instance role. */
export function collectorInstanceTrustPolicy(): aws.iam.PolicyDocument {
    return policyDocument([
        {
            Sid: "Ec2AssumesRole",
            Effect: "Allow",
            Principal: { Service: "ec2.amazonaws.com" },
            Action: "sts:AssumeRole",
            // No source condition: EC2 documents none for instance-profile roles, and only a principal of
            // this account with iam:PassRole on this role can attach it to an instance.
        },
    ]);
}

/**
 * What a collector may do besides `AmazonSSMManagedInstanceCore`: read its own environment's
 * configuration and agent, read its own environment's secrets, decrypt them only through S3 and
 * Secrets Manager, and report deploy results to the deploy topic.
 */
export function collectorInstancePolicy(p: CollectorInstancePolicyParams): aws.iam.PolicyDocument {
    return policyDocument([
        {
            Sid: "ReadEnvironmentConfiguration",
            Effect: "Allow",
            Action: "s3:GetObject",
            Resource: [`${p.bucketArn}/${p.configPrefix}*`, `${p.bucketArn}/${p.agentPrefix}*`],
        },
        {
            // User data downloads the agent by version id, pinned in the launch template.
            Sid: "ReadPinnedAgentVersion",
            Effect: "Allow",
            Action: "s3:GetObjectVersion",
            Resource: `${p.bucketArn}/${p.agentPrefix}*`,
        },
        {
            Sid: "ListEnvironmentConfiguration",
            Effect: "Allow",
            Action: "s3:ListBucket",
            Resource: p.bucketArn,
            Condition: { StringLike: { "s3:prefix": [p.configPrefix, `${p.configPrefix}*`] } },
        },
        {
            Sid: "ReadEnvironmentSecrets",
            Effect: "Allow",
            Action: "secretsmanager:GetSecretValue",
            Resource: p.secretArnPattern,
        },
        {
            Sid: "DecryptThroughSecretsManagerAndS3",
            Effect: "Allow",
            Action: "kms:Decrypt",
            Resource: p.keyArn,
            Condition: {
                StringEquals: { "kms:ViaService": [`secretsmanager.${p.region}.amazonaws.com`, `s3.${p.region}.amazonaws.com`] },
            },
        },
        {
            Sid: "PublishDeployResults",
            Effect: "Allow",
            Action: "sns:Publish",
            Resource: p.deployTopicArn,
        },
    ]);
}
