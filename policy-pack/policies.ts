// Every rule of the pack, listed explicitly. Tests and the offline plan import this module; only
// index.ts (run by the Pulumi CLI) wraps it in a PolicyPack.
import { Policies } from "@pulumi/policy";
import { awsPolicySizeLimits } from "./rules/aws-policy-size-limits";
import { athenaWorkgroupEncrypted } from "./rules/athena-workgroup-encrypted";
import { cloudtrailCloudwatchLogs } from "./rules/cloudtrail-cloudwatch-logs";
import { cloudtrailEncrypted } from "./rules/cloudtrail-encrypted";
import { cloudtrailLogFileValidation } from "./rules/cloudtrail-log-file-validation";
import { cloudtrailMultiRegion } from "./rules/cloudtrail-multi-region";
import { cloudwatchLogGroupKms } from "./rules/cloudwatch-log-group-kms";
import { cloudwatchLogGroupRetention } from "./rules/cloudwatch-log-group-retention";
import { ec2EncryptedVolumes } from "./rules/ec2-encrypted-volumes";
import { ec2Imdsv2Required } from "./rules/ec2-imdsv2-required";
import { ec2NoKeyPair } from "./rules/ec2-no-key-pair";
import { ecsFirelensPortNotExposed } from "./rules/ecs-firelens-port-not-exposed";
import { ecsNoPrivilegedContainers } from "./rules/ecs-no-privileged-containers";
import { iamNoFullAdmin } from "./rules/iam-no-full-admin";
import { iamPolicyValid } from "./rules/iam-policy-valid";
import { kmsKeyRotation } from "./rules/kms-key-rotation";
import { noDefaultProvider } from "./rules/no-default-provider";
import { s3BucketOwnerFullControl } from "./rules/s3-bucket-owner-full-control";
import { s3DefaultEncryption } from "./rules/s3-default-encryption";
import { s3PublicAccessBlock } from "./rules/s3-public-access-block";
import { s3TlsOnly } from "./rules/s3-tls-only";
import { s3Versioning } from "./rules/s3-versioning";
import { secretNamingConvention } from "./rules/secret-naming-convention";
import { securityGroupNoAdminPorts } from "./rules/security-group-no-admin-ports";
import { securityGroupRuleDescription } from "./rules/security-group-rule-description";
import { snsTopicEncrypted } from "./rules/sns-topic-encrypted";
import { ssmSendCommandTagScoped } from "./rules/ssm-send-command-tag-scoped";
import { configRecorderBaseline } from "./rules/config-recorder-baseline";
import { stacksetAutoDeployment } from "./rules/stackset-auto-deployment";

export const PACK_NAME = "org-logging";

export const policies: Policies = [
    // The three rules the product is known by.
    s3BucketOwnerFullControl,
    ssmSendCommandTagScoped,
    secretNamingConvention,
    // Every policy document within its AWS quota
    awsPolicySizeLimits,
    // CloudTrail
    cloudtrailMultiRegion,
    cloudtrailLogFileValidation,
    cloudtrailEncrypted,
    cloudtrailCloudwatchLogs,
    // S3
    s3PublicAccessBlock,
    s3DefaultEncryption,
    s3Versioning,
    s3TlsOnly,
    // KMS
    kmsKeyRotation,
    // EC2 and networking
    ec2Imdsv2Required,
    ec2NoKeyPair,
    ec2EncryptedVolumes,
    securityGroupRuleDescription,
    securityGroupNoAdminPorts,
    // Containers, analytics, logs, notifications
    ecsNoPrivilegedContainers,
    ecsFirelensPortNotExposed,
    athenaWorkgroupEncrypted,
    cloudwatchLogGroupRetention,
    cloudwatchLogGroupKms,
    snsTopicEncrypted,
    // Identity and accounts
    iamNoFullAdmin,
    iamPolicyValid,
    noDefaultProvider,
    // AWS Config and the organization baseline
    configRecorderBaseline,
    stacksetAutoDeployment,
];
