// `npm run build`: bundles the collector agent into one file, agent/dist/agent.js, that runs with
// plain `node` and no node_modules (the SSM document copies just this file to each collector).
import { build } from "esbuild";
import { existsSync } from "fs";

const entry = "agent/src/cli.ts";
if (!existsSync(entry)) {
    console.error(`build: ${entry} is missing`);
    process.exit(1);
}
await build({
    entryPoints: [entry],
    outfile: "agent/dist/agent.js",
    bundle: true,
    platform: "node",
    target: "node20",
    format: "cjs",
    // Every sync starts a fresh process, so parsing the bundle is part of every no-op run: whitespace
    // and syntax minification make it a third smaller. Identifiers stay, so error names and the
    // agent's messages read the same.
    minifyWhitespace: true,
    minifySyntax: true,
    sourcemap: false,
    legalComments: "none",
    logLevel: "warning",
});
