// Arithmetic modulo an odd prime in Montgomery form over little-endian u32 limbs (CIOS
// multiplication). One instance serves each curve's base field and each curve's group order; the
// limb count is fixed per instance, and every result is kept fully reduced so equality is wordwise.
// Elements are raw addresses in memory that lives as long as the module (per-curve state is built
// once), so the hot paths carry no garbage-collector bookkeeping.

import { montgomeryMultiplyP256 } from "./field-p256";
import { montgomerySquareP256 } from "./field-p256-square";
import { modularAdd8, modularSubtract8, montgomeryMultiply8 } from "./field8";

/** The address of a field element or scalar: `limbs` little-endian u32 words. */
export type Limbs = usize;

/** Allocates `words` zeroed u32 words that are never freed (for per-curve state built once). */
export function allocate(words: i32): Limbs {
  const size = (<usize>words) << 2;
  const address = heap.alloc(size);
  memory.fill(address, 0, size);
  return address;
}

/** Arithmetic modulo the odd prime given to the constructor; `limbs` words per element. */
@unmanaged
export class Field {
  /** Number of u32 words in every element of this field. */
  readonly limbs: i32;
  /** The modulus, plain. */
  readonly modulus: Limbs;
  /** R mod m, which is 1 in Montgomery form. */
  readonly one: Limbs;
  private readonly rSquared: Limbs;
  private readonly exponent: Limbs;
  private readonly inverse0: u64;
  private readonly scratch: Limbs;
  private readonly power: Limbs;
  private readonly powers: Limbs;
  private readonly p256: bool;

  /** Prepares arithmetic modulo the odd `limbs`-word `m` (kept, not copied); `p256` says it is P-256's p. */
  constructor(m: Limbs, limbs: i32, p256: bool) {
    this.limbs = limbs;
    this.p256 = p256;
    this.modulus = m;
    this.scratch = allocate(limbs + 2);
    this.power = allocate(limbs);
    this.powers = allocate(16 * limbs);
    // Newton's iteration doubles the correct low bits of m^-1 mod 2^32 on each step.
    let inverse: u32 = 1;
    for (let i = 0; i < 5; i++) inverse *= 2 - load<u32>(m) * inverse;
    this.inverse0 = <u64>-inverse;
    const r2 = allocate(limbs);
    const one = allocate(limbs);
    const e = allocate(limbs);
    this.rSquared = r2;
    this.one = one;
    this.exponent = e;
    // R^2 mod m by doubling 1 modulo m, 64 * limbs times; then R = 1 * R^2 / R.
    store<u32>(r2, 1);
    for (let i = 0; i < 64 * limbs; i++) this.add(r2, r2, r2);
    store<u32>(one, 1);
    this.toMontgomery(one, one);
    // m - 2, the Fermat inversion exponent (m is odd and > 2, so no borrow leaves limb 0).
    this.copy(e, m);
    store<u32>(e, load<u32>(e) - 2);
  }

  /** A new zero element of this field (never freed). */
  element(): Limbs {
    return allocate(this.limbs);
  }

  /** out = a * b / R mod m; out may alias a or b; needs a < R and b < m. */
  mul(out: Limbs, a: Limbs, b: Limbs): void {
    if (this.p256) montgomeryMultiplyP256(out, a, b);
    else if (this.limbs == 8) montgomeryMultiply8(out, a, b, this.modulus, this.inverse0);
    else this.mulAnySize(out, a, b);
  }

  /** out = a^2 / R mod m. */
  sqr(out: Limbs, a: Limbs): void {
    if (this.p256) montgomerySquareP256(out, a);
    else this.mul(out, a, a);
  }

  /** out = a + b mod m, for reduced a and b; out may alias either. */
  add(out: Limbs, a: Limbs, b: Limbs): void {
    if (this.limbs == 8) {
      modularAdd8(out, a, b, this.modulus);
      return;
    }
    const n = (<usize>this.limbs) << 2;
    let c: u64 = 0;
    for (let i: usize = 0; i < n; i += 4) {
      const s = <u64>load<u32>(a + i) + <u64>load<u32>(b + i) + c;
      store<u32>(out + i, <u32>s);
      c = s >> 32;
    }
    this.reduceOnce(out, out, c != 0);
  }

  /** out = a - b mod m, for reduced a and b; out may alias either. */
  sub(out: Limbs, a: Limbs, b: Limbs): void {
    if (this.limbs == 8) {
      modularSubtract8(out, a, b, this.modulus);
      return;
    }
    const n = (<usize>this.limbs) << 2;
    let borrow: i64 = 0;
    for (let i: usize = 0; i < n; i += 4) {
      const d = <i64>load<u32>(a + i) - <i64>load<u32>(b + i) + borrow;
      store<u32>(out + i, <u32>d);
      borrow = d >> 32;
    }
    if (borrow == 0) return;
    const m = this.modulus;
    let c: u64 = 0;
    for (let i: usize = 0; i < n; i += 4) {
      const s = <u64>load<u32>(out + i) + <u64>load<u32>(m + i) + c;
      store<u32>(out + i, <u32>s);
      c = s >> 32;
    }
  }

