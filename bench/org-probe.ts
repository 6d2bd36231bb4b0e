// One production plan with an --organization file, measured inside its own process:
// `node -r tools/register-ts.js bench/org-probe.ts <organization.json>` prints one JSON line.
import * as os from "os";
import * as path from "path";
import { plan } from "../tools/plan";
import { POLICY_QUOTAS, policySizes, PolicyKind } from "../policy-pack/rules/aws-policy-size-limits";

export interface OrgProbeFigures {
    resources: number;
    providers: number;
    /** URN -> inputs of the log-archive account's resources, hashed: equal across sizes when nothing there depends on the list. */
    archiveDigest: string;
    policiesDigest: string;
    wallMs: number;
    cpuMs: number;
    maxRssMiB: number;
    violations: number;
    largest: Record<string, { size: number; limit: number; unit: string; resource: string }>;
}

async function main(): Promise<void> {
    const file = process.argv[2];
    const cpu = process.cpuUsage();
    const start = process.hrtime.bigint();
    const report = await plan({ stack: "production", program: path.resolve(__dirname, ".."), organization: file });
    const wallMs = Number(process.hrtime.bigint() - start) / 1e6;
    const used = process.cpuUsage(cpu);
    const { createHash } = await import("crypto");
    const digest = (value: unknown) => createHash("sha256").update(JSON.stringify(value)).digest("hex").slice(0, 16);
    const archiveAccount = "222222222222";
    const archive = report.resources
        .filter((r) => r.account === archiveAccount)
        .map((r) => [r.urn, r.inputs])
        .sort();
    const views = report.resources.map((r) => ({ type: r.type, name: r.name, urn: r.urn, props: r.inputs })) as never[];
    const sizes = policySizes(views);
    const largest: OrgProbeFigures["largest"] = {};
    for (const kind of Object.keys(POLICY_QUOTAS) as PolicyKind[]) {
        const top = sizes.filter((s) => s.kind === kind).sort((a, b) => b.size - a.size)[0];
        if (top) {
            largest[kind] = { size: top.size, limit: POLICY_QUOTAS[kind].limit, unit: POLICY_QUOTAS[kind].unit, resource: top.subject };
        }
    }
    const policies = sizes.map((s) => [s.resource.urn, s.kind, s.size]).sort();
    const figures: OrgProbeFigures = {
        resources: report.resources.length,
        providers: report.resources.filter((r) => r.type.startsWith("pulumi:providers:")).length,
        archiveDigest: digest(archive),
        policiesDigest: digest(policies),
        wallMs: Math.round(wallMs),
        cpuMs: Math.round((used.user + used.system) / 1000),
        maxRssMiB: Math.round(process.resourceUsage().maxRSS / 1024),
        violations: report.violations.filter((v) => v.enforcementLevel === "mandatory").length,
        largest,
    };
    process.stdout.write(JSON.stringify(figures) + "\n");
    void os;
}

void main();
