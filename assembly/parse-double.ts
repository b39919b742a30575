// Decimal text to the nearest double, ties to even, as JavaScript's Number() and every correct
// strtod do. AssemblyScript's parseFloat is not exact: with 17 or more significant digits and a
// decimal exponent between 23 and 37 it drops a factor of up to 10^15, and elsewhere it may miss by
// an ulp. Short numbers take Clinger's exact fast path; the rest start from an estimate within a
// few ulps and step to the right double by comparing the exact decimal value, as a big integer,
// with the midpoints between neighbouring doubles.

// Significant digits kept: a midpoint between doubles has at most 767, so digits past 800 matter
// only as "something non-zero follows", kept as one more digit.
const MAX_DIGITS = 800;
const EXACT_POWERS: StaticArray<f64> = [
  1, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10, 1e11, 1e12, 1e13, 1e14, 1e15, 1e16, 1e17, 1e18, 1e19, 1e20,
  1e21, 1e22,
];
// The doubles nearest to 10^22, 10^44, ..., 10^308.
const POWERS_OF_1E22: StaticArray<f64> = [
  1e22, 1e44, 1e66, 1e88, 1e110, 1e132, 1e154, 1e176, 1e198, 1e220, 1e242, 1e264, 1e286, 1e308,
];
const HIDDEN_BIT: u64 = 1 << 52;

/**
 * The double nearest to decimal `text` (`[+-]digits[.digits][(e|E)[+-]digits]`, either digit run
 * may be empty but not both), ties to even; NaN when `text` is not of that form.
 */
export function parseDouble(text: string): f64 {
  const n = text.length;
  let at = 0;
  let negative = false;
  if (at < n && (text.charCodeAt(at) == 0x2d || text.charCodeAt(at) == 0x2b)) negative = text.charCodeAt(at++) == 0x2d;
  const digits = new Array<u8>();
  let seen = 0;
  // The value is (digits as an integer) × 10^scale.
  let scale = 0;
  let dropped = false;
  let pointed = false;
  for (; at < n; at++) {
    const c = text.charCodeAt(at);
    if (c == 0x2e && !pointed) {
      pointed = true;
      continue;
    }
    if (c < 0x30 || c > 0x39) break;
    seen++;
    if (pointed) scale--;
    if (digits.length == 0 && c == 0x30) continue;
    if (digits.length < MAX_DIGITS) digits.push(<u8>(c - 0x30));
    else {
      scale++;
      dropped = dropped || c != 0x30;
    }
  }
  if (seen == 0) return NaN;
  if (at < n && (text.charCodeAt(at) | 32) == 0x65) {
    at++;
    let exponentNegative = false;
    if (at < n && (text.charCodeAt(at) == 0x2d || text.charCodeAt(at) == 0x2b)) {
      exponentNegative = text.charCodeAt(at++) == 0x2d;
    }
    const start = at;
    let exponent = 0;
    for (; at < n && text.charCodeAt(at) >= 0x30 && text.charCodeAt(at) <= 0x39; at++) {
      if (exponent < 100_000) exponent = exponent * 10 + (text.charCodeAt(at) - 0x30);
    }
    if (at == start) return NaN;
    scale += exponentNegative ? -exponent : exponent;
  }
  if (at != n) return NaN;
  if (dropped) {
    digits.push(1);
    scale--;
  }
  const magnitude = positiveValue(digits, scale);
  return negative ? -magnitude : magnitude;
}

function positiveValue(digits: Array<u8>, scale: i32): f64 {
  // Trailing zeros only scale the value.
  let count = digits.length;
  while (count > 0 && digits[count - 1] == 0) {
    count--;
    scale++;
  }
  if (count == 0) return 0;
  digits.length = count;
  if (count + scale > 310) return Infinity;
  if (count + scale < -324) return 0;
  if (count <= 15) {
    let small: u64 = 0;
    for (let i = 0; i < count; i++) small = small * 10 + digits[i];
    const exact = <f64>small;
    if (scale >= 0 && scale <= 22) return exact * EXACT_POWERS[scale];
    if (scale < 0 && scale >= -22) return exact / EXACT_POWERS[-scale];
    // The digits times 10^(scale - 22) may still be an integer below 2^53.
    if (scale > 22 && scale - 22 + count <= 15) return exact * EXACT_POWERS[scale - 22] * EXACT_POWERS[22];
  }
  return nearest(digits, scale, estimate(digits, scale));
}

// Within a few ulps of the value: its first 19 digits times 10^power, scaled with exact powers of
// ten below 10^23 and the nearest doubles to 10^22k, a handful of roundings in all.
function estimate(digits: Array<u8>, scale: i32): f64 {
  const used = min(digits.length, 19);
  let leading: u64 = 0;
  for (let i = 0; i < used; i++) leading = leading * 10 + digits[i];
  let power = scale + digits.length - used;
  let value = <f64>leading;
  if (power >= 0) {
    value *= EXACT_POWERS[power % 22];
    for (power /= 22; power > 0; power -= min(power, 14)) value *= POWERS_OF_1E22[min(power, 14) - 1];
    return value;
  }
  // 10^power = 10^r / 10^22k with 0 <= r < 22.
  let steps = (-power + 21) / 22;
  value *= EXACT_POWERS[power + steps * 22];
  for (; steps > 0; steps -= min(steps, 14)) value /= POWERS_OF_1E22[min(steps, 14) - 1];
  return value;
}

