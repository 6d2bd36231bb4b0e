// Command-line options, optionally read from `--config <file.json>` (same keys, without the dashes).
// One zod schema per command is the single source of the option types; the argv parser only splits
// words, and every problem (command line or file) is reported together in one line.
import * as fs from "fs";
import * as path from "path";
import { z } from "zod";
import { rejected } from "./result";

export const COMMANDS = ["sync", "validate", "publish"] as const;
export type Command = (typeof COMMANDS)[number];

/** Options that take no value. */
const FLAGS = new Set(["json", "require-signature"]);

const SOURCE_URL = /^(s3:\/\/[a-z0-9][a-z0-9.-]{1,61}[a-z0-9](\/.*)?|file:\/\/\/.*)$/;
const S3_URL = /^s3:\/\/[a-z0-9][a-z0-9.-]{1,61}[a-z0-9](\/.*)?$/;

const absolutePath = z
    .string({ error: (iss) => (iss.input === undefined ? "is required" : "must be a string") })
    .refine((p) => path.isAbsolute(p), { message: "must be an absolute path" });
const command = z.string().min(1, { message: "must not be empty" });
const requiredCommand = z
    .string({ error: (iss) => (iss.input === undefined ? "is required" : "must be a string") })
    .min(1, { message: "must not be empty" });
const seconds = z.preprocess(
    (v) => (typeof v === "string" && /^\d+$/.test(v) ? Number(v) : v),
    z.number({ error: "must be a whole number of seconds" }).int({ message: "must be a whole number of seconds" }).min(0, {
        message: "must be a whole number of seconds",
    }),
);
const positiveSeconds = z.preprocess(
    (v) => (typeof v === "string" && /^\d+$/.test(v) ? Number(v) : v),
    z
        .number({ error: "must be a whole number of seconds, at least 1" })
        .int({ message: "must be a whole number of seconds, at least 1" })
        .min(1, {
            message: "must be a whole number of seconds, at least 1",
        }),
);
const share = z.preprocess(
    (v) => (typeof v === "string" && /^\d+(\.\d+)?$/.test(v) ? Number(v) : v),
    z
        .number({ error: "must be a number from 0 to 1" })
        .min(0, { message: "must be a number from 0 to 1" })
        .max(1, { message: "must be a number from 0 to 1" }),
);
const pages = z.preprocess(
    (v) => (typeof v === "string" && /^\d+$/.test(v) ? Number(v) : v),
    z
        .number({ error: "must be a whole number, at least 1" })
        .int({ message: "must be a whole number, at least 1" })
        .min(1, { message: "must be a whole number, at least 1" }),
);
/** Bounds on the time and the requests a run spends reading its source (docs/agent.md, "Limits"). */
const limits = {
    "request-timeout": positiveSeconds.default(30),
    deadline: positiveSeconds.default(600),
    "max-list-pages": pages.default(100),
};
const flag = z.boolean({ error: "is a flag and takes no value" });

const common = {
    json: flag.default(false),
};
const layout = {
    "config-dir": absolutePath.default("/etc/td-agent"),
    "environment-file": absolutePath.default("/etc/sysconfig/td-agent"),
    "certs-dir": absolutePath.default("/etc/td-agent/certs"),
};
const source = z
    .string({ error: (iss) => (iss.input === undefined ? "is required" : "must be a string") })
    .regex(SOURCE_URL, { message: "must be s3://<bucket>/<prefix>/ or file:///<dir>/" });
const signature = {
    "public-key": absolutePath.optional(),
    "require-signature": flag.default(false),
};

const syncSchema = z.strictObject({
    ...common,
    ...limits,
    "max-removal-share": share.default(0.25),
    ...layout,
    ...signature,
    source,
    owner: z
        .string()
        .regex(/^([a-z_][a-z0-9_-]*\$?|\d+(:\d+)?)$/, { message: "must be a user name or uid[:gid]" })
        .optional(),
    "validate-command": command.optional(),
    "restart-command": command.default("systemctl restart td-agent"),
    "health-command": command.optional(),
    "command-timeout": seconds.default(300),
    "topic-arn": z
        .string()
        .regex(/^arn:aws[a-z-]*:sns:[a-z0-9-]+:\d{12}:[A-Za-z0-9_-]{1,256}$/, { message: "must be an SNS topic ARN" })
        .optional(),
    "lock-file": absolutePath.default("/run/org-logging-agent.lock"),
    "lock-timeout": seconds.default(60),
    "state-dir": absolutePath.optional(),
});

const validateSchema = z.strictObject({
    ...common,
    ...limits,
    ...layout,
    ...signature,
    source,
    "validate-command": requiredCommand,
    "command-timeout": seconds.default(300),
});

const publishSchema = z.strictObject({
    ...common,
    from: absolutePath,
    to: z
        .string({ error: (iss) => (iss.input === undefined ? "is required" : "must be a string") })
        .regex(S3_URL, { message: "must be s3://<bucket>/<prefix>/" }),
    "kms-key-id": z.string().min(1, { message: "must not be empty" }).optional(),
});

