import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { AthenaNamedQuerySpec, createNamedQueries, parenthesized, PartitionQuery, partitionQueries } from "./internal/athena-named-queries";
import { assertNoProblems, glueNameProblem, ORGANIZATION_ID, ROLE_NAME, WithDefaults } from "./internal/validation";
import { CLOUDTRAIL_COLUMNS, CLOUDTRAIL_FORMAT } from "./internal/cloudtrail-record-format";
import { logFileTable } from "./internal/glue-table";
import {
    INJECTED,
    partitionProjectionProperties,
    READ_RESTORED_GLACIER_OBJECTS,
    regionProjectionProblems,
} from "./internal/partition-projection";

/**
 * Regions of the commercial partition where CloudTrail records events. A multi-region trail writes
 * a `CloudTrail/<region>/` prefix for each region with activity, so the table projects all of them:
 * a region without logs costs one empty S3 listing per day queried.
 */
export const CLOUDTRAIL_REGIONS: readonly string[] = [
    "us-east-1",
    "us-east-2",
    "us-west-1",
    "us-west-2",
    "af-south-1",
    "ap-east-1",
    "ap-east-2",
    "ap-south-1",
    "ap-south-2",
    "ap-southeast-1",
    "ap-southeast-2",
    "ap-southeast-3",
    "ap-southeast-4",
    "ap-southeast-5",
    "ap-southeast-7",
    "ap-northeast-1",
    "ap-northeast-2",
    "ap-northeast-3",
    "ca-central-1",
    "ca-west-1",
    "eu-central-1",
    "eu-central-2",
    "eu-west-1",
    "eu-west-2",
    "eu-west-3",
    "eu-south-1",
    "eu-south-2",
    "eu-north-1",
    "il-central-1",
    "me-south-1",
    "me-central-1",
    "mx-central-1",
    "sa-east-1",
];

/** Partition columns of the CloudTrail table, in path order. */
export const CLOUDTRAIL_PARTITION_KEYS = ["account", "region", "day"] as const;

export interface AthenaCloudTrailTableArgs {
    /** The bucket the trail delivers into. */
    readonly trailBucketName: pulumi.Input<string>;
    /**
     * The organization whose organization trail writes `AWSLogs/<organization id>/<account id>/CloudTrail/...`.
     * Unset for an account trail, which writes `AWSLogs/<account id>/CloudTrail/...`. Plain: it decides the layout.
     * @default - the account trail's layout
     */
    readonly organizationId?: string;
    /** Glue database the table is created in (the ALB table's database). */
    readonly databaseName: pulumi.Input<string>;
    /** Athena workgroup the saved queries belong to (the enforced workgroup). */
    readonly workgroupName: pulumi.Input<string>;
    /** Glue table name. @default "cloudtrail" */
    readonly tableName?: string;
    /** Regions the `region` partition's enum projection lists. Plain: validated. @default - CLOUDTRAIL_REGIONS */
    readonly regions?: readonly string[];
    /**
     * First day the `day` projection covers (`yyyy/MM/dd`); the projection runs to today (`NOW`).
     * @default "2020/01/01"
     */
    readonly firstDay?: string;
    /**
     * Name of the break-glass role (the same name in every account). Adds the saved query of its
     * assumptions and of what its sessions did. Plain: decides whether the query exists.
     * @default - no break-glass query
     */
    readonly breakGlassRoleName?: string;
    /**
     * Buckets of the log archive. Adds the saved query of changes to them (S3 management events).
     * Plain list: decides whether the query exists.
     * @default []
     */
    readonly archiveBucketNames?: pulumi.Input<string>[];
}

const DAY = /^(\d{4})\/(\d{2})\/(\d{2})$/;

/** AthenaCloudTrailTableArgs with every default applied, as the component uses them. */
export type ResolvedAthenaCloudTrailTableArgs = WithDefaults<
    AthenaCloudTrailTableArgs,
    "tableName" | "regions" | "firstDay" | "archiveBucketNames"
>;

