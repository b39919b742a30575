// Montgomery multiplication and squaring modulo P-256's group order n on eight 32-bit words
// (R = 2^256), product scanning with the reduction interleaved column by column (FIPS): each
// 64-bit product is split into its low and high words, summed apart, so that a column of up to 16
// products and a carry cannot overflow a u64.

import { digits, header, hex, N } from "./common.js";

const WORDS = 8;
const MASK = "0xffffffff";

// -m^-1 mod 2^32 for an odd m.
function montgomeryFactor(m: bigint): bigint {
  const modulus = 2n ** 32n;
  let inverse = 1n;
  for (let i = 0; i < 5; i++) inverse = (inverse * (2n - ((m * inverse) % modulus))) % modulus;
  return (modulus - ((inverse + modulus) % modulus)) % modulus;
}

// A product term: two operand expressions (u64 locals or constants).
type Term = [string, string];

// Adds the terms' products into lo and hi (low and high words summed apart), doubled when `twice`.
function accumulate(terms: Term[], twice: boolean, first: boolean): string[] {
  const lines: string[] = [];
  terms.forEach(([x, y], i) => {
    const start = first && i == 0;
    lines.push(`p = ${x} * ${y};`);
    lines.push(start ? `lo = p & ${MASK};` : `lo += p & ${MASK};`);
    lines.push(start ? "hi = p >> 32;" : "hi += p >> 32;");
  });
  if (twice && terms.length > 0) lines.push("lo <<= 1;", "hi <<= 1;");
  return lines;
}

// Column k of a * b, or of a^2 (each cross pair once, doubled, plus the square of the middle word).
function column(k: number, square: boolean): string[] {
  const terms: Term[] = [];
  for (let i = Math.max(0, k - WORDS + 1); i <= Math.min(k, WORDS - 1); i++) {
    if (square && i >= k - i) break;
    terms.push([`a${i}`, `${square ? "a" : "b"}${k - i}`]);
  }
  const lines = accumulate(terms, square, true);
  if (square && k % 2 == 0) lines.push(...accumulate([[`a${k / 2}`, `a${k / 2}`]], false, lines.length == 0));
  if (k > 0) lines.push("lo += carry;");
  return lines;
}

function loadWords(name: string): string[] {
  return Array.from({ length: WORDS }, (_, i) => `const ${name}${i} = <u64>load<u32>(${name}, ${4 * i});`);
}

function storeWords(prefix: string, indent: string): string[] {
  return Array.from({ length: WORDS }, (_, i) => `${indent}store<u32>(out, <u32>${prefix}${i}, ${4 * i});`);
}

/** The source of p256OrderMultiply (or p256OrderSquare when `square`). */
export function p256Order(square: boolean): string {
  const n = digits(N, 32, WORDS);
  const factor = montgomeryFactor(N);
  const lines = [
    ...header(
      `Montgomery ${square ? "squaring" : "multiplication"} modulo P-256's group order n (R = 2^256), product\n` +
        "scanning with the reduction interleaved column by column; n's words are constants.",
    ),
    square
      ? "/** out = a^2 / 2^256 mod n for a reduced a at a raw address; out may alias a. */"
      : "/** out = a * b / 2^256 mod n for reduced a and b at raw addresses; out may alias either. */",
    `export function ${square ? "p256OrderSquare" : "p256OrderMultiply"}(out: usize, a: usize${square ? "" : ", b: usize"}): void {`,
    ...loadWords("a"),
    ...(square ? [] : loadWords("b")),
    "let p: u64, lo: u64, hi: u64, carry: u64;",
  ];
  for (let k = 0; k < 2 * WORDS - 1; k++) {
    const body = column(k, square);
    const reduction: Term[] = [];
    for (let j = Math.max(0, k - WORDS + 1); j <= Math.min(k - 1, WORDS - 1); j++) {
      if (n[k - j] != 0n) reduction.push([`m${j}`, hex(n[k - j]!)]);
    }
    body.push(...accumulate(reduction, false, false));
    if (k < WORDS) {
      body.push(`const m${k} = ((lo & ${MASK}) * ${hex(factor)}) & ${MASK};`);
      body.push(...accumulate([[`m${k}`, hex(n[0]!)]], false, false), "carry = hi + (lo >> 32);");
    } else {
      body.push(`const r${k - WORDS} = lo & ${MASK};`, "carry = hi + (lo >> 32);");
    }
    lines.push(...body);
  }
  // The result is below 2n: one conditional subtraction, also when it overflowed into bit 256.
  lines.push(`const r${WORDS - 1} = carry & ${MASK};`, "const top = carry >> 32;", "let d: i64 = 0;");
  for (let j = 0; j < WORDS; j++) lines.push(`d = (d >> 32) + <i64>r${j} - ${hex(n[j]!)};`, `const d${j} = d;`);
  lines.push("if (top != 0 || d >= 0) {", ...storeWords("d", "  "), "  return;", "}", ...storeWords("r", ""), "}", "");
  return lines.join("\n");
}
