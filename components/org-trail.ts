import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import type { ArchiveDestination } from "./internal/archive-destination";
import { arnProblems, assertNoProblems, logRetentionProblem, SCP_TARGET_ID, WithDefaults } from "./internal/validation";
import { CIS_METRIC_FILTERS, roleAssumedPattern } from "./policies/cis-metric-filters";
import { trailProtectionScp } from "./policies/scps";
import { trailArgsProblems } from "./policies/trail-bucket-policy";
import {
    alarmKeyPolicy,
    alarmTopicPolicy,
    logGroupArn,
    logGroupKeyPolicy,
    trailDeliveryRolePolicy,
    trailDeliveryTrustPolicy,
} from "./policies/trail-monitoring-policies";

export interface OrgTrailArgs {
    /**
     * Physical name of the trail. The archive's bucket and key policies admit exactly this trail
     * (`aws:SourceArn`), so it is fixed rather than auto-named. Plain: validated at construction.
     */
    readonly trailName: string;
    /**
     * `organization` creates the organization trail (every account of the organization);
     * `account` a trail of this account only, for sandboxes. Plain: decides the trail's scope.
     * @default "organization"
     */
    readonly trailMode?: "organization" | "account";
    /**
     * The archive bucket and key the trail delivers into (`LogArchiveAccount.trailDestination`); the
     * trail waits for its `ready` resources, since CloudTrail checks the bucket and key policies when
     * the trail is created or changed.
     */
    readonly destination: ArchiveDestination;
    /** E-mail address subscribed to the alarm topic (the subscriber must confirm it). */
    readonly alarmEmail: pulumi.Input<string>;
    /**
     * Days CloudWatch Logs keeps the trail's events (one of the values CloudWatch Logs accepts).
     * The archive bucket keeps the authoritative copy for longer. Plain: validated at construction.
     * @default 365
     */
    readonly logGroupRetentionDays?: number;
    /**
     * CloudWatch namespace of the CIS metrics.
     * @default "CISBenchmark"
     */
    readonly metricNamespace?: string;
    /**
     * Creates the SCP that denies stopping, deleting or re-configuring trails (and event data stores)
     * to everyone but `breakGlassPrincipalArns`, and attaches it to `scpTargetIds`. The provider must be
     * the management account's. Plain: decides whether the SCP exists.
     * @default false
     */
    readonly protectWithScp?: boolean;
    /**
     * Principals exempt from the SCP (`ArnNotLike aws:PrincipalARN`). Required with `protectWithScp`.
     * @default []
     */
    readonly breakGlassPrincipalArns?: string[];
    /**
     * Roots, organizational units or accounts the SCP is attached to. Plain list: one attachment each.
     * @default - the organization's root, so every member account (and any delegated CloudTrail administrator) is covered
     */
    readonly scpTargetIds?: string[];
    /**
     * Roles whose every assumption (`AssumeRole`, console `SwitchRole`) raises the
     * `break-glass-role-assumed` alarm: the break-glass roles. Plain: decides whether the filter exists.
     * @default [] (no such alarm)
     */
    readonly alarmOnAssumeRoleArns?: string[];
}

export { LOG_RETENTION_DAYS } from "./internal/validation";

/** OrgTrailArgs with every default applied, as the component uses them. */
export type ResolvedOrgTrailArgs = WithDefaults<
    OrgTrailArgs,
    "breakGlassPrincipalArns" | "alarmOnAssumeRoleArns" | "scpTargetIds" | "trailMode" | "metricNamespace" | "logGroupRetentionDays"
>;

/**
 * Applies the defaults of the Args (each once) and checks them; throws one `pulumi.ResourceError`
 * listing every problem, one per line (at `parent`, the component, when given).
 */
