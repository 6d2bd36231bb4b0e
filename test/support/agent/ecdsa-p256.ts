// ECDSA P-256 signing of a precomputed SHA-256 digest, as AWS KMS does for Sign with MessageType DIGEST.
// Node's crypto always hashes the input it signs, so the local KMS stand-in does the curve arithmetic itself
// (FIPS 186-4 / SEC 1). Signatures come out DER-encoded like KMS's and verify with crypto.verify("sha256").
import * as crypto from "crypto";

const P = 0xffffffff00000001000000000000000000000000ffffffffffffffffffffffffn;
const N = 0xffffffff00000000ffffffffffffffffbce6faada7179e84f3b9cac2fc632551n;
const A = P - 3n;
const G: Point = {
    x: 0x6b17d1f2e12c4247f8bce6e563a440f277037d812deb33a0f4a13945d898c296n,
    y: 0x4fe342e2fe1a7f9b8ee7eb4a7c0f9e162bce33576b315ececbb6406837bf51f5n,
};

interface Point {
    x: bigint;
    y: bigint;
}

function mod(a: bigint, m: bigint): bigint {
    const r = a % m;
    return r < 0n ? r + m : r;
}

function inv(a: bigint, m: bigint): bigint {
    let [oldR, r] = [mod(a, m), m];
    let [oldS, s] = [1n, 0n];
    while (r !== 0n) {
        const q = oldR / r;
        [oldR, r] = [r, oldR - q * r];
        [oldS, s] = [s, oldS - q * s];
    }
    return mod(oldS, m);
}

function add(p: Point | null, q: Point | null): Point | null {
    if (!p) {
        return q;
    }
    if (!q) {
        return p;
    }
    let l: bigint;
    if (p.x === q.x) {
        if (mod(p.y + q.y, P) === 0n) {
            return null;
        }
        l = mod((3n * p.x * p.x + A) * inv(2n * p.y, P), P);
    } else {
        l = mod((q.y - p.y) * inv(q.x - p.x, P), P);
    }
    const x = mod(l * l - p.x - q.x, P);
    return { x, y: mod(l * (p.x - x) - p.y, P) };
}

function multiply(k: bigint, p: Point): Point | null {
    let result: Point | null = null;
    let addend: Point | null = p;
    while (k > 0n) {
        if (k & 1n) {
            result = add(result, addend);
        }
        addend = add(addend, addend);
        k >>= 1n;
    }
    return result;
}

function derInteger(v: bigint): Buffer {
    let hex = v.toString(16);
    if (hex.length % 2) {
        hex = `0${hex}`;
    }
    let bytes = Buffer.from(hex, "hex");
    if (bytes[0] & 0x80) {
        bytes = Buffer.concat([Buffer.from([0]), bytes]);
    }
    return Buffer.concat([Buffer.from([0x02, bytes.length]), bytes]);
}

/** DER ECDSA signature of `digest` (32 bytes) with an EC P-256 private key. */
export function signDigest(privateKey: crypto.KeyObject, digest: Buffer): Buffer {
    const jwk = privateKey.export({ format: "jwk" });
    const d = BigInt(`0x${Buffer.from(jwk.d!, "base64url").toString("hex")}`);
    const z = BigInt(`0x${digest.toString("hex")}`);
    for (;;) {
        const k = mod(BigInt(`0x${crypto.randomBytes(32).toString("hex")}`), N);
        if (k === 0n) {
            continue;
        }
        const r = mod(multiply(k, G)!.x, N);
        const s = mod(inv(k, N) * (z + r * d), N);
        if (r === 0n || s === 0n) {
            continue;
        }
        const body = Buffer.concat([derInteger(r), derInteger(s)]);
        return Buffer.concat([Buffer.from([0x30, body.length]), body]);
    }
}
