import { ResourceValidationPolicy } from "@pulumi/policy";
import { NormalizedStatement, conditionValues, parsePolicy, statementCoversAction } from "../lib/policy-document";

export interface S3BucketOwnerFullControlConfig {
    /** Service principals that cannot send an ACL header, with the reason they are exempt. */
    exemptServicePrincipals: Record<string, string>;
}

const ACL_CONDITION_OPERATORS = ["StringEquals", "StringEqualsIgnoreCase", "StringLike"];
const BUCKET_POLICY = "aws:s3/bucketPolicy:BucketPolicy";
const BUCKET = "aws:s3/bucket:Bucket";
const BUCKET_ACL = "aws:s3/bucketAcl:BucketAcl";

/**
 * Objects written into a log bucket by a service or another account must belong to the bucket owner;
 * otherwise the writer keeps control of log files it should never be able to touch again.
 */
export const s3BucketOwnerFullControl: ResourceValidationPolicy = {
    name: "s3-bucket-owner-full-control",
    description: "S3 bucket policies that let a service or another account write objects must require the bucket-owner-full-control ACL; bucket ACLs must stay private.",
    enforcementLevel: "mandatory",
    configSchema: {
        properties: {
            exemptServicePrincipals: {
                type: "object",
                default: {
                    "logdelivery.elasticloadbalancing.amazonaws.com": "ALB access-log delivery sends no ACL header; the bucket must use BucketOwnerEnforced instead",
                    "logging.s3.amazonaws.com": "S3 server access logging sends no ACL header; the bucket must use BucketOwnerEnforced instead",
                },
            },
        },
    },
    validateResource: (args, reportViolation) => {
        const config = args.getConfig<S3BucketOwnerFullControlConfig>();
        if (args.type === BUCKET_POLICY || args.type === BUCKET) {
            const statements = args.type === BUCKET_POLICY || args.props.policy !== undefined ? parsePolicy(args.props.policy) : [];
            for (const statement of statements ?? []) {
                const problem = missingAclCondition(statement, config);
                if (problem) {
                    reportViolation(
                        `bucket policy statement ${statement.sid ? `"${statement.sid}" ` : ""}lets ${problem} s3:PutObject without requiring "s3:x-amz-acl" = "bucket-owner-full-control", so the writer would own the objects it puts. Add Condition {"StringEquals": {"s3:x-amz-acl": "bucket-owner-full-control"}} to the statement, or build the bucket with orglog:index:LogArchiveAccount.`,
                    );
                }
            }
        }
        if (args.type === BUCKET && args.props.acl !== undefined && args.props.acl !== "private") {
            reportViolation(`bucket has the canned ACL "${args.props.acl}", which grants access beyond the bucket owner. Remove \`acl\` and set ownership controls to BucketOwnerEnforced.`);
        }
        if (args.type === BUCKET && Array.isArray(args.props.grants) && args.props.grants.length > 0) {
            reportViolation(`bucket has ${args.props.grants.length} ACL grant(s), which give access outside bucket policies. Remove \`grants\` and use a bucket policy with BucketOwnerEnforced.`);
        }
        if (args.type === BUCKET_ACL) {
            const acl = args.props.acl;
            const grants = args.props.accessControlPolicy?.grants ?? [];
            if ((acl !== undefined && acl !== "private") || grants.length > 0) {
                reportViolation(`bucket ACL ${acl ? `"${acl}"` : "with explicit grants"} gives access outside the bucket policy. Delete the aws.s3.BucketAcl and set ownership controls to BucketOwnerEnforced, which disables ACLs.`);
            }
        }
    },
};

/** Describes the principal when the statement lets a service or an outside account PutObject without the ACL condition. */
function missingAclCondition(statement: NormalizedStatement, config: S3BucketOwnerFullControlConfig): string | undefined {
    if (statement.effect !== "Allow" || !statementCoversAction(statement, "s3:PutObject")) {
        return undefined;
    }
    const acl = conditionValues(statement, ACL_CONDITION_OPERATORS, "s3:x-amz-acl");
    if (acl && acl.length > 0 && acl.every((v) => v === "bucket-owner-full-control")) {
        return undefined;
    }
    if (statement.principals === "*") {
        return "everyone (*)";
    }
    const services = (statement.principals.Service ?? []).filter((s) => !(s in (config.exemptServicePrincipals ?? {})));
    if (services.length > 0) {
        return `the service principal ${services.map((s) => `"${s}"`).join(", ")}`;
    }
    const accounts = statement.principals.AWS ?? [];
    if (accounts.length > 0) {
        return `the principal ${accounts.map((s) => `"${s}"`).join(", ")}`;
    }
    return undefined;
}
