// The organization the mock runtime answers `aws.organizations.getOrganization` with: a default one
// built from the stack's core accounts, or the contents of an `--organization <file.json>`.
import * as fs from "fs";
import * as pulumi from "@pulumi/pulumi";

export type AccountStatus = "ACTIVE" | "SUSPENDED" | "PENDING_CLOSURE";

export interface OrganizationAccount {
    id: string;
    name: string;
    email: string;
    status: AccountStatus;
    arn?: string;
}

/** The shape of `getOrganization`'s result; the fields after `accounts` are optional in a file. */
export interface MockOrganization {
    id: string;
    masterAccountId: string;
    roots: Array<{ id: string; name?: string; arn?: string }>;
    accounts: OrganizationAccount[];
    arn?: string;
    featureSet?: string;
    masterAccountArn?: string;
    masterAccountEmail?: string;
    masterAccountName?: string;
    awsServiceAccessPrincipals?: string[];
    enabledPolicyTypes?: string[];
}

/** A problem with an organization file; the plan prints it as one line and exits 2. */
export class OrganizationError extends Error {}

const ORG_ID = /^o-[a-z0-9]{10,32}$/;
const ROOT_ID = /^r-[0-9a-z]{4,32}$/;
const ACCOUNT_ID = /^\d{12}$/;
const STATUSES: readonly string[] = ["ACTIVE", "SUSPENDED", "PENDING_CLOSURE"];

/** Example workload accounts of the default organization (the ids of the production example's workloads). */
const EXAMPLE_WORKLOADS: Array<Pick<OrganizationAccount, "id" | "name">> = [
    { id: "444444444444", name: "Payments Production" },
    { id: "555555555555", name: "Storefront Staging" },
];

let answered: MockOrganization | undefined;

/** Makes the mock answer with `organization`; `undefined` restores the default organization. */
export function useOrganization(organization: MockOrganization | undefined): void {
    answered = organization;
}

/** The organization the mock answers with now: the one in use, else the default of the running stack's config. */
export function currentOrganization(callerAccountId: string): MockOrganization {
    return answered ?? defaultOrganization(stackCoreAccounts(), callerAccountId);
}

/**
 * The default organization: the stack's core accounts (management, log-archive, collection, audit
 * from `org-logging:accounts`) and workload accounts (`org-logging:workloadAccounts`), the
 * organization id of `org-logging:organizationId`, and two example workload accounts. Without that config (a bare program) the caller is the management account.
 */
export function defaultOrganization(
    core: { organizationId?: string; accounts: Array<{ key: string; id: string }> },
    callerAccountId: string,
): MockOrganization {
    const management = core.accounts.find((a) => a.key === "management")?.id ?? callerAccountId;
    const id = core.organizationId ?? `o-mock${management}`;
    const names: Record<string, string> = { management: "Management", logArchive: "Log Archive", collection: "Log Collection" };
    const accounts = new Map<string, OrganizationAccount>();
    accounts.set(management, account(management, "Management"));
    for (const a of [...core.accounts.map((c) => ({ id: c.id, name: names[c.key] ?? c.key })), ...EXAMPLE_WORKLOADS]) {
        if (!accounts.has(a.id)) {
            accounts.set(a.id, account(a.id, a.name));
        }
    }
    return {
        id,
        masterAccountId: management,
        roots: [{ id: `r-${management.slice(-4)}`, name: "Root" }],
        accounts: [...accounts.values()],
    };
}

function account(id: string, name: string): OrganizationAccount {
    return { id, name, email: `aws+${id}@example.com`, status: "ACTIVE" };
}

/** The core accounts and organization id in the running program's config, when it has them. */
function stackCoreAccounts(): { organizationId?: string; accounts: Array<{ key: string; id: string }> } {
    const config = pulumi.runtime.allConfig();
    const parse = (v: string | undefined): unknown => {
        try {
            return v === undefined ? undefined : JSON.parse(v);
        } catch {
            return undefined;
        }
    };
    const accounts = parse(config["org-logging:accounts"]) as Record<string, { id?: unknown }> | undefined;
    const organizationId = config["org-logging:organizationId"];
    return {
        organizationId: organizationId && ORG_ID.test(organizationId) ? organizationId : undefined,
        accounts: [
            ...Object.entries(accounts && typeof accounts === "object" ? accounts : {})
                .filter(([, a]) => a && typeof a.id === "string" && ACCOUNT_ID.test(a.id))
                .map(([key, a]) => ({ key, id: a.id as string })),
            ...workloadAccountsOf(config),
        ],
    };
}

