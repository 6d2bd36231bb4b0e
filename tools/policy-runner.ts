// Runs CrossGuard policies offline against recorded resources, the way the Pulumi CLI's policy
// analyzer would: same arguments, same enforcement-level and config resolution, and unknown values
// turned into advisory notes instead of violations.
import type {
    EnforcementLevel,
    Policy,
    PolicyResource,
    ResourceValidationArgs,
    ResourceValidationPolicy,
    StackValidationPolicy,
} from "@pulumi/policy";

// The analyzer's own unknown-value proxy (not in @pulumi/policy's typings): reading a value that a
// preview cannot know throws UnknownValueError, which the CLI turns into an advisory note.
const { unknownCheckingProxy, UnknownValueError } = require("@pulumi/policy/proxy") as {
    unknownCheckingProxy<T extends object>(props: T): T;
    UnknownValueError: new (...args: unknown[]) => Error;
};
import { RecordedResource } from "./mock-runtime";

export interface Violation {
    policy: string;
    enforcementLevel: EnforcementLevel;
    urn?: string;
    message: string;
}

/**
 * Pack configuration in the format of `pulumi preview --policy-pack-config <file>`: `all` sets the
 * level of every policy; a policy's entry is a level or `{ enforcementLevel?, ...properties }`.
 */
export type PackConfig = Record<string, EnforcementLevel | ({ enforcementLevel?: EnforcementLevel } & Record<string, unknown>)>;

export interface PolicyRunOptions {
    config?: PackConfig;
    /** Level of policies that set none (the PolicyPack's own `enforcementLevel`). */
    packEnforcementLevel?: EnforcementLevel;
}

/** Validates every resource and the stack; returns violations with their effective levels. */
export async function runPolicies(policies: Policy[], resources: RecordedResource[], options: PolicyRunOptions = {}): Promise<Violation[]> {
    validatePackConfig(policies, options.config);
    const violations: Violation[] = [];
    const byUrn = new Map(resources.map((r) => [r.urn, r]));
    // Built once for all policies: the views only read the records, and the rules only read the views.
    const views = resources.map((resource) => resourceView(resource, byUrn));
    let stackResources: PolicyResource[] | undefined;
    for (const policy of policies) {
        const level = enforcementLevelOf(policy, options);
        if (level === "disabled") {
            continue;
        }
        const config = configOf(policy, options.config);
        const report = (message: string, urn?: string) => violations.push({ policy: policy.name, enforcementLevel: level, urn, message });
        const common = {
            getConfig: <T extends object>() => config as T,
            notApplicable: (reason?: string): never => {
                throw new NotApplicable(reason);
            },
            stackTags: new Map<string, string>(),
        };
        if ("validateResource" in policy && policy.validateResource) {
            const validations = ([] as any[]).concat((policy as ResourceValidationPolicy).validateResource);
            for (const view of views) {
                const args: ResourceValidationArgs = { ...common, ...view };
                for (const validate of validations) {
                    // Most rules are synchronous: only a returned promise is awaited.
                    const pending = guard(policy, view.urn, () => validate(args, (message: string) => report(message, view.urn)));
                    if (pending) {
                        await pending;
                    }
                }
            }
        }
        if ("validateStack" in policy && policy.validateStack) {
            const linked = (stackResources ??= linkStackResources(resources));
            await guard(policy, undefined, () =>
                (policy as StackValidationPolicy).validateStack({ ...common, resources: linked }, (message: string, urn?: string) =>
                    report(message, urn),
                ),
            );
        }
    }
    return violations;
}

const LEVELS = ["advisory", "mandatory", "remediate", "disabled"];

/**
 * Checks pack config against the policies' config schemas, as the CLI does before it runs a pack:
 * a misspelt policy or property, a wrong type or an unknown level is an error listing every
 * problem, never a silent fallback to the default.
 */
export function validatePackConfig(policies: Policy[], config: PackConfig | undefined): void {
    const problems: string[] = [];
    const byName = new Map(policies.map((p) => [p.name, p]));
    for (const [name, entry] of Object.entries(config ?? {})) {
        const policy = byName.get(name);
        if (name !== "all" && !policy) {
            problems.push(`"${name}" is not a policy of the pack`);
            continue;
        }
        const level = typeof entry === "string" ? entry : entry?.enforcementLevel;
        if (level !== undefined && !LEVELS.includes(level)) {
            problems.push(`${name}: enforcement level "${level}" is not one of ${LEVELS.join(", ")}`);
        }
        if (typeof entry !== "object" || entry === null) {
            if (typeof entry !== "string") {
                problems.push(`${name}: expected an enforcement level or an object, got ${JSON.stringify(entry)}`);
            }
            continue;
        }
        if (name === "all") {
            problems.push(`all: only an enforcement level may be given`);
            continue;
        }
        const properties = (policy!.configSchema?.properties ?? {}) as Record<string, { type?: string; items?: { type?: string } }>;
        for (const [key, value] of Object.entries(entry)) {
            if (key === "enforcementLevel") {
                continue;
            }
            const schema = properties[key];
            if (!schema) {
                problems.push(
                    `${name}.${key}: not a config property of the policy (known: ${Object.keys(properties).join(", ") || "none"})`,
                );
            } else if (
                !matchesType(value, schema.type) ||
                (schema.type === "array" && Array.isArray(value) && !value.every((v) => matchesType(v, schema.items?.type)))
            ) {
                problems.push(
                    `${name}.${key}: ${JSON.stringify(value)} is not ${schema.type === "array" ? `an array of ${schema.items?.type ?? "values"}` : `a${/^[aeiou]/.test(schema.type ?? "") ? "n" : ""} ${schema.type}`}`,
                );
            }
        }
    }
    if (problems.length > 0) {
        throw new Error(`policy config: ${problems.join("; ")}`);
    }
}

