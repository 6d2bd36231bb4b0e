import * as aws from "@pulumi/aws";
import { Statement, policyDocument, useKeyThroughS3 } from "./document";

/**
 * Physical name of a FireLensService's Firehose delivery role. The log archive's bucket and key
 * policies admit roles named `firelens-*` of the workload accounts, so this name is a contract.
 */
export function firelensFirehoseRoleName(serviceName: string): string {
    return `firelens-${serviceName}-firehose`;
}

/**
 * The S3 prefix under which a service's application logs land in the archive:
 * `firelens/<account id>/<service>/`. The archive's bucket policy lets a role write only under its
 * own account's segment (`${aws:PrincipalAccount}`), so the account id must come first.
 */
export function firelensArchivePrefix(accountId: string, serviceName: string): string {
    return `firelens/${accountId}/${serviceName}/`;
}

export interface EcsTasksTrustParams {
    partition: string;
    accountId: string;
    region: string;
}

/**
 * Trust policy of task and execution roles: only ECS tasks of this account and region may assume
 * them (confused-deputy protection documented for task roles:
 * https://docs.aws.amazon.com/AmazonECS/latest/developerguide/task-iam-roles.html).
 */
export function ecsTasksTrustPolicy(p: EcsTasksTrustParams): aws.iam.PolicyDocument {
    return policyDocument([
        {
            Sid: "EcsTasksOfThisAccount",
            Effect: "Allow",
            Principal: { Service: "ecs-tasks.amazonaws.com" },
            Action: "sts:AssumeRole",
            Condition: {
                StringEquals: { "aws:SourceAccount": p.accountId },
                ArnLike: { "aws:SourceArn": `arn:${p.partition}:ecs:${p.region}:${p.accountId}:*` },
            },
        },
    ]);
}

/**
 * Trust policy of the Firehose delivery role. Firehose passes the stream's account as the external
 * id when it assumes the role; that is the source condition Firehose documents for this trust
 * (https://docs.aws.amazon.com/firehose/latest/dev/controlling-access.html#using-iam-s3).
 */
export function firehoseTrustPolicy(p: { accountId: string }): aws.iam.PolicyDocument {
    return policyDocument([
        {
            Sid: "FirehoseOfThisAccount",
            Effect: "Allow",
            Principal: { Service: "firehose.amazonaws.com" },
            Action: "sts:AssumeRole",
            Condition: { StringEquals: { "sts:ExternalId": p.accountId } },
        },
    ]);
}

export interface FirelensTaskRoleParams {
    /** ARNs of the rendered Fluent Bit config objects (`arn:aws:s3:::bucket/key`), read by the init process. */
    configObjectArns: string[];
    configBucketArn: string;
    /** Key that encrypts the config objects. */
    configKeyArn: string;
    region: string;
    deliveryStreamArn: string;
    /** CloudWatch Logs group the Fluent Bit `cloudwatch_logs` output writes the application's logs into. */
    appLogGroupArn: string;
}

/**
 * The task role, used by the application and by the Fluent Bit sidecar: read exactly the rendered
 * config objects, send to the one delivery stream, write into the one application log group.
 */
export function firelensTaskRolePolicy(p: FirelensTaskRoleParams): aws.iam.PolicyDocument {
    return policyDocument([
        {
            Sid: "ReadFluentBitConfig",
            Effect: "Allow",
            Action: "s3:GetObject",
            Resource: p.configObjectArns,
        },
        {
            // The init process looks up the bucket's region before downloading (HeadBucket, falling back to GetBucketLocation).
            Sid: "LocateFluentBitConfigBucket",
            Effect: "Allow",
            Action: "s3:GetBucketLocation",
            Resource: p.configBucketArn,
        },
        {
            Sid: "DecryptFluentBitConfig",
            Effect: "Allow",
            Action: "kms:Decrypt",
            Resource: p.configKeyArn,
            Condition: { StringEquals: { "kms:ViaService": `s3.${p.region}.amazonaws.com` } },
        },
        {
            Sid: "SendToFirehose",
            Effect: "Allow",
            Action: "firehose:PutRecordBatch",
            Resource: p.deliveryStreamArn,
        },
        {
            Sid: "WriteApplicationLogs",
            Effect: "Allow",
            Action: ["logs:CreateLogStream", "logs:PutLogEvents"],
            Resource: [p.appLogGroupArn, `${p.appLogGroupArn}:log-stream:*`],
        },
    ]);
}

