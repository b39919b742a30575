// Arithmetic modulo P-256's p = 2^256 - 2^224 + 2^192 + 2^96 - 1 on nine 29-bit limbs (one per u32
// word), in Montgomery form with R = 2^261. In radix 2^29 a column of nine 58-bit products fits an
// i64 without splitting, and p has the signed digits -1, 2^9, 2^18, -2^21 and 2^24 (at limbs 0, 3,
// 6, 7 and 8): p = -1 mod 2^29 makes each reduction multiplier the column's low limb, and adding
// its multiple of p takes four shifts instead of nine products.

import { digits, header, P } from "./common.js";

const LIMBS = 9;
const BITS = 29;
const MASK = "0x1fffffff";
// p's digits other than the -1 at limb 0: [limb, shift], a negative shift subtracting.
const P_DIGITS: [number, number][] = [
  [3, 9],
  [6, 18],
  [7, -21],
  [8, 24],
];
const p = digits(P, BITS, LIMBS);

// " + digit" or " - digit", or nothing for a zero digit.
function offset(sign: string, digit: bigint): string {
  return digit == 0n ? "" : ` ${sign} ${digit}`;
}

function loadLimbs(name: string): string[] {
  return Array.from({ length: LIMBS }, (_, i) => `const ${name}${i} = <i64>load<u32>(${name}, ${4 * i});`);
}

function storeLimbs(prefix: string, indent = ""): string[] {
  return Array.from({ length: LIMBS }, (_, i) => `${indent}store<u32>(out, <u32>${prefix}${i}, ${4 * i});`);
}

// Stores r - p when r (limbs r0..r8, below 2p) is at least p, else r.
function subtractIfAtLeastP(): string[] {
  const lines = ["let d: i64 = 0;"];
  for (let i = 0; i < LIMBS; i++) {
    lines.push(`d = ${i == 0 ? "" : "(d >> 29) + "}r${i}${offset("-", p[i]!)};`, `const d${i} = d & ${MASK};`);
  }
  return [...lines, "if (d >= 0) {", ...storeLimbs("d", "  "), "  return;", "}", ...storeLimbs("r")];
}

// Stores r + p when the signed carry t out of r0..r8 is negative, else r reduced by subtractIfAtLeastP.
function correct(): string[] {
  const lines = ["if (t < 0) {", "  let u: i64 = 0;"];
  for (let i = 0; i < LIMBS; i++) {
    lines.push(
      `  u = ${i == 0 ? "" : "(u >> 29) + "}r${i}${offset("+", p[i]!)};`,
      `  store<u32>(out, <u32>(u & ${MASK}), ${4 * i});`,
    );
  }
  return [...lines, "  return;", "}", ...subtractIfAtLeastP()];
}

/** The source of p256Multiply (or p256Square when `square`). */
function montgomery(square: boolean): string[] {
  const lines = [
    square
      ? "/** out = a^2 / 2^261 mod p for a reduced a at a raw address; out may alias a. */"
      : "/** out = a * b / 2^261 mod p for reduced a and b at raw addresses; out may alias either. */",
    `export function ${square ? "p256Square" : "p256Multiply"}(out: usize, a: usize${square ? "" : ", b: usize"}): void {`,
    ...loadLimbs("a"),
    ...(square ? Array.from({ length: LIMBS }, (_, i) => `const w${i} = a${i} << 1;`) : loadLimbs("b")),
    "let t: i64 = 0;",
  ];
  // Column k sums its products, the multiples of p chosen so far, and the carry; columns below 9
  // choose m_k = their low limb (adding -m_k clears it), the rest give the result's limbs.
  for (let k = 0; k < 2 * LIMBS; k++) {
    const terms: string[] = k == 0 ? [] : ["(t >> 29)"];
    for (let i = Math.max(0, k - LIMBS + 1); i <= Math.min(k, LIMBS - 1); i++) {
      const j = k - i;
      if (!square) terms.push(`a${i} * b${j}`);
      else if (i < j) terms.push(`w${i} * a${j}`);
      else if (i == j) terms.push(`a${i} * a${i}`);
    }
    let sum = terms.join(" + ");
    for (const [limb, shift] of P_DIGITS) {
      const j = k - limb;
      if (j >= 0 && j < LIMBS) sum += shift > 0 ? ` + (m${j} << ${shift})` : ` - (m${j} << ${-shift})`;
    }
    lines.push(`t = ${sum};`, `const ${k < LIMBS ? `m${k}` : `r${k - LIMBS}`} = t & ${MASK};`);
  }
  // (a b + m p) / R is below 2p.
  lines.push(...subtractIfAtLeastP(), "}", "");
  return lines;
}

