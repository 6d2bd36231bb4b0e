import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { NON_COMPLIANT_EVENT_PATTERN, complianceKeyPolicy, complianceTopicPolicy } from "./policies/baseline-policies";

export interface AccountBaselineArgs {
    /** Name of the central config bucket (log-archive account) AWS Config delivers into. */
    readonly configBucketName: pulumi.Input<string>;
    /**
     * ARN of the key the delivery channel encrypts with (the config bucket's key).
     * @default - the bucket's default encryption applies
     */
    readonly configKmsKeyArn?: pulumi.Input<string>;
    /**
     * Resources the delivery channel waits for: the config bucket's policy and key. AWS Config checks
     * that it can write when the channel is created.
     * @default []
     */
    readonly deliveryDependencies?: pulumi.Input<pulumi.Resource>[];
    /**
     * The stack's home region: only the recorder there records global resource types (IAM), so each
     * IAM change is recorded once rather than once per region.
     */
    readonly homeRegion: pulumi.Input<string>;
    /**
     * Maximum age of active IAM access keys before `ACCESS_KEYS_ROTATED` reports them. Plain: validated.
     * @default 90
     */
    readonly accessKeyMaxAgeDays?: number;
    /**
     * E-mail address subscribed to the compliance topic (the subscriber must confirm it).
     * @default - no subscription; subscribe a ticketing or chat integration to the topic instead
     */
    readonly notificationEmail?: pulumi.Input<string>;
    /**
     * Creates AWS Config's service-linked role (`AWSServiceRoleForConfig`). An account has at most one;
     * set false where it already exists (Config set up before, Control Tower) and the recorder uses it.
     * Plain: decides whether the role is created.
     * @default true
     */
    readonly createServiceLinkedRole?: boolean;
}

/** One AWS managed Config rule of the baseline. */
export interface BaselineRule {
    /** Stable key: the child resource's name derives from it. */
    id: string;
    sourceIdentifier: string;
    inputParameters?: Record<string, string>;
}

/** The AWS managed Config rules every account gets; `ACCESS_KEYS_ROTATED` takes its age from Args. */
export function baselineRules(accessKeyMaxAgeDays: number): BaselineRule[] {
    return [
        { id: "access-keys-rotated", sourceIdentifier: "ACCESS_KEYS_ROTATED", inputParameters: { maxAccessKeyAge: String(accessKeyMaxAgeDays) } },
        { id: "cloudtrail-enabled", sourceIdentifier: "CLOUD_TRAIL_ENABLED" },
        { id: "restricted-ssh", sourceIdentifier: "INCOMING_SSH_DISABLED" },
        { id: "encrypted-volumes", sourceIdentifier: "ENCRYPTED_VOLUMES" },
        { id: "ebs-encryption-by-default", sourceIdentifier: "EC2_EBS_ENCRYPTION_BY_DEFAULT" },
        { id: "s3-bucket-public-read-prohibited", sourceIdentifier: "S3_BUCKET_PUBLIC_READ_PROHIBITED" },
        { id: "s3-bucket-public-write-prohibited", sourceIdentifier: "S3_BUCKET_PUBLIC_WRITE_PROHIBITED" },
        { id: "s3-bucket-ssl-requests-only", sourceIdentifier: "S3_BUCKET_SSL_REQUESTS_ONLY" },
        { id: "iam-user-mfa-enabled", sourceIdentifier: "IAM_USER_MFA_ENABLED" },
        { id: "root-account-mfa-enabled", sourceIdentifier: "ROOT_ACCOUNT_MFA_ENABLED" },
        { id: "iam-root-access-key-check", sourceIdentifier: "IAM_ROOT_ACCESS_KEY_CHECK" },
    ];
}

/** Checks the Args that decide the shape of the component; throws one error listing every problem. */
export function validateAccountBaselineArgs(args: AccountBaselineArgs): void {
    const problems: string[] = [];
    const age = args.accessKeyMaxAgeDays;
    if (age !== undefined && (!Number.isInteger(age) || age < 1 || age > 365)) {
        problems.push(`\`accessKeyMaxAgeDays\` (${age}) is not a whole number of days between 1 and 365. The field documents require 90`);
    }
    if (problems.length > 0) {
        throw new Error(`AccountBaseline: ${problems.join("; ")}.`);
    }
}

/**
 * The security baseline of one account: AWS Config recording everything into the central config
 * bucket, managed rules, NON_COMPLIANT findings through EventBridge to an encrypted SNS topic, the
 * account-wide S3 public access block and EBS encryption by default. Pass the account's provider in
 * `opts.provider`; the recorder is regional, so deploy one per region you use.
 *
 * The recorder uses AWS Config's service-linked role rather than a custom role: with it Config
 * delivers as `config.amazonaws.com`, which is what the archive's config bucket policy admits per
 * account (`aws:SourceAccount`), and the role's permissions are maintained by AWS.
 */
export class AccountBaseline extends pulumi.ComponentResource {
    public readonly recorder: aws.cfg.Recorder;
    public readonly deliveryChannel: aws.cfg.DeliveryChannel;
    public readonly recorderStatus: aws.cfg.RecorderStatus;
    /** The managed Config rules keyed by their id (`access-keys-rotated`, ...). */
    public readonly rules: Record<string, aws.cfg.Rule>;
    /** The EventBridge rule that forwards NON_COMPLIANT evaluations. */
    public readonly complianceRule: aws.cloudwatch.EventRule;
    /** The encrypted topic NON_COMPLIANT findings are published to. */
    public readonly complianceTopic: aws.sns.Topic;
    public readonly complianceTopicKey: aws.kms.Key;
    public readonly accountPublicAccessBlock: aws.s3.AccountPublicAccessBlock;
    public readonly ebsEncryptionByDefault: aws.ebs.EncryptionByDefault;

