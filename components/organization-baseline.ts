import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import type { ArchiveDestination } from "./internal/archive-destination";
import { assertNoProblems, WithDefaults } from "./internal/validation";
import { baselineTemplate, baselineTemplateParameters } from "./internal/baseline-template";
import { NON_COMPLIANT_EVENT_PATTERN, complianceKeyPolicy, complianceTopicPolicy } from "./policies/baseline-policies";
import { baselineProtectionScp } from "./policies/baseline-scp";

export interface OrganizationBaselineArgs {
    /** The organization (`o-...`): the findings bus admits events from its accounts only. */
    readonly organizationId: string;
    /**
     * Organizational units (or the root, `r-...`) whose accounts, present and future, get the baseline.
     * Plain: one stack instance resource per unit and region.
     * @default - the organization root, looked up through the management provider
     */
    readonly organizationalUnitIds?: string[];
    /** Regions of the stack instances; must include `homeRegion`. Plain. */
    readonly regions: string[];
    /** The home region: global resource types are recorded there only, and the findings bus lives there. */
    readonly homeRegion: string;
    /** `create`: the StackSet creates the recorder and delivery channel; `existing`: another tool (Control Tower) owns them. */
    readonly configRecorder: "create" | "existing";
    /**
     * The central config bucket and key the delivery channels write into
     * (`LogArchiveAccount.configDestination`); the stack instances wait for its `ready` resources,
     * since a delivery channel can only be created once the bucket and key policies admit Config.
     */
    readonly configDestination: ArchiveDestination;
    /** Provider of the management account (StackSet, trusted access, delegated administrators, SCP). */
    readonly managementProvider: aws.Provider;
    /**
     * Provider of Config's delegated administrator (organization rules, aggregator, findings bus, alert
     * topic). With `delegatedAdministratorAccountId` unset it is the management provider.
     */
    readonly administratorProvider: aws.Provider;
    /** The audit account registered as Config's delegated administrator. @default - the management account administers Config */
    readonly delegatedAdministratorAccountId?: string;
    /** Maximum age of active access keys before `ACCESS_KEYS_ROTATED` reports them. Plain. @default 90 */
    readonly accessKeyMaxAgeDays?: number;
    /** E-mail address subscribed to the compliance alert topic. */
    readonly notificationEmail?: pulumi.Input<string>;
    /** Attach the baseline SCP to the organizational units. Plain. @default false */
    readonly protectWithScp?: boolean;
    /** Name of the break-glass role (present in every member account); the SCP's exception. */
    readonly breakGlassRoleName?: string;
    /** Extra resources the stack instances wait for (for example resources they replace). */
    readonly instanceDependencies?: pulumi.Input<pulumi.Resource>[];
}

/** One AWS managed Config rule of the baseline, deployed as an organization rule. */
export interface BaselineRule {
    /** Stable key: the resource name and the rule name (`org-logging-<id>`) derive from it. */
    id: string;
    sourceIdentifier: string;
    inputParameters?: Record<string, string>;
}

/**
 * The organization Config rules of the baseline. EBS encryption by default and the account public
 * access block are rules of the StackSet template instead, where their automatic remediation lives.
 */
export function baselineRules(accessKeyMaxAgeDays: number): BaselineRule[] {
    return [
        {
            id: "access-keys-rotated",
            sourceIdentifier: "ACCESS_KEYS_ROTATED",
            inputParameters: { maxAccessKeyAge: String(accessKeyMaxAgeDays) },
        },
        { id: "cloudtrail-enabled", sourceIdentifier: "CLOUD_TRAIL_ENABLED" },
        { id: "restricted-ssh", sourceIdentifier: "INCOMING_SSH_DISABLED" },
        { id: "encrypted-volumes", sourceIdentifier: "ENCRYPTED_VOLUMES" },
        { id: "s3-bucket-public-read-prohibited", sourceIdentifier: "S3_BUCKET_PUBLIC_READ_PROHIBITED" },
        { id: "s3-bucket-public-write-prohibited", sourceIdentifier: "S3_BUCKET_PUBLIC_WRITE_PROHIBITED" },
        { id: "s3-bucket-ssl-requests-only", sourceIdentifier: "S3_BUCKET_SSL_REQUESTS_ONLY" },
        { id: "iam-user-mfa-enabled", sourceIdentifier: "IAM_USER_MFA_ENABLED" },
        { id: "root-account-mfa-enabled", sourceIdentifier: "ROOT_ACCOUNT_MFA_ENABLED" },
        { id: "iam-root-access-key-check", sourceIdentifier: "IAM_ROOT_ACCESS_KEY_CHECK" },
    ];
}

