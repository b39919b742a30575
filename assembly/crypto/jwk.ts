// JSON Web Keys (RFC 7517) for signature verification: RSA, EC and oct keys (RFC 7518 section 6)
// and Ed25519 OKP keys (RFC 8037), parsed strictly with the SDK's JSON parser. Private members
// (d, p, q, dp, dq, qi, oth) are ignored: a verifier only needs the public half.

import { parseJson } from "../json/parser";
import { JsonReader } from "../json/reader";
import { JsonValue } from "../json/value";
import { decodeBase64Url } from "./base64url";

/** The key types this parser accepts (RFC 7518 section 6.1, RFC 8037 section 2). */
export enum KeyType {
  Rsa,
  Ec,
  Okp,
  Oct,
}

/** The NIST curves of JWS ECDSA (RFC 7518 section 6.2.1.1). */
export enum EcCurve {
  P256,
  P384,
  P521,
}

/** Returns the byte length of a coordinate on `curve` (32, 48 or 66). */
export function coordinateLength(curve: EcCurve): i32 {
  return curve == EcCurve.P256 ? 32 : curve == EcCurve.P384 ? 48 : 66;
}

/** An RSA public key: modulus and exponent as unsigned big-endian bytes without leading zeros. */
export class RsaPublicKey {
  constructor(
    /** The modulus, at least 2048 bits. */
    public n: Uint8Array,
    /** The public exponent, odd and greater than 1. */
    public e: Uint8Array,
  ) {}
}

/** An EC public key: affine coordinates, each exactly the curve's coordinate length (not yet checked to lie on the curve). */
export class EcPublicKey {
  constructor(
    /** The curve named by crv. */
    public curve: EcCurve,
    /** The x coordinate, big-endian. */
    public x: Uint8Array,
    /** The y coordinate, big-endian. */
    public y: Uint8Array,
  ) {}
}

/** An Ed25519 public key (RFC 8037): the 32-byte encoded point. */
export class OkpPublicKey {
  constructor(
    /** The encoded public key. */
    public x: Uint8Array,
  ) {}
}

/** A symmetric key (kty oct). */
export class OctKey {
  constructor(
    /** The key bytes, never empty. */
    public k: Uint8Array,
  ) {}
}

/** One parsed JWK: the common members, and exactly one non-null key object matching `kty`. */
export class Jwk {
  /** The key type. */
  kty: KeyType = KeyType.Oct;
  /** The key id, or null when absent. */
  kid: string | null = null;
  /** The algorithm the key is meant for, or null when absent. */
  alg: string | null = null;
  /** The intended use ("sig" or "enc"), or null when absent. */
  use: string | null = null;
  /** The permitted operations, or null when absent. */
  keyOps: Array<string> | null = null;
  /** The key when kty is RSA. */
  rsa: RsaPublicKey | null = null;
  /** The key when kty is EC. */
  ec: EcPublicKey | null = null;
  /** The key when kty is OKP. */
  okp: OkpPublicKey | null = null;
  /** The key when kty is oct. */
  oct: OctKey | null = null;
}

/** The outcome of parsing one JWK: the key, or an error naming the member (e.g. `n: ...`). */
export class JwkResult {
  constructor(
    /** The key, or null when parsing failed. */
    public key: Jwk | null,
    /** Why parsing failed, starting with the member's path; empty on success. */
    public error: string,
  ) {}
}

/** The outcome of parsing a JWK Set: every key, or the first error naming the member (e.g. `keys[1].crv: ...`). */
export class JwksResult {
  constructor(
    /** The keys in document order; empty when parsing failed. */
    public keys: Array<Jwk>,
    /** Why parsing failed, starting with the member's path; empty on success. */
    public error: string,
  ) {}
}

/** Parses one JWK from UTF-8 JSON; the result names the offending member when the key is malformed or unsupported. */
export function parseJwk(json: ArrayBuffer): JwkResult {
  const document = parseJson(json);
  const value = document.value;
  if (value == null)
    return new JwkResult(null, "invalid JSON at byte " + document.offset.toString() + ": " + document.error);
  const root = JsonReader.root(value);
  const key = readJwk(root);
  return key == null ? new JwkResult(null, root.error) : new JwkResult(key, "");
}

