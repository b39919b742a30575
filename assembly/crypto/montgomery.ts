// Montgomery arithmetic modulo an odd number of up to a few thousand bits, for RSA's public
// operation. Limbs are u32 (little-endian in StaticArray<u32>) so that every product fits a u64;
// all scratch space is allocated once per modulus, so exponentiation allocates nothing.

/** Montgomery context for one odd modulus `n` (R = 2^(32 * limbs)); create it once per key and reuse it. */
export class Montgomery {
  /** The number of 32-bit limbs of the modulus. */
  readonly limbs: i32;
  /** The modulus, little-endian limbs. */
  readonly modulus: StaticArray<u32>;
  // -n^-1 mod 2^32, the per-limb reduction factor.
  private readonly factor: u32;
  // R^2 mod n: multiplying by it converts into Montgomery form.
  private readonly rr: StaticArray<u32>;
  // Scratch: the double-width square, the running power, the base in Montgomery form.
  private readonly wide: StaticArray<u32>;
  private readonly power: StaticArray<u32>;
  private readonly base: StaticArray<u32>;

  /** Prepares the context for `modulus` (little-endian limbs, odd, top limb nonzero, as `create` checks). */
  private constructor(modulus: StaticArray<u32>) {
    const limbs = modulus.length;
    this.limbs = limbs;
    this.modulus = modulus;
    let inverse: u32 = unchecked(modulus[0]);
    // Newton's iteration doubles the correct low bits each step (3 -> 6 -> 12 -> 24 -> 48).
    for (let i = 0; i < 4; i++) inverse *= 2 - unchecked(modulus[0]) * inverse;
    this.factor = -inverse;
    this.wide = new StaticArray<u32>(2 * limbs + 1);
    this.power = new StaticArray<u32>(limbs);
    this.base = new StaticArray<u32>(limbs);
    this.rr = new StaticArray<u32>(limbs);
    this.computeRr();
  }

  /** Returns a context for the big-endian `modulus`, or null when it is even, zero or longer than `maxBytes`. */
  static create(modulus: Uint8Array, maxBytes: i32): Montgomery | null {
    let start = 0;
    while (start < modulus.length && modulus[start] == 0) start++;
    const bytes = modulus.length - start;
    if (bytes == 0 || bytes > maxBytes || (modulus[modulus.length - 1] & 1) == 0) return null;
    const limbs = new StaticArray<u32>((bytes + 3) >> 2);
    readLimbs(modulus, start, limbs);
    return new Montgomery(limbs);
  }

  /** Returns the number of significant bits of the modulus. */
  bitLength(): i32 {
    return 32 * this.limbs - <i32>clz(unchecked(this.modulus[this.limbs - 1]));
  }

  /** Returns true when `value` (little-endian limbs, this context's length) is less than the modulus. */
  isReduced(value: StaticArray<u32>): bool {
    return compare(value, this.modulus, this.limbs) < 0;
  }

  /** Sets `out` to value^exponent mod n for a reduced `value` and an odd `exponent` >= 3; `out` may alias `value`. */
  powOdd(value: StaticArray<u32>, exponent: u32, out: StaticArray<u32>): void {
    const base = this.base;
    const power = this.power;
    this.multiply(value, this.rr, base);
    memory.copy(changetype<usize>(power), changetype<usize>(base), (<usize>this.limbs) << 2);
    // Left to right over the bits below the top one, stopping before bit 0: since the exponent is
    // odd, its last step multiplies by the plain value, which also leaves Montgomery form.
    for (let bit = 30 - <i32>clz(exponent); bit >= 1; bit--) {
      this.square(power, power);
      if ((exponent >> (<u32>bit)) & 1) this.multiply(power, base, power);
    }
    this.square(power, power);
    this.multiply(power, value, out);
  }

  // out = a * b / R mod n (FIOS: one pass multiplies and reduces); a and b reduced; out may alias either.
  // The hot loops address limbs through raw pointers: indexed StaticArray access in the incremental
  // runtime spills every reference to the shadow stack.
  private multiply(a: StaticArray<u32>, b: StaticArray<u32>, out: StaticArray<u32>): void {
    const limbs = this.limbs;
    const bytes = (<usize>limbs) << 2;
    const n = changetype<usize>(this.modulus);
    const t = changetype<usize>(this.wide);
    const pa = changetype<usize>(a);
    const pb = changetype<usize>(b);
    const factor = this.factor;
    memory.fill(t, 0, bytes + 8);
    for (let i: usize = 0; i < bytes; i += 4) {
      const ai = <u64>load<u32>(pa + i);
      let p = ai * load<u32>(pb) + load<u32>(t);
      const m = <u64>(<u32>p * factor);
      let q = m * load<u32>(n) + (p & 0xffffffff);
      let c1 = p >> 32;
      let c2 = q >> 32;
      for (let j: usize = 4; j < bytes; j += 4) {
        p = ai * load<u32>(pb + j) + load<u32>(t + j) + c1;
        c1 = p >> 32;
        q = m * load<u32>(n + j) + (p & 0xffffffff) + c2;
        c2 = q >> 32;
        store<u32>(t + j - 4, <u32>q);
      }
      const top = <u64>load<u32>(t + bytes) + c1 + c2;
      store<u32>(t + bytes - 4, <u32>top);
      store<u32>(t + bytes, <u32>(top >> 32));
    }
    this.finish(t, load<u32>(t + bytes), changetype<usize>(out));
  }

