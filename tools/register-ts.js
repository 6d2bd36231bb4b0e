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

// Inside this repository `@org-logging/components` is the library's source (components/), as the
// `paths` entry of tsconfig.json says for the type checker; a program folder that has the package
// installed (the packed library in its node_modules) gets that copy, because it resolves first.
const Module = require("module");
const path = require("path");
const LIBRARY = "@org-logging/components";
const LIBRARY_SOURCE = path.resolve(__dirname, "..", "components", "index.ts");
const resolveFilename = Module._resolveFilename;
Module._resolveFilename = function (request, parent, ...rest) {
    try {
        return resolveFilename.call(this, request, parent, ...rest);
    } catch (err) {
        if (request === LIBRARY && err && err.code === "MODULE_NOT_FOUND") {
            return LIBRARY_SOURCE;
        }
        throw err;
    }
};
