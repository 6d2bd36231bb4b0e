// secrets.conf, at the source root, says which Secrets Manager secrets the collector needs and where:
//   # comment
//   env#NAME#<secret arn>        -> NAME="value" in the environment file
//   file#<file name>#<secret arn> -> <certs-dir>/<file name>, mode 0600
// It holds ARNs only, never values, so its lines may be quoted in messages.

export const SECRETS_CONF_KEY = "secrets.conf";

export interface SecretRef {
    readonly kind: "env" | "file";
    /** Variable name (env) or plain file name (file). */
    readonly name: string;
    readonly arn: string;
    /** 1-based line in secrets.conf. */
    readonly line: number;
}

const ENV_NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;
/** A plain file name: no directory part, not hidden (so neither "." nor ".."). */
const FILE_NAME = /^[A-Za-z0-9_][A-Za-z0-9._-]*$/;
const SECRET_ARN = /^arn:aws[a-z-]*:secretsmanager:[a-z0-9-]+:\d{12}:secret:[A-Za-z0-9/_+=.@-]+$/;

export interface ParsedSecretsConf {
    readonly refs: SecretRef[];
    readonly problems: string[];
}

/** Parses the whole file and reports every problem (`secrets.conf:<line>: ...`), never the first only. */
export function parseSecretsConf(text: string): ParsedSecretsConf {
    const refs: SecretRef[] = [];
    const problems: string[] = [];
    const seen = new Map<string, number>();
    text.split("\n").forEach((raw, index) => {
        const line = index + 1;
        const where = `${SECRETS_CONF_KEY}:${line}`;
        const content = raw.replace(/\r$/, "").trim();
        if (content === "" || content.startsWith("#")) {
            return;
        }
        const fields = content.split("#");
        if (fields.length !== 3) {
            problems.push(
                // The line is not quoted: what was pasted here may be a secret value.
                `${where}: expected env#NAME#<secret arn> or file#<file name>#<secret arn>, ${fields.length - 1} "#" separator(s) found (the line is not shown)`,
            );
            return;
        }
        const [kind, name, arn] = fields;
        if (kind !== "env" && kind !== "file") {
            problems.push(`${where}: unknown kind ${JSON.stringify(kind)}; use "env" or "file"`);
            return;
        }
        const before = problems.length;
        if (kind === "env" && !ENV_NAME.test(name)) {
            problems.push(
                `${where}: ${JSON.stringify(name)} is not a variable name; use letters, digits and "_", not starting with a digit`,
            );
        } else if (kind === "env" && processEnvName(name)) {
            problems.push(
                `${where}: ${name} changes how processes run (the shell, the dynamic loader or an interpreter reads it), so the environment file cannot set it; use another variable name`,
            );
        }
        if (kind === "file") {
            const why = fileNameProblem(name);
            if (why) {
                problems.push(`${where}: ${JSON.stringify(name)} ${why}; use a plain file name such as "collector.pem"`);
            }
        }
        if (!SECRET_ARN.test(arn)) {
            // Not quoted: a secret value pasted where the ARN belongs must not reach logs, stdout or SNS.
            problems.push(
                `${where}: the third field (not shown) is not a Secrets Manager secret ARN (arn:<partition>:secretsmanager:<region>:<account>:secret:<name>)`,
            );
        }
        if (problems.length > before) {
            return;
        }
        const id = `${kind}#${name}`;
        const first = seen.get(id);
        if (first !== undefined) {
            problems.push(`${where}: ${kind} ${JSON.stringify(name)} is already defined on line ${first}`);
            return;
        }
        seen.set(id, line);
        refs.push({ kind, name, arn, line });
    });
    return { refs, problems };
}

/** Variables the shell, the dynamic loader or an interpreter reads to decide what to run or load. */
const PROCESS_ENV_NAMES = new Set([
    "PATH",
    "IFS",
    "ENV",
    "BASH_ENV",
    "SHELLOPTS",
    "BASHOPTS",
    "PS4",
    "CDPATH",
    "GLOBIGNORE",
    "HOME",
    "SHELL",
    "TMPDIR",
    "NODE_OPTIONS",
    "NODE_PATH",
    "PYTHONPATH",
    "PYTHONHOME",
    "PYTHONSTARTUP",
    "PYTHONINSPECT",
    "PERL5LIB",
    "PERL5OPT",
    "PERLLIB",
    "RUBYOPT",
    "RUBYLIB",
    "GEM_HOME",
    "GEM_PATH",
    "BUNDLE_GEMFILE",
    "GCONV_PATH",
    "LOCPATH",
    "NLSPATH",
    "HOSTALIASES",
    "RES_OPTIONS",
    "MALLOC_CHECK_",
    "JAVA_TOOL_OPTIONS",
    "_JAVA_OPTIONS",
    "SSL_CERT_FILE",
    "SSL_CERT_DIR",
]);

/** True for a name the environment file must not set (exact names above, LD_*, DYLD_*, BASH_FUNC_*). */
export function processEnvName(name: string): boolean {
    return PROCESS_ENV_NAMES.has(name) || /^(LD_|DYLD_|BASH_FUNC_)/.test(name);
}

function fileNameProblem(name: string): string | undefined {
    if (name === "") {
        return "is empty";
    }
    if (name.startsWith("/")) {
        return "is an absolute path";
    }
    if (name.includes("/")) {
        return 'contains "/"';
    }
    if (name === "." || name === "..") {
        return "is a directory reference";
    }
    if (!FILE_NAME.test(name)) {
        return "is not a plain file name (letters, digits, '.', '_', '-'; not starting with '.')";
    }
    return undefined;
}
