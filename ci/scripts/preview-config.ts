// Writes the stack config a preview job runs with: the stack's own config, with every account's
// deployer role replaced by the read-only `OrgLoggingPreview` role of the same account. Merge/pull
// request jobs run code from unprotected branches, so they must not hold a role that can change anything.
//
//   npx ts-node --transpile-only ci/scripts/preview-config.ts --stack production --out Pulumi.production.preview.yaml
//   pulumi preview --stack production --config-file Pulumi.production.preview.yaml --policy-pack policy-pack --diff
import * as fs from "fs";
import * as path from "path";
import { parse, stringify } from "yaml";

/** The read-only role the bootstrap template creates in every account (ci/bootstrap/org-logging-account-roles.yaml). */
export const PREVIEW_ROLE_NAME = "OrgLoggingPreview";

const ROLE_ARN = /^(arn:aws[a-z-]*:iam::\d{12}:role\/).+$/;

/** Returns a copy of a `Pulumi.<stack>.yaml` document whose account roles are the preview roles, and the roles it swapped. */
export function previewStackConfig(doc: unknown, roleName = PREVIEW_ROLE_NAME): { doc: Record<string, any>; swapped: Array<[string, string]> } {
    const copy = structuredClone(doc) as Record<string, any>;
    const config = copy?.config;
    if (!config || typeof config !== "object") {
        throw new Error("preview-config: the stack file has no `config:` section");
    }
    const swapped: Array<[string, string]> = [];
    const swap = (holder: Record<string, unknown> | undefined, where: string) => {
        if (!holder || typeof holder.roleArn !== "string") {
            return;
        }
        const match = ROLE_ARN.exec(holder.roleArn);
        if (!match) {
            throw new Error(`preview-config: ${where}.roleArn ("${holder.roleArn}") is not an IAM role ARN`);
        }
        const preview = `${match[1]}${roleName}`;
        swapped.push([holder.roleArn, preview]);
        holder.roleArn = preview;
    };
    for (const [key, account] of Object.entries((config["org-logging:accounts"] ?? {}) as Record<string, Record<string, unknown>>)) {
        swap(account, `org-logging:accounts.${key}`);
    }
    ((config["org-logging:workloadAccounts"] ?? []) as Array<Record<string, unknown>>).forEach((account, i) => swap(account, `org-logging:workloadAccounts.${i}`));
    if (swapped.length === 0) {
        throw new Error("preview-config: no account role found to swap; a preview would run with the deployer roles");
    }
    return { doc: copy, swapped };
}

/** Reads `<dir>/Pulumi.<stack>.yaml`, writes its preview twin to `out` and returns the swapped roles. */
export function writePreviewConfig(stack: string, out: string, dir = process.cwd(), roleName = PREVIEW_ROLE_NAME): Array<[string, string]> {
    const { doc, swapped } = previewStackConfig(parse(fs.readFileSync(path.join(dir, `Pulumi.${stack}.yaml`), "utf8")), roleName);
    fs.writeFileSync(out, stringify(doc));
    return swapped;
}

function main(argv: string[]): number {
    const arg = (flag: string) => {
        const i = argv.indexOf(flag);
        return i >= 0 ? argv[i + 1] : undefined;
    };
    const stack = arg("--stack");
    if (!stack || !/^[a-z][a-z0-9-]*$/.test(stack)) {
        process.stderr.write("usage: preview-config.ts --stack <name> [--out <file>] [--role-name OrgLoggingPreview]\n");
        return 2;
    }
    try {
        const swapped = writePreviewConfig(stack, arg("--out") ?? `Pulumi.${stack}.preview.yaml`, process.cwd(), arg("--role-name") ?? PREVIEW_ROLE_NAME);
        swapped.forEach(([from, to]) => process.stdout.write(`${from} -> ${to}\n`));
        return 0;
    } catch (err) {
        process.stderr.write(`${(err as Error).message}\n`);
        return 2;
    }
}

if (require.main === module) {
    process.exitCode = main(process.argv.slice(2));
}
