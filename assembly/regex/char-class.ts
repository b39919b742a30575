// Character classes as sorted, disjoint [lo, hi] code point pairs, and the named classes RE2
// knows: Perl (\d \s \w) and POSIX ([:alpha:] ...), all ASCII-only as in RE2.

import { foldRangeInto } from "./case-fold";

/** The highest Unicode code point. */
export const MAX_RUNE: i32 = 0x10ffff;

/** Appends [lo, hi] to `ranges`, with every case variant of it when `fold` is set. */
export function appendRange(ranges: Array<i32>, lo: i32, hi: i32, fold: bool): void {
  ranges.push(lo);
  ranges.push(hi);
  if (fold) foldRangeInto(lo, hi, ranges);
}

/** Appends a named class's pairs (or their complement when `negate`), folded when `fold`. */
export function appendNamed(ranges: Array<i32>, named: StaticArray<i32>, negate: bool, fold: bool): void {
  const own: Array<i32> = [];
  for (let i = 0; i < named.length; i += 2) appendRange(own, named[i], named[i + 1], fold);
  const clean = normalize(own);
  const add = negate ? complement(clean) : clean;
  for (let i = 0; i < add.length; i++) ranges.push(add[i]);
}

/** Sorts and merges pairs so that they are disjoint and not adjacent. */
export function normalize(ranges: Array<i32>): Array<i32> {
  const count = ranges.length >> 1;
  const order = new Array<i64>(count);
  for (let i = 0; i < count; i++) order[i] = (i64(ranges[2 * i]) << 32) | i64(u32(ranges[2 * i + 1]));
  order.sort((a: i64, b: i64): i32 => (a < b ? -1 : a > b ? 1 : 0));
  const out: Array<i32> = [];
  for (let i = 0; i < count; i++) {
    const lo = i32(order[i] >> 32);
    const hi = i32(order[i] & 0xffffffff);
    const n = out.length;
    if (n > 0 && lo <= out[n - 1] + 1) {
      if (hi > out[n - 1]) out[n - 1] = hi;
    } else {
      out.push(lo);
      out.push(hi);
    }
  }
  return out;
}

/** The code points not in normalized `ranges`. */
export function complement(ranges: Array<i32>): Array<i32> {
  const out: Array<i32> = [];
  let next = 0;
  for (let i = 0; i < ranges.length; i += 2) {
    if (ranges[i] > next) {
      out.push(next);
      out.push(ranges[i] - 1);
    }
    next = ranges[i + 1] + 1;
  }
  if (next <= MAX_RUNE) {
    out.push(next);
    out.push(MAX_RUNE);
  }
  return out;
}

const DIGIT: StaticArray<i32> = [0x30, 0x39];
const SPACE: StaticArray<i32> = [0x09, 0x0a, 0x0c, 0x0d, 0x20, 0x20];
const WORD: StaticArray<i32> = [0x30, 0x39, 0x41, 0x5a, 0x5f, 0x5f, 0x61, 0x7a];

/** The pairs of Perl class `\<letter>` (lower case; upper case is its complement), or null. */
export function perlClass(letter: i32): StaticArray<i32> | null {
  if (letter == 0x64) return DIGIT;
  if (letter == 0x73) return SPACE;
  if (letter == 0x77) return WORD;
  return null;
}

// The index of POSIX class `name` in the tables below, or -1.
function posixIndex(name: string): i32 {
  if (name == "alnum") return 0;
  if (name == "alpha") return 1;
  if (name == "ascii") return 2;
  if (name == "blank") return 3;
  if (name == "cntrl") return 4;
  if (name == "digit") return 5;
  if (name == "graph") return 6;
  if (name == "lower") return 7;
  if (name == "print") return 8;
  if (name == "punct") return 9;
  if (name == "space") return 10;
  if (name == "upper") return 11;
  if (name == "word") return 12;
  if (name == "xdigit") return 13;
  return -1;
}

// The pairs of each POSIX class in posixIndex order, as static data only modules that parse
// classes carry; starts[i] is where class i begins, starts[i + 1] where it ends.
function posixPairs(): usize {
  // prettier-ignore
  return memory.data<i32>([
    0x30, 0x39, 0x41, 0x5a, 0x61, 0x7a,
    0x41, 0x5a, 0x61, 0x7a,
    0x00, 0x7f,
    0x09, 0x09, 0x20, 0x20,
    0x00, 0x1f, 0x7f, 0x7f,
    0x30, 0x39,
    0x21, 0x7e,
    0x61, 0x7a,
    0x20, 0x7e,
    0x21, 0x2f, 0x3a, 0x40, 0x5b, 0x60, 0x7b, 0x7e,
    0x09, 0x0d, 0x20, 0x20,
    0x41, 0x5a,
    0x30, 0x39, 0x41, 0x5a, 0x5f, 0x5f, 0x61, 0x7a,
    0x30, 0x39, 0x41, 0x46, 0x61, 0x66,
  ]);
}

function posixStarts(): usize {
  return memory.data<i32>([0, 6, 10, 12, 16, 20, 22, 24, 26, 28, 36, 40, 42, 50, 56]);
}

/** The pairs of POSIX class `[:name:]`, or null for an unknown name. */
export function posixClass(name: string): StaticArray<i32> | null {
  const index = posixIndex(name);
  if (index < 0) return null;
  const starts = posixStarts();
  const start = load<i32>(starts + ((<usize>index) << 2));
  const pairs = new StaticArray<i32>(load<i32>(starts + ((<usize>(index + 1)) << 2)) - start);
  const from = posixPairs() + ((<usize>start) << 2);
  for (let k = 0; k < pairs.length; k++) pairs[k] = load<i32>(from + ((<usize>k) << 2));
  return pairs;
}
