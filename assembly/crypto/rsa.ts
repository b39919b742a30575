// RSA signature verification as JWS uses it (RFC 7518 3.3 and 3.5): RSASSA-PKCS1-v1_5 and
// RSASSA-PSS with MGF1 over the same hash and a salt as long as the hash (RFC 8017 8.1.2, 8.2.2).

import { Montgomery, readLimbs, writeLimbs } from "./montgomery";
import { digest, digestLength, HashAlgorithm } from "./sha2";

// RFC 7518 3.3 requires at least 2048 bits; the upper bound caps the work one token can cost.
const MIN_BITS = 2048;
const MAX_BYTES = 1024;

/** An RSA public key prepared for repeated verification; parse it once (e.g. per JWKS entry) and reuse it. */
export class RsaPublicKey {
  // The modulus length in bytes, which every signature must have exactly (RFC 8017 8.2.2 step 1).
  private readonly size: i32;
  private readonly exponent: u32;
  private readonly context: Montgomery;
  private readonly value: StaticArray<u32>;

  private constructor(context: Montgomery, exponent: u32) {
    this.context = context;
    this.exponent = exponent;
    this.size = (context.bitLength() + 7) >> 3;
    this.value = new StaticArray<u32>(context.limbs);
  }

  /**
   * Returns the key with big-endian modulus `n` and exponent `e` (leading zero bytes ignored), or
   * null when n is even or outside 2048 to 8192 bits, or e is even, below 3 or above 2^32 - 1.
   */
  static create(n: Uint8Array, e: Uint8Array): RsaPublicKey | null {
    let start = 0;
    while (start < e.length && e[start] == 0) start++;
    if (e.length - start > 4) return null;
    let exponent: u32 = 0;
    for (let i = start; i < e.length; i++) exponent = (exponent << 8) | e[i];
    if (exponent < 3 || (exponent & 1) == 0) return null;
    const context = Montgomery.create(n, MAX_BYTES);
    if (context == null || context.bitLength() < MIN_BITS) return null;
    return new RsaPublicKey(context, exponent);
  }

  /** Returns true when `signature` is a valid RSASSA-PKCS1-v1_5 signature of `message` under `hash`; false for anything else. */
  verifyPkcs1(hash: HashAlgorithm, message: Uint8Array, signature: Uint8Array): bool {
    const em = this.recover(signature);
    if (em == null) return false;
    const h = digest(hash, message);
    const hLen = h.length;
    const k = this.size;
    const t = k - hLen - DIGEST_INFO.length;
    // EM = 0x00 0x01 0xff.. 0x00 DigestInfo H, compared in full rather than parsed (RFC 8017 8.2.2 step 4).
    let diff: u32 = (<u32>em[0]) | ((<u32>em[1]) ^ 1) | em[t - 1];
    for (let i = 2; i < t - 1; i++) diff |= (<u32>em[i]) ^ 0xff;
    for (let i = 0; i < DIGEST_INFO.length; i++) diff |= (<u32>em[t + i]) ^ digestInfoByte(i, hLen);
    for (let i = 0; i < hLen; i++) diff |= (<u32>em[k - hLen + i]) ^ h[i];
    return diff == 0;
  }

