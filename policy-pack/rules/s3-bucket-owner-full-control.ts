import * as aws from "@pulumi/aws";
import { PolicyResource, StackValidationPolicy } from "@pulumi/policy";
import {
    allowsAction,
    conditionValues,
    describeStatement,
    NormalizedStatement,
    principalAccount,
    readPolicy,
    requiresExactly,
} from "../lib/policy-document";
import { accountOf, eachOfType, label, referrers } from "../lib/resources";
import { EXEMPT_RESOURCES_SCHEMA, ExemptionConfig, judgedResources } from "../lib/rule";
import { S3_BUCKETS } from "../lib/types";
import { known, plainCopy, UNKNOWN } from "../lib/unknown";

export interface S3BucketOwnerFullControlConfig extends ExemptionConfig {
    /** Service principals that cannot send an ACL header, with the reason they are exempt. */
    exemptServicePrincipals: Record<string, string>;
    /** AWS accounts (12 digits) that deliver logs without an ACL header, with the reason. */
    exemptAwsAccounts: Record<string, string>;
    /** Accept `BucketOwnerPreferred` ownership (ACLs stay enabled) in addition to `BucketOwnerEnforced`. */
    allowBucketOwnerPreferred: boolean;
    /** Canned ACLs accepted on buckets and aws.s3.BucketAcl. */
    allowedCannedAcls: string[];
}

const BUCKET_ACLS = [aws.s3.BucketAcl, aws.s3.BucketAclV2];
const ACL_KEY = "s3:x-amz-acl";
const FIX_POLICY = `Add Condition {"StringEquals": {"s3:x-amz-acl": "bucket-owner-full-control"}} to the statement, or build the bucket with orglog:index:LogArchiveAccount`;

const ALB_REASON =
    "Elastic Load Balancing delivers ALB access logs from this regional account without an ACL header (regions opened before August 2022); the bucket must use BucketOwnerEnforced instead";

/**
 * Objects written into a log bucket by a service or another account must belong to the bucket
 * owner; otherwise the writer keeps control of log files it should never be able to touch again.
 */
export const s3BucketOwnerFullControl: StackValidationPolicy = {
    name: "s3-bucket-owner-full-control",
    description:
        "S3 bucket policies that let a service or another account put objects must require the bucket-owner-full-control ACL; bucket ACLs stay private and every bucket has BucketOwnerEnforced ownership controls.",
    enforcementLevel: "mandatory",
    configSchema: {
        properties: {
            exemptServicePrincipals: {
                type: "object",
                additionalProperties: { type: "string", minLength: 1 },
                default: {
                    "logdelivery.elasticloadbalancing.amazonaws.com":
                        "ALB access-log delivery sends no ACL header; the bucket must use BucketOwnerEnforced instead",
                    "delivery.logs.amazonaws.com":
                        "CloudWatch vended-log delivery sends no ACL header; the bucket must use BucketOwnerEnforced instead",
                    "logging.s3.amazonaws.com":
                        "S3 server access logging sends no ACL header; the bucket must use BucketOwnerEnforced instead",
                },
            },
            exemptAwsAccounts: {
                type: "object",
                additionalProperties: { type: "string", minLength: 1 },
                default: Object.fromEntries(
                    [
                        "127311923021",
                        "033677994240",
                        "027434742980",
                        "797873946194",
                        "985666609251",
                        "054676820928",
                        "156460612806",
                        "652711504416",
                        "009996457667",
                        "897822967062",
                        "635631232127",
                        "582318560864",
                        "600734575887",
                        "383597477331",
                        "114774131450",
                        "783225319266",
                        "718504428378",
                        "507241528517",
                    ].map((account) => [account, ALB_REASON]),
                ),
            },
            allowBucketOwnerPreferred: { type: "boolean", default: false },
            allowedCannedAcls: { type: "array", items: { type: "string" }, default: ["private"] },
            exemptResources: EXEMPT_RESOURCES_SCHEMA,
        },
    },
    validateStack: (args, reportViolation) => {
        const config = args.getConfig<S3BucketOwnerFullControlConfig>();
        const resources = judgedResources(args);

        eachOfType(resources, [aws.s3.BucketPolicy, ...S3_BUCKETS], (resource) => {
            const policy = readPolicy(known(() => resource.props.policy));
            for (const statement of policy?.statements ?? []) {
                const writer = writerWithoutAcl(statement, resource, config);
                if (writer) {
                    const where = resource.isType(aws.s3.BucketPolicy)
                        ? `bucket policy ${label(resource)}`
                        : `bucket ${label(resource)} inline policy`;
                    reportViolation(
                        `${where} ${describeStatement(statement)} lets ${writer} s3:PutObject without requiring "${ACL_KEY}" = "bucket-owner-full-control", so the writer would own the objects it puts. ${FIX_POLICY}.`,
                        resource.urn,
                    );
                }
            }
        });

        const allowedAcls = config.allowedCannedAcls;
        eachOfType(resources, S3_BUCKETS, (bucket) => {
            const acl = known(() => bucket.props.acl);
            if (typeof acl === "string" && !allowedAcls.includes(acl)) {
                reportViolation(
                    `bucket ${label(bucket)} has the canned ACL "${acl}", which grants access beyond the bucket owner. Remove \`acl\` and set ownership controls to BucketOwnerEnforced.`,
                    bucket.urn,
                );
            }
            const grants = plainCopy(known(() => bucket.props.grants));
            const foreign = Array.isArray(grants) ? foreignBucketGrants(grants) : 0;
            if (foreign > 0) {
                reportViolation(
                    `bucket ${label(bucket)} has ${foreign} ACL grant(s) beyond the owner's, which give access outside bucket policies. Remove \`grants\` and use a bucket policy with BucketOwnerEnforced.`,
                    bucket.urn,
                );
            }
        });
        eachOfType(resources, BUCKET_ACLS, (resource) => {
            const acl = known(() => resource.props.acl);
            const foreign = known(() => foreignGrants(resource));
            if (typeof acl === "string" && !allowedAcls.includes(acl)) {
                reportViolation(
                    `bucket ACL ${label(resource)} sets the canned ACL "${acl}", which gives access outside the bucket policy. Delete the aws.s3.BucketAcl and set ownership controls to BucketOwnerEnforced, which disables ACLs.`,
                    resource.urn,
                );
            } else if (typeof foreign === "number" && foreign > 0) {
                reportViolation(
                    `bucket ACL ${label(resource)} grants ${foreign} grantee(s) other than the bucket owner, which gives access outside the bucket policy. Delete the aws.s3.BucketAcl and set ownership controls to BucketOwnerEnforced, which disables ACLs.`,
                    resource.urn,
                );
            }
        });

        const allowedOwnership = config.allowBucketOwnerPreferred
            ? ["BucketOwnerEnforced", "BucketOwnerPreferred"]
            : ["BucketOwnerEnforced"];
        eachOfType(resources, S3_BUCKETS, (bucket) => {
            const controls = referrers(args.resources, [aws.s3.BucketOwnershipControls], "bucket", bucket, ["bucket", "id"]);
            if (controls.length === 0) {
                reportViolation(
                    `bucket ${label(bucket)} has no aws.s3.BucketOwnershipControls, so objects written by other accounts or services can stay owned by the writer. Add aws.s3.BucketOwnershipControls with rule.objectOwnership "BucketOwnerEnforced" for this bucket, or create it with orglog:index:LogArchiveAccount.`,
                    bucket.urn,
                );
            }
        });
        eachOfType(resources, [aws.s3.BucketOwnershipControls], (controls) => {
            const ownership = known(() => controls.props.rule?.objectOwnership);
            if (ownership !== UNKNOWN && !allowedOwnership.includes(String(ownership))) {
                reportViolation(
                    `bucket ownership controls ${label(controls)} set rule.objectOwnership to "${String(ownership)}", so writers keep ownership of the objects they put. Set rule.objectOwnership to "BucketOwnerEnforced"${config.allowBucketOwnerPreferred ? ` (or "BucketOwnerPreferred")` : ""}.`,
                    controls.urn,
                );
            }
        });
    },
};

