import * as assert from "assert";
import { collectorLayout, secretArnPattern } from "../../../components/internal/collector-bootstrap";
import { collectorInstancePolicy, collectorInstanceTrustPolicy } from "../../../components/policies/collector-instance-policy";
import { branchSubject as publisherSubject } from "../../../components/internal/oidc";
import { collectorPublisherPolicy, collectorPublisherTrustPolicy } from "../../../components/policies/collector-publisher-policy";
import { collectorAccessLogsBucketPolicy, collectorKeyPolicy } from "../../../components/policies/collector-storage-policy";

const BUCKET_ARN = "arn:aws:s3:::collectors-config-bucket-b23407b";
const KEY_ARN = "arn:aws:kms:eu-west-1:333333333333:key/1234abcd-12ab-34cd-56ef-1234567890ab";
const TOPIC_ARN = "arn:aws:sns:eu-west-1:333333333333:collectors-deploy-topic-14d4171";

function instancePolicy(environment: string) {
    const layout = collectorLayout(environment);
    return collectorInstancePolicy({
        bucketArn: BUCKET_ARN,
        configPrefix: layout.configPrefix,
        agentPrefix: layout.agentPrefix,
        secretArnPattern: secretArnPattern({ partition: "aws", region: "eu-west-1", accountId: "333333333333", environment }),
        keyArn: KEY_ARN,
        region: "eu-west-1",
        deployTopicArn: TOPIC_ARN,
    });
}

function publisherPolicy(environment: string) {
    return collectorPublisherPolicy({
        partition: "aws",
        region: "eu-west-1",
        accountId: "333333333333",
        environment,
        bucketArn: BUCKET_ARN,
        configPrefix: collectorLayout(environment).configPrefix,
        keyArn: KEY_ARN,
        documentName: collectorLayout(environment).documentName,
    });
}

/** Every Resource string of a policy, flattened. */
function resources(policy: ReturnType<typeof instancePolicy>): string[] {
    return (policy.Statement as Array<{ Resource?: string | string[] }>).flatMap((s) => ([] as string[]).concat(s.Resource ?? []));
}

/** IAM-style wildcard match of a pattern against a concrete ARN. */
function covers(pattern: string, arn: string): boolean {
    const regex = new RegExp(`^${pattern.replace(/[.+?^${}()|[\]\\]/g, "\\$&").replace(/\*/g, ".*")}$`);
    return regex.test(arn);
}

