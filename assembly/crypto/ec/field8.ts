// Field operations specialised to 8 limbs (P-256's group order; add and subtract also serve its
// field): words live in locals so the engine keeps them in registers, and each result is fully
// reduced before it is stored.

/** out = a * b / 2^256 mod m (CIOS Montgomery) for reduced operands at raw addresses; k = -m^-1 mod
 * 2^32; out may alias a or b. */
export function montgomeryMultiply8(out: usize, a: usize, b: usize, m: usize, k: u64): void {
  const a0 = <u64>load<u32>(a, 0);
  const a1 = <u64>load<u32>(a, 4);
  const a2 = <u64>load<u32>(a, 8);
  const a3 = <u64>load<u32>(a, 12);
  const a4 = <u64>load<u32>(a, 16);
  const a5 = <u64>load<u32>(a, 20);
  const a6 = <u64>load<u32>(a, 24);
  const a7 = <u64>load<u32>(a, 28);
  const m0 = <u64>load<u32>(m, 0);
  const m1 = <u64>load<u32>(m, 4);
  const m2 = <u64>load<u32>(m, 8);
  const m3 = <u64>load<u32>(m, 12);
  const m4 = <u64>load<u32>(m, 16);
  const m5 = <u64>load<u32>(m, 20);
  const m6 = <u64>load<u32>(m, 24);
  const m7 = <u64>load<u32>(m, 28);
  let s: u64, c: u64, q: u64;
  let t0: u64 = 0;
  let t1: u64 = 0;
  let t2: u64 = 0;
  let t3: u64 = 0;
  let t4: u64 = 0;
  let t5: u64 = 0;
  let t6: u64 = 0;
  let t7: u64 = 0;
  let t8: u64 = 0;
  let t9: u64 = 0;
  for (let i: usize = 0; i < 32; i += 4) {
    const bi = <u64>load<u32>(b + i);
    c = 0;
    s = t0 + a0 * bi + c;
    t0 = s & 0xffffffff;
    c = s >> 32;
    s = t1 + a1 * bi + c;
    t1 = s & 0xffffffff;
    c = s >> 32;
    s = t2 + a2 * bi + c;
    t2 = s & 0xffffffff;
    c = s >> 32;
    s = t3 + a3 * bi + c;
    t3 = s & 0xffffffff;
    c = s >> 32;
    s = t4 + a4 * bi + c;
    t4 = s & 0xffffffff;
    c = s >> 32;
    s = t5 + a5 * bi + c;
    t5 = s & 0xffffffff;
    c = s >> 32;
    s = t6 + a6 * bi + c;
    t6 = s & 0xffffffff;
    c = s >> 32;
    s = t7 + a7 * bi + c;
    t7 = s & 0xffffffff;
    c = s >> 32;
    s = t8 + c;
    t8 = s & 0xffffffff;
    t9 = s >> 32;
    q = (t0 * k) & 0xffffffff;
    c = (t0 + q * m0) >> 32;
    s = t1 + q * m1 + c;
    t0 = s & 0xffffffff;
    c = s >> 32;
    s = t2 + q * m2 + c;
    t1 = s & 0xffffffff;
    c = s >> 32;
    s = t3 + q * m3 + c;
    t2 = s & 0xffffffff;
    c = s >> 32;
    s = t4 + q * m4 + c;
    t3 = s & 0xffffffff;
    c = s >> 32;
    s = t5 + q * m5 + c;
    t4 = s & 0xffffffff;
    c = s >> 32;
    s = t6 + q * m6 + c;
    t5 = s & 0xffffffff;
    c = s >> 32;
    s = t7 + q * m7 + c;
    t6 = s & 0xffffffff;
    c = s >> 32;
    s = t8 + c;
    t7 = s & 0xffffffff;
    t8 = t9 + (s >> 32);
  }
  let d: i64 = 0;
  d = <i64>t0 - <i64>m0 + (d >> 32);
  const d0 = <u32>d;
  d = <i64>t1 - <i64>m1 + (d >> 32);
  const d1 = <u32>d;
  d = <i64>t2 - <i64>m2 + (d >> 32);
  const d2 = <u32>d;
  d = <i64>t3 - <i64>m3 + (d >> 32);
  const d3 = <u32>d;
  d = <i64>t4 - <i64>m4 + (d >> 32);
  const d4 = <u32>d;
  d = <i64>t5 - <i64>m5 + (d >> 32);
  const d5 = <u32>d;
  d = <i64>t6 - <i64>m6 + (d >> 32);
  const d6 = <u32>d;
  d = <i64>t7 - <i64>m7 + (d >> 32);
  const d7 = <u32>d;
  if (t8 != 0 || d >= 0) {
    store<u32>(out, d0, 0);
    store<u32>(out, d1, 4);
    store<u32>(out, d2, 8);
    store<u32>(out, d3, 12);
    store<u32>(out, d4, 16);
    store<u32>(out, d5, 20);
    store<u32>(out, d6, 24);
    store<u32>(out, d7, 28);
  } else {
    store<u32>(out, <u32>t0, 0);
    store<u32>(out, <u32>t1, 4);
    store<u32>(out, <u32>t2, 8);
    store<u32>(out, <u32>t3, 12);
    store<u32>(out, <u32>t4, 16);
    store<u32>(out, <u32>t5, 20);
    store<u32>(out, <u32>t6, 24);
    store<u32>(out, <u32>t7, 28);
  }
}

