// RSASSA-PKCS1-v1_5 and RSASSA-PSS verification in AssemblyScript (RS256..PS512): Wycheproof, the
// RFC 7520 examples, node:crypto on random keys, and mutated inputs that must neither verify nor trap;
// all of it for the default build (wasm SIMD) and for the build without SIMD, whose limb products differ.

import { constants, generateKeyPairSync, randomBytes, sign, type KeyObject } from "node:crypto";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { scalarLibrary } from "./scalar-library.js";
import { library } from "./support.js";

type Verify = (hash: number, n: Uint8Array, e: Uint8Array, message: Uint8Array, signature: Uint8Array) => boolean;
type Prepared = (hash: number, message: Uint8Array, signature: Uint8Array) => boolean;
interface Rsa {
  pkcs1: Verify;
  pss: Verify;
  prepare: (n: Uint8Array, e: Uint8Array) => boolean;
  preparedPkcs1: Prepared;
  preparedPss: Prepared;
}
const BUILDS: [string, Rsa][] = [
  ["default", await library<Rsa>("rsa")],
  ["scalar", await scalarLibrary<Rsa>("rsa")],
];

const HASHES = ["SHA-256", "SHA-384", "SHA-512"];
const HASH_LENGTHS = [32, 48, 64];
const NODE_HASHES = ["sha256", "sha384", "sha512"];
const VECTORS = join("test", "vectors");
const hex = (text: string) => Buffer.from(text, "hex");
const b64u = (text: string) => Buffer.from(text, "base64url");

interface WycheproofFile {
  testGroups: {
    sha: string;
    mgf?: string;
    mgfSha?: string;
    sLen?: number;
    publicKey: { modulus: string; publicExponent: string };
    tests: { tcId: number; comment: string; msg: string; sig: string; result: "valid" | "invalid" | "acceptable" }[];
  }[];
}

function wycheproof(file: string): WycheproofFile {
  return JSON.parse(readFileSync(join(VECTORS, "wycheproof", file), "utf8")) as WycheproofFile;
}

// Runs every group of `file` that `applies` (else logs why not) and prints the per-file counts.
function runWycheproof(file: string, verify: Verify, applies: (group: WycheproofFile["testGroups"][0]) => string) {
  const counts = { valid: 0, invalid: 0, acceptable: 0 };
  for (const group of wycheproof(file).testGroups) {
    const skip = applies(group);
    if (skip) {
      console.log(`${file}: group skipped, ${skip}`);
      continue;
    }
    const hash = HASHES.indexOf(group.sha);
    const n = hex(group.publicKey.modulus);
    const e = hex(group.publicKey.publicExponent);
    for (const test of group.tests) {
      const verified = verify(hash, n, e, hex(test.msg), hex(test.sig));
      if (test.result !== "acceptable") {
        expect(verified, `tcId ${test.tcId} ${test.comment}`).toBe(test.result === "valid");
      }
      counts[test.result]++;
    }
  }
  console.log(`${file}: ${counts.valid} valid ok, ${counts.invalid} invalid rejected, ${counts.acceptable} acceptable`);
  expect(counts.valid + counts.invalid).toBeGreaterThan(0);
}

interface Key {
  bits: number;
  privateKey: KeyObject;
  n: Buffer;
  e: Buffer;
}

function newKey(bits: number, publicExponent = 65537): Key {
  const { publicKey, privateKey } = generateKeyPairSync("rsa", { modulusLength: bits, publicExponent });
  const jwk = publicKey.export({ format: "jwk" });
  return { bits, privateKey, n: b64u(jwk.n!), e: b64u(jwk.e!) };
}

const signPkcs1 = (key: Key, hash: number, message: Uint8Array) => sign(NODE_HASHES[hash]!, message, key.privateKey);
const signPss = (key: Key, hash: number, message: Uint8Array) =>
  sign(NODE_HASHES[hash]!, message, {
    key: key.privateKey,
    padding: constants.RSA_PKCS1_PSS_PADDING,
    saltLength: HASH_LENGTHS[hash]!,
  });

const keys = [newKey(2048), newKey(2048, 3), newKey(2049), newKey(3072), newKey(2056)];

