// Public keys in PEM (RFC 7468): SubjectPublicKeyInfo blocks ("PUBLIC KEY") and the key of an
// X.509 certificate ("CERTIFICATE"), as jwt_verify_lib accepts them (src/jwks.cc): RSA, EC P-256,
// P-384 and P-521, and Ed25519. The SDK parses JWKs only, so the little DER this needs lives here.

import { EcCurve, EcPublicKey, Jwk, KeyType, OkpPublicKey, RsaPublicKey } from "../../assembly";

/** Keys read from PEM text, or why the text was refused. */
export class PemResult {
  constructor(
    /** The keys in text order; empty when `error` is set. */
    public keys: Array<Jwk>,
    /** "" on success; otherwise what is wrong, naming the block. */
    public error: string,
  ) {}
}

/** Returns true when `text` holds a PEM block, so it is not meant as a JWKS. */
export function looksLikePem(text: string): bool {
  return text.trimStart().startsWith("-----BEGIN ");
}

/** Reads every PEM block of `text`: each must be a PUBLIC KEY or a CERTIFICATE of a supported key. */
export function parsePem(text: string): PemResult {
  const keys = new Array<Jwk>();
  let at = 0;
  for (let block = 0; ; block++) {
    const begin = text.indexOf("-----BEGIN ", at);
    if (begin < 0) break;
    const labelEnd = text.indexOf("-----", begin + 11);
    if (labelEnd < 0) return failure("PEM block " + block.toString() + " has no complete BEGIN line");
    const label = text.substring(begin + 11, labelEnd);
    const endLine = "-----END " + label + "-----";
    const end = text.indexOf(endLine, labelEnd + 5);
    if (end < 0) return failure("PEM block " + block.toString() + ' has no "' + endLine + '" line');
    const der = decodeBase64(text.substring(labelEnd + 5, end));
    if (der == null) return failure("PEM block " + block.toString() + " is not valid base64");
    let spki: Der | null = null;
    if (label == "PUBLIC KEY") spki = new Der(der, 0, der.length);
    else if (label == "CERTIFICATE") spki = certificateKey(der);
    else return failure("PEM block " + block.toString() + ' is a "' + label + '"; use PUBLIC KEY or CERTIFICATE');
    const key: Jwk | null = spki != null ? readSpki(spki) : null;
    if (key == null) return failure("PEM block " + block.toString() + " is not an RSA, EC or Ed25519 public key");
    keys.push(key);
    at = end + endLine.length;
  }
  if (keys.length == 0) return failure("no PEM block found");
  return new PemResult(keys, "");
}

function failure(message: string): PemResult {
  return new PemResult(new Array<Jwk>(), message);
}

// A cursor over DER bytes [pos, end): reads one TLV at a time; any malformed length makes it fail.
class Der {
  tag: i32 = -1;
  start: i32 = 0;
  stop: i32 = 0;
  constructor(
    public bytes: Uint8Array,
    public pos: i32,
    public end: i32,
  ) {}

  // Reads the next element into tag/start/stop and moves past it; false at the end or on bad DER.
  next(): bool {
    if (this.pos + 2 > this.end) return false;
    this.tag = this.bytes[this.pos];
    let length = <i32>this.bytes[this.pos + 1];
    let at = this.pos + 2;
    if (length >= 0x80) {
      const count = length - 0x80;
      if (count < 1 || count > 3 || at + count > this.end) return false;
      length = 0;
      for (let i = 0; i < count; i++) length = (length << 8) | this.bytes[at + i];
      at += count;
    }
    if (length > this.end - at) return false;
    this.start = at;
    this.stop = at + length;
    this.pos = this.stop;
    return true;
  }

  // A cursor over the current element's contents.
  inside(): Der {
    return new Der(this.bytes, this.start, this.stop);
  }

  // Whether the current element is an OBJECT IDENTIFIER with the DER contents `oid`.
  isOid(oid: StaticArray<u8>): bool {
    if (this.tag != 0x06 || this.stop - this.start != oid.length) return false;
    for (let i = 0; i < oid.length; i++) if (this.bytes[this.start + i] != oid[i]) return false;
    return true;
  }

  // The current element's contents.
  contents(): Uint8Array {
    return this.bytes.slice(this.start, this.stop);
  }
}

// prettier-ignore
@lazy const RSA_OID: StaticArray<u8> = [0x2a, 0x86, 0x48, 0x86, 0xf7, 0x0d, 0x01, 0x01, 0x01];
// prettier-ignore
@lazy const EC_OID: StaticArray<u8> = [0x2a, 0x86, 0x48, 0xce, 0x3d, 0x02, 0x01];
// prettier-ignore
@lazy const P256_OID: StaticArray<u8> = [0x2a, 0x86, 0x48, 0xce, 0x3d, 0x03, 0x01, 0x07];
// prettier-ignore
@lazy const P384_OID: StaticArray<u8> = [0x2b, 0x81, 0x04, 0x00, 0x22];
// prettier-ignore
@lazy const P521_OID: StaticArray<u8> = [0x2b, 0x81, 0x04, 0x00, 0x23];
// prettier-ignore
@lazy const ED25519_OID: StaticArray<u8> = [0x2b, 0x65, 0x70];

