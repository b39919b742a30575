// Ed25519 verification (JWS "EdDSA", RFC 8037) in AssemblyScript: the Wycheproof vectors, the
// RFC 8032 and RFC 8037 examples, the decoding rules of RFC 8032 5.1.3 and 5.1.7, and agreement
// with node:crypto on random keys and messages, where no input traps and no altered signature
// or key verifies.

import { generateKeyPairSync, type KeyObject, sign, verify } from "node:crypto";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { library } from "./support.js";

interface Ed25519 {
  memory: WebAssembly.Memory;
  verify(publicKey: Uint8Array, message: Uint8Array, signature: Uint8Array): boolean;
}

interface WycheproofFile {
  testGroups: {
    publicKey: { pk: string };
    tests: { tcId: number; comment: string; msg: string; sig: string; result: "valid" | "invalid" | "acceptable" }[];
  }[];
}

interface Rfc8032File {
  tests: { name: string; publicKey: string; message: string; signature: string }[];
}

const lib = await library<Ed25519>("ed25519");
const bytes = (hex: string) => new Uint8Array(Buffer.from(hex, "hex"));
const vectors = (...path: string[]) => JSON.parse(readFileSync(join("test", "vectors", ...path), "utf8")) as unknown;

const rawPublicKey = (key: KeyObject) =>
  new Uint8Array(Buffer.from(key.export({ format: "jwk" }).x ?? "", "base64url"));

// L, the order of the base point B, and encodings used below (32 bytes each, little-endian).
const ORDER = 2n ** 252n + 27742317777372353535851937790883648493n;
const BASE = "58" + "66".repeat(31);
const IDENTITY = "01" + "00".repeat(31);
const ONE = IDENTITY;
const ZERO = "00".repeat(32);

function littleEndian(value: bigint): string {
  return Buffer.from(value.toString(16).padStart(64, "0"), "hex").reverse().toString("hex");
}

