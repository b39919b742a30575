// ECDSA verification (FIPS 186-4 6.4) of JWS signatures ES256, ES384 and ES512: the signature is
// the IEEE P1363 concatenation r || s, each exactly one coordinate long (RFC 7518 3.4).

import { digest, digestLength } from "../sha2";
import { Curve, CurveParams, curveParams } from "./curves";
import { Limbs } from "./field";
import { KeyCache } from "./key-cache";
import { Multiplier } from "./multiply";
import { Point } from "./point";

export { Curve } from "./curves";

// Per-curve working state, built on first use and never freed.
@unmanaged
class Verifier {
  readonly params: CurveParams;
  readonly multiplier: Multiplier;
  readonly sum: Point;
  readonly x: Limbs;
  readonly y: Limbs;
  readonly t: Limbs;
  readonly r: Limbs;
  readonly s: Limbs;
  readonly e: Limbs;
  readonly keys: KeyCache;

  constructor(params: CurveParams) {
    const f = params.field;
    this.params = params;
    this.multiplier = new Multiplier(params);
    this.sum = new Point(f);
    this.x = f.element();
    this.y = f.element();
    this.t = f.element();
    this.r = f.element();
    this.s = f.element();
    this.e = f.element();
    this.keys = new KeyCache(f, params.bytes);
  }
}

// One Verifier address per Curve value, zero until first use.
// prettier-ignore
@lazy const verifiers = memory.data(3 * sizeof<usize>());

function verifier(curve: Curve): Verifier {
  const slot = verifiers + <usize>curve * sizeof<usize>();
  let v = load<usize>(slot);
  if (v == 0) {
    v = changetype<usize>(new Verifier(curveParams(curve)));
    store<usize>(slot, v);
  }
  return changetype<Verifier>(v);
}

/**
 * Verifies an ECDSA P1363 signature (r || s) of `message` under the public key (x, y) on `curve`,
 * hashing with SHA-256, SHA-384 or SHA-512 as ES256, ES384 and ES512 do; x and y are the
 * full-length big-endian coordinates of a JWK. False for any malformed key or signature. The
 * last four keys of each curve are kept: verifying with one again skips its checks, and its
 * second use prepares it for verifications about a third faster.
 */
export function verifyEcdsa(
  curve: Curve,
  x: Uint8Array,
  y: Uint8Array,
  message: Uint8Array,
  signature: Uint8Array,
): bool {
  if (<u32>curve > <u32>Curve.P521) return false;
  const v = verifier(curve);
  const params = v.params;
  const bytes = params.bytes;
  if (x.length != bytes || y.length != bytes || signature.length != 2 * bytes) return false;
  // A cached key was checked when it came first; its second use prepares it.
  let key = v.keys.find(x, y);
  if (key == null) {
    if (!publicKey(v, x, y)) return false;
    key = v.keys.claim(x, y);
    v.multiplier.setKey(key, v.x, v.y);
  } else if (!key.prepared) {
    v.multiplier.prepareKey(key);
  }
  const order = params.order;
  const r = v.r;
  const s = v.s;
  if (!order.fromBytes(r, signature, 0, bytes) || !order.fromBytes(s, signature, bytes, bytes)) return false;
  if (order.isZero(r) || order.isZero(s) || !order.below(r) || !order.below(s)) return false;
  const e = v.e;
  hashScalar(params, message, e);
  // w = s^-1 (Montgomery form), then u1 = e w and u2 = r w come out plain.
  order.encode(s, s);
  order.invert(s, s);
  order.mul(e, e, s);
  order.mul(s, r, s);
  const sum = v.sum;
  v.multiplier.multiply(e, s, key, sum);
  if (params.field.isZero(sum.z)) return false;
  return xMatches(v, sum, r);
}

// Reads (x, y) into v.x, v.y in Montgomery form; false if a coordinate is >= p or the point is
// not on the curve (which also excludes the point at infinity, having no affine form).
function publicKey(v: Verifier, x: Uint8Array, y: Uint8Array): bool {
  const f = v.params.field;
  const px = v.x;
  const py = v.y;
  const t = v.t;
  if (!f.fromBytes(px, x, 0, x.length) || !f.fromBytes(py, y, 0, y.length)) return false;
  if (!f.below(px) || !f.below(py)) return false;
  f.encode(px, px);
  f.encode(py, py);
  // y^2 == x^3 - 3x + b
  f.sqr(t, px);
  f.mul(t, t, px);
  f.sub(t, t, px);
  f.sub(t, t, px);
  f.sub(t, t, px);
  f.add(t, t, v.params.b);
  const y2 = v.r;
  f.sqr(y2, py);
  return f.compare(t, y2) == 0;
}

// e = the leftmost orderBits bits of the message hash, reduced mod n (FIPS 186-4 6.4 step 3).
function hashScalar(params: CurveParams, message: Uint8Array, e: Limbs): void {
  const order = params.order;
  const hash = digest(params.hash, message);
  const length = min(digestLength(params.hash), params.bytes);
  order.fromBytes(e, hash, 0, length);
  const excess = length * 8 - params.orderBits;
  if (excess > 0) {
    const last = (<usize>order.limbs - 1) << 2;
    for (let i: usize = 0; i <= last; i += 4) {
      const next = i < last ? load<u32>(e + i, 4) : 0;
      store<u32>(e + i, (load<u32>(e + i) >>> excess) | (next << (32 - excess)));
    }
  }
  // e < 2^orderBits < 2n, so one subtraction reduces it.
  if (!order.below(e)) subtract(e, order.modulus, order.limbs);
}

// Whether x(sum) mod n == r, without inverting Z: x(sum) = X / Z^2 lies in [0, p), so it is r or
// r + n (the latter only when r + n < p).
function xMatches(v: Verifier, sum: Point, r: Limbs): bool {
  const f = v.params.field;
  const order = v.params.order;
  const z2 = v.y;
  const t = v.t;
  f.sqr(z2, sum.z);
  f.fromWords(t, r, order.limbs);
  f.encode(t, t);
  f.mul(t, t, z2);
  if (f.compare(t, sum.x) == 0) return true;
  if (add(r, order.modulus, order.limbs)) return false;
  f.fromWords(t, r, order.limbs);
  if (!f.below(t)) return false;
  f.encode(t, t);
  f.mul(t, t, z2);
  return f.compare(t, sum.x) == 0;
}

// a += b over `limbs` words; true on carry out.
function add(a: Limbs, b: Limbs, limbs: i32): bool {
  let c: u64 = 0;
  for (let i: usize = 0; i < (<usize>limbs) << 2; i += 4) {
    const s = <u64>load<u32>(a + i) + <u64>load<u32>(b + i) + c;
    store<u32>(a + i, <u32>s);
    c = s >> 32;
  }
  return c != 0;
}

// a -= b over `limbs` words, for a >= b.
function subtract(a: Limbs, b: Limbs, limbs: i32): void {
  let borrow: i64 = 0;
  for (let i: usize = 0; i < (<usize>limbs) << 2; i += 4) {
    const d = <i64>load<u32>(a + i) - <i64>load<u32>(b + i) + borrow;
    store<u32>(a + i, <u32>d);
    borrow = d >> 32;
  }
}
