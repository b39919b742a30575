// ECDSA verification in AssemblyScript (ES256, ES384, ES512): Wycheproof's P1363 vectors, the
// RFC 7520 4.3 example, node:crypto on random keys, and mutated inputs that must neither verify nor trap.

import { generateKeyPairSync, randomBytes, sign, type KeyObject } from "node:crypto";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { library } from "./support.js";

type Verify = (curve: number, x: Uint8Array, y: Uint8Array, message: Uint8Array, signature: Uint8Array) => boolean;
const ecdsa = await library<{ verify: Verify }>("ecdsa");

const VECTORS = join("test", "vectors");
const hex = (text: string) => Buffer.from(text, "hex");
const b64u = (text: string) => Buffer.from(text, "base64url");

interface CurveCase {
  curve: number;
  name: "P-256" | "P-384" | "P-521";
  hash: string;
  bytes: number;
  p: bigint;
  n: bigint;
}

const CURVES: CurveCase[] = [
  {
    curve: 0,
    name: "P-256",
    hash: "sha256",
    bytes: 32,
    p: 2n ** 256n - 2n ** 224n + 2n ** 192n + 2n ** 96n - 1n,
    n: 0xffffffff00000000ffffffffffffffffbce6faada7179e84f3b9cac2fc632551n,
  },
  {
    curve: 1,
    name: "P-384",
    hash: "sha384",
    bytes: 48,
    p: 2n ** 384n - 2n ** 128n - 2n ** 96n + 2n ** 32n - 1n,
    n: 0xffffffffffffffffffffffffffffffffffffffffffffffffc7634d81f4372ddf581a0db248b0a77aecec196accc52973n,
  },
  {
    curve: 2,
    name: "P-521",
    hash: "sha512",
    bytes: 66,
    p: 2n ** 521n - 1n,
    n: 0x1fffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffa51868783bf2f966b7fcc0148f709a5d03bb5c9b8899c47aebb6fb71e91386409n,
  },
];

const bytesOf = (value: bigint, length: number) => Buffer.from(value.toString(16).padStart(2 * length, "0"), "hex");

interface WycheproofFile {
  testGroups: {
    publicKey: { uncompressed: string };
    sha: string;
    tests: { tcId: number; comment: string; msg: string; sig: string; result: "valid" | "invalid" | "acceptable" }[];
  }[];
}

describe("Wycheproof", () => {
  it.each([
    ["ecdsa_secp256r1_sha256_p1363_test.json", CURVES[0]!],
    ["ecdsa_secp384r1_sha384_p1363_test.json", CURVES[1]!],
    ["ecdsa_secp521r1_sha512_p1363_test.json", CURVES[2]!],
  ])("%s: verifies every valid case and rejects every invalid one", (file, c) => {
    const vectors = JSON.parse(readFileSync(join(VECTORS, "wycheproof", file), "utf8")) as WycheproofFile;
    const counts = { valid: 0, invalid: 0, acceptable: 0 };
    for (const group of vectors.testGroups) {
      const point = hex(group.publicKey.uncompressed);
      const x = point.subarray(1, 1 + c.bytes);
      const y = point.subarray(1 + c.bytes);
      for (const test of group.tests) {
        const verified = ecdsa.verify(c.curve, x, y, hex(test.msg), hex(test.sig));
        if (test.result !== "acceptable") {
          expect(verified, `tcId ${test.tcId} ${test.comment}`).toBe(test.result === "valid");
        }
        counts[test.result]++;
      }
    }
    console.log(
      `${file}: ${counts.valid} valid ok, ${counts.invalid} invalid rejected, ${counts.acceptable} acceptable`,
    );
    expect(counts.valid + counts.invalid).toBeGreaterThan(250);
  });
});

describe("RFC 7520", () => {
  const key = JSON.parse(readFileSync(join(VECTORS, "jose-cookbook", "jwk", "3_1.ec_public_key.json"), "utf8")) as {
    x: string;
    y: string;
  };
  const example = JSON.parse(
    readFileSync(join(VECTORS, "jose-cookbook", "jws", "4_3.ecdsa_signature.json"), "utf8"),
  ) as { output: { compact: string } };
  const [header, payload, signature] = example.output.compact.split(".") as [string, string, string];

  it("verifies the 4.3 ES512 example and rejects it with another payload or curve", () => {
    const x = b64u(key.x);
    const y = b64u(key.y);
    expect(ecdsa.verify(2, x, y, Buffer.from(`${header}.${payload}`), b64u(signature))).toBe(true);
    expect(ecdsa.verify(2, x, y, Buffer.from(`${header}.`), b64u(signature))).toBe(false);
    expect(ecdsa.verify(1, x, y, Buffer.from(`${header}.${payload}`), b64u(signature))).toBe(false);
  });
});