/** Parses a JWK Set (`{"keys": [...]}`) from UTF-8 JSON; one bad key, or a repeated kid, fails the whole set. */
export function parseJwks(json: ArrayBuffer): JwksResult {
  const document = parseJson(json);
  const value = document.value;
  const keys = new Array<Jwk>();
  if (value == null)
    return new JwksResult(keys, "invalid JSON at byte " + document.offset.toString() + ": " + document.error);
  const root = JsonReader.root(value);
  if (!root.expectObject()) return new JwksResult(keys, root.error);
  const elements = root.require("keys").elements();
  const kids = new Set<string>();
  for (let i = 0; i < elements.length && root.ok; i++) {
    const key = readJwk(elements[i]);
    if (key == null) break;
    const kid = key.kid;
    if (kid != null) {
      // RFC 7517 section 4.5 asks for distinct kids; a repeat makes key selection ambiguous.
      if (kids.has(kid)) {
        elements[i].field("kid").fail("repeats an earlier key's kid");
        break;
      }
      kids.add(kid);
    }
    keys.push(key);
  }
  return root.ok ? new JwksResult(keys, "") : new JwksResult(new Array<Jwk>(), root.error);
}

/** Reads a JWK from a parsed JSON value; null with the error recorded on `reader` when it is not an acceptable key. */
export function readJwk(reader: JsonReader): Jwk | null {
  if (!reader.expectObject()) return null;
  const out = new Jwk();
  const kty = reader.requireString("kty");
  if (!reader.ok) return null;
  out.kid = optionalString(reader, "kid");
  out.alg = optionalString(reader, "alg");
  out.use = optionalString(reader, "use");
  out.keyOps = readKeyOps(reader);
  if (!reader.ok) return null;
  if (kty == "RSA") {
    out.kty = KeyType.Rsa;
    out.rsa = readRsa(reader);
  } else if (kty == "EC") {
    out.kty = KeyType.Ec;
    out.ec = readEc(reader);
  } else if (kty == "OKP") {
    out.kty = KeyType.Okp;
    out.okp = readOkp(reader);
  } else if (kty == "oct") {
    out.kty = KeyType.Oct;
    out.oct = readOct(reader);
  } else {
    reader.field("kty").fail('unsupported key type "' + kty + '"');
    return null;
  }
  if (!reader.ok) return null;
  return checkAlg(reader, out) ? out : null;
}

function optionalString(reader: JsonReader, key: string): string | null {
  const member = reader.optional(key);
  return member == null ? null : member.string();
}

function readKeyOps(reader: JsonReader): Array<string> | null {
  const member = reader.optional("key_ops");
  if (member == null) return null;
  const ops = new Array<string>();
  const elements = member.elements();
  for (let i = 0; i < elements.length; i++) {
    const op = elements[i].string();
    // RFC 7517 section 4.3: duplicate key operation values MUST NOT be present.
    if (ops.includes(op)) {
      elements[i].fail('repeats "' + op + '"');
      return null;
    }
    ops.push(op);
  }
  return ops;
}

// Decodes a required base64url member; null with the error recorded when absent or malformed.
function bytes(reader: JsonReader, key: string): Uint8Array | null {
  const member = reader.require(key);
  const text = member.string();
  if (!reader.ok) return null;
  const decoded = decodeBase64Url(text);
  if (decoded == null) member.fail("is not canonical unpadded base64url");
  return decoded;
}

// An RFC 7518 section 2 Base64urlUInt: no leading zero octets.
function unsigned(reader: JsonReader, key: string): Uint8Array | null {
  const value = bytes(reader, key);
  if (value == null) return null;
  if (value.length == 0 || (value.length > 1 && value[0] == 0)) {
    reader.field(key).fail("is not a minimal unsigned integer (RFC 7518 section 2)");
    return null;
  }
  return value;
}

function readRsa(reader: JsonReader): RsaPublicKey | null {
  const n = unsigned(reader, "n");
  const e = unsigned(reader, "e");
  if (n == null || e == null) return null;
  const bits = n.length * 8 - clz<u32>(<u32>n[0]) + 24;
  if (bits < 2048) {
    reader.field("n").fail("RSA modulus of " + bits.toString() + " bits is shorter than 2048");
    return null;
  }
  if ((n[n.length - 1] & 1) == 0) {
    reader.field("n").fail("RSA modulus is even");
    return null;
  }
  if ((e[e.length - 1] & 1) == 0 || (e.length == 1 && e[0] == 1)) {
    reader.field("e").fail("RSA exponent must be odd and greater than 1");
    return null;
  }
  return new RsaPublicKey(n, e);
}

function readEc(reader: JsonReader): EcPublicKey | null {
  const crv = reader.requireString("crv");
  if (!reader.ok) return null;
  let curve = EcCurve.P256;
  if (crv == "P-384") curve = EcCurve.P384;
  else if (crv == "P-521") curve = EcCurve.P521;
  else if (crv != "P-256") {
    reader.field("crv").fail('unsupported EC curve "' + crv + '"');
    return null;
  }
  const x = coordinate(reader, "x", coordinateLength(curve), crv);
  const y = coordinate(reader, "y", coordinateLength(curve), crv);
  return x == null || y == null ? null : new EcPublicKey(curve, x, y);
}

