// Relations between resources as the CLI hands them to stack policies: a bucket and its ownership
// controls, a role and its policies. They are found through `propertyDependencies` (the resource
// an input was computed from), then `dependencies`, and only for inputs written as literals by the
// names the user wrote; never by resolving names of resources that do not exist yet.
import type { PolicyResource } from "@pulumi/policy";
import { isOfType, ResourceClass } from "./types";
import { judge, known, UNKNOWN } from "./unknown";

/** What rules need of a resource; both PolicyResource and ResourceValidationArgs have it. */
export interface ResourceLike {
    type: string;
    urn: string;
    name: string;
    props: Record<string, any>;
    provider?: { type: string; urn: string; name: string; props: Record<string, any> };
}

/** Is `child.props[property]` a reference to `target`? */
export function refersTo(child: PolicyResource, property: string, target: PolicyResource, targetNameProps: string[]): boolean {
    const deps = child.propertyDependencies?.[property] ?? [];
    if (deps.length > 0) {
        return deps.some((d) => d.urn === target.urn);
    }
    const value = known(() => child.props[property]);
    if (value === UNKNOWN) {
        // The input is an output of something not created yet: trust the declared dependencies.
        return (child.dependencies ?? []).some((d) => d.urn === target.urn);
    }
    const written = (Array.isArray(value) ? value : [value]).filter((v): v is string => typeof v === "string" && v !== "");
    if (written.length === 0) {
        return false;
    }
    return targetNameProps.some((prop) => {
        const name = known(() => target.props[prop]);
        return typeof name === "string" && name !== "" && written.includes(name);
    });
}

/** The resources of the given classes that refer to `target` through `property`. */
export function referrers(
    resources: PolicyResource[],
    classes: readonly ResourceClass[],
    property: string,
    target: PolicyResource,
    targetNameProps: string[],
): PolicyResource[] {
    return resources.filter((r) => isOfType(r, classes) && refersTo(r, property, target, targetNameProps));
}

const parseJson = (value: unknown): unknown => {
    if (typeof value === "string" && /^\s*[[{]/.test(value)) {
        try {
            return JSON.parse(value);
        } catch {
            return value;
        }
    }
    return value;
};

/**
 * The account a resource is managed in, from its provider's `allowedAccountIds` or assumed role
 * (provider inputs arrive as JSON text). Undefined when the provider does not say.
 */
export function accountOf(resource: ResourceLike): string | undefined {
    const provider = resource.provider;
    if (!provider) {
        return undefined;
    }
    const allowed = parseJson(known(() => provider.props.allowedAccountIds));
    if (Array.isArray(allowed) && allowed.length === 1 && /^\d{12}$/.test(String(allowed[0]))) {
        return String(allowed[0]);
    }
    const roles = parseJson(known(() => provider.props.assumeRoles));
    const role = Array.isArray(roles) ? roles[0] : parseJson(known(() => provider.props.assumeRole));
    const roleArn = role && typeof role === "object" ? (role as { roleArn?: unknown }).roleArn : undefined;
    return typeof roleArn === "string" ? /^arn:[^:]+:iam::(\d{12}):/.exec(roleArn)?.[1] : undefined;
}

/** The region a resource's provider targets, when it says. */
function regionOf(resource: ResourceLike): string | undefined {
    const region = resource.provider ? known(() => resource.provider!.props.region) : undefined;
    return typeof region === "string" ? region : undefined;
}

/** Do two resources live in the same account and region (same provider, or providers that say so)? */
export function sameAccountAndRegion(a: ResourceLike, b: ResourceLike): boolean {
    if (a.provider && b.provider && a.provider.urn === b.provider.urn) {
        return true;
    }
    const account = accountOf(a);
    return account !== undefined && account === accountOf(b) && regionOf(a) !== undefined && regionOf(a) === regionOf(b);
}

/** `"name"` of a resource for messages: its logical name, as written in the program. */
export function label(resource: { name: string }): string {
    return `"${resource.name}"`;
}

/** Runs `check` on every resource of the given classes; an unknown value skips only that resource. */
export function eachOfType(
    resources: PolicyResource[],
    classes: readonly ResourceClass[],
    check: (resource: PolicyResource) => void,
): void {
    for (const resource of resources) {
        if (isOfType(resource, classes)) {
            judge(() => check(resource));
        }
    }
}

/** A value as a message shows it: `"x"`, `false`, `not set`. */
export function shown(value: unknown): string {
    return value === undefined || value === null ? "not set" : JSON.stringify(value);
}
