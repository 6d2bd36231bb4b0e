// Posts a preview's output as a note on the GitLab merge request. CI_JOB_TOKEN cannot write notes,
// so this needs PREVIEW_NOTE_TOKEN: a project access token (role Reporter, scope api) kept as a masked
// CI/CD variable. Without it the note is skipped and the diff stays the job's exposed artifact.
//
//   npx ts-node --transpile-only ci/scripts/post-preview-note.ts preview.txt [plan-changes.txt]
//
// The second file, when present, is the offline plan compared with the target branch's
// (`npm run plan -- --against`), posted in the same note next to the preview.
import * as fs from "fs";

/** GitLab rejects notes over 1,000,000 characters; keep the end of the output, where the summary is. */
export const NOTE_LIMIT = 900_000;

/** The note's Markdown: a heading naming the stack and commit, the output as a folded diff block. */
export function previewNote(output: string, stack: string, commit: string, limit = NOTE_LIMIT, planChanges?: string): string {
    // eslint-disable-next-line no-control-regex -- strips ANSI colour codes, which start with ESC
    const clean = output.replace(/\u001b\[[0-9;]*m/g, "");
    return (
        [`#### \`pulumi preview\` of stack \`${stack}\` at ${commit}`, "", ...foldedDiff("Changes and policy report", clean, limit)].join(
            "\n",
        ) + (planChanges === undefined ? "" : planChangesSection(planChanges, limit))
    );
}

/** The offline comparison with the target branch's plan, folded like the preview. */
export function planChangesSection(text: string, limit = NOTE_LIMIT): string {
    return ["", ...foldedDiff("Offline plan compared with the target branch (npm run plan -- --against)", text, limit)].join("\n");
}

/** `text` as a diff block folded under `summary`, cut to its last `limit` characters. */
function foldedDiff(summary: string, text: string, limit: number): string[] {
    const kept =
        text.length > limit ? `… (${text.length - limit} earlier characters are in the job artifact)\n${text.slice(-limit)}` : text;
    const fence = kept.includes("```") ? "~~~~" : "```";
    return [`<details><summary>${summary}</summary>`, "", `${fence}diff`, kept.trimEnd(), fence, "", "</details>", ""];
}

async function main(argv: string[], env: NodeJS.ProcessEnv): Promise<number> {
    const file = argv[0] ?? "preview.txt";
    if (!env.PREVIEW_NOTE_TOKEN || !env.CI_MERGE_REQUEST_IID) {
        process.stdout.write("post-preview-note: no PREVIEW_NOTE_TOKEN or not a merge request pipeline; the diff is the job artifact\n");
        return 0;
    }
    if (!fs.existsSync(file)) {
        process.stdout.write(`post-preview-note: ${file} missing (the preview did not start); nothing to post\n`);
        return 0;
    }
    const changesFile = argv[1];
    const changes = changesFile && fs.existsSync(changesFile) ? fs.readFileSync(changesFile, "utf8") : undefined;
    const body = previewNote(
        fs.readFileSync(file, "utf8"),
        env.STACK ?? "?",
        env.CI_COMMIT_SHORT_SHA ?? "?",
        changes === undefined ? NOTE_LIMIT : NOTE_LIMIT / 2,
        changes,
    );
    const url = `${env.CI_API_V4_URL}/projects/${env.CI_PROJECT_ID}/merge_requests/${env.CI_MERGE_REQUEST_IID}/notes`;
    const response = await fetch(url, {
        method: "POST",
        headers: { "PRIVATE-TOKEN": env.PREVIEW_NOTE_TOKEN, "Content-Type": "application/json" },
        body: JSON.stringify({ body }),
    });
    if (!response.ok) {
        process.stderr.write(`post-preview-note: GitLab refused the note (HTTP ${response.status})\n`);
        return 1;
    }
    process.stdout.write(`post-preview-note: posted the preview of ${env.STACK} to !${env.CI_MERGE_REQUEST_IID}\n`);
    return 0;
}

if (require.main === module) {
    main(process.argv.slice(2), process.env).then(
        (code) => (process.exitCode = code),
        (err) => {
            process.stderr.write(`post-preview-note: ${(err as Error).message}\n`);
            process.exitCode = 1;
        },
    );
}
