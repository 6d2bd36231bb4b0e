// The one mock runtime shared by the tests and the offline plan. `pulumi.runtime.setMocks` is
// process-wide (the last call wins), so nothing else in the repository calls it.
import * as pulumi from "@pulumi/pulumi";
import { createHash } from "crypto";
import { fabricateState, MockAccount, physicalNameProblem } from "./mock-resources";
import { answerInvoke } from "./mock-invokes";

/** One resource registered by the program, as the plan and the policy runner see it. */
export interface RecordedResource {
    urn: string;
    type: string;
    name: string;
    custom: boolean;
    /** URN of the parent resource (component or stack); undefined for top-level resources. */
    parent?: string;
    /** URN of the provider resource that manages this resource; undefined for components. */
    provider?: string;
    /** Account id of the provider (`default` when the ambient default provider was used). */
    account?: string;
    region?: string;
    /** Resolved plain input values. */
    inputs: Record<string, unknown>;
    /** Fabricated state (inputs plus computed outputs such as `arn`). */
    state: Record<string, unknown>;
    dependencies: string[];
    propertyDependencies: Record<string, string[]>;
    /** Set for reads (`StackReference`, a resource's `get`): the program looks the resource up, never manages it. */
    read?: true;
    /** The resource options the program registered the resource with. */
    options: ResourceOptionsRecord;
}

/** Resource options as the engine receives them in the registerResource request. */
export interface ResourceOptionsRecord {
    protect: boolean;
    retainOnDelete: boolean;
    ignoreChanges: string[];
    deleteBeforeReplace: boolean;
    /**
     * URNs the resource depends on beyond those its inputs imply: its `dependsOn` (a `dependsOn`
     * target that is also an input's dependency is listed with the input, not here).
     */
    dependsOn: string[];
}

export interface MockRuntimeOptions {
    project: string;
    stack: string;
    /** Answers `pulumi.StackReference` reads: the outputs of the named stack (`org/project/stack`). */
    stackReferenceOutputs?: (name: string) => Promise<Record<string, unknown>>;
    /** The project folder (where Pulumi.yaml is), as `pulumi.runtime.getRootDirectory()` reports it. */
    rootDirectory?: string;
}

const DEFAULT_PROVIDER_ACCOUNT = "default";

let records: RecordedResource[] = [];
const providerAccounts = new Map<string, MockAccount>();

/** Deterministic hex of the given parts: stable ids across runs, so plans are diffable. */
export function stableHex(length: number, ...parts: string[]): string {
    return createHash("sha256").update(parts.join("\u0000")).digest("hex").slice(0, length);
}

/** Installs the mocks for a program of `project`/`stack` and forgets what earlier runs recorded. */
export function startMockRuntime(options: MockRuntimeOptions): void {
    records = [];
    providerAccounts.clear();
    skipPromiseLeakStacks();
    if (options.rootDirectory) {
        // setMocks takes no root directory; the runtime reads it from its settings store.
        (
            require("@pulumi/pulumi/runtime/state") as { getStore(): { settings: { options: { rootDirectory?: string } } } }
        ).getStore().settings.options.rootDirectory = options.rootDirectory;
    }
    pulumi.runtime.setMocks(
        {
            newResource: async (args) => {
                if (args.type === "pulumi:pulumi:StackReference") {
                    if (!options.stackReferenceOutputs) {
                        throw new Error(`no offline answer for StackReference "${args.inputs.name}"`);
                    }
                    const outputs = await options.stackReferenceOutputs(String(args.inputs.name));
                    return { id: String(args.inputs.name), state: { name: args.inputs.name, outputs, secretOutputNames: [] } };
                }
                if (args.type.startsWith("pulumi:providers:")) {
                    const id = `${args.name}-${stableHex(8, args.type, args.name)}`;
                    providerAccounts.set(id, providerAccount(args.inputs));
                    return { id, state: args.inputs };
                }
                const account = accountOf(args.provider);
                return fabricateState(args.type, args.name, args.inputs, account, args.custom !== false);
            },
            call: async (args) => {
                try {
                    return answerInvoke(args.token, args.inputs, accountOf(args.provider));
                } catch (err) {
                    // The runtime rethrows a failed invoke as `new Error(err.details)`, as for a gRPC error.
                    throw Object.assign(err as Error, { details: (err as Error).message });
                }
            },
        },
        options.project,
        options.stack,
        false,
    );
    recordRegistrations();
}

/** Everything registered since the last `startMockRuntime`, with accounts resolved. */
export function recordedResources(): RecordedResource[] {
    return records;
}

/**
 * Waits until the program has registered every resource and every output has settled: the mock
 * runtime's equivalent of the engine waiting for the program to finish.
 */
