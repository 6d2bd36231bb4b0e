// Organization scale: the production plan with --organization files of 5..5,000 accounts. Resources,
// providers and policies must not change with the number of accounts; the per-account slope of CPU
// time is fitted by least squares (flat is the goal).
import { execFileSync } from "child_process";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { generatedOrganization } from "../tools/mock-organization";
import type { OrgProbeFigures } from "./org-probe";
import { LOADER } from "./plan-scale";

const ROOT = path.resolve(__dirname, "..");

export interface OrgScaleRow extends OrgProbeFigures {
    accounts: number;
    load: string;
}

export function orgScale(sizes: number[], log: (line: string) => void = () => undefined): OrgScaleRow[] {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "bench-org-"));
    return sizes.map((accounts) => {
        const file = path.join(dir, `organization-${accounts}.json`);
        fs.writeFileSync(
            file,
            JSON.stringify(
                generatedOrganization({
                    organizationId: "o-a1b2c3d4e5",
                    core: ["111111111111", "222222222222", "333333333333"],
                    count: accounts,
                }),
            ),
        );
        const out = execFileSync(process.execPath, ["-r", LOADER, path.join(__dirname, "org-probe.ts"), file], {
            cwd: ROOT,
            encoding: "utf8",
            maxBuffer: 64 * 1024 * 1024,
        });
        const figures = JSON.parse(out.trim().split("\n").pop()!) as OrgProbeFigures;
        const row = {
            accounts,
            load: os
                .loadavg()
                .map((l) => l.toFixed(2))
                .join(" "),
            ...figures,
        };
        log(`organization of ${accounts}: ${row.resources} resources, ${row.cpuMs} ms CPU, ${row.wallMs} ms wall, ${row.maxRssMiB} MiB`);
        return row;
    });
}

/** Least-squares slope of y over x. */
export function slope(points: Array<[number, number]>): number {
    const n = points.length;
    const mx = points.reduce((s, [x]) => s + x, 0) / n;
    const my = points.reduce((s, [, y]) => s + y, 0) / n;
    const sxx = points.reduce((s, [x]) => s + (x - mx) ** 2, 0);
    return sxx === 0 ? 0 : points.reduce((s, [x, y]) => s + (x - mx) * (y - my), 0) / sxx;
}

export function formatOrgScale(rows: OrgScaleRow[]): string {
    const lines = [
        "accounts | resources | providers | CPU ms | wall ms | max RSS MiB | load (1/5/15) | violations | archive / policies digest",
    ];
    for (const r of rows) {
        lines.push(
            `${r.accounts} | ${r.resources} | ${r.providers} | ${r.cpuMs} | ${r.wallMs} | ${r.maxRssMiB} | ${r.load} | ${r.violations} | ${r.archiveDigest} / ${r.policiesDigest}`,
        );
    }
    lines.push("", "largest policy of each kind (the same at every size when the digests agree):");
    for (const [kind, l] of Object.entries(rows[rows.length - 1].largest)) {
        lines.push(
            `  ${kind}: ${l.size.toLocaleString("en-US")} / ${l.limit.toLocaleString("en-US")} ${l.unit} (${((100 * l.size) / l.limit).toFixed(0)}%) ${l.resource}`,
        );
    }
    const same = rows.every(
        (r) =>
            r.archiveDigest === rows[0].archiveDigest && r.policiesDigest === rows[0].policiesDigest && r.resources === rows[0].resources,
    );
    lines.push(
        "",
        `CPU slope: ${slope(rows.map((r) => [r.accounts, r.cpuMs])).toFixed(4)} ms per account; RSS slope: ${(slope(rows.map((r) => [r.accounts, r.maxRssMiB])) * 1024).toFixed(2)} KiB per account`,
        `log-archive resources and all policies identical at every size: ${same ? "yes" : "NO"}`,
    );
    return lines.join("\n") + "\n";
}
