import * as aws from "@pulumi/aws";
import { PolicyResource, StackValidationPolicy } from "@pulumi/policy";
import { eachOfType, label, sameAccountAndRegion, shown } from "../lib/resources";
import { EXEMPT_RESOURCES_SCHEMA, ExemptionConfig, judgedResources } from "../lib/rule";
import { known, UNKNOWN } from "../lib/unknown";

export interface Ec2EncryptedVolumesConfig extends ExemptionConfig {
    /** Accept volumes that do not say `encrypted` when the stack enables EBS default encryption in their account and region. */
    acceptAccountDefaultEncryption: boolean;
}

const isTrue = (v: unknown) => v === true || v === "true";

/** Collector disks buffer logs and secrets rendered by the agent: they must be encrypted at rest. */
export const ec2EncryptedVolumes: StackValidationPolicy = {
    name: "ec2-encrypted-volumes",
    description:
        "EBS volumes of launch templates, instances and aws.ebs.Volume are encrypted, explicitly or by the account's EBS default encryption.",
    enforcementLevel: "mandatory",
    configSchema: {
        properties: {
            acceptAccountDefaultEncryption: { type: "boolean", default: true },
            exemptResources: EXEMPT_RESOURCES_SCHEMA,
        },
    },
    validateStack: (args, reportViolation) => {
        const config = args.getConfig<Ec2EncryptedVolumesConfig>();
        const resources = judgedResources(args);
        const defaultEncrypted = (r: PolicyResource) =>
            config.acceptAccountDefaultEncryption &&
            args.resources.some(
                (d) => d.isType(aws.ebs.EncryptionByDefault) && known(() => d.props.enabled) !== false && sameAccountAndRegion(d, r),
            );
        const fix = `Set encrypted to true (orglog:index:CollectorFleet's launch template does), or enable aws.ebs.EncryptionByDefault in the account`;

        eachOfType(resources, [aws.ec2.LaunchTemplate], (template) => {
            const mappings = known(() =>
                ((template.props.blockDeviceMappings ?? []) as any[]).map((m) =>
                    m.ebs ? { device: m.deviceName, encrypted: m.ebs.encrypted } : undefined,
                ),
            );
            if (mappings === UNKNOWN) {
                return;
            }
            const ebs = mappings.filter((m): m is { device: string; encrypted: unknown } => m !== undefined);
            const explicitOff = ebs.filter((m) => m.encrypted !== undefined && !isTrue(m.encrypted));
            const unstated = ebs.filter((m) => m.encrypted === undefined);
            if (explicitOff.length > 0) {
                reportViolation(
                    `launch template ${label(template)} maps ${explicitOff.map((m) => `"${m.device}" with ebs.encrypted ${shown(m.encrypted)}`).join(", ")}, so those volumes are not encrypted. ${fix}.`,
                    template.urn,
                );
            }
            if ((unstated.length > 0 || ebs.length === 0) && !defaultEncrypted(template)) {
                const what =
                    ebs.length === 0
                        ? "no block device mapping, so its root volume takes the AMI's unencrypted snapshot"
                        : `${unstated.map((m) => `"${m.device}"`).join(", ")} without ebs.encrypted`;
                reportViolation(
                    `launch template ${label(template)} has ${what}, and the stack does not enable EBS default encryption in its account. ${fix}.`,
                    template.urn,
                );
            }
        });
        eachOfType(resources, [aws.ec2.Instance], (instance) => {
            const root = known(() => instance.props.rootBlockDevice?.encrypted);
            const extra = known(() =>
                ((instance.props.ebsBlockDevices ?? []) as any[]).map((d) => ({ device: d.deviceName, encrypted: d.encrypted })),
            );
            if (root === UNKNOWN || extra === UNKNOWN) {
                return;
            }
            const volumes = [{ device: "root", encrypted: root }, ...extra];
            const off = volumes.filter((v) => v.encrypted === false);
            const unstated = volumes.filter((v) => v.encrypted === undefined);
            if (off.length > 0 || (unstated.length > 0 && !defaultEncrypted(instance))) {
                reportViolation(
                    `instance ${label(instance)} has ${[...off, ...unstated].map((v) => `${v.device === "root" ? "the root volume" : `"${v.device}"`} with encrypted ${shown(v.encrypted)}`).join(", ")}${off.length === 0 ? ", and the stack does not enable EBS default encryption in its account" : ""}. ${fix}.`,
                    instance.urn,
                );
            }
        });
        eachOfType(resources, [aws.ebs.Volume], (volume) => {
            const encrypted = known(() => volume.props.encrypted);
            if (encrypted === false || (encrypted === undefined && !defaultEncrypted(volume))) {
                reportViolation(
                    `EBS volume ${label(volume)} has \`encrypted\` ${shown(encrypted)}, so its data is stored unencrypted. ${fix}.`,
                    volume.urn,
                );
            }
        });
    },
};
