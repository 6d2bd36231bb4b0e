import * as aws from "@pulumi/aws";
import { Statement, denyInsecureTransport, policyDocument } from "./document";

/**
 * Regions that opened before August 2022, where ALB access-log delivery writes as the region's
 * Elastic Load Balancing account rather than as the `logdelivery.elasticloadbalancing.amazonaws.com`
 * service principal. https://docs.aws.amazon.com/elasticloadbalancing/latest/application/enable-access-logging.html
 */
export const LEGACY_ELB_LOG_REGIONS: ReadonlySet<string> = new Set([
    "us-east-1",
    "us-east-2",
    "us-west-1",
    "us-west-2",
    "af-south-1",
    "ca-central-1",
    "eu-central-1",
    "eu-west-1",
    "eu-west-2",
    "eu-west-3",
    "eu-south-1",
    "eu-north-1",
    "ap-east-1",
    "ap-northeast-1",
    "ap-northeast-2",
    "ap-northeast-3",
    "ap-southeast-1",
    "ap-southeast-2",
    "ap-southeast-3",
    "ap-south-1",
    "me-south-1",
    "sa-east-1",
    "us-gov-west-1",
    "us-gov-east-1",
    "cn-north-1",
    "cn-northwest-1",
]);

export interface ElbLogsBucketPolicyParams {
    bucketArn: string;
    /** The organization whose load balancers deliver access logs (`aws:SourceOrgID` of the log-delivery principal). */
    organizationId: string;
    /** ARN of the region's Elastic Load Balancing account root, in regions that opened before August 2022. */
    elbServiceAccountArn?: string;
}

/**
 * Bucket policy for ALB access-log delivery from every account of the organization, of one size
 * whatever the number of accounts. ELB composes each object key itself as
 * `AWSLogs/<the load balancer's account>/elasticloadbalancing/...`; the caller chooses only the bucket
 * and an optional prefix before `AWSLogs/`.
 *
 * - Regions opened after August 2022: the `logdelivery.elasticloadbalancing.amazonaws.com` principal,
 *   admitted for the organization by `aws:SourceOrgID`.
 * - Regions before August 2022: the region's Elastic Load Balancing account writes as itself. Its
 *   requests carry no key that names the load balancer's account or organization, so no policy
 *   variable or condition can tie a write to an account's prefix or to the organization: the statement
 *   admits `AWSLogs/*`. What still protects the logs: ELB writes only under the load balancer owner's
 *   own `AWSLogs/<account id>/` (an account cannot choose another's prefix), versioning keeps every
 *   overwritten version, BucketOwnerEnforced makes the archive own every object, and the archive SCP
 *   stops anyone but break-glass from deleting objects, versions or the policy. A load balancer
 *   outside the organization pointed at this bucket can add objects under its own account's prefix
 *   only; the ALB table reads the accounts a query names.
 * The log-delivery principal sends neither an ACL header nor accepts one; BucketOwnerEnforced
 * makes the bucket owner own every object regardless.
 * https://docs.aws.amazon.com/elasticloadbalancing/latest/application/enable-access-logging.html
 */
export function elbLogsBucketPolicy(p: ElbLogsBucketPolicyParams): aws.iam.PolicyDocument {
    const logs = `${p.bucketArn}/AWSLogs/*`;
    const statements: Statement[] = [
        denyInsecureTransport(p.bucketArn),
        {
            Sid: "ElbLogDelivery",
            Effect: "Allow",
            Principal: { Service: "logdelivery.elasticloadbalancing.amazonaws.com" },
            Action: "s3:PutObject",
            Resource: logs,
            Condition: { StringEquals: { "aws:SourceOrgID": p.organizationId } },
        },
    ];
    if (p.elbServiceAccountArn) {
        statements.push({
            Sid: "ElbRegionalAccountLogDelivery",
            Effect: "Allow",
            Principal: { AWS: p.elbServiceAccountArn },
            Action: "s3:PutObject",
            // No organization or account key exists for this principal (see above).
            Resource: logs,
        });
    }
    return policyDocument(statements);
}
