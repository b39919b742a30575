// SHA-256, SHA-384 and SHA-512 (FIPS 180-4), the hashes JWS algorithms use.

/** The hash functions JWS uses. */
export enum HashAlgorithm {
  Sha256,
  Sha384,
  Sha512,
}

/** Returns the digest length in bytes of `algorithm` (32, 48 or 64). */
export function digestLength(algorithm: HashAlgorithm): i32 {
  return algorithm == HashAlgorithm.Sha256 ? 32 : algorithm == HashAlgorithm.Sha384 ? 48 : 64;
}

/** Returns the internal block length in bytes of `algorithm` (64 for SHA-256, 128 otherwise), as HMAC needs. */
export function blockLength(algorithm: HashAlgorithm): i32 {
  return algorithm == HashAlgorithm.Sha256 ? 64 : 128;
}

/** Returns the digest of `data` under `algorithm`. */
export function digest(algorithm: HashAlgorithm, data: Uint8Array): Uint8Array {
  if (algorithm == HashAlgorithm.Sha256) return sha256(data);
  return algorithm == HashAlgorithm.Sha384 ? sha384(data) : sha512(data);
}

/** Returns a hasher for `algorithm` in its initial state. */
export function newHasher(algorithm: HashAlgorithm): Hasher {
  if (algorithm == HashAlgorithm.Sha256) return new Sha256Hasher();
  return new Sha512Hasher(algorithm == HashAlgorithm.Sha384);
}

/**
 * Incremental hashing: data arrives in pieces (HMAC's key pad, then the message) without being
 * concatenated, and a state can be copied so that a prepared prefix is hashed only once.
 */
export abstract class Hasher {
  /** The digest length in bytes. */
  abstract get length(): i32;
  /** Returns to the initial state. */
  abstract reset(): void;
  /** Absorbs `data[start, end)`; the caller guarantees 0 <= start <= end <= data.length. */
  abstract update(data: Uint8Array, start: i32, end: i32): void;
  /** Pads, and writes the digest into `out[0, length)`; the caller guarantees out.length >= length. The state is then spent until reset or copyFrom. */
  abstract finish(out: Uint8Array): void;
  /** Makes this state equal to `other`, which must be a hasher of the same algorithm. */
  abstract copyFrom(other: Hasher): void;
}

// prettier-ignore
@lazy const K256: StaticArray<u32> = [
  0x428a2f98, 0x71374491, 0xb5c0fbcf, 0xe9b5dba5, 0x3956c25b, 0x59f111f1, 0x923f82a4, 0xab1c5ed5,
  0xd807aa98, 0x12835b01, 0x243185be, 0x550c7dc3, 0x72be5d74, 0x80deb1fe, 0x9bdc06a7, 0xc19bf174,
  0xe49b69c1, 0xefbe4786, 0x0fc19dc6, 0x240ca1cc, 0x2de92c6f, 0x4a7484aa, 0x5cb0a9dc, 0x76f988da,
  0x983e5152, 0xa831c66d, 0xb00327c8, 0xbf597fc7, 0xc6e00bf3, 0xd5a79147, 0x06ca6351, 0x14292967,
  0x27b70a85, 0x2e1b2138, 0x4d2c6dfc, 0x53380d13, 0x650a7354, 0x766a0abb, 0x81c2c92e, 0x92722c85,
  0xa2bfe8a1, 0xa81a664b, 0xc24b8b70, 0xc76c51a3, 0xd192e819, 0xd6990624, 0xf40e3585, 0x106aa070,
  0x19a4c116, 0x1e376c08, 0x2748774c, 0x34b0bcb5, 0x391c0cb3, 0x4ed8aa4a, 0x5b9cca4f, 0x682e6ff3,
  0x748f82ee, 0x78a5636f, 0x84c87814, 0x8cc70208, 0x90befffa, 0xa4506ceb, 0xbef9a3f7, 0xc67178f2,
];

