import * as pulumi from "@pulumi/pulumi";
import * as crypto from "crypto";
import * as fs from "fs";
import { z } from "zod";
import { BRANCH_NAME, GITLAB_PROJECT, OIDC_ISSUER_URL } from "../components/internal/oidc";
import {
    ACCOUNT_ID,
    AMI_ID,
    ENVIRONMENT_NAME,
    INSTANCE_TYPE,
    isIpv4Cidr,
    KEY_PREFIX,
    KMS_KEY_ARN,
    OIDC_PROVIDER_ARN,
    ORGANIZATION_ID,
    OU_OR_ROOT_ID,
    ROLE_ARN,
    show,
    STABLE_ID,
} from "../components/internal/validation";

/** The Pulumi config namespace of this project: keys are `org-logging:<key>`. */
export const CONFIG_NAMESPACE = "org-logging";

// YAML reads an unquoted 111111111111 as a number; account ids are strings everywhere else.
const numberAsString = (value: unknown) => (typeof value === "number" ? String(value) : value);

const accountId = z.preprocess(
    numberAsString,
    z.string({ error: "is not a 12-digit AWS account ID" }).regex(ACCOUNT_ID, "is not a 12-digit AWS account ID"),
);

const roleArn = z
    .string({ error: "is not an IAM role ARN (arn:<partition>:iam::<account id>:role/<name>)" })
    .regex(ROLE_ARN, "is not an IAM role ARN (arn:<partition>:iam::<account id>:role/<name>)");

const region = z
    .string({ error: "is not an AWS region name such as eu-west-1" })
    .refine(isAwsRegion, { error: (issue) => unknownRegionMessage(String(issue.input)) });

const cidr = z
    .string({ error: "is not an IPv4 CIDR block such as 10.0.0.0/8" })
    .refine(isIpv4Cidr, "is not an IPv4 CIDR block such as 10.0.0.0/8");

const positiveInt = z.number({ error: "is not a whole number" }).int("is not a whole number").min(0, "must be 0 or more");

const accountSchema = z.strictObject({ id: accountId, roleArn });

/**
 * The organization baseline: which organizational units and regions get AWS Config and the account
 * settings through the baseline StackSet, and whether it creates the Config recorder.
 */
const baselineSchema = z.strictObject({
    /** Organizational units (`ou-...`) or the root (`r-...`); unset: the organization root. */
    organizationalUnitIds: z
        .array(
            z
                .string({ error: "is not an organizational unit id (ou-xxxx-xxxxxxxx) or root id (r-xxxx)" })
                .regex(OU_OR_ROOT_ID, "is not an organizational unit id (ou-xxxx-xxxxxxxx) or root id (r-xxxx)"),
        )
        .min(1, "must list at least one organizational unit, or be left unset for the organization root")
        .optional(),
    /** Regions the baseline covers; unset: the stack's region. */
    regions: z.array(region).min(1, "must list at least one region, or be left unset for the stack's region").optional(),
    /** `create` (default): the StackSet creates the recorder and delivery channel; `existing`: Control Tower or another tool owns them. */
    configRecorder: z.enum(["create", "existing"], { error: "is not a recorder mode (create | existing)" }).optional(),
});

/** Display only: the stack deploys nothing per workload account (the baseline StackSet covers them). */
const workloadAccountSchema = z.strictObject({
    id: accountId,
    name: z
        .string({ error: "is not an account name" })
        .regex(/^[a-z][a-z0-9-]{0,62}$/, "is not a lower-case account name (letters, digits, dashes)"),
    /** Accepted for older stack files; the stack no longer assumes roles in workload accounts. */
    roleArn: roleArn.optional(),
});

/** An OIDC issuer of CI pipelines; unset fields take the CollectorFleet defaults. */
const oidcIssuerSchema = z.strictObject({
    enabled: z.boolean({ error: "is not true or false" }).optional(),
    url: z
        .string({ error: "is not an https issuer URL such as https://gitlab.com" })
        .regex(OIDC_ISSUER_URL, "is not an https issuer URL such as https://gitlab.com")
        .optional(),
    audience: z.string({ error: "is not an audience" }).min(1, "is not an audience").optional(),
    providerArn: z
        .string({ error: "is not an IAM OIDC provider ARN" })
        .regex(OIDC_PROVIDER_ARN, "is not an IAM OIDC provider ARN")
        .optional(),
});

