// The promises the plan must keep, built from what it creates: the archive and its keys, the
// organization trail, the collectors. A promise is only listed when the plan holds the policy
// that keeps it (the SCP rows need the SCPs of `trailMode: organization`).
import type { AccessPromise, PolicyModel, StackFacts } from "./access-proofs";
import type { PlanReport } from "./plan-report";

const roleArn = (partition: string, account: string, name: string) => `arn:${partition}:iam::${account}:role/${name}`;

export function promisesOf(report: PlanReport, model: PolicyModel, facts: StackFacts): AccessPromise[] {
    const o = report.outputs as any;
    const { partition, region } = model;
    const accounts = o.accounts ?? {};
    const logArchive: string = accounts.logArchive;
    const management: string = accounts.management;
    const promises: AccessPromise[] = [];
    const add = (promise: string, principal: string, action: string, resource: string, expected: "Allowed" | "Denied", context?: AccessPromise["context"], resourceAccount?: string) =>
        promises.push({ promise, principal, action, resource, expected, ...(context ? { context } : {}), ...(resourceAccount ? { resourceAccount } : {}) });
    const breakGlassName = facts.breakGlassRoleArn?.split("/").pop();
    const workload = Object.values(accounts).includes(undefined) ? undefined : (report.resources.find((r) => r.account && !Object.values(accounts).includes(r.account))?.account ?? undefined);
    const archiveScp = model.scps.has(logArchive);
    const trailScp = model.rootId !== undefined && (model.scps.get(model.rootId) ?? []).length > 0;

    const buckets: Array<[string, string | undefined]> = [
        ["trail", o.trailBucketName],
        ["Config", o.configBucketName],
        ["ELB logs", o.elbLogsBucketName],
        ["access logs", o.accessLogsBucketName],
        ["application logs", o.applicationLogsBucketName],
    ];
    const keys: Array<[string, string | undefined]> = [
        ["trail", o.trailKeyArn],
        ["application logs", o.applicationLogsKeyArn],
    ];

    // --- The archive: only break-glass changes it (SCP on the log-archive account).
    if (archiveScp && logArchive) {
        const admin = roleArn(partition, logArchive, "Administrator");
        const breakGlass = breakGlassName ? roleArn(partition, logArchive, breakGlassName) : undefined;
        for (const [what, name] of buckets) {
            if (!name) {
                continue;
            }
            const bucket = `arn:${partition}:s3:::${name}`;
            const object = `${bucket}/AWSLogs/${logArchive}/2026/01/01/log.json.gz`;
            add(`nobody deletes a ${what} object version`, admin, "s3:DeleteObjectVersion", object, "Denied");
            add(`nobody overwrites a ${what} object's ACL`, admin, "s3:PutObjectAcl", object, "Denied");
            add(`nobody shortens a ${what} object's retention`, admin, "s3:PutObjectRetention", object, "Denied");
            add(`nobody bypasses governance retention on ${what} objects`, admin, "s3:BypassGovernanceRetention", object, "Denied");
            for (const action of ["s3:PutBucketPolicy", "s3:DeleteBucketPolicy", "s3:PutLifecycleConfiguration", "s3:PutBucketVersioning", "s3:PutBucketOwnershipControls", "s3:PutBucketRequestPayment"]) {
                add(`nobody changes the ${what} bucket (${action.slice(3)})`, admin, action, bucket, "Denied");
            }
            add(`a restore of an archived ${what} object is not denied`, admin, "s3:RestoreObject", object, "Allowed");
            if (breakGlass) {
                add(`break-glass may delete a ${what} object version`, breakGlass, "s3:DeleteObjectVersion", object, "Allowed");
                add(`break-glass may change the ${what} bucket policy`, breakGlass, "s3:PutBucketPolicy", bucket, "Allowed");
            }
        }
        for (const [what, arn] of keys) {
            if (!arn) {
                continue;
            }
            for (const action of ["kms:DisableKey", "kms:ScheduleKeyDeletion", "kms:PutKeyPolicy", "kms:CreateGrant"]) {
                add(`nobody ${action === "kms:CreateGrant" ? "grants" : "disables, deletes or re-policies"} the ${what} key (${action.slice(4)})`, admin, action, arn, "Denied");
            }
            if (breakGlass) {
                add(`break-glass may re-policy the ${what} key`, breakGlass, "kms:PutKeyPolicy", arn, "Allowed");
            }
        }
        add("nobody creates an access point in the archive account", admin, "s3:CreateAccessPoint", `arn:${partition}:s3:${region}:${logArchive}:accesspoint/side-door`, "Denied");
        if (breakGlass) {
            add("nobody tags the archive's break-glass role", admin, "iam:TagRole", breakGlass, "Denied");
            add("nobody re-trusts the archive's break-glass role", admin, "iam:UpdateAssumeRolePolicy", breakGlass, "Denied");
        }
    }

    // --- The organization trail: only break-glass stops it (SCP on the organization root). The
    // requests are those of a member account acting as delegated CloudTrail administrator.
    if (trailScp && o.trailArn && workload) {
        const admin = roleArn(partition, workload, "Administrator");
        for (const action of ["cloudtrail:StopLogging", "cloudtrail:DeleteTrail", "cloudtrail:UpdateTrail", "cloudtrail:PutEventSelectors"]) {
            add(`no member account stops or changes the organization trail (${action.slice(11)})`, admin, action, o.trailArn, "Denied", undefined, workload);
        }
        if (breakGlassName) {
            add("a member account's break-glass role may repair the organization trail", roleArn(partition, workload, breakGlassName), "cloudtrail:UpdateTrail", o.trailArn, "Allowed", undefined, workload);
        }
        add("a team's own trail stays the team's", admin, "cloudtrail:StopLogging", `arn:${partition}:cloudtrail:${region}:${workload}:trail/team-trail`, "Allowed");
    }

    // --- Delivery into the archive.
    const organizationTrail = report.resources.some((r) => r.type === "aws:cloudtrail/trail:Trail" && (r.inputs as any)?.isOrganizationTrail === true);
    if (o.trailArn && o.trailBucketName && o.organizationId) {
        const bucket = `arn:${partition}:s3:::${o.trailBucketName}`;
        add(
            organizationTrail ? "CloudTrail delivers the organization's logs" : "CloudTrail delivers the management account's logs",
            "cloudtrail.amazonaws.com",
            "s3:PutObject",
            organizationTrail
                ? `${bucket}/AWSLogs/${o.organizationId}/${workload ?? management}/CloudTrail/${region}/2026/01/01/log.json.gz`
                : `${bucket}/AWSLogs/${management}/CloudTrail/${region}/2026/01/01/log.json.gz`,
            "Allowed",
            { "aws:SourceArn": o.trailArn, "s3:x-amz-acl": "bucket-owner-full-control" },
        );
        add("CloudTrail checks the trail bucket's ACL", "cloudtrail.amazonaws.com", "s3:GetBucketAcl", bucket, "Allowed", { "aws:SourceArn": o.trailArn });
        add("another trail cannot write into the trail bucket", "cloudtrail.amazonaws.com", "s3:PutObject", `${bucket}/AWSLogs/${o.organizationId}/x/log.json.gz`, "Denied", {
            "aws:SourceArn": `arn:${partition}:cloudtrail:${region}:999999999999:trail/other`,
            "s3:x-amz-acl": "bucket-owner-full-control",
        });
    }
    if (o.trailArn && o.trailKeyArn) {
        const context = { "aws:SourceArn": o.trailArn, "kms:EncryptionContext:aws:cloudtrail:arn": o.trailArn };
        add("CloudTrail encrypts with the trail key", "cloudtrail.amazonaws.com", "kms:GenerateDataKey", o.trailKeyArn, "Allowed", context);
        add("CloudTrail decrypts with the trail key (S3 Bucket Key)", "cloudtrail.amazonaws.com", "kms:Decrypt", o.trailKeyArn, "Allowed", { "aws:SourceArn": o.trailArn });
    }
    const deliveryRole = report.resources.find((r) => r.type === "aws:iam/role:Role" && /trail-delivery-role$/.test(r.name));
    if (deliveryRole && o.trailArn) {
        const arn = [...model.resourcePolicies.keys()].find((k) => k.includes(":role/") && k.includes("trail-delivery-role"));
        if (arn) {
            add("CloudTrail assumes the CloudWatch Logs delivery role for the trail", "cloudtrail.amazonaws.com", "sts:AssumeRole", arn, "Allowed", { "aws:SourceArn": o.trailArn });
        }
    }
    if (o.elbLogsBucketName && workload) {
        add(
            "ELB delivers access logs of a workload account",
            "logdelivery.elasticloadbalancing.amazonaws.com",
            "s3:PutObject",
            `arn:${partition}:s3:::${o.elbLogsBucketName}/AWSLogs/${workload}/elasticloadbalancing/${region}/2026/01/01/x.log.gz`,
            "Allowed",
        );
    }
    if (o.alarmTopicArn && management) {
        add("CloudWatch alarms publish to the alarm topic", "cloudwatch.amazonaws.com", "sns:Publish", o.alarmTopicArn, "Allowed", {
            "aws:SourceArn": `arn:${partition}:cloudwatch:${region}:${management}:alarm:org-trail-stopped`,
            "aws:SourceAccount": management,
        });
    }

    // --- Investigators read, never write.
    if (o.investigatorRoleArn && o.trailBucketName) {
        const object = `arn:${partition}:s3:::${o.trailBucketName}/AWSLogs/${o.organizationId ?? management}/${management}/CloudTrail/${region}/2026/01/01/log.json.gz`;
        add("the investigator reads archived trail logs", o.investigatorRoleArn, "s3:GetObject", object, "Allowed");
        add("the investigator deletes nothing", o.investigatorRoleArn, "s3:DeleteObject", object, "Denied");
        add("the investigator changes no bucket policy", o.investigatorRoleArn, "s3:PutBucketPolicy", `arn:${partition}:s3:::${o.trailBucketName}`, "Denied");
        if (o.trailKeyArn) {
            add("the investigator decrypts trail logs through S3", o.investigatorRoleArn, "kms:Decrypt", o.trailKeyArn, "Allowed", {
                "kms:ViaService": `s3.${region}.amazonaws.com`,
                "kms:EncryptionContext:aws:cloudtrail:arn": o.trailArn,
            });
            add("the investigator cannot decrypt trail logs outside S3", o.investigatorRoleArn, "kms:Decrypt", o.trailKeyArn, "Denied", {
                "kms:EncryptionContext:aws:cloudtrail:arn": o.trailArn,
            });
        }
    }

    // --- Collectors and the configuration pipeline.
    const collection: string | undefined = accounts.collection;
    const environment: string | undefined = o.environment;
    const instanceRole = report.resources.find((r) => r.type === "aws:iam/role:Role" && r.name === "collectors-instance-role");
    const instanceRoleArn = instanceRole && [...model.identity.keys()].find((k) => k.includes(":role/collectors-instance-role"));
    if (instanceRoleArn && o.collectorConfigBucketName && environment) {
        const bucket = `arn:${partition}:s3:::${o.collectorConfigBucketName}`;
        const other = environment === "production" ? "integration" : "production";
        add("collectors read their environment's configuration", instanceRoleArn, "s3:GetObject", `${bucket}/configuration/${environment}/collector.yaml`, "Allowed");
        add("collectors cannot read another environment's configuration", instanceRoleArn, "s3:GetObject", `${bucket}/configuration/${other}/collector.yaml`, "Denied");
        if (collection) {
            const secret = (env: string) => `arn:${partition}:secretsmanager:${region}:${collection}:secret:log-collection/${env}/siem-token-AbCdEf`;
            add("collectors read their environment's secrets", instanceRoleArn, "secretsmanager:GetSecretValue", secret(environment), "Allowed");
            add("collectors cannot read another environment's secrets", instanceRoleArn, "secretsmanager:GetSecretValue", secret(other), "Denied");
        }
    }
    const publisher = [...model.resourcePolicies.entries()].find(([k]) => k.includes(":role/collectors-publisher-role"));
    if (publisher && collection) {
        const [arn] = publisher;
        const repository = facts.configRepository;
        // Production publishes from main; another environment from its own branch.
        const branch = environment === "production" ? "main" : environment;
        if (repository && facts.ciSystem === "gitlab") {
            add(`the configuration repository's GitLab ${branch} branch may publish collector config`, `arn:${partition}:iam::${collection}:oidc-provider/gitlab.com`, "sts:AssumeRoleWithWebIdentity", arn, "Allowed", {
                "gitlab.com:aud": "sts.amazonaws.com",
                "gitlab.com:sub": `project_path:${repository}:ref_type:branch:ref:${branch}`,
            });
            add("GitHub cannot publish collector config (the organization's CI is another system)", `arn:${partition}:iam::${collection}:oidc-provider/token.actions.githubusercontent.com`, "sts:AssumeRoleWithWebIdentity", arn, "Denied", {
                "token.actions.githubusercontent.com:aud": "sts.amazonaws.com",
                "token.actions.githubusercontent.com:sub": `repo:${repository}:ref:refs/heads/${branch}`,
            });
        }
    }
    return promises;
}
