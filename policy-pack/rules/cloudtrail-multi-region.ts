import * as aws from "@pulumi/aws";
import { ResourceValidationPolicy } from "@pulumi/policy";
import { shown } from "../lib/resources";
import { EXEMPT_RESOURCES_SCHEMA, ExemptionConfig, validateResourcesOf } from "../lib/rule";
import { judge, known, UNKNOWN } from "../lib/unknown";

export type CloudtrailMultiRegionConfig = ExemptionConfig;

/** A single-region trail misses what an intruder does in the other regions and in global services (IAM, STS). */
export const cloudtrailMultiRegion: ResourceValidationPolicy = {
    name: "cloudtrail-multi-region",
    description: "CloudTrail trails record every region and the global service events.",
    enforcementLevel: "mandatory",
    configSchema: { properties: { exemptResources: EXEMPT_RESOURCES_SCHEMA } },
    validateResource: validateResourcesOf([aws.cloudtrail.Trail], (trail, args, reportViolation) => {
        judge(() => {
            const multiRegion = known(() => trail.isMultiRegionTrail);
            if (multiRegion !== UNKNOWN && multiRegion !== true) {
                reportViolation(
                    `trail "${args.name}" has \`isMultiRegionTrail\` ${shown(multiRegion)}, so API activity in the other regions is not recorded. Set \`isMultiRegionTrail: true\`, as orglog:index:OrgTrail does.`,
                );
            }
        });
        judge(() => {
            const global = known(() => trail.includeGlobalServiceEvents);
            if (global === false) {
                reportViolation(
                    `trail "${args.name}" has \`includeGlobalServiceEvents\` false, so IAM, STS and other global service events are not recorded. Remove it or set \`includeGlobalServiceEvents: true\`.`,
                );
            }
        });
    }),
};
