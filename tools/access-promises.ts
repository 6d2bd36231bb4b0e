// The promises the plan must keep, built from what it creates: the archive and its keys, the
// organization trail and Config, the collectors, the preview role and the delivery paths into the
// archive. The protections of production (`trailMode: organization`) are promised whenever the plan
// has an organization trail, whether or not the SCP that keeps them is there: a missing SCP turns
// its rows broken instead of removing them.
import type { AccessPromise, PolicyModel, StackFacts } from "./access-proofs";
import type { PlanReport } from "./plan-report";

/** An account of the organization that no config of the stack names (a new workload account). */
export const UNNAMED_ACCOUNT = "424242424242";
/** A second such account, whose FireLens prefix the first must not write under. */
export const OTHER_ACCOUNT = "434343434343";
/** The name of the accounts' read-only preview role (ci/bootstrap/org-logging-account-roles.yaml). */
export const PREVIEW_ROLE_NAME = "OrgLoggingPreview";

type Outputs = Record<string, any>;
/** Records that `principal` is `expected` to be allowed or denied `action` on `resource`. */
type AddPromise = (
    promise: string,
    principal: string,
    action: string,
    resource: string,
    expected: "Allowed" | "Denied",
    context?: AccessPromise["context"],
    resourceAccount?: string,
) => void;

export function promisesOf(report: PlanReport, model: PolicyModel, facts: StackFacts): AccessPromise[] {
    const o = report.outputs as Outputs;
    const { partition, region } = model;
    const accounts: Record<string, string> = o.accounts ?? {};
    const promises: AccessPromise[] = [];
    const add: AddPromise = (promise, principal, action, resource, expected, context, resourceAccount) =>
        promises.push({
            promise,
            principal,
            action,
            resource,
            expected,
            ...(context ? { context } : {}),
            ...(resourceAccount ? { resourceAccount } : {}),
        });
    const role = (account: string, name: string) => `arn:${partition}:iam::${account}:role/${name}`;
    const breakGlassName = facts.breakGlassRoleArn?.split("/").pop();
    const organizationTrail = report.resources.some(
        (r) => r.type === "aws:cloudtrail/trail:Trail" && (r.inputs as any)?.isOrganizationTrail === true,
    );
    for (const account of [UNNAMED_ACCOUNT, OTHER_ACCOUNT]) {
        if (Object.values(accounts).includes(account)) {
            throw new Error(
                `access proofs: account ${account} stands for an account no config names, but the stack uses it; pick another in tools/access-promises.ts`,
            );
        }
    }
    const ctx = { partition, region, o, accounts, add, role, breakGlassName, organizationTrail, facts, model, report };

    if (organizationTrail) {
        archivePromises(ctx);
        trailAndConfigPromises(ctx);
    }
    collectionPromises(ctx);
    deliveryPromises(ctx);
    readerPromises(ctx);
    return promises;
}

interface Ctx {
    partition: string;
    region: string;
    o: Outputs;
    accounts: Record<string, string>;
    add: AddPromise;
    role: (account: string, name: string) => string;
    breakGlassName?: string;
    organizationTrail: boolean;
    facts: StackFacts;
    model: PolicyModel;
    report: PlanReport;
}