export async function settle(): Promise<void> {
    // waitForRPCs is internal to @pulumi/pulumi but exported from runtime/settings; it drains the RPC queue.
    const settings = require("@pulumi/pulumi/runtime/settings") as { waitForRPCs(): Promise<void> };
    let count = -1;
    while (count !== records.length) {
        count = records.length;
        await settings.waitForRPCs();
        await new Promise((resolve) => setImmediate(resolve));
    }
    inheritComponentAccounts();
}

/** Resolves an Output (or a structure holding Outputs) to its plain value. */
export async function unwrap<T>(value: pulumi.Input<T> | T): Promise<pulumi.Unwrap<T>> {
    return new Promise((resolve) => pulumi.output(value).apply((v) => resolve(v as pulumi.Unwrap<T>)));
}

let promiseLeakStacksSkipped = false;

/**
 * @pulumi/pulumi's `debuggablePromise` reads `new Error().stack` for every promise it makes: four per
 * output property of every resource. The text is kept only for the promise-leak report, which prints
 * it with PULUMI_DEBUG_PROMISE_LEAKS set. Capturing and formatting it took half of the time of a
 * 50-account plan (5.1 s -> 2.5 s), four fifths under ts-node's source-map hook (14 s -> 3 s); see
 * bench/README.md.
 * Without that variable the stack is captured with no frames; everything else the function does
 * (ids, context, leak tracking) is unchanged. Pulumi's own source positions (`Resource.callsites`)
 * raise the limit themselves and are not affected.
 */
function skipPromiseLeakStacks(): void {
    if (promiseLeakStacksSkipped || process.env.PULUMI_DEBUG_PROMISE_LEAKS) {
        return;
    }
    promiseLeakStacksSkipped = true;
    // Pulumi's modules call it through this exports object (`debuggable_1.debuggablePromise(...)`).
    const debuggable = require("@pulumi/pulumi/runtime/debuggable") as { debuggablePromise<T>(p: Promise<T>, ctx: unknown): Promise<T> };
    const debuggablePromise = debuggable.debuggablePromise;
    debuggable.debuggablePromise = <T>(p: Promise<T>, ctx: unknown): Promise<T> => {
        const limit = Error.stackTraceLimit;
        Error.stackTraceLimit = 0;
        try {
            return debuggablePromise(p, ctx);
        } finally {
            Error.stackTraceLimit = limit;
        }
    };
}