// Steps from `guess` to the double nearest the value, ties to the even significand.
function nearest(digits: Array<u8>, scale: i32, guess: f64): f64 {
  // Up to 19 digits and 10^±27 the comparisons fit in 128 bits; beyond, big integers.
  const small = digits.length <= 19 && scale >= -27 && scale <= 27;
  let word: u64 = 0;
  if (small) for (let i = 0; i < digits.length; i++) word = word * 10 + digits[i];
  const value = small ? new Big() : Big.fromDigits(digits);
  let current = Binary.of(isFinite(guess) ? guess : F64.MAX_VALUE);
  let moved = true;
  while (moved) {
    moved = false;
    const up = current.next();
    const above = small ? compareSmall(word, scale, current, up) : compareWithMidpoint(value, scale, current, up);
    if (above > 0 || (above == 0 && current.odd)) {
      if (up.infinite) return Infinity;
      current = up;
      moved = true;
    } else if (current.significand != 0) {
      const down = current.previous();
      const below = small ? compareSmall(word, scale, down, current) : compareWithMidpoint(value, scale, down, current);
      if (below < 0 || (below == 0 && current.odd)) {
        current = down;
        moved = true;
      }
    }
  }
  return current.toF64();
}

// A finite non-negative double, or the first value past the largest, as significand × 2^exponent.
class Binary {
  constructor(
    public significand: u64,
    public exponent: i32,
  ) {}

  static of(value: f64): Binary {
    const bits = reinterpret<u64>(value);
    const field = <i32>((bits >> 52) & 0x7ff);
    const fraction = bits & (HIDDEN_BIT - 1);
    return field == 0 ? new Binary(fraction, -1074) : new Binary(fraction | HIDDEN_BIT, field - 1075);
  }

  get odd(): bool {
    return (this.significand & 1) != 0;
  }

  get infinite(): bool {
    return this.exponent > 971;
  }

  next(): Binary {
    const significand = this.significand + 1;
    return significand == HIDDEN_BIT << 1
      ? new Binary(HIDDEN_BIT, this.exponent + 1)
      : new Binary(significand, this.exponent);
  }

  previous(): Binary {
    if (this.significand == HIDDEN_BIT && this.exponent > -1074)
      return new Binary((HIDDEN_BIT << 1) - 1, this.exponent - 1);
    return new Binary(this.significand - 1, this.exponent);
  }

  toF64(): f64 {
    if (this.significand < HIDDEN_BIT) return reinterpret<f64>(this.significand);
    return reinterpret<f64>(((<u64>(this.exponent + 1075)) << 52) | (this.significand - HIDDEN_BIT));
  }
}

// The sign of value × 10^scale minus the midpoint of doubles `low` < `high`.
function compareWithMidpoint(value: Big, scale: i32, low: Binary, high: Binary): i32 {
  const floor = min(low.exponent, high.exponent);
  const sum = midpointSum(low, high, floor);
  // midpoint = sum × 2^(floor - 1); value × 10^scale = value × 5^scale × 2^scale.
  let left = value.copy();
  let right = Big.fromU64(sum);
  if (scale >= 0) left.multiplyPow5(scale);
  else right.multiplyPow5(-scale);
  const twos = scale - (floor - 1);
  if (twos > 0) left.shiftLeft(twos);
  else right.shiftLeft(-twos);
  return left.compare(right);
}

// Twice the midpoint of `low` and `high` in units of 2^floor (under 2^55).
function midpointSum(low: Binary, high: Binary, floor: i32): u64 {
  const lowShift = <u64>(low.exponent - floor);
  const highShift = <u64>(high.exponent - floor);
  return (low.significand << lowShift) + (high.significand << highShift);
}

// compareWithMidpoint for `word` × 10^scale, |scale| <= 27: every product fits in 128 bits.
function compareSmall(word: u64, scale: i32, low: Binary, high: Binary): i32 {
  const floor = min(low.exponent, high.exponent);
  const sum = midpointSum(low, high, floor);
  // word × 5^scale × 2^scale against sum × 2^(floor - 1); 5^27 < 2^63.
  let power: u64 = 1;
  for (let i = abs(scale); i > 0; i--) power *= 5;
  if (scale >= 0) {
    multiplyWide(word, power);
    return compareScaled(wideHigh, wideLow, scale, 0, sum, floor - 1);
  }
  // word against sum × 5^-scale × 2^(floor - 1 - scale).
  multiplyWide(sum, power);
  return compareScaled(0, word, 0, wideHigh, wideLow, floor - 1 - scale);
}