/**
 * Collector settings of the stack. Every field the CollectorFleet component has a default for is
 * optional here and passed through unchanged, so the default lives in one place (the component).
 */
const collectorSchema = z.strictObject({
    /** CIDR blocks allowed to send logs to the collectors' load balancer. */
    allowedCidrs: z.array(cidr).min(1, "must list at least one CIDR block allowed to send logs"),
    instanceType: z.string().regex(INSTANCE_TYPE, "is not an EC2 instance type such as t3.medium").optional(),
    /** The collectors' AMI, pinned (docs/operations.md, "Move the collector AMI"). */
    imageId: z
        .string({ error: "is not an AMI id; pin one such as ami-0a1b2c3d4e5f67890" })
        .regex(AMI_ID, "is not an AMI id; pin one such as ami-0a1b2c3d4e5f67890"),
    minSize: positiveInt.optional(),
    maxSize: positiveInt.optional(),
    desiredCapacity: positiveInt.optional(),
    /** The collector configuration repository the CI publisher role trusts (`group/project` or `owner/repo`). */
    configRepository: z.string().regex(GITLAB_PROJECT, "is not a repository path such as security/collector-config"),
    /** E-mail address subscribed to deploy results. */
    deployEmail: z.email("is not an e-mail address").optional(),
    /** The GitLab issuer the CI publisher role trusts (`enabled: false` trusts none). */
    gitlab: oidcIssuerSchema.optional(),
    /** The GitHub Actions issuer the CI publisher role trusts (`enabled: false` trusts none). */
    github: oidcIssuerSchema.optional(),
    /**
     * Public half (PEM) of the KMS key (ECC_NIST_P256, SIGN_VERIFY) the configuration pipeline signs
     * manifest.json with; when set, every collector sync requires a signed manifest (docs/agent.md).
     * Checked by manifestPublicKeyProblem.
     */
    manifestPublicKeyPem: z.string({ error: "is not a PEM public key (-----BEGIN PUBLIC KEY----- ...)" }).optional(),
    /** Where the collectors forward logs (SIEM, ...); each opens one egress port. */
    forwardDestinations: z
        .array(
            z.strictObject({
                name: z.string().regex(STABLE_ID, "is not a destination id (up to 24 lower-case letters, digits, dashes)"),
                cidr,
                port: z
                    .number({ error: "is not a port" })
                    .int("is not a port")
                    .min(1, "is not a port (1-65535)")
                    .max(65535, "is not a port (1-65535)"),
                protocol: z.enum(["TCP", "UDP"], { error: "is not a protocol (TCP | UDP)" }),
            }),
        )
        .optional(),
});

/**
 * Deployment decisions about the log archive. Every field is optional and passed through unchanged:
 * the defaults live in the LogArchiveAccount component, which also checks the fields against each other.
 */
const archiveSchema = z.strictObject({
    /** Object Lock default retention mode of the trail bucket (only settable when the bucket is created). */
    objectLockMode: z.enum(["GOVERNANCE", "COMPLIANCE"], { error: "is not an Object Lock mode (GOVERNANCE | COMPLIANCE)" }).optional(),
    objectLockDays: positiveInt.optional(),
    glacierTransitionDays: positiveInt.optional(),
    logRetentionDays: positiveInt.optional(),
});

/**
 * How this repository's own pipeline reaches AWS: the OIDC issuer and repository whose jobs may assume
 * the pipeline roles in the management account (orglog:index:PipelineDeployerRole). Unset fields take
 * that component's defaults.
 */
