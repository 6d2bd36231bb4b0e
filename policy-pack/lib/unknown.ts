// Values a preview cannot know yet. The Pulumi CLI hands rules props wrapped in
// `unknownCheckingProxy` (@pulumi/policy/proxy.js): reading an unknown value throws
// UnknownValueError, which the CLI reports as an advisory "can't run during preview" note. A rule
// that checks several things must not let one unknown value hide the others, and must never turn
// an unknown into a violation: these helpers read one value at a time and say "not known".

// The proxy module is internal to @pulumi/policy (no typings for these names), but it is the very
// module the analyzer uses, so `instanceof` holds.
const proxy = require("@pulumi/policy/proxy") as {
    UnknownValueError: new (...args: unknown[]) => Error;
    unknownBooleanValue: string;
    unknownNumberValue: string;
    unknownStringValue: string;
    unknownArrayValue: string;
    unknownAssetValue: string;
    unknownArchiveValue: string;
    unknownObjectValue: string;
};

/** Marks a value that is not known during a preview. */
export const UNKNOWN: unique symbol = Symbol("unknown during preview");
export type Known<T> = T | typeof UNKNOWN;

const SENTINELS = [
    proxy.unknownBooleanValue,
    proxy.unknownNumberValue,
    proxy.unknownStringValue,
    proxy.unknownArrayValue,
    proxy.unknownAssetValue,
    proxy.unknownArchiveValue,
    proxy.unknownObjectValue,
];

/** Thrown by plainCopy when a raw (unproxied) value embeds a sentinel. */
class EmbeddedUnknown extends Error {}

/** The analyzer's error for reading an unknown value (or ours for an embedded sentinel). */
function isUnknownValueError(err: unknown): boolean {
    return err instanceof proxy.UnknownValueError || err instanceof EmbeddedUnknown;
}

/** A raw sentinel, or a string that embeds one (text built from an unknown value). */
export function isSentinel(value: unknown): boolean {
    return typeof value === "string" && SENTINELS.some((s) => value.includes(s));
}

/** Reads a value; UNKNOWN when the read touches a value the preview cannot know. */
export function known<T>(read: () => T): Known<T> {
    try {
        const value = read();
        return isSentinel(value) ? UNKNOWN : value;
    } catch (err) {
        if (isUnknownValueError(err)) {
            return UNKNOWN;
        }
        throw err;
    }
}

/**
 * A deep plain copy of a (proxied) value, or UNKNOWN when any part of it is unknown. Use it for
 * values that are judged as a whole, such as one policy statement or one container definition.
 */
export function plainCopy(value: unknown): Known<unknown> {
    return known(() => copy(value));
}

function copy(value: unknown): unknown {
    if (isSentinel(value)) {
        throw new EmbeddedUnknown();
    }
    if (Array.isArray(value)) {
        return value.map(copy);
    }
    if (value && typeof value === "object") {
        const out: Record<string, unknown> = {};
        for (const key of Object.keys(value)) {
            out[key] = copy((value as Record<string, unknown>)[key]);
        }
        return out;
    }
    return value;
}

/**
 * Runs one check and swallows an unknown read inside it: that check cannot be judged during the
 * preview, the others still run. Returns false when the check was skipped.
 */
export function judge(check: () => void): boolean {
    try {
        check();
        return true;
    } catch (err) {
        if (isUnknownValueError(err)) {
            return false;
        }
        throw err;
    }
}
