import { ResourceValidationPolicy } from "@pulumi/policy";
import { IDENTITY_POLICY_TYPES, identityPolicies } from "../lib/iam";
import { allowsAction, describeStatement, resourceMayBe, splitArn } from "../lib/policy-document";
import { EXEMPT_RESOURCES_SCHEMA, ExemptionConfig, isExempt } from "../lib/resources";
import { known, UNKNOWN } from "../lib/unknown";

export interface SecretNamingConventionConfig extends ExemptionConfig {
    /** Regular expression every secret name must match. */
    pattern: string;
}

const SECRET = "aws:secretsmanager/secret:Secret";
const GET_SECRET_VALUE = "secretsmanager:GetSecretValue";
/** What the provider appends to `namePrefix` (a 26-digit unique id). */
const PREFIX_SUFFIX = "20240101000000000000000001";
/** What Pulumi appends to a logical name when it auto-names. */
const AUTONAME_SUFFIX = "-a1b2c3d";

/**
 * Secrets are found and granted by their names: collectors read `log-collection/<environment>/*`
 * only. A secret outside the convention is invisible to them or readable by the wrong environment;
 * a grant on `*` reads every secret of the account.
 */
export const secretNamingConvention: ResourceValidationPolicy = {
    name: "secret-naming-convention",
    description:
        "Secrets Manager secrets are named by the log-collection convention, and IAM statements that allow secretsmanager:GetSecretValue name secret ARNs under it, never *.",
    enforcementLevel: "mandatory",
    configSchema: {
        properties: {
            pattern: { type: "string", minLength: 1, default: "^log-collection/(integration|production)/[A-Za-z0-9._-]+$" },
            exemptResources: EXEMPT_RESOURCES_SCHEMA,
        },
    },
    validateResource: (args, reportViolation) => {
        const config = args.getConfig<SecretNamingConventionConfig>();
        if (isExempt(config, args)) {
            return;
        }
        const pattern = new RegExp(config.pattern);
        if (args.type === SECRET) {
            const name = known(() => args.props.name);
            const prefix = known(() => args.props.namePrefix);
            if (name === UNKNOWN || prefix === UNKNOWN) {
                return;
            }
            if (typeof name === "string" && name !== "") {
                if (!pattern.test(name)) {
                    reportViolation(
                        `secret "${args.name}" is named "${name}", which does not match ${config.pattern}, so the collectors' grants do not reach it or reach the wrong environment. Set \`name\` to "log-collection/<environment>/<name>" (orglog:index:CollectorFleet names its secrets this way).`,
                    );
                }
            } else if (typeof prefix === "string" && prefix !== "") {
                if (!pattern.test(prefix + PREFIX_SUFFIX)) {
                    reportViolation(
                        `secret "${args.name}" has \`namePrefix\` "${prefix}", so its names do not match ${config.pattern}. Use a \`namePrefix\` such as "log-collection/<environment>/<name>-", or set \`name\`.`,
                    );
                }
            } else if (!pattern.test(args.name + AUTONAME_SUFFIX)) {
                reportViolation(
                    `secret "${args.name}" has no \`name\`, so Pulumi names it "${args.name}-<random>", which does not match ${config.pattern}. Set \`name\` to "log-collection/<environment>/<name>".`,
                );
            }
            return;
        }
        if (!IDENTITY_POLICY_TYPES.includes(args.type)) {
            return;
        }
        for (const { where, policy } of identityPolicies(args)) {
            for (const statement of policy.statements) {
                if (!allowsAction(statement, GET_SECRET_VALUE)) {
                    continue;
                }
                const subject = `${where} ${describeStatement(statement)} allows secretsmanager:GetSecretValue`;
                const fix = `Name the secret ARNs, e.g. "arn:aws:secretsmanager:<region>:<account>:secret:log-collection/<environment>/*", as orglog:index:CollectorFleet's instance role does`;
                if (statement.notResource) {
                    reportViolation(`${subject} on every resource except ${JSON.stringify(statement.resources)} (NotResource), which reads secrets outside the naming convention. ${fix}.`);
                    continue;
                }
                const outside = statement.resources.filter((r) => resourceMayBe(r, "secretsmanager", "secret:") && !withinConvention(r, pattern));
                if (outside.length > 0) {
                    reportViolation(
                        `${subject} on ${outside.map((r) => `"${r}"`).join(", ")}, which ${outside.includes("*") ? "is every secret of the account" : `names secrets outside ${config.pattern}`}. ${fix}.`,
                    );
                }
            }
        }
    },
};

/**
 * Does every secret the ARN pattern can name follow the convention? Wildcards are replaced by a
 * sample value: a wildcard in the fixed part of the convention (prefix, environment) then fails,
 * one in the free part passes. The 6-character suffix Secrets Manager appends may be present.
 */
function withinConvention(resource: string, pattern: RegExp): boolean {
    const arn = splitArn(resource);
    if (!arn || arn.service !== "secretsmanager" || !arn.resource.startsWith("secret:")) {
        return false;
    }
    const name = arn.resource.slice("secret:".length).replace(/\*/g, "sample").replace(/\?/g, "x");
    return pattern.test(name) || pattern.test(name.replace(/-[A-Za-z0-9]{6}$/, ""));
}
