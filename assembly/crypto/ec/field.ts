// Arithmetic modulo an odd prime in Montgomery form over little-endian limbs, one per u32 word.
// One instance serves each curve's base field and each curve's group order; the limb count is fixed
// per instance, and every result is kept fully reduced so equality is limbwise. Limbs hold 32 bits
// (CIOS multiplication), except modulo P-256's p, where 29-bit limbs let generated code use p's
// special form (see scripts/kernels/p256-field.ts). Elements are raw addresses in memory that lives
// as long as the module (per-curve state is built once), so the hot paths carry no
// garbage-collector bookkeeping.

import { p256Add, p256MultiplySmall, p256Subtract } from "./p256-linear";
import { p256Multiply } from "./p256-multiply";
import { p256OrderMultiply } from "./p256-order-multiply";
import { p256OrderSquare } from "./p256-order-square";
import { p256Square } from "./p256-square";

/** The address of a field element or scalar: `limbs` little-endian u32 words. */
export type Limbs = usize;

/** Allocates `words` zeroed u32 words that are never freed (for per-curve state built once). */
export function allocate(words: i32): Limbs {
  const size = (<usize>words) << 2;
  const address = heap.alloc(size);
  memory.fill(address, 0, size);
  return address;
}

/** Which multiplication a field uses: generated code for P-256's two moduli, loops for the others. */
export enum Modulus {
  /** Any odd modulus, in Montgomery form. */
  Generic,
  /** P-256's p, on nine 29-bit limbs. */
  P256,
  /** P-256's group order n, in Montgomery form. */
  P256Order,
}

/** Arithmetic modulo the odd prime given to the constructor; `limbs` words per element. */
@unmanaged
export class Field {
  /** Number of limbs (u32 words) in every element of this field. */
  readonly limbs: i32;
  /** Bits per limb: 32, or 29 modulo P-256's p. */
  readonly limbBits: u32;
  /** The modulus, plain. */
  readonly modulus: Limbs;
  /** The element 1 (R mod m in Montgomery form). */
  readonly one: Limbs;
  private readonly rSquared: Limbs;
  // m - 2, the Fermat inversion exponent, in 32-bit words whatever the limb size.
  private readonly exponent: Limbs;
  private readonly exponentWords: i32;
  private readonly inverse0: u64;
  private readonly scratch: Limbs;
  private readonly power: Limbs;
  private readonly powers: Limbs;
  private readonly kind: Modulus;

  /** Prepares arithmetic modulo the odd `words`-word `m` (32-bit words, kept unless P-256's limbs need a copy); `kind` names P-256's moduli. */
  constructor(m: Limbs, words: i32, kind: Modulus) {
    const p256 = kind == Modulus.P256;
    const limbs = p256 ? 9 : words;
    const bits: u32 = p256 ? 29 : 32;
    this.limbs = limbs;
    this.limbBits = bits;
    this.kind = kind;
    this.scratch = allocate(limbs + 2);
    this.power = allocate(limbs);
    this.powers = allocate(16 * limbs);
    // Newton's iteration doubles the correct low bits of m^-1 mod 2^32 on each step.
    let inverse: u32 = 1;
    for (let i = 0; i < 5; i++) inverse *= 2 - load<u32>(m) * inverse;
    this.inverse0 = <u64>-inverse;
    // m - 2, the Fermat inversion exponent (m is odd and > 2, so no borrow leaves word 0).
    const e = allocate(words);
    memory.copy(e, m, (<usize>words) << 2);
    store<u32>(e, load<u32>(e) - 2);
    this.exponent = e;
    this.exponentWords = words;
    let modulus = m;
    if (p256) {
      modulus = allocate(limbs);
      this.fromWords(modulus, m, words);
    }
    this.modulus = modulus;
    const r2 = allocate(limbs);
    const one = allocate(limbs);
    this.rSquared = r2;
    this.one = one;
    // R^2 mod m by doubling 1 modulo m, 2 * bits * limbs times; then R = 1 * R^2 / R.
    store<u32>(r2, 1);
    for (let i: u32 = 0; i < 2 * bits * <u32>limbs; i++) this.add(r2, r2, r2);
    store<u32>(one, 1);
    this.encode(one, one);
  }

