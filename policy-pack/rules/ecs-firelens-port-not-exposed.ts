import * as aws from "@pulumi/aws";
import { ResourceValidationPolicy } from "@pulumi/policy";
import { containerDefinitions } from "../lib/containers";
import { EXEMPT_RESOURCES_SCHEMA, ExemptionConfig, validateResourcesOf } from "../lib/rule";

export interface EcsFirelensPortNotExposedConfig extends ExemptionConfig {
    /** Ports of the log router's forward input, which only containers of the same task may reach. */
    forwardPorts: number[];
}

/**
 * The FireLens log router listens on the Fluent forward port inside the task. Publishing that port
 * lets anything that reaches the task inject forged log records into the archive.
 */
export const ecsFirelensPortNotExposed: ResourceValidationPolicy = {
    name: "ecs-firelens-port-not-exposed",
    description: "ECS task definitions that use FireLens publish no port mapping for the Fluent forward port (24224).",
    enforcementLevel: "mandatory",
    configSchema: {
        properties: {
            forwardPorts: { type: "array", items: { type: "integer" }, default: [24224] },
            exemptResources: EXEMPT_RESOURCES_SCHEMA,
        },
    },
    validateResource: validateResourcesOf([aws.ecs.TaskDefinition], (_task, args, reportViolation) => {
        const containers = containerDefinitions(args) ?? [];
        if (!containers.some((c) => c.firelensConfiguration)) {
            return;
        }
        const ports = args.getConfig<EcsFirelensPortNotExposedConfig>().forwardPorts;
        for (const container of containers) {
            const exposed = (container.portMappings ?? []).filter(
                (m) => ports.includes(Number(m.containerPort)) || ports.includes(Number(m.hostPort)),
            );
            if (exposed.length > 0) {
                reportViolation(
                    `container "${container.name ?? "(unnamed)"}" of task definition "${args.name}" maps port ${exposed.map((m) => m.containerPort ?? m.hostPort).join(", ")}, the FireLens log router's forward input, so anything that reaches the task can inject forged log records. Remove that entry from portMappings: containers of the task reach the router without it (orglog:index:FireLensService publishes none).`,
                );
            }
        }
    }),
};
