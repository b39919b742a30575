// u1 G + u2 Q for ECDSA verification: both scalars in width-w NAF, scanned together so the
// doublings are shared (Shamir's trick). G's odd multiples are affine and built once per curve;
// Q's are built in Jacobian coordinates for each new key, and made affine with one shared
// inversion when the same key comes again (a JWKS key verifies many tokens), which makes each of
// Q's additions cheaper (madd instead of add: 7M + 4S instead of 11M + 5S).

import { CurveParams } from "./curves";
import { Field, Limbs } from "./field";
import { Point, PointArithmetic } from "./point";

// Window widths: G's table (2^(w-2) points) is paid for once, so it can be wider.
const G_WINDOW = 7;
const Q_WINDOW = 5;
const KEY_POINTS = 1 << (Q_WINDOW - 2);

/** One curve's multiplication state: G's table, room for Q's, and the wNAF digits (never freed). */
@unmanaged
export class Multiplier {
  private readonly params: CurveParams;
  private readonly arithmetic: PointArithmetic;
  // Addresses of arrays of Point references.
  private readonly generator: usize;
  private readonly key: usize;
  private readonly twice: Point;
  // KEY_POINTS field elements: the running products of the key table's Z coordinates.
  private readonly products: usize;
  private readonly inverse: Limbs;
  private keyAffine: bool = false;
  // Addresses of `digitCount` i8 wNAF digits each.
  private readonly u1Digits: usize;
  private readonly u2Digits: usize;
  private readonly digitCount: i32;

  constructor(params: CurveParams) {
    const f = params.field;
    this.params = params;
    this.arithmetic = new PointArithmetic(f);
    this.generator = points(f, 1 << (G_WINDOW - 2));
    this.key = points(f, KEY_POINTS);
    this.twice = new Point(f);
    this.products = heap.alloc(<usize>KEY_POINTS * ((<usize>f.limbs) << 2));
    this.inverse = f.element();
    const count = params.order.limbs * 32 + 1;
    this.digitCount = count;
    this.u1Digits = heap.alloc(<usize>count);
    this.u2Digits = heap.alloc(<usize>count);
    this.oddMultiples(this.generator, 1 << (G_WINDOW - 2), params.gx, params.gy);
    const t = f.element();
    for (let i = 0; i < 1 << (G_WINDOW - 2); i++) toAffine(f, pointAt(this.generator, i), t);
  }

  /** Makes the affine point (x, y), in Montgomery form and on the curve, the key Q of the next multiplications. */
  setKey(x: Limbs, y: Limbs): void {
    this.oddMultiples(this.key, KEY_POINTS, x, y);
    this.keyAffine = false;
  }

  /** Whether the key's table is affine already (normalizeKey ran since setKey). */
  get keyIsAffine(): bool {
    return this.keyAffine;
  }

  /** Converts the key's table to affine coordinates with one inversion (Montgomery's trick). */
  normalizeKey(): void {
    const f = this.params.field;
    const size = (<usize>f.limbs) << 2;
    const products = this.products;
    f.copy(products, pointAt(this.key, 0).z);
    for (let i = 1; i < KEY_POINTS; i++) {
      const at = products + <usize>i * size;
      f.mul(at, at - size, pointAt(this.key, i).z);
    }
    // inverse = 1 / (Z0 ... Zi) going down; each Z is an odd multiple of Q below n, so never zero.
    const inverse = this.inverse;
    f.invert(inverse, products + <usize>(KEY_POINTS - 1) * size);
    const zInverse = this.twice.x;
    const t = this.twice.y;
    for (let i = KEY_POINTS - 1; i >= 0; i--) {
      const p = pointAt(this.key, i);
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
    this.keyAffine = true;
  }

  /** sum = u1 G + u2 Q for plain scalars below n and the key Q of setKey. */
  multiply(u1: Limbs, u2: Limbs, sum: Point): void {
    const a = this.arithmetic;
    const affine = this.keyAffine;
    const d1 = this.u1Digits;
    const d2 = this.u2Digits;
    const count = this.digitCount;
    wnaf(u1, G_WINDOW, d1, count);
    wnaf(u2, Q_WINDOW, d2, count);
    a.clear(sum);
    for (let i = count - 1; i >= 0; i--) {
      if (!a.isInfinity(sum)) a.double(sum);
      const g = <i32>load<i8>(d1 + i);
      if (g != 0) a.addAffine(sum, pointAt(this.generator, abs(g) >> 1), g < 0);
      const q = <i32>load<i8>(d2 + i);
      if (q == 0) continue;
      if (affine) a.addAffine(sum, pointAt(this.key, abs(q) >> 1), q < 0);
      else a.add(sum, pointAt(this.key, abs(q) >> 1), q < 0);
    }
  }

  // table[i] = (2i + 1) P for the affine P = (x, y).
  private oddMultiples(table: usize, count: i32, x: Limbs, y: Limbs): void {
    const f = this.params.field;
    const a = this.arithmetic;
    const first = pointAt(table, 0);
    f.copy(first.x, x);
    f.copy(first.y, y);
    f.copy(first.z, f.one);
    const twice = this.twice;
    a.set(twice, first);
    a.double(twice);
    for (let i = 1; i < count; i++) {
      const p = pointAt(table, i);
      a.set(p, pointAt(table, i - 1));
      a.add(p, twice, false);
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

// (X, Y, Z) -> (X / Z^2, Y / Z^3, 1); p is a multiple of G below n, so Z != 0.
function toAffine(f: Field, p: Point, t: Limbs): void {
  f.invert(p.z, p.z);
  f.sqr(t, p.z);
  f.mul(p.x, p.x, t);
  f.mul(t, t, p.z);
  f.mul(p.y, p.y, t);
  f.copy(p.z, f.one);
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