// prettier-ignore
@lazy const K512: StaticArray<u64> = [
  0x428a2f98d728ae22, 0x7137449123ef65cd, 0xb5c0fbcfec4d3b2f, 0xe9b5dba58189dbbc, 0x3956c25bf348b538,
  0x59f111f1b605d019, 0x923f82a4af194f9b, 0xab1c5ed5da6d8118, 0xd807aa98a3030242, 0x12835b0145706fbe,
  0x243185be4ee4b28c, 0x550c7dc3d5ffb4e2, 0x72be5d74f27b896f, 0x80deb1fe3b1696b1, 0x9bdc06a725c71235,
  0xc19bf174cf692694, 0xe49b69c19ef14ad2, 0xefbe4786384f25e3, 0x0fc19dc68b8cd5b5, 0x240ca1cc77ac9c65,
  0x2de92c6f592b0275, 0x4a7484aa6ea6e483, 0x5cb0a9dcbd41fbd4, 0x76f988da831153b5, 0x983e5152ee66dfab,
  0xa831c66d2db43210, 0xb00327c898fb213f, 0xbf597fc7beef0ee4, 0xc6e00bf33da88fc2, 0xd5a79147930aa725,
  0x06ca6351e003826f, 0x142929670a0e6e70, 0x27b70a8546d22ffc, 0x2e1b21385c26c926, 0x4d2c6dfc5ac42aed,
  0x53380d139d95b3df, 0x650a73548baf63de, 0x766a0abb3c77b2a8, 0x81c2c92e47edaee6, 0x92722c851482353b,
  0xa2bfe8a14cf10364, 0xa81a664bbc423001, 0xc24b8b70d0f89791, 0xc76c51a30654be30, 0xd192e819d6ef5218,
  0xd69906245565a910, 0xf40e35855771202a, 0x106aa07032bbd1b8, 0x19a4c116b8d2d0c8, 0x1e376c085141ab53,
  0x2748774cdf8eeb99, 0x34b0bcb5e19b48a8, 0x391c0cb3c5c95a63, 0x4ed8aa4ae3418acb, 0x5b9cca4f7763e373,
  0x682e6ff3d6b2b8a3, 0x748f82ee5defb2fc, 0x78a5636f43172f60, 0x84c87814a1f0ab72, 0x8cc702081a6439ec,
  0x90befffa23631e28, 0xa4506cebde82bde9, 0xbef9a3f7b2c67915, 0xc67178f2e372532b, 0xca273eceea26619c,
  0xd186b8c721c0c207, 0xeada7dd6cde0eb1e, 0xf57d4f7fee6ed178, 0x06f067aa72176fba, 0x0a637dc5a2c898a6,
  0x113f9804bef90dae, 0x1b710b35131c471b, 0x28db77f523047d84, 0x32caab7b40c72493, 0x3c9ebe0a15c9bebc,
  0x431d67c49c100d4c, 0x4cc5d4becb3e42b6, 0x597f299cfc657e2a, 0x5fcb6fab3ad6faec, 0x6c44198c4a475817,
];

// Absorbs `length` bytes at `ptr` into a partial `block` of `blockSize` bytes holding `buffered`
// bytes, compressing whole blocks with `compress`; returns the new count of buffered bytes.
// @ts-ignore: decorator
@inline
function absorb<T extends Hasher>(
  hasher: T,
  block: Uint8Array,
  blockSize: i32,
  buffered: i32,
  ptr: usize,
  length: i32,
): i32 {
  if (buffered > 0) {
    const take = min(blockSize - buffered, length);
    memory.copy(block.dataStart + <usize>buffered, ptr, <usize>take);
    buffered += take;
    ptr += <usize>take;
    length -= take;
    if (buffered < blockSize) return buffered;
    hasher.compress(block.dataStart);
    buffered = 0;
  }
  while (length >= blockSize) {
    hasher.compress(ptr);
    ptr += <usize>blockSize;
    length -= blockSize;
  }
  if (length > 0) memory.copy(block.dataStart, ptr, <usize>length);
  return length;
}

/** SHA-256 as an incremental hasher. */
export class Sha256Hasher extends Hasher {
  private h: StaticArray<u32> = new StaticArray<u32>(8);
  private w: StaticArray<u32> = new StaticArray<u32>(64);
  private block: Uint8Array = new Uint8Array(64);
  private buffered: i32 = 0;
  private total: u64 = 0;

