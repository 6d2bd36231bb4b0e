import * as aws from "@pulumi/aws";
import { ResourceValidationPolicy } from "@pulumi/policy";
import { identityPolicies, IDENTITY_POLICY_CLASSES } from "../lib/iam";
import {
    actionConditionKeys,
    actionResourceArns,
    allServices,
    isGlobalConditionKey,
    isValidOperator,
    keyListHas,
    ReferenceAction,
    resourceFitsTemplates,
    serviceData,
    serviceHasConditionKey,
} from "../lib/iam-reference";
import { actionPatternMatches, describeStatement, NormalizedStatement, ParsedPolicy, readPolicy } from "../lib/policy-document";
import { ResourceLike } from "../lib/resources";
import { EXEMPT_RESOURCES_SCHEMA, ExemptionConfig, validateResourcesOf } from "../lib/rule";
import { isOfType, tokenOf } from "../lib/types";
import { known } from "../lib/unknown";

export type IamPolicyValidConfig = ExemptionConfig;

/** Resource types whose property holds a resource, trust, key or organization policy document. */
const DOCUMENTS = [
    { cls: aws.s3.BucketPolicy, kind: "bucket policy", property: "policy" },
    { cls: aws.kms.Key, kind: "key policy", property: "policy" },
    { cls: aws.kms.KeyPolicy, kind: "key policy", property: "policy" },
    { cls: aws.sns.TopicPolicy, kind: "topic policy", property: "policy" },
    { cls: aws.sns.Topic, kind: "topic policy", property: "policy" },
    { cls: aws.sqs.QueuePolicy, kind: "queue policy", property: "policy" },
    { cls: aws.secretsmanager.SecretPolicy, kind: "secret policy", property: "policy" },
    { cls: aws.organizations.Policy, kind: "organization policy", property: "content" },
    { cls: aws.iam.Role, kind: "trust policy of role", property: "assumeRolePolicy" },
];
const DOCUMENT_PROPERTIES = new Map(DOCUMENTS.map(({ cls, kind, property }) => [tokenOf(cls), { kind, property }]));

function documentsOf(resource: ResourceLike): Array<{ where: string; policy: ParsedPolicy }> {
    const found = isOfType(resource, IDENTITY_POLICY_CLASSES) ? identityPolicies(resource) : [];
    const single = DOCUMENT_PROPERTIES.get(resource.type);
    if (single) {
        if (resource.type === tokenOf(aws.organizations.Policy)) {
            const type = known(() => resource.props.type);
            if (typeof type === "string" && type !== "SERVICE_CONTROL_POLICY" && type !== "RESOURCE_CONTROL_POLICY") {
                return found;
            }
        }
        const policy = readPolicy(known(() => resource.props[single.property]));
        if (policy) {
            found.push({ where: `${single.kind} "${resource.name}"`, policy });
        }
    }
    return found;
}

/** The reference actions an action pattern names: one, several for a wildcard, none when it names nothing. */
function expandAction(pattern: string): Array<{ service: string; action: ReferenceAction }> | "any" {
    if (pattern === "*") {
        return "any";
    }
    const colon = pattern.indexOf(":");
    if (colon <= 0) {
        return [];
    }
    const servicePattern = pattern.slice(0, colon);
    const namePattern = pattern.slice(colon + 1);
    const services = /[*?]/.test(servicePattern) ? allServices().filter((s) => actionPatternMatches(servicePattern, s)) : [servicePattern];
    const out: Array<{ service: string; action: ReferenceAction }> = [];
    for (const service of services) {
        const data = serviceData(service);
        if (!data) {
            continue;
        }
        if (!/[*?]/.test(namePattern)) {
            const action = data.actions[namePattern.toLowerCase()];
            if (action) {
                out.push({ service: service.toLowerCase(), action });
            }
            continue;
        }
        for (const action of Object.values(data.actions)) {
            if (actionPatternMatches(namePattern, action.name)) {
                out.push({ service: service.toLowerCase(), action });
            }
        }
    }
    return out;
}

