import * as aws from "@pulumi/aws";
import { PolicyResource, StackValidationPolicy } from "@pulumi/policy";
import { accountOf, label } from "../lib/resources";
import { EXEMPT_RESOURCES_SCHEMA, ExemptionConfig, judgedResources } from "../lib/rule";
import { tokenOf } from "../lib/types";
import { known, UNKNOWN } from "../lib/unknown";

export type AwsPolicySizeLimitsConfig = ExemptionConfig;

/** One kind of policy document and the quota AWS holds it to. */
export interface PolicyQuota {
    kind: string;
    limit: number;
    /** How AWS measures: IAM counts characters without whitespace; S3, KMS and SNS count bytes; Organizations counts characters. */
    unit: "characters" | "characters without whitespace" | "bytes";
}

export const POLICY_QUOTAS = {
    scp: { kind: "service control policy", limit: 5120, unit: "characters" },
    bucket: { kind: "S3 bucket policy", limit: 20480, unit: "bytes" },
    roleInline: { kind: "IAM role inline policies (together)", limit: 10240, unit: "characters without whitespace" },
    managed: { kind: "IAM managed policy", limit: 6144, unit: "characters without whitespace" },
    trust: { kind: "IAM role trust policy", limit: 2048, unit: "characters without whitespace" },
    key: { kind: "KMS key policy", limit: 32768, unit: "bytes" },
    topic: { kind: "SNS topic policy", limit: 30720, unit: "bytes" },
} as const satisfies Record<string, PolicyQuota>;

export type PolicyKind = keyof typeof POLICY_QUOTAS;

/** One measured policy document (or, for role inline policies, the sum of one role's). */
export interface PolicySize {
    kind: PolicyKind;
    /** The resource the size is reported on (for inline policies, the largest of the role's). */
    resource: PolicyResource;
    /** What the message names: `bucket policy "x"`, `IAM role "deployer"`. */
    subject: string;
    size: number;
}

/** A policy document as text: JSON text as given, an object as JSON; undefined when unknown or absent. */
function documentText(value: unknown): string | undefined {
    if (value === UNKNOWN || value === undefined || value === null || value === "") {
        return undefined;
    }
    return typeof value === "string" ? value : JSON.stringify(value);
}

/** The size of a document as AWS measures it for `unit`. */
export function measure(text: string, unit: PolicyQuota["unit"]): number {
    if (unit === "bytes") {
        return Buffer.byteLength(text, "utf8");
    }
    if (unit === "characters") {
        return [...text].length;
    }
    // IAM does not count whitespace outside of string values: measure the minified JSON.
    let minified = text;
    try {
        minified = JSON.stringify(JSON.parse(text));
    } catch {
        minified = text.replace(/\s+/g, "");
    }
    return [...minified].length;
}

/** Resources that hold one policy document in one property: the quota it is held to and what messages call it. */
const SINGLE_DOCUMENTS = new Map(
    (
        [
            [aws.s3.BucketPolicy, "bucket", "bucket policy"],
            [aws.iam.Policy, "managed", "IAM policy"],
            [aws.kms.Key, "key", "KMS key"],
            [aws.sns.Topic, "topic", "SNS topic"],
            [aws.sns.TopicPolicy, "topic", "SNS topic policy"],
        ] as const
    ).map(([cls, kind, subject]) => [tokenOf(cls), { kind, subject }]),
);

