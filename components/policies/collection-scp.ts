import * as aws from "@pulumi/aws";
import { COLLECTOR_TAG_KEY, COLLECTOR_TAG_VALUE, ENVIRONMENT_TAG_KEY } from "./collector-publisher-policy";
import { policyDocument } from "./document";
import { exceptBreakGlass, ROLE_PERMISSIONS_ACTIONS } from "./scps";

/** Shell access to an instance besides Run Command: Session Manager, EC2 Instance Connect and the serial console. */
export const COLLECTOR_SESSION_ACTIONS: readonly string[] = ["ssm:StartSession"];
export const COLLECTOR_INSTANCE_CONNECT_ACTIONS: readonly string[] = [
    "ec2-instance-connect:SendSSHPublicKey",
    "ec2-instance-connect:SendSerialConsoleSSHPublicKey",
];

/** IAM actions that would change what the publisher role may do or who may assume it. */
export const PUBLISHER_ROLE_DENIED_ACTIONS: readonly string[] = [
    "iam:UpdateAssumeRolePolicy",
    ...ROLE_PERMISSIONS_ACTIONS,
    "iam:DeleteRole",
    "iam:TagRole",
    "iam:UntagRole",
];

/** SSM actions that would change the deploy document or share it. */
export const DEPLOY_DOCUMENT_DENIED_ACTIONS: readonly string[] = [
    "ssm:UpdateDocument",
    "ssm:UpdateDocumentDefaultVersion",
    "ssm:UpdateDocumentMetadata",
    "ssm:DeleteDocument",
    "ssm:ModifyDocumentPermission",
];

export interface CollectionProtectionScpParams {
    partition: string;
    /** The roles that deploy the collection account (its `OrgLoggingDeployer`): they create, tag and refresh the collectors. */
    pipelinePrincipalArns: string[];
    /** The break-glass roles of the collection account. */
    breakGlassPrincipalArns: string[];
    /** The CI publisher roles: they alone send the deploy document to the collectors. */
    publisherRoleArns: string[];
    /** The SSM deploy documents of the collectors. */
    deployDocumentArns: string[];
}

/**
 * SCP for the collection account: an administrator of the account could otherwise tag any instance
 * as a collector, open a shell on one (Run Command, Session Manager, EC2 Instance Connect, serial
 * console), rewrite the deploy document or re-trust the publisher role. Only the pipeline's deployer
 * and break-glass may change the tags, the document and the publisher role or open a shell; the
 * publisher may send commands to the collectors (its own policy limits it to the deploy document).
 * Auto Scaling tags the instances it launches with its service-linked role, which SCPs do not bind.
 */
export function collectionProtectionScp(p: CollectionProtectionScpParams): aws.iam.PolicyDocument {
    const keepers = [...p.pipelinePrincipalArns, ...p.breakGlassPrincipalArns];
    const instances = `arn:${p.partition}:ec2:*:*:instance/*`;
    const collectors = { [`ssm:resourceTag/${COLLECTOR_TAG_KEY}`]: COLLECTOR_TAG_VALUE };
    return policyDocument([
        {
            Sid: "DenyCollectorTagChanges",
            Effect: "Deny",
            Action: ["ec2:CreateTags", "ec2:DeleteTags"],
            // Any instance: a tag request that names the collector tags, on a collector or on an instance becoming one.
            Resource: "*",
            Condition: {
                "ForAnyValue:StringEquals": { "aws:TagKeys": [COLLECTOR_TAG_KEY, ENVIRONMENT_TAG_KEY] },
                ...exceptBreakGlass(keepers),
            },
        },
        {
            Sid: "DenyCommandsToCollectors",
            Effect: "Deny",
            Action: "ssm:SendCommand",
            Resource: instances,
            Condition: { StringEquals: collectors, ...exceptBreakGlass([...keepers, ...p.publisherRoleArns]) },
        },
        {
            Sid: "DenySessionsOnCollectors",
            Effect: "Deny",
            Action: [...COLLECTOR_SESSION_ACTIONS],
            Resource: instances,
            Condition: { StringEquals: collectors, ...exceptBreakGlass(keepers) },
        },
        {
            Sid: "DenyInstanceConnectToCollectors",
            Effect: "Deny",
            Action: [...COLLECTOR_INSTANCE_CONNECT_ACTIONS],
            Resource: instances,
            Condition: { StringEquals: { [`ec2:ResourceTag/${COLLECTOR_TAG_KEY}`]: COLLECTOR_TAG_VALUE }, ...exceptBreakGlass(keepers) },
        },
        {
            Sid: "DenyDeployDocumentChanges",
            Effect: "Deny",
            Action: [...DEPLOY_DOCUMENT_DENIED_ACTIONS],
            Resource: p.deployDocumentArns,
            Condition: exceptBreakGlass(keepers),
        },
        {
            Sid: "DenyPublisherRoleChanges",
            Effect: "Deny",
            Action: [...PUBLISHER_ROLE_DENIED_ACTIONS],
            Resource: p.publisherRoleArns,
            Condition: exceptBreakGlass(keepers),
        },
    ]);
}