describe.each(BUILDS)("%s build", (_build, rsa) => {
  describe("Wycheproof", () => {
    const sizes = [2048, 3072, 4096];
    it.each(
      sizes.flatMap((bits) => ["sha256", "sha384", "sha512"].map((sha) => `rsa_signature_${bits}_${sha}_test.json`)),
    )("RSASSA-PKCS1-v1_5 %s: valid verify, invalid are rejected", (file) =>
      runWycheproof(file, rsa.pkcs1, (group) => (HASHES.includes(group.sha) ? "" : `hash ${group.sha}`)),
    );

    const pssFiles = [
      "rsa_pss_2048_sha256_mgf1_32_test.json",
      "rsa_pss_3072_sha256_mgf1_32_test.json",
      "rsa_pss_4096_sha256_mgf1_32_test.json",
      "rsa_pss_4096_sha384_mgf1_48_test.json",
      "rsa_pss_4096_sha512_mgf1_64_test.json",
    ];
    // JWA (RFC 7518 3.5) fixes MGF1 with the message hash and a salt as long as the hash.
    it.each(pssFiles)("RSASSA-PSS %s: valid verify, invalid are rejected", (file) =>
      runWycheproof(file, rsa.pss, (group) => {
        const hash = HASHES.indexOf(group.sha);
        if (hash < 0) return `hash ${group.sha} is not a JWA hash`;
        if (group.mgf !== "MGF1" || group.mgfSha !== group.sha)
          return `${group.mgf} ${group.mgfSha} is not MGF1 over ${group.sha}`;
        return group.sLen === HASH_LENGTHS[hash] ? "" : `salt length ${group.sLen} is not the hash length`;
      }),
    );
  });

  describe("RFC 7520", () => {
    const key = JSON.parse(readFileSync(join(VECTORS, "jose-cookbook", "jwk", "3_3.rsa_public_key.json"), "utf8")) as {
      n: string;
      e: string;
    };
    const example = (file: string) =>
      (
        JSON.parse(readFileSync(join(VECTORS, "jose-cookbook", "jws", file), "utf8")) as {
          output: { compact: string };
        }
      ).output.compact.split(".");

    it("verifies the 4.1 RS256 example and rejects it as PS256 or with another payload", () => {
      const [header, payload, signature] = example("4_1.rsa_v15_signature.json");
      const input = Buffer.from(`${header}.${payload}`);
      expect(rsa.pkcs1(0, b64u(key.n), b64u(key.e), input, b64u(signature!))).toBe(true);
      expect(rsa.pss(0, b64u(key.n), b64u(key.e), input, b64u(signature!))).toBe(false);
      expect(rsa.pkcs1(0, b64u(key.n), b64u(key.e), Buffer.from(`${header}.`), b64u(signature!))).toBe(false);
    });

    it("verifies the 4.2 PS384 example and rejects it under PS256 or PS512", () => {
      const [header, payload, signature] = example("4_2.rsa-pss_signature.json");
      const input = Buffer.from(`${header}.${payload}`);
      expect(rsa.pss(1, b64u(key.n), b64u(key.e), input, b64u(signature!))).toBe(true);
      expect(rsa.pss(0, b64u(key.n), b64u(key.e), input, b64u(signature!))).toBe(false);
      expect(rsa.pss(2, b64u(key.n), b64u(key.e), input, b64u(signature!))).toBe(false);
    });
  });

  describe("agreement with node:crypto", () => {
    it("verifies OpenSSL's PKCS1 and PSS signatures over random messages, for every hash and key size", () => {
      for (const key of keys) {
        for (let hash = 0; hash < 3; hash++) {
          for (const length of [0, 1, 55, 64, 300, 1000]) {
            const message = randomBytes(length);
            const label = `${key.bits} bits, hash ${hash}, ${length} bytes`;
            expect(rsa.pkcs1(hash, key.n, key.e, message, signPkcs1(key, hash, message)), label).toBe(true);
            expect(rsa.pss(hash, key.n, key.e, message, signPss(key, hash, message)), label).toBe(true);
            expect(rsa.pkcs1(hash, key.n, key.e, message, signPss(key, hash, message)), label).toBe(false);
            expect(rsa.pss(hash, key.n, key.e, message, signPkcs1(key, hash, message)), label).toBe(false);
          }
        }
      }
    });

    it("rejects a PSS signature whose salt is not the hash length", () => {
      const key = keys[0]!;
      const message = randomBytes(100);
      for (const saltLength of [0, 20, 48]) {
        const signature = sign("sha256", message, {
          key: key.privateKey,
          padding: constants.RSA_PKCS1_PSS_PADDING,
          saltLength,
        });
        expect(rsa.pss(0, key.n, key.e, message, signature), `salt ${saltLength}`).toBe(false);
      }
    });

    it("verifies with a key prepared once, and fails closed after a bad key is prepared", () => {
      const key = keys[3]!;
      const message = randomBytes(200);
      expect(rsa.prepare(key.n, key.e)).toBe(true);
      expect(rsa.preparedPkcs1(2, message, signPkcs1(key, 2, message))).toBe(true);
      expect(rsa.preparedPss(1, message, signPss(key, 1, message))).toBe(true);
      expect(rsa.preparedPss(1, message, signPss(key, 0, message))).toBe(false);
      expect(rsa.prepare(key.n, Buffer.from([2]))).toBe(false);
      expect(rsa.preparedPkcs1(2, message, signPkcs1(key, 2, message))).toBe(false);
    });
  });

  describe("key and signature checks (RFC 8017 8.2.2 step 1, RFC 7518 3.3)", () => {
    const key = keys[0]!;
    const message = Buffer.from("payload");
    const signature = signPkcs1(key, 0, message);

    it("rejects moduli under 2048 bits even with a valid signature", () => {
      const small = newKey(1024);
      expect(rsa.pkcs1(0, small.n, small.e, message, signPkcs1(small, 0, message))).toBe(false);
    });

    it("ignores leading zero bytes of n and e (ASN.1 integers carry one)", () => {
      const n = Buffer.concat([Buffer.from([0]), key.n]);
      const e = Buffer.concat([Buffer.from([0, 0]), key.e]);
      expect(rsa.pkcs1(0, n, e, message, signature)).toBe(true);
    });

    it("rejects even moduli, and exponents that are even, below 3 or over 32 bits", () => {
      const even = Buffer.from(key.n);
      even[even.length - 1]! &= 0xfe;
      expect(rsa.pkcs1(0, even, key.e, message, signature)).toBe(false);
      for (const e of [[], [0], [1], [2], [1, 0, 0], [1, 0, 0, 0, 1]]) {
        expect(rsa.pkcs1(0, key.n, Buffer.from(e), message, signature), `e = ${e.join(",")}`).toBe(false);
      }
    });

    it("rejects signatures of the wrong length, and signatures not less than n", () => {
      expect(rsa.pkcs1(0, key.n, key.e, message, Buffer.concat([Buffer.from([0]), signature]))).toBe(false);
      expect(rsa.pkcs1(0, key.n, key.e, message, signature.subarray(1))).toBe(false);
      expect(rsa.pkcs1(0, key.n, key.e, message, key.n)).toBe(false);
      expect(rsa.pkcs1(0, key.n, key.e, message, Buffer.alloc(key.n.length, 0xff))).toBe(false);
      expect(rsa.pkcs1(0, key.n, key.e, message, Buffer.alloc(key.n.length))).toBe(false);
    });
  });

  // A trap surfaces as a thrown WebAssembly.RuntimeError, so calling directly is the assertion.
  describe("malformed input (fast-check)", () => {
    const key = keys[0]!;
    const message = Buffer.from("eyJhbGciOiJSUzI1NiJ9.eyJzdWIiOiIxMjM0NTY3ODkwIn0");
    const hash = fc.integer({ min: 0, max: 2 });
    const mutation = fc.record({
      index: fc.nat(),
      xor: fc.integer({ min: 1, max: 255 }),
      cut: fc.integer({ min: -3, max: 3 }),
    });
    const mutate = (bytes: Uint8Array, m: { index: number; xor: number; cut: number }) => {
      const out = Buffer.from(bytes);
      out[m.index % out.length]! ^= m.xor;
      return m.cut < 0 ? out.subarray(0, out.length + m.cut) : Buffer.concat([out, Buffer.alloc(m.cut)]);
    };

    it("never verifies a mutated signature", () => {
      fc.assert(
        fc.property(hash, mutation, (h, m) => {
          expect(rsa.pkcs1(h, key.n, key.e, message, mutate(signPkcs1(key, h, message), m))).toBe(false);
          expect(rsa.pss(h, key.n, key.e, message, mutate(signPss(key, h, message), m))).toBe(false);
        }),
        { numRuns: 150 },
      );
    });

    it("never verifies under a mutated modulus or exponent, and never traps", () => {
      const signature = signPkcs1(key, 0, message);
      const pss = signPss(key, 0, message);
      fc.assert(
        fc.property(mutation, fc.uint8Array({ maxLength: 6 }), (m, e) => {
          expect(rsa.pkcs1(0, mutate(key.n, m), key.e, message, signature)).toBe(false);
          expect(rsa.pss(0, mutate(key.n, m), key.e, message, pss)).toBe(false);
          const same = BigInt(`0x0${Buffer.from(e).toString("hex")}`) === 65537n;
          expect(rsa.pkcs1(0, key.n, e, message, signature)).toBe(same);
          expect(rsa.pss(0, key.n, e, message, pss)).toBe(same);
        }),
        { numRuns: 150 },
      );
    });

    it("returns false without trapping on random keys, signatures and hash ids", () => {
      fc.assert(
        fc.property(
          fc.integer({ min: -1, max: 5 }),
          fc.uint8Array({ maxLength: 600 }),
          fc.uint8Array({ maxLength: 5 }),
          fc.uint8Array({ maxLength: 600 }),
          (h, n, e, signature) => {
            expect(rsa.pkcs1(h, n, e, message, signature)).toBe(false);
            expect(rsa.pss(h, n, e, message, signature)).toBe(false);
          },
        ),
        { numRuns: 200 },
      );
    });

    it("returns false without trapping on random signatures of the right length, under a real key", () => {
      fc.assert(
        fc.property(hash, fc.uint8Array({ minLength: 256, maxLength: 256 }), (h, signature) => {
          expect(rsa.pkcs1(h, key.n, key.e, message, signature)).toBe(false);
          expect(rsa.pss(h, key.n, key.e, message, signature)).toBe(false);
        }),
        { numRuns: 200 },
      );
    });
  });
});
