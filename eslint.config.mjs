// ESLint for the whole repository: the recommended JavaScript and TypeScript rules, braces on
// every block (`curly: all`), and nothing that only concerns layout (Prettier owns that).
import js from "@eslint/js";
import tseslint from "typescript-eslint";

export default tseslint.config(
    {
        ignores: ["**/node_modules/**", "**/dist/**", "bin/**", ".pulumi/**"],
    },
    js.configs.recommended,
    ...tseslint.configs.recommended,
    {
        languageOptions: {
            ecmaVersion: 2022,
            sourceType: "module",
        },
        rules: {
            curly: ["error", "all"],
            eqeqeq: ["error", "always", { null: "ignore" }],
            "no-var": "error",
            "prefer-const": "error",
            // Modules loaded on first use (the AWS SDK clients, the program after its config is read).
            "@typescript-eslint/no-require-imports": ["error", { allow: ["^@aws-sdk/", "^\\./program$", "^@pulumi/aws/types/enums$"] }],
            "@typescript-eslint/no-unused-vars": ["error", { argsIgnorePattern: "^_", varsIgnorePattern: "^_", caughtErrors: "none" }],
        },
    },
    {
        // Specs, the offline plan's mock runtime, the benchmarks and the pack's readers of analyzer
        // payloads handle untyped resource properties and plan JSON, and load modules lazily.
        files: ["test/**", "tools/**", "bench/**", "policy-pack/**"],
        rules: {
            "@typescript-eslint/no-explicit-any": "off",
            "@typescript-eslint/no-require-imports": "off",
        },
    },
    {
        // CommonJS helpers loaded by node's -r flag.
        files: ["**/*.js"],
        languageOptions: {
            sourceType: "commonjs",
            globals: { require: "readonly", module: "writable", __dirname: "readonly", process: "readonly", console: "readonly" },
        },
        rules: { "@typescript-eslint/no-require-imports": "off" },
    },
    {
        files: ["**/*.mjs"],
        languageOptions: { globals: { process: "readonly", console: "readonly" } },
    },
);