/** Problems of one statement, as message fragments. */
function statementProblems(statement: NormalizedStatement): string[] {
    const problems: string[] = [];
    const covered: Array<{ service: string; action: ReferenceAction }> = [];
    let coversAny = statement.notAction;
    for (const pattern of statement.actions) {
        const expanded = expandAction(pattern);
        if (expanded === "any") {
            coversAny = true;
            continue;
        }
        if (expanded.length === 0) {
            const service = pattern.includes(":") ? pattern.slice(0, pattern.indexOf(":")) : "";
            problems.push(
                !pattern.includes(":")
                    ? `action "${pattern}" is not written service:Action`
                    : !/[*?]/.test(service) && !serviceData(service)
                      ? `action "${pattern}": "${service}" is not an IAM service prefix`
                      : /[*?]/.test(pattern)
                        ? `action pattern "${pattern}" matches no action of the IAM reference`
                        : `action "${pattern}" does not exist in the IAM reference of "${service}"`,
            );
            continue;
        }
        covered.push(...expanded);
    }
    for (const [operator, entries] of Object.entries(statement.conditions)) {
        if (!isValidOperator(operator)) {
            problems.push(`condition operator "${operator}" is not an IAM condition operator`);
        }
        for (const key of Object.keys(entries)) {
            if (isGlobalConditionKey(key)) {
                continue;
            }
            const colon = key.indexOf(":");
            const prefix = colon > 0 ? key.slice(0, colon) : "";
            if (prefix.includes(".") || prefix === "saml") {
                // Keys of an identity provider (token.actions.githubusercontent.com:sub, gitlab.com:aud).
                continue;
            }
            if (prefix.toLowerCase() === "aws") {
                problems.push(`condition key "${key}" is not a global condition key`);
                continue;
            }
            const data = serviceData(prefix);
            if (!data || !serviceHasConditionKey(data, key)) {
                problems.push(`condition key "${key}" does not exist in the IAM reference`);
                continue;
            }
            if (!coversAny && !covered.some(({ service, action }) => keyListHas(actionConditionKeys(serviceData(service)!, action), key))) {
                problems.push(`condition key "${key}" applies to none of the statement's actions`);
            }
        }
    }
    if (!statement.notResource && !statement.resources.includes("*")) {
        for (const pattern of statement.actions) {
            if (/[*?]/.test(pattern)) {
                continue;
            }
            const expanded = expandAction(pattern);
            if (expanded === "any" || expanded.length !== 1) {
                continue;
            }
            const { service, action } = expanded[0];
            const templates = actionResourceArns(serviceData(service)!, action);
            if (templates.length === 0) {
                continue;
            }
            const arns = statement.resources.filter((r) => r.startsWith("arn:"));
            if (arns.length > 0 && arns.length === statement.resources.length && !arns.some((r) => resourceFitsTemplates(r, templates))) {
                const named = arns.length === 1 ? `"${arns[0]}"` : `any of ${JSON.stringify(arns)}`;
                problems.push(
                    `action "${pattern}" cannot apply to ${named} (it takes ${action.resourceTypes.map((rt) => rt.name).join(", ")}: ${templates.join(", ")})`,
                );
            }
        }
    }
    return problems;
}

/**
 * A policy IAM reads differently from what it says does nothing at best: a misspelt action or
 * condition key, an unknown operator or a resource of the wrong type silently removes a grant or,
 * in a Deny or an SCP, a protection.
 */
export const iamPolicyValid: ResourceValidationPolicy = {
    name: "iam-policy-valid",
    description:
        "Every policy document (identity, trust, bucket, key, topic, secret, SCP) uses actions, condition keys, operators and resource ARNs that exist in IAM's service reference.",
    enforcementLevel: "mandatory",
    configSchema: { properties: { exemptResources: EXEMPT_RESOURCES_SCHEMA } },
    validateResource: validateResourcesOf(
        [...IDENTITY_POLICY_CLASSES, ...DOCUMENTS.map((d) => d.cls)],
        (_document, args, reportViolation) => {
            for (const { where, policy } of documentsOf(args)) {
                for (const statement of policy.statements) {
                    for (const problem of statementProblems(statement)) {
                        reportViolation(
                            `${where} ${describeStatement(statement)}: ${problem}. Correct it from AWS's Service Authorization Reference; IAM ignores what it does not know.`,
                        );
                    }
                }
            }
        },
    ),
};
