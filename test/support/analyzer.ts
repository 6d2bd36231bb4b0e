// Drives a policy pack through @pulumi/policy's own analyzer gRPC server, the way the Pulumi CLI
// does: it starts the pack with @pulumi/pulumi's run-policy-pack (the program the CLI runs for a
// pack), reads the port the server prints, then calls GetAnalyzerInfo, Configure, Analyze for each
// resource and AnalyzeStack, with the proto clients of @pulumi/pulumi.
import { ChildProcess, spawn } from "child_process";
import * as path from "path";
import type { RecordedResource } from "../../tools/mock-runtime";
import type { Violation } from "../../tools/policy-runner";

// The client side uses the root's modules; the server runs on the pack folder's own.
const grpc = require("@grpc/grpc-js");
const analyzerpb = require("@pulumi/pulumi/proto/analyzer_pb");
const analyzerrpc = require("@pulumi/pulumi/proto/analyzer_grpc_pb");
const { Struct } = require("google-protobuf/google/protobuf/struct_pb");
// The request types of @pulumi/pulumi's own google-protobuf copy: its serializers check instanceof.
const Empty = analyzerrpc.AnalyzerService.getAnalyzerInfo.requestType;
const struct = (value: unknown) => Struct.fromJavaScript(JSON.parse(JSON.stringify(value ?? {})));

const LEVELS = ["advisory", "mandatory", "disabled", "remediate"] as const;

export interface AnalyzerPolicy {
    name: string;
    enforcementLevel: (typeof LEVELS)[number];
    /** The config schema's defaults, by property. */
    defaults: Record<string, unknown>;
}

export interface Analyzer {
    pid: number;
    policies: AnalyzerPolicy[];
    /** Configure with each policy's own level and its schema defaults, as the CLI does without a config file. */
    configureDefaults(): Promise<void>;
    /** Analyze of every resource, then AnalyzeStack over all of them: the violations, as the offline runner reports them. */
    analyze(resources: RecordedResource[]): Promise<Violation[]>;
    stop(): void;
}

const call = <T>(client: any, method: string, request: unknown): Promise<T> =>
    new Promise((resolve, reject) => client[method](request, (err: Error | null, response: T) => (err ? reject(err) : resolve(response))));

/**
 * Starts `node <packModules>/@pulumi/pulumi/cmd/run-policy-pack <engine> <program>` in `packDir`
 * (where the pack's package.json with its version is) and connects to it.
 */
