/** One CloudWatch Logs metric filter (and its alarm) over the trail's log group. */
export interface CisMetricFilter {
    /** Stable key: child resource names and metric names derive from it. */
    id: string;
    /** The CIS AWS Foundations Benchmark control, or `field` for the alarms this product adds beyond it. */
    control: string;
    description: string;
    pattern: string;
}

/**
 * The monitoring controls of the CIS AWS Foundations Benchmark (v1.5/v3.0 section 4.1-4.15), with
 * the benchmark's filter patterns verbatim, plus an "IAM user created" alarm and one on CloudTrail's
 * event and insight selectors.
 */
export const CIS_METRIC_FILTERS: readonly CisMetricFilter[] = [
    {
        id: "unauthorized-api-calls",
        control: "4.1",
        description: "Unauthorized API calls",
        pattern:
            '{ ($.errorCode = "*UnauthorizedOperation") || ($.errorCode = "AccessDenied*") && ($.sourceIPAddress!="delivery.logs.amazonaws.com") && ($.eventName!="HeadBucket") }',
    },
    {
        id: "console-signin-without-mfa",
        control: "4.2",
        description: "Management console sign-in without MFA",
        pattern: '{ ($.eventName = "ConsoleLogin") && ($.additionalEventData.MFAUsed != "Yes") }',
    },
    {
        id: "root-account-usage",
        control: "4.3",
        description: "Usage of the root user",
        pattern: '{ $.userIdentity.type = "Root" && $.userIdentity.invokedBy NOT EXISTS && $.eventType != "AwsServiceEvent" }',
    },
    {
        id: "iam-policy-changes",
        control: "4.4",
        description: "IAM policy changes",
        pattern:
            "{($.eventName=DeleteGroupPolicy)||($.eventName=DeleteRolePolicy)||($.eventName=DeleteUserPolicy)||($.eventName=PutGroupPolicy)||($.eventName=PutRolePolicy)||($.eventName=PutUserPolicy)||($.eventName=CreatePolicy)||($.eventName=DeletePolicy)||($.eventName=CreatePolicyVersion)||($.eventName=DeletePolicyVersion)||($.eventName=AttachRolePolicy)||($.eventName=DetachRolePolicy)||($.eventName=AttachUserPolicy)||($.eventName=DetachUserPolicy)||($.eventName=AttachGroupPolicy)||($.eventName=DetachGroupPolicy)}",
    },
    {
        id: "cloudtrail-configuration-changes",
        control: "4.5",
        description: "CloudTrail configuration changes",
        pattern:
            "{ ($.eventName = CreateTrail) || ($.eventName = UpdateTrail) || ($.eventName = DeleteTrail) || ($.eventName = StartLogging) || ($.eventName = StopLogging) }",
    },
    {
        id: "console-authentication-failures",
        control: "4.6",
        description: "Management console authentication failures",
        pattern: '{ ($.eventName = ConsoleLogin) && ($.errorMessage = "Failed authentication") }',
    },
    {
        id: "cmk-disabled-or-scheduled-deletion",
        control: "4.7",
        description: "Disabling or scheduled deletion of customer managed keys",
        pattern: "{($.eventSource = kms.amazonaws.com) && (($.eventName=DisableKey)||($.eventName=ScheduleKeyDeletion)) }",
    },
    {
        id: "s3-bucket-policy-changes",
        control: "4.8",
        description: "S3 bucket policy changes",
        pattern:
            "{ ($.eventSource = s3.amazonaws.com) && (($.eventName = PutBucketAcl) || ($.eventName = PutBucketPolicy) || ($.eventName = PutBucketCors) || ($.eventName = PutBucketLifecycle) || ($.eventName = PutBucketReplication) || ($.eventName = DeleteBucketPolicy) || ($.eventName = DeleteBucketCors) || ($.eventName = DeleteBucketLifecycle) || ($.eventName = DeleteBucketReplication)) }",
    },
    {
        id: "aws-config-changes",
        control: "4.9",
        description: "AWS Config configuration changes",
        pattern:
            "{ ($.eventSource = config.amazonaws.com) && (($.eventName=StopConfigurationRecorder)||($.eventName=DeleteDeliveryChannel)||($.eventName=PutDeliveryChannel)||($.eventName=PutConfigurationRecorder)) }",
    },
    {
        id: "security-group-changes",
        control: "4.10",
        description: "Security group changes",
        pattern:
            "{ ($.eventName = AuthorizeSecurityGroupIngress) || ($.eventName = AuthorizeSecurityGroupEgress) || ($.eventName = RevokeSecurityGroupIngress) || ($.eventName = RevokeSecurityGroupEgress) || ($.eventName = CreateSecurityGroup) || ($.eventName = DeleteSecurityGroup) }",
    },
    {
        id: "nacl-changes",
        control: "4.11",
        description: "Network ACL changes",
        pattern:
            "{ ($.eventName = CreateNetworkAcl) || ($.eventName = CreateNetworkAclEntry) || ($.eventName = DeleteNetworkAcl) || ($.eventName = DeleteNetworkAclEntry) || ($.eventName = ReplaceNetworkAclEntry) || ($.eventName = ReplaceNetworkAclAssociation) }",
    },
    {
        id: "network-gateway-changes",
        control: "4.12",
        description: "Network gateway changes",
        pattern:
            "{ ($.eventName = CreateCustomerGateway) || ($.eventName = DeleteCustomerGateway) || ($.eventName = AttachInternetGateway) || ($.eventName = CreateInternetGateway) || ($.eventName = DeleteInternetGateway) || ($.eventName = DetachInternetGateway) }",
    },
    {
        id: "route-table-changes",
        control: "4.13",
        description: "Route table changes",
        pattern:
            "{ ($.eventSource = ec2.amazonaws.com) && (($.eventName = CreateRoute) || ($.eventName = CreateRouteTable) || ($.eventName = ReplaceRoute) || ($.eventName = ReplaceRouteTableAssociation) || ($.eventName = DeleteRouteTable) || ($.eventName = DeleteRoute) || ($.eventName = DisassociateRouteTable)) }",
    },
    {
        id: "vpc-changes",
        control: "4.14",
        description: "VPC changes",
        pattern:
            "{ ($.eventName = CreateVpc) || ($.eventName = DeleteVpc) || ($.eventName = ModifyVpcAttribute) || ($.eventName = AcceptVpcPeeringConnection) || ($.eventName = CreateVpcPeeringConnection) || ($.eventName = DeleteVpcPeeringConnection) || ($.eventName = RejectVpcPeeringConnection) || ($.eventName = AttachClassicLinkVpc) || ($.eventName = DetachClassicLinkVpc) || ($.eventName = DisableVpcClassicLink) || ($.eventName = EnableVpcClassicLink) }",
    },
    {
        id: "organizations-changes",
        control: "4.15",
        description: "AWS Organizations changes",
        pattern:
            '{ ($.eventSource = organizations.amazonaws.com) && (($.eventName = "AcceptHandshake") || ($.eventName = "AttachPolicy") || ($.eventName = "CreateAccount") || ($.eventName = "CreateOrganizationalUnit") || ($.eventName = "CreatePolicy") || ($.eventName = "DeclineHandshake") || ($.eventName = "DeleteOrganization") || ($.eventName = "DeleteOrganizationalUnit") || ($.eventName = "DeletePolicy") || ($.eventName = "DetachPolicy") || ($.eventName = "DisablePolicyType") || ($.eventName = "EnablePolicyType") || ($.eventName = "InviteAccountToOrganization") || ($.eventName = "LeaveOrganization") || ($.eventName = "MoveAccount") || ($.eventName = "RemoveAccountFromOrganization") || ($.eventName = "UpdatePolicy") || ($.eventName = "UpdateOrganizationalUnit")) }',
    },
    {
        id: "iam-user-created",
        control: "field",
        description: "IAM user created (alarm when extra IAM users are created)",
        pattern: "{ ($.eventSource = iam.amazonaws.com) && ($.eventName = CreateUser) }",
    },
    {
        // CIS 4.5 leaves out the selectors, although changing them blinds the trail as surely as StopLogging.
        id: "trail-event-selector-changes",
        control: "field",
        description: "CloudTrail event or insight selector changes",
        pattern:
            "{ ($.eventSource = cloudtrail.amazonaws.com) && (($.eventName = PutEventSelectors) || ($.eventName = PutInsightSelectors)) }",
    },
];

/**
 * Filter pattern matching every assumption of the given roles: `AssumeRole` through STS and the
 * console's `SwitchRole`, successful or not (a failed attempt on a break-glass role is news too).
 * Each role is matched by its exact ARN, as the caller names it in the request.
 */
export function roleAssumedPattern(roleArns: readonly string[]): string {
    const assume = roleArns.map((arn) => `($.requestParameters.roleArn = "${arn}")`).join(" || ");
    const switchTo = roleArns.map((arn) => `($.additionalEventData.SwitchTo = "${arn}")`).join(" || ");
    return (
        `{ (($.eventSource = "sts.amazonaws.com") && ($.eventName = "AssumeRole") && (${assume}))` +
        ` || (($.eventSource = "signin.amazonaws.com") && ($.eventName = "SwitchRole") && (${switchTo})) }`
    );
}
