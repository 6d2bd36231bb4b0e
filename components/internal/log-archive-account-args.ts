// LogArchiveAccount's Args, their defaults and their checks. `resolveLogArchiveAccountArgs` applies every
// default once and reports every problem together; the program runs it on the Args it builds from config
// before constructing the component (infra/config-keys.ts).
import * as pulumi from "@pulumi/pulumi";
import { trailArgsProblems } from "../policies/trail-bucket-policy";
import { arnProblems, assertNoProblems, ORGANIZATION_ID, WithDefaults } from "./validation";

export interface LogArchiveAccountArgs {
    /**
     * Marks the archive's buckets and keys `protect`, so that no `pulumi up` or `destroy` can delete
     * them until the flag is removed first in a reviewed change. They are `retainOnDelete` either way:
     * removing this component from the program leaves the logs and their keys in AWS.
     * @default false
     */
    readonly protect?: boolean;
    /** The AWS Organizations id (`o-...`) whose trail writes under `AWSLogs/<organization id>/`. */
    readonly organizationId: pulumi.Input<string>;
    /** The management account, which owns the trail. */
    readonly managementAccountId: pulumi.Input<string>;
    /** Region the trail is created in (its home region), part of the trail's ARN. */
    readonly homeRegion: pulumi.Input<string>;
    /** Name of the trail allowed to write (`aws:SourceArn` in the bucket and key policies). */
    readonly trailName: string;
    /**
     * `organization` admits the organization trail's `AWSLogs/<organization id>/` prefix; `account`
     * admits only the management account's own prefix. Plain: it decides which statements exist.
     * @default "organization"
     */
    readonly trailMode?: "organization" | "account";
    /**
     * Principals (role or account ARNs) allowed to decrypt the trail's log files, for example a
     * security team's investigation role. They may decrypt only objects with CloudTrail's encryption context.
     * @default []
     */
    readonly trailReaderArns?: string[];
    /**
     * Investigator roles of this account (orglog:index:ArchiveInvestigatorRole): the trail and
     * application-logs key policies let them decrypt, only through S3 in this region. Named by
     * `aws:PrincipalArn`, so the roles may be created after the keys.
     * @default []
     */
    readonly investigatorRoleArns?: string[];
    /**
     * Days after which log objects (current and previous versions) move to S3 Glacier Flexible Retrieval.
     * @default 90
     */
    readonly glacierTransitionDays?: number;
    /**
     * Days after which log objects expire; must be later than `glacierTransitionDays`.
     * @default 2557 (seven years)
     */
    readonly logRetentionDays?: number;
    /**
     * Object Lock default retention mode of the trail bucket. Object Lock can only be switched on when
     * the bucket is created; changing this later replaces the bucket. Only the trail bucket gets it:
     * AWS Config cannot deliver into a bucket with default retention. Plain: decides the bucket's shape.
     * @default - no Object Lock
     */
    readonly objectLockMode?: "GOVERNANCE" | "COMPLIANCE";
    /**
     * Days of Object Lock default retention; requires `objectLockMode`.
     * @default 365 when `objectLockMode` is set
     */
    readonly objectLockDays?: number;
    /**
     * Creates the SCP that denies re-configuring or deleting the archive (buckets, objects, keys) to
     * everyone but `breakGlassPrincipalArns`, in the management account, attached to this account.
     * Needs AWS Organizations with SCPs enabled, so sandboxes without them leave it off. Plain: decides
     * whether the SCP exists.
     * @default false
     */
    readonly protectWithScp?: boolean;
    /** Provider of the organization's management account, where the SCP lives. Required with `protectWithScp`. */
    readonly managementProvider?: pulumi.ProviderResource;
    /**
     * Principals exempt from the SCP (`ArnNotLike aws:PrincipalARN`). They must be principals of this
     * (log-archive) account to be of use: SCPs never restrict the management account. Required with `protectWithScp`.
     * @default []
     */
    readonly breakGlassPrincipalArns?: string[];
    /**
     * Resources of this account that must be in place before the SCP locks it, for example the
     * account-level public access block, which the SCP then freezes. Each
     * entry may be a promise, so resources created after this component can be named.
     * @default []
     */
    readonly scpDependsOn?: pulumi.Input<pulumi.Resource>[];
}

/** LogArchiveAccountArgs with every default applied, as the component uses them. */
export type ResolvedLogArchiveAccountArgs = WithDefaults<
    LogArchiveAccountArgs,
    | "investigatorRoleArns"
    | "trailReaderArns"
    | "glacierTransitionDays"
    | "logRetentionDays"
    | "breakGlassPrincipalArns"
    | "trailMode"
    | "protect"
    | "scpDependsOn"
