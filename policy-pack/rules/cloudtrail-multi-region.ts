import { ResourceValidationPolicy } from "@pulumi/policy";
import { EXEMPT_RESOURCES_SCHEMA, ExemptionConfig, isExempt, shown } from "../lib/resources";
import { judge, known, UNKNOWN } from "../lib/unknown";

export type CloudtrailMultiRegionConfig = ExemptionConfig;

const TRAIL = "aws:cloudtrail/trail:Trail";

/** A single-region trail misses what an intruder does in the other regions and in global services (IAM, STS). */
export const cloudtrailMultiRegion: ResourceValidationPolicy = {
    name: "cloudtrail-multi-region",
    description: "CloudTrail trails record every region and the global service events.",
    enforcementLevel: "mandatory",
    configSchema: { properties: { exemptResources: EXEMPT_RESOURCES_SCHEMA } },
    validateResource: (args, reportViolation) => {
        if (args.type !== TRAIL || isExempt(args.getConfig<CloudtrailMultiRegionConfig>(), args)) {
            return;
        }
        judge(() => {
            const multiRegion = known(() => args.props.isMultiRegionTrail);
            if (multiRegion !== UNKNOWN && multiRegion !== true) {
                reportViolation(
                    `trail "${args.name}" has \`isMultiRegionTrail\` ${shown(multiRegion)}, so API activity in the other regions is not recorded. Set \`isMultiRegionTrail: true\`, as orglog:index:OrgTrail does.`,
                );
            }
        });
        judge(() => {
            const global = known(() => args.props.includeGlobalServiceEvents);
            if (global === false) {
                reportViolation(
                    `trail "${args.name}" has \`includeGlobalServiceEvents\` false, so IAM, STS and other global service events are not recorded. Remove it or set \`includeGlobalServiceEvents: true\`.`,
                );
            }
        });
    },
};
