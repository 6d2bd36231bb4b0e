// Logs the Pulumi CLI in to the stack's backend with no stored credential:
// - `s3://...` (self-managed): `pulumi login` with the job's AWS credentials (OIDC role);
// - `https://...` (Pulumi Cloud): exchanges the job's OIDC ID token for a short-lived organization
//   token (https://www.pulumi.com/docs/reference/cloud-rest-api/oauth-token-exchange/) and logs in with it;
//   with PULUMI_TOKEN_TEAM set (preview jobs) it asks for a team token of that team instead.
// GitLab passes the token in PULUMI_ID_TOKEN (`id_tokens:` with aud urn:pulumi:org:<org>); on GitHub
// the script asks the runner for one (the job needs `permissions: id-token: write`).
//
//   PULUMI_BACKEND_URL=https://api.pulumi.com PULUMI_ORG=<org> npx ts-node --transpile-only ci/scripts/pulumi-login.ts
import { spawnSync } from "child_process";

export interface TokenExchangeRequest {
    url: string;
    body: Record<string, string | number>;
}

/**
 * The Pulumi Cloud token-exchange request: an organization token, or with `team` a team token that
 * has only that team's stack permissions (merge/pull request previews: Stack Read).
 */
export function tokenExchangeRequest(
    backendUrl: string,
    organization: string,
    idToken: string,
    expirationSeconds = 7200,
    team?: string,
): TokenExchangeRequest {
    return {
        url: `${backendUrl.replace(/\/$/, "")}/api/oauth/token`,
        body: {
            audience: `urn:pulumi:org:${organization}`,
            grant_type: "urn:ietf:params:oauth:grant-type:token-exchange",
            subject_token_type: "urn:ietf:params:oauth:token-type:id_token",
            requested_token_type: `urn:pulumi:token-type:access_token:${team ? "team" : "organization"}`,
            expiration: expirationSeconds,
            scope: team ? `team:${team}` : "",
            subject_token: idToken,
        },
    };
}

async function idTokenFor(audience: string, env: NodeJS.ProcessEnv): Promise<string> {
    if (env.PULUMI_ID_TOKEN) {
        return env.PULUMI_ID_TOKEN;
    }
    if (env.ACTIONS_ID_TOKEN_REQUEST_URL && env.ACTIONS_ID_TOKEN_REQUEST_TOKEN) {
        const response = await fetch(`${env.ACTIONS_ID_TOKEN_REQUEST_URL}&audience=${encodeURIComponent(audience)}`, {
            headers: { Authorization: `bearer ${env.ACTIONS_ID_TOKEN_REQUEST_TOKEN}` },
        });
        if (!response.ok) {
            throw new Error(
                `the runner refused an ID token (HTTP ${response.status}); does the job have \`permissions: id-token: write\`?`,
            );
        }
        return ((await response.json()) as { value: string }).value;
    }
    throw new Error(
        "no OIDC ID token: set `id_tokens: PULUMI_ID_TOKEN: aud: urn:pulumi:org:<org>` (GitLab) or `permissions: id-token: write` (GitHub)",
    );
}

async function main(env: NodeJS.ProcessEnv): Promise<number> {
    const backend = env.PULUMI_BACKEND_URL || "https://api.pulumi.com";
    const login = (extraEnv: Record<string, string> = {}) =>
        spawnSync("pulumi", ["login", backend], { stdio: "inherit", env: { ...env, ...extraEnv } }).status ?? 1;
    if (backend.startsWith("s3://")) {
        return login();
    }
    if (!backend.startsWith("https://")) {
        process.stderr.write(
            `pulumi-login: PULUMI_BACKEND_URL ("${backend}") is neither https:// (Pulumi Cloud) nor s3:// (self-managed)\n`,
        );
        return 2;
    }
    if (!env.PULUMI_ORG) {
        process.stderr.write("pulumi-login: set PULUMI_ORG to the Pulumi Cloud organization that trusts this CI issuer\n");
        return 2;
    }
    if (env.PULUMI_TOKEN_TEAM !== undefined && !/^[A-Za-z0-9][A-Za-z0-9_.-]*$/.test(env.PULUMI_TOKEN_TEAM)) {
        process.stderr.write(
            `pulumi-login: PULUMI_TOKEN_TEAM ("${env.PULUMI_TOKEN_TEAM}") is not a Pulumi team name; set the PULUMI_PREVIEW_TEAM variable\n`,
        );
        return 2;
    }
    const request = tokenExchangeRequest(
        backend,
        env.PULUMI_ORG,
        await idTokenFor(`urn:pulumi:org:${env.PULUMI_ORG}`, env),
        7200,
        env.PULUMI_TOKEN_TEAM,
    );
    const response = await fetch(request.url, {
        method: "POST",
        headers: { "Content-Type": "application/json", Accept: "application/vnd.pulumi+8" },
        body: JSON.stringify(request.body),
    });
    if (!response.ok) {
        process.stderr.write(`pulumi-login: token exchange refused (HTTP ${response.status}): ${(await response.text()).slice(0, 300)}\n`);
        return 1;
    }
    const { access_token: token } = (await response.json()) as { access_token: string };
    // The CLI keeps the short-lived token in ~/.pulumi/credentials.json for the rest of the job.
    return login({ PULUMI_ACCESS_TOKEN: token });
}

if (require.main === module) {
    main(process.env).then(
        (code) => (process.exitCode = code),
        (err) => {
            process.stderr.write(`pulumi-login: ${(err as Error).message}\n`);
            process.exitCode = 1;
        },
    );
}
