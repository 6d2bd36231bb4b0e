// From a snapshot to the whole desired state: secrets.conf is parsed, its secrets read and rendered into
// the env file and the certs directory, the source files placed in the config directory.
import { buildDesiredState, DesiredState } from "./desired-state";
import { EnvVar, envValueProblem, renderEnvFile } from "./env-file";
import { Layout } from "./layout";
import { Logger } from "./log";
import { Redactor } from "./redact";
import { rejected } from "./result";
import { fetchSecrets } from "./secrets";
import { parseSecretsConf, SECRETS_CONF_KEY } from "./secrets-conf";
import { Snapshot } from "./snapshot";

export interface Rendered {
    readonly desired: DesiredState;
    /** The env file's variables, handed to the validate command's environment. */
    readonly envVars: EnvVar[];
}

export async function renderDesiredState(layout: Layout, snapshot: Snapshot, redactor: Redactor, log: Logger): Promise<Rendered> {
    const conf = snapshot.secretsConf === undefined ? { refs: [], problems: [] } : parseSecretsConf(snapshot.secretsConf.toString("utf8"));
    if (conf.problems.length > 0) {
        throw rejected(`${SECRETS_CONF_KEY} is not valid`, conf.problems);
    }
    const secrets = await fetchSecrets(conf.refs, redactor);
    const envVars: EnvVar[] = [];
    const certFiles = new Map<string, Buffer>();
    const problems: string[] = [];
    for (const { ref, value } of secrets) {
        if (ref.kind === "file") {
            certFiles.set(ref.name, value);
            continue;
        }
        const why = envValueProblem(ref.name, value, ref.line);
        if (why) {
            problems.push(why);
        } else {
            envVars.push({ name: ref.name, value: value.toString("utf8"), line: ref.line });
        }
    }
    if (problems.length > 0) {
        throw rejected("secrets cannot be rendered", problems);
    }
    const desired = buildDesiredState(layout, { configFiles: snapshot.configFiles, environmentFile: renderEnvFile(envVars), certFiles });
    log.info("desired state rendered", { files: snapshot.configFiles.size, variables: envVars.length, certs: certFiles.size });
    return { desired, envVars };
}

export function envOf(vars: readonly EnvVar[]): Record<string, string> {
    return Object.fromEntries(vars.map((v) => [v.name, v.value]));
}
