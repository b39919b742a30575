// RSA signature verification as JWS uses it (RFC 7518 3.3 and 3.5): RSASSA-PKCS1-v1_5 and
// RSASSA-PSS with MGF1 over the same hash and a salt as long as the hash (RFC 8017 8.1.2, 8.2.2).

import { Montgomery } from "./montgomery";
import { HashAlgorithm, Hasher, newHasher } from "./sha2";

// RFC 7518 3.3 requires at least 2048 bits; the upper bound caps the work one token can cost.
const MIN_BITS = 2048;
const MAX_BYTES = 1024;

/** An RSA public key prepared for verifying signatures; create it once (e.g. per JWKS entry) and reuse it. */
export class RsaVerifier {
  // The modulus length in bytes, which every signature must have exactly (RFC 8017 8.2.2 step 1).
  private readonly size: i32;
  private readonly exponent: u32;
  private readonly context: Montgomery;
  private readonly value: StaticArray<u32>;
  // Reused by every verification with this key, so that one allocates nothing: the recovered
  // encoded message, a hasher per hash (made on first use), a digest, and MGF1's counter.
  private readonly encoded: Uint8Array;
  private readonly hashers: StaticArray<Hasher | null> = new StaticArray<Hasher | null>(3);
  private readonly scratch: Uint8Array = new Uint8Array(64);
  private readonly counter: Uint8Array = new Uint8Array(4);

  private constructor(context: Montgomery, exponent: u32) {
    this.context = context;
    this.exponent = exponent;
    const size = (context.bitLength() + 7) >> 3;
    this.size = size;
    this.value = context.element();
    this.encoded = new Uint8Array(size);
  }

  /**
   * Returns the key with big-endian modulus `n` and exponent `e` (leading zero bytes ignored), or
   * null when n is even or outside 2048 to 8192 bits, or e is even, below 3 or above 2^32 - 1.
   */
  static create(n: Uint8Array, e: Uint8Array): RsaVerifier | null {
    let start = 0;
    while (start < e.length && e[start] == 0) start++;
    if (e.length - start > 4) return null;
    let exponent: u32 = 0;
    for (let i = start; i < e.length; i++) exponent = (exponent << 8) | e[i];
    if (exponent < 3 || (exponent & 1) == 0) return null;
    const context = Montgomery.create(n, MAX_BYTES);
    if (context == null || context.bitLength() < MIN_BITS) return null;
    return new RsaVerifier(context, exponent);
  }

  /** Returns true when `signature` is a valid RSASSA-PKCS1-v1_5 signature of `message` under `hash`; false for anything else. */
  verifyPkcs1(hash: HashAlgorithm, message: Uint8Array, signature: Uint8Array): bool {
    const em = this.recover(signature);
    if (em == null) return false;
    const hasher = this.hasher(hash);
    const hLen = hasher.length;
    hasher.update(message, 0, message.length);
    const h = this.scratch;
    hasher.finish(h);
    const k = this.size;
    const t = k - hLen - DIGEST_INFO.length;
    // EM = 0x00 0x01 0xff.. 0x00 DigestInfo H, compared in full rather than parsed (RFC 8017 8.2.2 step 4).
    // Offsets stay within em (k >= 256 bytes, t > 2) and h, so the loops read memory directly.
    const e = em.dataStart;
    let diff: u32 = (<u32>load<u8>(e)) | ((<u32>load<u8>(e, 1)) ^ 1) | load<u8>(e + <usize>t - 1);
    for (let i: usize = 2; i < <usize>t - 1; i++) diff |= (<u32>load<u8>(e + i)) ^ 0xff;
    for (let i = 0; i < DIGEST_INFO.length; i++) diff |= (<u32>load<u8>(e + <usize>(t + i))) ^ digestInfoByte(i, hLen);
    return (diff | differences(e + <usize>(k - hLen), h.dataStart, hLen)) == 0;
  }