const SCHEMAS = { sync: syncSchema, validate: validateSchema, publish: publishSchema } as const;

type Raw = Record<string, string | number | boolean>;
type Parsed<C extends Command> = z.infer<(typeof SCHEMAS)[C]>;

export interface SyncOptions {
    readonly json: boolean;
    readonly source: string;
    readonly configDir: string;
    readonly environmentFile: string;
    readonly certsDir: string;
    readonly owner?: string;
    readonly validateCommand?: string;
    readonly restartCommand: string;
    readonly healthCommand?: string;
    readonly commandTimeoutSeconds: number;
    readonly topicArn?: string;
    readonly publicKey?: string;
    readonly requireSignature: boolean;
    readonly requestTimeoutSeconds: number;
    readonly deadlineSeconds: number;
    readonly maxListPages: number;
    /** Without a manifest, the largest share of the live config files one sync may remove. */
    readonly maxRemovalShare: number;
    readonly lockFile: string;
    readonly lockTimeoutSeconds: number;
    readonly stateDir?: string;
}

export interface ValidateOptions {
    readonly json: boolean;
    readonly source: string;
    readonly configDir: string;
    readonly environmentFile: string;
    readonly certsDir: string;
    readonly validateCommand: string;
    readonly commandTimeoutSeconds: number;
    readonly publicKey?: string;
    readonly requireSignature: boolean;
    readonly requestTimeoutSeconds: number;
    readonly deadlineSeconds: number;
    readonly maxListPages: number;
}

export interface PublishOptions {
    readonly json: boolean;
    readonly from: string;
    readonly to: string;
    readonly kmsKeyId?: string;
}

export type AgentOptions =
    | { command: "sync"; options: SyncOptions }
    | { command: "validate"; options: ValidateOptions }
    | { command: "publish"; options: PublishOptions };

export const USAGE =
    "usage: node agent.js sync --source s3://<bucket>/<prefix>/ [options] | validate --source <url> --validate-command <cmd> [options] | publish --from <dir> --to s3://<bucket>/<prefix>/ [--kms-key-id <key>] (see docs/agent.md)";

/** True when `--json` appears on the command line, so that even an option error is logged as JSON. */
export function wantsJson(argv: readonly string[]): boolean {
    return argv.includes("--json");
}

/**
 * Parses `argv` (without `node agent.js`). Throws an AgentError("rejected") naming every problem:
 * unknown options are named as given, bad values as `--name: problem (got "value")`.
 */
export function parseArgs(argv: readonly string[], readFile: (p: string) => string = (p) => fs.readFileSync(p, "utf8")): AgentOptions {
    const [cmd, ...rest] = argv;
    if (cmd === undefined || !(COMMANDS as readonly string[]).includes(cmd)) {
        throw rejected(cmd === undefined ? `no command given. ${USAGE}` : `unknown command "${cmd}". ${USAGE}`);
    }
    const command = cmd as Command;
    const schema = SCHEMAS[command];
    const known = new Set([...Object.keys(schema.shape), "config"]);

    const cli: Raw = {};
    const problems: string[] = [];
    for (let i = 0; i < rest.length; i++) {
        const word = rest[i];
        if (!word.startsWith("--") || word === "--") {
            problems.push(`unexpected argument "${word}"`);
            continue;
        }
        const eq = word.indexOf("=");
        const name = word.slice(2, eq === -1 ? undefined : eq);
        if (!known.has(name)) {
            // Strict on purpose: a mistyped option must never fall back to a default.
            throw rejected(`unknown option "--${name}" for ${command}. ${USAGE}`);
        }
        let value: string | true | undefined;
        if (FLAGS.has(name)) {
            if (eq !== -1) {
                problems.push(`--${name}: is a flag and takes no value (got "${word.slice(eq + 1)}")`);
            }
            value = true;
        } else if (eq !== -1) {
            value = word.slice(eq + 1);
        } else if (i + 1 < rest.length && !rest[i + 1].startsWith("--")) {
            value = rest[++i];
        }
        if (value === undefined) {
            problems.push(`--${name}: needs a value`);
            continue;
        }
        if (name in cli) {
            problems.push(`--${name}: given twice`);
            continue;
        }
        cli[name] = value;
    }

    let fromFile: Raw = {};
    let origin = "command line";
    if (typeof cli.config === "string") {
        const file = cli.config;
        origin = `command line and ${file}`;
        delete cli.config;
        try {
            const parsed: unknown = JSON.parse(readFile(file));
            if (!parsed || typeof parsed !== "object" || Array.isArray(parsed)) {
                problems.push(`--config: ${file} must hold a JSON object`);
            } else {
                for (const [key, value] of Object.entries(parsed)) {
                    if (key === "config") {
                        problems.push(`${file}: "config" cannot be nested`);
                    } else if (!known.has(key)) {
                        problems.push(`${file}: unknown option "${key}"`);
                    } else if (typeof value !== "string" && typeof value !== "number" && typeof value !== "boolean") {
                        problems.push(`${file}: "${key}" must be a string, number or boolean (got ${JSON.stringify(value)})`);
                    } else {
                        fromFile[key] = value;
                    }
                }
            }
        } catch (err) {
            problems.push(`--config: ${file} could not be read as JSON (${(err as Error).message})`);
            fromFile = {};
        }
    }

    // The command line wins over the file, so a one-off run can override a key.
    const merged: Raw = { ...fromFile, ...cli };
    const result = schema.safeParse(merged);
    if (!result.success) {
        for (const issue of result.error.issues) {
            const key = String(issue.path[0] ?? "");
            const got = merged[key];
            problems.push(`--${key}: ${issue.message}${got === undefined ? "" : ` (got ${JSON.stringify(got)})`}`);
        }
    }
    if (result.success) {
        problems.push(...crossChecks(command, result.data as Parsed<Command>));
    }
    if (problems.length > 0) {
        throw rejected(`invalid options (${origin})`, problems);
    }
    return toOptions(command, result.data as Parsed<Command>);
}

