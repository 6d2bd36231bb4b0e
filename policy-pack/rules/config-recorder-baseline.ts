import * as aws from "@pulumi/aws";
import { PolicyResource, StackValidationPolicy } from "@pulumi/policy";
import { parse as parseYaml } from "yaml";
import { label } from "../lib/resources";
import { EXEMPT_RESOURCES_SCHEMA, ExemptionConfig, judgedResources } from "../lib/rule";
import { isOfType, LOG_ARCHIVE_ACCOUNT, S3_BUCKETS } from "../lib/types";
import { known, UNKNOWN } from "../lib/unknown";

/** Config of the rule: only exemptions. */
export type ConfigRecorderBaselineConfig = ExemptionConfig;

/** A StackSet's template as an object (JSON or YAML); undefined when it cannot be read. */
function templateOf(body: unknown): { Resources?: Record<string, { Type?: string; Properties?: any }> } | undefined {
    if (typeof body !== "string") {
        return undefined;
    }
    try {
        return JSON.parse(body);
    } catch {
        try {
            // YAML short-form intrinsics (!Ref, !Sub) are read as plain values.
            return parseYaml(body, { logLevel: "silent", customTags: [] }) ?? undefined;
        } catch {
            return undefined;
        }
    }
}

/** The archive's buckets: buckets inside an orglog:index:LogArchiveAccount component, and their known names. */
function archiveBuckets(resources: PolicyResource[]): { present: boolean; urns: Set<string>; names: Set<string> } {
    const urns = new Set<string>();
    const names = new Set<string>();
    for (const r of resources) {
        if (isOfType(r, S3_BUCKETS) && r.parent?.type === LOG_ARCHIVE_ACCOUNT) {
            urns.add(r.urn);
            const bucket = known(() => r.props.bucket);
            if (typeof bucket === "string") {
                names.add(bucket);
            }
        }
    }
    return { present: resources.some((r) => r.type === LOG_ARCHIVE_ACCOUNT) || urns.size > 0, urns, names };
}

/** A template value: a literal, or a `Ref` to a parameter resolved with the StackSet's parameters. */
function resolved(value: unknown, parameters: Record<string, unknown>): unknown {
    if (value && typeof value === "object" && "Ref" in (value as object)) {
        const ref = (value as { Ref: unknown }).Ref;
        return typeof ref === "string" && ref in parameters ? parameters[ref] : UNKNOWN;
    }
    return value;
}

/**
 * AWS Config is only evidence if it records everything and delivers into the archive. The rule
 * reads Config recorders and delivery channels of the stack, and the ones inside the templates of
 * CloudFormation StackSets, which deploy them to every account of the organization.
 */
export const configRecorderBaseline: StackValidationPolicy = {
    name: "config-recorder-baseline",
    description:
        "AWS Config recorders (also inside StackSet templates) record all supported resource types, and delivery channels deliver into the log archive's buckets.",
    enforcementLevel: "mandatory",
    configSchema: { properties: { exemptResources: EXEMPT_RESOURCES_SCHEMA } },
    validateStack: (args, reportViolation) => {
        const archive = archiveBuckets(args.resources);
        const checkBucket = (bucket: unknown, what: string, owner: PolicyResource, property: string) => {
            if (bucket === UNKNOWN || typeof bucket !== "string" || !archive.present || archive.names.has(bucket)) {
                return;
            }
            // The value comes from an archive bucket whose name is only known once it is created.
            const fromArchive = (owner.propertyDependencies?.[property] ?? []).some((d) => archive.urns.has(d.urn));
            if (fromArchive && archive.names.size < archive.urns.size) {
                return;
            }
            {
                const knownNames = [...archive.names].sort();
                reportViolation(
                    `${what} delivers to bucket "${bucket}", which is not a bucket of the log archive${knownNames.length > 0 ? ` (${knownNames.join(", ")})` : ""}, so the configuration history can be changed by whoever owns that bucket. Deliver into the archive's config bucket (orglog:index:LogArchiveAccount's configBucket).`,
                    owner.urn,
                );
            }
        };
        const checkAllSupported = (allSupported: unknown, what: string, urn: string) => {
            if (allSupported === UNKNOWN) {
                return;
            }
            if (allSupported !== true && allSupported !== "true") {
                reportViolation(
                    `${what} does not record all supported resource types (allSupported is ${JSON.stringify(allSupported) ?? "unset"}), so changes to the others leave no configuration history. Set the recording group's allSupported to true (orglog:index:OrganizationBaseline's template does).`,
                    urn,
                );
            }
        };
        for (const r of judgedResources(args)) {
            if (r.isType(aws.cfg.Recorder)) {
                checkAllSupported(
                    known(() => r.props.recordingGroup?.allSupported),
                    `Config recorder ${label(r)}`,
                    r.urn,
                );
            } else if (r.isType(aws.cfg.DeliveryChannel)) {
                checkBucket(
                    known(() => r.props.s3BucketName),
                    `Config delivery channel ${label(r)}`,
                    r,
                    "s3BucketName",
                );
            } else if (r.isType(aws.cloudformation.StackSet)) {
                const body = known(() => r.props.templateBody);
                if (body === UNKNOWN) {
                    continue;
                }
                const template = templateOf(body);
                const parameters = (known(() => r.props.parameters) as Record<string, unknown> | typeof UNKNOWN) ?? {};
                for (const [logicalId, resource] of Object.entries(template?.Resources ?? {})) {
                    const what = `StackSet ${label(r)}'s template resource ${logicalId}`;
                    if (resource?.Type === "AWS::Config::ConfigurationRecorder") {
                        checkAllSupported(resource.Properties?.RecordingGroup?.AllSupported, what, r.urn);
                    } else if (resource?.Type === "AWS::Config::DeliveryChannel") {
                        checkBucket(
                            parameters === UNKNOWN ? UNKNOWN : resolved(resource.Properties?.S3BucketName, parameters),
                            what,
                            r,
                            "parameters",
                        );
                    }
                }
            }
        }
    },
};
