import * as assert from "assert";
import {
    anyRefSubject,
    audienceProblem,
    branchProblem,
    branchSubject,
    issuerHost,
    issuerUrlProblem,
    repositoryProblem,
    webIdentityTrust,
} from "../../../components/internal/oidc";

describe("components/internal/oidc", () => {
    const hosts: Array<[string, string]> = [
        ["https://gitlab.com", "gitlab.com"],
        ["https://gitlab.com/", "gitlab.com"],
        ["https://gitlab.example.com//", "gitlab.example.com"],
        ["https://token.actions.githubusercontent.com", "token.actions.githubusercontent.com"],
        ["https://git.example.com:8443/gitlab/", "git.example.com:8443/gitlab"],
    ];
    for (const [url, host] of hosts) {
        it(`condition keys of ${url} start with ${host}`, () => assert.strictEqual(issuerHost(url), host));
    }

    it("spells the subjects of a branch and of any ref for both CI systems", () => {
        assert.strictEqual(branchSubject("gitlab", "g/sub/p", "main"), "project_path:g/sub/p:ref_type:branch:ref:main");
        assert.strictEqual(branchSubject("github", "o/r", "release/1"), "repo:o/r:ref:refs/heads/release/1");
        assert.strictEqual(anyRefSubject("gitlab", "g/p"), "project_path:g/p:*");
        assert.strictEqual(anyRefSubject("github", "o/r"), "repo:o/r:*");
    });

    it("admits one issuer with the audience always matched exactly", () => {
        const identity = {
            providerArn: "arn:aws:iam::111111111111:oidc-provider/gitlab.com",
            issuerHost: "gitlab.com",
            audience: "sts.amazonaws.com",
        };
        assert.deepStrictEqual(webIdentityTrust("Exact", identity, "project_path:g/p:ref_type:branch:ref:main", "StringEquals"), {
            Sid: "Exact",
            Effect: "Allow",
            Principal: { Federated: identity.providerArn },
            Action: "sts:AssumeRoleWithWebIdentity",
            Condition: {
                StringEquals: { "gitlab.com:aud": "sts.amazonaws.com", "gitlab.com:sub": "project_path:g/p:ref_type:branch:ref:main" },
            },
        });
        assert.deepStrictEqual(webIdentityTrust("Pattern", identity, "project_path:g/p:*", "StringLike").Condition, {
            StringEquals: { "gitlab.com:aud": "sts.amazonaws.com" },
            StringLike: { "gitlab.com:sub": "project_path:g/p:*" },
        });
    });

    const problems: Array<[string, string | undefined, string | undefined]> = [
        ["an https issuer", issuerUrlProblem("issuerUrl", "https://gitlab.example.com"), undefined],
        [
            "an http issuer",
            issuerUrlProblem("gitlab.url", "http://gitlab.example.com"),
            '`gitlab.url` ("http://gitlab.example.com") is not an https issuer URL. Use the issuer of the ID tokens, such as https://gitlab.example.com',
        ],
        [
            "an issuer with a query",
            issuerUrlProblem("issuerUrl", "https://gitlab.com/?x=1") === undefined ? "accepted" : "refused",
            "refused",
        ],
        ["a branch", branchProblem("deployBranch", "release/2026.12"), undefined],
        [
            "a wildcard branch",
            branchProblem("deployBranch", "*"),
            '`deployBranch` ("*") is not a branch name. Name one protected branch, such as main, without wildcards',
        ],
        ["a branch with ..", branchProblem("deployBranch", "a..b") === undefined ? "accepted" : "refused", "refused"],
        ["a branch starting with -", branchProblem("deployBranch", "-main") === undefined ? "accepted" : "refused", "refused"],
        [
            "an empty audience",
            audienceProblem("github.audience", " "),
            '`github.audience` (" ") is empty. Leave it unset for sts.amazonaws.com or name the audience the jobs request',
        ],
        ["a GitLab subgroup project", repositoryProblem("repository", "g/sub/p", "gitlab"), undefined],
        [
            "a GitLab path on GitHub",
            repositoryProblem("repository", "g/sub/p", "github"),
            '`repository` ("g/sub/p") is not a GitHub repository. Use owner/repo',
        ],
        [
            "a bare name",
            repositoryProblem("configRepository", "project"),
            '`configRepository` ("project") is not a repository path. Use group/project (GitLab) or owner/repo (GitHub)',
        ],
    ];
    for (const [what, got, expected] of problems) {
        it(`judges ${what}`, () => assert.strictEqual(got, expected));
    }
});
