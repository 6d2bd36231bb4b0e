// manifest.json: the list of every file of a published snapshot with its SHA-256, written last by
// `publish` so that a collector never applies a half-published snapshot, optionally signed with KMS.
import * as crypto from "crypto";
import { z } from "zod";
import { rejected } from "./result";

export const MANIFEST_KEY = "manifest.json";
export const MANIFEST_FORMAT = "org-logging-manifest/1";
/** KMS SigningAlgorithmSpec for an ECC_NIST_P256 key: ECDSA over SHA-256, DER-encoded signature. */
export const SIGNING_ALGORITHM = "ECDSA_SHA_256";

const manifestSchema = z.strictObject({
    format: z.literal(MANIFEST_FORMAT),
    files: z.record(
        z.string(),
        z.strictObject({
            sha256: z.string().regex(/^[0-9a-f]{64}$/),
            size: z.number().int().min(0),
            /** The object's ETag when it was published: lets the next publish skip it without downloading. */
            etag: z.string().optional(),
        }),
    ),
    signature: z
        .strictObject({
            algorithm: z.literal(SIGNING_ALGORITHM),
            keyId: z.string().min(1),
            value: z.string().regex(/^[A-Za-z0-9+/]+={0,2}$/),
        })
        .optional(),
});

export type Manifest = z.infer<typeof manifestSchema>;
export type ManifestFiles = Manifest["files"];

export function sha256Hex(data: Buffer | string): string {
    return crypto.createHash("sha256").update(data).digest("hex");
}

export function parseManifest(text: string, where: string): Manifest {
    let raw: unknown;
    try {
        raw = JSON.parse(text);
    } catch (err) {
        throw rejected(`${where} is not JSON (${(err as Error).message})`);
    }
    const parsed = manifestSchema.safeParse(raw);
    if (!parsed.success) {
        throw rejected(
            `${where} is not an ${MANIFEST_FORMAT} manifest`,
            parsed.error.issues.map((i) => `${i.path.join(".") || "(root)"}: ${i.message}`),
        );
    }
    return parsed.data;
}

/** JSON with object keys sorted at every level and no whitespace: the bytes that are signed. */
export function canonicalJson(value: unknown): string {
    if (Array.isArray(value)) {
        return `[${value.map(canonicalJson).join(",")}]`;
    }
    if (value && typeof value === "object") {
        const entries = Object.entries(value as Record<string, unknown>)
            .filter(([, v]) => v !== undefined)
            .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
        return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonicalJson(v)}`).join(",")}}`;
    }
    return JSON.stringify(value);
}

/** What is signed: the manifest without its signature, canonicalised. */
export function signedBytes(m: Pick<Manifest, "format" | "files">): Buffer {
    return Buffer.from(canonicalJson({ format: m.format, files: m.files }), "utf8");
}

/**
 * Verifies the manifest's signature with a PEM public key (the KMS key's GetPublicKey, converted to PEM).
 * KMS signs SHA-256(signedBytes) with MessageType DIGEST, which is what `crypto.verify("sha256", ...)` checks.
 */
export function signatureProblem(m: Manifest, publicKeyPem: string, keyPath: string): string | undefined {
    if (!m.signature) {
        return `${MANIFEST_KEY} carries no signature`;
    }
    let key: crypto.KeyObject;
    try {
        key = crypto.createPublicKey(publicKeyPem);
    } catch (err) {
        return `${keyPath} is not a PEM public key (${(err as Error).message})`;
    }
    if (key.asymmetricKeyType !== "ec" || key.asymmetricKeyDetails?.namedCurve !== "prime256v1") {
        return `${keyPath} is not an ECC P-256 public key (got ${key.asymmetricKeyType} ${key.asymmetricKeyDetails?.namedCurve ?? ""})`;
    }
    const ok = crypto.verify("sha256", signedBytes(m), { key, dsaEncoding: "der" }, Buffer.from(m.signature.value, "base64"));
    return ok ? undefined : `${MANIFEST_KEY} signature (key ${m.signature.keyId}) does not verify with ${keyPath}`;
}

/** Every way the files present differ from the manifest, one sentence each. */
export function manifestMismatches(m: Manifest, present: ReadonlyMap<string, { sha256: string; size: number }>): string[] {
    const problems: string[] = [];
    for (const [key, file] of [...present].sort(([a], [b]) => (a < b ? -1 : 1))) {
        const listed = m.files[key];
        if (!listed) {
            problems.push(`${key}: present in the source but not in ${MANIFEST_KEY}`);
        } else if (listed.sha256 !== file.sha256 || listed.size !== file.size) {
            problems.push(`${key}: SHA-256 ${file.sha256.slice(0, 12)}… differs from ${MANIFEST_KEY} (${listed.sha256.slice(0, 12)}…)`);
        }
    }
    for (const key of Object.keys(m.files).sort()) {
        if (!present.has(key)) {
            problems.push(`${key}: listed in ${MANIFEST_KEY} but missing from the source`);
        }
    }
    return problems;
}
