// IPv4 CIDR arithmetic for subnet layouts and validation (pure, no Pulumi).

/** The block of every IPv4 address. */
export const ANY_IPV4 = "0.0.0.0/0";

const CIDR = /^((25[0-5]|2[0-4]\d|1?\d?\d)\.){3}(25[0-5]|2[0-4]\d|1?\d?\d)\/(3[0-2]|[12]?\d)$/;

/** True for a well-formed IPv4 CIDR block such as `10.0.0.0/8`. */
export function isIpv4Cidr(value: unknown): value is string {
    return typeof value === "string" && CIDR.test(value);
}

/** The prefix length of a well-formed CIDR block. */
export function prefixLength(cidr: string): number {
    return Number(cidr.split("/")[1]);
}

/** True when the block's address has no bits set beyond its prefix (`10.0.0.0/8`, not `10.0.0.1/8`). */
export function isNetworkAddress(cidr: string): boolean {
    const [address, bits] = cidr.split("/");
    const hostBits = 32 - Number(bits);
    return hostBits === 32 ? toNumber(address) === 0 : toNumber(address) % 2 ** hostBits === 0;
}

/**
 * The `index`-th subnet of `base` that is `newBits` longer (Terraform's `cidrsubnet`):
 * `subnetCidr("10.64.0.0/16", 3, 1)` is `10.64.32.0/19`.
 */
export function subnetCidr(base: string, newBits: number, index: number): string {
    const [address, bits] = base.split("/");
    const prefix = Number(bits) + newBits;
    if (prefix > 32 || index < 0 || index >= 2 ** newBits) {
        throw new Error(`cannot take subnet ${index} of ${base} with ${newBits} more bits`);
    }
    const start = toNumber(address) + index * 2 ** (32 - prefix);
    return `${toAddress(start)}/${prefix}`;
}

function toNumber(address: string): number {
    return address.split(".").reduce((n, octet) => n * 256 + Number(octet), 0);
}

function toAddress(n: number): string {
    return [24, 16, 8, 0].map((shift) => Math.floor(n / 2 ** shift) % 256).join(".");
}