  /** Creates a hasher in the initial state. */
  constructor() {
    super();
    this.reset();
  }

  /** The digest length in bytes (32). */
  get length(): i32 {
    return 32;
  }

  /** Returns to the initial state. */
  reset(): void {
    const h = this.h;
    unchecked((h[0] = 0x6a09e667));
    unchecked((h[1] = 0xbb67ae85));
    unchecked((h[2] = 0x3c6ef372));
    unchecked((h[3] = 0xa54ff53a));
    unchecked((h[4] = 0x510e527f));
    unchecked((h[5] = 0x9b05688c));
    unchecked((h[6] = 0x1f83d9ab));
    unchecked((h[7] = 0x5be0cd19));
    this.buffered = 0;
    this.total = 0;
  }

  /** Absorbs `data[start, end)`; the caller guarantees 0 <= start <= end <= data.length. */
  update(data: Uint8Array, start: i32, end: i32): void {
    this.total += <u64>(end - start);
    this.buffered = absorb(this, this.block, 64, this.buffered, data.dataStart + <usize>start, end - start);
  }

  /** Pads, and writes the 32-byte digest into `out`; the caller guarantees out.length >= 32. */
  finish(out: Uint8Array): void {
    const block = this.block.dataStart;
    let n = this.buffered;
    store<u8>(block + <usize>n, 0x80);
    n++;
    if (n > 56) {
      memory.fill(block + <usize>n, 0, <usize>(64 - n));
      this.compress(block);
      n = 0;
    }
    memory.fill(block + <usize>n, 0, <usize>(56 - n));
    store<u64>(block + 56, bswap64(this.total << 3));
    this.compress(block);
    const o = out.dataStart;
    for (let i = 0; i < 8; i++) store<u32>(o + <usize>(i << 2), bswap32(unchecked(this.h[i])));
  }

  /** Makes this state equal to `other`, which must be a Sha256Hasher. */
  copyFrom(other: Hasher): void {
    const from = changetype<Sha256Hasher>(other);
    memory.copy(changetype<usize>(this.h), changetype<usize>(from.h), 32);
    memory.copy(this.block.dataStart, from.block.dataStart, 64);
    this.buffered = from.buffered;
    this.total = from.total;
  }

  /** Compresses the 64-byte block at `ptr` into the state. */
  compress(ptr: usize): void {
    // Raw pointers keep the rounds free of managed locals, which the runtime would spill.
    compress256(changetype<usize>(this.h), changetype<usize>(this.w), ptr);
  }
}

/** SHA-512, or SHA-384 (another initial state, truncated), as an incremental hasher. */
export class Sha512Hasher extends Hasher {
  private h: StaticArray<u64> = new StaticArray<u64>(8);
  private w: StaticArray<u64> = new StaticArray<u64>(80);
  private block: Uint8Array = new Uint8Array(128);
  private buffered: i32 = 0;
  private total: u64 = 0;

  /** Creates a SHA-384 (`sha384` true) or SHA-512 hasher in the initial state. */
  constructor(private sha384: bool) {
    super();
    this.reset();
  }

  /** The digest length in bytes (48 or 64). */
  get length(): i32 {
    return this.sha384 ? 48 : 64;
  }

  /** Returns to the initial state. */
  reset(): void {
    const h = this.h;
    if (this.sha384) {
      unchecked((h[0] = 0xcbbb9d5dc1059ed8));
      unchecked((h[1] = 0x629a292a367cd507));
      unchecked((h[2] = 0x9159015a3070dd17));
      unchecked((h[3] = 0x152fecd8f70e5939));
      unchecked((h[4] = 0x67332667ffc00b31));
      unchecked((h[5] = 0x8eb44a8768581511));
      unchecked((h[6] = 0xdb0c2e0d64f98fa7));
      unchecked((h[7] = 0x47b5481dbefa4fa4));
    } else {
      unchecked((h[0] = 0x6a09e667f3bcc908));
      unchecked((h[1] = 0xbb67ae8584caa73b));
      unchecked((h[2] = 0x3c6ef372fe94f82b));
      unchecked((h[3] = 0xa54ff53a5f1d36f1));
      unchecked((h[4] = 0x510e527fade682d1));
      unchecked((h[5] = 0x9b05688c2b3e6c1f));
      unchecked((h[6] = 0x1f83d9abfb41bd6b));
      unchecked((h[7] = 0x5be0cd19137e2179));
    }
    this.buffered = 0;
    this.total = 0;
  }