/** Service principals whose trusted access organization Config needs. */
export const CONFIG_SERVICE_PRINCIPALS = ["config.amazonaws.com", "config-multiaccountsetup.amazonaws.com"] as const;

/** Name of the StackSet (management account). */
export const BASELINE_STACKSET_NAME = "org-logging-baseline";

/** OrganizationBaselineArgs with every default applied, as the component uses them. */
export type ResolvedOrganizationBaselineArgs = WithDefaults<OrganizationBaselineArgs, "instanceDependencies" | "accessKeyMaxAgeDays">;

/**
 * Applies the defaults of the Args (each once) and checks them; throws one `pulumi.ResourceError`
 * listing every problem, one per line (at `parent`, the component, when given).
 */
export function resolveOrganizationBaselineArgs(
    args: OrganizationBaselineArgs,
    parent?: pulumi.Resource,
): ResolvedOrganizationBaselineArgs {
    const resolved: ResolvedOrganizationBaselineArgs = {
        ...args,
        instanceDependencies: args.instanceDependencies ?? [],
        accessKeyMaxAgeDays: args.accessKeyMaxAgeDays ?? 90,
    };
    const problems: string[] = [];
    const age = args.accessKeyMaxAgeDays;
    if (age !== undefined && (!Number.isInteger(age) || age < 1 || age > 365)) {
        problems.push(`\`accessKeyMaxAgeDays\` (${age}) is not a whole number of days between 1 and 365; 90 is the CIS benchmark's`);
    }
    if (args.regions.length === 0 || !args.regions.includes(args.homeRegion)) {
        problems.push(
            `\`regions\` (${JSON.stringify(args.regions)}) does not include the home region ${args.homeRegion}, which records the global resource types`,
        );
    }
    if (new Set(args.regions).size !== args.regions.length) {
        problems.push(`\`regions\` (${JSON.stringify(args.regions)}) lists a region twice`);
    }
    if (args.organizationalUnitIds !== undefined && args.organizationalUnitIds.length === 0) {
        problems.push("`organizationalUnitIds` is empty; leave it unset for the organization root");
    }
    if (args.protectWithScp && !args.breakGlassRoleName) {
        problems.push("`protectWithScp` needs `breakGlassRoleName`, the SCP's exception");
    }
    assertNoProblems("OrganizationBaseline", problems, parent);
    return resolved;
}

/**
 * The security baseline of every account of the given organizational units, present and future, in
 * every given region, built on AWS's own engines:
 * - a service-managed CloudFormation StackSet (management account) with automatic deployment: the
 *   Config recorder and delivery channel into the central config bucket, Config rules with automatic
 *   remediation (SSM Automation) for the S3 account public access block and EBS encryption by default,
 *   and an EventBridge rule forwarding compliance changes to the findings bus;
 * - organization Config from the delegated administrator: organization managed rules, an
 *   organization aggregator, the findings bus and one encrypted alert topic;
 * - optionally, an SCP on the units that keeps all of this running.
 */
export class OrganizationBaseline extends pulumi.ComponentResource {
    public readonly stackSet: aws.cloudformation.StackSet;
    /** Stack instances keyed by `<unit id>-<region>`. */
    public readonly stackSetInstances: Record<string, aws.cloudformation.StackSetInstance>;
    /** The template the StackSet deploys (JSON). */
    public readonly templateBody: string;
    public readonly rules: Record<string, aws.cfg.OrganizationManagedRule>;
    public readonly aggregator: aws.cfg.ConfigurationAggregator;
    public readonly findingsBus: aws.cloudwatch.EventBus;
    public readonly complianceTopic: aws.sns.Topic;
    public readonly complianceTopicKey: aws.kms.Key;
    public readonly delegatedAdministrators: aws.organizations.DelegatedAdministrator[];
    public readonly scp?: aws.organizations.Policy;