export interface FirelensExecutionRoleParams {
    partition: string;
    /** The log router's own log group (awslogs driver). */
    logRouterLogGroupArn: string;
    /** Images of the task; private ECR images get pull rights on their repository only. */
    images: string[];
}

const ECR_IMAGE = /^(\d{12})\.dkr\.ecr\.([a-z0-9-]+)\.amazonaws\.com(?:\.cn)?\/([^:@]+)/;

/** The ECR repository ARN of a private ECR image reference, or undefined for any other registry. */
export function ecrRepositoryArn(partition: string, image: string): string | undefined {
    const match = ECR_IMAGE.exec(image);
    return match ? `arn:${partition}:ecr:${match[2]}:${match[1]}:repository/${match[3]}` : undefined;
}

/**
 * The execution role, used by ECS itself to start the task: pull the task's private ECR images
 * (public registries need no permission) and ship the log router's own output through awslogs.
 */
export function firelensExecutionRolePolicy(p: FirelensExecutionRoleParams): aws.iam.PolicyDocument {
    const repositories = [...new Set(p.images.map((image) => ecrRepositoryArn(p.partition, image)).filter((a): a is string => !!a))];
    const statements: Statement[] = [
        {
            Sid: "WriteLogRouterLogs",
            Effect: "Allow",
            Action: ["logs:CreateLogStream", "logs:PutLogEvents"],
            Resource: [p.logRouterLogGroupArn, `${p.logRouterLogGroupArn}:log-stream:*`],
        },
    ];
    if (repositories.length > 0) {
        statements.push(
            {
                Sid: "EcrAuthorizationToken",
                Effect: "Allow",
                Action: "ecr:GetAuthorizationToken",
                Resource: "*", // GetAuthorizationToken has no resource type: it cannot be scoped to a repository
            },
            {
                Sid: "PullTaskImages",
                Effect: "Allow",
                Action: ["ecr:BatchCheckLayerAvailability", "ecr:GetDownloadUrlForLayer", "ecr:BatchGetImage"],
                Resource: repositories,
            },
        );
    }
    return policyDocument(statements);
}

export interface FirelensFirehoseRoleParams {
    /** The account of the role (the workload account), the first segment of its archive prefix. */
    accountId: string;
    /** The archive's applicationLogs bucket (log-archive account). */
    archiveBucketArn: string;
    /** The key that encrypts that bucket (log-archive account). */
    archiveKeyArn: string;
    serviceName: string;
    region: string;
    /** Firehose's own error log group and stream. */
    firehoseLogGroupArn: string;
}

/**
 * The Firehose delivery role: write only under `firelens/<account id>/<service>/` of the archive
 * bucket (data and error output both live there), encrypt with the archive key through S3, and log
 * delivery errors. The S3 actions are those AWS documents for delivery into a bucket of another
 * account (https://docs.aws.amazon.com/firehose/latest/dev/controlling-access.html#using-iam-s3).
 */
export function firelensFirehoseRolePolicy(p: FirelensFirehoseRoleParams): aws.iam.PolicyDocument {
    const objects = `${p.archiveBucketArn}/${firelensArchivePrefix(p.accountId, p.serviceName)}*`;
    return policyDocument([
        {
            Sid: "WriteServicePrefix",
            Effect: "Allow",
            Action: ["s3:PutObject", "s3:PutObjectAcl", "s3:GetObject", "s3:AbortMultipartUpload"],
            Resource: objects,
        },
        {
            Sid: "LocateArchiveBucket",
            Effect: "Allow",
            Action: ["s3:GetBucketLocation", "s3:ListBucket", "s3:ListBucketMultipartUploads"],
            Resource: p.archiveBucketArn,
        },
        useKeyThroughS3("EncryptWithArchiveKey", p.archiveKeyArn, p.region),
        {
            Sid: "LogDeliveryErrors",
            Effect: "Allow",
            Action: "logs:PutLogEvents",
            Resource: `${p.firehoseLogGroupArn}:log-stream:*`,
        },
    ]);
}