const pipelineSchema = z.strictObject({
    /** The CI system running this repository's pipelines; it decides the format of the OIDC subject. */
    ciSystem: z.enum(["gitlab", "github"], { error: "is not a CI system (gitlab | github)" }),
    /** This repository: `group/project` on GitLab (subgroups allowed) or `owner/repo` on GitHub. */
    repository: z
        .string({ error: "is not a repository path such as security/org-logging" })
        .regex(GITLAB_PROJECT, "is not a repository path such as security/org-logging"),
    /** The protected branch whose pipelines deploy this stack (`main` for production, `integration` for integration). */
    deployBranch: z.string({ error: "is not a branch name such as main" }).regex(BRANCH_NAME, "is not a branch name such as main"),
    /** The OIDC issuer, for a self-managed GitLab (`https://gitlab.example.com`). */
    issuerUrl: z
        .string({ error: "is not an https issuer URL such as https://gitlab.com" })
        .regex(OIDC_ISSUER_URL, "is not an https issuer URL such as https://gitlab.com")
        .optional(),
    /** The audience the jobs request for their AWS ID token. */
    audience: z.string({ error: "is not an audience" }).min(1, "is not an audience").optional(),
    /** An IAM OIDC provider for the issuer that already exists in the management account (one per issuer and account). */
    oidcProviderArn: z
        .string({ error: "is not an IAM OIDC provider ARN" })
        .regex(OIDC_PROVIDER_ARN, "is not an IAM OIDC provider ARN")
        .optional(),
    /** A self-managed state backend (S3 bucket and the KMS key of the `awskms://` secrets provider); unset for Pulumi Cloud. */
    stateBackend: z
        .strictObject({
            bucket: z.string({ error: "is not an S3 bucket name" }).regex(/^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/, "is not an S3 bucket name"),
            /** Key prefix of the backend URL (`s3://<bucket>/<prefix>`), ending in `/`. */
            prefix: z
                .string({ error: "is not a key prefix such as org-logging/" })
                .regex(KEY_PREFIX, "is not a key prefix ending in / such as org-logging/")
                .optional(),
            secretsKeyArn: z
                .string({ error: "is not a KMS key ARN" })
                .regex(KMS_KEY_ARN, "is not a KMS key ARN (arn:<partition>:kms:<region>:<account>:key/<id>)"),
        })
        .optional(),
});

/**
 * A role whose sessions may assume the investigator role in the log-archive account
 * (orglog:index:ArchiveInvestigatorRole). `human: true` requires MFA on the assumption.
 */
const investigatorSchema = z.strictObject({
    roleArn,
    human: z.boolean({ error: "is not true (a person: MFA required) or false (automation)" }),
});

const stackConfigSchema = z.strictObject({
    organizationId: z
        .string({ error: "is not an AWS Organizations id such as o-a1b2c3d4e5" })
        .regex(ORGANIZATION_ID, "is not an AWS Organizations id such as o-a1b2c3d4e5"),
    environment: z
        .string({ error: "is not an environment name" })
        .regex(ENVIRONMENT_NAME, "is not a lower-case environment name such as production"),
    region,
    trailMode: z.enum(["organization", "account"], { error: "is not a trail mode (organization | account)" }),
    breakGlassRoleArn: roleArn,
    alarmEmail: z.email("is not an e-mail address"),
    accounts: z.strictObject({
        management: accountSchema,
        logArchive: accountSchema,
        collection: accountSchema,
        /** The security tooling account: AWS Config's delegated administrator. Unset: the management account plays that part. */
        audit: accountSchema.optional(),
    }),
    baseline: baselineSchema.optional(),
    workloadAccounts: z.array(workloadAccountSchema).default([]),
    collector: collectorSchema,
    archive: archiveSchema.optional(),
    pipeline: pipelineSchema,
    /** Roles that may assume the investigator role (Athena over the archive, read-only); unset creates no such role. */
    investigators: z.array(investigatorSchema).min(1, "must list at least one role, or be left unset").optional(),
});

