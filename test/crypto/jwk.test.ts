// JWK and JWK Set parsing (RFC 7517, RFC 7518 section 6, RFC 8037): the RFC 7520 section 3
// example keys, the Wycheproof JWK cases a key parser can decide, errors that name the member,
// and random or mutated JSON that never traps.

import { createHmac } from "node:crypto";
import { readFileSync, readdirSync } from "node:fs";
import { join } from "node:path";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { library } from "./support.js";

interface JwkLibrary {
  describeJwk(json: Uint8Array): string;
  describeJwks(json: Uint8Array): string;
}

const lib = await library<JwkLibrary>("jwk");
const utf8 = (value: unknown) => new TextEncoder().encode(typeof value === "string" ? value : JSON.stringify(value));
const hex = (b64url: string) => Buffer.from(b64url, "base64url").toString("hex");
const field = (line: string, name: string) => new RegExp(`(?:^| )${name}=(\\S+)`).exec(line)?.[1];
const cookbook = join("test", "vectors", "jose-cookbook", "jwk");
const rfc = (file: string) => JSON.parse(readFileSync(join(cookbook, file), "utf8")) as Record<string, string>;

describe("RFC 7520 section 3 keys", () => {
  it("finds all six example files", () => {
    expect(readdirSync(cookbook).filter((f) => /^3_[1-6]\./.test(f))).toHaveLength(6);
  });

  it.each(["3_1.ec_public_key.json", "3_2.ec_private_key.json"])("parses the P-521 key in %s", (file) => {
    const jwk = rfc(file);
    const line = lib.describeJwk(utf8(jwk));
    expect(line).toBe(
      `kty=EC kid=${jwk["kid"]} alg=- use=sig key_ops=- crv=P-521 x=${hex(jwk["x"]!)} y=${hex(jwk["y"]!)}`,
    );
    expect(field(line, "x")).toHaveLength(132);
  });

  it.each(["3_3.rsa_public_key.json", "3_4.rsa_private_key.json"])("parses the 2048-bit RSA key in %s", (file) => {
    const jwk = rfc(file);
    expect(lib.describeJwk(utf8(jwk))).toBe(
      `kty=RSA kid=${jwk["kid"]} alg=- use=sig key_ops=- n=${hex(jwk["n"]!)} e=010001`,
    );
  });

  it.each([
    ["3_5.symmetric_key_mac_computation.json", "HS256", "sig"],
    ["3_6.symmetric_key_encryption.json", "A256GCM", "enc"],
  ])("parses the symmetric key in %s", (file, alg, use) => {
    const jwk = rfc(file);
    expect(lib.describeJwk(utf8(jwk))).toBe(
      `kty=oct kid=${jwk["kid"]} alg=${alg} use=${use} key_ops=- k=${hex(jwk["k"]!)}`,
    );
  });
});

interface JwkCase {
  tcId: number;
  comment: string;
  jws: string;
  result: "valid" | "invalid" | "acceptable";
}
interface JwkGroup {
  comment: string;
  private: { keys: Record<string, string>[] };
  public?: { keys: Record<string, string>[] };
  tests: JwkCase[];
}

// Cases whose outcome belongs to another layer: the JWS verifier (keyset policy, alg of the token
// against the key's alg, RSA and ECDSA signatures, point validation, ROCA fingerprints).
const LATER: Record<number, string> = {
  1: "keyset mixing public and private keys: JWS keyset policy",
  5: "RS256 signature: RSA verifier",
  6: "RSA1_5 key used for RS256: JWS alg check",
  7: "ROCA modulus: not detected by the parser",
  22: "point not on P-256: ECDSA public key validation",
};

