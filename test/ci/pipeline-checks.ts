// Checks on parsed pipeline files (GitLab CI and GitHub Actions), shared by the pipeline specs. Each
// check returns its findings instead of asserting, so the specs can run it on the real files (no
// findings) and on mutated copies (the finding they must produce).
import * as fs from "fs";
import * as path from "path";
import { parse } from "yaml";
import { ROOT } from "../support/harness";

export type Doc = Record<string, any>;

export function readYaml(file: string): Doc {
    return parse(fs.readFileSync(path.join(ROOT, file), "utf8"));
}

// ---------------------------------------------------------------------------------------------
// GitLab
// ---------------------------------------------------------------------------------------------

/** Top-level keys of .gitlab-ci.yml that are not jobs (https://docs.gitlab.com/ci/yaml/). */
const GITLAB_GLOBAL_KEYWORDS = [
    "default",
    "include",
    "stages",
    "variables",
    "workflow",
    "image",
    "services",
    "cache",
    "before_script",
    "after_script",
];

/** The job keywords GitLab accepts. */
const GITLAB_JOB_KEYWORDS = new Set([
    "after_script",
    "allow_failure",
    "artifacts",
    "before_script",
    "cache",
    "coverage",
    "dast_configuration",
    "dependencies",
    "environment",
    "extends",
    "hooks",
    "id_tokens",
    "identity",
    "image",
    "inherit",
    "interruptible",
    "manual_confirmation",
    "needs",
    "pages",
    "parallel",
    "release",
    "resource_group",
    "retry",
    "rules",
    "script",
    "secrets",
    "services",
    "stage",
    "tags",
    "timeout",
    "trigger",
    "variables",
    "when",
]);
const GITLAB_DEFAULT_KEYWORDS = new Set([
    "after_script",
    "artifacts",
    "before_script",
    "cache",
    "hooks",
    "id_tokens",
    "image",
    "interruptible",
    "retry",
    "services",
    "tags",
    "timeout",
]);
const RULE_KEYWORDS = new Set(["if", "changes", "exists", "when", "allow_failure", "variables", "needs", "interruptible", "start_in"]);
const WHEN = new Set(["on_success", "on_failure", "never", "always", "manual", "delayed"]);
const ENVIRONMENT_KEYWORDS = new Set(["name", "url", "on_stop", "action", "auto_stop_in", "kubernetes", "deployment_tier"]);
const ENVIRONMENT_ACTIONS = new Set(["start", "prepare", "stop", "verify", "access"]);
const DEPLOYMENT_TIERS = new Set(["production", "staging", "testing", "development", "other"]);
const ARTIFACT_KEYWORDS = new Set([
    "paths",
    "exclude",
    "expire_in",
    "expose_as",
    "name",
    "public",
    "access",
    "reports",
    "untracked",
    "when",
]);
const IMAGE_KEYWORDS = new Set(["name", "entrypoint", "docker", "pull_policy"]);

/** The jobs of a GitLab pipeline (hidden `.templates` excluded), each with its `extends` chain merged in. */
export function gitlabJobs(doc: Doc): Record<string, Doc> {
    const jobs: Record<string, Doc> = {};
    for (const name of Object.keys(doc)) {
        if (!GITLAB_GLOBAL_KEYWORDS.includes(name) && !name.startsWith(".")) {
            jobs[name] = resolveExtends(doc, name);
        }
    }
    return jobs;
}

/** GitLab's `extends`: hashes are merged deeply, everything else (arrays included) is replaced. */
export function resolveExtends(doc: Doc, name: string, seen: string[] = []): Doc {
    const job = doc[name] ?? {};
    if (seen.includes(name)) {
        throw new Error(`extends cycle: ${[...seen, name].join(" -> ")}`);
    }
    const parents = job.extends === undefined ? [] : ([] as string[]).concat(job.extends);
    let merged: Doc = {};
    for (const parent of parents) {
        merged = deepMerge(merged, resolveExtends(doc, parent, [...seen, name]));
    }
    const { extends: _ignored, ...own } = job;
    return deepMerge(merged, own);
}

function deepMerge(a: Doc, b: Doc): Doc {
    const out: Doc = { ...a };
    for (const [key, value] of Object.entries(b)) {
        const isHash = (v: unknown) => v !== null && typeof v === "object" && !Array.isArray(v);
        out[key] = isHash(value) && isHash(out[key]) ? deepMerge(out[key], value) : value;
    }
    return out;
}

/**
 * A schema check of a GitLab pipeline (we have no GitLab to lint against): known global and job
 * keywords, stages that exist, `needs`/`extends` that point at jobs/templates, rule, environment,
 * artifact, image and `id_tokens` shapes, and a script in every job.
 */
