import * as assert from "assert";
import { pipelinePreviewRoleName, pipelineRoleName } from "../../components/pipeline-deployer-role";
import { accountPreviewPolicy } from "../../components/policies/pipeline-role-policies";
import { ACCOUNT_PREVIEW_ROLE_NAME } from "../../infra/deployment";
import { archiveBreakGlassRoleArn } from "../../infra/log-archive";
import { stackConfig } from "../support/harness";
import { readYaml } from "./pipeline-checks";

const TEMPLATE = "ci/bootstrap/org-logging-account-roles.yaml";

/** Resolves the intrinsic functions the template uses (Ref, Fn::Sub, Fn::Select, Fn::Split, Fn::GetAtt) for given parameters. */
function resolve(value: any, params: Record<string, any>): any {
    if (Array.isArray(value)) {
        return value.map((v) => resolve(v, params));
    }
    if (value === null || typeof value !== "object") {
        return value;
    }
    const [key] = Object.keys(value);
    const arg = value[key];
    const sub = (text: string, vars: Record<string, any>) =>
        text.replace(/\$\{([\w:]+)\}/g, (_, name) => {
            const v = vars[name] ?? params[name];
            if (v === undefined) {
                throw new Error(`unresolved \${${name}}`);
            }
            return v;
        });
    switch (key) {
        case "Ref":
            if (!(arg in params)) {
                throw new Error(`unresolved Ref ${arg}`);
            }
            return params[arg];
        case "Fn::Sub":
            return typeof arg === "string" ? sub(arg, {}) : sub(arg[0], resolve(arg[1], params));
        case "Fn::Select":
            return resolve(arg[1], params)[arg[0]];
        case "Fn::Split":
            return String(resolve(arg[1], params)).split(arg[0]);
        case "Fn::GetAtt":
            return `<${arg.join(".")}>`;
        default:
            return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, resolve(v, params)]));
    }
}

describe("ci/bootstrap (the accounts' deployer and preview roles)", () => {
    const template = readYaml(TEMPLATE);

    for (const stack of ["production", "integration"]) {
        describe(`for ${stack}`, () => {
            const config = stackConfig(stack);
            const management = config.accounts.management.id;
            const params = {
                "AWS::Partition": "aws",
                ManagementAccountId: management,
                Environment: config.environment,
                BreakGlassRoleArn: config.breakGlassRoleArn,
                DeployerPolicyArns: ["arn:aws:iam::aws:policy/AdministratorAccess"],
            };
            const resources = resolve(template.Resources, params);

            it("creates the role every account provider of the stack assumes", () => {
                const names = [
                    config.accounts.management,
                    config.accounts.logArchive,
                    config.accounts.collection,
                    ...config.workloadAccounts,
                ].map((a) => a.roleArn?.split("/").pop());
                assert.deepStrictEqual([...new Set(names)], [resources.DeployerRole.Properties.RoleName]);
                assert.strictEqual(resources.PreviewRole.Properties.RoleName, ACCOUNT_PREVIEW_ROLE_NAME);
            });

            it("lets only the pipeline deploy role of this environment and break-glass assume the deployer role", () => {
                const breakGlassAccount = config.breakGlassRoleArn.split(":")[4];
                assert.deepStrictEqual(resources.DeployerRole.Properties.AssumeRolePolicyDocument.Statement, [
                    {
                        Sid: "PipelineDeployRole",
                        Effect: "Allow",
                        Principal: { AWS: `arn:aws:iam::${management}:root` },
                        Action: "sts:AssumeRole",
                        Condition: {
                            ArnEquals: { "aws:PrincipalArn": `arn:aws:iam::${management}:role/${pipelineRoleName(config.environment)}` },
                        },
                    },
                    {
                        Sid: "BreakGlass",
                        Effect: "Allow",
                        Principal: { AWS: `arn:aws:iam::${breakGlassAccount}:root` },
                        Action: "sts:AssumeRole",
                        Condition: { ArnEquals: { "aws:PrincipalArn": config.breakGlassRoleArn } },
                    },
                ]);
            });

            it("creates in each account the break-glass role the archive SCP exempts, trusted only by breakGlassRoleArn", () => {
                // Not in the management account, which holds breakGlassRoleArn itself under that name.
                assert.strictEqual(template.Resources.BreakGlassRole.Condition, "MemberAccount");
                assert.deepStrictEqual(template.Conditions.MemberAccount, {
                    "Fn::Not": [{ "Fn::Equals": [{ Ref: "AWS::AccountId" }, { Ref: "ManagementAccountId" }] }],
                });
                assert.strictEqual(config.breakGlassRoleArn.split(":")[4], config.accounts.management.id);
                const role = resources.BreakGlassRole.Properties;
                assert.strictEqual(`arn:aws:iam::${config.accounts.logArchive.id}:role/${role.RoleName}`, archiveBreakGlassRoleArn(config));
                assert.deepStrictEqual(role.AssumeRolePolicyDocument.Statement, [
                    {
                        Sid: "BreakGlass",
                        Effect: "Allow",
                        Principal: { AWS: `arn:aws:iam::${config.breakGlassRoleArn.split(":")[4]}:root` },
                        Action: "sts:AssumeRole",
                        Condition: { ArnEquals: { "aws:PrincipalArn": config.breakGlassRoleArn } },
                    },
                ]);
            });

            it("lets only the pipeline preview role assume the read-only role, which cannot read data", () => {
                const preview = resources.PreviewRole.Properties;
                assert.deepStrictEqual(preview.AssumeRolePolicyDocument.Statement, [
                    {
                        Sid: "PipelinePreviewRole",
                        Effect: "Allow",
                        Principal: { AWS: `arn:aws:iam::${management}:root` },
                        Action: "sts:AssumeRole",
                        Condition: {
                            ArnEquals: {
                                "aws:PrincipalArn": `arn:aws:iam::${management}:role/${pipelinePreviewRoleName(config.environment)}`,
                            },
                        },
                    },
                ]);
                // An allow-list, exactly the builder's: no managed policy (ReadOnlyAccess reads data).
                assert.strictEqual(preview.ManagedPolicyArns, undefined);
                assert.deepStrictEqual(
                    preview.Policies.map((p: any) => [p.PolicyName, p.PolicyDocument]),
                    [["ReadConfiguration", accountPreviewPolicy({ partition: "aws" })]],
                );
            });
        });
    }

    it("declares every parameter it references, with a pattern for the ones that land in ARNs", () => {
        assert.deepStrictEqual(Object.keys(template.Parameters), [
            "ManagementAccountId",
            "Environment",
            "BreakGlassRoleArn",
            "DeployerPolicyArns",
        ]);
        for (const name of ["ManagementAccountId", "Environment", "BreakGlassRoleArn"]) {
            assert.ok(template.Parameters[name].AllowedPattern, name);
        }
        assert.throws(() => resolve(template.Resources, { "AWS::Partition": "aws" }), /unresolved/);
    });
});
