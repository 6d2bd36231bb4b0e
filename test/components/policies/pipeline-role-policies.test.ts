import * as assert from "assert";
import { pipelineDeployTrustPolicy, pipelinePreviewTrustPolicy } from "../../../components/policies/pipeline-role-policies";

const PROVIDER = "arn:aws:iam::111111111111:oidc-provider/token.actions.githubusercontent.com";
const HOST = "token.actions.githubusercontent.com";

describe("components/policies/pipeline-role-policies trust", () => {
    const github = {
        ciSystem: "github" as const,
        providerArn: PROVIDER,
        issuerHost: HOST,
        audience: "sts.amazonaws.com",
        repository: "example-org/org-logging",
    };

    it("keeps the audience condition in the GitHub preview trust, next to the pull-request subject", () => {
        assert.deepStrictEqual(pipelinePreviewTrustPolicy(github).Statement, [
            {
                Sid: "PreviewJobsOfThisRepository",
                Effect: "Allow",
                Principal: { Federated: PROVIDER },
                Action: "sts:AssumeRoleWithWebIdentity",
                Condition: {
                    StringEquals: { [`${HOST}:aud`]: "sts.amazonaws.com", [`${HOST}:sub`]: "repo:example-org/org-logging:pull_request" },
                },
            },
        ]);
    });

    it("matches GitLab merge request jobs by pattern and the deploy job exactly", () => {
        const gitlab = { ...github, ciSystem: "gitlab" as const, issuerHost: "gitlab.com", repository: "security/org-logging" };
        assert.deepStrictEqual((pipelinePreviewTrustPolicy(gitlab).Statement as any[])[0].Condition, {
            StringEquals: { "gitlab.com:aud": "sts.amazonaws.com" },
            StringLike: { "gitlab.com:sub": "project_path:security/org-logging:ref_type:branch:ref:*" },
        });
        assert.deepStrictEqual(
            (pipelineDeployTrustPolicy({ ...gitlab, deployBranch: "main", environment: "production" }).Statement as any[])[0].Condition,
            {
                StringEquals: {
                    "gitlab.com:aud": "sts.amazonaws.com",
                    "gitlab.com:sub": "project_path:security/org-logging:ref_type:branch:ref:main",
                },
            },
        );
    });
});
