import { ResourceValidationPolicy } from "@pulumi/policy";
import { EXEMPT_RESOURCES_SCHEMA, ExemptionConfig, isExempt } from "../lib/resources";
import { known } from "../lib/unknown";

export type Ec2NoKeyPairConfig = ExemptionConfig;

const KINDS: Record<string, string> = {
    "aws:ec2/launchTemplate:LaunchTemplate": "launch template",
    "aws:ec2/instance:Instance": "instance",
    "aws:ec2/launchConfiguration:LaunchConfiguration": "launch configuration",
};

/** Collectors are immutable and reached through SSM: an SSH key is an unaudited way in. */
export const ec2NoKeyPair: ResourceValidationPolicy = {
    name: "ec2-no-key-pair",
    description: "EC2 launch templates, launch configurations and instances have no SSH key pair, and no aws.ec2.KeyPair is created.",
    enforcementLevel: "mandatory",
    configSchema: { properties: { exemptResources: EXEMPT_RESOURCES_SCHEMA } },
    validateResource: (args, reportViolation) => {
        if (isExempt(args.getConfig<Ec2NoKeyPairConfig>(), args)) {
            return;
        }
        if (args.type === "aws:ec2/keyPair:KeyPair") {
            reportViolation(
                `key pair "${args.name}" creates an SSH key, an unaudited way into instances that bypasses SSM. Delete the aws.ec2.KeyPair and use SSM Session Manager.`,
            );
            return;
        }
        const kind = KINDS[args.type];
        const key = kind ? known(() => args.props.keyName) : undefined;
        if (typeof key === "string" && key !== "") {
            reportViolation(
                `${kind} "${args.name}" has \`keyName\` "${key}", so anyone with that SSH key can log in unaudited. Remove \`keyName\` and use SSM Session Manager, as orglog:index:CollectorFleet does.`,
            );
        }
    },
};
