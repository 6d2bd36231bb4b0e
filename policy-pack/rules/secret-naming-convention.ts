import * as aws from "@pulumi/aws";
import { ResourceValidationPolicy } from "@pulumi/policy";
import { IDENTITY_POLICY_CLASSES, identityPolicies } from "../lib/iam";
import { allowsAction, describeStatement, principalAccount, readPolicy, resourceMayBe, splitArn } from "../lib/policy-document";
import { accountOf } from "../lib/resources";
import { EXEMPT_RESOURCES_SCHEMA, ExemptionConfig, validateResourcesOf } from "../lib/rule";
import { tokenOf } from "../lib/types";
import { known, UNKNOWN } from "../lib/unknown";

export interface SecretNamingConventionConfig extends ExemptionConfig {
    /** Regular expression every secret name must match. */
    pattern: string;
    /** The stack's environment; empty: the stack name (from the resources' URNs). */
    environment: string;
    /** What comes before the environment in a secret name under the convention. */
    environmentPrefix: string;
}

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
        "Secrets Manager secrets are named by the log-collection convention, IAM statements that allow secretsmanager:GetSecretValue name secret ARNs under it (never * and never another environment's), and no secret policy lets everyone or another account read a secret.",
    enforcementLevel: "mandatory",
    configSchema: {
        properties: {
            pattern: { type: "string", minLength: 1, default: "^log-collection/(integration|production)/[A-Za-z0-9._-]+$" },
            environment: { type: "string", default: "" },
            environmentPrefix: { type: "string", minLength: 1, default: "log-collection/" },
            exemptResources: EXEMPT_RESOURCES_SCHEMA,
        },
    },
    validateResource: validateResourcesOf(
        [aws.secretsmanager.Secret, aws.secretsmanager.SecretPolicy, ...IDENTITY_POLICY_CLASSES],
        (_props, args, reportViolation) => {
            const config = args.getConfig<SecretNamingConventionConfig>();
            const pattern = new RegExp(config.pattern);
            const secret = args.asType(aws.secretsmanager.Secret);
            if (secret || args.isType(aws.secretsmanager.SecretPolicy)) {
                judgeSecretPolicy(args, reportViolation);
            }
            if (secret) {
                const name = known(() => secret.name);
                const prefix = known(() => secret.namePrefix);
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
            const environment = environmentOf(config, args.urn, pattern);
            for (const { where, policy } of identityPolicies(args)) {
                for (const statement of policy.statements) {
                    if (!allowsAction(statement, GET_SECRET_VALUE)) {
                        continue;
                    }
                    const subject = `${where} ${describeStatement(statement)} allows secretsmanager:GetSecretValue`;
                    const fix = `Name the secret ARNs, e.g. "arn:aws:secretsmanager:<region>:<account>:secret:log-collection/<environment>/*", as orglog:index:CollectorFleet's instance role does`;
                    if (statement.notResource) {
                        reportViolation(
                            `${subject} on every resource except ${JSON.stringify(statement.resources)} (NotResource), which reads secrets outside the naming convention. ${fix}.`,
                        );
                        continue;
                    }
                    const outside = statement.resources.filter(
                        (r) => resourceMayBe(r, "secretsmanager", "secret:") && !withinConvention(r, pattern),
                    );
                    if (outside.length > 0) {
                        reportViolation(
                            `${subject} on ${outside.map((r) => `"${r}"`).join(", ")}, which ${outside.includes("*") ? "is every secret of the account" : `names secrets outside ${config.pattern}`}. ${fix}.`,
                        );
                    }
                    const foreign =
                        environment === undefined
                            ? []
                            : statement.resources.filter(
                                  (r) => !outside.includes(r) && otherEnvironment(r, config.environmentPrefix, environment),
                              );
                    if (foreign.length > 0) {
                        reportViolation(
                            `${subject} on ${foreign.map((r) => `"${r}"`).join(", ")}, which name${foreign.length === 1 ? "s" : ""} another environment's secrets, but this stack is the "${environment}" environment, so its principals can read the other environment's credentials. Name only "${config.environmentPrefix}${environment}/" secrets, as orglog:index:CollectorFleet's instance role does (set the rule's \`environment\` when the stack name is not the environment).`,
                        );
                    }
                }
            }
        },
    ),
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

type Report = (message: string) => void;

/**
 * The stack's environment for the boundary check: the `environment` config, else the stack name
 * in the URN (`urn:pulumi:<stack>::<project>::...`). Undefined when it is not an environment the
 * convention knows (a sample name under it does not match the pattern): nothing to compare with.
 */
function environmentOf(config: SecretNamingConventionConfig, urn: string, pattern: RegExp): string | undefined {
    const environment = config.environment || /^urn:pulumi:([^:]+)::/.exec(urn)?.[1];
    if (!environment || !pattern.test(`${config.environmentPrefix}${environment}/sample`)) {
        return undefined;
    }
    return environment;
}

/** Does the secret ARN name secrets of a concrete environment other than `environment`? */
function otherEnvironment(resource: string, prefix: string, environment: string): boolean {
    const arn = splitArn(resource);
    if (!arn || arn.service !== "secretsmanager" || !arn.resource.startsWith(`secret:${prefix}`)) {
        return false;
    }
    const segment = arn.resource.slice(`secret:${prefix}`.length).split("/")[0];
    return segment !== "" && !/[*?]/.test(segment) && segment !== environment;
}

/**
 * A secret's resource policy (the secret's `policy` or an aws.secretsmanager.SecretPolicy) must
 * not open GetSecretValue to everyone, to a principal with a wildcard, or to another account.
 */
function judgeSecretPolicy(
    args: { type: string; name: string; props: Record<string, any>; provider?: any; urn: string },
    reportViolation: Report,
): void {
    const policy = readPolicy(known(() => args.props.policy));
    if (!policy) {
        return;
    }
    const own = accountOf(args);
    const isSecret = args.type === tokenOf(aws.secretsmanager.Secret);
    const where = `${isSecret ? "secret" : "secret policy"} "${args.name}"${isSecret ? " `policy`" : ""}`;
    const fix =
        "Grant the readers through their identity policies (orglog:index:CollectorFleet's instance role), or name them as principals of this account";
    for (const statement of policy.statements) {
        if (!allowsAction(statement, GET_SECRET_VALUE)) {
            continue;
        }
        const subject = `${where} ${describeStatement(statement)} lets`;
        if (statement.principals === "*" || statement.notPrincipal) {
            reportViolation(
                `${subject} ${statement.notPrincipal ? "every principal but the ones listed (NotPrincipal)" : 'everyone ("*")'} call secretsmanager:GetSecretValue, so anyone who can reach the secret reads it. ${fix}.`,
            );
            continue;
        }
        const principals = statement.principals.AWS ?? [];
        const unscoped = principals.filter((p) => /[*?]/.test(p));
        const foreign = principals.filter(
            (p) => !unscoped.includes(p) && own !== undefined && principalAccount(p) !== undefined && principalAccount(p) !== own,
        );
        if (unscoped.length > 0) {
            reportViolation(
                `${subject} the principal(s) ${unscoped.map((p) => `"${p}"`).join(", ")} call secretsmanager:GetSecretValue, which a wildcard opens to principals nobody reviewed. ${fix}.`,
            );
        }
        if (foreign.length > 0) {
            reportViolation(
                `${subject} ${foreign.map((p) => `"${p}"`).join(", ")} of another account than the secret's (${own}) call secretsmanager:GetSecretValue, so that account's principals read the secret. ${fix}.`,
            );
        }
    }
}
