// Multiplication and squaring mod 2^255 - 19 on ten signed limbs of alternately 26 and 25 bits
// (radix 2^25.5, as in the ref10 reference code): limb products fit an i64 as long as every input
// limb stays below 2^27, which holds for sums of up to four carried elements.

import { Fe } from "./field";

/** Sets h = f * g (h may alias f or g); the result is carried so every limb is below 2^26. */
export function feMul(h: Fe, f: Fe, g: Fe): void {
  const f0 = load<i64>(f, 0);
  const f1 = load<i64>(f, 8);
  const f2 = load<i64>(f, 16);
  const f3 = load<i64>(f, 24);
  const f4 = load<i64>(f, 32);
  const f5 = load<i64>(f, 40);
  const f6 = load<i64>(f, 48);
  const f7 = load<i64>(f, 56);
  const f8 = load<i64>(f, 64);
  const f9 = load<i64>(f, 72);
  const g0 = load<i64>(g, 0);
  const g1 = load<i64>(g, 8);
  const g2 = load<i64>(g, 16);
  const g3 = load<i64>(g, 24);
  const g4 = load<i64>(g, 32);
  const g5 = load<i64>(g, 40);
  const g6 = load<i64>(g, 48);
  const g7 = load<i64>(g, 56);
  const g8 = load<i64>(g, 64);
  const g9 = load<i64>(g, 72);
  const f1_2 = f1 * 2;
  const f3_2 = f3 * 2;
  const f5_2 = f5 * 2;
  const f7_2 = f7 * 2;
  const f9_2 = f9 * 2;
  const g1_19 = g1 * 19;
  const g2_19 = g2 * 19;
  const g3_19 = g3 * 19;
  const g4_19 = g4 * 19;
  const g5_19 = g5 * 19;
  const g6_19 = g6 * 19;
  const g7_19 = g7 * 19;
  const g8_19 = g8 * 19;
  const g9_19 = g9 * 19;
  let h0 =
    f0 * g0 +
    f1_2 * g9_19 +
    f2 * g8_19 +
    f3_2 * g7_19 +
    f4 * g6_19 +
    f5_2 * g5_19 +
    f6 * g4_19 +
    f7_2 * g3_19 +
    f8 * g2_19 +
    f9_2 * g1_19;
  let h1 =
    f0 * g1 +
    f1 * g0 +
    f2 * g9_19 +
    f3 * g8_19 +
    f4 * g7_19 +
    f5 * g6_19 +
    f6 * g5_19 +
    f7 * g4_19 +
    f8 * g3_19 +
    f9 * g2_19;
  let h2 =
    f0 * g2 +
    f1_2 * g1 +
    f2 * g0 +
    f3_2 * g9_19 +
    f4 * g8_19 +
    f5_2 * g7_19 +
    f6 * g6_19 +
    f7_2 * g5_19 +
    f8 * g4_19 +
    f9_2 * g3_19;
  let h3 =
    f0 * g3 + f1 * g2 + f2 * g1 + f3 * g0 + f4 * g9_19 + f5 * g8_19 + f6 * g7_19 + f7 * g6_19 + f8 * g5_19 + f9 * g4_19;
  let h4 =
    f0 * g4 +
    f1_2 * g3 +
    f2 * g2 +
    f3_2 * g1 +
    f4 * g0 +
    f5_2 * g9_19 +
    f6 * g8_19 +
    f7_2 * g7_19 +
    f8 * g6_19 +
    f9_2 * g5_19;
  let h5 =
    f0 * g5 + f1 * g4 + f2 * g3 + f3 * g2 + f4 * g1 + f5 * g0 + f6 * g9_19 + f7 * g8_19 + f8 * g7_19 + f9 * g6_19;
  let h6 =
    f0 * g6 +
    f1_2 * g5 +
    f2 * g4 +
    f3_2 * g3 +
    f4 * g2 +
    f5_2 * g1 +
    f6 * g0 +
    f7_2 * g9_19 +
    f8 * g8_19 +
    f9_2 * g7_19;
  let h7 = f0 * g7 + f1 * g6 + f2 * g5 + f3 * g4 + f4 * g3 + f5 * g2 + f6 * g1 + f7 * g0 + f8 * g9_19 + f9 * g8_19;
  let h8 =
    f0 * g8 + f1_2 * g7 + f2 * g6 + f3_2 * g5 + f4 * g4 + f5_2 * g3 + f6 * g2 + f7_2 * g1 + f8 * g0 + f9_2 * g9_19;
  let h9 = f0 * g9 + f1 * g8 + f2 * g7 + f3 * g6 + f4 * g5 + f5 * g4 + f6 * g3 + f7 * g2 + f8 * g1 + f9 * g0;
  let c: i64;
  c = (h0 + 0x2000000) >> 26;
  h1 += c;
  h0 -= c << 26;
  c = (h4 + 0x2000000) >> 26;
  h5 += c;
  h4 -= c << 26;
  c = (h1 + 0x1000000) >> 25;
  h2 += c;
  h1 -= c << 25;
  c = (h5 + 0x1000000) >> 25;
  h6 += c;
  h5 -= c << 25;
  c = (h2 + 0x2000000) >> 26;
  h3 += c;
  h2 -= c << 26;
  c = (h6 + 0x2000000) >> 26;
  h7 += c;
  h6 -= c << 26;
  c = (h3 + 0x1000000) >> 25;
  h4 += c;
  h3 -= c << 25;
  c = (h7 + 0x1000000) >> 25;
  h8 += c;
  h7 -= c << 25;
  c = (h4 + 0x2000000) >> 26;
  h5 += c;
  h4 -= c << 26;
  c = (h8 + 0x2000000) >> 26;
  h9 += c;
  h8 -= c << 26;
  c = (h9 + 0x1000000) >> 25;
  h0 += c * 19;
  h9 -= c << 25;
  c = (h0 + 0x2000000) >> 26;
  h1 += c;
  h0 -= c << 26;
  store<i64>(h, h0, 0);
  store<i64>(h, h1, 8);
  store<i64>(h, h2, 16);
  store<i64>(h, h3, 24);
  store<i64>(h, h4, 32);
  store<i64>(h, h5, 40);
  store<i64>(h, h6, 48);
  store<i64>(h, h7, 56);
  store<i64>(h, h8, 64);
  store<i64>(h, h9, 72);
}