/** Every policy document of the stack measured against its quota; role inline policies summed per role. */
export function policySizes(resources: PolicyResource[]): PolicySize[] {
    const sizes: PolicySize[] = [];
    const text = (r: PolicyResource, prop: string) => documentText(known(() => r.props[prop]));
    const add = (kind: PolicyKind, resource: PolicyResource, subject: string, doc: string | undefined) => {
        if (doc !== undefined) {
            sizes.push({ kind, resource, subject, size: measure(doc, POLICY_QUOTAS[kind].unit) });
        }
    };
    // Inline policies of one role: its aws.iam.RolePolicy resources and its own `inlinePolicies`.
    const roles = new Map<string, { subject: string; resource: PolicyResource; largest: number; size: number }>();
    const addInline = (roleKey: string, subject: string, resource: PolicyResource, doc: string | undefined) => {
        if (doc === undefined) {
            return;
        }
        const size = measure(doc, POLICY_QUOTAS.roleInline.unit);
        const entry = roles.get(roleKey) ?? { subject, resource, largest: -1, size: 0 };
        entry.size += size;
        if (size > entry.largest) {
            entry.largest = size;
            entry.resource = resource;
        }
        roles.set(roleKey, entry);
    };
    for (const r of resources) {
        const single = SINGLE_DOCUMENTS.get(r.type);
        if (single) {
            add(single.kind, r, `${single.subject} ${label(r)}`, text(r, "policy"));
            continue;
        }
        switch (r.type) {
            case tokenOf(aws.organizations.Policy): {
                const type = known(() => r.props.type);
                if (type === undefined || type === "SERVICE_CONTROL_POLICY") {
                    add("scp", r, `service control policy ${label(r)}`, text(r, "content"));
                }
                break;
            }
            case tokenOf(aws.iam.Role): {
                add("trust", r, `IAM role ${label(r)} trust policy`, text(r, "assumeRolePolicy"));
                const name = known(() => r.props.name);
                const inline = known(() => r.props.inlinePolicies);
                if (Array.isArray(inline)) {
                    for (const p of inline) {
                        addInline(
                            `${accountOf(r)}/${typeof name === "string" ? name : r.urn}`,
                            `IAM role ${label(r)}`,
                            r,
                            documentText(p?.policy),
                        );
                    }
                }
                break;
            }
            case tokenOf(aws.iam.RolePolicy): {
                const role = known(() => r.props.role);
                if (typeof role === "string") {
                    addInline(`${accountOf(r)}/${role}`, `IAM role "${role}"`, r, text(r, "policy"));
                }
                break;
            }
        }
    }
    for (const entry of roles.values()) {
        sizes.push({ kind: "roleInline", resource: entry.resource, subject: `${entry.subject} inline policies`, size: entry.size });
    }
    return sizes;
}

const FIX: Record<PolicyKind, string> = {
    scp: "Split the statements over several SCPs (up to five per target) or merge statements with the same effect and condition",
    bucket: "Admit the organization with aws:SourceOrgID or aws:PrincipalOrgID and policy variables instead of one statement or ARN per account",
    roleInline:
        "Move statements into customer managed policies attached to the role, or name roles by pattern with aws:ResourceOrgID instead of one ARN per account",
    managed: "Split it into several managed policies, or replace per-account ARNs with a pattern and an organization condition",
    trust: "Trust a pattern with an organization condition instead of listing principals, or ask AWS to raise the quota (up to 4,096)",
    key: "Admit the organization with aws:PrincipalOrgID or aws:SourceOrgID instead of one principal or account per statement",
    topic: "Admit the organization with aws:PrincipalOrgID or aws:SourceOrgID instead of one principal per account",
};

/** A policy over its quota is refused by AWS on `pulumi up`; the plan says so first. */
export const awsPolicySizeLimits: StackValidationPolicy = {
    name: "aws-policy-size-limits",
    description:
        "Every policy document is within its AWS quota, measured as AWS measures it: SCP 5,120 characters, S3 bucket policy 20,480 bytes, inline policies of one IAM role 10,240 characters in total (without whitespace), managed policy 6,144, trust policy 2,048, KMS key policy 32,768 bytes, SNS topic policy 30,720 bytes.",
    enforcementLevel: "mandatory",
    configSchema: { properties: { exemptResources: EXEMPT_RESOURCES_SCHEMA } },
    validateStack: (args, reportViolation) => {
        for (const s of policySizes(judgedResources(args))) {
            const quota = POLICY_QUOTAS[s.kind];
            if (s.size > quota.limit) {
                reportViolation(
                    `${s.subject} is ${s.size.toLocaleString("en-US")} ${quota.unit}, over the ${quota.kind} limit of ${quota.limit.toLocaleString("en-US")}, so AWS would refuse it on deployment. ${FIX[s.kind]}.`,
                    s.resource.urn,
                );
            }
        }
    },
};