  /** Absorbs `data[start, end)`; the caller guarantees 0 <= start <= end <= data.length. */
  update(data: Uint8Array, start: i32, end: i32): void {
    this.total += <u64>(end - start);
    this.buffered = absorb(this, this.block, 128, this.buffered, data.dataStart + <usize>start, end - start);
  }

  /** Pads, and writes the 48- or 64-byte digest into `out`; the caller guarantees out.length >= length. */
  finish(out: Uint8Array): void {
    const block = this.block.dataStart;
    let n = this.buffered;
    store<u8>(block + <usize>n, 0x80);
    n++;
    if (n > 112) {
      memory.fill(block + <usize>n, 0, <usize>(128 - n));
      this.compress(block);
      n = 0;
    }
    // Inputs stay far below 2^61 bytes, so the high half of the 128-bit bit length is zero.
    memory.fill(block + <usize>n, 0, <usize>(120 - n));
    store<u64>(block + 120, bswap64(this.total << 3));
    this.compress(block);
    const o = out.dataStart;
    const words = this.sha384 ? 6 : 8;
    for (let i = 0; i < words; i++) store<u64>(o + <usize>(i << 3), bswap64(unchecked(this.h[i])));
  }

  /** Makes this state equal to `other`, which must be a Sha512Hasher of the same variant. */
  copyFrom(other: Hasher): void {
    const from = changetype<Sha512Hasher>(other);
    memory.copy(changetype<usize>(this.h), changetype<usize>(from.h), 64);
    memory.copy(this.block.dataStart, from.block.dataStart, 128);
    this.buffered = from.buffered;
    this.total = from.total;
  }

  /** Compresses the 128-byte block at `ptr` into the state. */
  compress(ptr: usize): void {
    compress512(changetype<usize>(this.h), changetype<usize>(this.w), ptr);
  }
}

// @ts-ignore: decorator
@inline
function bswap32(x: u32): u32 {
  return (rotl<u32>(x, 8) & 0x00ff00ff) | (rotr<u32>(x, 8) & 0xff00ff00);
}

// @ts-ignore: decorator
@inline
function bswap64(x: u64): u64 {
  x = ((x & 0x00ff00ff00ff00ff) << 8) | ((x >>> 8) & 0x00ff00ff00ff00ff);
  x = ((x & 0x0000ffff0000ffff) << 16) | ((x >>> 16) & 0x0000ffff0000ffff);
  return rotr<u64>(x, 32);
}

// One SHA-256 block (FIPS 180-4 section 6.2.2): state at `h`, 64-word schedule at `w`, block at `ptr`.
function compress256(h: usize, w: usize, ptr: usize): void {
  const k = changetype<usize>(K256);
  for (let t: usize = 0; t < 64; t += 4) store<u32>(w + t, bswap32(load<u32>(ptr + t)));
  for (let t: usize = 64; t < 256; t += 4) {
    const x = load<u32>(w + t - 60);
    const y = load<u32>(w + t - 8);
    const s0 = rotr<u32>(x, 7) ^ rotr<u32>(x, 18) ^ (x >>> 3);
    const s1 = rotr<u32>(y, 17) ^ rotr<u32>(y, 19) ^ (y >>> 10);
    store<u32>(w + t, load<u32>(w + t - 64) + s0 + load<u32>(w + t - 28) + s1);
  }
  let a = load<u32>(h, 0);
  let b = load<u32>(h, 4);
  let c = load<u32>(h, 8);
  let d = load<u32>(h, 12);
  let e = load<u32>(h, 16);
  let f = load<u32>(h, 20);
  let g = load<u32>(h, 24);
  let hh = load<u32>(h, 28);
  for (let t: usize = 0; t < 256; t += 4) {
    const t1 =
      hh +
      (rotr<u32>(e, 6) ^ rotr<u32>(e, 11) ^ rotr<u32>(e, 25)) +
      (g ^ (e & (f ^ g))) +
      load<u32>(k + t) +
      load<u32>(w + t);
    const t2 = (rotr<u32>(a, 2) ^ rotr<u32>(a, 13) ^ rotr<u32>(a, 22)) + ((a & b) | (c & (a | b)));
    hh = g;
    g = f;
    f = e;
    e = d + t1;
    d = c;
    c = b;
    b = a;
    a = t1 + t2;
  }
  store<u32>(h, load<u32>(h, 0) + a, 0);
  store<u32>(h, load<u32>(h, 4) + b, 4);
  store<u32>(h, load<u32>(h, 8) + c, 8);
  store<u32>(h, load<u32>(h, 12) + d, 12);
  store<u32>(h, load<u32>(h, 16) + e, 16);
  store<u32>(h, load<u32>(h, 20) + f, 20);
  store<u32>(h, load<u32>(h, 24) + g, 24);
  store<u32>(h, load<u32>(h, 28) + hh, 28);
}