/** Sets h = f^2, or 2 f^2 when `doubled` (h may alias f); the result is carried. */
export function feSquare(h: Fe, f: Fe, doubled: bool): void {
  const f0 = load<i64>(f, 0);
  const f1 = load<i64>(f, 8);
  const f2 = load<i64>(f, 16);
  const f3 = load<i64>(f, 24);
  const f4 = load<i64>(f, 32);
  const f5 = load<i64>(f, 40);
  const f6 = load<i64>(f, 48);
  const f7 = load<i64>(f, 56);
  const f8 = load<i64>(f, 64);
  const f9 = load<i64>(f, 72);
  const f0_2 = f0 * 2;
  const f1_2 = f1 * 2;
  const f2_2 = f2 * 2;
  const f3_2 = f3 * 2;
  const f4_2 = f4 * 2;
  const f5_2 = f5 * 2;
  const f5_19 = f5 * 19;
  const f6_2 = f6 * 2;
  const f6_19 = f6 * 19;
  const f7_2 = f7 * 2;
  const f7_19 = f7 * 19;
  const f7_38 = f7 * 38;
  const f8_2 = f8 * 2;
  const f8_19 = f8 * 19;
  const f9_2 = f9 * 2;
  const f9_19 = f9 * 19;
  const f9_38 = f9 * 38;
  let h0 = f0 * f0 + f1_2 * f9_38 + f2_2 * f8_19 + f3_2 * f7_38 + f4_2 * f6_19 + f5_2 * f5_19;
  let h1 = f0_2 * f1 + f2_2 * f9_19 + f3_2 * f8_19 + f4_2 * f7_19 + f5_2 * f6_19;
  let h2 = f0_2 * f2 + f1_2 * f1 + f3_2 * f9_38 + f4_2 * f8_19 + f5_2 * f7_38 + f6 * f6_19;
  let h3 = f0_2 * f3 + f1_2 * f2 + f4_2 * f9_19 + f5_2 * f8_19 + f6_2 * f7_19;
  let h4 = f0_2 * f4 + f1_2 * f3_2 + f2 * f2 + f5_2 * f9_38 + f6_2 * f8_19 + f7_2 * f7_19;
  let h5 = f0_2 * f5 + f1_2 * f4 + f2_2 * f3 + f6_2 * f9_19 + f7_2 * f8_19;
  let h6 = f0_2 * f6 + f1_2 * f5_2 + f2_2 * f4 + f3_2 * f3 + f7_2 * f9_38 + f8 * f8_19;
  let h7 = f0_2 * f7 + f1_2 * f6 + f2_2 * f5 + f3_2 * f4 + f8_2 * f9_19;
  let h8 = f0_2 * f8 + f1_2 * f7_2 + f2_2 * f6 + f3_2 * f5_2 + f4 * f4 + f9_2 * f9_19;
  let h9 = f0_2 * f9 + f1_2 * f8 + f2_2 * f7 + f3_2 * f6 + f4_2 * f5;
  if (doubled) {
    h0 += h0;
    h1 += h1;
    h2 += h2;
    h3 += h3;
    h4 += h4;
    h5 += h5;
    h6 += h6;
    h7 += h7;
    h8 += h8;
    h9 += h9;
  }
  let c: i64;
  c = (h0 + 0x2000000) >> 26;
  h1 += c;
  h0 -= c << 26;
  c = (h4 + 0x2000000) >> 26;
  h5 += c;
  h4 -= c << 26;
  c = (h1 + 0x1000000) >> 25;
  h2 += c;
  h1 -= c << 25;
  c = (h5 + 0x1000000) >> 25;
  h6 += c;
  h5 -= c << 25;
  c = (h2 + 0x2000000) >> 26;
  h3 += c;
  h2 -= c << 26;
  c = (h6 + 0x2000000) >> 26;
  h7 += c;
  h6 -= c << 26;
  c = (h3 + 0x1000000) >> 25;
  h4 += c;
  h3 -= c << 25;
  c = (h7 + 0x1000000) >> 25;
  h8 += c;
  h7 -= c << 25;
  c = (h4 + 0x2000000) >> 26;
  h5 += c;
  h4 -= c << 26;
  c = (h8 + 0x2000000) >> 26;
  h9 += c;
  h8 -= c << 26;
  c = (h9 + 0x1000000) >> 25;
  h0 += c * 19;
  h9 -= c << 25;
  c = (h0 + 0x2000000) >> 26;
  h1 += c;
  h0 -= c << 26;
  store<i64>(h, h0, 0);
  store<i64>(h, h1, 8);
  store<i64>(h, h2, 16);
  store<i64>(h, h3, 24);
  store<i64>(h, h4, 32);
  store<i64>(h, h5, 40);
  store<i64>(h, h6, 48);
  store<i64>(h, h7, 56);
  store<i64>(h, h8, 64);
  store<i64>(h, h9, 72);
}