  /** A new zero element of this field (never freed). */
  element(): Limbs {
    return allocate(this.limbs);
  }

  /** out = a * b / R mod m (Montgomery multiplication); out may alias a or b. */
  mul(out: Limbs, a: Limbs, b: Limbs): void {
    const kind = this.kind;
    if (kind == Modulus.P256) p256Multiply(out, a, b);
    else if (kind == Modulus.P256Order) p256OrderMultiply(out, a, b);
    else this.mulAnySize(out, a, b);
  }

  /** out = a^2 / R mod m. */
  sqr(out: Limbs, a: Limbs): void {
    const kind = this.kind;
    if (kind == Modulus.P256) p256Square(out, a);
    else if (kind == Modulus.P256Order) p256OrderSquare(out, a);
    else this.mulAnySize(out, a, a);
  }

  /** out = a + b mod m, for reduced a and b; out may alias either. */
  add(out: Limbs, a: Limbs, b: Limbs): void {
    if (this.kind == Modulus.P256) {
      p256Add(out, a, b);
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
    if (this.kind == Modulus.P256) {
      p256Subtract(out, a, b);
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

  /** out = k a mod m for a reduced a and k of 2, 3, 4 or 8 (the point formulas' multiples); out may alias a. */
  times(out: Limbs, a: Limbs, k: i32): void {
    if (this.kind == Modulus.P256) {
      p256MultiplySmall(out, a, k);
      return;
    }
    const t = this.power;
    this.copy(t, a);
    if (k == 3) {
      this.add(out, t, t);
      this.add(out, out, t);
      return;
    }
    this.add(out, t, t);
    for (let i = 4; i <= k; i <<= 1) this.add(out, out, out);
  }

  /** out = a (below m, in this field's limbs) in Montgomery form. */
  encode(out: Limbs, a: Limbs): void {
    this.mul(out, a, this.rSquared);
  }

  /** out = the `words` 32-bit words at `from` in this field's limbs; the value must fit them (below 2^(limbs * limbBits)). */
  fromWords(out: Limbs, from: usize, words: i32): void {
    this.clear(out);
    const bits = this.limbBits;
    const mask: u64 = ((<u64>1) << bits) - 1;
    let buffer: u64 = 0;
    let held: u32 = 0;
    let limb: usize = 0;
    for (let i = 0; i < words; i++) {
      buffer |= (<u64>load<u32>(from + ((<usize>i) << 2))) << held;
      held += 32;
      while (held >= bits && limb < <usize>this.limbs) {
        store<u32>(out + (limb << 2), <u32>(buffer & mask));
        limb++;
        buffer >>= bits;
        held -= bits;
      }
    }
    if (limb < <usize>this.limbs) store<u32>(out + (limb << 2), <u32>buffer);
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
    for (let i = this.exponentWords * 8 - 1; i >= 0; i--) {
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
    const bits = this.limbBits;
    const mask: u64 = ((<u64>1) << bits) - 1;
    const limbs = <usize>this.limbs;
    let buffer: u64 = 0;
    let held: u32 = 0;
    let limb: usize = 0;
    for (let i = offset + length - 1; i >= offset; i--) {
      buffer |= (<u64>unchecked(bytes[i])) << held;
      held += 8;
      if (held < bits) continue;
      if (limb < limbs) store<u32>(a + (limb << 2), <u32>(buffer & mask));
      else if ((buffer & mask) != 0) return false;
      limb++;
      buffer >>= bits;
      held -= bits;
    }
    if (buffer == 0) return true;
    if (limb >= limbs) return false;
    store<u32>(a + (limb << 2), <u32>buffer);
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