// RFC 5280 section 4.1: the SubjectPublicKeyInfo is the seventh field of tbsCertificate when the
// explicit version [0] is present (always, for the v3 certificates identity providers publish).
function certificateKey(der: Uint8Array): Der | null {
  const outer = new Der(der, 0, der.length);
  if (!outer.next() || outer.tag != 0x30) return null;
  const certificate = outer.inside();
  if (!certificate.next() || certificate.tag != 0x30) return null;
  const tbs = certificate.inside();
  if (!tbs.next()) return null;
  // Skip version (when present), serial, signature, issuer, validity and subject.
  const skip = tbs.tag == 0xa0 ? 5 : 4;
  for (let i = 0; i < skip; i++) if (!tbs.next()) return null;
  const at = tbs.pos;
  return tbs.next() && tbs.tag == 0x30 ? new Der(der, at, tbs.stop) : null;
}

function readSpki(der: Der): Jwk | null {
  if (!der.next() || der.tag != 0x30 || der.pos != der.end) return null;
  const spki = der.inside();
  if (!spki.next() || spki.tag != 0x30) return null;
  const algorithm = spki.inside();
  if (!spki.next() || spki.tag != 0x03 || spki.stop - spki.start < 2 || spki.bytes[spki.start] != 0) return null;
  const bits = spki.bytes.slice(spki.start + 1, spki.stop);
  if (spki.pos != spki.end || !algorithm.next()) return null;
  const key = new Jwk();
  if (algorithm.isOid(RSA_OID)) {
    key.kty = KeyType.Rsa;
    key.rsa = readRsa(bits);
    return key.rsa == null ? null : key;
  }
  if (algorithm.isOid(ED25519_OID)) {
    if (bits.length != 32) return null;
    key.kty = KeyType.Okp;
    key.okp = new OkpPublicKey(bits);
    return key;
  }
  if (!algorithm.isOid(EC_OID) || !algorithm.next()) return null;
  let curve = EcCurve.P256;
  let size = 32;
  if (algorithm.isOid(P384_OID)) {
    curve = EcCurve.P384;
    size = 48;
  } else if (algorithm.isOid(P521_OID)) {
    curve = EcCurve.P521;
    size = 66;
  } else if (!algorithm.isOid(P256_OID)) return null;
  // Only the uncompressed point form (SEC 1 section 2.3.3), as JWKs carry it.
  if (bits.length != 1 + 2 * size || bits[0] != 4) return null;
  key.kty = KeyType.Ec;
  key.ec = new EcPublicKey(curve, bits.slice(1, 1 + size), bits.slice(1 + size));
  return key;
}

// RFC 8017 appendix A.1.1: RSAPublicKey ::= SEQUENCE { modulus INTEGER, publicExponent INTEGER }.
function readRsa(bits: Uint8Array): RsaPublicKey | null {
  const outer = new Der(bits, 0, bits.length);
  if (!outer.next() || outer.tag != 0x30 || outer.pos != outer.end) return null;
  const fields = outer.inside();
  if (!fields.next() || fields.tag != 0x02) return null;
  const n = unsignedInteger(fields.contents());
  if (!fields.next() || fields.tag != 0x02 || fields.pos != fields.end) return null;
  const e = unsignedInteger(fields.contents());
  return n == null || e == null ? null : new RsaPublicKey(n, e);
}

// A positive DER INTEGER without its sign byte; null for zero-length or negative values.
function unsignedInteger(value: Uint8Array): Uint8Array | null {
  if (value.length == 0 || (value[0] & 0x80) != 0) return null;
  let start = 0;
  while (start < value.length - 1 && value[start] == 0) start++;
  return value.slice(start);
}

// Standard base64 (RFC 4648 section 4) with padding, ignoring the line breaks and spaces PEM allows.
function decodeBase64(text: string): Uint8Array | null {
  const out = new Uint8Array((text.length * 3) / 4 + 3);
  let length = 0;
  let acc: u32 = 0;
  let count = 0;
  let padding = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c == 0x20 || c == 0x09 || c == 0x0a || c == 0x0d) continue;
    if (c == 0x3d) {
      padding++;
      continue;
    }
    const v = sextet(c);
    if (v < 0 || padding > 0) return null;
    acc = (acc << 6) | (<u32>v);
    count++;
    if (count == 4) {
      out[length++] = <u8>(acc >> 16);
      out[length++] = <u8>(acc >> 8);
      out[length++] = <u8>acc;
      acc = 0;
      count = 0;
    }
  }
  if (count == 1 || padding > 2 || (padding > 0 && count + padding != 4)) return null;
  if (count == 2) out[length++] = <u8>(acc >> 4);
  else if (count == 3) {
    out[length++] = <u8>(acc >> 10);
    out[length++] = <u8>(acc >> 2);
  }
  return out.slice(0, length);
}

function sextet(c: i32): i32 {
  if (c >= 0x41 && c <= 0x5a) return c - 0x41;
  if (c >= 0x61 && c <= 0x7a) return c - 0x61 + 26;
  if (c >= 0x30 && c <= 0x39) return c - 0x30 + 52;
  if (c == 0x2b) return 62;
  if (c == 0x2f) return 63;
  return -1;
}