/** The archive: only break-glass deletes, overwrites or re-configures it (SCP on the log-archive account). */
function archivePromises({ partition, region, o, accounts, add, role, breakGlassName, report, model }: Ctx): void {
    const logArchive = accounts.logArchive;
    const admin = role(logArchive, "Administrator");
    const breakGlass = breakGlassName ? role(logArchive, breakGlassName) : undefined;
    const buckets: Array<[string, string | undefined]> = [
        ["trail", o.trailBucketName],
        ["Config", o.configBucketName],
        ["ELB logs", o.elbLogsBucketName],
        ["access logs", o.accessLogsBucketName],
        ["application logs", o.applicationLogsBucketName],
    ];
    for (const [what, name] of buckets) {
        if (!name) {
            continue;
        }
        const bucket = `arn:${partition}:s3:::${name}`;
        const object = `${bucket}/AWSLogs/${logArchive}/2026/01/01/log.json.gz`;
        for (const [action, promise] of [
            ["s3:DeleteObject", `nobody deletes an archived ${what} object`],
            ["s3:DeleteObjectVersion", `nobody deletes an archived ${what} object version`],
            ["s3:PutObjectAcl", `nobody overwrites an archived ${what} object's ACL`],
            ["s3:PutObjectVersionAcl", `nobody overwrites an archived ${what} object version's ACL`],
            ["s3:PutObjectRetention", `nobody changes an archived ${what} object's retention`],
            ["s3:PutObjectLegalHold", `nobody changes an archived ${what} object's legal hold`],
            ["s3:BypassGovernanceRetention", `nobody bypasses governance retention on ${what} objects`],
        ]) {
            add(promise, admin, action, object, "Denied");
        }
        for (const action of [
            "s3:PutBucketPolicy",
            "s3:DeleteBucketPolicy",
            "s3:PutLifecycleConfiguration",
            "s3:PutBucketVersioning",
            "s3:PutBucketOwnershipControls",
            "s3:PutBucketObjectLockConfiguration",
            "s3:PutEncryptionConfiguration",
            "s3:PutBucketRequestPayment",
            "s3:DeleteBucket",
        ]) {
            add(`nobody changes the ${what} bucket (${action.slice(3)})`, admin, action, bucket, "Denied");
        }
        // A restore makes a temporary readable copy and changes no data: not the SCP's business.
        add(`a restore of an archived ${what} object is not denied`, admin, "s3:RestoreObject", object, "Allowed");
        if (breakGlass) {
            add(`break-glass may delete an archived ${what} object version`, breakGlass, "s3:DeleteObjectVersion", object, "Allowed");
            add(`break-glass may change the ${what} bucket policy`, breakGlass, "s3:PutBucketPolicy", bucket, "Allowed");
        }
    }
    const keys = report.resources.filter(
        (r) => r.type === "aws:kms/key:Key" && r.account === logArchive && /^log-archive-.*-key$/.test(r.name),
    );
    for (const key of keys) {
        const what = key.name
            .replace(/^log-archive-/, "")
            .replace(/-key$/, "")
            .replace(/-/g, " ");
        const arn = keyArn(model, key.name);
        if (!arn) {
            continue;
        }
        for (const action of [
            "kms:DisableKey",
            "kms:ScheduleKeyDeletion",
            "kms:DisableKeyRotation",
            "kms:PutKeyPolicy",
            "kms:CreateGrant",
        ]) {
            add(`nobody disables, deletes, re-policies or grants the ${what} key (${action.slice(4)})`, admin, action, arn, "Denied");
        }
        if (breakGlass) {
            add(`break-glass may re-policy the ${what} key`, breakGlass, "kms:PutKeyPolicy", arn, "Allowed");
        }
    }
    add(
        "nobody creates an access point in the log-archive account",
        admin,
        "s3:CreateAccessPoint",
        `arn:${partition}:s3:${region}:${logArchive}:accesspoint/side-door`,
        "Denied",
    );
    add(
        "nobody changes the log-archive account's public access block",
        admin,
        "s3:PutAccountPublicAccessBlock",
        "*",
        "Denied",
        undefined,
        logArchive,
    );
    if (breakGlass) {
        add("nobody tags the log-archive account's break-glass role", admin, "iam:TagRole", breakGlass, "Denied");
        add("nobody re-trusts the log-archive account's break-glass role", admin, "iam:UpdateAssumeRolePolicy", breakGlass, "Denied");
    }
}

/**
 * The organization trail and AWS Config in member accounts (SCPs on the organization root). A member
 * account acting as delegated CloudTrail administrator is the path to the organization trail.
 */
