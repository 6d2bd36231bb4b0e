// `node tools/run-scripts.mjs lint typecheck build`: runs the named npm scripts at the same time and
// fails when any of them fails. Each script's output is held back and printed whole, in the order
// the scripts were named, so two failures never interleave. ESLint, Prettier and tsc are each
// mostly one thread: side by side on two cores they take the time of the longest, not the sum.
import { spawn } from "child_process";

const scripts = process.argv.slice(2);
if (scripts.length === 0) {
    console.error("usage: node tools/run-scripts.mjs <npm script>...");
    process.exit(2);
}

const npm = process.env.npm_execpath;
const run = (script) =>
    new Promise((resolve) => {
        // Under `npm test`, npm_execpath is npm's own CLI: run it with this node instead of looking npm up on PATH.
        const [command, args] = npm ? [process.execPath, [npm, "run", "--silent", script]] : ["npm", ["run", "--silent", script]];
        const child = spawn(command, args, { stdio: ["ignore", "pipe", "pipe"] });
        let output = "";
        child.stdout.on("data", (chunk) => (output += chunk));
        child.stderr.on("data", (chunk) => (output += chunk));
        child.on("error", (error) => resolve({ script, status: 1, output: `${output}${error.message}\n` }));
        child.on("close", (status, signal) => resolve({ script, status: status ?? 1, signal, output }));
    });

const results = await Promise.all(scripts.map(run));
for (const { output } of results) {
    process.stdout.write(output);
}
const failed = results.filter((r) => r.status !== 0);
for (const { script, status, signal } of failed) {
    console.error(`npm run ${script} failed (${signal ?? `exit ${status}`})`);
}
process.exit(failed.length ? 1 : 0);
