// Components check their arguments and name them (`objectLockDays`); an operator sets config keys
// (`org-logging:archive.objectLockDays`). The program runs a component's own check on the arguments
// it builds from config before it constructs the component, and reports the problems with the
// config keys, so the message names what to edit and says when a value is the component's default.
import * as pulumi from "@pulumi/pulumi";
import { CONFIG_NAMESPACE, StackConfigError, stackConfigSource } from "./config";

/** The config key of one component argument, and whether the stack's config sets it. */
export interface ConfigKey {
    key: string;
    set: boolean;
}

/**
 * The problems of a component's check (`Component: problem; problem.`) in terms of config keys:
 * `` `objectLockDays` (400) is longer than `logRetentionDays` (365), ...`` becomes
 * `org-logging:archive.objectLockDays: 400 is longer than org-logging:archive.logRetentionDays (365), ...`,
 * and a value the config leaves unset reads `2557 (unset: the default)` or `(2557, unset: the default)`. Only problems that
 * name a config-driven argument are returned; the others are the program's own mistakes.
 */
export function configKeyProblems(message: string, keys: Record<string, ConfigKey>): { translated: string[]; other: string[] } {
    // One problem per line (`Component: problem.`), or several on one line joined by "; ".
    const problems = message.split("\n").flatMap((line) =>
        line
            .replace(/^[A-Z]\w*: /, "")
            .replace(/\.$/, "")
            .split(/; (?=`)/),
    );
    const translated: string[] = [];
    const other: string[] = [];
    for (const problem of problems) {
        const mentioned = [...problem.matchAll(/`(\w+)`/g)].map((m) => m[1]).filter((arg) => keys[arg]);
        if (mentioned.length === 0) {
            other.push(problem);
            continue;
        }
        // Lead with the key and its value: `org-logging:archive.objectLockDays: 400 is longer ...`.
        let text = problem.replace(/^`(\w+)` \(([^()]*)\) /, (whole, arg: string, value: string) => {
            const key = keys[arg];
            return key ? `${key.key}: ${value}${key.set ? "" : " (unset: the default)"} ` : whole;
        });
        text = text.replace(/`(\w+)` \(([^()]*)\)/g, (whole, arg: string, value: string) => {
            const key = keys[arg];
            return key ? `${key.key} (${value}${key.set ? "" : ", unset: the default"})` : whole;
        });
        text = text.replace(/`(\w+)`/g, (whole, arg: string) => keys[arg]?.key ?? whole);
        translated.push(text);
    }
    return { translated, other };
}

/**
 * Runs `validate` (a component's `validate<Name>Args` on the arguments built from config) and
 * throws the problems about config-driven arguments as config problems (one per line, naming the
 * stack file and the keys), before the component is constructed. Other problems are left to the
 * component, which reports them itself.
 */
export function checkConfigDrivenArgs(validate: () => void, keys: Record<string, ConfigKey>): void {
    try {
        validate();
    } catch (err) {
        const message = (err as Error).message;
        const { translated, other } = configKeyProblems(message, keys);
        if (translated.length > 0) {
            const component = /^([A-Z]\w*): /.exec(message)?.[1];
            const problems = [...translated, ...other.map((problem) => (component ? `${component}: ${problem}` : problem))];
            // RunError prints its message without a stack trace in `pulumi preview`/`up`.
            throw new pulumi.RunError(new StackConfigError(stackConfigSource(), problems).message);
        }
    }
}

/** `{objectLockDays: {key: "org-logging:archive.objectLockDays", set: true}, ...}` for the fields of one config object. */
export function keysOf(prefix: string, fields: readonly string[], values: Record<string, unknown> | undefined): Record<string, ConfigKey> {
    return Object.fromEntries(
        fields.map((field) => [field, { key: `${CONFIG_NAMESPACE}:${prefix}${field}`, set: values?.[field] !== undefined }]),
    );
}
