import * as assert from "assert";
import type { ArchiveInvestigatorRoleArgs } from "../../components/archive-investigator-role";
import { ofType, policyOf, RecordedResource, runUnderMocks, single, statement } from "../support/harness";

const ARCHIVE = "222222222222";
const HUMAN = "arn:aws:iam::111111111111:role/SecurityInvestigations";
const SIEM = "arn:aws:iam::999999999999:role/siem-reader";
const TRAIL_BUCKET = "arn:aws:s3:::log-archive-trail-bucket-1a2b3c4";
const APP_BUCKET = "arn:aws:s3:::log-archive-application-logs-bucket-9a8b7c6";
const RESULTS_BUCKET = "arn:aws:s3:::elb-logs-results-bucket-5e6f7a8";
const TRAIL_KEY = `arn:aws:kms:eu-west-1:${ARCHIVE}:key/11111111-2222-3333-4444-555555555555`;
const APP_KEY = `arn:aws:kms:eu-west-1:${ARCHIVE}:key/66666666-7777-8888-9999-000000000000`;
const RESULTS_KEY = `arn:aws:kms:eu-west-1:${ARCHIVE}:key/aaaaaaaa-bbbb-cccc-dddd-eeeeeeeeeeee`;

const ARGS: ArchiveInvestigatorRoleArgs = {
    principals: [
        { roleArn: HUMAN, human: true },
        { roleArn: SIEM, human: false },
    ],
    workgroupName: "elb-logs-workgroup-7fade28",
    databaseName: "org_logging",
    readBuckets: [
        { bucketArn: TRAIL_BUCKET, prefix: "AWSLogs/" },
        { bucketArn: APP_BUCKET, prefix: "firelens/" },
    ],
    decryptKeyArns: [TRAIL_KEY, APP_KEY],
    resultsBucketArn: RESULTS_BUCKET,
    resultsKeyArn: RESULTS_KEY,
};

async function build(args: ArchiveInvestigatorRoleArgs = ARGS): Promise<RecordedResource[]> {
    const aws = await import("@pulumi/aws");
    const { ArchiveInvestigatorRole } = await import("../../components/archive-investigator-role");
    const { resources } = await runUnderMocks(() => {
        const provider = new aws.Provider("archive", {
            region: "eu-west-1",
            assumeRoles: [{ roleArn: `arn:aws:iam::${ARCHIVE}:role/Deployer` }],
            allowedAccountIds: [ARCHIVE],
        });
        return new ArchiveInvestigatorRole("investigator", args, { provider }).role.arn;
    });
    return resources;
}

/** Every action the policy allows, with its resources. */
function allowed(policy: unknown): Array<[string, string[]]> {
    return policyOf(policy).Statement.flatMap((s) => {
        assert.strictEqual(s.Effect, "Allow", s.Sid);
        const actions: string[] = [].concat(s.Action);
        return actions.map((a): [string, string[]] => [a, [].concat(s.Resource)]);
    });
}