/** out = a + b mod m for reduced 8-limb operands at raw addresses; out may alias either. */
export function modularAdd8(out: usize, a: usize, b: usize, m: usize): void {
  const m0 = <u64>load<u32>(m, 0);
  const m1 = <u64>load<u32>(m, 4);
  const m2 = <u64>load<u32>(m, 8);
  const m3 = <u64>load<u32>(m, 12);
  const m4 = <u64>load<u32>(m, 16);
  const m5 = <u64>load<u32>(m, 20);
  const m6 = <u64>load<u32>(m, 24);
  const m7 = <u64>load<u32>(m, 28);
  let s: u64 = 0;
  s = <u64>load<u32>(a, 0) + <u64>load<u32>(b, 0) + (s >> 32);
  const s0 = s & 0xffffffff;
  s = <u64>load<u32>(a, 4) + <u64>load<u32>(b, 4) + (s >> 32);
  const s1 = s & 0xffffffff;
  s = <u64>load<u32>(a, 8) + <u64>load<u32>(b, 8) + (s >> 32);
  const s2 = s & 0xffffffff;
  s = <u64>load<u32>(a, 12) + <u64>load<u32>(b, 12) + (s >> 32);
  const s3 = s & 0xffffffff;
  s = <u64>load<u32>(a, 16) + <u64>load<u32>(b, 16) + (s >> 32);
  const s4 = s & 0xffffffff;
  s = <u64>load<u32>(a, 20) + <u64>load<u32>(b, 20) + (s >> 32);
  const s5 = s & 0xffffffff;
  s = <u64>load<u32>(a, 24) + <u64>load<u32>(b, 24) + (s >> 32);
  const s6 = s & 0xffffffff;
  s = <u64>load<u32>(a, 28) + <u64>load<u32>(b, 28) + (s >> 32);
  const s7 = s & 0xffffffff;
  let d: i64 = 0;
  d = <i64>s0 - <i64>m0 + (d >> 32);
  const d0 = <u32>d;
  d = <i64>s1 - <i64>m1 + (d >> 32);
  const d1 = <u32>d;
  d = <i64>s2 - <i64>m2 + (d >> 32);
  const d2 = <u32>d;
  d = <i64>s3 - <i64>m3 + (d >> 32);
  const d3 = <u32>d;
  d = <i64>s4 - <i64>m4 + (d >> 32);
  const d4 = <u32>d;
  d = <i64>s5 - <i64>m5 + (d >> 32);
  const d5 = <u32>d;
  d = <i64>s6 - <i64>m6 + (d >> 32);
  const d6 = <u32>d;
  d = <i64>s7 - <i64>m7 + (d >> 32);
  const d7 = <u32>d;
  if (s >> 32 != 0 || d >= 0) {
    store<u32>(out, d0, 0);
    store<u32>(out, d1, 4);
    store<u32>(out, d2, 8);
    store<u32>(out, d3, 12);
    store<u32>(out, d4, 16);
    store<u32>(out, d5, 20);
    store<u32>(out, d6, 24);
    store<u32>(out, d7, 28);
  } else {
    store<u32>(out, <u32>s0, 0);
    store<u32>(out, <u32>s1, 4);
    store<u32>(out, <u32>s2, 8);
    store<u32>(out, <u32>s3, 12);
    store<u32>(out, <u32>s4, 16);
    store<u32>(out, <u32>s5, 20);
    store<u32>(out, <u32>s6, 24);
    store<u32>(out, <u32>s7, 28);
  }
}

