// Finds the program a plan runs and the stack config it runs with, the way the Pulumi CLI would:
// `<dir>/Pulumi.yaml` (name, main) and `<dir>/Pulumi.<stack>.yaml` (config).
import * as fs from "fs";
import * as path from "path";
import { parse as parseYaml } from "yaml";

export interface PlanProgram {
    dir: string;
    /** The module to load: `main` of Pulumi.yaml, else `index.ts` or `index.js`. */
    entry: string;
    project: string;
    stack: string;
    /** Config in the Pulumi runtime's form: `<namespace>:<key>` to string (objects as JSON). */
    config: Record<string, string>;
    secretKeys: string[];
    /** Set when the stack has no stack file (the program runs with an empty config): the stacks that have one. */
    missingStackFile?: { stackFile: string; stacks: string[] };
}

/** A planning problem the user fixes; the plan prints its message as one line and exits 2. */
export class ProgramError extends Error {}

export function loadPlanProgram(programDir: string, stack: string): PlanProgram {
    if (!fs.existsSync(programDir) || !fs.statSync(programDir).isDirectory()) {
        throw new ProgramError(`--program ${programDir}: not a directory`);
    }
    // `--program infra` plans the project whose Pulumi.yaml names it as `main`, with that project's stack config.
    const dir = enclosingProject(programDir) ?? programDir;
    const projectFile = path.join(dir, "Pulumi.yaml");
    const project = fs.existsSync(projectFile) ? (readYaml(projectFile) as { name?: string; main?: string }) : {};
    const base = project.main ? path.resolve(dir, project.main) : dir;
    const entry = ["", "index.ts", "index.js"]
        .map((file) => path.join(base, file))
        .find((candidate) => fs.existsSync(candidate) && fs.statSync(candidate).isFile());
    if (!entry) {
        throw new ProgramError(`${dir}: no Pulumi program found (expected index.ts, index.js or the \`main\` of Pulumi.yaml)`);
    }
    const stackFile = path.join(dir, `Pulumi.${stack}.yaml`);
    const config: Record<string, string> = {};
    const secretKeys: string[] = [];
    if (fs.existsSync(stackFile)) {
        const values = ((readYaml(stackFile) as { config?: Record<string, unknown> } | null)?.config ?? {}) as Record<string, unknown>;
        for (const [key, value] of Object.entries(values)) {
            if (value && typeof value === "object" && "secure" in value) {
                // Ciphertext cannot be decrypted offline; the plan sees a stand-in, marked secret.
                config[key] = "[secret]";
                secretKeys.push(key);
            } else {
                config[key] = typeof value === "string" ? value : JSON.stringify(value);
            }
        }
    }
    // `pulumi preview` runs a stack that has no stack file with an empty config, and so does the plan.
    const missing = fs.existsSync(stackFile) ? undefined : { stackFile, stacks: projectStacks(dir) };
    return {
        dir,
        entry,
        project: project.name ?? path.basename(dir),
        stack,
        config,
        secretKeys,
        ...(missing ? { missingStackFile: missing } : {}),
    };
}

/** The stacks of the project in `dir` that have a stack file, sorted. */
export function projectStacks(dir: string): string[] {
    return fs
        .readdirSync(dir)
        .map((file) => /^Pulumi\.(.+)\.ya?ml$/.exec(file)?.[1])
        .filter((name): name is string => name !== undefined)
        .sort();
}

/** The folder above `dir` whose Pulumi.yaml has `main` pointing at `dir`, if there is one. */
function enclosingProject(dir: string): string | undefined {
    if (fs.existsSync(path.join(dir, "Pulumi.yaml"))) {
        return undefined;
    }
    const parent = path.dirname(path.resolve(dir));
    const projectFile = path.join(parent, "Pulumi.yaml");
    if (!fs.existsSync(projectFile)) {
        return undefined;
    }
    const main = (readYaml(projectFile) as { main?: string } | null)?.main;
    return main !== undefined && path.resolve(parent, main) === path.resolve(dir) ? parent : undefined;
}

function readYaml(file: string): unknown {
    try {
        return parseYaml(fs.readFileSync(file, "utf8"));
    } catch (err) {
        throw new ProgramError(`${file}: not valid YAML (${(err as Error).message.split("\n")[0]})`);
    }
}