// The 128-bit product of the last multiplyWide.
let wideHigh: u64 = 0;
let wideLow: u64 = 0;

function multiplyWide(a: u64, b: u64): void {
  const a0 = a & 0xffffffff;
  const a1 = a >> 32;
  const b0 = b & 0xffffffff;
  const b1 = b >> 32;
  const low = a0 * b0;
  const middle1 = a1 * b0;
  const middle2 = a0 * b1;
  const cross = (low >> 32) + (middle1 & 0xffffffff) + (middle2 & 0xffffffff);
  wideLow = (low & 0xffffffff) | (cross << 32);
  wideHigh = a1 * b1 + (middle1 >> 32) + (middle2 >> 32) + (cross >> 32);
}

// The sign of (aHigh:aLow) × 2^a minus (bHigh:bLow) × 2^b, both 128-bit and non-zero.
function compareScaled(aHigh: u64, aLow: u64, a: i32, bHigh: u64, bLow: u64, b: i32): i32 {
  const aBits = aHigh != 0 ? 128 - <i32>clz(aHigh) : 64 - <i32>clz(aLow);
  const bBits = bHigh != 0 ? 128 - <i32>clz(bHigh) : 64 - <i32>clz(bLow);
  if (aBits + a != bBits + b) return aBits + a < bBits + b ? -1 : 1;
  // Equal lengths: shifting the side with the larger exponent down to the other keeps it in 128 bits.
  if (a > b) {
    shiftWide(aHigh, aLow, a - b);
    aHigh = wideHigh;
    aLow = wideLow;
  } else if (b > a) {
    shiftWide(bHigh, bLow, b - a);
    bHigh = wideHigh;
    bLow = wideLow;
  }
  if (aHigh != bHigh) return aHigh < bHigh ? -1 : 1;
  if (aLow != bLow) return aLow < bLow ? -1 : 1;
  return 0;
}

function shiftWide(high: u64, low: u64, bits: i32): void {
  const count = <u64>bits;
  if (count >= 64) {
    wideHigh = low << (count - 64);
    wideLow = 0;
  } else {
    wideHigh = (high << count) | (low >> (64 - count));
    wideLow = low << count;
  }
}

// A non-negative big integer in base 2^32, least significant limb first.
class Big {
  limbs: Array<u32> = [];

  static fromU64(value: u64): Big {
    const big = new Big();
    while (value != 0) {
      big.limbs.push(<u32>value);
      value >>= 32;
    }
    return big;
  }

  static fromDigits(digits: Array<u8>): Big {
    const big = new Big();
    let at = 0;
    // Nine digits at a time: multiply by 10^9 and add.
    while (at < digits.length) {
      let chunk: u32 = 0;
      let factor: u32 = 1;
      for (let i = 0; i < 9 && at < digits.length; i++, at++) {
        chunk = chunk * 10 + digits[at];
        factor *= 10;
      }
      big.multiplyAdd(factor, chunk);
    }
    return big;
  }

  copy(): Big {
    const big = new Big();
    for (let i = 0; i < this.limbs.length; i++) big.limbs.push(this.limbs[i]);
    return big;
  }

  multiplyAdd(factor: u32, addend: u32): void {
    let carry = <u64>addend;
    for (let i = 0; i < this.limbs.length; i++) {
      const product = <u64>this.limbs[i] * factor + carry;
      this.limbs[i] = <u32>product;
      carry = product >> 32;
    }
    if (carry != 0) this.limbs.push(<u32>carry);
  }

  multiplyPow5(power: i32): void {
    // 5^13 is the largest power of 5 below 2^32.
    for (; power >= 13; power -= 13) this.multiplyAdd(1220703125, 0);
    let factor: u32 = 1;
    for (; power > 0; power--) factor *= 5;
    if (factor > 1) this.multiplyAdd(factor, 0);
  }

  shiftLeft(bits: i32): void {
    if (this.limbs.length == 0) return;
    const whole = bits >> 5;
    const part = bits & 31;
    if (part != 0) {
      let carry: u32 = 0;
      for (let i = 0; i < this.limbs.length; i++) {
        const limb = this.limbs[i];
        this.limbs[i] = (limb << part) | carry;
        carry = limb >> (32 - part);
      }
      if (carry != 0) this.limbs.push(carry);
    }
    if (whole > 0) {
      const shifted = new Array<u32>(whole);
      for (let i = 0; i < this.limbs.length; i++) shifted.push(this.limbs[i]);
      this.limbs = shifted;
    }
  }

  compare(other: Big): i32 {
    const a = this.limbs;
    const b = other.limbs;
    if (a.length != b.length) return a.length < b.length ? -1 : 1;
    for (let i = a.length - 1; i >= 0; i--) {
      if (a[i] != b[i]) return a[i] < b[i] ? -1 : 1;
    }
    return 0;
  }
}