/**
 * Applies the defaults of the Args (each once) and checks them; throws one `pulumi.ResourceError`
 * listing every problem, one per line (at `parent`, the component, when given).
 */
export function resolveAthenaCloudTrailTableArgs(
    args: AthenaCloudTrailTableArgs,
    parent?: pulumi.Resource,
): ResolvedAthenaCloudTrailTableArgs {
    const resolved: ResolvedAthenaCloudTrailTableArgs = {
        ...args,
        tableName: args.tableName ?? "cloudtrail",
        regions: args.regions ?? CLOUDTRAIL_REGIONS,
        firstDay: args.firstDay ?? "2020/01/01",
        archiveBucketNames: args.archiveBucketNames ?? [],
    };
    const problems: string[] = [];
    if (args.organizationId !== undefined && !ORGANIZATION_ID.test(args.organizationId)) {
        problems.push(`\`organizationId\` ("${args.organizationId}") is not an AWS Organizations id such as o-a1b2c3d4e5`);
    }
    const tableNameProblem = glueNameProblem("tableName", args.tableName);
    if (tableNameProblem !== undefined) {
        problems.push(tableNameProblem);
    }
    problems.push(...regionProjectionProblems(resolved.regions, "List the regions the trail records, or leave it unset for all of them"));
    const firstDay = resolved.firstDay;
    const day = DAY.exec(firstDay);
    const date = day ? new Date(Date.UTC(Number(day[1]), Number(day[2]) - 1, Number(day[3]))) : undefined;
    if (!day || !date || date.getUTCDate() !== Number(day[3]) || date.getUTCMonth() !== Number(day[2]) - 1 || Number(day[1]) < 2013) {
        problems.push(`\`firstDay\` ("${firstDay}") is not a day in yyyy/MM/dd form from 2013 on, such as 2020/01/01`);
    }
    if (args.breakGlassRoleName !== undefined && !ROLE_NAME.test(args.breakGlassRoleName)) {
        problems.push(
            `\`breakGlassRoleName\` ("${args.breakGlassRoleName}") is not an IAM role name. Name the role without its path or ARN`,
        );
    }
    assertNoProblems("AthenaCloudTrailTable", problems, parent);
    return resolved;
}

/** The S3 prefix under which the trail writes one account's logs (`${account}` is the projection's placeholder). */
export function cloudTrailAccountPrefix(p: { bucketName: string; organizationId?: string }): string {
    const org = p.organizationId ? `${p.organizationId}/` : "";
    return `s3://${p.bucketName}/AWSLogs/${org}`;
}

/**
 * The table's properties for partition projection. `account` is injected: a query names its accounts
 * (`account = '...'` or `account IN (...)`), so no list of accounts exists to keep up to date as the
 * organization grows; `region` is an enum; `day` is a date projection over `yyyy/MM/dd` up to today.
 */
export function cloudTrailPartitionProjection(p: {
    bucketName: string;
    organizationId?: string;
    regions: readonly string[];
    firstDay: string;
}): Record<string, string> {
    return partitionProjectionProperties({
        properties: { classification: "cloudtrail", ...READ_RESTORED_GLACIER_OBJECTS },
        partitionKeys: CLOUDTRAIL_PARTITION_KEYS,
        columns: {
            account: INJECTED,
            region: { type: "enum", values: p.regions },
            day: { type: "daily", format: "yyyy/MM/dd", first: p.firstDay },
        },
        // Organization trail: AWSLogs/<org id>/<account id>/CloudTrail/<region>/<yyyy>/<MM>/<dd>/<file>.json.gz;
        // account trail: the same without the organization id.
        locationTemplate: `${cloudTrailAccountPrefix(p)}\${account}/CloudTrail/\${region}/\${day}`,
    });
}

export type { AthenaNamedQuerySpec } from "./internal/athena-named-queries";

const quote = (value: string) => `'${value.replace(/'/g, "''")}'`;
const list = (values: readonly string[]) => values.map(quote).join(", ");