/** out = a - b mod m for reduced 8-limb operands at raw addresses; out may alias either. */
export function modularSubtract8(out: usize, a: usize, b: usize, m: usize): void {
  let d: i64 = 0;
  d = <i64>load<u32>(a, 0) - <i64>load<u32>(b, 0) + (d >> 32);
  const d0 = <u32>d;
  d = <i64>load<u32>(a, 4) - <i64>load<u32>(b, 4) + (d >> 32);
  const d1 = <u32>d;
  d = <i64>load<u32>(a, 8) - <i64>load<u32>(b, 8) + (d >> 32);
  const d2 = <u32>d;
  d = <i64>load<u32>(a, 12) - <i64>load<u32>(b, 12) + (d >> 32);
  const d3 = <u32>d;
  d = <i64>load<u32>(a, 16) - <i64>load<u32>(b, 16) + (d >> 32);
  const d4 = <u32>d;
  d = <i64>load<u32>(a, 20) - <i64>load<u32>(b, 20) + (d >> 32);
  const d5 = <u32>d;
  d = <i64>load<u32>(a, 24) - <i64>load<u32>(b, 24) + (d >> 32);
  const d6 = <u32>d;
  d = <i64>load<u32>(a, 28) - <i64>load<u32>(b, 28) + (d >> 32);
  const d7 = <u32>d;
  if (d >= 0) {
    store<u32>(out, d0, 0);
    store<u32>(out, d1, 4);
    store<u32>(out, d2, 8);
    store<u32>(out, d3, 12);
    store<u32>(out, d4, 16);
    store<u32>(out, d5, 20);
    store<u32>(out, d6, 24);
    store<u32>(out, d7, 28);
    return;
  }
  let s: u64 = 0;
  s = <u64>d0 + <u64>load<u32>(m, 0) + (s >> 32);
  store<u32>(out, <u32>s, 0);
  s = <u64>d1 + <u64>load<u32>(m, 4) + (s >> 32);
  store<u32>(out, <u32>s, 4);
  s = <u64>d2 + <u64>load<u32>(m, 8) + (s >> 32);
  store<u32>(out, <u32>s, 8);
  s = <u64>d3 + <u64>load<u32>(m, 12) + (s >> 32);
  store<u32>(out, <u32>s, 12);
  s = <u64>d4 + <u64>load<u32>(m, 16) + (s >> 32);
  store<u32>(out, <u32>s, 16);
  s = <u64>d5 + <u64>load<u32>(m, 20) + (s >> 32);
  store<u32>(out, <u32>s, 20);
  s = <u64>d6 + <u64>load<u32>(m, 24) + (s >> 32);
  store<u32>(out, <u32>s, 24);
  s = <u64>d7 + <u64>load<u32>(m, 28) + (s >> 32);
  store<u32>(out, <u32>s, 28);
}
