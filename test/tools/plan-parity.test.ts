import * as assert from "assert";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { runPlanCli } from "../support/cli";

/** A project folder with a Pulumi.yaml, the given index.ts and no stack file. */
function bareProject(index: string): string {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "plan-project-"));
    fs.writeFileSync(path.join(dir, "Pulumi.yaml"), "name: bare\nruntime: nodejs\n");
    fs.writeFileSync(path.join(dir, "index.ts"), index);
    return dir;
}

describe("plan parity with pulumi preview", () => {
    it("plans a project that has a Pulumi.yaml and no stack file with an empty config (exit 0)", async () => {
        const dir = bareProject(
            'import * as pulumi from "@pulumi/pulumi";\nconst config = new pulumi.Config();\nexport const region = config.get("region") ?? "unset";\n',
        );
        const run = await runPlanCli(["--program", dir, "--stack", "dev", "--json"]);
        assert.strictEqual(run.status, 0, run.stderr);
        const report = JSON.parse(run.stdout);
        assert.deepStrictEqual([report.program, report.stack, report.outputs.region], ["bare", "dev", "unset"]);
    });

    it('lists reads (a resource\'s get) in resources with "read": true, and managed resources without it', async () => {
        const dir = bareProject(
            [
                'import * as aws from "@pulumi/aws";',
                'const provider = new aws.Provider("aws-workload", { region: "eu-west-1", allowedAccountIds: ["444444444444"] });',
                'const existing = aws.s3.Bucket.get("existing-bucket", "company-existing-bucket", undefined, { provider });',
                'new aws.s3.BucketPolicy("existing-bucket-policy", { bucket: existing.bucket, policy: "{}" }, { provider });',
                "export const existingArn = existing.arn;",
                "",
            ].join("\n"),
        );
        const run = await runPlanCli(["--program", dir, "--stack", "dev", "--json"]);
        assert.ok(run.status === 0 || run.status === 1, run.stderr);
        const report = JSON.parse(run.stdout);
        const read = report.resources.filter((r: any) => r.read === true);
        assert.deepStrictEqual(
            read.map((r: any) => [r.type, r.name, r.inputs.id]),
            [["aws:s3/bucket:Bucket", "existing-bucket", "company-existing-bucket"]],
        );
        const policy = report.resources.find((r: any) => r.type === "aws:s3/bucketPolicy:BucketPolicy");
        assert.ok(policy, JSON.stringify(report.resources.map((r: any) => r.type)));
        assert.strictEqual("read" in policy, false);
    });

    it("names the stacks of the project when --stack has no stack file and the program fails on an empty config (exit 2)", async () => {
        const run = await runPlanCli(["--stack", "prod"]);
        assert.strictEqual(run.status, 2, run.stderr);
        assert.strictEqual(
            run.stderr,
            "plan: --stack prod: no stack file Pulumi.prod.yaml, and the program fails on an empty config; the stacks of this project are integration, production\n",
        );
    });
});
