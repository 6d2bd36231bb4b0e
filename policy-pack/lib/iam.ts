// The identity policies a resource carries: managed policies, inline policies on roles, users and
// groups, a role's `inlinePolicies`, SSO permission sets. Trust and resource policies are not here.
import * as aws from "@pulumi/aws";
import { ParsedPolicy, readPolicy } from "./policy-document";
import { ResourceLike } from "./resources";
import { tokenOf } from "./types";
import { known, UNKNOWN } from "./unknown";

export interface IdentityPolicy {
    /** Where the document sits, for messages: `IAM policy "ci"`, `role "collector" inline policy "read"`. */
    where: string;
    policy: ParsedPolicy;
}

const SINGLE_DOCUMENT: Record<string, { kind: string; property: string }> = {
    [tokenOf(aws.iam.Policy)]: { kind: "IAM policy", property: "policy" },
    [tokenOf(aws.iam.RolePolicy)]: { kind: "role policy", property: "policy" },
    [tokenOf(aws.iam.UserPolicy)]: { kind: "user policy", property: "policy" },
    [tokenOf(aws.iam.GroupPolicy)]: { kind: "group policy", property: "policy" },
    [tokenOf(aws.ssoadmin.PermissionSetInlinePolicy)]: { kind: "permission set inline policy", property: "inlinePolicy" },
};

/** The resources that carry identity policies: the single-document ones and roles (their `inlinePolicies`). */
export const IDENTITY_POLICY_CLASSES = [
    aws.iam.Policy,
    aws.iam.RolePolicy,
    aws.iam.UserPolicy,
    aws.iam.GroupPolicy,
    aws.ssoadmin.PermissionSetInlinePolicy,
    aws.iam.Role,
];

/** The known identity policy documents of the resource (none when it carries none). */
export function identityPolicies(resource: ResourceLike): IdentityPolicy[] {
    const single = SINGLE_DOCUMENT[resource.type];
    if (single) {
        const policy = readPolicy(known(() => resource.props[single.property]));
        return policy ? [{ where: `${single.kind} "${resource.name}"`, policy }] : [];
    }
    if (resource.type === tokenOf(aws.iam.Role)) {
        const inline = known(() => resource.props.inlinePolicies);
        if (inline === UNKNOWN || !Array.isArray(inline)) {
            return [];
        }
        const found: IdentityPolicy[] = [];
        inline.forEach((_entry: unknown, i: number) => {
            const name = known(() => inline[i].name);
            const policy = readPolicy(known(() => inline[i].policy));
            if (policy) {
                const which = typeof name === "string" && name !== "" ? `"${name}"` : `${i + 1}`;
                found.push({ where: `role "${resource.name}" inline policy ${which}`, policy });
            }
        });
        return found;
    }
    return [];
}

/** `arn:<partition>:iam::aws:policy/<name>` of an AWS managed policy, matched by name. */
export function isAwsManagedPolicy(arn: unknown, names: string[]): string | undefined {
    if (typeof arn !== "string") {
        return undefined;
    }
    const match = /^arn:[^:]+:iam::aws:policy\/(?:.*\/)?([^/]+)$/.exec(arn);
    return match && names.includes(match[1]) ? match[1] : undefined;
}