/** IAM calls that change policies, users, credentials or role trust. */
export const IAM_CHANGE_EVENTS: readonly string[] = [
    "AttachGroupPolicy",
    "AttachRolePolicy",
    "AttachUserPolicy",
    "CreatePolicy",
    "CreatePolicyVersion",
    "DeletePolicy",
    "DeletePolicyVersion",
    "SetDefaultPolicyVersion",
    "PutGroupPolicy",
    "PutRolePolicy",
    "PutUserPolicy",
    "DeleteGroupPolicy",
    "DeleteRolePolicy",
    "DeleteUserPolicy",
    "DetachGroupPolicy",
    "DetachRolePolicy",
    "DetachUserPolicy",
    "PutRolePermissionsBoundary",
    "PutUserPermissionsBoundary",
    "DeleteRolePermissionsBoundary",
    "DeleteUserPermissionsBoundary",
    "CreateUser",
    "DeleteUser",
    "CreateLoginProfile",
    "UpdateLoginProfile",
    "DeleteLoginProfile",
    "AddUserToGroup",
    "RemoveUserFromGroup",
    "CreateAccessKey",
    "UpdateAccessKey",
    "DeleteAccessKey",
    "EnableMFADevice",
    "DeactivateMFADevice",
    "DeleteVirtualMFADevice",
    "CreateRole",
    "DeleteRole",
    "UpdateAssumeRolePolicy",
    "UpdateRole",
];

/** Calls that stop or weaken logging, the SCPs that protect it, and the keys that encrypt it, by service. */
export const LOGGING_CHANGE_EVENTS: Readonly<Record<string, readonly string[]>> = {
    "cloudtrail.amazonaws.com": [
        "CreateTrail",
        "UpdateTrail",
        "DeleteTrail",
        "StartLogging",
        "StopLogging",
        "PutEventSelectors",
        "PutInsightSelectors",
    ],
    "config.amazonaws.com": [
        "PutConfigurationRecorder",
        "StopConfigurationRecorder",
        "DeleteConfigurationRecorder",
        "PutDeliveryChannel",
        "DeleteDeliveryChannel",
        "DeleteConfigRule",
        "DeleteOrganizationConfigRule",
        "DeleteConfigurationAggregator",
    ],
    "organizations.amazonaws.com": [
        "CreatePolicy",
        "UpdatePolicy",
        "DeletePolicy",
        "AttachPolicy",
        "DetachPolicy",
        "EnablePolicyType",
        "DisablePolicyType",
    ],
    "kms.amazonaws.com": [
        "DisableKey",
        "EnableKey",
        "ScheduleKeyDeletion",
        "CancelKeyDeletion",
        "PutKeyPolicy",
        "DisableKeyRotation",
        "EnableKeyRotation",
        "DeleteImportedKeyMaterial",
        "ImportKeyMaterial",
    ],
};

/**
 * Saved investigation queries (Athena engine 3, Trino SQL). Every query reads one account and one
 * day: its first `?` parameters are the `account` and `day` partition values, filled in when the query
 * runs (Athena parameterized queries), e.g. `'111111111111', '2026/12/01'`. All regions of that day are read.
 */
