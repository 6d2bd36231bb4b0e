import * as aws from "@pulumi/aws";
import { PolicyResource, StackValidationPolicy } from "@pulumi/policy";
import { conditionValues, NormalizedStatement, readPolicy, statementCoversAction } from "../lib/policy-document";
import { eachOfType, label, referrers } from "../lib/resources";
import { EXEMPT_RESOURCES_SCHEMA, ExemptionConfig, judgedResources } from "../lib/rule";
import { S3_BUCKETS } from "../lib/types";
import { known, UNKNOWN } from "../lib/unknown";

export type S3TlsOnlyConfig = ExemptionConfig;

const STATEMENT = `{"Sid": "DenyInsecureTransport", "Effect": "Deny", "Principal": "*", "Action": "s3:*", "Resource": [<bucket ARN>, "<bucket ARN>/*"], "Condition": {"Bool": {"aws:SecureTransport": "false"}}}`;

/** Logs and credentials read over plain HTTP can be captured or altered on the way. */
export const s3TlsOnly: StackValidationPolicy = {
    name: "s3-tls-only",
    description: "Every S3 bucket's policy denies requests that do not use TLS (aws:SecureTransport false) on the bucket and its objects.",
    enforcementLevel: "mandatory",
    configSchema: { properties: { exemptResources: EXEMPT_RESOURCES_SCHEMA } },
    validateStack: (args, reportViolation) => {
        eachOfType(judgedResources(args), S3_BUCKETS, (bucket) => {
            const documents: unknown[] = [];
            const inline = known(() => bucket.props.policy);
            if (inline === UNKNOWN) {
                return;
            }
            if (inline !== undefined && inline !== null && inline !== "") {
                documents.push(inline);
            }
            const policies: PolicyResource[] = referrers(args.resources, [aws.s3.BucketPolicy], "bucket", bucket, ["bucket", "id"]);
            for (const p of policies) {
                const policy = known(() => p.props.policy);
                if (policy === UNKNOWN) {
                    return;
                }
                documents.push(policy);
            }
            let partial = false;
            for (const document of documents) {
                const parsed = readPolicy(document);
                if (!parsed) {
                    partial = true;
                    continue;
                }
                if (parsed.statements.some(deniesInsecureTransport)) {
                    return;
                }
                partial = partial || parsed.partial;
            }
            if (partial) {
                return;
            }
            reportViolation(
                `bucket ${label(bucket)} ${documents.length === 0 ? "has no bucket policy" : "has a bucket policy without a statement that denies insecure transport"}, so requests over plain HTTP are accepted. Add ${STATEMENT} to its aws.s3.BucketPolicy, as orglog:index:LogArchiveAccount does.`,
                bucket.urn,
            );
        });
    },
};

/** Deny, everyone, every S3 action, the bucket and its objects, when aws:SecureTransport is false. */
function deniesInsecureTransport(statement: NormalizedStatement): boolean {
    if (statement.effect !== "Deny" || statement.principals !== "*" || statement.notPrincipal || statement.notResource) {
        return false;
    }
    const everyAction = ["s3:GetObject", "s3:PutObject", "s3:ListBucket", "s3:DeleteObject"].every((a) =>
        statementCoversAction(statement, a),
    );
    const bucketLevel = statement.resources.some((r) => r === "*" || /^arn:[^:]+:s3:::[^/]+$/.test(r));
    const objectLevel = statement.resources.some(
        (r) => r === "*" || /^arn:[^:]+:s3:::[^/]+\/\*$/.test(r) || /^arn:[^:]+:s3:::[^/]*\*$/.test(r),
    );
    const secure = conditionValues(statement, ["Bool", "BoolIfExists"], "aws:SecureTransport");
    return (
        everyAction &&
        bucketLevel &&
        objectLevel &&
        secure !== undefined &&
        secure.length > 0 &&
        secure.every((v) => v.toLowerCase() === "false")
    );
}
