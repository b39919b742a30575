// Points of edwards25519 (-x^2 + y^2 = 1 + d x^2 y^2) with the ref10 formulas: extended
// coordinates for sums, "completed" ((X:Z), (Y:T)) results of one addition or doubling, and a
// cached form of addends. Decoding follows RFC 8032 5.1.3 and rejects every non-canonical input.

import {
  CURVE_D,
  CURVE_D2,
  Fe,
  SQRT_M1,
  feAdd,
  feCopy,
  feFromBytes,
  feInvert,
  feIsNegative,
  feIsZero,
  feNeg,
  feNew,
  fePow22523,
  feSet,
  feSub,
  feToBytes,
} from "./field";
import { feMul, feSquare } from "./field-mul";

/**
 * A point (X:Y:Z:T) with x = X/Z, y = Y/Z and xy = T/Z; a completed point uses x = X/Z, y = Y/T.
 * Create points only once per module (as module-level scratch or tables): coordinates are never freed.
 */
export class Point {
  /** X, the numerator of x. */
  x: Fe = feNew();
  /** Y, the numerator of y. */
  y: Fe = feNew();
  /** Z, the denominator of x (and of y in an extended point). */
  z: Fe = feNew();
  /** T = XY/Z in an extended point; the denominator of y in a completed point. */
  t: Fe = feNew();
}

/** A point prepared as an addend, (Y+X, Y-X, Z, 2dT); like Point, created only once per module. */
export class CachedPoint {
  /** Y + X. */
  yPlusX: Fe = feNew();
  /** Y - X. */
  yMinusX: Fe = feNew();
  /** Z. */
  z: Fe = feNew();
  /** 2d T. */
  t2d: Fe = feNew();
}

/** Sets p to the neutral element (0, 1). */
export function pointSetIdentity(p: Point): void {
  feSet(p.x, 0);
  feSet(p.y, 1);
  feSet(p.z, 1);
  feSet(p.t, 0);
}

// prettier-ignore
@lazy const u = feNew(),
  v = feNew(),
  v3 = feNew(),
  check = feNew();

// Whether the 32 bytes at `offset` encode y >= p (the low 255 bits are p + k for some k in 0..18).
function encodesNonCanonicalY(bytes: Uint8Array, offset: i32): bool {
  if ((bytes[offset + 31] & 0x7f) != 0x7f) return false;
  for (let i = 30; i > 0; i--) if (bytes[offset + i] != 0xff) return false;
  return bytes[offset] >= 0xed;
}

/**
 * Decodes the 32 bytes at `bytes[offset]` into p (RFC 8032 5.1.3); false when y >= p, when
 * x^2 = (y^2 - 1)/(d y^2 + 1) has no root, or when x = 0 comes with the sign bit set.
 */
export function pointDecode(p: Point, bytes: Uint8Array, offset: i32): bool {
  if (encodesNonCanonicalY(bytes, offset)) return false;
  const sign = bytes[offset + 31] >> 7;
  feFromBytes(p.y, bytes, offset);
  feSet(p.z, 1);
  feSquare(u, p.y, false);
  feMul(v, u, CURVE_D);
  feSub(u, u, p.z);
  feAdd(v, v, p.z);
  // x = u v^3 (u v^7)^((p-5)/8) is a root of u/v when one exists, up to a factor sqrt(-1).
  feSquare(v3, v, false);
  feMul(v3, v3, v);
  feSquare(p.x, v3, false);
  feMul(p.x, p.x, v);
  feMul(p.x, p.x, u);
  fePow22523(p.x, p.x);
  feMul(p.x, p.x, v3);
  feMul(p.x, p.x, u);
  feSquare(check, p.x, false);
  feMul(check, check, v);
  feSub(v3, check, u);
  if (!feIsZero(v3)) {
    feAdd(v3, check, u);
    if (!feIsZero(v3)) return false;
    feMul(p.x, p.x, SQRT_M1);
  }
  const negative = feIsNegative(p.x);
  if (sign == 1 && feIsZero(p.x)) return false;
  if (negative != (sign == 1)) feNeg(p.x, p.x);
  feMul(p.t, p.x, p.y);
  return true;
}

/** Sets p = -p. */
export function pointNegate(p: Point): void {
  feNeg(p.x, p.x);
  feNeg(p.t, p.t);
}

// prettier-ignore
@lazy const inverse = feNew(),
  affine = feNew();

/** Writes the 32-byte RFC 8032 encoding of p at `out[offset]`. */
export function pointEncode(out: Uint8Array, offset: i32, p: Point): void {
  feInvert(inverse, p.z);
  feMul(affine, p.x, inverse);
  const negative = feIsNegative(affine);
  feMul(affine, p.y, inverse);
  feToBytes(out, offset, affine);
  if (negative) out[offset + 31] |= 0x80;
}

/** Sets c to the cached form of the extended point p. */
export function pointToCached(c: CachedPoint, p: Point): void {
  feAdd(c.yPlusX, p.y, p.x);
  feSub(c.yMinusX, p.y, p.x);
  feCopy(c.z, p.z);
  feMul(c.t2d, p.t, CURVE_D2);
}

/** Sets the projective (X:Y:Z) part of r from the completed point c (r.t is left stale). */
export function completedToProjective(r: Point, c: Point): void {
  feMul(r.x, c.x, c.t);
  feMul(r.y, c.y, c.z);
  feMul(r.z, c.z, c.t);
}

/** Sets the extended point r from the completed point c (r must not be c). */
export function completedToExtended(r: Point, c: Point): void {
  feMul(r.x, c.x, c.t);
  feMul(r.y, c.y, c.z);
  feMul(r.z, c.z, c.t);
  feMul(r.t, c.x, c.y);
}

// prettier-ignore
@lazy const sum = feNew();

/** Sets the completed point r = 2p from the projective part of p (r must not be p). */
export function pointDouble(r: Point, p: Point): void {
  feSquare(r.x, p.x, false);
  feSquare(r.z, p.y, false);
  feSquare(r.t, p.z, true);
  feAdd(r.y, p.x, p.y);
  feSquare(sum, r.y, false);
  feAdd(r.y, r.z, r.x);
  feSub(r.z, r.z, r.x);
  feSub(r.x, sum, r.y);
  feSub(r.t, r.t, r.z);
}

/** Sets the completed point r = p + q, or p - q when `subtract` (r must not be p). */
export function pointAdd(r: Point, p: Point, q: CachedPoint, subtract: bool): void {
  feAdd(r.x, p.y, p.x);
  feSub(r.y, p.y, p.x);
  feMul(r.z, r.x, subtract ? q.yMinusX : q.yPlusX);
  feMul(r.y, r.y, subtract ? q.yPlusX : q.yMinusX);
  feMul(r.t, q.t2d, p.t);
  feMul(r.x, p.z, q.z);
  feAdd(sum, r.x, r.x);
  feSub(r.x, r.z, r.y);
  feAdd(r.y, r.z, r.y);
  if (subtract) {
    feSub(r.z, sum, r.t);
    feAdd(r.t, sum, r.t);
  } else {
    feAdd(r.z, sum, r.t);
    feSub(r.t, sum, r.t);
  }
}
