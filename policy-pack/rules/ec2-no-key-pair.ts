import * as aws from "@pulumi/aws";
import { ResourceValidationPolicy } from "@pulumi/policy";
import { INSTANCE_LAUNCHERS, launcherKind } from "../lib/instances";
import { EXEMPT_RESOURCES_SCHEMA, ExemptionConfig, validateResourcesOf } from "../lib/rule";
import { known } from "../lib/unknown";

export type Ec2NoKeyPairConfig = ExemptionConfig;

/** Collectors are immutable and reached through SSM: an SSH key is an unaudited way in. */
export const ec2NoKeyPair: ResourceValidationPolicy = {
    name: "ec2-no-key-pair",
    description: "EC2 launch templates, launch configurations and instances have no SSH key pair, and no aws.ec2.KeyPair is created.",
    enforcementLevel: "mandatory",
    configSchema: { properties: { exemptResources: EXEMPT_RESOURCES_SCHEMA } },
    validateResource: [
        validateResourcesOf([aws.ec2.KeyPair], (_keyPair, args, reportViolation) => {
            reportViolation(
                `key pair "${args.name}" creates an SSH key, an unaudited way into instances that bypasses SSM. Delete the aws.ec2.KeyPair and use SSM Session Manager.`,
            );
        }),
        validateResourcesOf(INSTANCE_LAUNCHERS, (machine, args, reportViolation) => {
            const key = known(() => machine.keyName);
            if (typeof key === "string" && key !== "") {
                reportViolation(
                    `${launcherKind(args)} "${args.name}" has \`keyName\` "${key}", so anyone with that SSH key can log in unaudited. Remove \`keyName\` and use SSM Session Manager, as orglog:index:CollectorFleet does.`,
                );
            }
        }),
    ],
};