function trailAndConfigPromises({ partition, region, o, add, role, breakGlassName }: Ctx): void {
    const member = UNNAMED_ACCOUNT;
    const admin = role(member, "Administrator");
    if (o.trailArn) {
        for (const action of [
            "cloudtrail:StopLogging",
            "cloudtrail:DeleteTrail",
            "cloudtrail:UpdateTrail",
            "cloudtrail:PutEventSelectors",
        ]) {
            add(
                `no member account stops, deletes or updates the organization trail (${action.slice(11)})`,
                admin,
                action,
                o.trailArn,
                "Denied",
                undefined,
                member,
            );
        }
        if (breakGlassName) {
            add(
                "a member account's break-glass role may repair the organization trail",
                role(member, breakGlassName),
                "cloudtrail:UpdateTrail",
                o.trailArn,
                "Allowed",
                undefined,
                member,
            );
        }
        add(
            "a team's own trail stays the team's",
            admin,
            "cloudtrail:StopLogging",
            `arn:${partition}:cloudtrail:${region}:${member}:trail/team-trail`,
            "Allowed",
        );
    }
    const recorder = `arn:${partition}:config:${region}:${member}:configuration-recorder/default/abcdef`;
    add("no member account stops its Config recorder", admin, "config:StopConfigurationRecorder", recorder, "Denied");
    // DeleteDeliveryChannel takes no resource ARN.
    add("no member account deletes its Config delivery channel", admin, "config:DeleteDeliveryChannel", "*", "Denied", undefined, member);
    add(
        "the baseline StackSet (pipeline) may manage a member account's Config recorder",
        role(member, "stacksets-exec-0123456789abcdef"),
        "config:PutConfigurationRecorder",
        recorder,
        "Allowed",
    );
    if (breakGlassName) {
        add(
            "a member account's break-glass role may stop its Config recorder",
            role(member, breakGlassName),
            "config:StopConfigurationRecorder",
            recorder,
            "Allowed",
        );
    }
}