/** The validated configuration of one stack. */
export type StackConfig = z.infer<typeof stackConfigSchema>;
export type AccountConfig = z.infer<typeof accountSchema>;
export type BaselineConfig = z.infer<typeof baselineSchema>;
export type WorkloadAccountConfig = z.infer<typeof workloadAccountSchema>;
export type CollectorConfig = z.infer<typeof collectorSchema>;
export type ArchiveConfig = z.infer<typeof archiveSchema>;
export type PipelineConfig = z.infer<typeof pipelineSchema>;
export type InvestigatorConfig = z.infer<typeof investigatorSchema>;

/** A stack config that failed validation; `problems` holds one line per problem, and so does the message. */
export class StackConfigError extends Error {
    constructor(
        public readonly source: string,
        public readonly problems: string[],
    ) {
        super(problems.map((problem) => `${source}: ${problem}`).join("\n"));
        this.name = "StackConfigError";
    }
}

/**
 * Validates a stack's raw config (the `org-logging:` keys without the prefix, values as parsed
 * objects) and returns it typed. Throws one StackConfigError listing every problem, each as
 * `org-logging:<key path>: <value> <rule>`.
 */
export function loadStackConfig(raw: unknown, source: string): StackConfig {
    const parsed = stackConfigSchema.safeParse(raw);
    if (!parsed.success) {
        throw new StackConfigError(
            source,
            parsed.error.issues.flatMap((issue) => describeIssue(issue, raw).split("\n")),
        );
    }
    const problems = [...crossFieldProblems(parsed.data), ...coreAccountProblems(parsed.data)];
    if (problems.length > 0) {
        throw new StackConfigError(source, problems);
    }
    return parsed.data;
}

/** Reads and validates the running stack's `org-logging:*` config from the Pulumi runtime. */
export function readStackConfig(): StackConfig {
    const raw: Record<string, unknown> = {};
    for (const [key, value] of Object.entries(pulumi.runtime.allConfig())) {
        if (key.startsWith(`${CONFIG_NAMESPACE}:`)) {
            raw[key.slice(CONFIG_NAMESPACE.length + 1)] = parseConfigValue(value);
        }
    }
    const source = stackConfigSource();
    try {
        const config = withLookalikeNamespaces(Object.keys(pulumi.runtime.allConfig()), source, () => loadStackConfig(raw, source));
        const environment = environmentCheck(config.environment, pulumi.getStack(), projectStackFiles());
        if (environment?.severity === "error") {
            throw new StackConfigError(source, [environment.message]);
        }
        if (environment) {
            void pulumi.log.warn(`${source}: ${environment.message}`);
        }
        return config;
    } catch (err) {
        // RunError prints its message without a stack trace in `pulumi preview`/`up`.
        throw err instanceof StackConfigError ? new pulumi.RunError(err.message) : err;
    }
}

/** `Pulumi.<stack>.yaml`: where the running stack's config comes from, as messages name it. */
export function stackConfigSource(): string {
    return `Pulumi.${pulumi.getStack()}.yaml`;
}

/** The stack files of the running project (`Pulumi.<stack>.yaml` beside Pulumi.yaml); empty when the folder is unknown. */
function projectStackFiles(): string[] {
    const root = pulumi.runtime.getRootDirectory();
    const dir = root && fs.existsSync(root) ? root : process.cwd();
    try {
        return fs.readdirSync(dir).filter((file) => /^Pulumi\.[^.]+\.ya?ml$/.test(file));
    } catch {
        return [];
    }
}

/**
 * The environment names the stack's physical resources (`OrgLoggingPipeline-<environment>`,
 * `LogCollection-Deploy-<environment>`, `configuration/<environment>/`, secrets under
 * `log-collection/<environment>/`), so two stacks with one environment collide in the same accounts.
 * Rule: the environment is the stack's name. Another stack of the project named like the
 * environment (a stack file copied without changing it) is an error; any other difference is a
 * warning, for a stack deliberately named apart from its environment (`prod-eu` with
 * `environment: prod-eu-1`).
 */
