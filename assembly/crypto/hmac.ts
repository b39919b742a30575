// HMAC (RFC 2104) over SHA-256/384/512, and its use as a JWS MAC (RFC 7518 section 3.2: HS256,
// HS384, HS512 with full-length tags and keys at least as long as the hash output).

import { constantTimeEqual } from "./constant-time";
import { HashAlgorithm, Hasher, blockLength, digestLength, newHasher } from "./sha2";

const IPAD: u8 = 0x36;
const OPAD: u8 = 0x5c;

/**
 * An HMAC key prepared once: the states after the key's inner and outer pad blocks are kept
 * (RFC 2104 section 4), so each message costs only its own blocks plus two.
 */
export class HmacKey {
  private inner: Hasher;
  private outer: Hasher;
  private work: Hasher;
  private tag: Uint8Array;

  private pad: Uint8Array;

  private constructor(
    /** The hash this key MACs with. */
    public readonly algorithm: HashAlgorithm,
    key: Uint8Array,
  ) {
    this.inner = newHasher(algorithm);
    this.outer = newHasher(algorithm);
    this.work = newHasher(algorithm);
    this.tag = new Uint8Array(digestLength(algorithm));
    this.pad = new Uint8Array(blockLength(algorithm));
    this.rekey(key);
  }

  /** Replaces the key in place (no allocation), e.g. to reuse one HmacKey for many one-shot checks. */
  rekey(key: Uint8Array): void {
    const pad = this.pad;
    const block = pad.length;
    let k = key;
    if (key.length > block) {
      this.work.reset();
      this.work.update(key, 0, key.length);
      this.work.finish(this.tag);
      k = this.tag;
    }
    for (let i = 0; i < k.length; i++) unchecked((pad[i] = unchecked(k[i]) ^ IPAD));
    for (let i = k.length; i < block; i++) unchecked((pad[i] = IPAD));
    this.inner.reset();
    this.inner.update(pad, 0, block);
    for (let i = 0; i < block; i++) unchecked((pad[i] ^= IPAD ^ OPAD));
    this.outer.reset();
    this.outer.update(pad, 0, block);
  }

  /** Prepares any key, however short (RFC 2104 allows it); use `forJws` where JWA rules apply. */
  static of(algorithm: HashAlgorithm, key: Uint8Array): HmacKey {
    return new HmacKey(algorithm, key);
  }

  /** Prepares a JWS HMAC key; null when it is shorter than the hash output (RFC 7518 section 3.2). */
  static forJws(algorithm: HashAlgorithm, key: Uint8Array): HmacKey | null {
    return key.length < digestLength(algorithm) ? null : new HmacKey(algorithm, key);
  }

  /** Returns the full-length tag of `message`. */
  mac(message: Uint8Array): Uint8Array {
    this.compute(message);
    return this.tag.slice();
  }

  /** Returns true when `signature` is exactly the full-length tag of `message`; a truncated or over-long one is false. */
  verify(message: Uint8Array, signature: Uint8Array): bool {
    if (signature.length != this.tag.length) return false;
    this.compute(message);
    return constantTimeEqual(this.tag, signature);
  }

  private compute(message: Uint8Array): void {
    const work = this.work;
    work.copyFrom(this.inner);
    work.update(message, 0, message.length);
    work.finish(this.tag);
    work.copyFrom(this.outer);
    work.update(this.tag, 0, this.tag.length);
    work.finish(this.tag);
  }
}

/** Returns HMAC(`key`, `message`) under `algorithm` for a key of any length (RFC 2104). */
export function hmac(algorithm: HashAlgorithm, key: Uint8Array, message: Uint8Array): Uint8Array {
  return HmacKey.of(algorithm, key).mac(message);
}

// One reusable key per hash for verifyHmac (Wasm runs one call at a time).
// prettier-ignore
@lazy const scratch = new StaticArray<HmacKey | null>(3);

/**
 * Verifies a JWS HS256/HS384/HS512 signature (RFC 7518 section 3.2); false when the key is shorter
 * than the hash output, the signature is not full-length, or it does not match.
 */
export function verifyHmac(
  algorithm: HashAlgorithm,
  key: Uint8Array,
  message: Uint8Array,
  signature: Uint8Array,
): bool {
  if (key.length < digestLength(algorithm)) return false;
  let prepared = scratch[algorithm];
  if (prepared == null) {
    prepared = HmacKey.of(algorithm, key);
    scratch[algorithm] = prepared;
  } else {
    prepared.rekey(key);
  }
  return prepared.verify(message, signature);
}
