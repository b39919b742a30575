// Jacobian-coordinate point arithmetic for short Weierstrass curves with a = -3: (X, Y, Z) stands
// for the affine (X/Z^2, Y/Z^3), and Z = 0 is the point at infinity. Verification handles only
// public values, so the formulas branch freely on the special cases.

import { Field, Limbs } from "./field";

/** A point in Jacobian coordinates, each in Montgomery form (built once and never freed). */
@unmanaged
export class Point {
  /** X coordinate. */
  readonly x: Limbs;
  /** Y coordinate. */
  readonly y: Limbs;
  /** Z coordinate; zero for the point at infinity. */
  readonly z: Limbs;

  constructor(field: Field) {
    this.x = field.element();
    this.y = field.element();
    this.z = field.element();
  }
}

/** Point doubling and addition over one field, with preallocated temporaries. */
@unmanaged
export class PointArithmetic {
  private readonly f: Field;
  private readonly t0: Limbs;
  private readonly t1: Limbs;
  private readonly t2: Limbs;
  private readonly t3: Limbs;
  private readonly t4: Limbs;
  private readonly t5: Limbs;
  private readonly t6: Limbs;
  private readonly zero: Limbs;
  private readonly negatedY: Limbs;

  constructor(field: Field) {
    this.f = field;
    this.t0 = field.element();
    this.t1 = field.element();
    this.t2 = field.element();
    this.t3 = field.element();
    this.t4 = field.element();
    this.t5 = field.element();
    this.t6 = field.element();
    this.zero = field.element();
    this.negatedY = field.element();
  }

  /** Whether p is the point at infinity. */
  isInfinity(p: Point): bool {
    return this.f.isZero(p.z);
  }

  /** p = q. */
  set(p: Point, q: Point): void {
    const f = this.f;
    f.copy(p.x, q.x);
    f.copy(p.y, q.y);
    f.copy(p.z, q.z);
  }

  /** p = the point at infinity. */
  clear(p: Point): void {
    this.f.clear(p.z);
  }

  /** p = 2p (dbl-2001-b); infinity stays infinity because Z3 is computed from Z1. */
  double(p: Point): void {
    const f = this.f;
    const delta = this.t0;
    const gamma = this.t1;
    const beta = this.t2;
    const alpha = this.t3;
    const t = this.t4;
    f.sqr(delta, p.z);
    f.sqr(gamma, p.y);
    f.mul(beta, p.x, gamma);
    f.sub(t, p.x, delta);
    f.add(alpha, p.x, delta);
    f.mul(alpha, alpha, t);
    f.times(alpha, alpha, 3);
    // Z3 = (Y + Z)^2 - gamma - delta
    f.add(t, p.y, p.z);
    f.sqr(t, t);
    f.sub(t, t, gamma);
    f.sub(p.z, t, delta);
    // X3 = alpha^2 - 8 beta
    f.times(beta, beta, 4);
    f.sqr(p.x, alpha);
    f.sub(p.x, p.x, beta);
    f.sub(p.x, p.x, beta);
    // Y3 = alpha (4 beta - X3) - 8 gamma^2
    f.sub(beta, beta, p.x);
    f.mul(beta, beta, alpha);
    f.sqr(gamma, gamma);
    f.times(gamma, gamma, 8);
    f.sub(p.y, beta, gamma);
  }

