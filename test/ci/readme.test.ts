import * as assert from "assert";
import * as fs from "fs";
import * as path from "path";
import { loadStackConfig } from "../../infra/config";
import { rawStackConfig, ROOT, stackConfig } from "../support/harness";

const README = fs.readFileSync(path.join(ROOT, "README.md"), "utf8");
const GUIDES = ["README.md", "docs/bootstrap.md", "docs/pipelines.md", "docs/operations.md"];

/** The value `pulumi config set --path <key> <value> [--type string]` stores: true/false and integers are typed. */
function configValue(value: string, type?: string): unknown {
    if (type === "string") {
        return value;
    }
    if (value === "true" || value === "false") {
        return value === "true";
    }
    return /^-?\d+$/.test(value) ? Number(value) : value;
}

/** Applies the README's `pulumi config set --path` commands the way the Pulumi CLI does, into a raw `org-logging:` config. */
function configFromCommands(text: string): Record<string, unknown> {
    const raw: Record<string, any> = {};
    const commands = [...text.matchAll(/^pulumi config set --path '([^']+)' (\S+)( --type (\w+))?/gm)];
    assert.ok(commands.length > 10, "the README walks through the config");
    for (const [, key, value, , type] of commands) {
        assert.ok(key.startsWith("org-logging:"), key);
        const segments = key
            .slice("org-logging:".length)
            .split(/\.|(?=\[)/)
            .map((s) => (s.startsWith("[") ? Number(s.slice(1, -1)) : s));
        let holder: any = raw;
        segments.forEach((segment, i) => {
            if (i === segments.length - 1) {
                // Pulumi keeps top-level entries as strings whatever they look like.
                holder[segment] = segments.length === 1 ? value : configValue(value, type);
            } else {
                holder[segment] ??= typeof segments[i + 1] === "number" ? [] : {};
                holder = holder[segment];
            }
        });
    }
    return raw;
}

/** GitHub's anchor of a heading. */
const slug = (heading: string) =>
    heading
        .trim()
        .toLowerCase()
        .replace(/[^\w\s-]/g, "")
        .replace(/\s/g, "-");

describe("README (operator's guide)", () => {
    it("keeps the two set-up commands and the offline plan", () => {
        const setup = README.split("## Set up and test")[1].split("\n## ")[0];
        assert.match(setup, /```sh\nnpm ci\nnpm test\n```/);
        assert.match(README, /```sh\nnpm run plan -- --stack production\n```/);
    });

    it("embeds the plan's diagram with one subgraph per account of the production stack", () => {
        const block = /<!-- plan-mermaid:begin[^>]*-->\n```mermaid\n([\s\S]*?)```\n<!-- plan-mermaid:end -->/.exec(README)?.[1];
        assert.ok(block, "no generated mermaid block");
        assert.match(block, /^flowchart LR\n/);
        const config = stackConfig("production");
        // The stack deploys into its core accounts only (the baseline StackSet reaches the others).
        const { management, logArchive, collection, audit } = config.accounts;
        for (const account of [management, logArchive, collection, ...(audit ? [audit] : [])]) {
            assert.match(block, new RegExp(`^  subgraph acct_${account.id}\\[`, "m"), account.id);
        }
        assert.match(block, /PipelineDeployerRole<br\/>pipeline/);
        assert.match(block, / -->\|/, "relations between accounts are drawn");
    });

    it("walks through a stack config that the schema accepts as it stands", () => {
        const config = loadStackConfig(configFromCommands(README), "README.md");
        assert.strictEqual(config.environment, "production");
        assert.strictEqual(config.accounts.management.id, "111111111111");
        assert.deepStrictEqual(config.collector.allowedCidrs, ["10.0.0.0/8"]);
        assert.strictEqual(config.collector.minSize, 2);
        assert.deepStrictEqual(config.pipeline, { ciSystem: "gitlab", repository: "security/org-logging", deployBranch: "main" });
    });

    it("documents every config key the committed stacks use", () => {
        const table = README.split("## Configure a stack")[1].split("\n## ")[0];
        for (const stack of ["production", "integration"]) {
            for (const [key, value] of Object.entries(rawStackConfig(stack))) {
                assert.ok(table.includes(`\`${key}`), `${key} is not documented`);
                if (value && typeof value === "object" && !Array.isArray(value) && key !== "accounts") {
                    for (const nested of Object.keys(value)) {
                        assert.ok(new RegExp(`\\.${nested}(\\[\\])?\``).test(table), `${key}.${nested} is not documented`);
                    }
                }
            }
        }
    });

    it("links only to files and headings that exist", () => {
        for (const guide of GUIDES) {
            const text = fs.readFileSync(path.join(ROOT, guide), "utf8");
            for (const [, target] of text.matchAll(/\]\(([^)\s]+)\)/g)) {
                if (/^https?:/.test(target)) {
                    continue;
                }
                const [file, anchor] = target.split("#");
                const resolved = file === "" ? path.join(ROOT, guide) : path.resolve(path.dirname(path.join(ROOT, guide)), file);
                assert.ok(fs.existsSync(resolved), `${guide}: ${target} does not exist`);
                if (anchor && resolved.endsWith(".md")) {
                    const headings = [...fs.readFileSync(resolved, "utf8").matchAll(/^#+ (.+)$/gm)].map((m) => slug(m[1]));
                    assert.ok(headings.includes(anchor), `${guide}: no heading #${anchor} in ${path.relative(ROOT, resolved)}`);
                }
            }
        }
    });
});
