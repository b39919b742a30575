// Montgomery arithmetic modulo an odd number of up to a few thousand bits, for RSA's public
// operation. Limbs hold 28 or 27 bits in u32 words (little-endian) so that products can be summed
// column by column (product scanning) in one u64 without carrying: a column of up to 2L + 1
// products stays below 2^64 with 28-bit limbs for L <= 126 (moduli up to 3528 bits), and with
// 27-bit limbs up to 8192 bits (304 limbs). The inner loops are then independent multiply-adds
// instead of a carry chain, and map onto wasm SIMD's 32x32->64-bit lane products when the module
// is built with SIMD (about twice as fast). Scratch space is allocated once per modulus, so
// exponentiation allocates nothing.

const WIDE_LIMB_LIMIT = 126;

/** Montgomery context for one odd modulus `n` (R = 2^(width * limbs)); create it once per key and reuse it. */
export class Montgomery {
  /** The number of limbs of the modulus. */
  readonly limbs: i32;
  // Bits per limb (28 or 27), and the mask of one limb.
  private readonly width: u32;
  private readonly mask: u32;
  // The modulus, and its limbs in reverse order (so column sums read both operands forwards).
  private readonly modulus: StaticArray<u32>;
  private readonly reversed: StaticArray<u32>;
  private readonly bits: i32;
  // -n^-1 mod 2^width, the per-limb reduction factor.
  private readonly factor: u32;
  // R^2 mod n: multiplying by it converts into Montgomery form.
  private readonly rr: StaticArray<u32>;
  // Scratch: the reduction multipliers, one operand reversed, the running power, the base.
  private readonly multipliers: StaticArray<u32>;
  private readonly operand: StaticArray<u32>;
  private readonly power: StaticArray<u32>;
  private readonly base: StaticArray<u32>;

  private constructor(modulus: StaticArray<u32>, bits: i32, width: u32) {
    const limbs = modulus.length;
    this.limbs = limbs;
    this.width = width;
    const mask = ((<u32>1) << width) - 1;
    this.mask = mask;
    this.bits = bits;
    this.modulus = modulus;
    const reversed = new StaticArray<u32>(limbs);
    for (let i = 0; i < limbs; i++) unchecked((reversed[i] = modulus[limbs - 1 - i]));
    this.reversed = reversed;
    let inverse: u32 = unchecked(modulus[0]);
    // Newton's iteration doubles the correct low bits each step (3 -> 6 -> 12 -> 24 -> 48).
    for (let i = 0; i < 4; i++) inverse *= 2 - unchecked(modulus[0]) * inverse;
    this.factor = -inverse & mask;
    this.multipliers = new StaticArray<u32>(limbs);
    this.operand = new StaticArray<u32>(limbs);
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
    const bits = 8 * bytes - (<i32>clz<u32>(modulus[start]) - 24);
    let width: i32 = 28;
    if ((bits + width - 1) / width > WIDE_LIMB_LIMIT) width = 27;
    const limbs = new StaticArray<u32>((bits + width - 1) / width);
    readLimbs(modulus, limbs, width);
    return new Montgomery(limbs, bits, width);
  }

  /** Returns the number of significant bits of the modulus. */
  bitLength(): i32 {
    return this.bits;
  }

  /** A new zero value of this context's length. */
  element(): StaticArray<u32> {
    return new StaticArray<u32>(this.limbs);
  }

  /** Reads the big-endian `bytes` into `out`; false when they are not a number below the modulus. */
  read(bytes: Uint8Array, out: StaticArray<u32>): bool {
    let start = 0;
    while (start < bytes.length && bytes[start] == 0) start++;
    // More significant bits than the modulus would not fit the limbs, and is too large anyway.
    if (start < bytes.length && 8 * (bytes.length - start) - (<i32>clz<u32>(bytes[start]) - 24) > this.bits)
      return false;
    readLimbs(bytes, out, this.width);
    return compare(out, this.modulus, this.limbs) < 0;
  }

