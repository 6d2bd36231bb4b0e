// The resources that make AWS run an SSM document on instances without anyone calling
// ssm:SendCommand from an identity policy: State Manager associations, maintenance window tasks
// and their window targets, EventBridge targets with Run Command, EventBridge Scheduler schedules
// with the SSM universal targets. Each is read as "which document, on which instances"; a value a
// preview cannot know yet is never judged.
import * as aws from "@pulumi/aws";
import type { PolicyResource } from "@pulumi/policy";
import { globMatch, splitArn } from "./policy-document";
import { label } from "./resources";
import { tokenOf } from "./types";
import { isSentinel, known, plainCopy, UNKNOWN } from "./unknown";

const RUN_PATHS = [
    { cls: aws.ssm.Association, kind: "SSM association" },
    { cls: aws.ssm.MaintenanceWindowTask, kind: "maintenance window task" },
    { cls: aws.ssm.MaintenanceWindowTarget, kind: "maintenance window target" },
    { cls: aws.cloudwatch.EventTarget, kind: "EventBridge target" },
    { cls: aws.scheduler.Schedule, kind: "schedule" },
];

/** The resources that run documents on instances: the ones `runPathFindings` judges. */
export const RUN_PATH_CLASSES = RUN_PATHS.map((p) => p.cls);

/** The SSM actions of Scheduler's universal target (`arn:aws:scheduler:::aws-sdk:ssm:<action>`) that run documents. */
const SCHEDULER_SSM_ACTIONS: Record<string, { document: string; targets: string; instanceIds: string[] }> = {
    sendcommand: { document: "DocumentName", targets: "Targets", instanceIds: ["InstanceIds"] },
    createassociation: { document: "Name", targets: "Targets", instanceIds: ["InstanceId"] },
    updateassociation: { document: "Name", targets: "Targets", instanceIds: [] },
};

export interface RunPathConfig {
    tagKey: string;
    tagValue: string;
    allowedDocuments: string[];
    allowStackDocuments: boolean;
}

export interface RunPathFinding {
    urn: string;
    message: string;
}

/** One target entry as SSM writes it: `{key: "tag:InstanceRole", values: ["LogCollection"]}`. */
interface Target {
    key: string;
    values: string[];
}