export function gitlabSchemaProblems(doc: Doc): string[] {
    const problems: string[] = [];
    const stages: string[] = doc.stages ?? ["build", "test", "deploy"];
    if (!Array.isArray(stages) || stages.some((s) => typeof s !== "string")) {
        problems.push("stages: must be a list of names");
    }
    for (const key of Object.keys(doc.default ?? {})) {
        if (!GITLAB_DEFAULT_KEYWORDS.has(key)) {
            problems.push(`default: unknown keyword "${key}"`);
        }
    }
    for (const [i, rule] of (doc.workflow?.rules ?? []).entries()) {
        problems.push(...ruleProblems(`workflow.rules[${i}]`, rule));
    }
    for (const [name, raw] of Object.entries(doc)) {
        if (GITLAB_GLOBAL_KEYWORDS.includes(name)) {
            continue;
        }
        if (raw === null || typeof raw !== "object" || Array.isArray(raw)) {
            problems.push(`${name}: a job must be a mapping`);
            continue;
        }
        for (const key of Object.keys(raw)) {
            if (!GITLAB_JOB_KEYWORDS.has(key)) {
                problems.push(`${name}: unknown keyword "${key}"`);
            }
        }
        for (const parent of ([] as string[]).concat((raw as Doc).extends ?? [])) {
            if (!(parent in doc)) {
                problems.push(`${name}: extends "${parent}", which is not defined`);
            }
        }
        if (name.startsWith(".")) {
            continue;
        }
        const job = resolveExtends(doc, name);
        if (!stages.includes(job.stage ?? "test")) {
            problems.push(`${name}: stage "${job.stage}" is not in stages (${stages.join(", ")})`);
        }
        if (!job.script && !job.trigger) {
            problems.push(`${name}: has no script`);
        }
        for (const key of ["script", "before_script", "after_script"]) {
            if (job[key] !== undefined && (!Array.isArray(job[key]) || job[key].some((l: unknown) => typeof l !== "string"))) {
                problems.push(`${name}: ${key} must be a list of strings`);
            }
        }
        for (const need of job.needs ?? []) {
            const target = typeof need === "string" ? need : need?.job;
            if (!(target in doc) || target.startsWith(".")) {
                problems.push(`${name}: needs "${target}", which is not a job`);
            }
        }
        for (const [i, rule] of (job.rules ?? []).entries()) {
            problems.push(...ruleProblems(`${name}.rules[${i}]`, rule));
        }
        if (job.when !== undefined && !WHEN.has(job.when)) {
            problems.push(`${name}: when "${job.when}" is not one of ${[...WHEN].join(", ")}`);
        }
        if (job.environment !== undefined && typeof job.environment !== "string") {
            for (const key of Object.keys(job.environment)) {
                if (!ENVIRONMENT_KEYWORDS.has(key)) {
                    problems.push(`${name}: environment has unknown keyword "${key}"`);
                }
            }
            if (typeof job.environment.name !== "string") {
                problems.push(`${name}: environment needs a name`);
            }
            if (job.environment.action !== undefined && !ENVIRONMENT_ACTIONS.has(job.environment.action)) {
                problems.push(
                    `${name}: environment action "${job.environment.action}" is not one of ${[...ENVIRONMENT_ACTIONS].join(", ")}`,
                );
            }
            if (job.environment.deployment_tier !== undefined && !DEPLOYMENT_TIERS.has(job.environment.deployment_tier)) {
                problems.push(
                    `${name}: deployment_tier "${job.environment.deployment_tier}" is not one of ${[...DEPLOYMENT_TIERS].join(", ")}`,
                );
            }
        }
        if (job.resource_group !== undefined && typeof job.resource_group !== "string") {
            problems.push(`${name}: resource_group must be a string`);
        }
        for (const key of Object.keys(job.artifacts ?? {})) {
            if (!ARTIFACT_KEYWORDS.has(key)) {
                problems.push(`${name}: artifacts has unknown keyword "${key}"`);
            }
        }
        if (job.artifacts?.expose_as !== undefined && (job.artifacts.paths ?? []).some((p: string) => p.includes("$"))) {
            problems.push(`${name}: artifacts paths cannot use variables with expose_as`);
        }
        if (job.image !== undefined && typeof job.image !== "string") {
            for (const key of Object.keys(job.image)) {
                if (!IMAGE_KEYWORDS.has(key)) {
                    problems.push(`${name}: image has unknown keyword "${key}"`);
                }
            }
        }
        for (const [token, spec] of Object.entries<any>(job.id_tokens ?? {})) {
            const aud = spec?.aud;
            if (!(typeof aud === "string" || (Array.isArray(aud) && aud.every((a) => typeof a === "string")))) {
                problems.push(`${name}: id_tokens.${token} needs an aud`);
            }
        }
    }
    return problems;
}