function providerAccount(inputs: Record<string, unknown>): MockAccount {
    const parse = (v: unknown) => (typeof v === "string" && /^[[{]/.test(v) ? JSON.parse(v) : v);
    const allowed = parse(inputs.allowedAccountIds) as string[] | undefined;
    const roles = parse(inputs.assumeRoles) as Array<{ roleArn?: string }> | undefined;
    const roleArn = roles?.[0]?.roleArn ?? (parse(inputs.assumeRole) as { roleArn?: string } | undefined)?.roleArn;
    const accountId = allowed?.[0] ?? roleArn?.split(":")[4] ?? DEFAULT_PROVIDER_ACCOUNT;
    return { accountId, region: String(inputs.region ?? "us-east-1"), partition: "aws" };
}

function accountOf(providerRef: string | undefined): MockAccount {
    const id = providerRef ? providerRef.slice(providerRef.lastIndexOf("::") + 2) : "";
    return providerAccounts.get(id) ?? { accountId: DEFAULT_PROVIDER_ACCOUNT, region: "us-east-1", partition: "aws" };
}

/** Wraps the mock monitor so that parent, provider and dependencies (which mocks do not pass on) are recorded. */
function recordRegistrations(): void {
    const monitor = pulumi.runtime.getMonitor() as any;
    const register = monitor.registerResource.bind(monitor);
    monitor.registerResource = (req: any, callback: (err: unknown, resp: any) => void) =>
        register(req, (err: unknown, resp: any) => {
            if (!err && resp) {
                try {
                    records.push(toRecord(req, resp));
                } catch (recordErr) {
                    return callback(recordErr, undefined);
                }
            }
            return callback(err, resp);
        });
    const read = monitor.readResource.bind(monitor);
    monitor.readResource = (req: any, callback: (err: unknown, resp: any) => void) =>
        read(req, (err: unknown, resp: any) => {
            if (!err && resp) {
                try {
                    records.push(toReadRecord(req, resp));
                } catch (recordErr) {
                    return callback(recordErr, undefined);
                }
            }
            return callback(err, resp);
        });
}

/** A read as the plan shows it: `pulumi preview` lists reads beside the resources it manages. */
function toReadRecord(req: any, resp: any): RecordedResource {
    const providerRef: string = req.getProvider() ?? "";
    const account = req.getType().startsWith("pulumi:pulumi:") ? undefined : accountOf(providerRef);
    return {
        urn: resp.getUrn(),
        type: req.getType(),
        name: req.getName(),
        custom: true,
        parent: req.getParent() || undefined,
        provider: providerRef ? providerRef.slice(0, providerRef.lastIndexOf("::")) : undefined,
        account: account?.accountId,
        region: account?.region,
        inputs: { id: req.getId(), ...plain(pulumi.runtime.deserializeProperties(req.getProperties())) },
        state: plain(resp.getProperties()?.toJavaScript() ?? {}),
        dependencies: req.getDependenciesList(),
        propertyDependencies: {},
        read: true,
        options: {
            protect: false,
            retainOnDelete: false,
            ignoreChanges: [],
            deleteBeforeReplace: false,
            dependsOn: req.getDependenciesList(),
        },
    };
}

function toRecord(req: any, resp: any): RecordedResource {
    const type: string = req.getType();
    const providerRef: string = req.getProvider() ?? "";
    const custom: boolean = req.getCustom();
    const inputs = plain(pulumi.runtime.deserializeProperties(req.getObject()));
    // A provider's account is the one it assumes a role into, not the one of a provider above it.
    // A component given an aws provider lives in that provider's account, even when one of its
    // children is created elsewhere (LogArchiveAccount's SCP lives in the management account).
    const componentProvider: string | undefined = custom ? undefined : req.getProvidersMap()?.get("aws");
    const account = type.startsWith("pulumi:providers:")
        ? providerAccount(inputs)
        : custom
          ? accountOf(providerRef)
          : componentProvider
            ? accountOf(componentProvider)
            : undefined;
    const propertyDependencies: Record<string, string[]> = {};
    req.getPropertydependenciesMap().forEach((deps: any, key: string) => {
        propertyDependencies[key] = deps.getUrnsList();
    });
    const state = plain(resp.getObject()?.toJavaScript() ?? {});
    const nameProblem = custom ? physicalNameProblem(type, state) : undefined;
    if (nameProblem) {
        // AWS refuses the create; the offline plan fails as the deployment would (exit 2).
        throw new Error(`${resp.getUrn()}: ${nameProblem}. Shorten the logical name or the name the program gives it`);
    }
    const dependencies: string[] = req.getDependenciesList();
    const implied = new Set(Object.values(propertyDependencies).flat());
    return {
        urn: resp.getUrn(),
        type,
        name: req.getName(),
        custom,
        parent: req.getParent() || undefined,
        provider: custom && providerRef ? providerRef.slice(0, providerRef.lastIndexOf("::")) : undefined,
        account: account?.accountId,
        region: account?.region,
        inputs,
        state,
        dependencies,
        propertyDependencies,
        options: {
            protect: req.getProtect() === true,
            retainOnDelete: req.getRetainondelete() === true,
            ignoreChanges: req.getIgnorechangesList(),
            deleteBeforeReplace: req.getDeletebeforereplace() === true,
            dependsOn: dependencies.filter((urn) => !implied.has(urn)),
        },
    };
}

/** Components take the account of their children when all children share one. */
function inheritComponentAccounts(): void {
    const byParent = new Map<string, Set<string>>();
    for (const r of records) {
        if (r.parent && r.account) {
            byParent.set(r.parent, (byParent.get(r.parent) ?? new Set()).add(`${r.account} ${r.region}`));
        }
    }
    // Innermost components first: a component's account may come from a child component.
    for (const r of [...records].reverse()) {
        if (!r.custom && !r.account) {
            const accounts = byParent.get(r.urn);
            if (accounts?.size === 1) {
                [r.account, r.region] = [...accounts][0].split(" ");
                if (r.parent) {
                    byParent.set(r.parent, (byParent.get(r.parent) ?? new Set()).add(`${r.account} ${r.region}`));
                }
            }
        }
    }
}

const SECRET_SIG = "1b47061264138c4ac30d75fd1eb44270";
const RESOURCE_SIG = "5cf8f73096256a8f31e491e813e4eb8e";

/** Strips Pulumi's wire signatures (secrets, resource references) down to plain JSON values. */
function plain(value: any): any {
    if (Array.isArray(value)) {
        return value.map(plain);
    }
    if (value && typeof value === "object") {
        const sig = value["4dabf18193072939515e22adb298388d"];
        if (sig === SECRET_SIG) {
            return plain(value.value);
        }
        if (sig === RESOURCE_SIG) {
            return value.id ?? value.urn;
        }
        if (typeof value.urn === "string" && typeof value.getProvider === "function") {
            return value.urn;
        }
        const out: Record<string, unknown> = {};
        for (const [k, v] of Object.entries(value)) {
            out[k] = plain(v);
        }
        return out;
    }
    return value;
}
