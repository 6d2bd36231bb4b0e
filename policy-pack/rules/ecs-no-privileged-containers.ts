import * as aws from "@pulumi/aws";
import { ResourceValidationPolicy } from "@pulumi/policy";
import { containerDefinitions } from "../lib/containers";
import { EXEMPT_RESOURCES_SCHEMA, ExemptionConfig, validateResourcesOf } from "../lib/rule";

export interface EcsNoPrivilegedContainersConfig extends ExemptionConfig {
    /** Linux capabilities a container must not add. */
    forbiddenCapabilities: string[];
}

/** A privileged container (or one with SYS_ADMIN) can escape to the host and read every other task's logs. */
export const ecsNoPrivilegedContainers: ResourceValidationPolicy = {
    name: "ecs-no-privileged-containers",
    description: "ECS task definitions run no privileged container and add no dangerous Linux capability.",
    enforcementLevel: "mandatory",
    configSchema: {
        properties: {
            forbiddenCapabilities: {
                type: "array",
                items: { type: "string" },
                default: ["ALL", "SYS_ADMIN", "NET_ADMIN", "SYS_PTRACE", "SYS_MODULE"],
            },
            exemptResources: EXEMPT_RESOURCES_SCHEMA,
        },
    },
    validateResource: validateResourcesOf([aws.ecs.TaskDefinition], (_task, args, reportViolation) => {
        const config = args.getConfig<EcsNoPrivilegedContainersConfig>();
        for (const container of containerDefinitions(args) ?? []) {
            const name = `container "${container.name ?? "(unnamed)"}" of task definition "${args.name}"`;
            if (container.privileged === true) {
                reportViolation(
                    `${name} has "privileged": true, so it can take over the host and every task on it. Remove "privileged" from the container definition (orglog:index:FireLensService never sets it).`,
                );
            }
            const added = (container.linuxParameters?.capabilities?.add ?? []).filter((c) =>
                config.forbiddenCapabilities.includes(String(c).toUpperCase()),
            );
            if (added.length > 0) {
                reportViolation(
                    `${name} adds the Linux capabilities ${JSON.stringify(added)}, which allow escaping the container. Remove them from linuxParameters.capabilities.add.`,
                );
            }
        }
    }),
};
