// Runs one policy rule on hand-written resources through the same runner as the plan.
import type { Policy } from "@pulumi/policy";
import { RecordedResource } from "../../tools/mock-runtime";
import { PackConfig, runPolicies, Violation } from "../../tools/policy-runner";

export interface FakeResource {
    type: string;
    name?: string;
    inputs: Record<string, unknown>;
    parent?: string;
    provider?: string;
    dependencies?: string[];
    propertyDependencies?: Record<string, string[]>;
    urn?: string;
}

/** The URN a resource of `type` named `name` gets in the test stack. */
export function urnOf(type: string, name: string): string {
    return `urn:pulumi:test::org-logging::${type}::${name}`;
}

export function fakeResource(r: FakeResource): RecordedResource {
    const name = r.name ?? "subject";
    return {
        urn: r.urn ?? urnOf(r.type, name),
        type: r.type,
        name,
        custom: !r.type.includes(":index:"),
        parent: r.parent,
        provider: r.provider,
        account: "222222222222",
        region: "eu-west-1",
        inputs: r.inputs,
        state: r.inputs,
        dependencies: r.dependencies ?? [],
        options: { protect: false, retainOnDelete: false, ignoreChanges: [], deleteBeforeReplace: false, dependsOn: [] },
        propertyDependencies: r.propertyDependencies ?? {},
    };
}

/** Violations of `policy` on the given resources (one resource or a whole stack). */
export function runRule(policy: Policy, resources: FakeResource | FakeResource[], config?: PackConfig[string]): Promise<Violation[]> {
    const list = (Array.isArray(resources) ? resources : [resources]).map(fakeResource);
    return runPolicies([policy], list, config === undefined ? {} : { config: { [policy.name]: config } });
}