    constructor(name: string, args: AccountBaselineArgs, opts?: pulumi.ComponentResourceOptions) {
        super("orglog:index:AccountBaseline", name, {}, opts);
        validateAccountBaselineArgs(args);
        const partition = aws.getPartitionOutput({}, { parent: this }).partition;
        const accountId = aws.getCallerIdentityOutput({}, { parent: this }).accountId;
        const region = aws.getRegionOutput({}, { parent: this }).region;

        const recorderRoleArn =
            args.createServiceLinkedRole ?? true
                ? new aws.iam.ServiceLinkedRole(
                      `${name}-config-service-linked-role`,
                      { awsServiceName: "config.amazonaws.com", description: "AWS Config records this account's resources" },
                      { parent: this },
                  ).arn
                : pulumi.interpolate`arn:${partition}:iam::${accountId}:role/aws-service-role/config.amazonaws.com/AWSServiceRoleForConfig`;

        this.recorder = new aws.cfg.Recorder(
            `${name}-config-recorder`,
            {
                roleArn: recorderRoleArn,
                recordingGroup: {
                    allSupported: true,
                    includeGlobalResourceTypes: pulumi.all([region, args.homeRegion]).apply(([r, home]) => r === home),
                },
            },
            { parent: this },
        );
        this.deliveryChannel = new aws.cfg.DeliveryChannel(
            `${name}-config-delivery-channel`,
            {
                s3BucketName: args.configBucketName,
                s3KmsKeyArn: args.configKmsKeyArn,
                snapshotDeliveryProperties: { deliveryFrequency: "TwentyFour_Hours" },
            },
            // A delivery channel can only be created once the account has a recorder and the bucket admits it.
            { parent: this, dependsOn: [this.recorder, ...(args.deliveryDependencies ?? [])] },
        );
        this.recorderStatus = new aws.cfg.RecorderStatus(
            `${name}-config-recorder-status`,
            { name: this.recorder.name, isEnabled: true },
            // Starting a recorder fails while it has no delivery channel.
            { parent: this, dependsOn: [this.deliveryChannel] },
        );

        this.rules = {};
        for (const rule of baselineRules(args.accessKeyMaxAgeDays ?? 90)) {
            this.rules[rule.id] = new aws.cfg.Rule(
                `${name}-rule-${rule.id}`,
                {
                    source: { owner: "AWS", sourceIdentifier: rule.sourceIdentifier },
                    inputParameters: rule.inputParameters ? JSON.stringify(rule.inputParameters) : undefined,
                },
                // Config rules need a recorder in the account.
                { parent: this, dependsOn: [this.recorder] },
            );
        }

        this.complianceRule = new aws.cloudwatch.EventRule(
            `${name}-non-compliant`,
            {
                description: "AWS Config rule evaluations that turn NON_COMPLIANT",
                eventPattern: JSON.stringify(NON_COMPLIANT_EVENT_PATTERN),
            },
            { parent: this },
        );
        this.complianceTopicKey = new aws.kms.Key(
            `${name}-compliance-topic-key`,
            {
                description: "Encrypts AWS Config compliance notifications",
                enableKeyRotation: true,
                deletionWindowInDays: 30,
                policy: pulumi.all([partition, accountId]).apply(([p, a]) => JSON.stringify(complianceKeyPolicy({ partition: p, accountId: a }))),
            },
            { parent: this },
        );
        this.complianceTopic = new aws.sns.Topic(`${name}-compliance-topic`, { kmsMasterKeyId: this.complianceTopicKey.arn }, { parent: this });
        const topicPolicy = new aws.sns.TopicPolicy(
            `${name}-compliance-topic-policy`,
            {
                arn: this.complianceTopic.arn,
                policy: pulumi
                    .all([this.complianceTopic.arn, this.complianceRule.arn])
                    .apply(([topicArn, ruleArn]) => JSON.stringify(complianceTopicPolicy({ topicArn, ruleArn }))),
            },
            { parent: this },
        );
        new aws.cloudwatch.EventTarget(
            `${name}-non-compliant-target`,
            { rule: this.complianceRule.name, arn: this.complianceTopic.arn },
            // Events delivered before the topic admits the rule would be dropped.
            { parent: this, dependsOn: [topicPolicy] },
        );
        if (args.notificationEmail !== undefined) {
            new aws.sns.TopicSubscription(
                `${name}-compliance-email`,
                { topic: this.complianceTopic.arn, protocol: "email", endpoint: args.notificationEmail },
                { parent: this },
            );
        }

        // Account-level safety settings stay when the baseline is removed: deleting them would turn
        // public access and unencrypted volumes back on for the whole account.
        this.accountPublicAccessBlock = new aws.s3.AccountPublicAccessBlock(
            `${name}-s3-public-access-block`,
            { blockPublicAcls: true, blockPublicPolicy: true, ignorePublicAcls: true, restrictPublicBuckets: true },
            { parent: this, retainOnDelete: true },
        );
        this.ebsEncryptionByDefault = new aws.ebs.EncryptionByDefault(
            `${name}-ebs-encryption-by-default`,
            { enabled: true },
            { parent: this, retainOnDelete: true },
        );

        this.registerOutputs({
            recorder: this.recorder,
            deliveryChannel: this.deliveryChannel,
            recorderStatus: this.recorderStatus,
            rules: this.rules,
            complianceRule: this.complianceRule,
            complianceTopic: this.complianceTopic,
            complianceTopicKey: this.complianceTopicKey,
            accountPublicAccessBlock: this.accountPublicAccessBlock,
            ebsEncryptionByDefault: this.ebsEncryptionByDefault,
        });
    }
}