export function environmentCheck(
    environment: string,
    stack: string,
    stackFiles: string[],
): { severity: "error" | "warning"; message: string } | undefined {
    if (environment === stack) {
        return undefined;
    }
    const other = stackFiles.find((file) => file === `Pulumi.${environment}.yaml` || file === `Pulumi.${environment}.yml`);
    const names = `names such as OrgLoggingPipeline-${environment} and configuration/${environment}/`;
    if (other) {
        return {
            severity: "error",
            message: `${CONFIG_NAMESPACE}:environment: "${environment}" is the environment of stack ${environment} (${other}) too, so ${names} would collide with that stack's; set it to "${stack}"`,
        };
    }
    return {
        severity: "warning",
        message: `${CONFIG_NAMESPACE}:environment: "${environment}" is not the stack's name "${stack}"; ${names} follow the environment, so no other stack may use it in these accounts. Set it to "${stack}" unless that is intended`,
    };
}

/**
 * Every core account and every workload account is a different account: the stack deploys a Config
 * recorder, trail or fleet per role, and AWS refuses a second Config recorder in an account.
 * Pairs that have their own, more specific message (log archive or audit in the management
 * account, audit in the log-archive account) are left to it.
 */
export function coreAccountProblems(config: StackConfig): string[] {
    const problems: string[] = [];
    const roles: Array<[string, string | undefined]> = [
        ["accounts.management", config.accounts.management.id],
        ["accounts.logArchive", config.accounts.logArchive.id],
        ["accounts.collection", config.accounts.collection.id],
        ["accounts.audit", config.accounts.audit?.id],
    ];
    const specific = new Set([
        "accounts.logArchive=accounts.management",
        "accounts.audit=accounts.management",
        "accounts.audit=accounts.logArchive",
    ]);
    roles.forEach(([key, id], index) => {
        const earlier = roles
            .slice(0, index)
            .find(([other, otherId]) => id !== undefined && otherId === id && !specific.has(`${key}=${other}`));
        if (earlier) {
            problems.push(
                `${CONFIG_NAMESPACE}:${key}.id: "${id}" is also ${CONFIG_NAMESPACE}:${earlier[0]}.id; each core account has a role of its own (the stack deploys into it through a provider of its own): name a different account`,
            );
        }
    });
    config.workloadAccounts.forEach((account, index) => {
        const core = roles.find(([, id]) => id === account.id);
        if (core) {
            problems.push(
                `${CONFIG_NAMESPACE}:workloadAccounts.${index}.id: "${account.id}" is ${CONFIG_NAMESPACE}:${core[0]}.id, a core account; AWS refuses a second Config recorder in one account, so list only member accounts that run workloads, or remove the entry`,
            );
        }
    });
    return problems;
}

/** Runs `load`, reporting keys of look-alike namespaces first, together with its own problems. */
export function withLookalikeNamespaces<T>(keys: string[], source: string, load: () => T): T {
    const lookalikes = lookalikeNamespaceProblems(keys);
    try {
        const config = load();
        if (lookalikes.length > 0) {
            throw new StackConfigError(source, lookalikes);
        }
        return config;
    } catch (err) {
        throw err instanceof StackConfigError && lookalikes.length > 0 && err.problems !== lookalikes
            ? new StackConfigError(source, [...lookalikes, ...err.problems])
            : err;
    }
}

/** Structured config arrives from the Pulumi runtime as JSON text; plain strings stay strings. */
export function parseConfigValue(value: string): unknown {
    const trimmed = value.trim();
    if (trimmed.startsWith("{") || trimmed.startsWith("[")) {
        try {
            return JSON.parse(trimmed);
        } catch {
            return value;
        }
    }
    return value;
}

/** Every AWS region, opt-in ones included: the AWS provider's own list. */
export const AWS_REGIONS: readonly string[] = Object.values(
    (require("@pulumi/aws/types/enums") as { Region: Record<string, string> }).Region,
);

function isAwsRegion(value: string): boolean {
    return AWS_REGIONS.includes(value);
}

/** `is not an AWS region; the eu-west regions are eu-west-1, eu-west-2, eu-west-3`. */
function unknownRegionMessage(value: string): string {
    const family = value.replace(/-\d+$/, "-");
    const siblings = AWS_REGIONS.filter((r) => r.replace(/-\d+$/, "-") === family);
    return siblings.length > 0
        ? `is not an AWS region; the ${family.slice(0, -1)} regions are ${siblings.join(", ")}`
        : "is not an AWS region name such as eu-west-1";
}