/** The collectors, their tag, deploy document, shell access, configuration and secrets. */
function collectionPromises({ partition, region, o, accounts, add, role, breakGlassName, organizationTrail, facts, model }: Ctx): void {
    const collection = accounts.collection;
    const environment: string | undefined = o.environment;
    if (!collection || !environment) {
        return;
    }
    const other = environment === "production" ? "integration" : "production";
    const instanceRoleArn = [...model.identity.keys()].find((k) =>
        k.startsWith(`arn:${partition}:iam::${collection}:role/collectors-instance-role`),
    );
    const publisher: string | undefined = o.collectorPublisherRoleArn;
    const bucket = o.collectorConfigBucketName ? `arn:${partition}:s3:::${o.collectorConfigBucketName}` : undefined;
    const secret = (env: string) =>
        `arn:${partition}:secretsmanager:${region}:${collection}:secret:log-collection/${env}/siem-token-AbCdEf`;
    if (instanceRoleArn && bucket) {
        add(
            "collectors read their environment's configuration",
            instanceRoleArn,
            "s3:GetObject",
            `${bucket}/configuration/${environment}/collector.yaml`,
            "Allowed",
        );
        add(
            "collectors cannot read another environment's configuration",
            instanceRoleArn,
            "s3:GetObject",
            `${bucket}/configuration/${other}/collector.yaml`,
            "Denied",
        );
        add(
            "collectors read their environment's secrets",
            instanceRoleArn,
            "secretsmanager:GetSecretValue",
            secret(environment),
            "Allowed",
        );
        add(
            "collectors cannot read another environment's secrets",
            instanceRoleArn,
            "secretsmanager:GetSecretValue",
            secret(other),
            "Denied",
        );
        if (o.collectorDeployTopicArn) {
            add(
                "collectors publish deploy results to the encrypted deploy topic",
                instanceRoleArn,
                "sns:Publish",
                o.collectorDeployTopicArn,
                "Allowed",
            );
        }
    }
    if (publisher) {
        add("the publisher cannot read the collectors' secrets", publisher, "secretsmanager:GetSecretValue", secret(environment), "Denied");
    }

    // Run Command: the deploy document to tagged collectors, by the publisher; nothing else.
    const deployDocument = o.collectorDeployDocumentName
        ? `arn:${partition}:ssm:${region}:${collection}:document/${o.collectorDeployDocumentName}`
        : undefined;
    // AWS's own documents have no account in their ARN; the simulator needs one, and the publisher's policy names its document exactly.
    const shellDocument = `arn:${partition}:ssm:${region}:${collection}:document/AWS-RunShellScript`;
    const instance = `arn:${partition}:ec2:${region}:${collection}:instance/i-0c011ec70r0000001`;
    const collectorTags = {
        "ssm:resourceTag/InstanceRole": "LogCollection",
        "ssm:resourceTag/environment": environment,
        "ec2:ResourceTag/InstanceRole": "LogCollection",
        "aws:ResourceTag/InstanceRole": "LogCollection",
    };
    const untagged = `arn:${partition}:ec2:${region}:${collection}:instance/i-0a11070000000002`;
    if (publisher && deployDocument) {
        add("the publisher sends the deploy document", publisher, "ssm:SendCommand", deployDocument, "Allowed");
        add(
            "the publisher sends commands to the environment's collectors",
            publisher,
            "ssm:SendCommand",
            instance,
            "Allowed",
            collectorTags,
        );
        add("the publisher cannot send AWS-RunShellScript", publisher, "ssm:SendCommand", shellDocument, "Denied");
        add("the publisher cannot send commands to untagged instances", publisher, "ssm:SendCommand", untagged, "Denied");
        add("the publisher cannot start a session on a collector", publisher, "ssm:StartSession", instance, "Denied", collectorTags);
        add("the publisher cannot change the collector tag", publisher, "ec2:CreateTags", untagged, "Denied", {
            "aws:TagKeys": ["InstanceRole"],
            "aws:RequestTag/InstanceRole": "LogCollection",
        });
    }
    // Production: the collection account's SCP keeps the rest for the pipeline and break-glass.
    if (organizationTrail) {
        const admin = role(collection, "Administrator");
        const pipeline = facts.collectionDeployerRoleArn ?? role(collection, "OrgLoggingDeployer");
        const tagRequest = { "aws:TagKeys": ["InstanceRole"], "aws:RequestTag/InstanceRole": "LogCollection" };
        add(
            "no administrator of the collection account tags an instance as a collector",
            admin,
            "ec2:CreateTags",
            untagged,
            "Denied",
            tagRequest,
        );
        add("no administrator of the collection account removes a collector's tag", admin, "ec2:DeleteTags", instance, "Denied", {
            ...collectorTags,
            "aws:TagKeys": ["InstanceRole"],
        });
        add(
            "no administrator of the collection account sends AWS-RunShellScript to a collector",
            admin,
            "ssm:SendCommand",
            instance,
            "Denied",
            collectorTags,
        );
        add(
            "no administrator of the collection account starts a session on a collector",
            admin,
            "ssm:StartSession",
            instance,
            "Denied",
            collectorTags,
        );
        add(
            "no administrator of the collection account pushes an SSH key to a collector",
            admin,
            "ec2-instance-connect:SendSSHPublicKey",
            instance,
            "Denied",
            collectorTags,
        );
        add(
            "an administrator of the collection account still runs commands on other instances",
            admin,
            "ssm:SendCommand",
            untagged,
            "Allowed",
        );
        if (deployDocument) {
            add(
                "no administrator of the collection account changes the deploy document",
                admin,
                "ssm:UpdateDocument",
                deployDocument,
                "Denied",
            );
        }
        if (publisher) {
            add(
                "no administrator of the collection account re-trusts the publisher role",
                admin,
                "iam:UpdateAssumeRolePolicy",
                publisher,
                "Denied",
            );
        }
        add("the pipeline's deployer tags the collectors it launches", pipeline, "ec2:CreateTags", untagged, "Allowed", tagRequest);
        if (deployDocument) {
            add("the pipeline's deployer updates the deploy document", pipeline, "ssm:UpdateDocument", deployDocument, "Allowed");
        }
        if (breakGlassName) {
            add(
                "the collection account's break-glass role may start a session on a collector",
                role(collection, breakGlassName),
                "ssm:StartSession",
                instance,
                "Allowed",
                collectorTags,
            );
        }
    }

    // Who may publish collector configuration: the configured CI system's pipeline of the branch.
    if (publisher && facts.configRepository) {
        const branch = environment === "production" ? "main" : environment;
        const gitlab = `arn:${partition}:iam::${collection}:oidc-provider/gitlab.com`;
        const github = `arn:${partition}:iam::${collection}:oidc-provider/token.actions.githubusercontent.com`;
        const gitlabClaims = {
            "gitlab.com:aud": "sts.amazonaws.com",
            "gitlab.com:sub": `project_path:${facts.configRepository}:ref_type:branch:ref:${branch}`,
        };
        const githubClaims = {
            "token.actions.githubusercontent.com:aud": "sts.amazonaws.com",
            "token.actions.githubusercontent.com:sub": `repo:${facts.configRepository}:ref:refs/heads/${branch}`,
        };
        const [ours, theirs] =
            facts.ciSystem === "github"
                ? ([
                      ["GitHub", github, githubClaims],
                      ["GitLab", gitlab, gitlabClaims],
                  ] as const)
                : ([
                      ["GitLab", gitlab, gitlabClaims],
                      ["GitHub", github, githubClaims],
                  ] as const);
        add(
            `the configuration repository's ${ours[0]} ${branch} pipeline may publish collector config`,
            ours[1],
            "sts:AssumeRoleWithWebIdentity",
            publisher,
            "Allowed",
            ours[2],
        );
        add(
            `${theirs[0]} cannot publish collector config (the organization's CI is ${ours[0]})`,
            theirs[1],
            "sts:AssumeRoleWithWebIdentity",
            publisher,
            "Denied",
            theirs[2],
        );
        add(`a feature branch cannot publish collector config`, ours[1], "sts:AssumeRoleWithWebIdentity", publisher, "Denied", {
            ...ours[2],
            [`${ours[0] === "GitLab" ? "gitlab.com" : "token.actions.githubusercontent.com"}:sub`]:
                ours[0] === "GitLab"
                    ? `project_path:${facts.configRepository}:ref_type:branch:ref:feature`
                    : `repo:${facts.configRepository}:ref:refs/heads/feature`,
        });
    }
}

