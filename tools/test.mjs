// `npm test`: the linter, the type checker and the specs (after the agent bundle is built) run side
// by side, since the specs spend part of their time waiting on child processes and local servers.
// Each step's output is printed whole, in this order, when it ends; the run fails if any step fails.
import { spawn } from "node:child_process";

const steps = [
    { name: "lint", command: "npm run --silent lint" },
    { name: "typecheck", command: "npm run --silent typecheck" },
    { name: "specs", command: "npm run --silent build && mocha 'test/**/*.test.ts'" },
];

const started = Date.now();
const results = await Promise.all(
    steps.map(
        (step) =>
            new Promise((resolve) => {
                const chunks = [];
                const child = spawn(step.command, { shell: true, stdio: ["ignore", "pipe", "pipe"] });
                child.stdout.on("data", (chunk) => chunks.push(chunk));
                child.stderr.on("data", (chunk) => chunks.push(chunk));
                child.on("close", (code, signal) =>
                    resolve({ ...step, code: code ?? 1, signal, output: Buffer.concat(chunks).toString(), seconds: (Date.now() - started) / 1000 }),
                );
            }),
    ),
);

for (const r of results) {
    process.stdout.write(r.output);
    const verdict = r.code === 0 ? "passed" : `failed (exit ${r.code}${r.signal ? `, ${r.signal}` : ""})`;
    process.stdout.write(`\n${r.name}: ${verdict} after ${r.seconds.toFixed(1)} s\n`);
}
process.exitCode = results.every((r) => r.code === 0) ? 0 : 1;
