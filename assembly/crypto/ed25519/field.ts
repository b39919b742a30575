// Arithmetic mod p = 2^255 - 19 for Ed25519. An element is ten signed limbs of alternately 26
// and 25 bits (limb i weighs 2^ceil(25.5 i)); additions leave limbs uncarried and the next
// multiplication carries them, so only encoding needs a full reduction.

import { feMul, feSquare } from "./field-mul";

/**
 * A field element: the address of ten i64 limbs in radix 2^25.5, not necessarily reduced. Every
 * element is module-lifetime scratch or a constant, so each is allocated once outside the GC and
 * the hot arithmetic reads plain memory, with no shadow-stack work per call.
 */
export type Fe = usize;

const LIMB_BYTES: usize = 80;

/** A new field element equal to zero, allocated for the lifetime of the module. */
export function feNew(): Fe {
  const h = heap.alloc(LIMB_BYTES);
  memory.fill(h, 0, LIMB_BYTES);
  return h;
}

/** A new field element holding the given limbs (ten values, each below 2^26). */
export function feConstant(limbs: StaticArray<i64>): Fe {
  const h = feNew();
  memory.copy(h, changetype<usize>(limbs), LIMB_BYTES);
  return h;
}

/** The constant d = -121665/121666 of the curve. */
// prettier-ignore
@lazy export const CURVE_D = feConstant([
  56195235, 13857412, 51736253, 6949390, 114729, 24766616, 60832955, 30306712, 48412415, 21499315,
]);

/** The constant 2d, used by point addition. */
// prettier-ignore
@lazy export const CURVE_D2 = feConstant([
  45281625, 27714825, 36363642, 13898781, 229458, 15978800, 54557047, 27058993, 29715967, 9444199,
]);

/** A square root of -1 mod p (2^((p-1)/4)). */
// prettier-ignore
@lazy export const SQRT_M1 = feConstant([
  34513072, 25610706, 9377949, 3500415, 12389472, 33281959, 41962654, 31548777, 326685, 11406482,
]);

/** Sets h = f. */
export function feCopy(h: Fe, f: Fe): void {
  memory.copy(h, f, LIMB_BYTES);
}

/** Sets h to the small value v. */
export function feSet(h: Fe, v: i64): void {
  memory.fill(h, 0, LIMB_BYTES);
  store<i64>(h, v);
}

/** Sets h = f + g without carrying. */
export function feAdd(h: Fe, f: Fe, g: Fe): void {
  for (let i: usize = 0; i < LIMB_BYTES; i += 8) store<i64>(h + i, load<i64>(f + i) + load<i64>(g + i));
}

/** Sets h = f - g without carrying. */
export function feSub(h: Fe, f: Fe, g: Fe): void {
  for (let i: usize = 0; i < LIMB_BYTES; i += 8) store<i64>(h + i, load<i64>(f + i) - load<i64>(g + i));
}

/** Sets h = -f without carrying. */
export function feNeg(h: Fe, f: Fe): void {
  for (let i: usize = 0; i < LIMB_BYTES; i += 8) store<i64>(h + i, -load<i64>(f + i));
}

/** Sets h = f^(2^n) for n >= 1. */
function feSquareTimes(h: Fe, f: Fe, n: i32): void {
  feSquare(h, f, false);
  for (let i = 1; i < n; i++) feSquare(h, h, false);
}

// prettier-ignore
@lazy const t0 = feNew(),
  t1 = feNew(),
  t2 = feNew(),
  t3 = feNew();

// Leaves z^11 in t0 and z^(2^250 - 1) in t1: the common prefix of the ref10 chains for inversion
// and for the square root exponent.
function powPrefix(z: Fe): void {
  feSquare(t0, z, false);
  feSquareTimes(t1, t0, 2);
  feMul(t1, z, t1);
  feMul(t0, t0, t1);
  feSquare(t2, t0, false);
  feMul(t1, t1, t2);
  feSquareTimes(t2, t1, 5);
  feMul(t1, t2, t1);
  feSquareTimes(t2, t1, 10);
  feMul(t2, t2, t1);
  feSquareTimes(t3, t2, 20);
  feMul(t2, t3, t2);
  feSquareTimes(t2, t2, 10);
  feMul(t1, t2, t1);
  feSquareTimes(t2, t1, 50);
  feMul(t2, t2, t1);
  feSquareTimes(t3, t2, 100);
  feMul(t2, t3, t2);
  feSquareTimes(t2, t2, 50);
  feMul(t1, t2, t1);
}

