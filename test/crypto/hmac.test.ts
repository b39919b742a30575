// HMAC-SHA-256/384/512 in AssemblyScript: the Wycheproof MAC vectors, JWA's key and tag length
// rules for HS256/HS384/HS512 (RFC 7518 section 3.2), and agreement with node:crypto on random
// keys and messages, where no input traps and no altered tag verifies.

import { createHmac } from "node:crypto";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { library } from "./support.js";

interface Hmac {
  hmac(algorithm: number, key: Uint8Array, message: Uint8Array): Uint8Array;
  verifyHmac(algorithm: number, key: Uint8Array, message: Uint8Array, signature: Uint8Array): boolean;
  equal(a: Uint8Array, b: Uint8Array): boolean;
}

interface MacTest {
  tcId: number;
  comment: string;
  key: string;
  msg: string;
  tag: string;
  result: "valid" | "invalid" | "acceptable";
}

interface MacFile {
  testGroups: { tagSize: number; tests: MacTest[] }[];
}

const lib = await library<Hmac>("hmac");
const bytes = (hex: string) => new Uint8Array(Buffer.from(hex, "hex"));
const sizes = [256, 384, 512] as const;

describe.each(sizes)("HMAC-SHA-%i", (size) => {
  const length = size / 8;
  const file = `hmac_sha${size}_test.json`;

  it(`verifies every valid and rejects every invalid case of Wycheproof ${file}`, () => {
    const vectors = JSON.parse(readFileSync(join("test", "vectors", "wycheproof", file), "utf8")) as MacFile;
    const counts = { valid: 0, invalid: 0, acceptable: 0, nonJws: 0 };
    for (const group of vectors.testGroups) {
      for (const test of group.tests) {
        const key = bytes(test.key);
        const msg = bytes(test.msg);
        const tag = bytes(test.tag);
        const where = `tcId ${test.tcId} (${test.comment})`;
        const computed = lib.hmac(size, key, msg).subarray(0, tag.length);
        const matches = lib.equal(computed, tag);
        const verified = lib.verifyHmac(size, key, msg, tag);
        const jws = group.tagSize === size && key.length >= length;
        if (!jws) {
          // Truncated tags and keys shorter than the hash are plain HMAC, never a JWS MAC.
          expect(verified, where).toBe(false);
          counts.nonJws++;
        } else {
          expect(verified, where).toBe(matches);
        }
        if (test.result === "valid") {
          expect(matches, where).toBe(true);
          counts.valid++;
        } else if (test.result === "invalid") {
          expect(matches || verified, where).toBe(false);
          counts.invalid++;
        } else {
          counts.acceptable++;
        }
      }
    }
    console.log(
      `${file}: ${counts.valid} valid ok, ${counts.invalid} invalid rejected, ${counts.acceptable} acceptable ` +
        `(${counts.nonJws} with a truncated tag or short key: MAC checked, verifyHmac rejects them per RFC 7518 3.2)`,
    );
    expect(counts.valid + counts.invalid).toBeGreaterThan(100);
  });

  it("rejects a key one byte shorter than the hash output and accepts one of exactly its length (RFC 7518 3.2)", () => {
    const msg = new TextEncoder().encode("eyJhbGciOiJIUzI1NiJ9.e30");
    const exact = new Uint8Array(length).fill(7);
    const short = exact.subarray(1);
    expect(lib.verifyHmac(size, exact, msg, createHmac(`sha${size}`, exact).update(msg).digest())).toBe(true);
    expect(lib.verifyHmac(size, short, msg, createHmac(`sha${size}`, short).update(msg).digest())).toBe(false);
  });

  it("rejects truncated, extended and empty signatures", () => {
    const key = new Uint8Array(length + 5).fill(1);
    const msg = new TextEncoder().encode("payload");
    const tag = new Uint8Array(createHmac(`sha${size}`, key).update(msg).digest());
    expect(lib.verifyHmac(size, key, msg, tag)).toBe(true);
    expect(lib.verifyHmac(size, key, msg, tag.subarray(0, length - 1))).toBe(false);
    expect(lib.verifyHmac(size, key, msg, new Uint8Array([...tag, 0]))).toBe(false);
    expect(lib.verifyHmac(size, key, msg, new Uint8Array(0))).toBe(false);
  });

  it("agrees with node:crypto on random keys (0 to 300 bytes) and messages (0 to 600 bytes)", () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 300 }), fc.uint8Array({ maxLength: 600 }), (key, msg) => {
        const expected = createHmac(`sha${size}`, key).update(msg).digest("hex");
        expect(Buffer.from(lib.hmac(size, key, msg)).toString("hex")).toBe(expected);
        expect(lib.verifyHmac(size, key, msg, Buffer.from(expected, "hex"))).toBe(key.length >= length);
      }),
      { numRuns: 300 },
    );
  });

  it("rejects every mutated signature, message or key without trapping", () => {
    fc.assert(
      fc.property(
        fc.uint8Array({ minLength: length, maxLength: 200 }),
        fc.uint8Array({ maxLength: 400 }),
        fc.nat(),
        fc.integer({ min: 1, max: 255 }),
        fc.constantFrom("signature", "message", "key"),
        (key, msg, position, flip, target) => {
          const tag = new Uint8Array(createHmac(`sha${size}`, key).update(msg).digest());
          const victim = target === "signature" ? tag : target === "message" ? msg : key;
          fc.pre(victim.length > 0);
          victim[position % victim.length]! ^= flip;
          expect(lib.verifyHmac(size, key, msg, tag)).toBe(false);
        },
      ),
      { numRuns: 300 },
    );
  });

  it("returns false for random signatures of any length without trapping", () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 100 }), fc.uint8Array({ maxLength: 200 }), fc.uint8Array(), (k, m, s) => {
        expect(lib.verifyHmac(size, k, m, s)).toBe(false);
      }),
      { numRuns: 300 },
    );
  });
});

describe("constantTimeEqual", () => {
  it("is true only for equal bytes of equal length, at every length and difference position", () => {
    for (let n = 0; n <= 40; n++) {
      const a = new Uint8Array(n).map((_, i) => i * 7);
      expect(lib.equal(a, a.slice())).toBe(true);
      expect(lib.equal(a, new Uint8Array([...a, 0]))).toBe(false);
      for (let i = 0; i < n; i++) {
        const b = a.slice();
        b[i]! ^= 0x80;
        expect(lib.equal(a, b), `length ${n}, byte ${i}`).toBe(false);
      }
    }
  });
});
