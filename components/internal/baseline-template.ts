// The CloudFormation template the organization baseline's StackSet deploys into every account and
// region of its organizational units. Pure: the same options always give the same template.

/** A CloudFormation intrinsic or literal value. */
export type CfnValue = string | number | boolean | CfnValue[] | { [key: string]: CfnValue };

export interface CfnResource {
    Type: string;
    Condition?: string;
    DependsOn?: string[];
    Properties: Record<string, CfnValue>;
}

export interface CfnTemplate {
    AWSTemplateFormatVersion: "2010-09-09";
    Description: string;
    Parameters: Record<string, { Type: string; Description: string; AllowedPattern?: string; AllowedValues?: string[]; Default?: string }>;
    Conditions: Record<string, CfnValue>;
    Resources: Record<string, CfnResource>;
}

export interface BaselineTemplateOptions {
    /** `create`: the template holds the Config recorder and delivery channel; `existing`: another tool (Control Tower) owns them. */
    configRecorder: "create" | "existing";
}

/** Name of the EventBridge rule in every account and region that forwards compliance changes to the central bus. */
export const FINDINGS_FORWARDER_RULE_NAME = "org-logging-findings-forwarder";
/** Prefix of the IAM roles the template creates (remediation, event forwarding); the baseline SCP protects them. */
export const BASELINE_ROLE_PREFIX = "org-logging-baseline-";
export const REMEDIATION_ROLE_NAME = `${BASELINE_ROLE_PREFIX}remediation`;
export const FORWARDER_ROLE_NAME = `${BASELINE_ROLE_PREFIX}findings-forwarder`;
/** Per-account Config rules of the template (the ones with automatic remediation). */
export const S3_ACCOUNT_PUBLIC_ACCESS_RULE_NAME = "org-logging-s3-account-public-access-block";
export const EBS_ENCRYPTION_RULE_NAME = "org-logging-ebs-encryption-by-default";
/** AWS-owned SSM Automation documents the remediations run. */
export const S3_PUBLIC_ACCESS_REMEDIATION_DOCUMENT = "AWSConfigRemediation-ConfigureS3PublicAccessBlock";
export const EBS_ENCRYPTION_REMEDIATION_DOCUMENT = "AWSConfigRemediation-EnableEbsEncryptionByDefault";

/** The parameters the StackSet passes to every stack instance. */
export interface BaselineTemplateParameters {
    HomeRegion: string;
    ConfigBucketName: string;
    ConfigKmsKeyArn: string;
    FindingsBusArn: string;
    CreateServiceLinkedRole: "true" | "false";
}

const CONFIG_SLR_ARN = "arn:${AWS::Partition}:iam::${AWS::AccountId}:role/aws-service-role/config.amazonaws.com/AWSServiceRoleForConfig";
const role = (name: string) => `arn:\${AWS::Partition}:iam::\${AWS::AccountId}:role/${name}`;

/** The EventBridge pattern of compliance changes the forwarder sends to the central bus. */
export const COMPLIANCE_CHANGE_PATTERN = {
    source: ["aws.config"],
    "detail-type": ["Config Rules Compliance Change"],
};

/**
 * Builds the baseline template. Global resources (IAM roles, the service-linked role, the account
 * public access block rule) and global resource types in the recorder exist only in the home
 * region (Condition `IsHomeRegion`), so each is created and recorded once per account.
 */
