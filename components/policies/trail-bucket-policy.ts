import { Statement, denyInsecureTransport, policyDocument } from "./document";
import * as aws from "@pulumi/aws";
import { oneOfProblem } from "../internal/validation";

export interface TrailBucketPolicyParams {
    bucketArn: string;
    partition: string;
    homeRegion: string;
    managementAccountId: string;
    organizationId: string;
    trailName: string;
    /** `organization` adds the statement for `AWSLogs/<organization id>/*`. */
    trailMode: "organization" | "account";
}

/** Trail names CloudTrail accepts: 3-128 characters, letters, digits, `.`, `_`, `-`, starting and ending alphanumeric. */
const TRAIL_NAME = /^[A-Za-z0-9][A-Za-z0-9._-]{1,126}[A-Za-z0-9]$/;

/** The scopes of a trail: the organization, or (sandboxes) the management account alone. */
export const TRAIL_MODES: readonly string[] = ["organization", "account"];

/**
 * Why CloudTrail would refuse `name` as a trail name, or undefined when it is valid. Besides the
 * character rules, CloudTrail rejects adjacent separators (`my-_trail`, `my..trail`) and names in IP
 * address form. https://docs.aws.amazon.com/awscloudtrail/latest/APIReference/API_CreateTrail.html
 */
export function trailNameProblem(argName: string, name: string): string | undefined {
    if (typeof name !== "string" || !TRAIL_NAME.test(name) || /[._-]{2}/.test(name) || /^\d{1,3}(\.\d{1,3}){3}$/.test(name)) {
        return `\`${argName}\` (${JSON.stringify(name)}) is not a valid trail name. Use 3-128 letters, digits, ".", "_" or "-", starting and ending with a letter or digit`;
    }
    return undefined;
}

/** The problems of the `trailName` and `trailMode` Args both trail components take, in that order. */
export function trailArgsProblems(trailName: string, trailMode: unknown): string[] {
    return [trailNameProblem("trailName", trailName), oneOfProblem("trailMode", trailMode, TRAIL_MODES)].filter(
        (p): p is string => p !== undefined,
    );
}

/** The trail's ARN as CloudTrail presents it in `aws:SourceArn`. */
export function trailArn(p: Pick<TrailBucketPolicyParams, "partition" | "homeRegion" | "managementAccountId" | "trailName">): string {
    return `arn:${p.partition}:cloudtrail:${p.homeRegion}:${p.managementAccountId}:trail/${p.trailName}`;
}

/**
 * The bucket policy AWS documents for (organization) trails that deliver into another account:
 * https://docs.aws.amazon.com/awscloudtrail/latest/userguide/create-s3-bucket-policy-for-cloudtrail.html
 */
export function trailBucketPolicy(p: TrailBucketPolicyParams): aws.iam.PolicyDocument {
    const sourceArn = trailArn(p);
    const principal = { Service: "cloudtrail.amazonaws.com" };
    const write = (sid: string, prefix: string): Statement => ({
        Sid: sid,
        Effect: "Allow",
        Principal: principal,
        Action: "s3:PutObject",
        Resource: `${p.bucketArn}/AWSLogs/${prefix}/*`,
        Condition: {
            StringEquals: { "s3:x-amz-acl": "bucket-owner-full-control", "aws:SourceArn": sourceArn },
        },
    });
    const statements: Statement[] = [
        denyInsecureTransport(p.bucketArn),
        {
            Sid: "CloudTrailAclCheck",
            Effect: "Allow",
            Principal: principal,
            Action: "s3:GetBucketAcl",
            Resource: p.bucketArn,
            Condition: { StringEquals: { "aws:SourceArn": sourceArn } },
        },
        write("CloudTrailWriteManagementAccount", p.managementAccountId),
    ];
    if (p.trailMode === "organization") {
        statements.push(write("CloudTrailWriteOrganization", p.organizationId));
    }
    return policyDocument(statements);
}