interface Key {
  c: CurveCase;
  privateKey: KeyObject;
  x: Buffer;
  y: Buffer;
}

function newKey(c: CurveCase): Key {
  const { publicKey, privateKey } = generateKeyPairSync("ec", { namedCurve: c.name });
  const jwk = publicKey.export({ format: "jwk" });
  return { c, privateKey, x: b64u(jwk.x!), y: b64u(jwk.y!) };
}

const signP1363 = (key: Key, message: Uint8Array) =>
  sign(key.c.hash, message, { key: key.privateKey, dsaEncoding: "ieee-p1363" });

const keys = CURVES.flatMap((c) => [newKey(c), newKey(c), newKey(c)]);

describe("agreement with node:crypto", () => {
  it("verifies OpenSSL's signatures over random messages on every curve", () => {
    for (const key of keys) {
      for (const length of [0, 1, 31, 64, 200, 1000]) {
        const message = randomBytes(length);
        const signature = signP1363(key, message);
        const label = `${key.c.name}, ${length} bytes`;
        expect(ecdsa.verify(key.c.curve, key.x, key.y, message, signature), label).toBe(true);
        expect(
          ecdsa.verify(key.c.curve, key.x, key.y, Buffer.concat([message, Buffer.from([0])]), signature),
          label,
        ).toBe(false);
      }
    }
  });

  it("rejects a signature under another key of the same curve", () => {
    for (let i = 0; i < keys.length; i += 3) {
      const [a, b] = [keys[i]!, keys[i + 1]!];
      const message = randomBytes(40);
      expect(ecdsa.verify(a.c.curve, b.x, b.y, message, signP1363(a, message)), a.c.name).toBe(false);
    }
  });
});

// A key verifies with tables made for it, kept for its next uses (four keys per curve) and
// prepared on the second: keys alternating, repeating and pushing each other out must each verify
// exactly their own signatures.
describe("keys used again", () => {
  it("verifies each key's signatures and no other's, in any order of keys", () => {
    for (const c of CURVES) {
      const [a, b] = keys.filter((k) => k.c === c) as [Key, Key];
      for (const [index, key] of [a, a, a, b, a, b, b, b, a].entries()) {
        const other = key === a ? b : a;
        const message = randomBytes(index + 1);
        const signature = signP1363(key, message);
        const label = `${c.name}, use ${index}`;
        expect(ecdsa.verify(c.curve, key.x, key.y, message, signature), label).toBe(true);
        expect(ecdsa.verify(c.curve, key.x, key.y, message, signP1363(other, message)), label).toBe(false);
        expect(ecdsa.verify(c.curve, key.x, key.y, message, signature), label).toBe(true);
      }
    }
  });

  it("verifies with more keys taking turns than a curve keeps", () => {
    const many = Array.from({ length: 6 }, () => newKey(CURVES[0]!));
    const message = Buffer.from("payload");
    const signatures = many.map((key) => signP1363(key, message));
    for (let round = 0; round < 3; round++) {
      for (const [index, key] of many.entries()) {
        const label = `round ${round}, key ${index}`;
        expect(ecdsa.verify(0, key.x, key.y, message, signatures[index]!), label).toBe(true);
        const other = signatures[(index + 1) % many.length]!;
        expect(ecdsa.verify(0, key.x, key.y, message, other), label).toBe(false);
      }
      // The first two again, now among the most recent keys.
      for (const index of [0, 1, 0, 1]) {
        expect(ecdsa.verify(0, many[index]!.x, many[index]!.y, message, signatures[index]!)).toBe(true);
      }
    }
  });

  it("rejects a key off the curve that follows a good key with the same x", () => {
    for (const c of CURVES) {
      const key = keys.find((k) => k.c === c)!;
      const message = Buffer.from("payload");
      const signature = signP1363(key, message);
      expect(ecdsa.verify(c.curve, key.x, key.y, message, signature), c.name).toBe(true);
      expect(ecdsa.verify(c.curve, key.x, key.y, message, signature), c.name).toBe(true);
      const y = Buffer.from(key.y);
      y[y.length - 1]! ^= 1;
      expect(ecdsa.verify(c.curve, key.x, y, message, signature), c.name).toBe(false);
      expect(ecdsa.verify(c.curve, key.x, y, message, signature), c.name).toBe(false);
      expect(ecdsa.verify(c.curve, key.x, key.y, message, signature), c.name).toBe(true);
    }
  });
});

