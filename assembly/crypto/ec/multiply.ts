// u1 G + u2 Q for ECDSA verification: both scalars in width-w NAF, scanned together so the
// doublings are shared (Shamir's trick). A new key gets a Jacobian table of Q's odd multiples for
// one full scan. When the same key comes again (a JWKS key verifies many tokens; key-cache.ts
// keeps the tables) it is prepared: a second table for 2^split Q, and both made affine with one
// inversion each. From then on each scalar is split in two halves at bit `split`, the high half's
// digits using the tables of 2^split G and 2^split Q, so the scan is half as long and makes half
// the doublings, and each of Q's additions is a mixed one (7M + 4S instead of 11M + 5S). G's
// tables are affine and built once per curve.

import { CurveParams } from "./curves";
import { Field, Limbs } from "./field";
import { Point, PointArithmetic } from "./point";

// Window widths: G's tables (2^(w-2) points each) are paid for once, so they can be wider.
const G_WINDOW = 7;
const Q_WINDOW = 5;
const G_POINTS = 1 << (G_WINDOW - 2);
const KEY_POINTS = 1 << (Q_WINDOW - 2);

/** One key's tables of odd multiples: Q's (Jacobian until prepared) and, once prepared, 2^split Q's; never freed. */
@unmanaged
export class KeyTables {
  /** Address of KEY_POINTS Point references: (2i + 1) Q. */
  readonly low: usize;
  /** Address of KEY_POINTS Point references: (2i + 1) 2^split Q, once prepared. */
  readonly high: usize;
  /** Whether both tables are built and affine. */
  prepared: bool = false;

  constructor(f: Field) {
    this.low = points(f, KEY_POINTS);
    this.high = points(f, KEY_POINTS);
  }
}

/** One curve's multiplication state: G's tables and the wNAF digits (never freed). */
@unmanaged
export class Multiplier {
  private readonly params: CurveParams;
  private readonly arithmetic: PointArithmetic;
  // Addresses of arrays of Point references: odd multiples of G and of 2^split G.
  private readonly generator: usize;
  private readonly generatorHigh: usize;
  private readonly twice: Point;
  // G_POINTS field elements: the running products of a table's Z coordinates.
  private readonly products: usize;
  private readonly inverse: Limbs;
  // Addresses of `digitCount` i8 wNAF digits each; digits from `split` on go to the high tables.
  private readonly u1Digits: usize;
  private readonly u2Digits: usize;
  private readonly digitCount: i32;
  private readonly split: i32;

  constructor(params: CurveParams) {
    const f = params.field;
    this.params = params;
    this.arithmetic = new PointArithmetic(f);
    this.generator = points(f, G_POINTS);
    this.generatorHigh = points(f, G_POINTS);
    this.twice = new Point(f);
    this.products = heap.alloc(<usize>G_POINTS * ((<usize>f.limbs) << 2));
    this.inverse = f.element();
    const count = params.order.limbs * 32 + 1;
    this.digitCount = count;
    this.split = count >> 1;
    this.u1Digits = heap.alloc(<usize>count);
    this.u2Digits = heap.alloc(<usize>count);
    const g = pointAt(this.generator, 0);
    f.copy(g.x, params.gx);
    f.copy(g.y, params.gy);
    f.copy(g.z, f.one);
    this.oddMultiples(this.generator, G_POINTS);
    this.shiftedTable(this.generator, this.generatorHigh, G_POINTS);
    this.toAffine(this.generator, G_POINTS);
    this.toAffine(this.generatorHigh, G_POINTS);
  }

  /** Fills `key`'s first table for the affine point (x, y), in Montgomery form and on the curve. */
  setKey(key: KeyTables, x: Limbs, y: Limbs): void {
    const f = this.params.field;
    const first = pointAt(key.low, 0);
    f.copy(first.x, x);
    f.copy(first.y, y);
    f.copy(first.z, f.one);
    this.oddMultiples(key.low, KEY_POINTS);
    key.prepared = false;
  }

  /** Builds the key's second table and makes both affine, for the faster multiplications. */
  prepareKey(key: KeyTables): void {
    this.shiftedTable(key.low, key.high, KEY_POINTS);
    this.toAffine(key.low, KEY_POINTS);
    this.toAffine(key.high, KEY_POINTS);
    key.prepared = true;
  }

  /** sum = u1 G + u2 Q for plain scalars below n and the key Q whose tables are `key`. */
  multiply(u1: Limbs, u2: Limbs, key: KeyTables, sum: Point): void {
    const d1 = this.u1Digits;
    const d2 = this.u2Digits;
    const count = this.digitCount;
    const split = this.split;
    wnaf(u1, G_WINDOW, d1, count);
    wnaf(u2, Q_WINDOW, d2, count);
    this.arithmetic.clear(sum);
    if (!key.prepared) {
      for (let i = count - 1; i >= 0; i--) {
        if (!this.arithmetic.isInfinity(sum)) this.arithmetic.double(sum);
        this.addDigits(sum, i, this.generator, key.low, false);
      }
      return;
    }
    // count >= 2 split, so the high half is the longer one.
    for (let i = count - 1 - split; i >= 0; i--) {
      if (!this.arithmetic.isInfinity(sum)) this.arithmetic.double(sum);
      if (i < split) this.addDigits(sum, i, this.generator, key.low, true);
      this.addDigits(sum, i + split, this.generatorHigh, key.high, true);
    }
  }