/** Sets h = 1/z (h = 0 when z = 0), as z^(p - 2). */
export function feInvert(h: Fe, z: Fe): void {
  powPrefix(z);
  feSquareTimes(t1, t1, 5);
  feMul(h, t1, t0);
}

/** Sets h = z^((p - 5) / 8) = z^(2^252 - 3), the exponent of the square root in decompression. */
export function fePow22523(h: Fe, z: Fe): void {
  powPrefix(z);
  feSquareTimes(t1, t1, 2);
  feMul(h, t1, z);
}

// prettier-ignore
@lazy const limbs = feNew();


@inline
function limb(i: i32): i64 {
  return load<i64>(limbs + ((<usize>i) << 3));
}


@inline
function setLimb(i: i32, value: i64): void {
  store<i64>(limbs + ((<usize>i) << 3), value);
}

// Carries limbs 0 to 8 into their widths, moving each carry up one limb.
function carryToTop(): void {
  for (let i = 0; i < 9; i++) {
    const width = 26 - (i & 1);
    const c = limb(i) >> width;
    setLimb(i, limb(i) - (c << width));
    setLimb(i + 1, limb(i + 1) + c);
  }
}

// Carries every limb into its width, folding the carry out of the top limb back in as 19 times it.
function carryLimbs(): void {
  carryToTop();
  const c = limb(9) >> 25;
  setLimb(9, limb(9) - (c << 25));
  setLimb(0, limb(0) + 19 * c);
}

/** Writes the unique representative of h in [0, p) as 32 little-endian bytes at `out[offset]`. */
export function feToBytes(out: Uint8Array, offset: i32, h: Fe): void {
  feCopy(limbs, h);
  // Two passes bring uncarried sums into [0, 2^255) with only limb 0 possibly slightly negative.
  carryLimbs();
  carryLimbs();
  // q is 1 when the value is >= p: adding 19q and dropping bit 255 then subtracts qp.
  let q: i64 = (19 * limb(9) + 0x1000000) >> 25;
  for (let i = 0; i < 10; i++) q = (limb(i) + q) >> (26 - (i & 1));
  setLimb(0, limb(0) + 19 * q);
  carryToTop();
  setLimb(9, limb(9) & 0x1ffffff);
  let acc: u64 = 0;
  let bits = 0;
  let at = offset;
  for (let i = 0; i < 10; i++) {
    acc |= (<u64>limb(i)) << bits;
    bits += 26 - (i & 1);
    while (bits >= 8) {
      out[at++] = <u8>acc;
      acc >>= 8;
      bits -= 8;
    }
  }
  out[at] = <u8>acc;
}

/** Sets h from 32 little-endian bytes at `bytes[offset]`, ignoring the top bit (it may be >= p). */
export function feFromBytes(h: Fe, bytes: Uint8Array, offset: i32): void {
  let acc: u64 = 0;
  let bits = 0;
  let at = offset;
  for (let i = 0; i < 10; i++) {
    const width = 26 - (i & 1);
    while (bits < width) {
      acc |= (<u64>bytes[at++]) << bits;
      bits += 8;
    }
    store<i64>(h + ((<usize>i) << 3), <i64>(acc & (((<u64>1) << width) - 1)));
    acc >>= width;
    bits -= width;
  }
}

// prettier-ignore
@lazy const encoded = new Uint8Array(32);

/** Whether f is odd once reduced (the sign of x in RFC 8032 encodings). */
export function feIsNegative(f: Fe): bool {
  feToBytes(encoded, 0, f);
  return (encoded[0] & 1) != 0;
}

/** Whether f is 0 mod p. */
export function feIsZero(f: Fe): bool {
  feToBytes(encoded, 0, f);
  for (let i = 0; i < 32; i++) if (encoded[i] != 0) return false;
  return true;
}