/** All the findings on run paths of the stack; `resources` are the ones not exempt. */
export function runPathFindings(resources: PolicyResource[], all: PolicyResource[], config: RunPathConfig): RunPathFinding[] {
    const findings: RunPathFinding[] = [];
    const fixTargets = `Target only {key: "tag:${config.tagKey}", values: ["${config.tagValue}"]}, as orglog:index:CollectorFleet's deploy document is sent`;
    const fixDocument = `Run the reviewed document (orglog:index:CollectorFleet creates one), or add it to the rule's \`allowedDocuments\``;
    const judgeDocument = (resource: PolicyResource, subject: string, value: unknown, property: string) => {
        const name = documentName(value);
        if (name === undefined || documentApproved(name, resource, property, all, config)) {
            return;
        }
        findings.push({
            urn: resource.urn,
            message: `${subject} runs the document "${name}", which is neither in \`allowedDocuments\` nor created in this stack, so it can run arbitrary commands on the instances it reaches. ${fixDocument}.`,
        });
    };
    const judgeTargets = (resource: PolicyResource, subject: string, targets: Target[] | typeof UNKNOWN | undefined, what: string) => {
        if (targets === UNKNOWN || targets === undefined) {
            return;
        }
        const problem = targetProblem(targets, config);
        if (problem) {
            findings.push({
                urn: resource.urn,
                message: `${subject} ${what} ${problem}, so it runs commands on instances that are not log collectors. ${fixTargets}.`,
            });
        }
    };

    for (const resource of resources) {
        const subject = `${kindOf(resource.type)} ${label(resource)}`;
        if (resource.isType(aws.ssm.Association)) {
            judgeDocument(
                resource,
                subject,
                known(() => resource.props.name),
                "name",
            );
            const instanceId = known(() => resource.props.instanceId);
            if (typeof instanceId === "string" && instanceId !== "") {
                judgeTargets(resource, subject, [{ key: "InstanceIds", values: [instanceId] }], "targets");
            } else {
                judgeTargets(resource, subject, readTargets(resource.props, "targets") ?? [], "targets");
            }
        } else if (resource.isType(aws.ssm.MaintenanceWindowTask)) {
            const taskType = known(() => resource.props.taskType);
            if (taskType !== "RUN_COMMAND") {
                continue;
            }
            judgeDocument(
                resource,
                subject,
                known(() => resource.props.taskArn),
                "taskArn",
            );
            const targets = readTargets(resource.props, "targets");
            if (targets !== UNKNOWN && targets !== undefined) {
                // Window targets are judged on the window target resource, the one to change.
                const direct = targets.filter((t) => t.key.toLowerCase() !== "windowtargetids");
                if (direct.length > 0 || targets.length === 0) {
                    judgeTargets(resource, subject, direct, "targets");
                }
            }
        } else if (resource.isType(aws.ssm.MaintenanceWindowTarget)) {
            const tasks = all.filter(
                (t) =>
                    t.isType(aws.ssm.MaintenanceWindowTask) &&
                    known(() => t.props.taskType) === "RUN_COMMAND" &&
                    taskUsesTarget(t, resource),
            );
            if (tasks.length === 0) {
                continue;
            }
            judgeTargets(
                resource,
                `${subject} (used by the RUN_COMMAND task ${tasks.map(label).join(", ")})`,
                readTargets(resource.props, "targets") ?? [],
                "targets",
            );
        } else if (resource.isType(aws.cloudwatch.EventTarget)) {
            const arn = known(() => resource.props.arn);
            const runCommand = readTargets(resource.props, "runCommandTargets");
            const isDocument = typeof arn === "string" && splitArn(arn)?.service === "ssm" && /^document\//.test(splitArn(arn)!.resource);
            if (!isDocument && (runCommand === undefined || (runCommand !== UNKNOWN && runCommand.length === 0))) {
                continue;
            }
            if (isDocument) {
                judgeDocument(resource, subject, arn, "arn");
            }
            judgeTargets(resource, subject, runCommand ?? [], "has `runCommandTargets`");
        } else if (resource.isType(aws.scheduler.Schedule)) {
            const arn = known(() => resource.props.target?.arn);
            if (typeof arn !== "string") {
                continue;
            }
            const action = /^arn:[^:]+:scheduler:::aws-sdk:ssm:([A-Za-z]+)$/.exec(arn)?.[1]?.toLowerCase();
            const fields = action ? SCHEDULER_SSM_ACTIONS[action] : undefined;
            if (!fields) {
                continue;
            }
            const input = readInput(known(() => resource.props.target?.input));
            if (input === UNKNOWN || input === undefined) {
                continue;
            }
            const scheduleSubject = `${subject} (target ${arn})`;
            const document = known(() => (input as Record<string, unknown>)[fields.document]);
            if (document !== undefined) {
                judgeDocument(resource, scheduleSubject, document, "target");
            }
            const ids = fields.instanceIds.flatMap((k) => {
                const v = (input as Record<string, unknown>)[k];
                return v === undefined ? [] : (Array.isArray(v) ? v : [v]).map(String);
            });
            if (ids.length > 0) {
                judgeTargets(resource, scheduleSubject, [{ key: "InstanceIds", values: ids }], "input has");
            } else if (action !== "updateassociation" || (input as Record<string, unknown>).Targets !== undefined) {
                const targets = ((input as Record<string, unknown>)[fields.targets] ?? []) as unknown;
                judgeTargets(resource, scheduleSubject, toTargets(targets, "Key", "Values"), "input has Targets");
            }
        }
    }
    return findings;
}

function kindOf(type: string): string {
    return RUN_PATHS.find((p) => tokenOf(p.cls) === type)?.kind ?? "schedule";
}