export async function startAnalyzer(packDir: string, program: string, timeoutMs = 60_000): Promise<Analyzer> {
    const runner = path.join(packDir, "node_modules/@pulumi/pulumi/cmd/run-policy-pack/index.js");
    const child: ChildProcess = spawn(process.execPath, [runner, "127.0.0.1:0", program], {
        cwd: packDir,
        stdio: ["ignore", "pipe", "pipe"],
    });
    let stderr = "";
    child.stderr!.on("data", (d) => (stderr += d));
    const port = await new Promise<number>((resolve, reject) => {
        let stdout = "";
        const timer = setTimeout(() => reject(new Error(`the analyzer printed no port within ${timeoutMs} ms: ${stderr}`)), timeoutMs);
        child.stdout!.on("data", (d) => {
            stdout += d;
            const match = /^(\d+)\s*$/m.exec(stdout);
            if (match) {
                clearTimeout(timer);
                resolve(Number(match[1]));
            }
        });
        child.on("exit", (code) => {
            clearTimeout(timer);
            reject(new Error(`the analyzer exited (${code}): ${stderr}`));
        });
    });
    const client = new analyzerrpc.AnalyzerClient(`127.0.0.1:${port}`, grpc.credentials.createInsecure());
    const info: any = await call(client, "getAnalyzerInfo", new Empty());
    const policies: AnalyzerPolicy[] = info.getPoliciesList().map((p: any) => {
        const schema = p.getConfigschema()?.getProperties()?.toJavaScript() ?? {};
        const defaults = Object.fromEntries(
            Object.entries(schema as Record<string, any>)
                .filter(([, s]) => s && typeof s === "object" && "default" in s)
                .map(([k, s]) => [k, s.default]),
        );
        return { name: p.getName(), enforcementLevel: LEVELS[p.getEnforcementlevel()], defaults };
    });

    const options = (r: RecordedResource) =>
        new analyzerpb.AnalyzerResourceOptions()
            .setProtect(r.options?.protect ?? false)
            .setIgnorechangesList(r.options?.ignoreChanges ?? [])
            .setDeletebeforereplace(r.options?.deleteBeforeReplace ?? false)
            .setAliasesList([])
            .setAdditionalsecretoutputsList([]);
    const byUrn = (resources: RecordedResource[]) => new Map(resources.map((r) => [r.urn, r]));
    const providerOf = (r: RecordedResource, all: Map<string, RecordedResource>) => {
        const p = r.provider ? all.get(r.provider) : undefined;
        return p
            ? new analyzerpb.AnalyzerProviderResource().setType(p.type).setName(p.name).setUrn(p.urn).setProperties(struct(p.inputs))
            : undefined;
    };
    const level = (d: any) => LEVELS[d.getEnforcementlevel()];
    const toViolations = (diagnostics: any[], urn?: string): Violation[] =>
        diagnostics
            // Unknown values are advisory notes ("can't run policy ... during preview"), not verdicts.
            .filter((d) => !/^can't run policy /.test(d.getMessage()))
            .map((d) => {
                const description = d.getDescription();
                const message: string = d.getMessage();
                return {
                    policy: d.getPolicyname(),
                    enforcementLevel: level(d),
                    urn: d.getUrn() || urn,
                    message: message.startsWith(`${description}\n`) ? message.slice(description.length + 1) : message,
                };
            });

    return {
        pid: child.pid!,
        policies,
        async configureDefaults() {
            const request = new analyzerpb.ConfigureAnalyzerRequest();
            for (const p of policies) {
                request
                    .getPolicyconfigMap()
                    .set(
                        p.name,
                        new analyzerpb.PolicyConfig()
                            .setEnforcementlevel(LEVELS.indexOf(p.enforcementLevel))
                            .setProperties(struct(p.defaults)),
                    );
            }
            await call(client, "configure", request);
        },
        async analyze(resources) {
            const all = byUrn(resources);
            const violations: Violation[] = [];
            for (const r of resources) {
                const request = new analyzerpb.AnalyzeRequest()
                    .setType(r.type)
                    .setUrn(r.urn)
                    .setName(r.name)
                    .setProperties(struct(r.inputs))
                    .setOptions(options(r));
                const provider = providerOf(r, all);
                if (provider) {
                    request.setProvider(provider);
                }
                const response: any = await call(client, "analyze", request);
                violations.push(...toViolations(response.getDiagnosticsList(), r.urn));
            }
            const stack = new analyzerpb.AnalyzeStackRequest().setResourcesList(
                resources.map((r) => {
                    const resource = new analyzerpb.AnalyzerResource()
                        .setType(r.type)
                        .setUrn(r.urn)
                        .setName(r.name)
                        .setProperties(struct(r.inputs))
                        .setOptions(options(r))
                        .setParent(r.parent ?? "")
                        .setDependenciesList(r.dependencies);
                    const provider = providerOf(r, all);
                    if (provider) {
                        resource.setProvider(provider);
                    }
                    for (const [key, urns] of Object.entries(r.propertyDependencies)) {
                        resource.getPropertydependenciesMap().set(key, new analyzerpb.AnalyzerPropertyDependencies().setUrnsList(urns));
                    }
                    return resource;
                }),
            );
            const response: any = await call(client, "analyzeStack", stack);
            violations.push(...toViolations(response.getDiagnosticsList()));
            return violations;
        },
        stop() {
            client.close();
            child.kill();
        },
    };
}

/** Violations in a stable order, for comparing two runs. */
export function sortedViolations(violations: Violation[]): Violation[] {
    const key = (v: Violation) => `${v.policy}\u0000${v.urn ?? ""}\u0000${v.message}`;
    return violations
        .map(({ policy, enforcementLevel, urn, message }) => ({ policy, enforcementLevel, urn, message }))
        .sort((a, b) => key(a).localeCompare(key(b)));
}