  /** Writes the reduced `value` big-endian into all of `out`, which is at least as long as the modulus. */
  write(value: StaticArray<u32>, out: Uint8Array): void {
    const width = this.width;
    const limbs = value.length;
    const start = out.dataStart;
    let buffer: u64 = 0;
    let held: u32 = 0;
    let next = 0;
    for (let at = start + <usize>out.length; at > start;) {
      if (held < 8) {
        if (next < limbs) buffer |= (<u64>unchecked(value[next])) << held;
        next++;
        held += width;
      }
      store<u8>(--at, <u8>buffer);
      buffer >>= 8;
      held -= 8;
    }
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

  // out = a * b / R mod n, product scanning with the reduction interleaved column by column (FIPS);
  // a and b reduced; out may alias either (b is copied first, and column k reads a only above k - L).
  private multiply(a: StaticArray<u32>, b: StaticArray<u32>, out: StaticArray<u32>): void {
    const limbs = this.limbs;
    const pa = changetype<usize>(a);
    const rb = changetype<usize>(this.operand);
    reverse(changetype<usize>(b), rb, limbs);
    const m = changetype<usize>(this.multipliers);
    const rn = changetype<usize>(this.reversed);
    const factor = this.factor;
    const width = this.width;
    const mask = this.mask;
    const n0 = <u64>unchecked(this.modulus[0]);
    const last = (<usize>limbs - 1) << 2;
    let acc: u64 = 0;
    // Columns 0 to L-1 fix the multipliers: a_k b_0 + sum over j < k of (a_j b_(k-j) + m_j n_(k-j)).
    for (let k: usize = 0; k <= last; k += 4) {
      const offset = last - k;
      acc += dot2(pa, rb + offset, m, rn + offset, k) + <u64>load<u32>(pa + k) * load<u32>(rb + last);
      const q = (<u32>acc * factor) & mask;
      store<u32>(m + k, q);
      acc = (acc + <u64>q * n0) >> width;
    }
    // Columns L to 2L-2 give the result's limbs.
    const po = changetype<usize>(out);
    for (let k: usize = 4; k <= last; k += 4) {
      acc += dot2(pa + k, rb, m + k, rn, last + 4 - k);
      store<u32>(po + k - 4, (<u32>acc) & mask);
      acc >>= width;
    }
    store<u32>(po + last, <u32>acc);
    this.finish(out);
  }

  // out = a^2 / R mod n: as multiply, but each cross product a_i a_j (i < j) is summed once and doubled.
  private square(a: StaticArray<u32>, out: StaticArray<u32>): void {
    const limbs = this.limbs;
    const pa = changetype<usize>(a);
    const ra = changetype<usize>(this.operand);
    reverse(pa, ra, limbs);
    const m = changetype<usize>(this.multipliers);
    const rn = changetype<usize>(this.reversed);
    const factor = this.factor;
    const width = this.width;
    const mask = this.mask;
    const n0 = <u64>unchecked(this.modulus[0]);
    const last = (<usize>limbs - 1) << 2;
    let acc: u64 = 0;
    for (let k: usize = 0; k <= last; k += 4) {
      const offset = last - k;
      // Pairs (i, k - i) with i < k - i, i.e. i below k / 2 (k counts bytes, so limbs k / 4).
      acc += dot(pa, ra + offset, (k + 4) >> 3) << 1;
      acc += dot(m, rn + offset, k >> 2);
      if ((k & 4) == 0) {
        const d = <u64>load<u32>(pa + (k >> 1));
        acc += d * d;
      }
      const q = (<u32>acc * factor) & mask;
      store<u32>(m + k, q);
      acc = (acc + <u64>q * n0) >> width;
    }
    const po = changetype<usize>(out);
    for (let k: usize = 4; k <= last; k += 4) {
      // Column L - 1 + k/4: cross pairs from limb k/4 up to below half the column index.
      const column = last + k;
      acc += dot(pa + k, ra, ((column + 4) >> 3) - (k >> 2)) << 1;
      acc += dot(m + k, rn, (last + 4 - k) >> 2);
      if ((column & 4) == 0) {
        const d = <u64>load<u32>(pa + (column >> 1));
        acc += d * d;
      }
      store<u32>(po + k - 4, (<u32>acc) & mask);
      acc >>= width;
    }
    store<u32>(po + last, <u32>acc);
    this.finish(out);
  }

  // t (below 2n; its top limb may exceed the limb width) = t - n when t >= n.
  private finish(t: StaticArray<u32>): void {
    if (compare(t, this.modulus, this.limbs) < 0) return;
    const pt = changetype<usize>(t);
    const n = changetype<usize>(this.modulus);
    const mask = this.mask;
    let borrow: u32 = 0;
    for (let i: usize = 0; i < (<usize>this.limbs) << 2; i += 4) {
      const d = load<u32>(pt + i) - load<u32>(n + i) - borrow;
      store<u32>(pt + i, d & mask);
      borrow = d >> 31;
    }
  }

  // R^2 mod n, the Montgomery form of R = 2^(wL) for limb width w: 2^(bits-1) is the Montgomery
  // form of 2^(bits-1-wL); doublings raise that to 2^c for c = the top bits of wL, then each
  // Montgomery squaring doubles the exponent and each doubling adds one, spelling out wL's low bits.
  private computeRr(): void {
    const x = this.rr;
    const width = this.width;
    const target = <u32>this.limbs * width;
    const low: u32 = 6;
    const top = <u32>this.bits - 1;
    unchecked((x[top / width] = (<u32>1) << (top % width)));
    for (let i = target - top + (target >> low); i > 0; i--) this.double(x);
    for (let bit = <i32>low - 1; bit >= 0; bit--) {
      this.square(x, x);
      if ((target >> (<u32>bit)) & 1) this.double(x);
    }
  }

  // x = 2x mod n for a reduced x.
  private double(x: StaticArray<u32>): void {
    const limbs = this.limbs;
    const width = this.width;
    let shifted: u32 = 0;
    for (let i = 0; i < limbs; i++) {
      const v = (unchecked(x[i]) << 1) | shifted;
      unchecked((x[i] = v & this.mask));
      shifted = v >> width;
    }
    unchecked((x[limbs - 1] |= shifted << width));
    this.finish(x);
  }
}

// Fills `out` with the big-endian `bytes` as `width`-bit little-endian limbs; bits beyond `out` are dropped.
function readLimbs(bytes: Uint8Array, out: StaticArray<u32>, width: u32): void {
  const limbs = out.length;
  memory.fill(changetype<usize>(out), 0, (<usize>limbs) << 2);
  const mask = ((<u32>1) << width) - 1;
  const start = bytes.dataStart;
  let buffer: u32 = 0;
  let held: u32 = 0;
  let k = 0;
  for (let at = start + <usize>bytes.length; at > start && k < limbs;) {
    const byte = <u32>load<u8>(--at);
    buffer |= byte << held;
    held += 8;
    if (held >= width) {
      unchecked((out[k++] = buffer & mask));
      held -= width;
      buffer = byte >> (8 - held);
    }
  }
  if (k < limbs) unchecked((out[k] = buffer));
}

// Copies the `limbs` words at `from` to `to` in reverse order.
@inline
function reverse(from: usize, to: usize, limbs: i32): void {
  for (let i: usize = 0, j = (<usize>limbs - 1) << 2; i < (<usize>limbs) << 2; i += 4, j -= 4) {
    store<u32>(to + j, load<u32>(from + i));
  }
}

// Sum over t < count of x[t] y[t] (word addresses). With SIMD enabled (asc --enable simd) each
// instruction multiplies two limb pairs; otherwise four products per step go into two running sums,
// so that consecutive adds do not wait on each other.
@inline
function dot(x: usize, y: usize, count: usize): u64 {
  let sum: u64 = 0;
  const end = x + (count << 2);
  const end4 = x + ((count & ~3) << 2);
  if (ASC_FEATURE_SIMD) {
    let lanes = i64x2.splat(0);
    while (x < end4) {
      const p = v128.load(x);
      const q = v128.load(y);
      lanes = i64x2.add(lanes, i64x2.add(i64x2.extmul_low_i32x4_u(p, q), i64x2.extmul_high_i32x4_u(p, q)));
      x += 16;
      y += 16;
    }
    sum = <u64>i64x2.extract_lane(lanes, 0) + <u64>i64x2.extract_lane(lanes, 1);
  } else {
    let other: u64 = 0;
    while (x < end4) {
      sum += <u64>load<u32>(x) * load<u32>(y) + <u64>load<u32>(x, 4) * load<u32>(y, 4);
      other += <u64>load<u32>(x, 8) * load<u32>(y, 8) + <u64>load<u32>(x, 12) * load<u32>(y, 12);
      x += 16;
      y += 16;
    }
    sum += other;
  }
  while (x < end) {
    sum += <u64>load<u32>(x) * load<u32>(y);
    x += 4;
    y += 4;
  }
  return sum;
}

// Sum over t < count / 4 of x[t] y[t] + u[t] v[t] (count in bytes), as dot does it.
@inline
function dot2(x: usize, y: usize, u: usize, v: usize, count: usize): u64 {
  let sum: u64 = 0;
  let t: usize = 0;
  if (ASC_FEATURE_SIMD) {
    const count4 = count & ~15;
    let lanes = i64x2.splat(0);
    while (t < count4) {
      const p = v128.load(x + t);
      const q = v128.load(y + t);
      const r = v128.load(u + t);
      const w = v128.load(v + t);
      lanes = i64x2.add(lanes, i64x2.add(i64x2.extmul_low_i32x4_u(p, q), i64x2.extmul_high_i32x4_u(p, q)));
      lanes = i64x2.add(lanes, i64x2.add(i64x2.extmul_low_i32x4_u(r, w), i64x2.extmul_high_i32x4_u(r, w)));
      t += 16;
    }
    sum = <u64>i64x2.extract_lane(lanes, 0) + <u64>i64x2.extract_lane(lanes, 1);
  } else {
    const count2 = count & ~7;
    let other: u64 = 0;
    while (t < count2) {
      sum += <u64>load<u32>(x + t) * load<u32>(y + t) + <u64>load<u32>(x + t, 4) * load<u32>(y + t, 4);
      other += <u64>load<u32>(u + t) * load<u32>(v + t) + <u64>load<u32>(u + t, 4) * load<u32>(v + t, 4);
      t += 8;
    }
    sum += other;
  }
  while (t < count) {
    sum += <u64>load<u32>(x + t) * load<u32>(y + t) + <u64>load<u32>(u + t) * load<u32>(v + t);
    t += 4;
  }
  return sum;
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