describe("Wycheproof json_web_key_test.json", () => {
  const file = JSON.parse(readFileSync(join("test", "vectors", "wycheproof", "json_web_key_test.json"), "utf8")) as {
    testGroups: JwkGroup[];
  };

  it("rejects each invalid key at parse time, and verifies the HS256/384/512 tokens of the valid keys", () => {
    const counts = { valid: 0, invalid: 0, acceptable: 0, later: 0 };
    for (const group of file.testGroups) {
      const keyset = group.public ?? group.private;
      const described = lib.describeJwks(utf8(keyset));
      for (const test of group.tests) {
        const where = `tcId ${test.tcId} (${group.comment}, ${test.comment}): ${described.slice(0, 120)}`;
        if (LATER[test.tcId]) {
          expect(described.startsWith("error:"), where).toBe(false);
          counts.later++;
          continue;
        }
        const [header, payload, signature] = test.jws.split(".") as [string, string, string];
        const { alg, kid } = JSON.parse(Buffer.from(header, "base64url").toString()) as { alg: string; kid: string };
        let verified = false;
        if (!described.startsWith("error:")) {
          const line = described.split("\n").find((l) => field(l, "kid") === kid);
          expect(line, where).toBeDefined();
          expect(alg.startsWith("HS"), where).toBe(true);
          const key = Buffer.from(field(line!, "k")!, "hex");
          const mac = createHmac(`sha${alg.slice(2)}`, key)
            .update(`${header}.${payload}`)
            .digest("base64url");
          verified = field(line!, "alg") === alg && mac === signature;
        }
        if (test.result === "valid") {
          expect(verified, where).toBe(true);
          counts.valid++;
        } else if (test.result === "invalid") {
          expect(verified, where).toBe(false);
          counts.invalid++;
        } else {
          counts.acceptable++;
        }
      }
    }
    console.log(
      `json_web_key_test.json: ${counts.valid} valid ok, ${counts.invalid} invalid rejected, ${counts.acceptable} acceptable ` +
        `(${counts.later} left to the JWS, RSA and ECDSA layers: ${Object.values(LATER).join("; ")})`,
    );
    expect(counts.valid + counts.invalid + counts.later).toBe(26);
  });
});

describe("JWK errors", () => {
  const p256 = {
    kty: "EC",
    crv: "P-256",
    x: "04N0xi21hshyvBp7I167sbE_bXqyqkAPfefdklMO7wY",
    y: "UI8exy-C06a7DUnjIdENkxeFtHM4-l_41LqEw9nVgmw",
  };
  const ed25519 = { kty: "OKP", crv: "Ed25519", x: "11qYAYKxCrfVS_7TyWQHOg7hcvPapiMlrwIaaPcHURo" };
  const rsa = rfc("3_3.rsa_public_key.json");

  it.each([
    ["a missing kty", { crv: "P-256" }, "error: kty: is required"],
    ["an unknown kty", { kty: "DSA" }, 'error: kty: unsupported key type "DSA"'],
    ["an unknown curve", { ...p256, crv: "secp256k1" }, 'error: crv: unsupported EC curve "secp256k1"'],
    ["a short coordinate", { ...p256, crv: "P-384" }, "error: x: must be 48 bytes for P-384, got 32"],
    ["a missing y", { ...p256, y: undefined }, "error: y: is required"],
    ["padded base64url", { ...p256, x: p256.x + "=" }, "error: x: is not canonical unpadded base64url"],
    ["an X25519 key", { ...ed25519, crv: "X25519" }, 'error: crv: unsupported OKP curve "X25519"'],
    [
      "a 31-byte Ed25519 key",
      { ...ed25519, x: "AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHg" },
      "error: x: must be 32 bytes for Ed25519, got 31",
    ],
    [
      "a 1024-bit modulus",
      { ...rsa, n: Buffer.alloc(128, 0xc1).toString("base64url") },
      "error: n: RSA modulus of 1024 bits is shorter than 2048",
    ],
    ["an even modulus", { ...rsa, n: Buffer.alloc(256, 0xc2).toString("base64url") }, "error: n: RSA modulus is even"],
    ["exponent 1", { ...rsa, e: "AQ" }, "error: e: RSA exponent must be odd and greater than 1"],
    [
      "a short HS256 key",
      { kty: "oct", alg: "HS256", k: "AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHg" },
      "error: k: HS256 needs a key of at least 32 bytes, got 31",
    ],
    ["an empty oct key", { kty: "oct", k: "" }, "error: k: is empty"],
    [
      "an EC key labelled for another curve",
      { ...p256, alg: "ES384" },
      'error: alg: "ES384" cannot be used with this key',
    ],
    ["a signing alg with use enc", { ...p256, alg: "ES256", use: "enc" }, 'error: use: "enc" does not fit alg "ES256"'],
    ["a numeric kid", { ...p256, kid: 7 }, "error: kid: must be a string, got number"],
    ["repeated key_ops", { ...p256, key_ops: ["verify", "verify"] }, 'error: key_ops[1]: repeats "verify"'],
    ["a non-object", [p256], "error: (root): must be an object, got array"],
  ])("rejects %s, naming the member", (_, jwk, error) => {
    expect(lib.describeJwk(utf8(jwk))).toBe(error);
  });

  it("rejects a non-minimal modulus encoding (RFC 7518 section 2)", () => {
    const n = Buffer.concat([Buffer.from([0]), Buffer.from(rsa["n"]!, "base64url")]).toString("base64url");
    expect(lib.describeJwk(utf8({ ...rsa, n }))).toBe(
      "error: n: is not a minimal unsigned integer (RFC 7518 section 2)",
    );
  });

  it("keeps kid, alg, use and key_ops, and ignores private members", () => {
    const jwk = { ...ed25519, kid: "k1", alg: "EdDSA", use: "sig", key_ops: ["verify"], d: "ignored" };
    expect(lib.describeJwk(utf8(jwk))).toBe(
      `kty=OKP kid=k1 alg=EdDSA use=sig key_ops=verify crv=Ed25519 x=${hex(ed25519.x)}`,
    );
  });

  it("names the key in a set that fails, and refuses a repeated kid", () => {
    expect(lib.describeJwks(utf8({ keys: [p256, { ...p256, crv: "P-192" }] }))).toBe(
      'error: keys[1].crv: unsupported EC curve "P-192"',
    );
    expect(
      lib.describeJwks(
        utf8({
          keys: [
            { ...p256, kid: "a" },
            { ...ed25519, kid: "a" },
          ],
        }),
      ),
    ).toBe("error: keys[1].kid: repeats an earlier key's kid");
    expect(lib.describeJwks(utf8({ keys: {} }))).toBe("error: keys: must be an array, got object");
    expect(lib.describeJwks(utf8("{}"))).toBe("error: keys: is required");
    expect(lib.describeJwks(utf8({ keys: [p256, ed25519, rsa] })).split("\n")).toHaveLength(3);
  });

  it("reports invalid JSON with its offset", () => {
    expect(lib.describeJwk(utf8('{"kty":"EC",}'))).toMatch(/^error: invalid JSON at byte 12: /);
  });
});