/** The stack's `workloadAccounts` (display names of member accounts), as accounts of the default organization. */
export function workloadAccountsOf(config: Record<string, string>): Array<{ key: string; id: string }> {
    let workloads: unknown;
    try {
        workloads = JSON.parse(config["org-logging:workloadAccounts"] ?? "[]");
    } catch {
        return [];
    }
    return (Array.isArray(workloads) ? workloads : [])
        .map((w) => (w && typeof w === "object" ? (w as { id?: unknown; name?: unknown }) : {}))
        .filter((w) => typeof w.id === "string" && ACCOUNT_ID.test(w.id))
        .map((w) => ({ key: typeof w.name === "string" ? w.name : "workload", id: w.id as string }));
}

/** `getOrganization`'s result as the AWS provider returns it to `caller`. */
export function organizationResult(org: MockOrganization, callerAccountId: string, partition = "aws"): Record<string, unknown> {
    const arnOf = (kind: string, id: string) => `arn:${partition}:organizations::${org.masterAccountId}:${kind}/${org.id}/${id}`;
    const master = org.accounts.find((a) => a.id === org.masterAccountId);
    const base = {
        id: org.id,
        arn: org.arn ?? `arn:${partition}:organizations::${org.masterAccountId}:organization/${org.id}`,
        featureSet: org.featureSet ?? "ALL",
        masterAccountId: org.masterAccountId,
        masterAccountArn: org.masterAccountArn ?? arnOf("account", org.masterAccountId),
        masterAccountEmail: org.masterAccountEmail ?? master?.email ?? "",
        masterAccountName: org.masterAccountName ?? master?.name ?? "",
    };
    // An account outside the organization gets what AWS answers it (the mock knows one organization).
    if (callerAccountId !== "default" && !org.accounts.some((a) => a.id === callerAccountId)) {
        throw new Error(
            `AWSOrganizationsNotInUseException: Your account is not a member of an organization. (account ${callerAccountId} is not in ${org.id})`,
        );
    }
    // The provider lists accounts, roots and policies only for the management account (the mock's
    // unnamed default provider counts as it); a member account sees the organization's identity alone.
    if (callerAccountId !== org.masterAccountId && callerAccountId !== "default") {
        return { ...base, accounts: [], nonMasterAccounts: [], roots: [], awsServiceAccessPrincipals: [], enabledPolicyTypes: [] };
    }
    const accounts = org.accounts.map((a) => ({ ...a, arn: a.arn ?? arnOf("account", a.id) }));
    return {
        ...base,
        awsServiceAccessPrincipals: org.awsServiceAccessPrincipals ?? ["cloudtrail.amazonaws.com", "config.amazonaws.com"],
        enabledPolicyTypes: org.enabledPolicyTypes ?? ["SERVICE_CONTROL_POLICY"],
        roots: org.roots.map((r) => ({
            id: r.id,
            name: r.name ?? "Root",
            arn: r.arn ?? `arn:${partition}:organizations::${org.masterAccountId}:root/${org.id}/${r.id}`,
            policyTypes: [{ type: "SERVICE_CONTROL_POLICY", status: "ENABLED" }],
        })),
        accounts,
        nonMasterAccounts: accounts.filter((a) => a.id !== org.masterAccountId),
    };
}

/** Reads and validates an organization file; throws OrganizationError with one line naming the field. */
export function loadOrganizationFile(file: string): MockOrganization {
    let text: string;
    try {
        text = fs.readFileSync(file, "utf8");
    } catch (err) {
        throw new OrganizationError(
            `--organization ${file}: cannot read it (${(err as NodeJS.ErrnoException).code ?? (err as Error).message})`,
        );
    }
    let doc: unknown;
    try {
        doc = JSON.parse(text);
    } catch (err) {
        throw new OrganizationError(`--organization ${file}: not valid JSON (${(err as Error).message})`);
    }
    return validateOrganization(doc, `--organization ${file}`);
}