export function resolveOrgTrailArgs(args: OrgTrailArgs, parent?: pulumi.Resource): ResolvedOrgTrailArgs {
    const resolved: ResolvedOrgTrailArgs = {
        ...args,
        breakGlassPrincipalArns: args.breakGlassPrincipalArns ?? [],
        alarmOnAssumeRoleArns: args.alarmOnAssumeRoleArns ?? [],
        scpTargetIds: args.scpTargetIds ?? [],
        trailMode: args.trailMode ?? "organization",
        metricNamespace: args.metricNamespace ?? "CISBenchmark",
        logGroupRetentionDays: args.logGroupRetentionDays ?? 365,
    };
    const problems = trailArgsProblems(args.trailName, resolved.trailMode);
    const retentionProblem = logRetentionProblem("logGroupRetentionDays", resolved.logGroupRetentionDays);
    if (retentionProblem) {
        problems.push(retentionProblem);
    }
    if (args.metricNamespace !== undefined && !/^[^:$][^$]{0,254}$/.test(args.metricNamespace)) {
        problems.push(
            `\`metricNamespace\` ("${args.metricNamespace}") is not a CloudWatch namespace. Use 1-255 characters without "$", not starting with ":"`,
        );
    }
    if (args.protectWithScp && (!args.breakGlassPrincipalArns || args.breakGlassPrincipalArns.length === 0)) {
        problems.push("`breakGlassPrincipalArns` ([]) is required with `protectWithScp`. Name the role that may still repair a trail");
    }
    problems.push(
        ...arnProblems(
            "breakGlassPrincipalArns",
            resolved.breakGlassPrincipalArns,
            "principal",
            "Name a role such as arn:aws:iam::111111111111:role/BreakGlass",
        ),
    );
    problems.push(
        ...arnProblems(
            "alarmOnAssumeRoleArns",
            resolved.alarmOnAssumeRoleArns,
            "role",
            "Name a role such as arn:aws:iam::111111111111:role/BreakGlass",
        ),
    );
    for (const target of resolved.scpTargetIds) {
        if (!SCP_TARGET_ID.test(target)) {
            problems.push(
                `\`scpTargetIds\` ("${target}") is not an organization root, OU or account id. Use r-..., ou-...-... or a 12-digit account id`,
            );
        }
    }
    assertNoProblems("OrgTrail", problems, parent);
    return resolved;
}

/**
 * The trail of the organization (or, for sandboxes, of the account) that delivers into the log
 * archive, with CloudWatch Logs delivery, the CIS AWS Foundations monitoring alarms and an optional
 * SCP that keeps trails running. Lives in the management account: pass its provider in `opts.provider`.
 */
export class OrgTrail extends pulumi.ComponentResource {
    public readonly trail: aws.cloudtrail.Trail;
    /** The log group the trail also delivers into, which the metric filters read. */
    public readonly logGroup: aws.cloudwatch.LogGroup;
    /** The customer managed key of the log group. */
    public readonly logGroupKey: aws.kms.Key;
    /** The role CloudTrail assumes to deliver into the log group. */
    public readonly deliveryRole: aws.iam.Role;
    /** The encrypted SNS topic every alarm notifies. */
    public readonly alarmTopic: aws.sns.Topic;
    /** The customer managed key of the alarm topic. */
    public readonly alarmTopicKey: aws.kms.Key;
    /** Metric filters keyed by their id (`root-account-usage`, ...). */
    public readonly metricFilters: Record<string, aws.cloudwatch.LogMetricFilter>;
    /** Alarms keyed like the metric filters, plus `trail-delivery-stopped` (no events for an hour). */
    public readonly alarms: Record<string, aws.cloudwatch.MetricAlarm>;
    /** The SCP that protects trails, when `protectWithScp` is set. */
    public readonly trailScp?: aws.organizations.Policy;
    /** Its attachments keyed by target id, when `protectWithScp` is set. */
    public readonly trailScpAttachments?: Record<string, aws.organizations.PolicyAttachment>;

