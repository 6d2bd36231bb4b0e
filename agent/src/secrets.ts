// Reads the secrets named in secrets.conf from Secrets Manager. Values are registered with the Redactor
// as soon as they arrive, and no message built here ever contains one.
import type { SecretsManagerClient } from "@aws-sdk/client-secrets-manager";
import { secretsManagerClient, secretsManagerSdk } from "./aws-clients";
import { Redactor } from "./redact";
import { errorName, rejected } from "./result";
import { SECRETS_CONF_KEY, SecretRef } from "./secrets-conf";

const LONE_SURROGATE = /[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/;

export interface SecretValue {
    readonly ref: SecretRef;
    readonly value: Buffer;
}

/** Fetches every secret (a few at a time); any unreadable secret rejects the run, all of them reported. */
export async function fetchSecrets(
    refs: readonly SecretRef[],
    redactor: Redactor,
    client: SecretsManagerClient = secretsManagerClient(),
): Promise<SecretValue[]> {
    const problems: string[] = [];
    const values: (SecretValue | undefined)[] = new Array(refs.length);
    const byArn = new Map<string, Promise<Buffer>>();
    const read = (arn: string): Promise<Buffer> => {
        let p = byArn.get(arn);
        if (!p) {
            p = client.send(new (secretsManagerSdk().GetSecretValueCommand)({ SecretId: arn })).then((res) => {
                if (res.SecretString !== undefined) {
                    redactor.add(res.SecretString);
                    // A lone UTF-16 surrogate cannot be written as UTF-8: the file would not hold the secret.
                    if (LONE_SURROGATE.test(res.SecretString)) {
                        throw Object.assign(new Error("not valid Unicode"), { name: "InvalidUnicodeSecret" });
                    }
                    return Buffer.from(res.SecretString, "utf8");
                }
                if (res.SecretBinary !== undefined) {
                    const buf = Buffer.from(res.SecretBinary);
                    redactor.add(buf.toString("utf8"));
                    return buf;
                }
                throw Object.assign(new Error("secret has no value"), { name: "EmptySecret" });
            });
            byArn.set(arn, p);
        }
        return p;
    };
    let next = 0;
    const worker = async (): Promise<void> => {
        while (next < refs.length) {
            const i = next++;
            const ref = refs[i];
            try {
                values[i] = { ref, value: await read(ref.arn) };
            } catch (err) {
                problems.push(
                    `${SECRETS_CONF_KEY}:${ref.line}: secret ${ref.arn} for ${ref.kind} ${JSON.stringify(ref.name)} could not be read (${errorName(err)}); check that it exists and that this host's role may read it`,
                );
            }
        }
    };
    await Promise.all(Array.from({ length: Math.min(4, refs.length) }, worker));
    if (problems.length > 0) {
        throw rejected("secrets could not be read", problems.sort());
    }
    return values as SecretValue[];
}