  /** out = a converted into Montgomery form; a must be below m. */
  toMontgomery(out: Limbs, a: Limbs): void {
    this.mul(out, a, this.rSquared);
  }

  /** out = a^-1 in Montgomery form (Fermat's little theorem, 4-bit fixed window); zero maps to zero. */
  invert(out: Limbs, a: Limbs): void {
    const size = (<usize>this.limbs) << 2;
    const powers = this.powers;
    const e = this.exponent;
    this.copy(powers + size, a);
    for (let i: usize = 2; i < 16; i++) this.mul(powers + i * size, powers + (i - 1) * size, a);
    const p = this.power;
    this.copy(p, this.one);
    for (let i = this.limbs * 8 - 1; i >= 0; i--) {
      this.sqr(p, p);
      this.sqr(p, p);
      this.sqr(p, p);
      this.sqr(p, p);
      const digit = (load<u32>(e + (((<usize>i) >>> 3) << 2)) >>> (((<u32>i) & 7) << 2)) & 15;
      if (digit != 0) this.mul(p, p, powers + <usize>digit * size);
    }
    this.copy(out, p);
  }

  /** Whether a is strictly below the modulus. */
  below(a: Limbs): bool {
    return this.compare(a, this.modulus) < 0;
  }

  /** -1, 0 or 1 as a compares with b. */
  compare(a: Limbs, b: Limbs): i32 {
    for (let i = (<usize>this.limbs - 1) << 2; <isize>i >= 0; i -= 4) {
      const x = load<u32>(a + i);
      const y = load<u32>(b + i);
      if (x != y) return x < y ? -1 : 1;
    }
    return 0;
  }

  /** Whether a is zero. */
  isZero(a: Limbs): bool {
    let bits: u32 = 0;
    for (let i: usize = 0; i < (<usize>this.limbs) << 2; i += 4) bits |= load<u32>(a + i);
    return bits == 0;
  }

  /** a = b. */
  copy(a: Limbs, b: Limbs): void {
    memory.copy(a, b, (<usize>this.limbs) << 2);
  }

  /** a = 0. */
  clear(a: Limbs): void {
    memory.fill(a, 0, (<usize>this.limbs) << 2);
  }

  /** Reads `length` big-endian bytes of `bytes` from `offset` into a; false if they do not fit in it. */
  fromBytes(a: Limbs, bytes: Uint8Array, offset: i32, length: i32): bool {
    if (offset < 0 || length < 0 || offset + length > bytes.length) return false;
    this.clear(a);
    const words = this.limbs;
    for (let i = 0; i < length; i++) {
      const byte = <u32>unchecked(bytes[offset + length - 1 - i]);
      if (byte == 0) continue;
      if (i >>> 2 >= words) return false;
      const at = a + (((<usize>i) >>> 2) << 2);
      store<u32>(at, load<u32>(at) | (byte << (((<u32>i) & 3) << 3)));
    }
    return true;
  }

  // CIOS over any limb count.
  private mulAnySize(out: Limbs, a: Limbs, b: Limbs): void {
    const n = (<usize>this.limbs) << 2;
    const m = this.modulus;
    const t = this.scratch;
    const k = this.inverse0;
    memory.fill(t, 0, n + 8);
    for (let i: usize = 0; i < n; i += 4) {
      const bi = <u64>load<u32>(b + i);
      let c: u64 = 0;
      for (let j: usize = 0; j < n; j += 4) {
        const s = <u64>load<u32>(t + j) + <u64>load<u32>(a + j) * bi + c;
        store<u32>(t + j, <u32>s);
        c = s >> 32;
      }
      let s = <u64>load<u32>(t + n) + c;
      store<u32>(t + n, <u32>s);
      store<u32>(t + n + 4, <u32>(s >> 32));
      const t0 = load<u32>(t);
      const q = (<u64>t0 * k) & 0xffffffff;
      s = <u64>t0 + q * <u64>load<u32>(m);
      c = s >> 32;
      for (let j: usize = 4; j < n; j += 4) {
        s = <u64>load<u32>(t + j) + q * <u64>load<u32>(m + j) + c;
        store<u32>(t + j - 4, <u32>s);
        c = s >> 32;
      }
      s = <u64>load<u32>(t + n) + c;
      store<u32>(t + n - 4, <u32>s);
      store<u32>(t + n, load<u32>(t + n + 4) + <u32>(s >> 32));
    }
    this.reduceOnce(out, t, load<u32>(t + n) != 0);
  }

  // out = t - m when `carry` or t >= m, else t.
  private reduceOnce(out: Limbs, t: Limbs, carry: bool): void {
    if (!carry && this.compare(t, this.modulus) < 0) {
      if (out != t) this.copy(out, t);
      return;
    }
    const n = (<usize>this.limbs) << 2;
    const m = this.modulus;
    let borrow: i64 = 0;
    for (let i: usize = 0; i < n; i += 4) {
      const d = <i64>load<u32>(t + i) - <i64>load<u32>(m + i) + borrow;
      store<u32>(out + i, <u32>d);
      borrow = d >> 32;
    }
  }
}