    constructor(name: string, args: OrganizationBaselineArgs, opts?: pulumi.ComponentResourceOptions) {
        super("orglog:index:OrganizationBaseline", name, {}, opts);
        const resolved = resolveOrganizationBaselineArgs(args, this);
        const mgmt = { parent: this, provider: args.managementProvider };
        const admin = { parent: this, provider: args.administratorProvider };
        const partition = aws.getPartitionOutput({}, mgmt).partition;
        const adminAccountId = aws.getCallerIdentityOutput({}, admin).accountId;

        const units: Array<[string, pulumi.Input<string>]> = args.organizationalUnitIds
            ? args.organizationalUnitIds.map((id) => [id, id])
            : [["root", aws.organizations.getOrganizationOutput({}, mgmt).roots.apply((roots) => roots[0].id)]];

        // Trusted access and the delegated administrator of organization Config.
        const serviceAccess = CONFIG_SERVICE_PRINCIPALS.map(
            (principal) =>
                new aws.organizations.AwsServiceAccess(
                    `${name}-trusted-access-${principal.split(".")[0]}`,
                    { servicePrincipal: principal },
                    mgmt,
                ),
        );
        this.delegatedAdministrators = args.delegatedAdministratorAccountId
            ? CONFIG_SERVICE_PRINCIPALS.map(
                  (principal) =>
                      new aws.organizations.DelegatedAdministrator(
                          `${name}-delegated-admin-${principal.split(".")[0]}`,
                          { accountId: args.delegatedAdministratorAccountId!, servicePrincipal: principal },
                          { ...mgmt, dependsOn: serviceAccess },
                      ),
              )
            : [];
        const adminReady: pulumi.Resource[] = [...serviceAccess, ...this.delegatedAdministrators];

        // One place for the compliance changes of every account and region: the findings bus.
        this.findingsBus = new aws.cloudwatch.EventBus(`${name}-findings-bus`, { name: "org-logging-findings" }, admin);
        const busPolicy = new aws.cloudwatch.EventBusPolicy(
            `${name}-findings-bus-policy`,
            {
                eventBusName: this.findingsBus.name,
                policy: this.findingsBus.arn.apply((busArn) =>
                    JSON.stringify({
                        Version: "2012-10-17",
                        Statement: [
                            {
                                Sid: "OrganizationForwardsFindings",
                                Effect: "Allow",
                                Principal: "*",
                                Action: "events:PutEvents",
                                Resource: busArn,
                                Condition: { StringEquals: { "aws:PrincipalOrgID": args.organizationId } },
                            },
                        ],
                    }),
                ),
            },
            admin,
        );
        const nonCompliant = new aws.cloudwatch.EventRule(
            `${name}-non-compliant`,
            {
                eventBusName: this.findingsBus.name,
                description: "AWS Config rule evaluations of any account and region that turn NON_COMPLIANT",
                eventPattern: JSON.stringify(NON_COMPLIANT_EVENT_PATTERN),
            },
            admin,
        );
        this.complianceTopicKey = new aws.kms.Key(
            `${name}-compliance-topic-key`,
            {
                description: "Encrypts AWS Config compliance notifications of the organization",
                enableKeyRotation: true,
                deletionWindowInDays: 30,
                policy: pulumi
                    .all([aws.getPartitionOutput({}, admin).partition, adminAccountId])
                    .apply(([p, a]) => JSON.stringify(complianceKeyPolicy({ partition: p, accountId: a }))),
            },
            admin,
        );
        this.complianceTopic = new aws.sns.Topic(`${name}-compliance-topic`, { kmsMasterKeyId: this.complianceTopicKey.arn }, admin);
        const topicPolicy = new aws.sns.TopicPolicy(
            `${name}-compliance-topic-policy`,
            {
                arn: this.complianceTopic.arn,
                policy: pulumi
                    .all([this.complianceTopic.arn, nonCompliant.arn])
                    .apply(([topicArn, ruleArn]) => JSON.stringify(complianceTopicPolicy({ topicArn, ruleArn }))),
            },
            admin,
        );
        new aws.cloudwatch.EventTarget(
            `${name}-non-compliant-target`,
            { rule: nonCompliant.name, eventBusName: this.findingsBus.name, arn: this.complianceTopic.arn },
            { ...admin, dependsOn: [topicPolicy] },
        );
        if (args.notificationEmail !== undefined) {
            new aws.sns.TopicSubscription(
                `${name}-compliance-email`,
                { topic: this.complianceTopic.arn, protocol: "email", endpoint: args.notificationEmail },
                admin,
            );
        }

        // The per-account, per-region part: a service-managed StackSet deployed to the units.
        const templateOptions = { configRecorder: args.configRecorder };
        this.templateBody = JSON.stringify(baselineTemplate(templateOptions));
        // Regions deploy one after another, home region first: it creates the account's IAM roles
        // (and Config's service-linked role) that the other regions' resources refer to.
        const regionOrders = [args.homeRegion, ...args.regions.filter((r) => r !== args.homeRegion)];
        const operationPreferences = {
            failureTolerancePercentage: 10,
            maxConcurrentPercentage: 25,
            regionConcurrencyType: "SEQUENTIAL",
            regionOrders,
        };
        this.stackSet = new aws.cloudformation.StackSet(
            `${name}-stackset`,
            {
                name: BASELINE_STACKSET_NAME,
                description: "org-logging: AWS Config and account settings in every account and region of the organizational units",
                permissionModel: "SERVICE_MANAGED",
                // The StackSet lives in the management account; a delegated administrator would use DELEGATED_ADMIN.
                callAs: "SELF",
                autoDeployment: { enabled: true, retainStacksOnAccountRemoval: true },
                managedExecution: { active: true },
                capabilities: ["CAPABILITY_NAMED_IAM"],
                operationPreferences,
                templateBody: this.templateBody,
                parameters: pulumi
                    .all([args.configDestination.bucketName, args.configDestination.kmsKeyArn, this.findingsBus.arn])
                    .apply(([bucket, key, bus]) =>
                        baselineTemplateParameters(templateOptions, {
                            HomeRegion: args.homeRegion,
                            ConfigBucketName: bucket,
                            ConfigKmsKeyArn: key,
                            FindingsBusArn: bus,
                        }),
                    ),
            },
            { ...mgmt, ignoreChanges: ["administrationRoleArn"] },
        );
        this.stackSetInstances = {};
        for (const [unitKey, unitId] of units) {
            for (const region of args.regions) {
                this.stackSetInstances[`${unitKey}-${region}`] = new aws.cloudformation.StackSetInstance(
                    `${name}-instances-${unitKey}-${region}`,
                    {
                        stackSetName: this.stackSet.name,
                        stackSetInstanceRegion: region,
                        callAs: "SELF",
                        deploymentTargets: { organizationalUnitIds: [unitId] },
                        operationPreferences,
                        retainStack: true,
                    },
                    { ...mgmt, dependsOn: [busPolicy, ...(args.configDestination.ready ?? []), ...resolved.instanceDependencies] },
                );
            }
        }
        const recordersReady = Object.values(this.stackSetInstances);

        // Organization rules need a recorder in every account: they follow the stack instances.
        this.rules = {};
        for (const rule of baselineRules(resolved.accessKeyMaxAgeDays)) {
            this.rules[rule.id] = new aws.cfg.OrganizationManagedRule(
                `${name}-rule-${rule.id}`,
                {
                    name: `org-logging-${rule.id}`,
                    ruleIdentifier: rule.sourceIdentifier,
                    inputParameters: rule.inputParameters ? JSON.stringify(rule.inputParameters) : undefined,
                },
                { ...admin, dependsOn: [...adminReady, ...recordersReady] },
            );
        }

        const aggregatorRole = new aws.iam.Role(
            `${name}-aggregator-role`,
            {
                description: "AWS Config reads the organization's accounts for the organization aggregator",
                assumeRolePolicy: adminAccountId.apply((accountId) =>
                    JSON.stringify({
                        Version: "2012-10-17",
                        Statement: [
                            {
                                Effect: "Allow",
                                Principal: { Service: "config.amazonaws.com" },
                                Action: "sts:AssumeRole",
                                Condition: { StringEquals: { "aws:SourceAccount": accountId } },
                            },
                        ],
                    }),
                ),
            },
            admin,
        );
        const aggregatorPolicy = new aws.iam.RolePolicyAttachment(
            `${name}-aggregator-role-policy`,
            {
                role: aggregatorRole.name,
                policyArn: pulumi.interpolate`arn:${aws.getPartitionOutput({}, admin).partition}:iam::aws:policy/service-role/AWSConfigRoleForOrganizations`,
            },
            admin,
        );
        this.aggregator = new aws.cfg.ConfigurationAggregator(
            `${name}-aggregator`,
            { name: "org-logging", organizationAggregationSource: { allRegions: true, roleArn: aggregatorRole.arn } },
            { ...admin, dependsOn: [...adminReady, aggregatorPolicy] },
        );

        if (args.protectWithScp) {
            this.scp = new aws.organizations.Policy(
                `${name}-scp`,
                {
                    type: "SERVICE_CONTROL_POLICY",
                    description:
                        "org-logging: nobody but the StackSet and break-glass may stop or change AWS Config and its findings forwarding",
                    content: partition.apply((p) =>
                        JSON.stringify(baselineProtectionScp({ partition: p, breakGlassRoleName: args.breakGlassRoleName! })),
                    ),
                },
                mgmt,
            );
            for (const [unitKey, unitId] of units) {
                new aws.organizations.PolicyAttachment(
                    `${name}-scp-attachment-${unitKey}`,
                    { policyId: this.scp.id, targetId: unitId },
                    // Attached once the stack instances exist, so it never blocks their first deployment.
                    { ...mgmt, dependsOn: recordersReady },
                );
            }
        }

        this.registerOutputs({
            stackSet: this.stackSet,
            stackSetInstances: this.stackSetInstances,
            rules: this.rules,
            aggregator: this.aggregator,
            findingsBus: this.findingsBus,
            complianceTopic: this.complianceTopic,
            scp: this.scp,
        });
    }
}
