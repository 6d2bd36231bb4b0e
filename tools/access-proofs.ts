// Access proofs: promises about who may do what, each a request (principal, action, resource,
// context) and the decision expected, evaluated with an offline IAM simulator over the policies
// the plan creates: SCPs and their attachments, resource policies (bucket, key, topic, secret,
// trust) and the identity policies of the plan's roles. `npm run plan -- --format access`.
import * as fs from "fs";
import * as path from "path";
import { parse as parseYaml } from "yaml";
import { runSimulation } from "@cloud-copilot/iam-simulate";
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
    };
    const stateOf = (r: PlanReport["resources"][number]) =>
        fabricateState(r.type, r.name, (r.inputs ?? {}) as Record<string, unknown>, { accountId: r.account ?? "", region: r.region ?? region, partition }, true).state as Record<string, any>;
    const roleArnByName = new Map<string, string>();
    const scpById = new Map<string, { name: string; policy: Doc }>();
    for (const r of report.resources) {
        const inputs = (r.inputs ?? {}) as Record<string, any>;
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
                        model.identity.set(String(state.arn), [...(model.identity.get(String(state.arn)) ?? []), { name: String(inline.name), policy: doc }]);
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

/** Evaluates one promise over the model. */
export async function evaluatePromise(model: PolicyModel, p: AccessPromise): Promise<AccessResult> {
    const service = !p.principal.startsWith("arn:");
    const principalAccount = service ? "" : accountOfArn(p.principal);
    // The resource's policy: the exact ARN (key, topic, role), else the bucket of an object ARN.
    const bucket = /^arn:[^:]+:s3:::([^/]+)/.exec(p.resource)?.[1];
    const resourcePolicy =
        model.resourcePolicies.get(p.resource) ?? (bucket ? model.resourcePolicies.get(`arn:${model.partition}:s3:::${bucket}`) : undefined);
    const resourceAccount = p.context?.["aws:ResourceAccount"] as string | undefined ?? (bucket ? resourceAccountOfBucket(model, bucket) : accountOfArn(p.resource));
    // SCPs bind principals of member accounts only: never the management account, never services.
    const scps =
        service || principalAccount === model.managementAccount || !model.rootId
            ? []
            : [
                  { orgIdentifier: model.rootId, policies: [{ name: "FullAWSAccess", policy: FULL_ACCESS }, ...(model.scps.get(model.rootId) ?? [])] },
                  { orgIdentifier: principalAccount, policies: [{ name: "FullAWSAccess", policy: FULL_ACCESS }, ...(model.scps.get(principalAccount) ?? [])] },
              ];
    const context: Record<string, string | string[]> = {
        "aws:SecureTransport": "true",
        "aws:RequestedRegion": model.region,
        ...(service ? {} : { "aws:PrincipalArn": p.principal, "aws:PrincipalAccount": principalAccount, "aws:PrincipalOrgID": model.organizationId }),
        ...(p.context ?? {}),
    };
    const identity = service ? [] : (model.identity.get(p.principal) ?? []);
    const response: any = await runSimulation(
        {
            request: { principal: p.principal, action: p.action, resource: { resource: p.resource, accountId: resourceAccount }, contextVariables: context },
            identityPolicies: identity,
            serviceControlPolicies: scps,
            resourceControlPolicies: [],
            resourcePolicy,
        } as any,
        {},
    );
    const base = { promise: p.promise, principal: p.principal, action: p.action, resource: p.resource, expected: p.expected };
    if (response.resultType === "error") {
        return { ...base, decision: "Error", holds: false, error: JSON.stringify(response.errors).slice(0, 300) };
    }
    const decision: Decision = response.overallResult === "Allowed" ? "Allowed" : "Denied";
    return { ...base, decision, holds: decision === p.expected };
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

/** The break-glass role ARN from the stack's config file, when the program has one. */
function breakGlassRoleArn(report: PlanReport): string | undefined {
    const file = path.join(report.program, `Pulumi.${report.stack}.yaml`);
    if (!fs.existsSync(file)) {
        return undefined;
    }
    const config = (parseYaml(fs.readFileSync(file, "utf8")) as any)?.config ?? {};
    const value = Object.entries(config).find(([k]) => k.endsWith(":breakGlassRoleArn"))?.[1];
    return typeof value === "string" ? value : undefined;
}

export { promisesOf } from "./access-promises";

/** Every promise of the plan, evaluated. */
export async function accessProofs(report: PlanReport): Promise<AccessResult[]> {
    const model = policyModel(report);
    noteBucketAccounts(model, report);
    const { promisesOf } = await import("./access-promises");
    const results: AccessResult[] = [];
    for (const p of promisesOf(report, model, breakGlassRoleArn(report))) {
        results.push(await evaluatePromise(model, p));
    }
    return results;
}

/** The table: promise, principal, decision, expected, holds/broken. */
export function formatAccessTable(results: AccessResult[]): string {
    const rows = results.map((r) => [r.promise, r.principal, r.decision, r.expected, r.holds ? "holds" : "broken"]);
    const header = ["promise", "principal", "decision", "expected", "result"];
    const widths = header.map((h, i) => Math.max(h.length, ...rows.map((row) => row[i].length)));
    const line = (cells: string[]) => cells.map((c, i) => c.padEnd(widths[i])).join("  ").trimEnd();
    const broken = results.filter((r) => !r.holds).length;
    return [line(header), ...rows.map(line), "", `${results.length} promises, ${broken} broken`].join("\n") + "\n";
}