describe.each(CURVES)("$name key and signature checks (RFC 7518 3.4, FIPS 186-4 6.4)", (c) => {
  const key = keys.find((k) => k.c === c)!;
  const message = Buffer.from("payload");
  const signature = signP1363(key, message);
  const r = signature.subarray(0, c.bytes);
  const s = signature.subarray(c.bytes);

  it("rejects r or s equal to 0 or n, including the all-zero signature (CVE-2022-21449)", () => {
    const zero = Buffer.alloc(c.bytes);
    const n = bytesOf(c.n, c.bytes);
    for (const [label, forged] of [
      ["0, 0", Buffer.concat([zero, zero])],
      ["0, s", Buffer.concat([zero, s])],
      ["r, 0", Buffer.concat([r, zero])],
      ["n, n", Buffer.concat([n, n])],
      ["r, n", Buffer.concat([r, n])],
      ["n, s", Buffer.concat([n, s])],
    ] as const) {
      expect(ecdsa.verify(c.curve, key.x, key.y, message, forged), label).toBe(false);
    }
  });

  it("accepts the malleable twin (r, n - s), which ECDSA does not exclude", () => {
    const twin = bytesOf(c.n - BigInt(`0x${s.toString("hex")}`), c.bytes);
    expect(ecdsa.verify(c.curve, key.x, key.y, message, Buffer.concat([r, twin]))).toBe(true);
  });

  it("rejects signatures and coordinates that are not exactly one coordinate long", () => {
    const pad = Buffer.from([0]);
    expect(ecdsa.verify(c.curve, key.x, key.y, message, Buffer.concat([pad, signature]))).toBe(false);
    expect(ecdsa.verify(c.curve, key.x, key.y, message, signature.subarray(1))).toBe(false);
    expect(ecdsa.verify(c.curve, Buffer.concat([pad, key.x]), key.y, message, signature)).toBe(false);
    expect(ecdsa.verify(c.curve, key.x, Buffer.concat([pad, key.y]), message, signature)).toBe(false);
  });

  it("rejects keys off the curve, at (0, 0), with coordinates >= p, and the key's negation", () => {
    const y = BigInt(`0x${key.y.toString("hex")}`);
    const zero = Buffer.alloc(c.bytes);
    const plusP = y + c.p < 2n ** BigInt(8 * c.bytes) ? bytesOf(y + c.p, c.bytes) : bytesOf(c.p, c.bytes);
    const offCurve = Buffer.from(key.y);
    offCurve[c.bytes - 1]! ^= 1;
    expect(ecdsa.verify(c.curve, key.x, offCurve, message, signature)).toBe(false);
    expect(ecdsa.verify(c.curve, zero, zero, message, signature)).toBe(false);
    expect(ecdsa.verify(c.curve, key.x, plusP, message, signature)).toBe(false);
    expect(ecdsa.verify(c.curve, bytesOf(c.p, c.bytes), key.y, message, signature)).toBe(false);
    expect(ecdsa.verify(c.curve, key.x, bytesOf(c.p - y, c.bytes), message, signature)).toBe(false);
  });
});

// A trap surfaces as a thrown WebAssembly.RuntimeError, so calling directly is the assertion.
describe("malformed input (fast-check)", () => {
  const message = Buffer.from("eyJhbGciOiJFUzI1NiJ9.eyJzdWIiOiIxMjM0NTY3ODkwIn0");
  const curveKeys = CURVES.map((c) => keys.find((k) => k.c === c)!);
  const signatures = curveKeys.map((key) => signP1363(key, message));
  const curve = fc.integer({ min: 0, max: 2 });
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
      fc.property(curve, mutation, (i, m) => {
        const key = curveKeys[i]!;
        expect(ecdsa.verify(i, key.x, key.y, message, mutate(signatures[i]!, m))).toBe(false);
      }),
      { numRuns: 150 },
    );
  });

  it("never verifies under a mutated key coordinate", () => {
    fc.assert(
      fc.property(curve, mutation, fc.boolean(), (i, m, mutateX) => {
        const key = curveKeys[i]!;
        const x = mutateX ? mutate(key.x, m) : key.x;
        const y = mutateX ? key.y : mutate(key.y, m);
        expect(ecdsa.verify(i, x, y, message, signatures[i]!)).toBe(false);
      }),
      { numRuns: 150 },
    );
  });

  it("returns false without trapping on random keys, signatures and curve ids", () => {
    fc.assert(
      fc.property(
        fc.integer({ min: -1, max: 5 }),
        fc.uint8Array({ maxLength: 70 }),
        fc.uint8Array({ maxLength: 70 }),
        fc.uint8Array({ maxLength: 140 }),
        (i, x, y, signature) => {
          expect(ecdsa.verify(i, x, y, message, signature)).toBe(false);
        },
      ),
      { numRuns: 200 },
    );
  });

  it("returns false without trapping on random signatures of the right length, under a real key", () => {
    fc.assert(
      fc.property(curve, fc.uint8Array({ minLength: 132, maxLength: 132 }), (i, bytes) => {
        const key = curveKeys[i]!;
        const signature = bytes.subarray(0, 2 * key.c.bytes);
        expect(ecdsa.verify(i, key.x, key.y, message, signature)).toBe(false);
      }),
      { numRuns: 200 },
    );
  });
});