/** The source of p256-multiply.ts (or p256-square.ts). */
export function p256Montgomery(square: boolean): string {
  return [
    ...header(
      `Montgomery ${square ? "squaring" : "multiplication"} modulo P-256's p on nine 29-bit limbs (R = 2^261):\n` +
        "products summed column by column in an i64, and p's signed digits -1, 2^9, 2^18, -2^21, 2^24 turn\n" +
        "each reduction step into shifts (p = -1 mod 2^29, so the multiplier is the column's low limb).",
    ),
    ...montgomery(square),
  ].join("\n");
}

/** The source of p256-linear.ts: addition, subtraction and small multiples modulo p. */
export function p256Linear(): string {
  const lines = [
    ...header("Addition, subtraction and small multiples modulo P-256's p on nine 29-bit limbs."),
    "/** out = a + b mod p for reduced operands at raw addresses; out may alias either. */",
    "export function p256Add(out: usize, a: usize, b: usize): void {",
    "let t: i64 = 0;",
  ];
  for (let i = 0; i < LIMBS; i++) {
    const carry = i == 0 ? "" : "(t >> 29) + ";
    lines.push(`t = ${carry}<i64>load<u32>(a, ${4 * i}) + <i64>load<u32>(b, ${4 * i});`, `const r${i} = t & ${MASK};`);
  }
  lines.push(...subtractIfAtLeastP(), "}", "");
  lines.push(
    "/** out = a - b mod p for reduced operands at raw addresses; out may alias either. */",
    "export function p256Subtract(out: usize, a: usize, b: usize): void {",
    "let t: i64 = 0;",
  );
  for (let i = 0; i < LIMBS; i++) {
    const carry = i == 0 ? "" : "(t >> 29) + ";
    lines.push(`t = ${carry}<i64>load<u32>(a, ${4 * i}) - <i64>load<u32>(b, ${4 * i});`, `const r${i} = t & ${MASK};`);
  }
  lines.push("if (t >= 0) {", ...storeLimbs("r", "  "), "  return;", "}", "let u: i64 = 0;");
  for (let i = 0; i < LIMBS; i++) {
    lines.push(
      `u = ${i == 0 ? "" : "(u >> 29) + "}r${i}${offset("+", p[i]!)};`,
      `store<u32>(out, <u32>(u & ${MASK}), ${4 * i});`,
    );
  }
  lines.push("}", "");
  // k a < 2^259 (k <= 8); its bits from 256 up (`top`) fold back with 2^256 = 2^224 - 2^192 - 2^96 + 1
  // (mod p), which leaves a value in (-2^227, 2^256 + 2^227): one addition or subtraction of p ends it.
  lines.push(
    "/** out = k * a mod p for a reduced a at a raw address and k from 0 to 8; out may alias a. */",
    "export function p256MultiplySmall(out: usize, a: usize, k: i64): void {",
    "let t: i64 = 0;",
  );
  for (let i = 0; i < LIMBS; i++) {
    lines.push(`t = ${i == 0 ? "" : "(t >> 29) + "}k * <i64>load<u32>(a, ${4 * i});`, `let r${i} = t & ${MASK};`);
  }
  lines.push("const top = t >> 24;", "r8 &= 0xffffff;");
  const fold = ["+ top", "", "", "- (top << 9)", "", "", "- (top << 18)", "+ (top << 21)", ""];
  for (let i = 0; i < LIMBS; i++) {
    lines.push(`t = ${i == 0 ? "" : "(t >> 29) + "}r${i}${fold[i] ? ` ${fold[i]}` : ""};`, `r${i} = t & ${MASK};`);
  }
  lines.push("t >>= 29;", ...correct(), "}", "");
  return lines.join("\n");
}
