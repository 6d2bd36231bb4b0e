import * as aws from "@pulumi/aws";
import { PolicyResource, StackValidationPolicy } from "@pulumi/policy";
import { IDENTITY_POLICY_CLASSES, identityPolicies, IdentityPolicy, isAwsManagedPolicy } from "../lib/iam";
import {
    allowsAction,
    describeStatement,
    globMatch,
    NormalizedStatement,
    requiresExactly,
    resourceMayBe,
    splitArn,
} from "../lib/policy-document";
import { eachOfType, label, refersTo } from "../lib/resources";
import { EXEMPT_RESOURCES_SCHEMA, ExemptionConfig, isExempt, judgedResources } from "../lib/rule";
import { SEND_COMMAND_MANAGED_POLICIES } from "../lib/send-command-managed-policies";
import { RUN_PATH_CLASSES, runPathFindings } from "../lib/ssm-run-paths";
import { isOfType, tokenOf } from "../lib/types";
import { known, UNKNOWN } from "../lib/unknown";

export interface SsmSendCommandTagScopedConfig extends ExemptionConfig {
    /** Tag key the instances that may receive commands carry (`ssm:resourceTag/<tagKey>`). */
    tagKey: string;
    /** The one value of that tag the condition must require. */
    tagValue: string;
    /** SSM documents (names, wildcards * and ?) that may be sent without the tag condition. */
    allowedDocuments: string[];
    /** Also allow documents created in this stack (aws.ssm.Document), which are reviewed with it. */
    allowStackDocuments: boolean;
    /** AWS managed policies that must not be attached to a role that can send commands. */
    forbiddenManagedPolicies: string[];
    /** Flag those managed policies on every role, not only on roles that send commands. */
    forbidManagedPoliciesOnEveryRole: boolean;
    /** AWS managed policies that allow ssm:SendCommand on every instance: attaching one is an untagged grant. */
    sendCommandManagedPolicies: string[];
}

const SEND_COMMAND = "ssm:SendCommand";

/**
 * Run Command is remote code execution: a principal that may send any command to any instance owns
 * the fleet. Collectors are reached only through their tag, and only with reviewed documents.
 */
export const ssmSendCommandTagScoped: StackValidationPolicy = {
    name: "ssm-send-command-tag-scoped",
    description:
        "IAM policies that allow ssm:SendCommand on instances must require the collectors' ssm:resourceTag condition and name only allow-listed documents, no principal may hold an AWS managed policy that sends commands everywhere, and associations, maintenance window tasks, EventBridge targets and schedules run only approved documents on the tagged collectors.",
    enforcementLevel: "mandatory",
    configSchema: {
        properties: {
            tagKey: { type: "string", minLength: 1, default: "InstanceRole" },
            tagValue: { type: "string", minLength: 1, default: "LogCollection" },
            allowedDocuments: { type: "array", items: { type: "string" }, default: [] },
            allowStackDocuments: { type: "boolean", default: true },
            forbiddenManagedPolicies: { type: "array", items: { type: "string" }, default: ["AmazonSSMFullAccess", "AdministratorAccess"] },
            forbidManagedPoliciesOnEveryRole: { type: "boolean", default: false },
            sendCommandManagedPolicies: { type: "array", items: { type: "string" }, default: [...SEND_COMMAND_MANAGED_POLICIES] },
            exemptResources: EXEMPT_RESOURCES_SCHEMA,
        },
    },
    validateStack: (args, reportViolation) => {
        const config = args.getConfig<SsmSendCommandTagScopedConfig>();
        const tagCondition = `ssm:resourceTag/${config.tagKey}`;
        const fixTag = `Add Condition {"StringEquals": {"${tagCondition}": "${config.tagValue}"}} to the statement (orglog:index:CollectorFleet's publisher role does), or name only allow-listed document ARNs`;
        const resources = judgedResources(args);

        eachOfType(resources, IDENTITY_POLICY_CLASSES, (resource) => {
            for (const { where, policy } of identityPolicies(resource)) {
                for (const statement of policy.statements) {
                    if (!allowsAction(statement, SEND_COMMAND) || requiresExactly(statement, tagCondition, [config.tagValue])) {
                        continue;
                    }
                    const subject = `${where} ${describeStatement(statement)} allows ssm:SendCommand`;
                    if (statement.notResource) {
                        reportViolation(
                            `${subject} on every resource except ${JSON.stringify(statement.resources)} (NotResource) without the condition "${tagCondition}" = "${config.tagValue}", so it can run commands on any instance. Replace NotResource with the instance and document ARNs and ${lowerFirst(fixTag)}.`,
                            resource.urn,
                        );
                        continue;
                    }
                    const instances = statement.resources.filter(
                        (r) => resourceMayBe(r, "ec2", "instance/") || resourceMayBe(r, "ssm", "managed-instance/"),
                    );
                    if (instances.length > 0) {
                        reportViolation(
                            `${subject} on ${instances.map((r) => `"${r}"`).join(", ")} without the condition "${tagCondition}" = "${config.tagValue}"${describeTagCondition(statement, tagCondition)}, so it can run commands on instances that are not log collectors. ${fixTag}.`,
                            resource.urn,
                        );
                    }
                    const documents = statement.resources.filter((r) => !instances.includes(r) && resourceMayBe(r, "ssm", "document/"));
                    const unlisted = documents.filter((r) => !documentAllowed(r, resource, args.resources, config));
                    if (unlisted.length > 0) {
                        reportViolation(
                            `${subject} with the document(s) ${unlisted.map((r) => `"${r}"`).join(", ")}, which are neither in \`allowedDocuments\` nor created in this stack, so it can run arbitrary commands. Name only the reviewed documents (orglog:index:CollectorFleet creates one), add the document to the rule's \`allowedDocuments\`, or add the "${tagCondition}" condition.`,
                            resource.urn,
                        );
                    }
                }
            }
        });

        const grantingManaged = config.sendCommandManagedPolicies;
        for (const attachment of managedPolicyGrants(resources, grantingManaged)) {
            reportViolation(
                `${attachment.subject} attaches the AWS managed policy ${attachment.policyName}, which allows ssm:SendCommand on every instance and every document without the "${tagCondition}" condition, so the principal can run commands on any instance. Detach ${attachment.policyName} and grant ssm:SendCommand in a policy of your own with the condition (orglog:index:CollectorFleet's publisher role does).`,
                attachment.urn,
            );
        }

        for (const finding of runPathFindings(
            resources.filter((r) => isOfType(r, RUN_PATH_CLASSES)),
            args.resources,
            config,
        )) {
            reportViolation(finding.message, finding.urn);
        }

        const forbidden = config.forbiddenManagedPolicies.filter((name) => !grantingManaged.includes(name));
        eachOfType(resources, [aws.iam.Role], (role) => {
            const attached = managedAttachments(args.resources, role, forbidden).filter((a) => !isExempt(config, a));
            if (attached.length === 0) {
                return;
            }
            const sender = config.forbidManagedPoliciesOnEveryRole ? undefined : sendingPolicy(args.resources, role);
            if (!config.forbidManagedPoliciesOnEveryRole && !sender) {
                return;
            }
            for (const { policyName, via, urn } of attached) {
                reportViolation(
                    `role ${label(role)} ${sender ? `can send commands (${sender}) and ` : ""}has the AWS managed policy ${policyName} attached by ${via}, which allows ssm:SendCommand on every instance and every document, bypassing the "${tagCondition}" condition. Detach ${policyName} and grant only the actions the role needs.`,
                    urn,
                );
            }
        });
    },
};