describe("Ed25519 verification", () => {
  it("verifies every valid and rejects every invalid case of Wycheproof ed25519_test.json", () => {
    const file = vectors("wycheproof", "ed25519_test.json") as WycheproofFile;
    const counts = { valid: 0, invalid: 0, acceptable: 0 };
    for (const group of file.testGroups) {
      const key = bytes(group.publicKey.pk);
      for (const test of group.tests) {
        const verified = lib.verify(key, bytes(test.msg), bytes(test.sig));
        const where = `tcId ${test.tcId} (${test.comment})`;
        if (test.result === "acceptable") counts.acceptable++;
        else {
          expect(verified, where).toBe(test.result === "valid");
          counts[test.result]++;
        }
      }
    }
    console.log(
      `ed25519_test.json: ${counts.valid} valid ok, ${counts.invalid} invalid rejected, ${counts.acceptable} acceptable`,
    );
    expect(counts.valid + counts.invalid).toBe(151);
  });

  it("verifies RFC 8032 7.1 TEST 1 to 3 and rejects them with any one bit flipped", () => {
    const file = vectors("rfc8032", "ed25519.json") as Rfc8032File;
    for (const test of file.tests) {
      const key = bytes(test.publicKey);
      const message = bytes(test.message);
      const signature = bytes(test.signature);
      expect(lib.verify(key, message, signature), test.name).toBe(true);
      for (let bit = 0; bit < 512; bit++) {
        const altered = signature.slice();
        altered[bit >> 3]! ^= 1 << (bit & 7);
        expect(lib.verify(key, message, altered), `${test.name} signature bit ${bit}`).toBe(false);
      }
      for (let bit = 0; bit < 256; bit++) {
        const altered = key.slice();
        altered[bit >> 3]! ^= 1 << (bit & 7);
        expect(lib.verify(altered, message, signature), `${test.name} key bit ${bit}`).toBe(false);
      }
    }
  });

  it("verifies the RFC 8037 A.4 JWS example over its signing input", () => {
    const example = vectors("jose-cookbook", "curve25519", "jws.json") as {
      input: { key: { x: string } };
      output: { compact: string };
    };
    const [header, payload, signature] = example.output.compact.split(".") as [string, string, string];
    const key = new Uint8Array(Buffer.from(example.input.key.x, "base64url"));
    const input = new TextEncoder().encode(`${header}.${payload}`);
    expect(lib.verify(key, input, new Uint8Array(Buffer.from(signature, "base64url")))).toBe(true);
    expect(
      lib.verify(key, new TextEncoder().encode(`${header}.${payload}x`), Buffer.from(signature, "base64url")),
    ).toBe(false);
  });

  it("rejects s + L, the malleable twin of a valid signature (RFC 8032 5.1.7)", () => {
    const { publicKey, privateKey } = generateKeyPairSync("ed25519");
    const message = new TextEncoder().encode("payload");
    const signature = new Uint8Array(sign(null, message, privateKey));
    const s = BigInt("0x" + Buffer.from(signature.subarray(32)).reverse().toString("hex"));
    const twin = new Uint8Array([...signature.subarray(0, 32), ...bytes(littleEndian(s + ORDER))]);
    expect(lib.verify(rawPublicKey(publicKey), message, signature)).toBe(true);
    expect(lib.verify(rawPublicKey(publicKey), message, twin)).toBe(false);
    expect(verify(null, message, publicKey, twin)).toBe(false);
  });

  it("rejects a non-canonical key encoding of a point it accepts canonically (RFC 8032 5.1.3; OpenSSL accepts it)", () => {
    // With A the neutral element, [s]B - [k]A = [s]B whatever k is, so (R = B, s = 1) verifies.
    const message = new TextEncoder().encode("abc");
    const signature = bytes(BASE + ONE);
    expect(lib.verify(bytes(IDENTITY), message, signature)).toBe(true);
    // y = p + 1 and "x = 0 with the sign bit set" both decode to the neutral element in OpenSSL.
    expect(lib.verify(bytes("ee" + "ff".repeat(30) + "7f"), message, signature)).toBe(false);
    expect(lib.verify(bytes("01" + "00".repeat(30) + "80"), message, signature)).toBe(false);
  });

  it("rejects a non-canonical R encoding of the point that verifies canonically", () => {
    const message = new TextEncoder().encode("abc");
    expect(lib.verify(bytes(IDENTITY), message, bytes(IDENTITY + ZERO))).toBe(true);
    expect(lib.verify(bytes(IDENTITY), message, bytes("ee" + "ff".repeat(30) + "7f" + ZERO))).toBe(false);
  });

  it("rejects a key that is not a curve point and keys or signatures of the wrong length", () => {
    const { publicKey, privateKey } = generateKeyPairSync("ed25519");
    const key = rawPublicKey(publicKey);
    const message = new TextEncoder().encode("payload");
    const signature = new Uint8Array(sign(null, message, privateKey));
    expect(lib.verify(key, message, signature)).toBe(true);
    // y = 2 gives x^2 = 3 / (4d + 1), which is not a square mod p.
    expect(lib.verify(bytes("02" + "00".repeat(31)), message, signature)).toBe(false);
    expect(lib.verify(key.subarray(0, 31), message, signature)).toBe(false);
    expect(lib.verify(new Uint8Array([...key, 0]), message, signature)).toBe(false);
    expect(lib.verify(key, message, signature.subarray(0, 63))).toBe(false);
    expect(lib.verify(key, message, new Uint8Array([...signature, 0]))).toBe(false);
    expect(lib.verify(key, message, new Uint8Array(0))).toBe(false);
  });

  it("keeps memory flat over many verifications (its scratch is allocated once per module)", () => {
    const { publicKey, privateKey } = generateKeyPairSync("ed25519");
    const key = rawPublicKey(publicKey);
    const message = new Uint8Array(1000).fill(7);
    const signature = new Uint8Array(sign(null, message, privateKey));
    expect(lib.verify(key, message, signature)).toBe(true);
    const before = lib.memory.buffer.byteLength;
    for (let i = 0; i < 3000; i++) lib.verify(key, message, signature);
    expect(lib.memory.buffer.byteLength).toBe(before);
  });

  it("verifies node:crypto signatures by random keys over random messages (0 to 600 bytes)", () => {
    const keys = Array.from({ length: 8 }, () => generateKeyPairSync("ed25519"));
    fc.assert(
      fc.property(fc.integer({ min: 0, max: keys.length - 1 }), fc.uint8Array({ maxLength: 600 }), (index, message) => {
        const { publicKey, privateKey } = keys[index]!;
        expect(lib.verify(rawPublicKey(publicKey), message, sign(null, message, privateKey))).toBe(true);
      }),
      { numRuns: 200 },
    );
  });

  it("rejects every mutated signature, key or message without trapping", () => {
    const { publicKey, privateKey } = generateKeyPairSync("ed25519");
    const key = rawPublicKey(publicKey);
    fc.assert(
      fc.property(
        fc.uint8Array({ maxLength: 200 }),
        fc.nat(),
        fc.integer({ min: 1, max: 255 }),
        fc.constantFrom("signature", "key", "message"),
        (message, position, flip, target) => {
          const signature = new Uint8Array(sign(null, message, privateKey));
          const mutatedKey = key.slice();
          const mutatedMessage = message.length === 0 ? new Uint8Array([flip]) : message.slice();
          if (target === "signature") signature[position % 64]! ^= flip;
          else if (target === "key") mutatedKey[position % 32]! ^= flip;
          else if (message.length > 0) mutatedMessage[position % message.length]! ^= flip;
          expect(lib.verify(mutatedKey, target === "message" ? mutatedMessage : message, signature)).toBe(false);
        },
      ),
      { numRuns: 500 },
    );
  });

  it("returns false without trapping on arbitrary keys, messages and signatures", () => {
    fc.assert(
      fc.property(
        fc.oneof(fc.uint8Array({ minLength: 32, maxLength: 32 }), fc.uint8Array({ maxLength: 40 })),
        fc.uint8Array({ maxLength: 100 }),
        fc.oneof(fc.uint8Array({ minLength: 64, maxLength: 64 }), fc.uint8Array({ maxLength: 80 })),
        (key, message, signature) => {
          expect(lib.verify(key, message, signature)).toBe(false);
        },
      ),
      { numRuns: 500 },
    );
  });
});
