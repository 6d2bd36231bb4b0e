import * as aws from "@pulumi/aws";
import { ResourceValidationPolicy } from "@pulumi/policy";
import { shown } from "../lib/resources";
import { EXEMPT_RESOURCES_SCHEMA, ExemptionConfig, validateResourcesOf } from "../lib/rule";
import { known, UNKNOWN } from "../lib/unknown";

export type CloudtrailLogFileValidationConfig = ExemptionConfig;

/** Without digest files nobody can prove that a log file was not altered or deleted after delivery. */
export const cloudtrailLogFileValidation: ResourceValidationPolicy = {
    name: "cloudtrail-log-file-validation",
    description: "CloudTrail trails have log file validation (signed digest files) enabled.",
    enforcementLevel: "mandatory",
    configSchema: { properties: { exemptResources: EXEMPT_RESOURCES_SCHEMA } },
    validateResource: validateResourcesOf([aws.cloudtrail.Trail], (trail, args, reportViolation) => {
        const validation = known(() => trail.enableLogFileValidation);
        if (validation !== UNKNOWN && validation !== true) {
            reportViolation(
                `trail "${args.name}" has \`enableLogFileValidation\` ${shown(validation)}, so a modified or deleted log file cannot be detected. Set \`enableLogFileValidation: true\`, as orglog:index:OrgTrail does.`,
            );
        }
    }),
};
