import { ResourceValidationPolicy } from "@pulumi/policy";
import { EXEMPT_RESOURCES_SCHEMA, ExemptionConfig, validateEveryResource } from "../lib/rule";

export interface NoDefaultProviderConfig extends ExemptionConfig {
    /** Provider packages whose resources must name an explicit provider. */
    packages: string[];
}

/**
 * The stack spans several accounts. A resource on the default provider lands in whatever account
 * the ambient credentials belong to, which is how a log bucket ends up in a workload account.
 */
export const noDefaultProvider: ResourceValidationPolicy = {
    name: "no-default-provider",
    description: "Every AWS resource is created through an explicit provider (one per account), never the default provider.",
    enforcementLevel: "mandatory",
    configSchema: {
        properties: {
            packages: { type: "array", items: { type: "string" }, default: ["aws"] },
            exemptResources: EXEMPT_RESOURCES_SCHEMA,
        },
    },
    validateResource: validateEveryResource((args, reportViolation) => {
        const pkg = args.type.split(":")[0];
        if (!args.getConfig<NoDefaultProviderConfig>().packages.includes(pkg)) {
            return;
        }
        // The CLI names default providers `default` or `default_<version>`; offline, they have no provider resource at all.
        const provider = args.provider;
        if (!provider || /^default(_|$)/.test(provider.name)) {
            reportViolation(
                `${args.type.split(":").pop()} "${args.name}" uses the default ${pkg} provider${provider ? ` ("${provider.name}")` : ""}, so it lands in whatever account the ambient credentials belong to. Pass \`{ provider }\` with the account's provider from infra/accounts.ts (or a parent component that has one).`,
            );
        }
    }),
};