describe("components/policies/collector-*", () => {
    it("lets a collector read only its environment's configuration, agent and secrets", () => {
        assert.deepStrictEqual(instancePolicy("production"), {
            Version: "2012-10-17",
            Statement: [
                {
                    Sid: "ReadEnvironmentConfiguration",
                    Effect: "Allow",
                    Action: "s3:GetObject",
                    Resource: [`${BUCKET_ARN}/configuration/production/*`, `${BUCKET_ARN}/agent/production/*`],
                },
                {
                    Sid: "ReadPinnedAgentVersion",
                    Effect: "Allow",
                    Action: "s3:GetObjectVersion",
                    Resource: `${BUCKET_ARN}/agent/production/*`,
                },
                {
                    Sid: "ListEnvironmentConfiguration",
                    Effect: "Allow",
                    Action: "s3:ListBucket",
                    Resource: BUCKET_ARN,
                    Condition: { StringLike: { "s3:prefix": ["configuration/production/", "configuration/production/*"] } },
                },
                {
                    Sid: "ReadEnvironmentSecrets",
                    Effect: "Allow",
                    Action: "secretsmanager:GetSecretValue",
                    Resource: "arn:aws:secretsmanager:eu-west-1:333333333333:secret:log-collection/production/*",
                },
                {
                    Sid: "DecryptThroughSecretsManagerAndS3",
                    Effect: "Allow",
                    Action: "kms:Decrypt",
                    Resource: KEY_ARN,
                    Condition: {
                        StringEquals: { "kms:ViaService": ["secretsmanager.eu-west-1.amazonaws.com", "s3.eu-west-1.amazonaws.com"] },
                    },
                },
                { Sid: "PublishDeployResults", Effect: "Allow", Action: "sns:Publish", Resource: TOPIC_ARN },
            ],
        });
        assert.deepStrictEqual(collectorInstanceTrustPolicy().Statement, [
            { Sid: "Ec2AssumesRole", Effect: "Allow", Principal: { Service: "ec2.amazonaws.com" }, Action: "sts:AssumeRole" },
        ]);
    });

    it("lets the publisher replace its prefix and send only the deploy document to tagged collectors", () => {
        assert.deepStrictEqual(publisherPolicy("production"), {
            Version: "2012-10-17",
            Statement: [
                {
                    Sid: "PublishEnvironmentConfiguration",
                    Effect: "Allow",
                    Action: ["s3:PutObject", "s3:GetObject", "s3:DeleteObject"],
                    Resource: `${BUCKET_ARN}/configuration/production/*`,
                },
                {
                    Sid: "ListEnvironmentConfiguration",
                    Effect: "Allow",
                    Action: "s3:ListBucket",
                    Resource: BUCKET_ARN,
                    Condition: { StringLike: { "s3:prefix": ["configuration/production/", "configuration/production/*"] } },
                },
                {
                    Sid: "UseConfigurationKeyThroughS3",
                    Effect: "Allow",
                    Action: ["kms:GenerateDataKey", "kms:Decrypt"],
                    Resource: KEY_ARN,
                    Condition: { StringEquals: { "kms:ViaService": "s3.eu-west-1.amazonaws.com" } },
                },
                {
                    Sid: "SendDeployDocument",
                    Effect: "Allow",
                    Action: "ssm:SendCommand",
                    Resource: "arn:aws:ssm:eu-west-1:333333333333:document/LogCollection-Deploy-production",
                },
                {
                    Sid: "SendToTaggedCollectors",
                    Effect: "Allow",
                    Action: "ssm:SendCommand",
                    Resource: "arn:aws:ec2:eu-west-1:333333333333:instance/*",
                    Condition: {
                        StringEquals: { "ssm:resourceTag/InstanceRole": "LogCollection", "ssm:resourceTag/environment": "production" },
                    },
                },
                {
                    Sid: "FollowDeployCommands",
                    Effect: "Allow",
                    Action: ["ssm:GetCommandInvocation", "ssm:ListCommandInvocations"],
                    Resource: "*",
                },
                {
                    Sid: "DenyCollectorTagChanges",
                    Effect: "Deny",
                    Action: ["ec2:CreateTags", "ec2:DeleteTags"],
                    Resource: "*",
                    Condition: { "ForAnyValue:StringEquals": { "aws:TagKeys": ["InstanceRole", "environment"] } },
                },
            ],
        });
    });

    it("trusts only the configuration repository's protected branch, per issuer, with the audience", () => {
        const trust = collectorPublisherTrustPolicy({
            repository: "security/collector-config",
            branch: "main",
            issuers: [
                {
                    kind: "gitlab",
                    url: "https://gitlab.example.com",
                    providerArn: "arn:aws:iam::333333333333:oidc-provider/gitlab.example.com",
                    audience: "https://gitlab.example.com",
                },
                {
                    kind: "github",
                    url: "https://token.actions.githubusercontent.com",
                    providerArn: "arn:aws:iam::333333333333:oidc-provider/token.actions.githubusercontent.com",
                    audience: "sts.amazonaws.com",
                },
            ],
        });
        assert.deepStrictEqual(trust.Statement, [
            {
                Sid: "GitLabPipelines",
                Effect: "Allow",
                Principal: { Federated: "arn:aws:iam::333333333333:oidc-provider/gitlab.example.com" },
                Action: "sts:AssumeRoleWithWebIdentity",
                Condition: {
                    StringEquals: {
                        "gitlab.example.com:aud": "https://gitlab.example.com",
                        "gitlab.example.com:sub": "project_path:security/collector-config:ref_type:branch:ref:main",
                    },
                },
            },
            {
                Sid: "GitHubWorkflows",
                Effect: "Allow",
                Principal: { Federated: "arn:aws:iam::333333333333:oidc-provider/token.actions.githubusercontent.com" },
                Action: "sts:AssumeRoleWithWebIdentity",
                Condition: {
                    StringEquals: {
                        "token.actions.githubusercontent.com:aud": "sts.amazonaws.com",
                        "token.actions.githubusercontent.com:sub": "repo:security/collector-config:ref:refs/heads/main",
                    },
                },
            },
        ]);
        assert.strictEqual(publisherSubject("gitlab", "a/b", "integration"), "project_path:a/b:ref_type:branch:ref:integration");
    });

    it("admits only S3 access-log and VPC flow-log delivery into the access-logs bucket, and collectors to the key only via SNS", () => {
        const logs = collectorAccessLogsBucketPolicy({
            logsBucketArn: "arn:aws:s3:::collectors-access-logs-1",
            logPrefix: "configuration-bucket/",
            sourceBucketArn: BUCKET_ARN,
            accountId: "333333333333",
        });
        assert.deepStrictEqual((logs.Statement as any[])[1], {
            Sid: "S3ServerAccessLogsDelivery",
            Effect: "Allow",
            Principal: { Service: "logging.s3.amazonaws.com" },
            Action: "s3:PutObject",
            Resource: "arn:aws:s3:::collectors-access-logs-1/configuration-bucket/*",
            Condition: { ArnLike: { "aws:SourceArn": BUCKET_ARN }, StringEquals: { "aws:SourceAccount": "333333333333" } },
        });
        assert.deepStrictEqual(
            (logs.Statement as any[]).map((st) => st.Sid),
            ["DenyInsecureTransport", "S3ServerAccessLogsDelivery"],
        );
        const withFlowLogs = collectorAccessLogsBucketPolicy({
            logsBucketArn: "arn:aws:s3:::collectors-access-logs-1",
            logPrefix: "configuration-bucket/",
            sourceBucketArn: BUCKET_ARN,
            accountId: "333333333333",
            flowLogs: { prefix: "vpc-flow-logs/", partition: "aws", region: "eu-west-1" },
        });
        assert.deepStrictEqual((withFlowLogs.Statement as any[]).slice(2), [
            {
                Sid: "VpcFlowLogsDelivery",
                Effect: "Allow",
                Principal: { Service: "delivery.logs.amazonaws.com" },
                Action: "s3:PutObject",
                Resource: "arn:aws:s3:::collectors-access-logs-1/vpc-flow-logs/AWSLogs/333333333333/*",
                Condition: {
                    StringEquals: { "aws:SourceAccount": "333333333333", "s3:x-amz-acl": "bucket-owner-full-control" },
                    ArnLike: { "aws:SourceArn": "arn:aws:logs:eu-west-1:333333333333:*" },
                },
            },
            {
                Sid: "VpcFlowLogsAclCheck",
                Effect: "Allow",
                Principal: { Service: "delivery.logs.amazonaws.com" },
                Action: "s3:GetBucketAcl",
                Resource: "arn:aws:s3:::collectors-access-logs-1",
                Condition: {
                    StringEquals: { "aws:SourceAccount": "333333333333" },
                    ArnLike: { "aws:SourceArn": "arn:aws:logs:eu-west-1:333333333333:*" },
                },
            },
        ]);
        const key = collectorKeyPolicy({
            partition: "aws",
            accountId: "333333333333",
            region: "eu-west-1",
            instanceRoleArn: "arn:aws:iam::333333333333:role/collectors",
        });
        assert.deepStrictEqual((key.Statement as any[])[1], {
            Sid: "CollectorsPublishDeployResults",
            Effect: "Allow",
            Principal: { AWS: "arn:aws:iam::333333333333:role/collectors" },
            Action: ["kms:GenerateDataKey*", "kms:Decrypt"],
            Resource: "*",
            Condition: { StringEquals: { "kms:ViaService": "sns.eu-west-1.amazonaws.com" } },
        });
    });

    it("gives integration and production disjoint grants, each reaching its own objects", () => {
        // No resource either environment's roles are granted covers an object, secret or document of the other.
        const samples = (env: string) => [
            `${BUCKET_ARN}/configuration/${env}/td-agent.conf`,
            `${BUCKET_ARN}/agent/${env}/agent.js`,
            `arn:aws:secretsmanager:eu-west-1:333333333333:secret:log-collection/${env}/siem-token-AbCdEf`,
            `arn:aws:ssm:eu-west-1:333333333333:document/LogCollection-Deploy-${env}`,
        ];
        for (const [mine, other] of [
            ["integration", "production"],
            ["production", "integration"],
        ]) {
            const granted = [...resources(instancePolicy(mine)), ...resources(publisherPolicy(mine))].filter((r) => r !== "*");
            for (const arn of samples(other)) {
                assert.ok(!granted.some((pattern) => covers(pattern, arn)), `${mine} grants ${arn}`);
            }
            assert.ok(
                samples(mine)
                    .slice(0, 3)
                    .every((arn) => granted.some((pattern) => covers(pattern, arn))),
                `${mine} reaches its own objects`,
            );
        }
    });
});
