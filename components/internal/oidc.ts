// CI identities through OIDC: the issuers, the shape of their `sub` claims and the trust statement
// that admits them. Shared by the roles CI pipelines assume (the collector configuration's publisher
// and validate roles, this repository's deploy and preview roles), so that an issuer, a branch or a
// repository is read and trusted the same way everywhere.
import type { Statement } from "../policies/document";
import { show } from "./validation";

/** CI systems whose OIDC tokens the roles accept; each has its own subject format. */
export type CiSystem = "gitlab" | "github";

/** The OIDC issuer each CI system uses when it runs as a service (GitLab.com, GitHub.com). */
export const DEFAULT_OIDC_ISSUERS: Readonly<Record<CiSystem, string>> = {
    gitlab: "https://gitlab.com",
    github: "https://token.actions.githubusercontent.com",
};
/** The audience AWS documents for its ID tokens. */
export const DEFAULT_OIDC_AUDIENCE = "sts.amazonaws.com";

/** An https issuer URL: host, optional port and path, no query. */
export const OIDC_ISSUER_URL = /^https:\/\/[a-z0-9.-]+(:\d+)?(\/[\w./-]*)?$/;
/** A GitLab project path (`group/subgroup/project`); also accepts GitHub's `owner/repo`. */
export const GITLAB_PROJECT = /^[\w.-]+(\/[\w.-]+)+$/;
/** A GitHub repository (`owner/repo`). */
export const GITHUB_REPOSITORY = /^[\w.-]+\/[\w.-]+$/;
/**
 * One protected branch: git ref characters, starting with a letter or digit, no `..`, no wildcard
 * (a `*` would widen a `StringEquals` subject to nothing and a `StringLike` one to every branch).
 */
export const BRANCH_NAME = /^(?!.*\.\.)[A-Za-z0-9][A-Za-z0-9._/-]{0,254}$/;

/** The condition-key prefix of an issuer: its URL without `https://` and trailing slashes. */
export function issuerHost(url: string): string {
    return url.replace(/^https:\/\//, "").replace(/\/+$/, "");
}

/** The `sub` claim of a pipeline on `branch` of `repository` (a GitHub job without environment). */
export function branchSubject(ci: CiSystem, repository: string, branch: string): string {
    return ci === "gitlab" ? `project_path:${repository}:ref_type:branch:ref:${branch}` : `repo:${repository}:ref:refs/heads/${branch}`;
}

/** The `sub` claims of every pipeline of `repository` (`StringLike`): any branch, merge request or pull request. */
export function anyRefSubject(ci: CiSystem, repository: string): string {
    return ci === "gitlab" ? `project_path:${repository}:*` : `repo:${repository}:*`;
}

/** Where the ID tokens come from and what they are for. */
export interface OidcIdentity {
    /** ARN of the account's IAM OIDC provider of the issuer. */
    providerArn: string;
    /** `issuerHost` of the issuer URL: the prefix of its condition keys. */
    issuerHost: string;
    /** The `aud` claim the jobs request; matched exactly. */
    audience: string;
}

/**
 * Admits ID tokens of one issuer whose `sub` is `subject`: exactly (`StringEquals`) or as a pattern
 * (`StringLike`). IAM evaluates only `aud` and `sub` for CI issuers, so the subject carries what is
 * trusted (https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_iam-condition-keys.html#condition-keys-wif).
 */
export function webIdentityTrust(sid: string, identity: OidcIdentity, subject: string, match: "StringEquals" | "StringLike"): Statement {
    const aud = { [`${identity.issuerHost}:aud`]: identity.audience };
    const sub = { [`${identity.issuerHost}:sub`]: subject };
    return {
        Sid: sid,
        Effect: "Allow",
        Principal: { Federated: identity.providerArn },
        Action: "sts:AssumeRoleWithWebIdentity",
        Condition: match === "StringEquals" ? { StringEquals: { ...aud, ...sub } } : { StringEquals: aud, StringLike: sub },
    };
}

/** The problem with an issuer URL in `field`, if any. */
export function issuerUrlProblem(field: string, url: unknown): string | undefined {
    return typeof url === "string" && OIDC_ISSUER_URL.test(url)
        ? undefined
        : `\`${field}\` (${show(url)}) is not an https issuer URL. Use the issuer of the ID tokens, such as https://gitlab.example.com`;
}

/** The problem with a branch name in `field`, if any. */
export function branchProblem(field: string, branch: unknown): string | undefined {
    return typeof branch === "string" && BRANCH_NAME.test(branch)
        ? undefined
        : `\`${field}\` (${show(branch)}) is not a branch name. Name one protected branch, such as main, without wildcards`;
}

/** The problem with an audience in `field`, if any. */
export function audienceProblem(field: string, audience: unknown): string | undefined {
    return typeof audience === "string" && audience.trim() !== ""
        ? undefined
        : `\`${field}\` (${show(audience)}) is empty. Leave it unset for ${DEFAULT_OIDC_AUDIENCE} or name the audience the jobs request`;
}

/** The problem with a repository path in `field` for a CI system (either when `ci` is not known), if any. */
export function repositoryProblem(field: string, repository: unknown, ci?: CiSystem): string | undefined {
    const value = String(repository);
    if (ci === "github" && !GITHUB_REPOSITORY.test(value)) {
        return `\`${field}\` (${show(repository)}) is not a GitHub repository. Use owner/repo`;
    }
    return GITLAB_PROJECT.test(value)
        ? undefined
        : `\`${field}\` (${show(repository)}) is not a repository path. Use group/project (GitLab) or owner/repo (GitHub)`;
}