>;

/**
 * Applies the defaults of the Args (each once) and checks them; throws one `pulumi.ResourceError`
 * listing every problem, one per line (at `parent`, the component, when given).
 */
export function resolveLogArchiveAccountArgs(args: LogArchiveAccountArgs, parent?: pulumi.Resource): ResolvedLogArchiveAccountArgs {
    const resolved: ResolvedLogArchiveAccountArgs = {
        ...args,
        investigatorRoleArns: args.investigatorRoleArns ?? [],
        trailReaderArns: args.trailReaderArns ?? [],
        glacierTransitionDays: args.glacierTransitionDays ?? 90,
        logRetentionDays: args.logRetentionDays ?? 2557,
        breakGlassPrincipalArns: args.breakGlassPrincipalArns ?? [],
        trailMode: args.trailMode ?? "organization",
        protect: args.protect ?? false,
        scpDependsOn: args.scpDependsOn ?? [],
        objectLockDays: args.objectLockMode ? (args.objectLockDays ?? 365) : args.objectLockDays,
    };
    const problems = trailArgsProblems(args.trailName, resolved.trailMode);
    if (typeof args.organizationId === "string" && !ORGANIZATION_ID.test(args.organizationId)) {
        problems.push(
            `\`organizationId\` ("${args.organizationId}") is not an AWS Organizations id such as o-a1b2c3d4e5. The archive admits the accounts of this organization`,
        );
    }
    problems.push(
        ...arnProblems(
            "investigatorRoleArns",
            resolved.investigatorRoleArns,
            "role",
            "Name a role of this account, such as arn:aws:iam::222222222222:role/org-logging-investigator",
        ),
        ...arnProblems(
            "trailReaderArns",
            resolved.trailReaderArns,
            "principal",
            "Name a role or account, such as arn:aws:iam::111111111111:role/Investigator",
        ),
    );
    const transition = resolved.glacierTransitionDays;
    const retention = resolved.logRetentionDays;
    const daysOk = (arg: string, value: number) => {
        if (!Number.isInteger(value) || value < 1) {
            problems.push(`\`${arg}\` (${value}) is not a whole number of days of at least 1`);
            return false;
        }
        return true;
    };
    if (daysOk("glacierTransitionDays", transition) && daysOk("logRetentionDays", retention) && retention <= transition) {
        problems.push(
            `\`logRetentionDays\` (${retention}) is not later than \`glacierTransitionDays\` (${transition}), so logs would expire before or when they reach Glacier. Raise \`logRetentionDays\` or lower \`glacierTransitionDays\``,
        );
    }
    if (args.objectLockMode === undefined) {
        if (args.objectLockDays !== undefined) {
            problems.push(
                `\`objectLockDays\` (${args.objectLockDays}) is set without \`objectLockMode\`. Set \`objectLockMode\` to "GOVERNANCE" or "COMPLIANCE", or remove \`objectLockDays\``,
            );
        }
    } else if (args.objectLockMode !== "GOVERNANCE" && args.objectLockMode !== "COMPLIANCE") {
        problems.push(`\`objectLockMode\` ("${String(args.objectLockMode)}") must be "GOVERNANCE" or "COMPLIANCE"`);
    } else {
        const lockDays = resolved.objectLockDays!;
        if (!Number.isInteger(lockDays) || lockDays < 1 || lockDays > 36500) {
            problems.push(`\`objectLockDays\` (${lockDays}) is not a whole number of days between 1 and 36500`);
        } else if (Number.isInteger(retention) && lockDays > retention) {
            problems.push(
                `\`objectLockDays\` (${lockDays}) is longer than \`logRetentionDays\` (${retention}), so the lifecycle could never expire locked logs. Lower \`objectLockDays\` or raise \`logRetentionDays\``,
            );
        }
    }
    if (args.protectWithScp) {
        if (!args.managementProvider) {
            problems.push(
                "`managementProvider` (undefined) is required with `protectWithScp`. Pass the management account's provider, where SCPs live",
            );
        }
        if (!args.breakGlassPrincipalArns || args.breakGlassPrincipalArns.length === 0) {
            problems.push(
                "`breakGlassPrincipalArns` ([]) is required with `protectWithScp`. Name the role that may still repair the archive",
            );
        }
    }
    problems.push(
        ...arnProblems(
            "breakGlassPrincipalArns",
            resolved.breakGlassPrincipalArns,
            "principal",
            "Name a role such as arn:aws:iam::222222222222:role/BreakGlass",
        ),
    );
    assertNoProblems("LogArchiveAccount", problems, parent);
    return resolved;
}