describe("JWK robustness", () => {
  const samples = readdirSync(join("test", "vectors", "jose-cookbook", "jwk")).map((f) =>
    readFileSync(join(cookbook, f), "utf8"),
  );

  it("never traps on mutated RFC 7520 keys", () => {
    fc.assert(
      fc.property(
        fc.constantFrom(...samples),
        fc.array(fc.tuple(fc.nat(), fc.integer({ min: 0, max: 255 }), fc.constantFrom("set", "insert", "delete")), {
          minLength: 1,
          maxLength: 4,
        }),
        (text, edits) => {
          const bytes = [...utf8(text)];
          for (const [at, value, kind] of edits) {
            const i = at % bytes.length;
            if (kind === "set") bytes[i] = value;
            else if (kind === "insert") bytes.splice(i, 0, value);
            else bytes.splice(i, 1);
          }
          const line = lib.describeJwk(new Uint8Array(bytes));
          expect(typeof line).toBe("string");
          expect(lib.describeJwks(utf8(`{"keys":[${new TextDecoder().decode(new Uint8Array(bytes))}]}`))).toBeTypeOf(
            "string",
          );
        },
      ),
      { numRuns: 1500 },
    );
  });

  it("never traps on random JSON, random bytes, or keys with random member values", () => {
    const member = fc.oneof(fc.string(), fc.base64String(), fc.integer(), fc.constant(null), fc.array(fc.string()));
    fc.assert(
      fc.property(
        fc.oneof(
          fc.json().map((json) => utf8(json)),
          fc.uint8Array({ maxLength: 200 }),
          fc
            .record(
              {
                kty: fc.constantFrom("RSA", "EC", "OKP", "oct", "x"),
                crv: fc.oneof(fc.constantFrom("P-256", "P-384", "P-521", "Ed25519"), fc.string()),
                alg: fc.oneof(fc.constantFrom("ES256", "HS256", "RS256", "EdDSA", "A128KW"), fc.string()),
                use: fc.constantFrom("sig", "enc", "other"),
                key_ops: fc.array(fc.constantFrom("verify", "sign", "")),
                n: member,
                e: member,
                x: member,
                y: member,
                k: member,
              },
              { requiredKeys: ["kty"] },
            )
            .map((jwk) => utf8(jwk)),
        ),
        (bytes) => {
          expect(lib.describeJwk(bytes)).toBeTypeOf("string");
          expect(lib.describeJwks(bytes)).toBeTypeOf("string");
        },
      ),
      { numRuns: 1500 },
    );
  });
});