/** Checks a parsed organization document; `where` prefixes the one-line error. */
export function validateOrganization(doc: unknown, where: string): MockOrganization {
    const fail = (field: string, problem: string): never => {
        throw new OrganizationError(`${where}: ${field} ${problem}`);
    };
    if (!doc || typeof doc !== "object" || Array.isArray(doc)) {
        fail("the document", 'is not an object like {"id": "o-...", "masterAccountId": "...", "roots": [...], "accounts": [...]}');
    }
    const o = doc as Record<string, unknown>;
    if (typeof o.id !== "string" || !ORG_ID.test(o.id)) {
        fail("id", `(${JSON.stringify(o.id)}) is not an AWS Organizations id such as o-a1b2c3d4e5`);
    }
    if (typeof o.masterAccountId !== "string" || !ACCOUNT_ID.test(o.masterAccountId)) {
        fail("masterAccountId", `(${JSON.stringify(o.masterAccountId)}) is not a 12-digit account id`);
    }
    if (!Array.isArray(o.roots) || o.roots.length === 0) {
        fail("roots", 'must be a non-empty list such as [{"id": "r-ab12"}]');
    }
    (o.roots as unknown[]).forEach((r, i) => {
        const id = (r as { id?: unknown } | null)?.id;
        if (typeof id !== "string" || !ROOT_ID.test(id)) {
            fail(`roots[${i}].id`, `(${JSON.stringify(id)}) is not a root id such as r-ab12`);
        }
    });
    if (!Array.isArray(o.accounts)) {
        fail("accounts", "must be a list of accounts");
    }
    const seen = new Map<string, number>();
    (o.accounts as unknown[]).forEach((raw, i) => {
        const a = (raw && typeof raw === "object" ? raw : {}) as Record<string, unknown>;
        if (typeof a.id !== "string" || !ACCOUNT_ID.test(a.id)) {
            fail(`accounts[${i}].id`, `(${JSON.stringify(a.id)}) is not a 12-digit account id`);
        }
        const id = a.id as string;
        if (seen.has(id)) {
            fail(`accounts[${i}].id`, `("${id}") is listed twice (also accounts[${seen.get(id)}])`);
        }
        seen.set(id, i);
        if (typeof a.name !== "string" || a.name.length < 1 || a.name.length > 50) {
            fail(`accounts[${i}].name`, `(${JSON.stringify(a.name)}) must be text of 1 to 50 characters`);
        }
        if (typeof a.email !== "string" || !/^[^@\s]+@[^@\s]+$/.test(a.email) || a.email.length > 64) {
            fail(`accounts[${i}].email`, `(${JSON.stringify(a.email)}) is not an e-mail address of at most 64 characters`);
        }
        if (typeof a.status !== "string" || !STATUSES.includes(a.status)) {
            fail(`accounts[${i}].status`, `(${JSON.stringify(a.status)}) is not one of ${STATUSES.join(", ")}`);
        }
        if (a.arn !== undefined && (typeof a.arn !== "string" || !a.arn.startsWith("arn:"))) {
            fail(`accounts[${i}].arn`, `(${JSON.stringify(a.arn)}) is not an ARN`);
        }
    });
    if (!seen.has(o.masterAccountId as string)) {
        fail("masterAccountId", `("${o.masterAccountId}") is not one of the accounts; list the management account too`);
    }
    return doc as MockOrganization;
}

/** An organization of `count` accounts (the core accounts first), for benchmarks and scale tests. */
export function generatedOrganization(p: { organizationId: string; core: string[]; count: number }): MockOrganization {
    const accounts: OrganizationAccount[] = p.core.map((id, i) =>
        account(id, ["Management", "Log Archive", "Log Collection"][i] ?? `Core ${i}`),
    );
    for (let n = 1; accounts.length < p.count; n++) {
        const id = String(600000000000 + n);
        accounts.push(account(id, `Workload ${n} Team ${String.fromCharCode(65 + (n % 26))}`));
    }
    return { id: p.organizationId, masterAccountId: p.core[0], roots: [{ id: `r-${p.core[0].slice(-4)}` }], accounts };
}
