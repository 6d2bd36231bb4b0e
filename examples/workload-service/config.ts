import * as pulumi from "@pulumi/pulumi";
import { z } from "zod";

/** Config namespace of this project: keys are `workload-service:<key>`. */
export const NAMESPACE = "workload-service";

const accountId = z.preprocess(
    (v) => (typeof v === "number" ? String(v) : v),
    z.string().regex(/^\d{12}$/, "is not a 12-digit AWS account ID"),
);
const subnets = z
    .array(z.string().regex(/^subnet-[0-9a-f]+$/, "is not a subnet id"))
    .min(2, "must list at least two subnets (two availability zones)");
const wholeNumber = z.coerce.number({ error: "is not a whole number" }).int("is not a whole number");

const schema = z.strictObject({
    /** The org-logging stack whose outputs this service uses: `<org>/org-logging/<stack>`. */
    orgLoggingStack: z.string().regex(/^[\w.-]+\/org-logging\/[\w.-]+$/, "is not an org-logging stack such as acme/org-logging/production"),
    accountId,
    roleArn: z.string().regex(/^arn:aws(-[a-z]+)*:iam::\d{12}:role\/[\w+=,.@/-]+$/, "is not an IAM role ARN"),
    region: z.string().regex(/^[a-z]{2}(-gov)?-[a-z]+-\d$/, "is not an AWS region name such as eu-west-1"),
    serviceName: z.string().regex(/^[a-z](?:[a-z0-9-]{0,30}[a-z0-9])?$/, "is not a service name (1-32 lower-case letters, digits, dashes)"),
    image: z.string().min(1, "is empty"),
    containerPort: wholeNumber.min(1).max(65535),
    healthCheckPath: z.string().startsWith("/", "must start with /").default("/"),
    desiredCount: wholeNumber.min(0).optional(),
    certificateArn: z.string().regex(/^arn:aws(-[a-z]+)*:acm:[a-z0-9-]+:\d{12}:certificate\/[\w-]+$/, "is not an ACM certificate ARN"),
    network: z.strictObject({
        vpcId: z.string().regex(/^vpc-[0-9a-f]+$/, "is not a VPC id"),
        publicSubnetIds: subnets,
        privateSubnetIds: subnets,
    }),
});

export type WorkloadConfig = z.infer<typeof schema>;

/** Structured values arrive from the runtime as JSON text; plain strings stay strings. */
function parseValue(value: string): unknown {
    if (/^\s*[[{]/.test(value)) {
        try {
            return JSON.parse(value);
        } catch {
            return value;
        }
    }
    return value;
}

/** Validates raw config (keys without the namespace); throws one error naming every bad key. */
export function loadWorkloadConfig(raw: Record<string, unknown>, source: string): WorkloadConfig {
    const parsed = schema.safeParse(raw);
    const problems = parsed.success
        ? []
        : parsed.error.issues.map((issue) => {
              const key = `${NAMESPACE}:${issue.path.map(String).join(".")}`;
              if (issue.code === "unrecognized_keys") {
                  return issue.keys.map((k) => `${NAMESPACE}:${k}: unknown key; check its spelling or remove it`).join("; ");
              }
              const value = issue.path.reduce<unknown>(
                  (v, k) => (v && typeof v === "object" ? (v as Record<PropertyKey, unknown>)[k] : undefined),
                  raw,
              );
              return value === undefined ? `${key}: is required but missing` : `${key}: ${JSON.stringify(value)} ${issue.message}`;
          });
    if (parsed.success && parsed.data.roleArn.split(":")[4] !== parsed.data.accountId) {
        problems.push(
            `${NAMESPACE}:roleArn: "${parsed.data.roleArn}" is not a role in account ${parsed.data.accountId}; name the deployer role of the workload account`,
        );
    }
    if (problems.length > 0 || !parsed.success) {
        throw new Error(`${source}: ${problems.join("; ")}`);
    }
    return parsed.data;
}

/**
 * The archive admits the accounts of its organization only (`aws:SourceOrgID`, `aws:PrincipalOrgID`):
 * a service in another account deploys, but none of its logs arrive. `accountOrganizationId` is the
 * workload account's organization (undefined when it belongs to none).
 */
export function organizationProblem(
    config: Pick<WorkloadConfig, "accountId" | "orgLoggingStack">,
    archiveOrganizationId: string,
    accountOrganizationId: string | undefined,
): string | undefined {
    if (accountOrganizationId === archiveOrganizationId) {
        return undefined;
    }
    const where = accountOrganizationId === undefined ? "belongs to no organization" : `belongs to organization ${accountOrganizationId}`;
    return `${NAMESPACE}:accountId: "${config.accountId}" ${where}, but the archive of ${config.orgLoggingStack} admits only the accounts of ${archiveOrganizationId}, so none of the service's logs would arrive; deploy into an account of ${archiveOrganizationId}`;
}

/** The running stack's config, validated. */
export function readWorkloadConfig(): WorkloadConfig {
    const raw: Record<string, unknown> = {};
    for (const [key, value] of Object.entries(pulumi.runtime.allConfig())) {
        if (key.startsWith(`${NAMESPACE}:`)) {
            raw[key.slice(NAMESPACE.length + 1)] = parseValue(value);
        }
    }
    try {
        return loadWorkloadConfig(raw, `Pulumi.${pulumi.getStack()}.yaml`);
    } catch (err) {
        // RunError prints its message without a stack trace in `pulumi preview`/`up`.
        throw new pulumi.RunError((err as Error).message);
    }
}
