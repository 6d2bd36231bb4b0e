import * as aws from "@pulumi/aws";
import { Statement, accountRoot, policyDocument, useKeyThroughS3 } from "./document";

/** A principal allowed to assume the investigator role. */
export interface InvestigatorPrincipal {
    /** ARN of a role (of any account) whose sessions may assume the investigator role. */
    roleArn: string;
    /**
     * A person signs in to that role: the assumption then requires MFA (`aws:MultiFactorAuthPresent`).
     * `false` for automation (a SIEM or a notebook role), which has no MFA to present.
     */
    human: boolean;
}

/**
 * Trust policy of the investigator role: exactly the configured roles; those a person uses only
 * with an MFA-authenticated session. `BoolIfExists` would let sessions without the key through, so
 * the condition is `Bool`: a session that carries no MFA context is refused.
 */
export function investigatorTrustPolicy(p: { principals: readonly InvestigatorPrincipal[] }): aws.iam.PolicyDocument {
    const humans = p.principals.filter((x) => x.human).map((x) => x.roleArn);
    const machines = p.principals.filter((x) => !x.human).map((x) => x.roleArn);
    const statements: Statement[] = [];
    if (humans.length > 0) {
        statements.push({
            Sid: "PeopleWithMfa",
            Effect: "Allow",
            Principal: { AWS: humans },
            Action: "sts:AssumeRole",
            Condition: { Bool: { "aws:MultiFactorAuthPresent": "true" } },
        });
    }
    if (machines.length > 0) {
        statements.push({ Sid: "Automation", Effect: "Allow", Principal: { AWS: machines }, Action: "sts:AssumeRole" });
    }
    return policyDocument(statements);
}

/** A bucket of the archive the investigator reads, and the prefix its table covers. */
export interface InvestigatorReadBucket {
    bucketArn: string;
    /** Key prefix the table reads, ending in `/` (`AWSLogs/`, `firelens/`). */
    prefix: string;
}

export interface InvestigatorPolicyParams {
    partition: string;
    region: string;
    /** The log-archive account: the tables, the workgroup, the buckets and the keys live there. */
    accountId: string;
    workgroupName: string;
    databaseName: string;
    /** Buckets (and prefixes) of the archive the tables read. */
    readBuckets: readonly InvestigatorReadBucket[];
    /** Keys of those buckets' objects: decrypt only, only through S3. */
    decryptKeyArns: readonly string[];
    /** The workgroup's result bucket and key: Athena writes each query's results there with the caller's credentials. */
    resultsBucketArn: string;
    resultsKeyArn: string;
}

/**
 * Identity policy of the investigator role: run queries in the one workgroup, read the Glue catalog
 * of the log database, read the archive's log objects and decrypt them through S3. The only write is
 * Athena's query results under the workgroup's enforced result location (which expires). No delete,
 * no configuration change, no key administration.
 */
export function investigatorPolicy(p: InvestigatorPolicyParams): aws.iam.PolicyDocument {
    const athena = `arn:${p.partition}:athena:${p.region}:${p.accountId}`;
    const glue = `arn:${p.partition}:glue:${p.region}:${p.accountId}`;
    return policyDocument([
        {
            Sid: "RunQueriesInTheWorkgroup",
            Effect: "Allow",
            Action: [
                "athena:StartQueryExecution",
                "athena:StopQueryExecution",
                "athena:GetQueryExecution",
                "athena:BatchGetQueryExecution",
                "athena:ListQueryExecutions",
                "athena:GetQueryResults",
                "athena:GetQueryResultsStream",
                "athena:GetQueryRuntimeStatistics",
                "athena:GetWorkGroup",
                "athena:GetNamedQuery",
                "athena:BatchGetNamedQuery",
                "athena:ListNamedQueries",
            ],
            Resource: `${athena}:workgroup/${p.workgroupName}`,
        },
        {
            Sid: "ReadTheDataCatalog",
            Effect: "Allow",
            Action: [
                "athena:GetDataCatalog",
                "athena:GetDatabase",
                "athena:ListDatabases",
                "athena:GetTableMetadata",
                "athena:ListTableMetadata",
            ],
            Resource: `${athena}:datacatalog/AwsDataCatalog`,
        },
        {
            Sid: "ListWorkgroups",
            Effect: "Allow",
            Action: ["athena:ListWorkGroups", "athena:ListDataCatalogs"],
            Resource: "*", // these List calls have no resource-level permissions
        },
        {
            Sid: "ReadTheLogTables",
            Effect: "Allow",
            Action: [
                "glue:GetDatabase",
                "glue:GetDatabases",
                "glue:GetTable",
                "glue:GetTables",
                "glue:GetPartition",
                "glue:GetPartitions",
                "glue:BatchGetPartition",
            ],
            Resource: [`${glue}:catalog`, `${glue}:database/${p.databaseName}`, `${glue}:table/${p.databaseName}/*`],
        },
        {
            Sid: "ListTheArchive",
            Effect: "Allow",
            Action: ["s3:ListBucket", "s3:GetBucketLocation"],
            Resource: p.readBuckets.map((b) => b.bucketArn),
        },
        {
            Sid: "ReadTheArchive",
            Effect: "Allow",
            Action: ["s3:GetObject", "s3:GetObjectVersion"],
            Resource: p.readBuckets.map((b) => `${b.bucketArn}/${b.prefix}*`),
        },
        {
            Sid: "DecryptTheArchiveThroughS3",
            Effect: "Allow",
            Action: "kms:Decrypt",
            Resource: [...p.decryptKeyArns],
            Condition: { StringEquals: { "kms:ViaService": `s3.${p.region}.amazonaws.com` } },
        },
        {
            Sid: "WriteQueryResults",
            Effect: "Allow",
            Action: ["s3:GetObject", "s3:PutObject", "s3:AbortMultipartUpload", "s3:ListMultipartUploadParts"],
            Resource: `${p.resultsBucketArn}/results/*`,
        },
        {
            Sid: "ListQueryResults",
            Effect: "Allow",
            Action: ["s3:ListBucket", "s3:GetBucketLocation", "s3:ListBucketMultipartUploads"],
            Resource: p.resultsBucketArn,
        },
        useKeyThroughS3("EncryptQueryResultsThroughS3", p.resultsKeyArn, p.region),
    ]);
}

/**
 * Key-policy statement that lets the investigator roles decrypt the key's objects, only through S3
 * in the archive's region. The roles are named with `aws:PrincipalArn` under the account principal
 * rather than as principals: KMS rejects a key policy naming a role that does not exist yet, and a
 * role recreated under the same name keeps its access. `context` adds an encryption-context condition
 * (the trail key's CloudTrail context). No statement when there are no investigator roles.
 */
export function investigatorsDecryptThroughS3(p: {
    partition: string;
    region: string;
    keyAccountId: string;
    investigatorRoleArns?: readonly string[];
    context?: Record<string, string>;
}): Statement[] {
    if (!p.investigatorRoleArns || p.investigatorRoleArns.length === 0) {
        return [];
    }
    return [
        {
            Sid: "InvestigatorsDecryptThroughS3",
            Effect: "Allow",
            Principal: { AWS: accountRoot(p.partition, p.keyAccountId) },
            Action: "kms:Decrypt",
            Resource: "*", // in a key policy "*" means this key
            Condition: {
                ArnEquals: { "aws:PrincipalArn": [...p.investigatorRoleArns] },
                StringEquals: { "kms:ViaService": `s3.${p.region}.amazonaws.com` },
                ...(p.context ? { StringLike: p.context } : {}),
            },
        },
    ];
}