  // sum += digit i of u1 times G's table entry and digit i of u2 times Q's (affine or Jacobian).
  private addDigits(sum: Point, i: i32, generator: usize, key: usize, affine: bool): void {
    const a = this.arithmetic;
    const g = <i32>load<i8>(this.u1Digits + i);
    if (g != 0) a.addAffine(sum, pointAt(generator, abs(g) >> 1), g < 0);
    const q = <i32>load<i8>(this.u2Digits + i);
    if (q == 0) return;
    if (affine) a.addAffine(sum, pointAt(key, abs(q) >> 1), q < 0);
    else a.add(sum, pointAt(key, abs(q) >> 1), q < 0);
  }

  // high[i] = (2i + 1) 2^split P for P = low[0].
  private shiftedTable(low: usize, high: usize, count: i32): void {
    const a = this.arithmetic;
    const shifted = pointAt(high, 0);
    a.set(shifted, pointAt(low, 0));
    for (let i = 0; i < this.split; i++) a.double(shifted);
    this.oddMultiples(high, count);
  }

  // table[i] = (2i + 1) table[0].
  private oddMultiples(table: usize, count: i32): void {
    const a = this.arithmetic;
    const twice = this.twice;
    a.set(twice, pointAt(table, 0));
    a.double(twice);
    for (let i = 1; i < count; i++) {
      const p = pointAt(table, i);
      a.set(p, pointAt(table, i - 1));
      a.add(p, twice, false);
    }
  }

  // Makes every point of the table affine with one inversion (Montgomery's trick). Each is a
  // nonzero multiple below n of a point of order n, so no Z is zero.
  private toAffine(table: usize, count: i32): void {
    const f = this.params.field;
    const size = (<usize>f.limbs) << 2;
    const products = this.products;
    f.copy(products, pointAt(table, 0).z);
    for (let i = 1; i < count; i++) {
      const at = products + <usize>i * size;
      f.mul(at, at - size, pointAt(table, i).z);
    }
    // inverse = 1 / (Z0 ... Zi), going down.
    const inverse = this.inverse;
    f.invert(inverse, products + <usize>(count - 1) * size);
    const zInverse = this.twice.x;
    const t = this.twice.y;
    for (let i = count - 1; i >= 0; i--) {
      const p = pointAt(table, i);
      if (i > 0) {
        f.mul(zInverse, inverse, products + <usize>(i - 1) * size);
        f.mul(inverse, inverse, p.z);
      } else {
        f.copy(zInverse, inverse);
      }
      f.sqr(t, zInverse);
      f.mul(p.x, p.x, t);
      f.mul(t, t, zInverse);
      f.mul(p.y, p.y, t);
      f.copy(p.z, f.one);
    }
  }
}

function points(f: Field, count: i32): usize {
  const table = heap.alloc(<usize>count * sizeof<usize>());
  for (let i = 0; i < count; i++) store<usize>(table + <usize>i * sizeof<usize>(), changetype<usize>(new Point(f)));
  return table;
}

function pointAt(table: usize, i: i32): Point {
  return changetype<Point>(load<usize>(table + <usize>i * sizeof<usize>()));
}

// digits[i] = the width-w NAF digit of k at bit i: zero or odd with |digit| < 2^(w-1), nonzero
// digits at least w apart (the carry form of libsecp256k1's secp256k1_ecmult_wnaf).
function wnaf(k: Limbs, w: i32, digits: usize, count: i32): void {
  const length = count - 1;
  memory.fill(digits, 0, <usize>count);
  let carry: u32 = 0;
  let bit = 0;
  while (bit < length) {
    if (bitsAt(k, length, bit, 1) == carry) {
      bit++;
      continue;
    }
    const now = min(w, length - bit);
    const word = bitsAt(k, length, bit, now) + carry;
    carry = (word >> (w - 1)) & 1;
    store<i8>(digits + bit, <i8>(<i32>word - <i32>(carry << w)));
    bit += now;
  }
  store<i8>(digits + length, <i8>carry);
}

// `count` (1 to 8) bits of the `length`-bit k starting at bit `at`.
function bitsAt(k: Limbs, length: i32, at: i32, count: i32): u32 {
  const limb = k + (((<usize>at) >>> 5) << 2);
  const shift = (<u32>at) & 31;
  let value = load<u32>(limb) >>> shift;
  if (shift + <u32>count > 32 && at + 32 - <i32>shift < length) value |= load<u32>(limb, 4) << (32 - shift);
  return value & ((1 << count) - 1);
}