/**
 * YAML reads an unquoted `012345678901` as the number 12345678901: the leading zero is gone before
 * the config is read. Names the fix (quote the id) instead of the bare digit count.
 */
function unquotedAccountIdProblem(key: string, value: unknown, message: string): string | undefined {
    if (
        typeof value !== "number" ||
        !message.includes("12-digit AWS account ID") ||
        !Number.isInteger(value) ||
        value < 0 ||
        String(value).length >= 12
    ) {
        return undefined;
    }
    const quoted = String(value).padStart(12, "0");
    return `${key}: ${value} is not a 12-digit AWS account ID; YAML read an unquoted id as a number and dropped its leading zeros: quote it ("${quoted}")`;
}

/**
 * Keys of a namespace that looks like ours (`org-loging:region`, `org_logging:region`) are a typo
 * the program would otherwise ignore: one problem per such key, naming the key to set instead.
 */
export function lookalikeNamespaceProblems(keys: string[]): string[] {
    return keys.flatMap((key) => {
        const separator = key.indexOf(":");
        const namespace = key.slice(0, separator);
        if (separator < 0 || namespace === CONFIG_NAMESPACE || !looksLikeOurNamespace(namespace)) {
            return [];
        }
        const name = key.slice(separator + 1);
        return [
            `${key}: unknown namespace "${namespace}"; did you mean ${CONFIG_NAMESPACE}:${name}? Rename the key to ${CONFIG_NAMESPACE}:${name}`,
        ];
    });
}

function looksLikeOurNamespace(namespace: string): boolean {
    const normalized = (text: string) => text.toLowerCase().replace(/[^a-z]/g, "");
    return normalized(namespace) === normalized(CONFIG_NAMESPACE) || editDistance(namespace.toLowerCase(), CONFIG_NAMESPACE) <= 2;
}

function editDistance(a: string, b: string): number {
    let previous = Array.from({ length: b.length + 1 }, (_, j) => j);
    for (let i = 1; i <= a.length; i++) {
        const current = [i];
        for (let j = 1; j <= b.length; j++) {
            current[j] = Math.min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + (a[i - 1] === b[j - 1] ? 0 : 1));
        }
        previous = current;
    }
    return previous[b.length];
}

