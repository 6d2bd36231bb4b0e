// CODEOWNERS makes a change to what protects the logs a reviewed change: the last matching line
// (GitHub's and GitLab's rule) of each protected file names the security team.
import * as assert from "assert";
import * as fs from "fs";
import * as path from "path";
import { ROOT } from "../support/harness";

const SECURITY = "@security/cloud-security";

/** Owners of a repository path: the last line whose pattern matches it. */
function ownersOf(codeowners: string, file: string): string[] {
    let owners: string[] = [];
    for (const line of codeowners.split("\n")) {
        const [pattern, ...names] = line.replace(/#.*/, "").trim().split(/\s+/);
        if (!pattern) {
            continue;
        }
        const anchored = pattern.startsWith("/");
        const body = pattern
            .replace(/^\//, "")
            .replace(/[.+?^${}()|[\]\\]/g, "\\$&")
            .replace(/\*/g, "[^/]*");
        const regex = new RegExp(`${anchored ? "^" : "(^|/)"}${body}${pattern.endsWith("/") ? "" : "(/|$)"}`);
        if (regex.test(file)) {
            owners = names;
        }
    }
    return owners;
}

describe("CODEOWNERS", () => {
    const codeowners = fs.readFileSync(path.join(ROOT, "CODEOWNERS"), "utf8");

    it("reads patterns as CODEOWNERS does: anchored, directories, single-segment wildcards, last match wins", () => {
        const sample = "/docs/ @a\n/docs/x.md @b\n/Pulumi.*.yaml @c\n";
        assert.deepStrictEqual(ownersOf(sample, "docs/y.md"), ["@a"]);
        assert.deepStrictEqual(ownersOf(sample, "docs/x.md"), ["@b"]);
        assert.deepStrictEqual(ownersOf(sample, "Pulumi.production.yaml"), ["@c"]);
        assert.deepStrictEqual(ownersOf(sample, "sub/Pulumi.production.yaml"), []);
    });

    const protectedFiles = [
        "components/policies/scps.ts",
        "components/policies/collection-scp.ts",
        "components/policies/pipeline-role-policies.ts",
        "components/log-archive-account.ts",
        "components/org-trail.ts",
        "components/organization-baseline.ts",
        "infra/collection.ts",
        "infra/log-archive.ts",
        "policy-pack/rules/iam-policy-valid.ts",
        "policy-pack/package.json",
        "ci/bootstrap/org-logging-account-roles.yaml",
        "Pulumi.production.yaml",
        "Pulumi.integration.yaml",
        "tools/access-promises.ts",
        "CODEOWNERS",
    ];
    for (const file of protectedFiles) {
        it(`needs the security team's approval for ${file}`, () => {
            assert.ok(fs.existsSync(path.join(ROOT, file)), file);
            assert.deepStrictEqual(ownersOf(codeowners, file), [SECURITY]);
        });
    }
});