function matchesType(value: unknown, type: string | undefined): boolean {
    switch (type) {
        case undefined:
            return true;
        case "string":
            return typeof value === "string";
        case "boolean":
            return typeof value === "boolean";
        case "number":
            return typeof value === "number";
        case "integer":
            return Number.isInteger(value);
        case "array":
            return Array.isArray(value);
        case "object":
            return typeof value === "object" && value !== null && !Array.isArray(value);
        default:
            return true;
    }
}

/** Does any violation carry the `mandatory` level? (The CLI's exit status.) */
export function hasMandatoryViolation(violations: Violation[]): boolean {
    return violations.some((v) => v.enforcementLevel === "mandatory");
}

class NotApplicable extends Error {}

/**
 * Runs one validation the way the analyzer does: not-applicable and unknown values end it quietly,
 * anything else fails the run naming the policy and resource. Returns a promise only when the
 * validation did.
 */
function guard(policy: Policy, urn: string | undefined, run: () => unknown): Promise<void> | undefined {
    const settle = (err: unknown): void => {
        if (err instanceof NotApplicable || err instanceof UnknownValueError) {
            // Unknowns are advisory notes in the CLI: a preview cannot see the value yet.
            return;
        }
        throw new Error(`policy ${policy.name} failed on ${urn ?? "the stack"}: ${(err as Error).message}`);
    };
    try {
        const result = run();
        if (result && typeof (result as Promise<unknown>).then === "function") {
            return (result as Promise<unknown>).then(() => undefined, settle);
        }
    } catch (err) {
        settle(err);
    }
    return undefined;
}

function enforcementLevelOf(policy: Policy, options: PolicyRunOptions): EnforcementLevel {
    const entry = options.config?.[policy.name];
    const fromEntry = typeof entry === "string" ? entry : entry?.enforcementLevel;
    const all = options.config?.all;
    return (
        fromEntry ?? (typeof all === "string" ? all : undefined) ?? policy.enforcementLevel ?? options.packEnforcementLevel ?? "advisory"
    );
}

function configOf(policy: Policy, config: PackConfig | undefined): Record<string, unknown> {
    const defaults: Record<string, unknown> = {};
    for (const [key, schema] of Object.entries(policy.configSchema?.properties ?? {})) {
        if (schema && typeof schema === "object" && "default" in schema) {
            defaults[key] = (schema as { default: unknown }).default;
        }
    }
    const entry = config?.[policy.name];
    const given = typeof entry === "object" ? { ...entry } : {};
    delete given.enforcementLevel;
    return { ...defaults, ...given };
}

function resourceView(resource: RecordedResource, byUrn: Map<string, RecordedResource>) {
    const provider = resource.provider ? byUrn.get(resource.provider) : undefined;
    const props = unknownCheckingProxy(resource.inputs);
    return {
        type: resource.type,
        urn: resource.urn,
        name: resource.name,
        opts: {
            protect: false,
            ignoreChanges: [],
            aliases: [],
            customTimeouts: { createSeconds: 0, updateSeconds: 0, deleteSeconds: 0 },
            additionalSecretOutputs: [],
            parent: resource.parent,
        },
        props,
        provider: provider ? { type: provider.type, props: provider.inputs, urn: provider.urn, name: provider.name } : undefined,
        // Resource classes carry their type token in the static `__pulumiType`, as the CLI compares them.
        isType: ((cls: { __pulumiType?: string }) => cls.__pulumiType === resource.type) as any,
        asType: ((cls: { __pulumiType?: string }) => (cls.__pulumiType === resource.type ? props : undefined)) as any,
    };
}

/** Builds the stack view: resources with parent, dependencies and propertyDependencies as objects. */
function linkStackResources(resources: RecordedResource[]): PolicyResource[] {
    const records = new Map(resources.map((r) => [r.urn, r]));
    const byUrn = new Map<string, PolicyResource>();
    const views = resources.map((resource) => {
        const view = resourceView(resource, records) as unknown as PolicyResource;
        byUrn.set(resource.urn, view);
        return view;
    });
    resources.forEach((resource, index) => {
        const view = views[index] as any;
        view.parent = resource.parent ? byUrn.get(resource.parent) : undefined;
        view.dependencies = resource.dependencies.map((urn) => byUrn.get(urn)).filter(Boolean);
        view.propertyDependencies = Object.fromEntries(
            Object.entries(resource.propertyDependencies).map(([key, urns]) => [key, urns.map((urn) => byUrn.get(urn)).filter(Boolean)]),
        );
    });
    return views;
}
