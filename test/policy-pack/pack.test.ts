// The pack as a whole: what `pulumi preview --policy-pack policy-pack` loads and what the docs promise.
import * as assert from "assert";
import * as fs from "fs";
import * as path from "path";
import { parse as parseYaml } from "yaml";
import { PACK_NAME, policies } from "../../policy-pack/policies";
import { ROOT } from "../support/harness";

const RULES = path.join(ROOT, "policy-pack/rules");
const camel = (name: string) => name.replace(/-([a-z0-9])/g, (_, c: string) => c.toUpperCase());
const pascal = (name: string) => camel(name).replace(/^./, (c) => c.toUpperCase());

describe("policy-pack (the pack)", () => {
    it("lists exactly one rule per file of policy-pack/rules, named after the file", () => {
        const files = fs
            .readdirSync(RULES)
            .filter((f) => f.endsWith(".ts"))
            .map((f) => f.replace(/\.ts$/, ""))
            .sort();
        assert.deepStrictEqual(policies.map((p) => p.name).sort(), files);
        for (const name of files) {
            const source = fs.readFileSync(path.join(RULES, `${name}.ts`), "utf8");
            assert.match(
                source,
                new RegExp(`export const ${camel(name)}: (Resource|Stack)ValidationPolicy = \\{`),
                `${name} exports ${camel(name)}`,
            );
            assert.match(source, new RegExp(`export (interface|type) ${pascal(name)}Config\\b`), `${name} exports ${pascal(name)}Config`);
            // Exemptions are read by the shared helpers; a rule reads its own keys itself.
            const policy = policies.find((p) => p.name === name)!;
            if (Object.keys(policy.configSchema?.properties ?? {}).some((key) => key !== "exemptResources")) {
                assert.match(
                    source,
                    new RegExp(`getConfig<${pascal(name)}Config>\\(\\)`),
                    `${name} reads its config through getConfig<${pascal(name)}Config>()`,
                );
            }
            if ("validateResource" in policy) {
                assert.match(
                    source,
                    /validateResource: (\[\s*)?validate(ResourcesOf|EveryResource|KeyIsSet)\(/,
                    `${name} matches types and exemptions with policy-pack/lib/rule.ts`,
                );
            }
        }
    });

    it("names resource types by their @pulumi/aws classes: no type token is written out in a rule or helper", () => {
        const files = ["rules", "lib"].flatMap((dir) =>
            fs.readdirSync(path.join(ROOT, "policy-pack", dir)).map((f) => path.join(ROOT, "policy-pack", dir, f)),
        );
        const written = files.flatMap((file) =>
            [...fs.readFileSync(file, "utf8").matchAll(/"aws:[a-z0-9]+\/[A-Za-z0-9]+:[A-Za-z0-9]+"/g)].map(
                (m) => `${path.relative(ROOT, file)}: ${m[0]}`,
            ),
        );
        assert.deepStrictEqual(written, []);
    });

    it("applies no schema default a second time: rules read config keys as the schema fills them", () => {
        for (const file of fs.readdirSync(RULES)) {
            const source = fs.readFileSync(path.join(RULES, file), "utf8");
            assert.doesNotMatch(source, /config\.[A-Za-z]+ \?\?|Config>\(\)\.[A-Za-z]+ \?\?/, file);
        }
    });

    it("gives every rule a sentence, a level, and a config schema with a type and a default per property", () => {
        for (const policy of policies) {
            assert.match(policy.name, /^[a-z0-9]+(-[a-z0-9]+)*$/);
            assert.match(policy.description, /^[A-Z].*\.$/, policy.name);
            assert.strictEqual(policy.enforcementLevel, "mandatory", `${policy.name}: every rule fails the plan by default`);
            const properties = Object.entries(policy.configSchema?.properties ?? {});
            assert.ok(properties.length > 0, `${policy.name} has a config schema`);
            for (const [key, schema] of properties) {
                assert.ok(typeof schema.type === "string", `${policy.name}.${key} has a type`);
                assert.ok("default" in schema, `${policy.name}.${key} has a default`);
            }
            assert.ok("exemptResources" in (policy.configSchema?.properties ?? {}), `${policy.name} accepts exemptions`);
        }
    });

    it("ships PulumiPolicy.yaml and an index.ts that builds the pack from the same list", () => {
        const manifest = parseYaml(fs.readFileSync(path.join(ROOT, "policy-pack/PulumiPolicy.yaml"), "utf8"));
        assert.strictEqual(manifest.runtime, "nodejs");
        const index = fs.readFileSync(path.join(ROOT, "policy-pack/index.ts"), "utf8");
        assert.match(index, /new PolicyPack\(PACK_NAME, \{ policies \}\)/);
        assert.strictEqual(PACK_NAME, "org-logging");
    });

    it("documents every rule in docs/policies.md: rationale, checks, level, config keys, an example message and the fix", () => {
        const doc = fs.readFileSync(path.join(ROOT, "docs/policies.md"), "utf8");
        const sections = doc.split(/^## /m).slice(1);
        const byName = new Map(sections.map((s) => [s.split("\n")[0].replace(/`/g, "").trim(), s]));
        assert.deepStrictEqual(
            [...byName.keys()].filter((k) => policies.some((p) => p.name === k)).sort(),
            policies.map((p) => p.name).sort(),
        );
        for (const policy of policies) {
            const section = byName.get(policy.name)!;
            for (const heading of ["Why", "Checks", "Default level", "Config", "Example violation", "Fix"]) {
                assert.match(section, new RegExp(`\\*\\*${heading}\\*\\*`), `${policy.name} has ${heading}`);
            }
            assert.match(section, new RegExp(`\\*\\*Default level\\*\\*: ${policy.enforcementLevel}`), policy.name);
            for (const key of Object.keys(policy.configSchema?.properties ?? {})) {
                assert.ok(section.includes(`\`${key}\``), `${policy.name} documents \`${key}\``);
            }
        }
    });
});
