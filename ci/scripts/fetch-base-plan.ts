// Fetches the offline plan of a merge request's target branch: the `plan-<stack>.json` artifact of
// the last successful `test` job on that branch (GitLab job artifacts API). With PREVIEW_NOTE_TOKEN
// (a project access token, api scope) it authenticates with that token, else with the job's own
// CI_JOB_TOKEN. Exit 0 with the file written, 1 with one line saying why there is nothing to
// compare with (no pipeline on the branch yet, the artifact expired, no permission).
//
//   npx ts-node --transpile-only ci/scripts/fetch-base-plan.ts plan-base.json
import * as fs from "fs";

/** The API URL of the artifact and the header that authenticates the request. */
export function basePlanRequest(env: NodeJS.ProcessEnv): { url: string; headers: Record<string, string> } {
    const missing = ["CI_API_V4_URL", "CI_PROJECT_ID", "CI_MERGE_REQUEST_TARGET_BRANCH_NAME", "STACK"].filter((name) => !env[name]);
    if (missing.length > 0) {
        throw new Error(`${missing.join(", ")} not set; run in a merge request pipeline with STACK set`);
    }
    const branch = encodeURIComponent(env.CI_MERGE_REQUEST_TARGET_BRANCH_NAME as string);
    const file = `plan-${env.STACK}.json`;
    const url = `${env.CI_API_V4_URL}/projects/${encodeURIComponent(env.CI_PROJECT_ID as string)}/jobs/artifacts/${branch}/raw/${file}?job=test`;
    const headers: Record<string, string> = env.PREVIEW_NOTE_TOKEN
        ? { "PRIVATE-TOKEN": env.PREVIEW_NOTE_TOKEN }
        : { "JOB-TOKEN": env.CI_JOB_TOKEN ?? "" };
    return { url, headers };
}

/** Downloads the target branch's plan into `output`; a one-line reason when there is none. */
export async function fetchBasePlan(output: string, env: NodeJS.ProcessEnv): Promise<{ ok: true } | { ok: false; reason: string }> {
    const { url, headers } = basePlanRequest(env);
    const response = await fetch(url, { headers, redirect: "follow" });
    const where = `plan-${env.STACK}.json of the last test job on ${env.CI_MERGE_REQUEST_TARGET_BRANCH_NAME}`;
    if (!response.ok) {
        return {
            ok: false,
            reason: `no ${where} to compare with (HTTP ${response.status}); it appears once a pipeline of that branch has passed`,
        };
    }
    fs.writeFileSync(output, Buffer.from(await response.arrayBuffer()));
    return { ok: true };
}

if (require.main === module) {
    const output = process.argv[2] ?? "plan-base.json";
    fetchBasePlan(output, process.env).then(
        (result) => {
            process.stdout.write(result.ok ? `fetch-base-plan: wrote ${output}\n` : `fetch-base-plan: ${result.reason}\n`);
            process.exitCode = result.ok ? 0 : 1;
        },
        (err) => {
            process.stdout.write(`fetch-base-plan: ${(err as Error).message}\n`);
            process.exitCode = 1;
        },
    );
}
