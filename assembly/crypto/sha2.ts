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

// prettier-ignore
const K256: StaticArray<u32> = [
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
const K512: StaticArray<u64> = [
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

// Pads `data` to whole blocks with the FIPS 180-4 length suffix (`lengthBytes` = 8 or 16).
function pad(data: Uint8Array, block: i32, lengthBytes: i32): Uint8Array {
  const total = ((data.length + 1 + lengthBytes + block - 1) / block) * block;
  const out = new Uint8Array(total);
  out.set(data);
  out[data.length] = 0x80;
  const bits = (<u64>data.length) << 3;
  for (let i = 0; i < 8; i++) out[total - 1 - i] = <u8>(bits >> (<u64>(i * 8)));
  return out;
}

/** Returns the SHA-256 digest (32 bytes) of `data`. */
export function sha256(data: Uint8Array): Uint8Array {
  const h = new StaticArray<u32>(8);
  h[0] = 0x6a09e667;
  h[1] = 0xbb67ae85;
  h[2] = 0x3c6ef372;
  h[3] = 0xa54ff53a;
  h[4] = 0x510e527f;
  h[5] = 0x9b05688c;
  h[6] = 0x1f83d9ab;
  h[7] = 0x5be0cd19;
  const padded = pad(data, 64, 8);
  const w = new StaticArray<u32>(64);
  for (let offset = 0; offset < padded.length; offset += 64) {
    for (let t = 0; t < 16; t++) {
      const i = offset + t * 4;
      unchecked(
        (w[t] =
          ((<u32>unchecked(padded[i])) << 24) |
          ((<u32>unchecked(padded[i + 1])) << 16) |
          ((<u32>unchecked(padded[i + 2])) << 8) |
          (<u32>unchecked(padded[i + 3]))),
      );
    }
    for (let t = 16; t < 64; t++) {
      const x = unchecked(w[t - 15]);
      const y = unchecked(w[t - 2]);
      const s0 = rotr(x, 7) ^ rotr(x, 18) ^ (x >>> 3);
      const s1 = rotr(y, 17) ^ rotr(y, 19) ^ (y >>> 10);
      unchecked((w[t] = unchecked(w[t - 16]) + s0 + unchecked(w[t - 7]) + s1));
    }
    let a = h[0];
    let b = h[1];
    let c = h[2];
    let d = h[3];
    let e = h[4];
    let f = h[5];
    let g = h[6];
    let k = h[7];
    for (let t = 0; t < 64; t++) {
      const t1 =
        k + (rotr(e, 6) ^ rotr(e, 11) ^ rotr(e, 25)) + ((e & f) ^ (~e & g)) + unchecked(K256[t]) + unchecked(w[t]);
      const t2 = (rotr(a, 2) ^ rotr(a, 13) ^ rotr(a, 22)) + ((a & b) ^ (a & c) ^ (b & c));
      k = g;
      g = f;
      f = e;
      e = d + t1;
      d = c;
      c = b;
      b = a;
      a = t1 + t2;
    }
    h[0] += a;
    h[1] += b;
    h[2] += c;
    h[3] += d;
    h[4] += e;
    h[5] += f;
    h[6] += g;
    h[7] += k;
  }
  const out = new Uint8Array(32);
  for (let i = 0; i < 8; i++) {
    const v = h[i];
    out[i * 4] = <u8>(v >>> 24);
    out[i * 4 + 1] = <u8>(v >>> 16);
    out[i * 4 + 2] = <u8>(v >>> 8);
    out[i * 4 + 3] = <u8>v;
  }
  return out;
}

// @ts-ignore: decorator
@inline
function rotr(x: u32, n: u32): u32 {
  return (x >>> n) | (x << (32 - n));
}

// @ts-ignore: decorator
@inline
function rotr64(x: u64, n: u64): u64 {
  return (x >>> n) | (x << (64 - n));
}

function sha512Core(data: Uint8Array, iv: StaticArray<u64>, outLength: i32): Uint8Array {
  const h = iv;
  const padded = pad(data, 128, 16);
  const w = new StaticArray<u64>(80);
  for (let offset = 0; offset < padded.length; offset += 128) {
    for (let t = 0; t < 16; t++) {
      let v: u64 = 0;
      for (let j = 0; j < 8; j++) v = (v << 8) | (<u64>unchecked(padded[offset + t * 8 + j]));
      unchecked((w[t] = v));
    }
    for (let t = 16; t < 80; t++) {
      const x = unchecked(w[t - 15]);
      const y = unchecked(w[t - 2]);
      const s0 = rotr64(x, 1) ^ rotr64(x, 8) ^ (x >>> 7);
      const s1 = rotr64(y, 19) ^ rotr64(y, 61) ^ (y >>> 6);
      unchecked((w[t] = unchecked(w[t - 16]) + s0 + unchecked(w[t - 7]) + s1));
    }
    let a = h[0];
    let b = h[1];
    let c = h[2];
    let d = h[3];
    let e = h[4];
    let f = h[5];
    let g = h[6];
    let k = h[7];
    for (let t = 0; t < 80; t++) {
      const t1 =
        k +
        (rotr64(e, 14) ^ rotr64(e, 18) ^ rotr64(e, 41)) +
        ((e & f) ^ (~e & g)) +
        unchecked(K512[t]) +
        unchecked(w[t]);
      const t2 = (rotr64(a, 28) ^ rotr64(a, 34) ^ rotr64(a, 39)) + ((a & b) ^ (a & c) ^ (b & c));
      k = g;
      g = f;
      f = e;
      e = d + t1;
      d = c;
      c = b;
      b = a;
      a = t1 + t2;
    }
    h[0] += a;
    h[1] += b;
    h[2] += c;
    h[3] += d;
    h[4] += e;
    h[5] += f;
    h[6] += g;
    h[7] += k;
  }
  const out = new Uint8Array(outLength);
  for (let i = 0; i < outLength; i++) out[i] = <u8>(h[i >> 3] >>> (<u64>(56 - (i & 7) * 8)));
  return out;
}

/** Returns the SHA-512 digest (64 bytes) of `data`. */
export function sha512(data: Uint8Array): Uint8Array {
  const iv = new StaticArray<u64>(8);
  iv[0] = 0x6a09e667f3bcc908;
  iv[1] = 0xbb67ae8584caa73b;
  iv[2] = 0x3c6ef372fe94f82b;
  iv[3] = 0xa54ff53a5f1d36f1;
  iv[4] = 0x510e527fade682d1;
  iv[5] = 0x9b05688c2b3e6c1f;
  iv[6] = 0x1f83d9abfb41bd6b;
  iv[7] = 0x5be0cd19137e2179;
  return sha512Core(data, iv, 64);
}

/** Returns the SHA-384 digest (48 bytes) of `data`. */
export function sha384(data: Uint8Array): Uint8Array {
  const iv = new StaticArray<u64>(8);
  iv[0] = 0xcbbb9d5dc1059ed8;
  iv[1] = 0x629a292a367cd507;
  iv[2] = 0x9159015a3070dd17;
  iv[3] = 0x152fecd8f70e5939;
  iv[4] = 0x67332667ffc00b31;
  iv[5] = 0x8eb44a8768581511;
  iv[6] = 0xdb0c2e0d64f98fa7;
  iv[7] = 0x47b5481dbefa4fa4;
  return sha512Core(data, iv, 48);
}