  /** Returns true when `signature` is a valid RSASSA-PSS signature of `message` (MGF1 and salt length per `hash`, as JWA fixes them); false for anything else. */
  verifyPss(hash: HashAlgorithm, message: Uint8Array, signature: Uint8Array): bool {
    const full = this.recover(signature);
    if (full == null) return false;
    const emBits = this.context.bitLength() - 1;
    const emLen = (emBits + 7) >> 3;
    // When emBits is a multiple of 8 the integer has one byte less than the modulus (RFC 8017 9.1.2 step 2 / I2OSP).
    const skip = full.length - emLen;
    if (skip > 0 && full[0] != 0) return false;
    const hasher = this.hasher(hash);
    const hLen = hasher.length;
    const sLen = hLen;
    // EM = maskedDB H 0xbc, all offsets below within full (at least 256 bytes).
    const e = full.dataStart + <usize>skip;
    if (emLen < hLen + sLen + 2 || load<u8>(e + <usize>emLen - 1) != 0xbc) return false;
    const dbLen = emLen - hLen - 1;
    const topMask = <u8>((<u32>0xff) >> (<u32>(8 * emLen - emBits)));
    if ((load<u8>(e) & ~topMask) != 0) return false;
    // DB = maskedDB xor MGF1(H), unmasked in place (H follows DB and is left as it is).
    const h = skip + dbLen;
    this.unmask(hasher, full, h, e, dbLen);
    store<u8>(e, load<u8>(e) & topMask);
    const padding = <usize>(dbLen - sLen - 1);
    let diff: u32 = (<u32>load<u8>(e + padding)) ^ 1;
    for (let i: usize = 0; i < padding; i++) diff |= load<u8>(e + i);
    if (diff != 0) return false;
    // H' = Hash(0x00 x 8 || Hash(message) || salt), the salt being DB's last sLen bytes.
    const digest = this.scratch;
    hasher.update(message, 0, message.length);
    hasher.finish(digest);
    hasher.reset();
    hasher.update(ZEROS, 0, 8);
    hasher.update(digest, 0, hLen);
    hasher.update(full, h - sLen, h);
    hasher.finish(digest);
    return differences(full.dataStart + <usize>h, digest.dataStart, hLen) == 0;
  }

  // The hasher for `hash`, reset; made on first use. Values other than SHA-256 and SHA-384 mean
  // SHA-512, as digest() reads them.
  private hasher(hash: HashAlgorithm): Hasher {
    const index = hash == HashAlgorithm.Sha256 ? 0 : hash == HashAlgorithm.Sha384 ? 1 : 2;
    let hasher = unchecked(this.hashers[index]);
    if (hasher == null) {
      hasher = newHasher(hash);
      unchecked((this.hashers[index] = hasher));
    } else {
      hasher.reset();
    }
    return hasher;
  }

  // MGF1 (RFC 8017 B.2.1): xors the hashes of seed || counter, for counter = 0, 1, .., into the
  // `length` bytes at `target`; the seed is full[seed, seed + hLen). Leaves the hasher reset.
  private unmask(hasher: Hasher, full: Uint8Array, seed: i32, target: usize, length: i32): void {
    const hLen = hasher.length;
    const counter = this.counter;
    const block = this.scratch;
    for (let count: u32 = 0, done = 0; done < length; count++) {
      store<u32>(counter.dataStart, bswap(count));
      hasher.update(full, seed, seed + hLen);
      hasher.update(counter, 0, 4);
      hasher.finish(block);
      hasher.reset();
      const take = min(hLen, length - done);
      for (let i = 0; i < take; i++) {
        const at = target + <usize>(done + i);
        store<u8>(at, load<u8>(at) ^ load<u8>(block.dataStart + <usize>i));
      }
      done += take;
    }
  }

  // RSAVP1 (RFC 8017 5.2.2): signature^e mod n as `size` bytes, or null when the signature has the
  // wrong length or is not less than n.
  private recover(signature: Uint8Array): Uint8Array | null {
    if (signature.length != this.size) return null;
    const value = this.value;
    if (!this.context.read(signature, value)) return null;
    this.context.powOdd(value, this.exponent, value);
    const em = this.encoded;
    this.context.write(value, em);
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
  const key = RsaVerifier.create(n, e);
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
  const key = RsaVerifier.create(n, e);
  return key != null && key.verifyPss(hash, message, signature);
}

// DER DigestInfo for SHA-256 (RFC 8017 9.2 note 1); SHA-384 and SHA-512 differ only in the lengths
// (bytes 1 and 18) and the last arc of the OID (byte 14).
// prettier-ignore
@lazy const DIGEST_INFO: StaticArray<u8> = [
  0x30, 0x31, 0x30, 0x0d, 0x06, 0x09, 0x60, 0x86, 0x48, 0x01, 0x65, 0x03, 0x04, 0x02, 0x01, 0x05, 0x00, 0x04, 0x20,
];

function digestInfoByte(index: i32, hLen: i32): u32 {
  if (index == 1) return 0x11 + hLen;
  if (index == 14) return hLen == 32 ? 1 : hLen == 48 ? 2 : 3;
  if (index == 18) return hLen;
  return unchecked(DIGEST_INFO[index]);
}

// The OR of the xors of the `length` bytes at a and b: zero exactly when they are equal.
function differences(a: usize, b: usize, length: i32): u32 {
  let diff: u32 = 0;
  for (let i: usize = 0; i < <usize>length; i++) diff |= (<u32>load<u8>(a + i)) ^ load<u8>(b + i);
  return diff;
}

// The eight zero bytes that open PSS's M' (RFC 8017 9.1.2 step 12).
// prettier-ignore
@lazy const ZEROS = new Uint8Array(8);
