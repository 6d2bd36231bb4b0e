// Test helpers around the shared mock runtime (tools/mock-runtime.ts, the only setMocks caller).
import * as fs from "fs";
import * as path from "path";
import { parse as parseYaml } from "yaml";
import { loadStackConfig, parseConfigValue, StackConfig } from "../../infra/config";
import { MockOrganization, useOrganization } from "../../tools/mock-organization";
import { RecordedResource, recordedResources, settle, startMockRuntime, unwrap } from "../../tools/mock-runtime";

export { unwrap };
export type { MockOrganization };
export type { RecordedResource };

export const ROOT = path.resolve(__dirname, "../..");

/** The raw `org-logging:` config of a stack file, as the Pulumi runtime would hand it over. */
export function rawStackConfig(stack: string, dir = ROOT): Record<string, unknown> {
    const doc = parseYaml(fs.readFileSync(path.join(dir, `Pulumi.${stack}.yaml`), "utf8")) as { config: Record<string, unknown> };
    const raw: Record<string, unknown> = {};
    for (const [key, value] of Object.entries(doc.config)) {
        if (key.startsWith("org-logging:")) {
            raw[key.slice("org-logging:".length)] = typeof value === "string" ? parseConfigValue(value) : value;
        }
    }
    return raw;
}

/** The validated config of a committed stack file. */
export function stackConfig(stack: string): StackConfig {
    return loadStackConfig(rawStackConfig(stack), `Pulumi.${stack}.yaml`);
}

/** Runs `build` under fresh mocks and returns what it registered once everything has settled. */
export async function runUnderMocks<T>(
    build: () => T,
    options: { project?: string; stack?: string; organization?: MockOrganization } = {},
): Promise<{ result: T; resources: RecordedResource[] }> {
    // Organizations look-ups: the given organization, else the mock's default one.
    useOrganization(options.organization);
    startMockRuntime({ project: options.project ?? "org-logging", stack: options.stack ?? "test" });
    const result = build();
    await unwrap(result as never);
    await settle();
    return { result, resources: recordedResources() };
}

/** The resources of a type, optionally only those whose name is exactly `name`. */
export function ofType(resources: RecordedResource[], type: string, name?: string): RecordedResource[] {
    return resources.filter((r) => r.type === type && (name === undefined || r.name === name));
}

/** The single resource of a type and name; fails the test when there is not exactly one. */
export function single(resources: RecordedResource[], type: string, name?: string): RecordedResource {
    const found = ofType(resources, type, name);
    if (found.length !== 1) {
        throw new Error(
            `expected one ${type}${name ? ` named ${name}` : ""}, found ${found.length}: ${found.map((r) => r.name).join(", ")}`,
        );
    }
    return found[0];
}

/** A policy input (JSON text or object) as an object. */
export function policyOf(value: unknown): { Version: string; Statement: Array<Record<string, any>> } {
    return typeof value === "string" ? JSON.parse(value) : (value as any);
}

/** The statement with the given Sid; fails when absent. */
export function statement(policy: unknown, sid: string): Record<string, any> {
    const found = policyOf(policy).Statement.find((s) => s.Sid === sid);
    if (!found) {
        throw new Error(`no statement "${sid}" in ${JSON.stringify(policyOf(policy).Statement.map((s) => s.Sid))}`);
    }
    return found;
}

/** Whether `resource` waits for `on`, directly or through a chain of dependencies. */
export function waitsFor(resources: RecordedResource[], resource: RecordedResource, on: RecordedResource): boolean {
    const byUrn = new Map(resources.map((r) => [r.urn, r]));
    const seen = new Set<string>();
    const pending = [...resource.dependencies];
    while (pending.length > 0) {
        const urn = pending.pop()!;
        if (urn === on.urn) {
            return true;
        }
        if (seen.has(urn)) {
            continue;
        }
        seen.add(urn);
        pending.push(...(byUrn.get(urn)?.dependencies ?? []));
    }
    return false;
}