// RFC 7518 section 6.2.1.2: a coordinate is exactly the curve's full length, leading zeros kept.
function coordinate(reader: JsonReader, key: string, length: i32, crv: string): Uint8Array | null {
  const value = bytes(reader, key);
  if (value == null) return null;
  if (value.length != length) {
    reader.field(key).fail("must be " + length.toString() + " bytes for " + crv + ", got " + value.length.toString());
    return null;
  }
  return value;
}

function readOkp(reader: JsonReader): OkpPublicKey | null {
  const crv = reader.requireString("crv");
  if (!reader.ok) return null;
  if (crv != "Ed25519") {
    reader.field("crv").fail('unsupported OKP curve "' + crv + '"');
    return null;
  }
  const x = bytes(reader, "x");
  if (x == null) return null;
  if (x.length != 32) {
    reader.field("x").fail("must be 32 bytes for Ed25519, got " + x.length.toString());
    return null;
  }
  return new OkpPublicKey(x);
}

function readOct(reader: JsonReader): OctKey | null {
  const k = bytes(reader, "k");
  if (k == null) return null;
  if (k.length == 0) {
    reader.field("k").fail("is empty");
    return null;
  }
  return new OctKey(k);
}

// Registered algorithms (RFC 7518 sections 3.1 and 4.1, RFC 8037 section 3.1) by the key they need;
// "sig" ones are JWS algorithms, the rest JWE key management or content encryption.
// prettier-ignore
@lazy const RSA_SIG = ["RS256", "RS384", "RS512", "PS256", "PS384", "PS512"];

// prettier-ignore
@lazy const RSA_ENC = ["RSA1_5", "RSA-OAEP", "RSA-OAEP-256", "RSA-OAEP-384", "RSA-OAEP-512"];

// prettier-ignore
@lazy const EC_ENC = ["ECDH-ES", "ECDH-ES+A128KW", "ECDH-ES+A192KW", "ECDH-ES+A256KW"];

// prettier-ignore
@lazy const OCT_SIG = ["HS256", "HS384", "HS512"];

// prettier-ignore
@lazy const OCT_ENC = [
  "A128KW",
  "A192KW",
  "A256KW",
  "dir",
  "A128GCMKW",
  "A192GCMKW",
  "A256GCMKW",
  "A128GCM",
  "A192GCM",
  "A256GCM",
  "A128CBC-HS256",
  "A192CBC-HS384",
  "A256CBC-HS512",
];

// Rejects an alg that this kind of key cannot serve, or one at odds with `use` (RFC 7517 section
// 4.2): an EC key's JWS alg must name its curve, and an HMAC key must be at least as long as the
// hash output (RFC 7518 section 3.2). Unregistered alg values are refused as ambiguous.
function checkAlg(reader: JsonReader, key: Jwk): bool {
  const alg = key.alg;
  if (alg == null) return true;
  let sig = false;
  let fits = false;
  if (key.kty == KeyType.Rsa) {
    sig = RSA_SIG.includes(alg);
    fits = sig || RSA_ENC.includes(alg);
  } else if (key.kty == KeyType.Ec) {
    const ec = key.ec;
    const curveAlg =
      ec == null ? "" : ec.curve == EcCurve.P256 ? "ES256" : ec.curve == EcCurve.P384 ? "ES384" : "ES512";
    sig = alg == curveAlg;
    fits = sig || EC_ENC.includes(alg);
  } else if (key.kty == KeyType.Okp) {
    sig = alg == "EdDSA" || alg == "Ed25519";
    fits = sig;
  } else {
    sig = OCT_SIG.includes(alg);
    fits = sig || OCT_ENC.includes(alg);
    const oct = key.oct;
    if (sig && oct != null) {
      const needed = alg == "HS256" ? 32 : alg == "HS384" ? 48 : 64;
      if (oct.k.length < needed) {
        return reader
          .field("k")
          .fail(alg + " needs a key of at least " + needed.toString() + " bytes, got " + oct.k.length.toString());
      }
    }
  }
  if (!fits) return reader.field("alg").fail('"' + alg + '" cannot be used with this key');
  const use = key.use;
  if (use != null && ((use == "sig" && !sig) || (use == "enc" && sig))) {
    return reader.field("use").fail('"' + use + '" does not fit alg "' + alg + '"');
  }
  return true;
}

/** Reads a JWK from an already parsed JSON value (e.g. one member of a larger configuration). */
export function jwkFromJson(value: JsonValue): JwkResult {
  const root = JsonReader.root(value);
  const key = readJwk(root);
  return key == null ? new JwkResult(null, root.error) : new JwkResult(key, "");
}
