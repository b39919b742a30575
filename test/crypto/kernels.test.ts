// The generated P-256 kernels: the committed files are exactly what scripts/generate-crypto-kernels.ts
// produces, and each kernel agrees with BigInt arithmetic on edge values and random operands.

import { readFileSync } from "node:fs";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { generateCryptoKernels } from "../../scripts/generate-crypto-kernels.js";
import { library } from "./support.js";

const kernels = await library<{ apply(op: number, a: Uint8Array, b: Uint8Array): Uint8Array }>("p256-kernels");

const P = 2n ** 256n - 2n ** 224n + 2n ** 192n + 2n ** 96n - 1n;
const N = 0xffffffff00000000ffffffffffffffffbce6faada7179e84f3b9cac2fc632551n;

function power(base: bigint, exponent: bigint, modulus: bigint): bigint {
  let result = 1n;
  for (let b = base % modulus, e = exponent; e > 0n; e >>= 1n, b = (b * b) % modulus) {
    if (e & 1n) result = (result * b) % modulus;
  }
  return result;
}

// Little-endian limbs of `bits` bits, one per u32, and back.
function toLimbs(value: bigint, bits: number, count: number): Uint8Array {
  const out = Buffer.alloc(4 * count);
  for (let i = 0; i < count; i++)
    out.writeUInt32LE(Number((value >> BigInt(bits * i)) & ((1n << BigInt(bits)) - 1n)), 4 * i);
  return out;
}
function fromLimbs(bytes: Uint8Array, bits: number): bigint {
  let value = 0n;
  for (let i = bytes.length / 4 - 1; i >= 0; i--) {
    value = (value << BigInt(bits)) | BigInt(Buffer.from(bytes).readUInt32LE(4 * i));
  }
  return value;
}

const P_R_INVERSE = power(2n ** 261n, P - 2n, P);
const N_R_INVERSE = power(2n ** 256n, N - 2n, N);

interface Op {
  name: string;
  op: number;
  modulus: bigint;
  expected: (a: bigint, b: bigint) => bigint;
  // The range of b (the small multiplier's is 0 to 8).
  b?: bigint;
}

const OPS: Op[] = [
  { name: "a * b / 2^261 mod p", op: 0, modulus: P, expected: (a, b) => (a * b * P_R_INVERSE) % P },
  { name: "a^2 / 2^261 mod p", op: 1, modulus: P, expected: (a) => (a * a * P_R_INVERSE) % P },
  { name: "a + b mod p", op: 2, modulus: P, expected: (a, b) => (a + b) % P },
  { name: "a - b mod p", op: 3, modulus: P, expected: (a, b) => (((a - b) % P) + P) % P },
  { name: "k * a mod p", op: 4, modulus: P, expected: (a, k) => (k * a) % P, b: 9n },
  { name: "a * b / 2^256 mod n", op: 5, modulus: N, expected: (a, b) => (a * b * N_R_INVERSE) % N },
  { name: "a^2 / 2^256 mod n", op: 6, modulus: N, expected: (a) => (a * a * N_R_INVERSE) % N },
];

describe("generated P-256 kernels", () => {
  it("are the committed files, unchanged since npm run generate:crypto", async () => {
    for (const [path, content] of await generateCryptoKernels()) {
      expect(readFileSync(path, "utf8"), path).toBe(content);
    }
  });

  it.each(OPS)("computes $name on edge values and random reduced operands", ({ op, modulus, expected, b }) => {
    const [bits, count] = op < 5 ? [29, 9] : [32, 8];
    const bBound = b ?? modulus;
    const check = (x: bigint, y: bigint) => {
      const result = kernels.apply(op, toLimbs(x, bits, count), toLimbs(y, bits, count));
      expect(fromLimbs(result, bits), `a=${x} b=${y}`).toBe(expected(x, y));
    };
    const edges = [0n, 1n, 2n, 3n, 8n, 2n ** 224n, 2n ** 255n, modulus - 2n, modulus - 1n, 2n ** 256n - 2n ** 224n];
    for (const x of edges.filter((e) => e < modulus)) {
      for (const y of edges.filter((e) => e < bBound)) check(x, y);
    }
    fc.assert(fc.property(fc.bigInt({ min: 0n, max: modulus - 1n }), fc.bigInt({ min: 0n, max: bBound - 1n }), check), {
      numRuns: 2000,
    });
  });
});