  /** p = p + q, or p - q when `negate` (add-2007-bl, doubling when p == q); q is left unchanged. */
  add(p: Point, q: Point, negate: bool): void {
    if (this.isInfinity(q)) return;
    const f = this.f;
    const qy = this.negatedY;
    if (negate) f.sub(qy, this.zero, q.y);
    else f.copy(qy, q.y);
    if (this.isInfinity(p)) {
      f.copy(p.x, q.x);
      f.copy(p.y, qy);
      f.copy(p.z, q.z);
      return;
    }
    const z1z1 = this.t0;
    const z2z2 = this.t1;
    const u1 = this.t2;
    const h = this.t3;
    const s1 = this.t4;
    const r = this.t5;
    const t = this.t6;
    f.sqr(z1z1, p.z);
    f.sqr(z2z2, q.z);
    f.mul(u1, p.x, z2z2);
    f.mul(h, q.x, z1z1);
    f.sub(h, h, u1);
    f.mul(s1, p.y, q.z);
    f.mul(s1, s1, z2z2);
    f.mul(r, qy, p.z);
    f.mul(r, r, z1z1);
    f.sub(r, r, s1);
    if (this.sameOrOpposite(p, h, r)) return;
    f.add(r, r, r);
    // Z3 = ((Z1 + Z2)^2 - Z1Z1 - Z2Z2) H, before h is reused.
    f.add(t, p.z, q.z);
    f.sqr(t, t);
    f.sub(t, t, z1z1);
    f.sub(t, t, z2z2);
    f.mul(p.z, t, h);
    // I = (2H)^2, J = H I, V = U1 I
    f.add(t, h, h);
    f.sqr(t, t);
    f.mul(h, h, t);
    f.mul(u1, u1, t);
    // X3 = r^2 - J - 2V
    f.sqr(p.x, r);
    f.sub(p.x, p.x, h);
    f.sub(p.x, p.x, u1);
    f.sub(p.x, p.x, u1);
    // Y3 = r (V - X3) - 2 S1 J
    f.sub(u1, u1, p.x);
    f.mul(u1, u1, r);
    f.mul(s1, s1, h);
    f.add(s1, s1, s1);
    f.sub(p.y, u1, s1);
  }

  /** p = p + q, or p - q when `negate`, for an affine q (Z = 1, madd-2007-bl); q is left unchanged. */
  addAffine(p: Point, q: Point, negate: bool): void {
    const f = this.f;
    const qy = this.negatedY;
    if (negate) f.sub(qy, this.zero, q.y);
    else f.copy(qy, q.y);
    if (this.isInfinity(p)) {
      f.copy(p.x, q.x);
      f.copy(p.y, qy);
      f.copy(p.z, q.z);
      return;
    }
    const z1z1 = this.t0;
    const h = this.t1;
    const r = this.t2;
    const hh = this.t3;
    const t = this.t4;
    f.sqr(z1z1, p.z);
    f.mul(h, q.x, z1z1);
    f.sub(h, h, p.x);
    f.mul(r, qy, p.z);
    f.mul(r, r, z1z1);
    f.sub(r, r, p.y);
    if (this.sameOrOpposite(p, h, r)) return;
    f.add(r, r, r);
    f.sqr(hh, h);
    // Z3 = (Z1 + H)^2 - Z1Z1 - HH
    f.add(t, p.z, h);
    f.sqr(t, t);
    f.sub(t, t, z1z1);
    f.sub(p.z, t, hh);
    // I = 4 HH, J = H I, V = X1 I
    f.times(hh, hh, 4);
    f.mul(h, h, hh);
    f.mul(t, p.x, hh);
    // X3 = r^2 - J - 2V
    f.sqr(p.x, r);
    f.sub(p.x, p.x, h);
    f.sub(p.x, p.x, t);
    f.sub(p.x, p.x, t);
    // Y3 = r (V - X3) - 2 Y1 J
    f.sub(t, t, p.x);
    f.mul(t, t, r);
    f.mul(h, h, p.y);
    f.add(h, h, h);
    f.sub(p.y, t, h);
  }

  // When the addends have the same x (h = 0), the sum is 2p (same y, r = 0) or infinity: applies
  // it and returns true. The doubling reads only p, so clobbered temporaries do not matter.
  private sameOrOpposite(p: Point, h: Limbs, r: Limbs): bool {
    const f = this.f;
    if (!f.isZero(h)) return false;
    if (f.isZero(r)) this.double(p);
    else f.clear(p.z);
    return true;
  }
}