const lowerFirst = (s: string) => s.charAt(0).toLowerCase() + s.slice(1);

/** Why a tag condition that is present does not count, for the message. */
function describeTagCondition(statement: NormalizedStatement, key: string): string {
    for (const [operator, entries] of Object.entries(statement.conditions)) {
        for (const [k, values] of Object.entries(entries)) {
            if (k.toLowerCase() === key.toLowerCase()) {
                return ` (it has ${operator} ${JSON.stringify(values)})`;
            }
        }
    }
    return "";
}

/** Is this document ARN allow-listed, or a document this stack creates? */
function documentAllowed(arn: string, holder: PolicyResource, resources: PolicyResource[], config: SsmSendCommandTagScopedConfig): boolean {
    const name = splitArn(arn)?.resource.replace(/^document\//, "");
    if (name === undefined) {
        return false;
    }
    if (config.allowedDocuments.some((pattern) => globMatch(pattern, name))) {
        return true;
    }
    if (!config.allowStackDocuments || /[*?]/.test(name)) {
        return false;
    }
    const dependsOn = new Set(
        [...(holder.dependencies ?? []), ...Object.values(holder.propertyDependencies ?? {}).flat()].map((d) => d.urn),
    );
    return resources.some((doc) => {
        if (!doc.isType(aws.ssm.Document)) {
            return false;
        }
        const docName = known(() => doc.props.name);
        if (typeof docName === "string" && docName !== "") {
            return docName === name;
        }
        // Auto-named: `<logical name>-<suffix>`, and the policy was computed from the document.
        return dependsOn.has(doc.urn) && name.startsWith(`${doc.name}-`);
    });
}

/** Identity policies in effect on the role: its inline policies, role policies, attached stack policies. */
function rolePolicies(resources: PolicyResource[], role: PolicyResource): IdentityPolicy[] {
    const found: IdentityPolicy[] = [...identityPolicies(role)];
    for (const r of resources) {
        if (r.isType(aws.iam.RolePolicy) && refersTo(r, "role", role, ["name", "id"])) {
            found.push(...identityPolicies(r));
        }
    }
    const attachedArns = resources.filter(
        (r) =>
            (r.isType(aws.iam.RolePolicyAttachment) && refersTo(r, "role", role, ["name", "id"])) ||
            (r.isType(aws.iam.PolicyAttachment) && refersTo(r, "roles", role, ["name", "id"])),
    );
    for (const policy of resources.filter((r) => r.isType(aws.iam.Policy))) {
        const viaAttachment = attachedArns.some((a) => refersTo(a, "policyArn", policy, ["arn", "id"]));
        const viaExclusive = resources.some(
            (r) =>
                r.isType(aws.iam.RolePolicyAttachmentsExclusive) &&
                refersTo(r, "roleName", role, ["name", "id"]) &&
                refersTo(r, "policyArns", policy, ["arn", "id"]),
        );
        const viaRole = refersTo(role, "managedPolicyArns", policy, ["arn", "id"]);
        if (viaAttachment || viaExclusive || viaRole) {
            found.push(...identityPolicies(policy));
        }
    }
    return found;
}

/** Where the role gets ssm:SendCommand from, if anywhere in the stack. */
function sendingPolicy(resources: PolicyResource[], role: PolicyResource): string | undefined {
    const sending = rolePolicies(resources, role).find(({ policy }) => policy.statements.some((s) => allowsAction(s, SEND_COMMAND)));
    return sending?.where;
}

/** The forbidden AWS managed policies attached to the role, and by which resource. */
function managedAttachments(
    resources: PolicyResource[],
    role: PolicyResource,
    forbidden: string[],
): Array<{ policyName: string; via: string; urn: string; name: string }> {
    const found: Array<{ policyName: string; via: string; urn: string; name: string }> = [];
    const arnsOf = (value: unknown) => (Array.isArray(value) ? value : [value]);
    const direct = known(() => arnsOf(role.props.managedPolicyArns).map((a) => a));
    if (direct !== UNKNOWN) {
        for (const arn of direct) {
            const name = isAwsManagedPolicy(arn, forbidden);
            if (name) {
                found.push({ policyName: name, via: "its `managedPolicyArns`", urn: role.urn, name: role.name });
            }
        }
    }
    for (const r of resources) {
        let arns: unknown[] | typeof UNKNOWN = [];
        if (
            (r.isType(aws.iam.RolePolicyAttachment) && refersTo(r, "role", role, ["name", "id"])) ||
            (r.isType(aws.iam.PolicyAttachment) && refersTo(r, "roles", role, ["name", "id"]))
        ) {
            arns = known(() => [r.props.policyArn]);
        } else if (r.isType(aws.iam.RolePolicyAttachmentsExclusive) && refersTo(r, "roleName", role, ["name", "id"])) {
            arns = known(() => arnsOf(r.props.policyArns).map((a) => a));
        }
        if (arns === UNKNOWN) {
            continue;
        }
        for (const arn of arns) {
            const name = isAwsManagedPolicy(arn, forbidden);
            if (name) {
                found.push({ policyName: name, via: `${r.type.split(":").pop()} "${r.name}"`, urn: r.urn, name: r.name });
            }
        }
    }
    return found;
}

const MANAGED_ATTACHMENTS: Record<string, { subject: string; property: string }> = {
    [tokenOf(aws.iam.RolePolicyAttachment)]: { subject: "role policy attachment", property: "policyArn" },
    [tokenOf(aws.iam.UserPolicyAttachment)]: { subject: "user policy attachment", property: "policyArn" },
    [tokenOf(aws.iam.GroupPolicyAttachment)]: { subject: "group policy attachment", property: "policyArn" },
    [tokenOf(aws.iam.PolicyAttachment)]: { subject: "policy attachment", property: "policyArn" },
    [tokenOf(aws.iam.RolePolicyAttachmentsExclusive)]: { subject: "exclusive role policy attachments", property: "policyArns" },
    [tokenOf(aws.iam.UserPolicyAttachmentsExclusive)]: { subject: "exclusive user policy attachments", property: "policyArns" },
    [tokenOf(aws.iam.GroupPolicyAttachmentsExclusive)]: { subject: "exclusive group policy attachments", property: "policyArns" },
    [tokenOf(aws.ssoadmin.ManagedPolicyAttachment)]: { subject: "permission set managed policy attachment", property: "managedPolicyArn" },
    [tokenOf(aws.iam.Role)]: { subject: "role", property: "managedPolicyArns" },
};

/** Every attachment of one of the listed AWS managed policies, to any principal, with its resource. */
function managedPolicyGrants(resources: PolicyResource[], names: string[]): Array<{ subject: string; policyName: string; urn: string }> {
    const found: Array<{ subject: string; policyName: string; urn: string }> = [];
    for (const r of resources) {
        const kind = MANAGED_ATTACHMENTS[r.type];
        if (!kind) {
            continue;
        }
        const value = known(() => {
            const v = r.props[kind.property];
            return Array.isArray(v) ? v.map((a) => a) : [v];
        });
        if (value === UNKNOWN) {
            continue;
        }
        for (const arn of value) {
            const name = isAwsManagedPolicy(
                known(() => arn),
                names,
            );
            if (name) {
                found.push({
                    subject: `${kind.subject} ${label(r)}${r.isType(aws.iam.Role) ? " `managedPolicyArns`" : ""}`,
                    policyName: name,
                    urn: r.urn,
                });
            }
        }
    }
    return found;
}