/** Delivery into the archive and onto the encrypted topics. */
function deliveryPromises({ partition, region, o, accounts, add, organizationTrail, report, model }: Ctx): void {
    const management = accounts.management;
    const member = UNNAMED_ACCOUNT;
    if (o.trailArn && o.trailBucketName && o.organizationId) {
        const bucket = `arn:${partition}:s3:::${o.trailBucketName}`;
        add(
            organizationTrail ? "CloudTrail delivers a member account's logs" : "CloudTrail delivers the management account's logs",
            "cloudtrail.amazonaws.com",
            "s3:PutObject",
            organizationTrail
                ? `${bucket}/AWSLogs/${o.organizationId}/${member}/CloudTrail/${region}/2026/01/01/log.json.gz`
                : `${bucket}/AWSLogs/${management}/CloudTrail/${region}/2026/01/01/log.json.gz`,
            "Allowed",
            { "aws:SourceArn": o.trailArn, "aws:SourceAccount": management, "s3:x-amz-acl": "bucket-owner-full-control" },
        );
        add("CloudTrail checks the trail bucket's ACL", "cloudtrail.amazonaws.com", "s3:GetBucketAcl", bucket, "Allowed", {
            "aws:SourceArn": o.trailArn,
            "aws:SourceAccount": management,
        });
        add(
            "another trail cannot write into the trail bucket",
            "cloudtrail.amazonaws.com",
            "s3:PutObject",
            `${bucket}/AWSLogs/${o.organizationId}/${member}/x.json.gz`,
            "Denied",
            {
                "aws:SourceArn": `arn:${partition}:cloudtrail:${region}:999999999999:trail/other`,
                "aws:SourceAccount": "999999999999",
                "s3:x-amz-acl": "bucket-owner-full-control",
            },
        );
    }
    if (o.trailArn && o.trailKeyArn) {
        add("CloudTrail encrypts with the trail key", "cloudtrail.amazonaws.com", "kms:GenerateDataKey", o.trailKeyArn, "Allowed", {
            "aws:SourceArn": o.trailArn,
            "kms:EncryptionContext:aws:cloudtrail:arn": o.trailArn,
        });
        add("CloudTrail decrypts with the trail key (S3 Bucket Key)", "cloudtrail.amazonaws.com", "kms:Decrypt", o.trailKeyArn, "Allowed", {
            "aws:SourceArn": o.trailArn,
        });
    }
    const deliveryRole = [...roleArns(report, model)].find((arn) => /:role\/org-trail-delivery-role/.test(arn));
    if (deliveryRole) {
        // CloudTrail sends no aws:SourceArn or aws:SourceAccount when it assumes this role
        // (https://docs.aws.amazon.com/awscloudtrail/latest/userguide/cloudtrail-required-policy-for-cloudwatch-logs.html).
        add(
            "CloudTrail assumes the CloudWatch Logs delivery role (no source keys sent)",
            "cloudtrail.amazonaws.com",
            "sts:AssumeRole",
            deliveryRole,
            "Allowed",
        );
    }
    if (o.configBucketName && o.organizationId) {
        const bucket = `arn:${partition}:s3:::${o.configBucketName}`;
        const fromOrg = { "aws:SourceOrgID": o.organizationId, "aws:SourceAccount": member };
        add(
            "Config of an organization account no config names checks the Config bucket's ACL",
            "config.amazonaws.com",
            "s3:GetBucketAcl",
            bucket,
            "Allowed",
            fromOrg,
        );
        add(
            "Config of an organization account no config names delivers",
            "config.amazonaws.com",
            "s3:PutObject",
            `${bucket}/AWSLogs/${member}/Config/${region}/2026/1/1/ConfigSnapshot/x.json.gz`,
            "Allowed",
            {
                ...fromOrg,
                "s3:x-amz-acl": "bucket-owner-full-control",
            },
        );
        add(
            "Config of an account outside the organization cannot deliver",
            "config.amazonaws.com",
            "s3:PutObject",
            `${bucket}/AWSLogs/999999999999/Config/${region}/x.json.gz`,
            "Denied",
            {
                "aws:SourceOrgID": "o-zzzzzzzzzz",
                "aws:SourceAccount": "999999999999",
                "s3:x-amz-acl": "bucket-owner-full-control",
            },
        );
        add(
            "Config cannot write under another account's prefix",
            "config.amazonaws.com",
            "s3:PutObject",
            `${bucket}/AWSLogs/${OTHER_ACCOUNT}/Config/${region}/x.json.gz`,
            "Denied",
            {
                ...fromOrg,
                "s3:x-amz-acl": "bucket-owner-full-control",
            },
        );
        const configKey = keyArn(model, "log-archive-config-key");
        if (configKey) {
            add(
                "Config of an organization account no config names encrypts with the Config key",
                "config.amazonaws.com",
                "kms:GenerateDataKey",
                configKey,
                "Allowed",
                fromOrg,
            );
        }
    }
    if (o.elbLogsBucketName && o.organizationId) {
        add(
            "ELB delivers a member account's access logs",
            "logdelivery.elasticloadbalancing.amazonaws.com",
            "s3:PutObject",
            `arn:${partition}:s3:::${o.elbLogsBucketName}/AWSLogs/${member}/elasticloadbalancing/${region}/2026/01/01/x.log.gz`,
            "Allowed",
            { "aws:SourceOrgID": o.organizationId, "aws:SourceAccount": member },
        );
    }
    if (o.applicationLogsBucketName && o.organizationId) {
        // Firehose of a workload account writes as the FireLens service's role of that account.
        const firehose = `arn:${partition}:iam::${member}:role/firelens-payments-firehose`;
        const bucket = `arn:${partition}:s3:::${o.applicationLogsBucketName}`;
        const own = `${bucket}/firelens/${member}/payments/year=2026/month=01/day=01/part-0001.gz`;
        const acl = { "s3:x-amz-acl": "bucket-owner-full-control" };
        add("Firehose of a member account writes under its FireLens prefix", firehose, "s3:PutObject", own, "Allowed", acl);
        add("Firehose of a member account uploads parts (no ACL header)", firehose, "s3:PutObject", own, "Allowed");
        add("Firehose of a member account sets the owner ACL", firehose, "s3:PutObjectAcl", own, "Allowed", acl);
        add("Firehose of a member account reads back its own objects", firehose, "s3:GetObject", own, "Allowed");
        add("Firehose of a member account lists the bucket", firehose, "s3:ListBucket", bucket, "Allowed");
        add(
            "nobody writes under another account's FireLens prefix",
            firehose,
            "s3:PutObject",
            `${bucket}/firelens/${OTHER_ACCOUNT}/payments/year=2026/month=01/day=01/forged.gz`,
            "Denied",
            acl,
        );
        add(
            "a role not named firelens-* cannot write application logs",
            `arn:${partition}:iam::${member}:role/Administrator`,
            "s3:PutObject",
            own,
            "Denied",
            acl,
        );
        if (o.applicationLogsKeyArn) {
            add(
                "Firehose of a member account encrypts with the application-logs key through S3",
                firehose,
                "kms:GenerateDataKey",
                o.applicationLogsKeyArn,
                "Allowed",
                {
                    "kms:ViaService": `s3.${region}.amazonaws.com`,
                },
            );
        }
    }
    if (o.alarmTopicArn && management) {
        const alarm = {
            "aws:SourceArn": `arn:${partition}:cloudwatch:${region}:${management}:alarm:org-trail-cloudtrail-changes`,
            "aws:SourceAccount": management,
        };
        add("CloudWatch alarms publish to the alarm topic", "cloudwatch.amazonaws.com", "sns:Publish", o.alarmTopicArn, "Allowed", alarm);
        const topicKey = topicKeyArn(report, model, o.alarmTopicArn);
        if (topicKey) {
            add(
                "CloudWatch alarms encrypt with the alarm topic's key",
                "cloudwatch.amazonaws.com",
                "kms:GenerateDataKey",
                topicKey,
                "Allowed",
                alarm,
            );
        }
        add(
            "another account's alarms cannot publish to the alarm topic",
            "cloudwatch.amazonaws.com",
            "sns:Publish",
            o.alarmTopicArn,
            "Denied",
            {
                "aws:SourceArn": `arn:${partition}:cloudwatch:${region}:999999999999:alarm:x`,
                "aws:SourceAccount": "999999999999",
            },
        );
    }
    const compliance = report.resources.find(
        (r) => r.type === "aws:sns/topicPolicy:TopicPolicy" && /compliance-topic-policy$/.test(r.name),
    );
    const rule = report.resources.find((r) => r.type === "aws:cloudwatch/eventRule:EventRule" && /non-compliant$/.test(r.name));
    if (compliance && rule) {
        const topicArn = String((compliance.inputs as any).arn);
        const ruleArn = arnOf(model, rule.name);
        const context = ruleArn ? { "aws:SourceArn": ruleArn, "aws:SourceAccount": rule.account ?? "" } : undefined;
        add(
            "EventBridge publishes compliance changes to the compliance topic",
            "events.amazonaws.com",
            "sns:Publish",
            topicArn,
            "Allowed",
            context,
        );
        const topicKey = topicKeyArn(report, model, topicArn);
        if (topicKey) {
            add(
                "EventBridge encrypts with the compliance topic's key",
                "events.amazonaws.com",
                "kms:GenerateDataKey",
                topicKey,
                "Allowed",
                context,
            );
        }
    }
}

