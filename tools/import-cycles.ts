// Finds import cycles among the repository's own TypeScript modules (type-only imports included:
// a cycle of types is still two modules that cannot be read or moved apart).
import * as fs from "fs";
import * as path from "path";

const IMPORT =
    /(?:^|\n)\s*(?:import|export)\s[^;]*?from\s+["']([^"']+)["']|(?:^|\n)\s*import\s+["']([^"']+)["']|\brequire\(\s*["']([^"']+)["']\s*\)/g;

/** The repository-relative modules a TypeScript file imports with a relative specifier. */
export function localImports(file: string): string[] {
    const source = fs.readFileSync(file, "utf8");
    const found: string[] = [];
    for (const m of source.matchAll(IMPORT)) {
        const spec = m[1] ?? m[2] ?? m[3];
        if (!spec.startsWith(".")) {
            continue;
        }
        const resolved = resolveModule(path.resolve(path.dirname(file), spec));
        if (resolved) {
            found.push(resolved);
        }
    }
    return found;
}

function resolveModule(base: string): string | undefined {
    for (const candidate of [base, `${base}.ts`, path.join(base, "index.ts")]) {
        if (candidate.endsWith(".ts") && fs.existsSync(candidate) && fs.statSync(candidate).isFile()) {
            return candidate;
        }
    }
    return undefined;
}

function tsFiles(dir: string): string[] {
    const out: string[] = [];
    for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
        if (entry.name === "node_modules" || entry.name === "dist" || entry.name.startsWith(".")) {
            continue;
        }
        const full = path.join(dir, entry.name);
        if (entry.isDirectory()) {
            out.push(...tsFiles(full));
        } else if (entry.name.endsWith(".ts") && !entry.name.endsWith(".d.ts")) {
            out.push(full);
        }
    }
    return out;
}

/** Every import cycle among the `.ts` files below `roots`, each as the list of files around it (relative to `base`). */
export function findImportCycles(base: string, roots: string[]): string[][] {
    const files = roots.flatMap((r) => (fs.existsSync(path.join(base, r)) ? tsFiles(path.join(base, r)) : []));
    const graph = new Map(files.map((f) => [f, localImports(f)]));
    const state = new Map<string, "open" | "done">();
    const stack: string[] = [];
    const cycles: string[][] = [];
    const visit = (file: string): void => {
        state.set(file, "open");
        stack.push(file);
        for (const next of graph.get(file) ?? []) {
            if (state.get(next) === "open") {
                cycles.push(stack.slice(stack.indexOf(next)).map((f) => path.relative(base, f)));
            } else if (!state.has(next)) {
                visit(next);
            }
        }
        stack.pop();
        state.set(file, "done");
    };
    for (const file of files) {
        if (!state.has(file)) {
            visit(file);
        }
    }
    return cycles;
}

if (require.main === module) {
    const base = path.resolve(__dirname, "..");
    const cycles = findImportCycles(base, ["components", "infra", "policy-pack", "tools", "agent/src", "examples", "bench"]);
    for (const cycle of cycles) {
        console.log(`import cycle: ${[...cycle, cycle[0]].join(" -> ")}`);
    }
    process.exitCode = cycles.length > 0 ? 1 : 0;
}