function crossFieldProblems(config: StackConfig): string[] {
    const problems: string[] = [];
    const { management, logArchive, collection } = config.accounts;
    if (logArchive.id === management.id) {
        problems.push(
            `${CONFIG_NAMESPACE}:accounts.logArchive.id: "${logArchive.id}" is the management account; the archive must live in its own account so that the accounts it protects cannot change it`,
        );
    }
    for (const [key, account] of Object.entries(config.accounts)) {
        if (account === undefined) {
            continue;
        }
        const roleAccount = account.roleArn.split(":")[4];
        if (roleAccount !== account.id) {
            problems.push(
                `${CONFIG_NAMESPACE}:accounts.${key}.roleArn: "${account.roleArn}" is not a role in account ${account.id}; name the role to assume inside that account`,
            );
        }
    }
    // The bootstrap template makes every member account's break-glass role trust this role by name.
    const [, , , , breakGlassAccount, breakGlassResource] = config.breakGlassRoleArn.split(":");
    if (breakGlassAccount !== management.id) {
        problems.push(
            `${CONFIG_NAMESPACE}:breakGlassRoleArn: "${config.breakGlassRoleArn}" is not a role in the management account (${management.id}); the accounts' break-glass roles trust a role there`,
        );
    } else if (breakGlassResource.split("/").length !== 2) {
        problems.push(
            `${CONFIG_NAMESPACE}:breakGlassRoleArn: "${config.breakGlassRoleArn}" has a path; name a role without one (arn:<partition>:iam::<account id>:role/<name>), as the bootstrap template creates its namesakes`,
        );
    }
    const seen = new Map<string, string>([
        [management.id, "accounts.management"],
        [logArchive.id, "accounts.logArchive"],
        [collection.id, "accounts.collection"],
    ]);
    config.workloadAccounts.forEach((account, index) => {
        const key = `${CONFIG_NAMESPACE}:workloadAccounts.${index}`;
        const earlier = seen.get(account.id);
        if (earlier && earlier.startsWith("workloadAccounts")) {
            problems.push(`${key}.id: "${account.id}" is listed twice (also ${CONFIG_NAMESPACE}:${earlier}); list each account once`);
        }
        seen.set(account.id, earlier ?? `workloadAccounts.${index}`);
        if (account.roleArn && account.roleArn.split(":")[4] !== account.id) {
            problems.push(
                `${key}.roleArn: "${account.roleArn}" is not a role in account ${account.id}; name the role to assume inside that account`,
            );
        }
    });
    const names = config.workloadAccounts.map((a) => a.name);
    names.forEach((name, index) => {
        if (names.indexOf(name) !== index) {
            problems.push(
                `${CONFIG_NAMESPACE}:workloadAccounts.${index}.name: "${name}" is used twice; give each workload account its own name`,
            );
        }
    });
    problems.push(...baselineProblems(config));
    const oidcProviderAccount = config.pipeline.oidcProviderArn?.split(":")[4];
    if (oidcProviderAccount !== undefined && oidcProviderAccount !== management.id) {
        problems.push(
            `${CONFIG_NAMESPACE}:pipeline.oidcProviderArn: "${config.pipeline.oidcProviderArn}" is not in the management account ${management.id}; the pipeline roles live there, so name a provider of that account or leave it unset to create one`,
        );
    }
    (config.investigators ?? []).forEach((investigator, index) => {
        const first = (config.investigators ?? []).findIndex((other) => other.roleArn === investigator.roleArn);
        if (first !== index) {
            problems.push(
                `${CONFIG_NAMESPACE}:investigators.${index}.roleArn: "${investigator.roleArn}" is listed twice (also ${CONFIG_NAMESPACE}:investigators.${first}); list each role once`,
            );
        }
    });
    const keyProblem = manifestPublicKeyProblem(config.collector.manifestPublicKeyPem);
    if (keyProblem !== undefined) {
        problems.push(keyProblem);
    }
    return problems;
}

/**
 * `collector.manifestPublicKeyPem` must be the PEM of an EC P-256 public key: the collectors verify
 * ECDSA_SHA_256 signatures made by KMS, so any other key (or a private key, or text that is no key)
 * would make every sync fail. One line naming the key and how to get the right value.
 */
export function manifestPublicKeyProblem(pem: string | undefined): string | undefined {
    if (pem === undefined) {
        return undefined;
    }
    const key = `${CONFIG_NAMESPACE}:collector.manifestPublicKeyPem`;
    const fix = "set it to the signing KMS key's public half (`aws kms get-public-key`, converted to PEM as docs/agent.md shows)";
    if (!/^\s*-----BEGIN PUBLIC KEY-----\r?\n[A-Za-z0-9+/=\r\n]+-----END PUBLIC KEY-----\s*$/.test(pem)) {
        const first = pem.trim().split("\n")[0].slice(0, 40);
        const what = /PRIVATE KEY/.test(pem)
            ? "is a private key, which must never be in the stack file"
            : `is not a PEM public key (it starts with ${JSON.stringify(first)})`;
        return `${key}: ${what}; ${fix}`;
    }
    let parsed: crypto.KeyObject;
    try {
        parsed = crypto.createPublicKey({ key: pem, format: "pem" });
    } catch {
        return `${key}: is not a valid PEM public key (the key data does not parse); ${fix}`;
    }
    const details = parsed.asymmetricKeyDetails ?? {};
    if (parsed.asymmetricKeyType !== "ec" || details.namedCurve !== "prime256v1") {
        const kind =
            parsed.asymmetricKeyType === "ec" ? `an EC key on ${details.namedCurve}` : `an ${parsed.asymmetricKeyType?.toUpperCase()} key`;
        return `${key}: is ${kind}; the collectors verify ECDSA_SHA_256 signatures, so it must be the public half of an ECC_NIST_P256 (P-256) KMS key; ${fix}`;
    }
    return undefined;
}