/** Describes the writer when the statement lets a service or an outside account PutObject without the ACL condition. */
function writerWithoutAcl(
    statement: NormalizedStatement,
    resource: PolicyResource,
    config: S3BucketOwnerFullControlConfig,
): string | undefined {
    if (
        !allowsAction(statement, "s3:PutObject") ||
        requiresExactly(statement, ACL_KEY, ["bucket-owner-full-control"]) ||
        forbidsAcl(statement)
    ) {
        return undefined;
    }
    if (statement.principals === "*" || statement.notPrincipal) {
        return "everyone (*)";
    }
    const exemptServices = config.exemptServicePrincipals;
    const services = (statement.principals.Service ?? []).filter((s) => !(s in exemptServices));
    if (services.length > 0) {
        return `the service principal ${services.map((s) => `"${s}"`).join(", ")}`;
    }
    const bucketAccount = accountOf(resource);
    const exemptAccounts = config.exemptAwsAccounts;
    const outside = [
        ...(statement.principals.AWS ?? []),
        ...(statement.principals.Federated ?? []),
        ...(statement.principals.CanonicalUser ?? []),
    ].filter((p) => {
        const account = principalAccount(p);
        return account === undefined || (account !== bucketAccount && !(account in exemptAccounts));
    });
    if (outside.length > 0) {
        return `the principal ${outside.map((s) => `"${s}"`).join(", ")}${bucketAccount ? ` (outside the bucket's account ${bucketAccount})` : ""}`;
    }
    return undefined;
}

/**
 * The statement admits only requests without an ACL header (`Null` `s3:x-amz-acl` = true): the parts
 * and completion of a multipart upload, which are authorized as s3:PutObject but never carry the
 * header. Such a writer cannot set an ACL, and the BucketOwnerEnforced ownership this rule also
 * requires makes the bucket owner own what it writes.
 */
function forbidsAcl(statement: NormalizedStatement): boolean {
    const values = conditionValues(statement, ["Null"], ACL_KEY);
    return values !== undefined && values.length > 0 && values.every((v) => String(v).toLowerCase() === "true");
}

/** Grants of an aws.s3.BucketAcl to anyone but the owner named in it. */
function foreignGrants(resource: PolicyResource): number {
    const policy = resource.props.accessControlPolicy;
    if (!policy) {
        return 0;
    }
    const ownerId = policy.owner?.id;
    return (policy.grants ?? []).filter((g: any) => !(g.grantee?.type === "CanonicalUser" && g.grantee?.id === ownerId)).length;
}

/**
 * Grants on the bucket itself beyond the owner's: group grantees (everyone, authenticated users,
 * log delivery) and any second canonical user. The provider reports the owner's FULL_CONTROL grant
 * in the bucket's outputs even when nobody wrote `grants`, so one canonical user is the owner.
 */
function foreignBucketGrants(grants: any[]): number {
    const groups = grants.filter((g) => g?.type === "Group" || g?.uri).length;
    const users = new Set(grants.filter((g) => g?.type === "CanonicalUser").map((g) => g.id)).size;
    return groups + Math.max(0, users - 1);
}