// One SHA-512 block (FIPS 180-4 section 6.4.2): state at `h`, 80-word schedule at `w`, block at `ptr`.
function compress512(h: usize, w: usize, ptr: usize): void {
  const k = changetype<usize>(K512);
  for (let t: usize = 0; t < 128; t += 8) store<u64>(w + t, bswap64(load<u64>(ptr + t)));
  for (let t: usize = 128; t < 640; t += 8) {
    const x = load<u64>(w + t - 120);
    const y = load<u64>(w + t - 16);
    const s0 = rotr<u64>(x, 1) ^ rotr<u64>(x, 8) ^ (x >>> 7);
    const s1 = rotr<u64>(y, 19) ^ rotr<u64>(y, 61) ^ (y >>> 6);
    store<u64>(w + t, load<u64>(w + t - 128) + s0 + load<u64>(w + t - 56) + s1);
  }
  let a = load<u64>(h, 0);
  let b = load<u64>(h, 8);
  let c = load<u64>(h, 16);
  let d = load<u64>(h, 24);
  let e = load<u64>(h, 32);
  let f = load<u64>(h, 40);
  let g = load<u64>(h, 48);
  let hh = load<u64>(h, 56);
  for (let t: usize = 0; t < 640; t += 8) {
    const t1 =
      hh +
      (rotr<u64>(e, 14) ^ rotr<u64>(e, 18) ^ rotr<u64>(e, 41)) +
      (g ^ (e & (f ^ g))) +
      load<u64>(k + t) +
      load<u64>(w + t);
    const t2 = (rotr<u64>(a, 28) ^ rotr<u64>(a, 34) ^ rotr<u64>(a, 39)) + ((a & b) | (c & (a | b)));
    hh = g;
    g = f;
    f = e;
    e = d + t1;
    d = c;
    c = b;
    b = a;
    a = t1 + t2;
  }
  store<u64>(h, load<u64>(h, 0) + a, 0);
  store<u64>(h, load<u64>(h, 8) + b, 8);
  store<u64>(h, load<u64>(h, 16) + c, 16);
  store<u64>(h, load<u64>(h, 24) + d, 24);
  store<u64>(h, load<u64>(h, 32) + e, 32);
  store<u64>(h, load<u64>(h, 40) + f, 40);
  store<u64>(h, load<u64>(h, 48) + g, 48);
  store<u64>(h, load<u64>(h, 56) + hh, 56);
}

function hashWith(hasher: Hasher, data: Uint8Array): Uint8Array {
  hasher.update(data, 0, data.length);
  const out = new Uint8Array(hasher.length);
  hasher.finish(out);
  return out;
}

/** Returns the SHA-256 digest (32 bytes) of `data`. */
export function sha256(data: Uint8Array): Uint8Array {
  return hashWith(new Sha256Hasher(), data);
}

/** Returns the SHA-512 digest (64 bytes) of `data`. */
export function sha512(data: Uint8Array): Uint8Array {
  return hashWith(new Sha512Hasher(false), data);
}

/** Returns the SHA-384 digest (48 bytes) of `data`. */
export function sha384(data: Uint8Array): Uint8Array {
  return hashWith(new Sha512Hasher(true), data);
}