function ruleProblems(where: string, rule: Doc): string[] {
    const problems: string[] = [];
    for (const key of Object.keys(rule ?? {})) {
        if (!RULE_KEYWORDS.has(key)) {
            problems.push(`${where}: unknown keyword "${key}"`);
        }
    }
    if (rule?.if !== undefined && typeof rule.if !== "string") {
        problems.push(`${where}: if must be a string`);
    }
    if (rule?.when !== undefined && !WHEN.has(rule.when)) {
        problems.push(`${where}: when "${rule.when}" is not one of ${[...WHEN].join(", ")}`);
    }
    return problems;
}

/** A GitLab job's shell lines, in the order the runner runs them. */
export function gitlabScript(job: Doc): string[] {
    return [...(job.before_script ?? []), ...(job.script ?? []), ...(job.after_script ?? [])];
}

// ---------------------------------------------------------------------------------------------
// GitHub Actions
// ---------------------------------------------------------------------------------------------

/** A GitHub job's shell lines (`run:` steps). */
export function githubScript(job: Doc): string[] {
    return (job.steps ?? []).flatMap((step: Doc) => (typeof step.run === "string" ? [step.run] : []));
}

/** The steps of a GitHub job that use an action (`owner/name@ref`), by action name. */
export function githubUses(job: Doc, action: string): Doc[] {
    return (job.steps ?? []).filter((step: Doc) => typeof step.uses === "string" && step.uses.split("@")[0] === action);
}

// ---------------------------------------------------------------------------------------------
// Both
// ---------------------------------------------------------------------------------------------

/** Every `pulumi preview|up|update|destroy|refresh` command line in some shell text (continuations joined). */
export function pulumiCommands(lines: string[]): string[] {
    return lines
        .join("\n")
        .replace(/\\\n\s*/g, " ")
        .split(/\n|;|&&|\|\||\|/)
        .map((part) => part.trim())
        .filter((part) => /^(\S+=\S*\s+)*((npx|exec|command|time)\s+)?pulumi\s+(preview|up|update|destroy|refresh)\b/.test(part));
}

/** Pulumi commands (and pulumi/actions steps) that would run without the policy pack. */
export function missingPolicyPack(commands: string[], actionSteps: Doc[] = []): string[] {
    const findings = commands.filter((c) => !/(^|\s)--policy-pack(\s+|=)policy-pack(\s|$)/.test(c));
    for (const step of actionSteps) {
        const command = step.with?.command;
        if (
            command &&
            command !== "output" &&
            !String(step.with?.policyPacks ?? "")
                .split(/[\n,]/)
                .map((p) => p.trim())
                .includes("policy-pack")
        ) {
            findings.push(`pulumi/actions ${command} without policyPacks: policy-pack`);
        }
    }
    return findings;
}

/** Names that only ever hold long-lived cloud or Pulumi credentials when they appear in a pipeline file. */
const STATIC_CREDENTIAL_NAMES = /\b(aws_access_key_id|aws_secret_access_key|aws_session_token|AWS_ACCESS_KEY|AWS_SECRET_KEY)\b/i;
const ACCESS_KEY_ID = /\b(AKIA|ASIA)[A-Z0-9]{16}\b/;
const SECRET_ACCESS_KEY = /(?<![A-Za-z0-9/+=])[A-Za-z0-9/+]{40}(?![A-Za-z0-9/+=])/;

/**
 * Static credentials in a pipeline file: AWS key names or key-shaped values anywhere (jobs get their
 * AWS credentials from OIDC, so these names have no business in the file), and a Pulumi access token
 * set from a variable or secret (jobs log in by token exchange instead).
 */
export function staticCredentials(doc: Doc): string[] {
    const findings: string[] = [];
    const visit = (value: unknown, where: string) => {
        if (typeof value === "string") {
            if (STATIC_CREDENTIAL_NAMES.test(value)) {
                findings.push(`${where}: names ${STATIC_CREDENTIAL_NAMES.exec(value)![1]}`);
            }
            if (ACCESS_KEY_ID.test(value)) {
                findings.push(`${where}: contains an access key id`);
            }
            if (SECRET_ACCESS_KEY.test(value) && !/^[a-f0-9]{40}$/.test(SECRET_ACCESS_KEY.exec(value)![0])) {
                findings.push(`${where}: contains a 40-character secret`);
            }
            if (/secrets\.PULUMI_ACCESS_TOKEN/.test(value)) {
                findings.push(`${where}: reads a stored PULUMI_ACCESS_TOKEN`);
            }
        } else if (Array.isArray(value)) {
            value.forEach((v, i) => visit(v, `${where}[${i}]`));
        } else if (value && typeof value === "object") {
            for (const [key, v] of Object.entries(value)) {
                const at = where ? `${where}.${key}` : key;
                if (STATIC_CREDENTIAL_NAMES.test(key)) {
                    findings.push(`${at}: sets ${key}`);
                }
                if (key === "PULUMI_ACCESS_TOKEN") {
                    findings.push(`${at}: sets a stored PULUMI_ACCESS_TOKEN`);
                }
                visit(v, at);
            }
        }
    };
    visit(doc, "");
    return findings;
}
