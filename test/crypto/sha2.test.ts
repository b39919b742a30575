// SHA-256, SHA-384 and SHA-512 in AssemblyScript, compared with node:crypto (OpenSSL) on the
// FIPS 180-4 examples and on random inputs of every length around the block boundaries.

import { createHash, randomBytes } from "node:crypto";
import { describe, expect, it } from "vitest";
import { library } from "./support.js";

type Hash = (data: Uint8Array) => Uint8Array;
const sha2 = await library<Record<"sha256" | "sha384" | "sha512", Hash>>("sha2");
const algorithms: [name: "sha256" | "sha384" | "sha512", fn: Hash][] = [
  ["sha256", sha2.sha256],
  ["sha384", sha2.sha384],
  ["sha512", sha2.sha512],
];
const hex = (bytes: Uint8Array) => Buffer.from(bytes).toString("hex");

describe.each(algorithms)("%s", (name, hash) => {
  it("hashes the FIPS 180-4 examples 'abc' and the empty string", () => {
    for (const text of ["abc", ""]) {
      expect(hex(hash(new TextEncoder().encode(text)))).toBe(createHash(name).update(text).digest("hex"));
    }
  });

  it("agrees with OpenSSL on random inputs of 0 to 300 bytes", () => {
    for (let length = 0; length <= 300; length++) {
      const data = randomBytes(length);
      expect(hex(hash(data)), `length ${length}`).toBe(createHash(name).update(data).digest("hex"));
    }
  });

  it("hashes a 1 MiB input", () => {
    const data = randomBytes(1 << 20);
    expect(hex(hash(data))).toBe(createHash(name).update(data).digest("hex"));
  });
});