/** Investigators read and decrypt through S3 only; the preview role reads configuration, never data. */
function readerPromises({ partition, region, o, accounts, add, role }: Ctx): void {
    const management = accounts.management;
    if (o.investigatorRoleArn && o.trailBucketName) {
        const object = `arn:${partition}:s3:::${o.trailBucketName}/AWSLogs/${o.organizationId ?? management}/${management}/CloudTrail/${region}/2026/01/01/log.json.gz`;
        add("the investigator reads archived trail logs", o.investigatorRoleArn, "s3:GetObject", object, "Allowed");
        add("the investigator deletes nothing", o.investigatorRoleArn, "s3:DeleteObject", object, "Denied");
        add(
            "the investigator changes no bucket policy",
            o.investigatorRoleArn,
            "s3:PutBucketPolicy",
            `arn:${partition}:s3:::${o.trailBucketName}`,
            "Denied",
        );
        if (o.trailKeyArn && o.trailArn) {
            add("the investigator decrypts trail logs through S3", o.investigatorRoleArn, "kms:Decrypt", o.trailKeyArn, "Allowed", {
                "kms:ViaService": `s3.${region}.amazonaws.com`,
                "kms:EncryptionContext:aws:cloudtrail:arn": o.trailArn,
            });
            add("the investigator cannot decrypt trail logs outside S3", o.investigatorRoleArn, "kms:Decrypt", o.trailKeyArn, "Denied", {
                "kms:EncryptionContext:aws:cloudtrail:arn": o.trailArn,
            });
        }
    }

    // The read-only preview role that merge request code runs with, in each core account.
    const logArchive = accounts.logArchive;
    const collection = accounts.collection;
    if (logArchive && o.trailBucketName) {
        const preview = role(logArchive, PREVIEW_ROLE_NAME);
        const logGroup = `arn:${partition}:logs:${region}:${logArchive}:log-group:/aws/app/payments`;
        add(
            "the preview role reads bucket configuration",
            preview,
            "s3:GetBucketPolicy",
            `arn:${partition}:s3:::${o.trailBucketName}`,
            "Allowed",
        );
        add("the preview role reads role configuration", preview, "iam:GetRole", role(logArchive, "Administrator"), "Allowed");
        add("the preview role describes the trails", preview, "cloudtrail:DescribeTrails", "*", "Allowed", undefined, logArchive);
        add(
            "the preview role reads no archived object",
            preview,
            "s3:GetObject",
            `arn:${partition}:s3:::${o.trailBucketName}/AWSLogs/${management}/x.json.gz`,
            "Denied",
        );
        for (const action of ["logs:StartLiveTail", "logs:GetLogRecord", "logs:GetLogEvents", "logs:FilterLogEvents", "logs:StartQuery"]) {
            add(
                `the preview role reads no log events (${action.slice(5)})`,
                preview,
                action,
                action === "logs:GetLogRecord" ? "*" : `${logGroup}:*`,
                "Denied",
                undefined,
                logArchive,
            );
        }
        add(
            "the preview role reads no parameter history",
            preview,
            "ssm:GetParameterHistory",
            `arn:${partition}:ssm:${region}:${logArchive}:parameter/app/db-password`,
            "Denied",
        );
        add(
            "the preview role reads no account parameter",
            preview,
            "ssm:GetParameter",
            `arn:${partition}:ssm:${region}:${logArchive}:parameter/app/db-password`,
            "Denied",
        );
        add(
            "the preview role downloads no function code",
            preview,
            "lambda:GetFunction",
            `arn:${partition}:lambda:${region}:${logArchive}:function:any`,
            "Denied",
        );
        add(
            "the preview role runs no PartiQL select",
            preview,
            "dynamodb:PartiQLSelect",
            `arn:${partition}:dynamodb:${region}:${logArchive}:table/any`,
            "Denied",
        );
        add(
            "the preview role decrypts nothing",
            preview,
            "kms:Decrypt",
            o.trailKeyArn ?? `arn:${partition}:kms:${region}:${logArchive}:key/any`,
            "Denied",
        );
    }
    if (collection) {
        const preview = role(collection, PREVIEW_ROLE_NAME);
        add(
            "the preview role reads no secret value",
            preview,
            "secretsmanager:GetSecretValue",
            `arn:${partition}:secretsmanager:${region}:${collection}:secret:log-collection/${o.environment}/siem-token-AbCdEf`,
            "Denied",
        );
        add("the preview role reads no command output", preview, "ssm:GetCommandInvocation", "*", "Denied", undefined, collection);
        if (o.collectorConfigBucketName) {
            add(
                "the preview role reads no collector configuration object",
                preview,
                "s3:GetObject",
                `arn:${partition}:s3:::${o.collectorConfigBucketName}/configuration/${o.environment}/secrets.conf`,
                "Denied",
            );
        }
    }
}

/** The ARNs of every role of the plan (from the fabricated state, as the model keys them). */
function roleArns(report: PlanReport, model: PolicyModel): string[] {
    return report.resources
        .filter((r) => r.type === "aws:iam/role:Role")
        .map((r) => arnOf(model, r.name))
        .filter((a): a is string => a !== undefined);
}

/** A resource's ARN as the mock fabricates it (the same ARN other resources' inputs carry). */
function arnOf(model: PolicyModel, name: string): string | undefined {
    return model.arnByName.get(name);
}

function keyArn(model: PolicyModel, name: string): string | undefined {
    return arnOf(model, name);
}

/** The ARN of the key a topic is encrypted with (`kmsMasterKeyId` is a key ARN or id). */
function topicKeyArn(report: PlanReport, model: PolicyModel, topicArn: string): string | undefined {
    const topic = report.resources.find((r) => r.type === "aws:sns/topic:Topic" && arnOf(model, r.name) === topicArn);
    const key = String((topic?.inputs as any)?.kmsMasterKeyId ?? "");
    const keys = report.resources.filter((r) => r.type === "aws:kms/key:Key").map((r) => arnOf(model, r.name) ?? "");
    return keys.find((arn) => arn === key || arn.endsWith(`/${key}`));
}