  /** Returns true when `signature` is a valid RSASSA-PSS signature of `message` (MGF1 and salt length per `hash`, as JWA fixes them); false for anything else. */
  verifyPss(hash: HashAlgorithm, message: Uint8Array, signature: Uint8Array): bool {
    const full = this.recover(signature);
    if (full == null) return false;
    const emBits = this.context.bitLength() - 1;
    const emLen = (emBits + 7) >> 3;
    // When emBits is a multiple of 8 the integer has one byte less than the modulus (RFC 8017 9.1.2 step 2 / I2OSP).
    if (emLen < full.length && full[0] != 0) return false;
    const em = full.subarray(full.length - emLen);
    const hLen = digestLength(hash);
    const sLen = hLen;
    if (emLen < hLen + sLen + 2 || em[emLen - 1] != 0xbc) return false;
    const dbLen = emLen - hLen - 1;
    const topMask = <u8>((<u32>0xff) >> (<u32>(8 * emLen - emBits)));
    if ((em[0] & ~topMask) != 0) return false;
    const h = em.subarray(dbLen, dbLen + hLen);
    const db = mgf1(hash, h, dbLen);
    for (let i = 0; i < dbLen; i++) db[i] ^= em[i];
    db[0] &= topMask;
    const padding = dbLen - sLen - 1;
    let diff: u32 = (<u32>db[padding]) ^ 1;
    for (let i = 0; i < padding; i++) diff |= db[i];
    if (diff != 0) return false;
    const prime = new Uint8Array(8 + hLen + sLen);
    prime.set(digest(hash, message), 8);
    prime.set(db.subarray(dbLen - sLen), 8 + hLen);
    const expected = digest(hash, prime);
    for (let i = 0; i < hLen; i++) diff |= (<u32>expected[i]) ^ h[i];
    return diff == 0;
  }

  // RSAVP1 (RFC 8017 5.2.2): signature^e mod n as `size` bytes, or null when the signature has the
  // wrong length or is not less than n.
  private recover(signature: Uint8Array): Uint8Array | null {
    if (signature.length != this.size) return null;
    const value = this.value;
    readLimbs(signature, 0, value);
    if (!this.context.isReduced(value)) return null;
    this.context.powOdd(value, this.exponent, value);
    const em = new Uint8Array(this.size);
    writeLimbs(value, em);
    return em;
  }
}

/** Returns true when `signature` is a valid RS256/384/512 signature of `message` under the key (n, e); false for a bad key or signature. */
export function verifyRsaPkcs1(
  hash: HashAlgorithm,
  n: Uint8Array,
  e: Uint8Array,
  message: Uint8Array,
  signature: Uint8Array,
): bool {
  const key = RsaPublicKey.create(n, e);
  return key != null && key.verifyPkcs1(hash, message, signature);
}

/** Returns true when `signature` is a valid PS256/384/512 signature of `message` under the key (n, e); false for a bad key or signature. */
export function verifyRsaPss(
  hash: HashAlgorithm,
  n: Uint8Array,
  e: Uint8Array,
  message: Uint8Array,
  signature: Uint8Array,
): bool {
  const key = RsaPublicKey.create(n, e);
  return key != null && key.verifyPss(hash, message, signature);
}

// DER DigestInfo for SHA-256 (RFC 8017 9.2 note 1); SHA-384 and SHA-512 differ only in the lengths
// (bytes 1 and 18) and the last arc of the OID (byte 14).
// prettier-ignore
const DIGEST_INFO: StaticArray<u8> = [
  0x30, 0x31, 0x30, 0x0d, 0x06, 0x09, 0x60, 0x86, 0x48, 0x01, 0x65, 0x03, 0x04, 0x02, 0x01, 0x05, 0x00, 0x04, 0x20,
];

function digestInfoByte(index: i32, hLen: i32): u32 {
  if (index == 1) return 0x11 + hLen;
  if (index == 14) return hLen == 32 ? 1 : hLen == 48 ? 2 : 3;
  if (index == 18) return hLen;
  return unchecked(DIGEST_INFO[index]);
}

// MGF1 (RFC 8017 B.2.1): the hashes of seed || counter, concatenated to `length` bytes.
function mgf1(hash: HashAlgorithm, seed: Uint8Array, length: i32): Uint8Array {
  const out = new Uint8Array(length);
  const input = new Uint8Array(seed.length + 4);
  input.set(seed);
  for (let counter: u32 = 0, done = 0; done < length; counter++) {
    for (let i = 0; i < 4; i++) input[seed.length + i] = <u8>(counter >> (<u32>(24 - 8 * i)));
    const block = digest(hash, input);
    const take = min(block.length, length - done);
    out.set(take == block.length ? block : block.subarray(0, take), done);
    done += take;
  }
  return out;
}