/** Why the targets reach more than the collectors, or undefined when they reach only them. */
function targetProblem(targets: Target[], config: RunPathConfig): string | undefined {
    const tagKey = `tag:${config.tagKey}`;
    const render = (t: Target) => `{key: ${JSON.stringify(t.key)}, values: ${JSON.stringify(t.values)}}`;
    if (targets.length === 0) {
        return "no targets";
    }
    const bad = targets.filter(
        (t) => !(t.key.toLowerCase() === tagKey.toLowerCase() && t.values.length > 0 && t.values.every((v) => v === config.tagValue)),
    );
    if (bad.length === 0) {
        return undefined;
    }
    const all = bad.find((t) => t.key.toLowerCase() === "instanceids" && t.values.includes("*"));
    if (all) {
        return `${render(all)}, which is every instance of the account`;
    }
    return `${bad.map(render).join(", ")}, not the collectors' tag "${config.tagKey}" = "${config.tagValue}"`;
}

/** The targets list of a resource (`[{key, values}]`); UNKNOWN when any part is unknown. */
function readTargets(props: Record<string, any>, property: string): Target[] | typeof UNKNOWN | undefined {
    const value = plainCopy(known(() => props[property]));
    if (value === UNKNOWN) {
        return UNKNOWN;
    }
    return toTargets(value, "key", "values");
}

function toTargets(value: unknown, keyField: string, valuesField: string): Target[] | undefined {
    if (value === undefined || value === null) {
        return undefined;
    }
    const list = Array.isArray(value) ? value : [value];
    return list
        .filter((t) => t && typeof t === "object")
        .map((t: Record<string, unknown>) => {
            const values = t[valuesField];
            return {
                key: String(t[keyField] ?? ""),
                values: values === undefined || values === null ? [] : (Array.isArray(values) ? values : [values]).map(String),
            };
        });
}

/** A schedule's target input (JSON text); UNKNOWN when it embeds an unknown value. */
function readInput(value: unknown): Record<string, unknown> | typeof UNKNOWN | undefined {
    if (value === UNKNOWN || isSentinel(value)) {
        return UNKNOWN;
    }
    if (typeof value !== "string" || value.trim() === "") {
        return undefined;
    }
    try {
        const parsed = JSON.parse(value);
        return parsed && typeof parsed === "object" ? parsed : undefined;
    } catch {
        return undefined;
    }
}

/** The document's name from a name or an ARN (`arn:aws:ssm:<region>:<account>:document/<name>`). */
function documentName(value: unknown): string | undefined {
    if (typeof value !== "string" || value === "") {
        return undefined;
    }
    const arn = splitArn(value);
    return arn ? arn.resource.replace(/^document\//, "") : value;
}

/** Is the document allow-listed, or one this stack creates (by its name, or the input computed from it)? */
function documentApproved(
    name: string,
    holder: PolicyResource,
    property: string,
    resources: PolicyResource[],
    config: RunPathConfig,
): boolean {
    if (config.allowedDocuments.some((pattern) => globMatch(pattern, name))) {
        return true;
    }
    if (!config.allowStackDocuments || /[*?]/.test(name)) {
        return false;
    }
    const computedFrom = new Set((holder.propertyDependencies?.[property] ?? []).map((d) => d.urn));
    return resources.some((doc) => {
        if (!doc.isType(aws.ssm.Document)) {
            return false;
        }
        if (computedFrom.has(doc.urn)) {
            return true;
        }
        const docName = known(() => doc.props.name);
        return typeof docName === "string" && docName !== "" && docName === name;
    });
}

/** Does the RUN_COMMAND task name the window target in its `WindowTargetIds`? */
function taskUsesTarget(task: PolicyResource, target: PolicyResource): boolean {
    if ((task.propertyDependencies?.targets ?? []).some((d) => d.urn === target.urn)) {
        return true;
    }
    const targets = readTargets(task.props, "targets");
    if (targets === UNKNOWN) {
        return (task.dependencies ?? []).some((d) => d.urn === target.urn);
    }
    const ids = (targets ?? []).filter((t) => t.key.toLowerCase() === "windowtargetids").flatMap((t) => t.values);
    const id = known(() => target.props.id);
    return typeof id === "string" && ids.includes(id);
}
