import * as assert from "assert";
import { isIpv4Cidr, isNetworkAddress, prefixLength, subnetCidr } from "../../../components/internal/cidr";

describe("cidr helpers", () => {
    const wellFormed: [unknown, boolean][] = [
        ["10.0.0.0/8", true],
        ["0.0.0.0/0", true],
        ["255.255.255.255/32", true],
        ["192.168.1.0/24", true],
        ["10.0.0.0/33", false],
        ["256.0.0.0/8", false],
        ["10.0.0/8", false],
        ["10.0.0.0", false],
        [" 10.0.0.0/8", false],
        ["10.0.0.0/08x", false],
        [42, false],
        [undefined, false],
    ];
    for (const [value, expected] of wellFormed) {
        it(`isIpv4Cidr(${JSON.stringify(value)}) is ${expected}`, () => assert.strictEqual(isIpv4Cidr(value), expected));
    }

    const network: [string, boolean][] = [
        ["10.0.0.0/8", true],
        ["10.0.0.1/8", false],
        ["0.0.0.0/0", true],
        ["1.0.0.0/0", false],
        ["10.64.32.0/19", true],
        ["10.64.48.0/19", false],
        ["10.1.2.3/32", true],
    ];
    for (const [cidr, expected] of network) {
        it(`isNetworkAddress(${cidr}) is ${expected}`, () => assert.strictEqual(isNetworkAddress(cidr), expected));
    }

    it("reads the prefix length", () => assert.deepStrictEqual(["10.0.0.0/8", "0.0.0.0/0", "1.2.3.4/32"].map(prefixLength), [8, 0, 32]));

    const subnets: [string, number, number, string][] = [
        ["10.64.0.0/16", 3, 0, "10.64.0.0/19"],
        ["10.64.0.0/16", 3, 1, "10.64.32.0/19"],
        ["10.64.0.0/16", 3, 7, "10.64.224.0/19"],
        ["10.0.0.0/8", 8, 255, "10.255.0.0/16"],
        ["192.168.0.0/24", 8, 3, "192.168.0.3/32"],
    ];
    for (const [base, bits, index, expected] of subnets) {
        it(`subnetCidr(${base}, ${bits}, ${index}) is ${expected}`, () => assert.strictEqual(subnetCidr(base, bits, index), expected));
    }

    it("refuses a subnet past the base block or the address width", () => {
        assert.throws(() => subnetCidr("10.64.0.0/16", 3, 8), /cannot take subnet 8 of 10.64.0.0\/16 with 3 more bits/);
        assert.throws(() => subnetCidr("10.0.0.0/30", 3, 0), /cannot take subnet 0 of 10.0.0.0\/30 with 3 more bits/);
        assert.throws(() => subnetCidr("10.0.0.0/16", 2, -1), /cannot take subnet -1/);
    });
});