describe("components/ArchiveInvestigatorRole", () => {
    let resources: RecordedResource[];
    before(async () => {
        resources = await build();
    });

    it("creates the named role and its one inline policy in the log-archive account, nothing else", () => {
        const custom = resources.filter((r) => r.custom && !r.type.startsWith("pulumi:providers:"));
        assert.deepStrictEqual(custom.map((r) => r.type).sort(), ["aws:iam/role:Role", "aws:iam/rolePolicy:RolePolicy"]);
        for (const r of custom) {
            assert.strictEqual(r.account, ARCHIVE, r.urn);
        }
        const role = single(resources, "aws:iam/role:Role").inputs;
        assert.deepStrictEqual([role.name, role.maxSessionDuration], ["org-logging-investigator", 3600]);
        assert.strictEqual(ofType(resources, "aws:iam/rolePolicyAttachment:RolePolicyAttachment").length, 0, "no managed policies");
    });

    it("is trusted only by the configured roles, people only with MFA", () => {
        const trust = policyOf(single(resources, "aws:iam/role:Role").inputs.assumeRolePolicy);
        assert.deepStrictEqual(trust.Statement, [
            {
                Sid: "PeopleWithMfa",
                Effect: "Allow",
                Principal: { AWS: [HUMAN] },
                Action: "sts:AssumeRole",
                Condition: { Bool: { "aws:MultiFactorAuthPresent": "true" } },
            },
            { Sid: "Automation", Effect: "Allow", Principal: { AWS: [SIEM] }, Action: "sts:AssumeRole" },
        ]);
    });

    it("may only query in the workgroup, read the catalog and the archive's prefixes, and decrypt through S3", () => {
        const policy = single(resources, "aws:iam/rolePolicy:RolePolicy").inputs.policy;
        const actions = allowed(policy);
        for (const [action, resourcesOf] of actions) {
            const [service, verb] = action.split(":");
            assert.ok(["athena", "glue", "s3", "kms"].includes(service), action);
            assert.doesNotMatch(
                verb,
                /\*|Delete|Create|Update|Tag|Policy|Put(?!Object$)|Administer|Schedule|Disable|Enable|Encrypt$|ReEncrypt/,
                action,
            );
            if (action === "s3:PutObject") {
                assert.deepStrictEqual(resourcesOf, [`${RESULTS_BUCKET}/results/*`], "writes only query results");
            }
            if (service === "athena" && resourcesOf[0] !== "*") {
                assert.ok(
                    resourcesOf.every((r) => r.startsWith(`arn:aws:athena:eu-west-1:${ARCHIVE}:`)),
                    action,
                );
            }
        }
        assert.deepStrictEqual(
            statement(policy, "RunQueriesInTheWorkgroup").Resource,
            `arn:aws:athena:eu-west-1:${ARCHIVE}:workgroup/elb-logs-workgroup-7fade28`,
        );
        assert.deepStrictEqual(statement(policy, "ListWorkgroups").Action, ["athena:ListWorkGroups", "athena:ListDataCatalogs"]);
        assert.deepStrictEqual(statement(policy, "ReadTheArchive").Resource, [`${TRAIL_BUCKET}/AWSLogs/*`, `${APP_BUCKET}/firelens/*`]);
        assert.deepStrictEqual(statement(policy, "ReadTheLogTables").Resource, [
            `arn:aws:glue:eu-west-1:${ARCHIVE}:catalog`,
            `arn:aws:glue:eu-west-1:${ARCHIVE}:database/org_logging`,
            `arn:aws:glue:eu-west-1:${ARCHIVE}:table/org_logging/*`,
        ]);
        assert.deepStrictEqual(statement(policy, "DecryptTheArchiveThroughS3"), {
            Sid: "DecryptTheArchiveThroughS3",
            Effect: "Allow",
            Action: "kms:Decrypt",
            Resource: [TRAIL_KEY, APP_KEY],
            Condition: { StringEquals: { "kms:ViaService": "s3.eu-west-1.amazonaws.com" } },
        });
        assert.deepStrictEqual(statement(policy, "EncryptQueryResultsThroughS3").Condition, {
            StringEquals: { "kms:ViaService": "s3.eu-west-1.amazonaws.com" },
        });
    });
});