export function cloudTrailNamedQueries(p: {
    database: string;
    table: string;
    breakGlassRoleName?: string;
    archiveBucketNames?: readonly string[];
}): AthenaNamedQuerySpec[] {
    const queries: PartitionQuery[] = [
        {
            id: "root-activity",
            name: "CloudTrail: root user activity of one account and day",
            description: "Calls made with the root user's credentials (not by an AWS service on its behalf), for one account and day.",
            select: ["eventtime, region, eventsource, eventname, sourceipaddress, useragent, errorcode, errormessage"],
            where: ["useridentity.type = 'Root'", "useridentity.invokedby IS NULL", "eventtype <> 'AwsServiceEvent'"],
            orderBy: "eventtime",
        },
        {
            id: "console-signin-without-mfa",
            name: "CloudTrail: console sign-ins without MFA of one account and day",
            description:
                "ConsoleLogin events whose additionalEventData does not say MFAUsed = Yes, with their outcome, for one account and day.",
            select: [
                "eventtime, region, useridentity.type AS identity_type, useridentity.arn AS principal, sourceipaddress, useragent,",
                "json_extract_scalar(responseelements, '$.ConsoleLogin') AS outcome, errormessage",
            ],
            where: ["eventname = 'ConsoleLogin'", "coalesce(json_extract_scalar(additionaleventdata, '$.MFAUsed'), 'No') <> 'Yes'"],
            orderBy: "eventtime",
        },
        {
            id: "iam-changes",
            name: "CloudTrail: IAM policy, user, key and role-trust changes of one account and day",
            description:
                "Calls that change IAM policies, users, login profiles, access keys, MFA devices, roles or role trust, for one account and day.",
            select: ["eventtime, eventname, useridentity.arn AS principal, sourceipaddress, errorcode, requestparameters"],
            where: ["eventsource = 'iam.amazonaws.com'", `eventname IN (${list(IAM_CHANGE_EVENTS)})`],
            orderBy: "eventtime",
        },
        {
            id: "logging-changes",
            name: "CloudTrail: CloudTrail, Config, SCP and KMS key-state changes of one account and day",
            description:
                "Calls that stop or change trails, AWS Config recording, service control policies or KMS keys, for one account and day.",
            select: [
                "eventtime, region, eventsource, eventname, useridentity.arn AS principal, sourceipaddress, errorcode, requestparameters",
            ],
            where: [
                parenthesized([
                    Object.entries(LOGGING_CHANGE_EVENTS)
                        .map(([source, names]) => `    (eventsource = ${quote(source)} AND eventname IN (${list(names)}))`)
                        .join("\n    OR "),
                ]),
            ],
            orderBy: "eventtime",
        },
        {
            id: "access-denied-bursts",
            name: "CloudTrail: AccessDenied and UnauthorizedOperation bursts by principal of one account and day",
            description:
                "Principals with at least 10 denied calls in a 5-minute window, with the calls they tried, for one account and day.",
            select: [
                "useridentity.arn AS principal,",
                "from_unixtime(floor(to_unixtime(from_iso8601_timestamp(eventtime)) / 300) * 300) AS window_start,",
                "count(*) AS denied, array_agg(DISTINCT eventsource || ':' || eventname) AS calls,",
                "array_agg(DISTINCT sourceipaddress) AS source_ips",
            ],
            where: ["(errorcode LIKE '%UnauthorizedOperation' OR errorcode LIKE 'AccessDenied%')"],
            groupBy: "1, 2",
            having: "count(*) >= 10",
            orderBy: "denied DESC",
        },
        {
            id: "access-key-activity",
            name: "CloudTrail: activity of one access key in one account and day",
            description:
                "Every call signed with one access key (AKIA... or ASIA...), for one account and day; the third parameter is the key id.",
            select: [
                "eventtime, region, eventsource, eventname, useridentity.arn AS principal, sourceipaddress, useragent, errorcode, requestparameters",
            ],
            where: ["useridentity.accesskeyid = ?"],
            orderBy: "eventtime",
        },
    ];
    if (p.breakGlassRoleName !== undefined) {
        queries.push({
            id: "break-glass-activity",
            name: "CloudTrail: break-glass role assumptions and sessions of one account and day",
            description: `Assumptions of the break-glass role "${p.breakGlassRoleName}" and every call its sessions made, for one account and day.`,
            select: [
                "eventtime, region, eventsource, eventname, useridentity.arn AS principal, sourceipaddress, errorcode,",
                "json_extract_scalar(requestparameters, '$.roleArn') AS assumed_role_arn",
            ],
            where: [
                parenthesized([
                    "    (eventsource = 'sts.amazonaws.com' AND eventname = 'AssumeRole'",
                    `     AND json_extract_scalar(requestparameters, '$.roleArn') LIKE ${quote(`%:role/${p.breakGlassRoleName}`)})`,
                    `    OR useridentity.sessioncontext.sessionissuer.username = ${quote(p.breakGlassRoleName)}`,
                ]),
            ],
            orderBy: "eventtime",
        });
    }
    if (p.archiveBucketNames && p.archiveBucketNames.length > 0) {
        queries.push({
            id: "archive-bucket-changes",
            name: "CloudTrail: changes to the log archive's buckets of one account and day",
            description:
                "Calls that change (not read) a bucket of the log archive (policy, lifecycle, encryption, Object Lock, deletes), for one account and day.",
            select: [
                "eventtime, region, eventname, useridentity.arn AS principal, sourceipaddress, errorcode,",
                "json_extract_scalar(requestparameters, '$.bucketName') AS bucket, requestparameters",
            ],
            where: [
                "eventsource = 's3.amazonaws.com'",
                "readonly = 'false'",
                `json_extract_scalar(requestparameters, '$.bucketName') IN (${list(p.archiveBucketNames)})`,
            ],
            orderBy: "eventtime",
        });
    }
    return partitionQueries({ database: p.database, table: p.table, pinned: ["account", "day"] }, queries);
}