  // out = a^2 / R mod n: the square needs about half the products of a general multiplication.
  private square(a: StaticArray<u32>, out: StaticArray<u32>): void {
    const limbs = this.limbs;
    const bytes = (<usize>limbs) << 2;
    const n = changetype<usize>(this.modulus);
    const w = changetype<usize>(this.wide);
    const pa = changetype<usize>(a);
    const factor = this.factor;
    memory.fill(w, 0, bytes << 1);
    for (let i: usize = 0; i < bytes - 4; i += 4) {
      const ai = <u64>load<u32>(pa + i);
      const row = w + i;
      let c: u64 = 0;
      for (let j: usize = i + 4; j < bytes; j += 4) {
        const p = ai * load<u32>(pa + j) + load<u32>(row + j) + c;
        store<u32>(row + j, <u32>p);
        c = p >> 32;
      }
      store<u32>(row + bytes, <u32>c);
    }
    // Double the cross products and add the squares of the limbs.
    let shifted: u32 = 0;
    let c: u64 = 0;
    for (let i: usize = 0; i < bytes; i += 4) {
      const ai = <u64>load<u32>(pa + i);
      const d = ai * ai;
      const at = w + (i << 1);
      const lo = load<u32>(at);
      const hi = load<u32>(at, 4);
      let s = <u64>((lo << 1) | shifted) + (d & 0xffffffff) + c;
      store<u32>(at, <u32>s);
      s = <u64>((hi << 1) | (lo >> 31)) + (d >> 32) + (s >> 32);
      store<u32>(at, <u32>s, 4);
      c = s >> 32;
      shifted = hi >> 31;
    }
    // Reduce one limb at a time; `carry` is what overflows past the current top limb.
    let carry: u64 = 0;
    for (let i: usize = 0; i < bytes; i += 4) {
      const row = w + i;
      const low = load<u32>(row);
      const m = <u64>(low * factor);
      let q: u64 = 0;
      for (let j: usize = 0; j < bytes; j += 4) {
        q = m * load<u32>(n + j) + load<u32>(row + j) + (q >> 32);
        store<u32>(row + j, <u32>q);
      }
      const top = <u64>load<u32>(row + bytes) + (q >> 32) + carry;
      store<u32>(row + bytes, <u32>top);
      carry = top >> 32;
    }
    this.finish(w + bytes, <u32>carry, changetype<usize>(out));
  }

  // Copies the limbs at `t` (plus the overflow bit `high`) to `out`, less n when at least n.
  private finish(t: usize, high: u32, out: usize): void {
    const bytes = (<usize>this.limbs) << 2;
    const n = changetype<usize>(this.modulus);
    let subtract = high != 0;
    if (!subtract) {
      subtract = true;
      for (let i = bytes; i > 0;) {
        i -= 4;
        const x = load<u32>(t + i);
        const y = load<u32>(n + i);
        if (x != y) {
          subtract = x > y;
          break;
        }
      }
    }
    let borrow: u64 = 0;
    const mask: u64 = subtract ? 0xffffffff : 0;
    for (let i: usize = 0; i < bytes; i += 4) {
      const d = <u64>load<u32>(t + i) - (load<u32>(n + i) & mask) - borrow;
      store<u32>(out + i, <u32>d);
      borrow = (d >> 32) & 1;
    }
  }

  // R^2 mod n: double 2^(bits-1) up to 2^limbs * R mod n (Montgomery form of 2^limbs), then five
  // Montgomery squarings raise it to 2^(32 * limbs) = R, whose Montgomery form is R^2.
  private computeRr(): void {
    const limbs = this.limbs;
    const x = this.rr;
    const bits = this.bitLength();
    const top = bits - 1;
    unchecked((x[top >> 5] = (<u32>1) << ((<u32>top) & 31)));
    for (let i = 32 * limbs - bits + 1 + limbs; i > 0; i--) this.double(x);
    for (let i = 0; i < 5; i++) this.square(x, x);
  }

  // x = 2x mod n for a reduced x.
  private double(x: StaticArray<u32>): void {
    const limbs = this.limbs;
    let shifted: u32 = 0;
    for (let i = 0; i < limbs; i++) {
      const v = unchecked(x[i]);
      unchecked((x[i] = (v << 1) | shifted));
      shifted = v >> 31;
    }
    this.finish(changetype<usize>(x), shifted, changetype<usize>(x));
  }
}

/** Fills `out` with the big-endian `bytes` from `start` as little-endian limbs, zero-extended; bytes beyond `out` are dropped. */
export function readLimbs(bytes: Uint8Array, start: i32, out: StaticArray<u32>): void {
  memory.fill(changetype<usize>(out), 0, (<usize>out.length) << 2);
  for (let i = bytes.length - 1, k = 0; i >= start && k >> 2 < out.length; i--, k++) {
    const shift = (<u32>(k & 3)) << 3;
    unchecked((out[k >> 2] |= (<u32>bytes[i]) << shift));
  }
}

/** Writes the little-endian limbs of `value` big-endian into all of `out`, dropping limbs that do not fit. */
export function writeLimbs(value: StaticArray<u32>, out: Uint8Array): void {
  for (let i = out.length - 1, k = 0; i >= 0; i--, k++) {
    const shift = (<u32>(k & 3)) << 3;
    out[i] = k >> 2 < value.length ? <u8>(unchecked(value[k >> 2]) >> shift) : 0;
  }
}

// Compares the first `limbs` limbs of a and b as numbers: negative, zero or positive.
function compare(a: StaticArray<u32>, b: StaticArray<u32>, limbs: i32): i32 {
  for (let i = limbs - 1; i >= 0; i--) {
    const x = unchecked(a[i]);
    const y = unchecked(b[i]);
    if (x != y) return x < y ? -1 : 1;
  }
  return 0;
}
