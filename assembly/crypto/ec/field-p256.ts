// Montgomery multiplication modulo P-256's p = 2^256 - 2^224 + 2^192 + 2^96 - 1: p's
// zero and one words fold away, and -p^-1 mod 2^32 = 1 makes each reduction multiplier the low word.
// Words live in locals so the engine keeps them in registers.

/** out = a * b / 2^256 mod p for reduced operands at raw addresses; out may alias a or b. */
export function montgomeryMultiplyP256(out: usize, a: usize, b: usize): void {
  const a0 = <u64>load<u32>(a, 0);
  const a1 = <u64>load<u32>(a, 4);
  const a2 = <u64>load<u32>(a, 8);
  const a3 = <u64>load<u32>(a, 12);
  const a4 = <u64>load<u32>(a, 16);
  const a5 = <u64>load<u32>(a, 20);
  const a6 = <u64>load<u32>(a, 24);
  const a7 = <u64>load<u32>(a, 28);
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
    q = t0;
    c = q;
    s = t1 + q * 0xffffffff + c;
    t0 = s & 0xffffffff;
    c = s >> 32;
    s = t2 + q * 0xffffffff + c;
    t1 = s & 0xffffffff;
    c = s >> 32;
    s = t3 + c;
    t2 = s & 0xffffffff;
    c = s >> 32;
    s = t4 + c;
    t3 = s & 0xffffffff;
    c = s >> 32;
    s = t5 + c;
    t4 = s & 0xffffffff;
    c = s >> 32;
    s = t6 + q + c;
    t5 = s & 0xffffffff;
    c = s >> 32;
    s = t7 + q * 0xffffffff + c;
    t6 = s & 0xffffffff;
    c = s >> 32;
    s = t8 + c;
    t7 = s & 0xffffffff;
    t8 = t9 + (s >> 32);
  }
  let d: i64 = 0;
  d = <i64>t0 - 0xffffffff + (d >> 32);
  const d0 = <u32>d;
  d = <i64>t1 - 0xffffffff + (d >> 32);
  const d1 = <u32>d;
  d = <i64>t2 - 0xffffffff + (d >> 32);
  const d2 = <u32>d;
  d = <i64>t3 - 0x0 + (d >> 32);
  const d3 = <u32>d;
  d = <i64>t4 - 0x0 + (d >> 32);
  const d4 = <u32>d;
  d = <i64>t5 - 0x0 + (d >> 32);
  const d5 = <u32>d;
  d = <i64>t6 - 0x1 + (d >> 32);
  const d6 = <u32>d;
  d = <i64>t7 - 0xffffffff + (d >> 32);
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
