// Loads TypeScript files by transpiling them with esbuild (types are checked by `tsc` in
// `npm test`, not here). Used by `npm run plan`, the tests and the benchmark instead of ts-node:
// ts-node's TypeScript transpile and its source-map stack-trace hook cost several seconds per
// plan, because Pulumi captures a stack trace for every resource it registers.
"use strict";
const fs = require("fs");
const { transformSync } = require("esbuild");

require.extensions[".ts"] = function loadTypeScript(module, filename) {
    const { code } = transformSync(fs.readFileSync(filename, "utf8"), {
        loader: "ts",
        format: "cjs",
        target: "node20",
        sourcefile: filename,
        // `await import("./x")` becomes a require(), so that it finds TypeScript modules too.
        supported: { "dynamic-import": false },
    });
    module._compile(code, filename);
};