export function baselineTemplate(options: BaselineTemplateOptions): CfnTemplate {
    const createRecorder = options.configRecorder === "create";
    const resources: Record<string, CfnResource> = {};

    if (createRecorder) {
        resources.ConfigServiceLinkedRole = {
            Type: "AWS::IAM::ServiceLinkedRole",
            Condition: "CreateServiceLinkedRoleHere",
            Properties: { AWSServiceName: "config.amazonaws.com", Description: "AWS Config records this account's resources" },
        };
        resources.ConfigurationRecorder = {
            Type: "AWS::Config::ConfigurationRecorder",
            Properties: {
                RoleARN: {
                    "Fn::If": [
                        "CreateServiceLinkedRoleHere",
                        {
                            "Fn::Sub":
                                "arn:${AWS::Partition}:iam::${AWS::AccountId}:role/aws-service-role/config.amazonaws.com/${ConfigServiceLinkedRole}",
                        },
                        { "Fn::Sub": CONFIG_SLR_ARN },
                    ],
                },
                RecordingGroup: {
                    AllSupported: true,
                    IncludeGlobalResourceTypes: { "Fn::If": ["IsHomeRegion", true, false] },
                },
            },
        };
        // CloudFormation starts the recorder once its delivery channel exists.
        resources.DeliveryChannel = {
            Type: "AWS::Config::DeliveryChannel",
            DependsOn: ["ConfigurationRecorder"],
            Properties: {
                S3BucketName: { Ref: "ConfigBucketName" },
                S3KmsKeyArn: { Ref: "ConfigKmsKeyArn" },
                ConfigSnapshotDeliveryProperties: { DeliveryFrequency: "TwentyFour_Hours" },
            },
        };
    }
    const afterRecorder = createRecorder ? { DependsOn: ["DeliveryChannel"] } : {};

    resources.RemediationRole = {
        Type: "AWS::IAM::Role",
        Condition: "IsHomeRegion",
        Properties: {
            RoleName: REMEDIATION_ROLE_NAME,
            Description: "SSM Automation sets the account's S3 public access block and EBS encryption by default",
            AssumeRolePolicyDocument: {
                Version: "2012-10-17",
                Statement: [
                    {
                        Effect: "Allow",
                        Principal: { Service: "ssm.amazonaws.com" },
                        Action: "sts:AssumeRole",
                        Condition: { StringEquals: { "aws:SourceAccount": { Ref: "AWS::AccountId" } } },
                    },
                ],
            },
            Policies: [
                {
                    PolicyName: "account-settings",
                    PolicyDocument: {
                        Version: "2012-10-17",
                        Statement: [
                            {
                                Effect: "Allow",
                                Action: ["s3:GetAccountPublicAccessBlock", "s3:PutAccountPublicAccessBlock"],
                                Resource: "*",
                            },
                            {
                                Effect: "Allow",
                                Action: ["ec2:EnableEbsEncryptionByDefault", "ec2:GetEbsEncryptionByDefault"],
                                Resource: "*",
                            },
                            { Effect: "Allow", Action: ["ssm:GetAutomationExecution"], Resource: "*" },
                        ],
                    },
                },
            ],
        },
    };
    resources.S3AccountPublicAccessRule = {
        Type: "AWS::Config::ConfigRule",
        Condition: "IsHomeRegion",
        ...afterRecorder,
        Properties: {
            ConfigRuleName: S3_ACCOUNT_PUBLIC_ACCESS_RULE_NAME,
            Description: "The account-level S3 public access block blocks every kind of public access",
            Source: { Owner: "AWS", SourceIdentifier: "S3_ACCOUNT_LEVEL_PUBLIC_ACCESS_BLOCKS_PERIODIC" },
            InputParameters: {
                BlockPublicAcls: "True",
                BlockPublicPolicy: "True",
                IgnorePublicAcls: "True",
                RestrictPublicBuckets: "True",
            },
            MaximumExecutionFrequency: "TwentyFour_Hours",
        },
    };
    resources.S3AccountPublicAccessRemediation = {
        Type: "AWS::Config::RemediationConfiguration",
        Condition: "IsHomeRegion",
        Properties: {
            ConfigRuleName: { Ref: "S3AccountPublicAccessRule" },
            TargetType: "SSM_DOCUMENT",
            TargetId: S3_PUBLIC_ACCESS_REMEDIATION_DOCUMENT,
            Automatic: true,
            MaximumAutomaticAttempts: 5,
            RetryAttemptSeconds: 60,
            Parameters: {
                AccountId: { StaticValue: { Values: [{ Ref: "AWS::AccountId" }] } },
                AutomationAssumeRole: { StaticValue: { Values: [{ "Fn::GetAtt": ["RemediationRole", "Arn"] }] } },
                BlockPublicAcls: { StaticValue: { Values: ["true"] } },
                BlockPublicPolicy: { StaticValue: { Values: ["true"] } },
                IgnorePublicAcls: { StaticValue: { Values: ["true"] } },
                RestrictPublicBuckets: { StaticValue: { Values: ["true"] } },
            },
        },
    };
    // EBS encryption by default is a per-region setting: a rule and remediation in every region; the
    // role is global and created first in the home region (the StackSet deploys regions in order).
    resources.EbsEncryptionRule = {
        Type: "AWS::Config::ConfigRule",
        ...afterRecorder,
        Properties: {
            ConfigRuleName: EBS_ENCRYPTION_RULE_NAME,
            Description: "EBS encryption by default is enabled in this region",
            Source: { Owner: "AWS", SourceIdentifier: "EC2_EBS_ENCRYPTION_BY_DEFAULT" },
            MaximumExecutionFrequency: "TwentyFour_Hours",
        },
    };
    resources.EbsEncryptionRemediation = {
        Type: "AWS::Config::RemediationConfiguration",
        Properties: {
            ConfigRuleName: { Ref: "EbsEncryptionRule" },
            TargetType: "SSM_DOCUMENT",
            TargetId: EBS_ENCRYPTION_REMEDIATION_DOCUMENT,
            Automatic: true,
            MaximumAutomaticAttempts: 5,
            RetryAttemptSeconds: 60,
            Parameters: { AutomationAssumeRole: { StaticValue: { Values: [{ "Fn::Sub": role(REMEDIATION_ROLE_NAME) }] } } },
        },
    };
    resources.FindingsForwarderRole = {
        Type: "AWS::IAM::Role",
        Condition: "IsHomeRegion",
        Properties: {
            RoleName: FORWARDER_ROLE_NAME,
            Description: "EventBridge forwards AWS Config compliance changes to the organization's findings bus",
            AssumeRolePolicyDocument: {
                Version: "2012-10-17",
                Statement: [
                    {
                        Effect: "Allow",
                        Principal: { Service: "events.amazonaws.com" },
                        Action: "sts:AssumeRole",
                        Condition: { StringEquals: { "aws:SourceAccount": { Ref: "AWS::AccountId" } } },
                    },
                ],
            },
            Policies: [
                {
                    PolicyName: "put-findings",
                    PolicyDocument: {
                        Version: "2012-10-17",
                        Statement: [{ Effect: "Allow", Action: "events:PutEvents", Resource: { Ref: "FindingsBusArn" } }],
                    },
                },
            ],
        },
    };
    resources.FindingsForwarderRule = {
        Type: "AWS::Events::Rule",
        Properties: {
            Name: FINDINGS_FORWARDER_RULE_NAME,
            Description: "Forwards AWS Config compliance changes to the organization's findings bus",
            EventPattern: COMPLIANCE_CHANGE_PATTERN,
            State: "ENABLED",
            Targets: [{ Id: "findings-bus", Arn: { Ref: "FindingsBusArn" }, RoleArn: { "Fn::Sub": role(FORWARDER_ROLE_NAME) } }],
        },
    };

    return {
        AWSTemplateFormatVersion: "2010-09-09",
        Description: `org-logging baseline: ${createRecorder ? "AWS Config recorder and delivery channel into the central config bucket, " : ""}account settings enforced by Config rules with automatic remediation, compliance changes forwarded to the findings bus`,
        Parameters: {
            HomeRegion: {
                Type: "String",
                Description: "The region that records global resource types and holds the account's IAM roles",
                AllowedPattern: "^[a-z]{2}(-gov|-iso[a-z]?)?-[a-z]+-\\d$",
            },
            ...(createRecorder
                ? {
                      ConfigBucketName: { Type: "String", Description: "The central config bucket in the log-archive account" },
                      ConfigKmsKeyArn: { Type: "String", Description: "The KMS key the delivery channel encrypts with" },
                      CreateServiceLinkedRole: {
                          Type: "String",
                          Description: "false where AWSServiceRoleForConfig already exists",
                          AllowedValues: ["true", "false"],
                          Default: "true",
                      },
                  }
                : {}),
            FindingsBusArn: { Type: "String", Description: "The organization's findings event bus" },
        },
        Conditions: {
            IsHomeRegion: { "Fn::Equals": [{ Ref: "AWS::Region" }, { Ref: "HomeRegion" }] },
            ...(createRecorder
                ? {
                      CreateServiceLinkedRoleHere: {
                          "Fn::And": [{ Condition: "IsHomeRegion" }, { "Fn::Equals": [{ Ref: "CreateServiceLinkedRole" }, "true"] }],
                      },
                  }
                : {}),
        },
        Resources: resources,
    };
}

/** The StackSet's parameters for the template of `options`. */
export function baselineTemplateParameters(
    options: BaselineTemplateOptions,
    values: Omit<BaselineTemplateParameters, "CreateServiceLinkedRole"> & { createServiceLinkedRole?: boolean },
): Record<string, string> {
    const { createServiceLinkedRole, ...rest } = values;
    if (options.configRecorder === "existing") {
        return { HomeRegion: rest.HomeRegion, FindingsBusArn: rest.FindingsBusArn };
    }
    return { ...rest, CreateServiceLinkedRole: createServiceLinkedRole === false ? "false" : "true" };
}