/**
 * A Glue table over the trail's log files in the archive bucket, with the SerDe and input format AWS
 * documents for CloudTrail and partition projection on account (injected), region and day (so
 * `WHERE account = '111111111111' AND day = '2026/12/01'` reads one account's day), plus saved
 * investigation queries in the given workgroup. No crawler and no partition-adding job. Lives in the
 * log-archive account: pass its provider.
 */
export class AthenaCloudTrailTable extends pulumi.ComponentResource {
    public readonly table: aws.glue.CatalogTable;
    /** Saved queries keyed by id (`root-activity`, `console-signin-without-mfa`, `iam-changes`, ...). */
    public readonly namedQueries: Record<string, aws.athena.NamedQuery>;

    constructor(name: string, args: AthenaCloudTrailTableArgs, opts?: pulumi.ComponentResourceOptions) {
        super("orglog:index:AthenaCloudTrailTable", name, {}, opts);
        const resolved = resolveAthenaCloudTrailTableArgs(args, this);
        const tableName = resolved.tableName;
        const regions = resolved.regions;
        const firstDay = resolved.firstDay;
        const archiveBuckets = resolved.archiveBucketNames;

        this.table = logFileTable(
            `${name}-table`,
            {
                tableName,
                databaseName: args.databaseName,
                description: "CloudTrail records of the trail in the log archive (CloudTrail SerDe, partition projection)",
                bucketName: args.trailBucketName,
                location: (bucketName) => cloudTrailAccountPrefix({ bucketName, organizationId: args.organizationId }),
                parameters: (bucketName) =>
                    cloudTrailPartitionProjection({ bucketName, organizationId: args.organizationId, regions, firstDay }),
                partitionKeys: CLOUDTRAIL_PARTITION_KEYS,
                format: CLOUDTRAIL_FORMAT,
                columns: CLOUDTRAIL_COLUMNS,
            },
            { parent: this },
        );

        const queriesFor = (database: string, buckets: readonly string[]) =>
            cloudTrailNamedQueries({
                database,
                table: tableName,
                breakGlassRoleName: args.breakGlassRoleName,
                archiveBucketNames: buckets,
            });
        // Which queries exist is decided by plain Args; their text may wait for the bucket names.
        const shapes = queriesFor(
            "database",
            archiveBuckets.map(() => "bucket"),
        );
        this.namedQueries = createNamedQueries(
            name,
            {
                shapes,
                queries: pulumi
                    .all([pulumi.output(args.databaseName), pulumi.all(archiveBuckets)])
                    .apply(([database, buckets]) => queriesFor(database, buckets)),
                database: args.databaseName,
                workgroup: args.workgroupName,
                table: this.table,
            },
            this,
        );

        this.registerOutputs({ table: this.table, namedQueries: this.namedQueries });
    }
}