/** The resolved baseline settings of a stack: the defaults applied (the root is looked up at deployment). */
export function baselineSettings(config: StackConfig): {
    organizationalUnitIds?: string[];
    regions: string[];
    configRecorder: "create" | "existing";
} {
    return {
        organizationalUnitIds: config.baseline?.organizationalUnitIds,
        regions: config.baseline?.regions ?? [config.region],
        configRecorder: config.baseline?.configRecorder ?? "create",
    };
}

function baselineProblems(config: StackConfig): string[] {
    const problems: string[] = [];
    const { audit, management, logArchive } = config.accounts;
    if (audit !== undefined && audit.id === management.id) {
        problems.push(
            `${CONFIG_NAMESPACE}:accounts.audit.id: "${audit.id}" is the management account, which cannot be a delegated administrator; name the security tooling account, or leave accounts.audit unset to administer Config from the management account`,
        );
    } else if (audit !== undefined && audit.id === logArchive.id) {
        problems.push(
            `${CONFIG_NAMESPACE}:accounts.audit.id: "${audit.id}" is the log-archive account; keep the archive in an account of its own and name the security tooling account`,
        );
    }
    const regions = config.baseline?.regions;
    if (regions !== undefined && !regions.includes(config.region)) {
        problems.push(
            `${CONFIG_NAMESPACE}:baseline.regions: ${JSON.stringify(regions)} does not include the stack's region ${config.region}, where global resource types are recorded; add it`,
        );
    }
    regions?.forEach((r, index) => {
        if (regions.indexOf(r) !== index) {
            problems.push(`${CONFIG_NAMESPACE}:baseline.regions.${index}: "${r}" is listed twice; list each region once`);
        }
    });
    const units = config.baseline?.organizationalUnitIds;
    units?.forEach((u, index) => {
        if (units.indexOf(u) !== index) {
            problems.push(
                `${CONFIG_NAMESPACE}:baseline.organizationalUnitIds.${index}: "${u}" is listed twice; list each organizational unit once`,
            );
        }
    });
    if (units !== undefined && units.some((u) => u.startsWith("r-")) && units.length > 1) {
        problems.push(
            `${CONFIG_NAMESPACE}:baseline.organizationalUnitIds: ${JSON.stringify(units)} lists the root with other units, which the root already contains; list the root alone or only units`,
        );
    }
    return problems;
}

function describeIssue(issue: z.core.$ZodIssue, raw: unknown): string {
    const path = issue.path.map(String);
    const key = `${CONFIG_NAMESPACE}:${path.join(".")}`;
    const value = valueAt(raw, issue.path);
    switch (issue.code) {
        case "unrecognized_keys":
            return issue.keys
                .map((k) => `${CONFIG_NAMESPACE}:${[...path, k].join(".")}: unknown key; check its spelling or remove it`)
                .join("\n");
        case "invalid_value":
        case "invalid_type":
            if (value === undefined) {
                return `${key}: is required but missing; set it with \`pulumi config set --path '${key}' <value>\``;
            }
            if (issue.code === "invalid_type") {
                return `${key}: ${show(value)} ${issue.message.startsWith("Invalid input") ? `must be a ${issue.expected}` : issue.message}`;
            }
            return `${key}: ${show(value)} ${issue.message.startsWith("Invalid option") ? `is not one of ${issue.values.join(" | ")}` : issue.message}`;
        default:
            return unquotedAccountIdProblem(key, value, issue.message) ?? `${key}: ${show(value)} ${issue.message}`;
    }
}

function valueAt(raw: unknown, path: PropertyKey[]): unknown {
    let current: unknown = raw;
    for (const segment of path) {
        if (current === null || typeof current !== "object") {
            return undefined;
        }
        current = (current as Record<PropertyKey, unknown>)[segment];
    }
    return current;
}