    constructor(name: string, args: OrgTrailArgs, opts?: pulumi.ComponentResourceOptions) {
        super("orglog:index:OrgTrail", name, {}, opts);
        const resolved = resolveOrgTrailArgs(args, this);
        const trailMode = resolved.trailMode;
        const namespace = resolved.metricNamespace;
        const logGroupName = `/org-logging/cloudtrail/${args.trailName}`;

        const partition = aws.getPartitionOutput({}, { parent: this }).partition;
        const accountId = aws.getCallerIdentityOutput({}, { parent: this }).accountId;
        const region = aws.getRegionOutput({}, { parent: this }).region;
        const groupArn = pulumi
            .all([partition, region, accountId])
            .apply(([p, r, a]) => logGroupArn({ partition: p, region: r, accountId: a, logGroupName }));

        this.logGroupKey = new aws.kms.Key(
            `${name}-log-group-key`,
            {
                description: "Encrypts the trail's events in CloudWatch Logs",
                enableKeyRotation: true,
                deletionWindowInDays: 30,
                policy: pulumi
                    .all([partition, region, accountId])
                    .apply(([p, r, a]) => JSON.stringify(logGroupKeyPolicy({ partition: p, region: r, accountId: a, logGroupName }))),
            },
            { parent: this },
        );
        this.logGroup = new aws.cloudwatch.LogGroup(
            `${name}-log-group`,
            {
                // Fixed: the key policy above names this log group in its encryption-context condition.
                name: logGroupName,
                retentionInDays: resolved.logGroupRetentionDays,
                kmsKeyId: this.logGroupKey.arn,
                deletionProtectionEnabled: true,
            },
            { parent: this },
        );
        this.deliveryRole = new aws.iam.Role(
            `${name}-delivery-role`,
            {
                description: "Assumed by CloudTrail to deliver the trail's events into CloudWatch Logs",
                assumeRolePolicy: JSON.stringify(trailDeliveryTrustPolicy()),
            },
            { parent: this },
        );
        const deliveryPolicy = new aws.iam.RolePolicy(
            `${name}-delivery-role-policy`,
            {
                role: this.deliveryRole.name,
                policy: groupArn.apply((group) => JSON.stringify(trailDeliveryRolePolicy({ logGroupArn: group }))),
            },
            { parent: this },
        );

        this.trail = new aws.cloudtrail.Trail(
            `${name}-trail`,
            {
                name: args.trailName,
                s3BucketName: args.destination.bucketName,
                kmsKeyId: args.destination.kmsKeyArn,
                isOrganizationTrail: trailMode === "organization",
                isMultiRegionTrail: true,
                includeGlobalServiceEvents: true,
                enableLogFileValidation: true,
                enableLogging: true,
                // CloudTrail wants the log group ARN with the `:*` stream wildcard.
                cloudWatchLogsGroupArn: pulumi.interpolate`${this.logGroup.arn}:*`,
                cloudWatchLogsRoleArn: this.deliveryRole.arn,
            },
            {
                parent: this,
                // CloudTrail validates the bucket policy, the key policy and the delivery role when the trail is created.
                dependsOn: [...(args.destination.ready ?? []), deliveryPolicy],
            },
        );

        this.alarmTopicKey = new aws.kms.Key(
            `${name}-alarm-topic-key`,
            {
                description: "Encrypts the CIS alarm notifications of the trail",
                enableKeyRotation: true,
                deletionWindowInDays: 30,
                policy: pulumi
                    .all([partition, accountId])
                    .apply(([p, a]) => JSON.stringify(alarmKeyPolicy({ partition: p, accountId: a }))),
            },
            { parent: this },
        );
        this.alarmTopic = new aws.sns.Topic(`${name}-alarm-topic`, { kmsMasterKeyId: this.alarmTopicKey.arn }, { parent: this });
        new aws.sns.TopicPolicy(
            `${name}-alarm-topic-policy`,
            {
                arn: this.alarmTopic.arn,
                policy: pulumi
                    .all([this.alarmTopic.arn, partition, region, accountId])
                    .apply(([topicArn, p, r, a]) => JSON.stringify(alarmTopicPolicy({ topicArn, partition: p, region: r, accountId: a }))),
            },
            { parent: this },
        );
        new aws.sns.TopicSubscription(
            `${name}-alarm-email`,
            { topic: this.alarmTopic.arn, protocol: "email", endpoint: args.alarmEmail },
            { parent: this },
        );

        this.metricFilters = {};
        this.alarms = {};
        for (const filter of CIS_METRIC_FILTERS) {
            const metricName = filter.id
                .split("-")
                .map((part) => part[0].toUpperCase() + part.slice(1))
                .join("");
            this.metricFilters[filter.id] = new aws.cloudwatch.LogMetricFilter(
                `${name}-${filter.id}-filter`,
                {
                    logGroupName: this.logGroup.name,
                    pattern: filter.pattern,
                    metricTransformation: { name: metricName, namespace, value: "1" },
                },
                { parent: this },
            );
            this.alarms[filter.id] = new aws.cloudwatch.MetricAlarm(
                `${name}-${filter.id}-alarm`,
                {
                    alarmDescription:
                        filter.control === "field" ? filter.description : `CIS AWS Foundations ${filter.control}: ${filter.description}`,
                    namespace,
                    metricName,
                    statistic: "Sum",
                    period: 300,
                    evaluationPeriods: 1,
                    threshold: 1,
                    comparisonOperator: "GreaterThanOrEqualToThreshold",
                    // No events means nothing happened, not that the alarm is broken.
                    treatMissingData: "notBreaching",
                    alarmActions: [this.alarmTopic.arn],
                },
                // The metric exists only once its filter does.
                { parent: this, dependsOn: [this.metricFilters[filter.id]] },
            );
        }

        const assumedRoles = resolved.alarmOnAssumeRoleArns;
        if (assumedRoles.length > 0) {
            const id = "break-glass-role-assumed";
            this.metricFilters[id] = new aws.cloudwatch.LogMetricFilter(
                `${name}-${id}-filter`,
                {
                    logGroupName: this.logGroup.name,
                    pattern: roleAssumedPattern(assumedRoles),
                    metricTransformation: { name: "BreakGlassRoleAssumed", namespace, value: "1" },
                },
                { parent: this },
            );
            this.alarms[id] = new aws.cloudwatch.MetricAlarm(
                `${name}-${id}-alarm`,
                {
                    alarmDescription: `A break-glass role was assumed (or an assumption was attempted): ${assumedRoles.join(", ")}. Find the session with the break-glass-activity query.`,
                    namespace,
                    metricName: "BreakGlassRoleAssumed",
                    statistic: "Sum",
                    period: 300,
                    evaluationPeriods: 1,
                    threshold: 1,
                    comparisonOperator: "GreaterThanOrEqualToThreshold",
                    // No events means nobody used the role.
                    treatMissingData: "notBreaching",
                    alarmActions: [this.alarmTopic.arn],
                },
                // The metric exists only once its filter does.
                { parent: this, dependsOn: [this.metricFilters[id]] },
            );
        }
        // CloudWatch Logs publishes IncomingLogEvents per log group only while events arrive, so a
        // trail that stops delivering leaves the metric missing: missing data must breach.
        this.alarms["trail-delivery-stopped"] = new aws.cloudwatch.MetricAlarm(
            `${name}-trail-delivery-stopped-alarm`,
            {
                alarmDescription: `The trail "${args.trailName}" delivered no events into its log group for an hour: it may be stopped, re-configured or failing to deliver.`,
                namespace: "AWS/Logs",
                metricName: "IncomingLogEvents",
                dimensions: { LogGroupName: this.logGroup.name },
                statistic: "Sum",
                period: 3600,
                evaluationPeriods: 1,
                threshold: 1,
                comparisonOperator: "LessThanThreshold",
                treatMissingData: "breaching",
                alarmActions: [this.alarmTopic.arn],
                okActions: [this.alarmTopic.arn],
            },
            { parent: this },
        );

        if (args.protectWithScp) {
            this.trailScp = new aws.organizations.Policy(
                `${name}-scp`,
                {
                    type: "SERVICE_CONTROL_POLICY",
                    description: "org-logging: nobody but break-glass may stop, delete or re-configure a trail",
                    content: this.trail.arn.apply((trailArn) =>
                        JSON.stringify(trailProtectionScp({ trailArn, breakGlassPrincipalArns: resolved.breakGlassPrincipalArns })),
                    ),
                },
                { parent: this },
            );
            const targets: Array<[string, pulumi.Input<string>]> = args.scpTargetIds
                ? args.scpTargetIds.map((id) => [id, id])
                : [["root", aws.organizations.getOrganizationOutput({}, { parent: this }).roots.apply((roots) => roots[0].id)]];
            this.trailScpAttachments = {};
            for (const [key, targetId] of targets) {
                this.trailScpAttachments[key] = new aws.organizations.PolicyAttachment(
                    `${name}-scp-attachment-${key}`,
                    { policyId: this.trailScp.id, targetId },
                    { parent: this },
                );
            }
        }

        this.registerOutputs({
            trail: this.trail,
            logGroup: this.logGroup,
            logGroupKey: this.logGroupKey,
            deliveryRole: this.deliveryRole,
            alarmTopic: this.alarmTopic,
            alarmTopicKey: this.alarmTopicKey,
            metricFilters: this.metricFilters,
            alarms: this.alarms,
            trailScp: this.trailScp,
            trailScpAttachments: this.trailScpAttachments,
        });
    }
}