describe("components/policies: investigators in the archive's key policies", () => {
    it("adds one statement to the trail key: decrypt through S3, CloudTrail's context, named by aws:PrincipalArn", async () => {
        const { trailKeyPolicy } = await import("../../components/policies/trail-key-policy");
        const role = `arn:aws:iam::${ARCHIVE}:role/org-logging-investigator`;
        const base = {
            partition: "aws",
            keyAccountId: ARCHIVE,
            managementAccountId: "111111111111",
            trailArn: "arn:aws:cloudtrail:eu-west-1:111111111111:trail/org-logging",
        };
        const without = trailKeyPolicy(base);
        const withRole = trailKeyPolicy({ ...base, investigatorRoleArns: [role], region: "eu-west-1" });
        assert.deepStrictEqual((withRole.Statement as unknown[]).slice(0, -1), without.Statement, "additive");
        assert.throws(() => trailKeyPolicy({ ...base, investigatorRoleArns: [role] }), {
            message: "trailKeyPolicy: `region` is required with `investigatorRoleArns` (their decryption is limited to S3 in that region).",
        });
        assert.deepStrictEqual(statement(withRole, "InvestigatorsDecryptThroughS3"), {
            Sid: "InvestigatorsDecryptThroughS3",
            Effect: "Allow",
            Principal: { AWS: `arn:aws:iam::${ARCHIVE}:root` },
            Action: "kms:Decrypt",
            Resource: "*",
            Condition: {
                ArnEquals: { "aws:PrincipalArn": [role] },
                StringEquals: { "kms:ViaService": "s3.eu-west-1.amazonaws.com" },
                StringLike: { "kms:EncryptionContext:aws:cloudtrail:arn": "arn:aws:cloudtrail:*:111111111111:trail/*" },
            },
        });
    });

    it("adds one statement to the application-logs key: decrypt through S3", async () => {
        const { applicationLogsKeyPolicy } = await import("../../components/policies/application-logs-policies");
        const role = `arn:aws:iam::${ARCHIVE}:role/org-logging-investigator`;
        const base = { partition: "aws", region: "eu-west-1", keyAccountId: ARCHIVE, organizationId: "o-a1b2c3d4e5" };
        const withRole = applicationLogsKeyPolicy({ ...base, investigatorRoleArns: [role] });
        assert.deepStrictEqual((withRole.Statement as unknown[]).slice(0, -1), applicationLogsKeyPolicy(base).Statement, "additive");
        assert.deepStrictEqual(statement(withRole, "InvestigatorsDecryptThroughS3").Condition, {
            ArnEquals: { "aws:PrincipalArn": [role] },
            StringEquals: { "kms:ViaService": "s3.eu-west-1.amazonaws.com" },
        });
    });
});

describe("components/ArchiveInvestigatorRole validation", () => {
    const cases: Array<[string, Partial<ArchiveInvestigatorRoleArgs>, string]> = [
        [
            "no principals",
            { principals: [] },
            "ArchiveInvestigatorRole: `principals` ([]) is empty, so nobody could assume the role. Name the roles of the investigators.",
        ],
        [
            "a user where a role belongs",
            { principals: [{ roleArn: "arn:aws:iam::111111111111:user/alice", human: true }] },
            'ArchiveInvestigatorRole: `principals[0].roleArn` ("arn:aws:iam::111111111111:user/alice") is not an IAM role ARN (arn:<partition>:iam::<account id>:role/<name>).',
        ],
        [
            "a role listed twice and a missing human flag",
            {
                principals: [
                    { roleArn: HUMAN, human: true },
                    { roleArn: HUMAN, human: undefined as unknown as boolean },
                ],
            },
            `ArchiveInvestigatorRole: \`principals[1].roleArn\` ("${HUMAN}") is listed twice. List each role once.\nArchiveInvestigatorRole: \`principals[1].human\` (undefined) must be true (a person: MFA required) or false (automation).`,
        ],
        [
            "a prefix without a slash",
            { readBuckets: [{ bucketArn: TRAIL_BUCKET, prefix: "AWSLogs" }] },
            'ArchiveInvestigatorRole: `readBuckets[0].prefix` ("AWSLogs") is not a key prefix ending in "/", such as AWSLogs/.',
        ],
        [
            "a session IAM refuses",
            { maxSessionDurationSeconds: 900 },
            "ArchiveInvestigatorRole: `maxSessionDurationSeconds` (900) is outside what IAM accepts. Use a whole number from 3600 to 43200.",
        ],
    ];
    for (const [what, change, message] of cases) {
        it(`rejects ${what}, naming the argument`, async () => {
            const { resolveArchiveInvestigatorRoleArgs } = await import("../../components/archive-investigator-role");
            assert.throws(() => resolveArchiveInvestigatorRoleArgs({ ...ARGS, ...change }), { message });
        });
    }
});
