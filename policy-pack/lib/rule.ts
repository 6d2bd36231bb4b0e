// What every rule does before it judges a resource, written once: match the resource's type
// against @pulumi/aws classes (which types its props), skip resources exempt by config, and leave
// a resource unjudged when a value it needs is unknown during a preview.
import type { PolicyResource, ReportViolation, ResourceValidation, ResourceValidationArgs, StackValidationArgs } from "@pulumi/policy";
import { globMatch } from "./policy-document";
import { shown } from "./resources";
import { PropsOf, ResourceClass } from "./types";
import { judge, known, UNKNOWN } from "./unknown";

/** Config shared by every rule: resources exempt from it, each with the reason. */
export interface ExemptionConfig {
    /** Logical resource names or URNs (wildcards allowed) mapped to the reason they are exempt. */
    exemptResources: Record<string, string>;
}

export const EXEMPT_RESOURCES_SCHEMA = {
    type: "object" as const,
    description: "Resources exempt from this rule: logical name or URN (wildcards * and ?) mapped to the reason.",
    additionalProperties: { type: "string" as const, minLength: 1 },
    default: {},
};

/** Is the resource exempt from the rule by config (a pattern with a non-empty reason)? */
export function isExempt(config: ExemptionConfig, resource: { urn: string; name: string }): boolean {
    return Object.entries(config.exemptResources).some(([pattern, reason]) => {
        if (typeof reason !== "string" || reason.trim() === "") {
            return false;
        }
        return globMatch(pattern, resource.name) || globMatch(pattern, resource.urn);
    });
}

/** The stack's resources that the rule judges: those not exempt by its config. */
export function judgedResources(args: StackValidationArgs): PolicyResource[] {
    const config = args.getConfig<ExemptionConfig>();
    return args.resources.filter((r) => !isExempt(config, r));
}

/**
 * A resource validation that runs `validate` on resources of the given classes only, with props
 * typed by the classes' Args (narrow a union with `args.asType(aws.x.Y)`). Exempt resources are
 * skipped. A read of a value the preview cannot know ends the validation of that resource without
 * a violation; a rule that checks several things wraps each in `judge` so that one unknown value
 * does not hide the others.
 */
export function validateResourcesOf<C extends ResourceClass>(
    classes: readonly C[],
    validate: (props: PropsOf<C>, args: ResourceValidationArgs, reportViolation: ReportViolation) => void,
): ResourceValidation {
    return (args, reportViolation) => {
        if (classes.some((cls) => args.isType(cls)) && !isExempt(args.getConfig<ExemptionConfig>(), args)) {
            judge(() => validate(args.props as PropsOf<C>, args, reportViolation));
        }
    };
}

/** A resource validation for rules that judge resources of every type (by their provider, say). */
export function validateEveryResource(
    validate: (args: ResourceValidationArgs, reportViolation: ReportViolation) => void,
): ResourceValidation {
    return (args, reportViolation) => {
        if (!isExempt(args.getConfig<ExemptionConfig>(), args)) {
            judge(() => validate(args, reportViolation));
        }
    };
}

/**
 * A resource validation for rules that require resources of `cls` to name a KMS key in `property`:
 * a missing or empty value is reported with `message(name, value as shown)`; an unknown one is left
 * unjudged during a preview.
 */
export function validateKeyIsSet<C extends ResourceClass>(
    cls: C,
    property: keyof PropsOf<C> & string,
    message: (name: string, key: string) => string,
): ResourceValidation {
    return validateResourcesOf([cls], (props, args, reportViolation) => {
        const key = known(() => props[property]);
        if (key !== UNKNOWN && (typeof key !== "string" || key === "")) {
            reportViolation(message(args.name, shown(key)));
        }
    });
}
