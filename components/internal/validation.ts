// Format checks, limits and names shared by the components' Args validation and the program's
// configuration (`infra/config.ts`), so that one value is judged the same way everywhere, and the
// one way a component reports its problems: every problem at once, one per line.
import * as pulumi from "@pulumi/pulumi";

export { ANY_IPV4, isIpv4Cidr, isNetworkAddress, prefixLength } from "./cidr";

/** A value as messages quote it: JSON, or `undefined`. */
export function show(value: unknown): string {
    return value === undefined ? "undefined" : JSON.stringify(value);
}

/** A 12-digit AWS account id. */
export const ACCOUNT_ID = /^\d{12}$/;
/** An AWS Organizations id (`o-` and 10 to 32 letters or digits). */
export const ORGANIZATION_ID = /^o-[a-z0-9]{10,32}$/;
/** An organization root or organizational unit: what a StackSet deploys to. */
export const OU_OR_ROOT_ID = /^(r-[0-9a-z]{4,32}|ou-[0-9a-z]{4,32}-[a-z0-9]{8,32})$/;
/** An organization root, organizational unit or account: what an SCP can be attached to. */
export const SCP_TARGET_ID = /^(r-[0-9a-z]{4,32}|ou-[0-9a-z]{4,32}-[a-z0-9]{8,32}|\d{12})$/;
/** An IAM role ARN of any partition (`arn:aws:iam::111111111111:role/path/Name`). */
export const ROLE_ARN = /^arn:aws(-[a-z]+)*:iam::\d{12}:role\/[\w+=,.@/-]{1,512}$/;
/** An IAM or STS principal ARN (role, user, account root, assumed role; `*` for any account). */
export const PRINCIPAL_ARN = /^arn:aws(-[a-z]+)*:(iam|sts)::(\d{12}|\*):[\w+=,.@/*-]+$/;
/** The ARN of an account's IAM OIDC provider. */
export const OIDC_PROVIDER_ARN = /^arn:aws(-[a-z]+)*:iam::\d{12}:oidc-provider\/.+$/;
/** A KMS key ARN (`arn:<partition>:kms:<region>:<account>:key/<id>`). */
export const KMS_KEY_ARN = /^arn:aws(-[a-z]+)*:kms:[a-z0-9-]+:\d{12}:key\/[\w-]+$/;
/** An IAM role name (at most 64 characters). */
export const ROLE_NAME = /^[\w+=,.@-]{1,64}$/;
/** A Glue database or table name: lower case, digits and underscores (Athena's rule). */
export const GLUE_NAME = /^[a-z0-9_]{1,255}$/;
/** The shape of an AWS region name (`eu-west-1`, `us-gov-west-1`). */
export const REGION_NAME = /^[a-z]{2}(-gov|-iso[a-z]?)?-[a-z]+-\d$/;
/** An environment name (`integration`, `production`): part of physical names and prefixes. */
export const ENVIRONMENT_NAME = /^[a-z][a-z0-9-]{1,31}$/;
/** A stable id of a list member (listener, destination), used in child names: at most 24 characters. */
export const STABLE_ID = /^[a-z][a-z0-9-]{0,23}$/;
/** An EC2 instance type (`t3.medium`, `m7g.large`). */
export const INSTANCE_TYPE = /^[a-z][a-z0-9-]*\.[a-z0-9]+$/;
/** An AMI id: `ami-` and 8 or 17 hex digits. */
export const AMI_ID = /^ami-(?:[0-9a-f]{8}|[0-9a-f]{17})$/;
/** An S3 key prefix of one or more path segments, ending in `/`. */
export const KEY_PREFIX = /^([\w.=-]+\/)+$/;

/** Retention periods CloudWatch Logs accepts (PutRetentionPolicy). */
export const LOG_RETENTION_DAYS: readonly number[] = [
    1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922, 3288, 3653,
];

/** The problem with a CloudWatch Logs retention in `field`, if any. */
export function logRetentionProblem(field: string, days: unknown): string | undefined {
    return typeof days === "number" && LOG_RETENTION_DAYS.includes(days)
        ? undefined
        : `\`${field}\` (${show(days)}) is not a retention CloudWatch Logs accepts. Use one of ${LOG_RETENTION_DAYS.join(", ")}`;
}

/** The problem with a Glue database or table name in `field`, if any (none when it is unset). */
export function glueNameProblem(field: string, name: string | undefined): string | undefined {
    return name === undefined || GLUE_NAME.test(name)
        ? undefined
        : `\`${field}\` ("${name}") is not a Glue name Athena can query. Use 1-255 lower-case letters, digits and "_"`;
}

/**
 * The error a component raises for its Args: one line per problem, each `<Component>: <problem>.`,
 * so that every line names the component, the field and the fix. `resource` is the component being
 * constructed (the CLI then points at it); pure callers leave it out. No stack trace: bad input is
 * the caller's to fix, not a crash.
 */
export function argsError(component: string, problems: readonly string[], resource?: pulumi.Resource): pulumi.ResourceError {
    return new pulumi.ResourceError(problems.map((p) => `${component}: ${p}.`).join("\n"), resource, true);
}

/** Throws `argsError` when there are problems. */
export function assertNoProblems(component: string, problems: readonly string[], resource?: pulumi.Resource): void {
    if (problems.length > 0) {
        throw argsError(component, problems, resource);
    }
}

/** Args `T` with the defaults of the fields `K` applied: those fields are always present. */
export type WithDefaults<T, K extends keyof T> = T & { readonly [P in K]-?: Exclude<T[P], undefined> };

/** The problems of a list of role or principal ARNs in `field`: one per bad entry, each ending in `fix`. */
export function arnProblems(field: string, arns: readonly string[], kind: "role" | "principal", fix: string): string[] {
    const format = kind === "role" ? ROLE_ARN : PRINCIPAL_ARN;
    return arns.filter((arn) => !format.test(arn)).map((arn) => `\`${field}\` (${show(arn)}) is not an IAM ${kind} ARN. ${fix}`);
}

/** The problem with a value in `field` that must be one of `allowed`, if any. */
export function oneOfProblem(field: string, value: unknown, allowed: readonly string[]): string | undefined {
    if (allowed.includes(value as string)) {
        return undefined;
    }
    const choices = allowed.map((a) => `"${a}"`);
    return `\`${field}\` (${show(value)}) must be ${choices.length > 1 ? `${choices.slice(0, -1).join(", ")} or ${choices.at(-1)}` : choices[0]}`;
}