function crossChecks(command: Command, p: Parsed<Command>): string[] {
    const problems: string[] = [];
    if (command === "publish") {
        return problems;
    }
    const o = p as Parsed<"sync">;
    if (o["require-signature"] && o["public-key"] === undefined) {
        problems.push("--require-signature: needs --public-key <pem file> to verify the manifest with");
    }
    const configDir = path.resolve(o["config-dir"]);
    const certsDir = path.resolve(o["certs-dir"]);
    const envFile = path.resolve(o["environment-file"]);
    if (certsDir === configDir) {
        problems.push(`--certs-dir: must differ from --config-dir (got "${o["certs-dir"]}")`);
    }
    if (envFile === configDir || envFile === certsDir || isInside(envFile, certsDir)) {
        problems.push(
            `--environment-file: must not be --config-dir, --certs-dir or inside the certs directory (got "${o["environment-file"]}")`,
        );
    }
    if (isInside(configDir, certsDir) || isInside(configDir, envFile)) {
        problems.push(`--config-dir: must not be inside --certs-dir or --environment-file (got "${o["config-dir"]}")`);
    }
    if (command === "sync" && o["state-dir"] !== undefined) {
        const stateDir = path.resolve(o["state-dir"]);
        for (const [name, live] of [
            ["config-dir", configDir],
            ["certs-dir", certsDir],
            ["environment-file", envFile],
        ] as const) {
            if (stateDir === live || isInside(stateDir, live) || isInside(live, stateDir)) {
                problems.push(`--state-dir: must be apart from --${name} (got "${o["state-dir"]}")`);
            }
        }
    }
    return problems;
}

/** True when `p` is strictly below `dir`. */
export function isInside(p: string, dir: string): boolean {
    const rel = path.relative(dir, p);
    return rel !== "" && !rel.startsWith("..") && !path.isAbsolute(rel);
}

/** What `validate` and `sync` share: where the rendered state goes, how it is checked, and how the snapshot is trusted. */
function renderOptions(o: Parsed<"validate"> | Parsed<"sync">): Omit<ValidateOptions, "validateCommand"> & { validateCommand?: string } {
    return {
        json: o.json,
        source: o.source,
        configDir: path.resolve(o["config-dir"]),
        environmentFile: path.resolve(o["environment-file"]),
        certsDir: path.resolve(o["certs-dir"]),
        validateCommand: o["validate-command"],
        commandTimeoutSeconds: o["command-timeout"],
        publicKey: o["public-key"],
        requireSignature: o["require-signature"],
        requestTimeoutSeconds: o["request-timeout"],
        deadlineSeconds: o.deadline,
        maxListPages: o["max-list-pages"],
    };
}

function toOptions(command: Command, p: Parsed<Command>): AgentOptions {
    if (command === "publish") {
        const o = p as Parsed<"publish">;
        return { command, options: { json: o.json, from: o.from, to: o.to, kmsKeyId: o["kms-key-id"] } };
    }
    if (command === "validate") {
        const o = p as Parsed<"validate">;
        return { command, options: { ...renderOptions(o), validateCommand: o["validate-command"] } };
    }
    const o = p as Parsed<"sync">;
    return {
        command,
        options: {
            ...renderOptions(o),
            owner: o.owner,
            restartCommand: o["restart-command"],
            healthCommand: o["health-command"],
            topicArn: o["topic-arn"],
            lockFile: o["lock-file"],
            lockTimeoutSeconds: o["lock-timeout"],
            maxRemovalShare: o["max-removal-share"],
            stateDir: o["state-dir"] === undefined ? undefined : path.resolve(o["state-dir"]),
        },
    };
}
