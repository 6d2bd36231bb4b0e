import * as aws from "@pulumi/aws";
import { BASELINE_ROLE_PREFIX, FINDINGS_FORWARDER_RULE_NAME } from "../internal/baseline-template";
import { policyDocument } from "./document";

/**
 * Name pattern of the role service-managed StackSets deploy stack instances with in each target
 * account (`stacksets-exec-<hash>`, created by CloudFormation with trusted access).
 */
export const STACKSET_EXECUTION_ROLE_NAME_PATTERN = "stacksets-exec-*";

/** AWS Config actions that would stop recording or delivering, or change the baseline's rules. */
export const BASELINE_CONFIG_DENIED_ACTIONS: readonly string[] = [
    "config:StopConfigurationRecorder",
    "config:DeleteConfigurationRecorder",
    "config:PutConfigurationRecorder",
    "config:DeleteDeliveryChannel",
    "config:PutDeliveryChannel",
    "config:DeleteRetentionConfiguration",
    "config:DeleteConfigRule",
    "config:PutConfigRule",
    "config:DeleteEvaluationResults",
    "config:DeleteRemediationConfiguration",
    "config:PutRemediationConfigurations",
    "config:DeleteAggregationAuthorization",
];

/** EventBridge actions that would stop or redirect the findings forwarder rule. */
export const BASELINE_EVENTS_DENIED_ACTIONS: readonly string[] = [
    "events:DeleteRule",
    "events:DisableRule",
    "events:PutRule",
    "events:PutTargets",
    "events:RemoveTargets",
];

/** IAM actions that would change or remove the baseline's roles (remediation, forwarding). */
export const BASELINE_IAM_DENIED_ACTIONS: readonly string[] = [
    "iam:AttachRolePolicy",
    "iam:DeleteRole",
    "iam:DeleteRolePolicy",
    "iam:DetachRolePolicy",
    "iam:PutRolePolicy",
    "iam:UpdateAssumeRolePolicy",
    "iam:UpdateRole",
];

export interface BaselineProtectionScpParams {
    /** Name of the break-glass role; ci/bootstrap creates a role of this name in every member account. */
    breakGlassRoleName: string;
    /** `aws`, `aws-us-gov`, ... */
    partition: string;
}

/**
 * SCP attached to the baseline's organizational units: nobody but the StackSet execution role and
 * the break-glass role may stop, delete or change the Config recorder and delivery channel, the
 * Config rules and remediations (per-account rule ARNs carry a generated id, not the rule's name,
 * so the statement covers every rule; organization rules are read-only to member accounts anyway),
 * the findings forwarder rule or the baseline's roles. SCPs never apply to service-linked roles, so
 * AWS Config itself and the organization rules keep working.
 */
export function baselineProtectionScp(p: BaselineProtectionScpParams): aws.iam.PolicyDocument {
    const condition = {
        ArnNotLike: {
            "aws:PrincipalARN": [
                `arn:${p.partition}:iam::*:role/${STACKSET_EXECUTION_ROLE_NAME_PATTERN}`,
                `arn:${p.partition}:iam::*:role/${p.breakGlassRoleName}`,
            ],
        },
    };
    return policyDocument([
        { Sid: "DenyConfigChanges", Effect: "Deny", Action: [...BASELINE_CONFIG_DENIED_ACTIONS], Resource: "*", Condition: condition },
        {
            Sid: "DenyFindingsForwarderChanges",
            Effect: "Deny",
            Action: [...BASELINE_EVENTS_DENIED_ACTIONS],
            Resource: `arn:${p.partition}:events:*:*:rule/${FINDINGS_FORWARDER_RULE_NAME}`,
            Condition: condition,
        },
        {
            Sid: "DenyBaselineRoleChanges",
            Effect: "Deny",
            Action: [...BASELINE_IAM_DENIED_ACTIONS],
            Resource: `arn:${p.partition}:iam::*:role/${BASELINE_ROLE_PREFIX}*`,
            Condition: condition,
        },
    ]);
}
