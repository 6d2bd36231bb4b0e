import { ResourceValidationPolicy } from "@pulumi/policy";
import { INSTANCE_LAUNCHERS, launcherKind } from "../lib/instances";
import { shown } from "../lib/resources";
import { EXEMPT_RESOURCES_SCHEMA, ExemptionConfig, validateResourcesOf } from "../lib/rule";
import { judge, known, UNKNOWN } from "../lib/unknown";

export interface Ec2Imdsv2RequiredConfig extends ExemptionConfig {
    /** Highest `httpPutResponseHopLimit` accepted (1 keeps instance credentials away from containers). */
    maxHopLimit: number;
}

/** IMDSv1 answers any GET, so one SSRF in a collector plugin hands out the instance role's credentials. */
export const ec2Imdsv2Required: ResourceValidationPolicy = {
    name: "ec2-imdsv2-required",
    description: "EC2 launch templates, launch configurations and instances require IMDSv2 (httpTokens required) with a low hop limit.",
    enforcementLevel: "mandatory",
    configSchema: {
        properties: {
            maxHopLimit: { type: "integer", minimum: 1, maximum: 64, default: 1 },
            exemptResources: EXEMPT_RESOURCES_SCHEMA,
        },
    },
    validateResource: validateResourcesOf(INSTANCE_LAUNCHERS, (machine, args, reportViolation) => {
        const kind = launcherKind(args);
        judge(() => {
            const endpoint = known(() => machine.metadataOptions?.httpEndpoint);
            const tokens = known(() => machine.metadataOptions?.httpTokens);
            if (tokens !== UNKNOWN && endpoint !== "disabled" && tokens !== "required") {
                reportViolation(
                    `${kind} "${args.name}" has metadataOptions.httpTokens ${shown(tokens)}, so the instance metadata service answers IMDSv1 requests without a session token. Set metadataOptions.httpTokens to "required", as orglog:index:CollectorFleet's launch template does.`,
                );
            }
        });
        judge(() => {
            const hops = known(() => machine.metadataOptions?.httpPutResponseHopLimit);
            const max = args.getConfig<Ec2Imdsv2RequiredConfig>().maxHopLimit;
            if (typeof hops === "number" && hops > max) {
                reportViolation(
                    `${kind} "${args.name}" has metadataOptions.httpPutResponseHopLimit ${hops}, so containers and forwarded hops can reach instance credentials. Set it to ${max}${max === 1 ? "" : ` or less`}.`,
                );
            }
        });
    }),
};
