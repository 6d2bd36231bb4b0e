import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { assertNoProblems, KEY_PREFIX, ROLE_ARN, ROLE_NAME, WithDefaults } from "./internal/validation";
import {
    InvestigatorPrincipal,
    InvestigatorReadBucket,
    investigatorPolicy,
    investigatorTrustPolicy,
} from "./policies/investigator-policies";

export interface ArchiveInvestigatorRoleArgs {
    /**
     * Roles whose sessions may assume the investigator role; those marked `human` only with MFA.
     * Plain: validated, and the trust policy's principals.
     */
    readonly principals: readonly InvestigatorPrincipal[];
    /**
     * Physical name of the role. The archive's key policies name it (`aws:PrincipalArn`), so it is
     * fixed rather than auto-named. Plain: validated.
     * @default "org-logging-investigator"
     */
    readonly roleName?: string;
    /** The enforced Athena workgroup the role may run queries in. */
    readonly workgroupName: pulumi.Input<string>;
    /** Glue database of the log tables. */
    readonly databaseName: pulumi.Input<string>;
    /** Archive buckets the tables read, each with the prefix the role may read. */
    readonly readBuckets: ReadonlyArray<{ readonly bucketArn: pulumi.Input<string>; readonly prefix: string }>;
    /** Keys of the archive's objects: decrypt only, and only through S3. */
    readonly decryptKeyArns: pulumi.Input<string>[];
    /** The workgroup's result bucket (Athena writes results there with the caller's credentials). */
    readonly resultsBucketArn: pulumi.Input<string>;
    /** The key of the workgroup's results. */
    readonly resultsKeyArn: pulumi.Input<string>;
    /** Longest session, in seconds (IAM accepts 3600-43200). @default 3600 */
    readonly maxSessionDurationSeconds?: number;
}

/** The role's default name; the archive's key policies name the role by it. */
export const INVESTIGATOR_ROLE_NAME = "org-logging-investigator";

/** ArchiveInvestigatorRoleArgs with every default applied, as the component uses them. */
export type ResolvedArchiveInvestigatorRoleArgs = WithDefaults<ArchiveInvestigatorRoleArgs, "roleName" | "maxSessionDurationSeconds">;

/**
 * Applies the defaults of the Args (each once) and checks them; throws one `pulumi.ResourceError`
 * listing every problem, one per line (at `parent`, the component, when given).
 */
export function resolveArchiveInvestigatorRoleArgs(
    args: ArchiveInvestigatorRoleArgs,
    parent?: pulumi.Resource,
): ResolvedArchiveInvestigatorRoleArgs {
    const resolved: ResolvedArchiveInvestigatorRoleArgs = {
        ...args,
        roleName: args.roleName ?? INVESTIGATOR_ROLE_NAME,
        maxSessionDurationSeconds: args.maxSessionDurationSeconds ?? 3600,
    };
    const problems: string[] = [];
    if (args.principals.length === 0) {
        problems.push("`principals` ([]) is empty, so nobody could assume the role. Name the roles of the investigators");
    }
    args.principals.forEach((p, i) => {
        if (typeof p.roleArn !== "string" || !ROLE_ARN.test(p.roleArn)) {
            problems.push(
                `\`principals[${i}].roleArn\` ("${p.roleArn}") is not an IAM role ARN (arn:<partition>:iam::<account id>:role/<name>)`,
            );
        } else if (args.principals.findIndex((q) => q.roleArn === p.roleArn) !== i) {
            problems.push(`\`principals[${i}].roleArn\` ("${p.roleArn}") is listed twice. List each role once`);
        }
        if (typeof p.human !== "boolean") {
            problems.push(
                `\`principals[${i}].human\` (${JSON.stringify(p.human)}) must be true (a person: MFA required) or false (automation)`,
            );
        }
    });
    const name = resolved.roleName;
    if (!ROLE_NAME.test(name)) {
        problems.push(`\`roleName\` ("${name}") is not an IAM role name (1-64 letters, digits and +=,.@_-)`);
    }
    args.readBuckets.forEach((b, i) => {
        if (!KEY_PREFIX.test(b.prefix)) {
            problems.push(`\`readBuckets[${i}].prefix\` ("${b.prefix}") is not a key prefix ending in "/", such as AWSLogs/`);
        }
    });
    const duration = resolved.maxSessionDurationSeconds;
    if (!Number.isInteger(duration) || duration < 3600 || duration > 43200) {
        problems.push(`\`maxSessionDurationSeconds\` (${duration}) is outside what IAM accepts. Use a whole number from 3600 to 43200`);
    }
    assertNoProblems("ArchiveInvestigatorRole", problems, parent);
    return resolved;
}

/**
 * The role investigators assume in the log-archive account: trusted only by the configured roles
 * (with MFA where a person assumes it), it may run queries in the enforced workgroup and read the
 * archive through Athena, Glue, S3 reads and KMS decryption through S3, and nothing else. Lives in
 * the log-archive account: pass its provider.
 */
export class ArchiveInvestigatorRole extends pulumi.ComponentResource {
    public readonly role: aws.iam.Role;
    /** The role's only permissions. */
    public readonly policy: aws.iam.RolePolicy;

    constructor(name: string, args: ArchiveInvestigatorRoleArgs, opts?: pulumi.ComponentResourceOptions) {
        super("orglog:index:ArchiveInvestigatorRole", name, {}, opts);
        const resolved = resolveArchiveInvestigatorRoleArgs(args, this);
        const partition = aws.getPartitionOutput({}, { parent: this }).partition;
        const accountId = aws.getCallerIdentityOutput({}, { parent: this }).accountId;
        const region = aws.getRegionOutput({}, { parent: this }).region;

        this.role = new aws.iam.Role(
            `${name}-role`,
            {
                name: resolved.roleName,
                description: "Investigators: Athena queries over the log archive, read-only",
                assumeRolePolicy: JSON.stringify(investigatorTrustPolicy({ principals: args.principals })),
                maxSessionDuration: resolved.maxSessionDurationSeconds,
            },
            { parent: this },
        );
        this.policy = new aws.iam.RolePolicy(
            `${name}-policy`,
            {
                role: this.role.name,
                policy: pulumi
                    .output({
                        partition,
                        region,
                        accountId,
                        workgroupName: args.workgroupName,
                        databaseName: args.databaseName,
                        buckets: args.readBuckets.map((b) => ({ bucketArn: b.bucketArn, prefix: b.prefix })),
                        decryptKeyArns: args.decryptKeyArns,
                        resultsBucketArn: args.resultsBucketArn,
                        resultsKeyArn: args.resultsKeyArn,
                    })
                    .apply((v) =>
                        JSON.stringify(
                            investigatorPolicy({
                                partition: v.partition,
                                region: v.region,
                                accountId: v.accountId,
                                workgroupName: v.workgroupName,
                                databaseName: v.databaseName,
                                readBuckets: v.buckets.map((b): InvestigatorReadBucket => ({ bucketArn: b.bucketArn, prefix: b.prefix })),
                                decryptKeyArns: v.decryptKeyArns,
                                resultsBucketArn: v.resultsBucketArn,
                                resultsKeyArn: v.resultsKeyArn,
                            }),
                        ),
                    ),
            },
            { parent: this },
        );

        this.registerOutputs({ role: this.role, policy: this.policy });
    }
}
