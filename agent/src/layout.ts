// Where the live state is and how a generation (one complete desired state) is laid out on disk.
//
// A generation directory holds everything the service reads:
//   config/          the source files (and the certs dir / env file when they live below --config-dir)
//   environment      the env file, when --environment-file is outside --config-dir
//   certs/           the certs dir, when --certs-dir is outside --config-dir
// Paths inside a generation ("config/td-agent.conf", "environment") are called gen paths.
import * as path from "path";
import { isInside } from "./options";

export interface LayoutInput {
    readonly configDir: string;
    readonly environmentFile: string;
    readonly certsDir: string;
    readonly stateDir?: string;
}

export interface Layout {
    readonly configDir: string;
    readonly environmentFile: string;
    readonly certsDir: string;
    /** Holds generations/, current, journal.json, state.json (see docs/agent.md). */
    readonly stateDir: string;
    /** Gen path of the environment file. */
    readonly environmentGenPath: string;
    /** Gen path of the certs directory. */
    readonly certsGenPath: string;
    /** Live paths that are symlinks into `<stateDir>/current/` once the agent manages them. */
    readonly roots: readonly Root[];
}

export interface Root {
    readonly genPath: "config" | "environment" | "certs";
    readonly live: string;
}

export function resolveLayout(input: LayoutInput): Layout {
    const configDir = path.resolve(input.configDir);
    const environmentFile = path.resolve(input.environmentFile);
    const certsDir = path.resolve(input.certsDir);
    // Next to the config directory: on the same filesystem, so renames into and out of it are atomic.
    const stateDir = input.stateDir ?? path.join(path.dirname(configDir), `.${path.basename(configDir)}.orglog`);
    const roots: Root[] = [{ genPath: "config", live: configDir }];
    const below = (p: string) => `config/${path.relative(configDir, p).split(path.sep).join("/")}`;
    let environmentGenPath = "environment";
    if (isInside(environmentFile, configDir)) {
        environmentGenPath = below(environmentFile);
    } else {
        roots.push({ genPath: "environment", live: environmentFile });
    }
    let certsGenPath = "certs";
    if (isInside(certsDir, configDir)) {
        certsGenPath = below(certsDir);
    } else {
        roots.push({ genPath: "certs", live: certsDir });
    }
    return { configDir, environmentFile, certsDir, stateDir, environmentGenPath, certsGenPath, roots };
}

/** The live path that shows gen path `genPath`. */
export function livePath(layout: Layout, genPath: string): string {
    const [first, ...rest] = genPath.split("/");
    const root = layout.roots.find((r) => r.genPath === first);
    if (!root) {
        throw new Error(`gen path ${genPath} has no root`);
    }
    return path.join(root.live, ...rest);
}

/** The same layout with its live paths moved below `dir` (for `validate` and for staged generations). */
export function layoutBelow(layout: Layout, dir: string): Layout {
    const configDir = path.join(dir, "config");
    return {
        ...layout,
        configDir,
        environmentFile: path.join(dir, ...layout.environmentGenPath.split("/")),
        certsDir: path.join(dir, ...layout.certsGenPath.split("/")),
        roots: layout.roots.map((r) => ({ genPath: r.genPath, live: path.join(dir, r.genPath) })),
    };
}
