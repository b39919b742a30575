// Reading the input of a match: UTF-16 code points (a lone surrogate is one of its own, as in
// JavaScript's codePointAt) and the empty-width context between two of them.

import { EmptyFlag } from "./ast";

/** The code point at `i` of a UTF-16 string of `length` units, as (rune << 2) | width; -1 at the end. */
@inline export function decode(base: usize, length: i32, i: i32): i32 {
  if (i >= length) return -1;
  const unit = i32(load<u16>(base + (usize(i) << 1)));
  if (unit >= 0xd800 && unit <= 0xdbff && i + 1 < length) {
    const low = i32(load<u16>(base + (usize(i + 1) << 1)));
    if (low >= 0xdc00 && low <= 0xdfff) return ((((unit - 0xd800) << 10) + (low - 0xdc00) + 0x10000) << 2) | 2;
  }
  return (unit << 2) | 1;
}

/** The code point ending just before `i`, or -1 at the start. */
export function decodeBefore(base: usize, i: i32): i32 {
  if (i <= 0) return -1;
  const unit = i32(load<u16>(base + (usize(i - 1) << 1)));
  if (unit >= 0xdc00 && unit <= 0xdfff && i >= 2) {
    const high = i32(load<u16>(base + (usize(i - 2) << 1)));
    if (high >= 0xd800 && high <= 0xdbff) return ((high - 0xd800) << 10) + (unit - 0xdc00) + 0x10000;
  }
  return unit;
}


@inline function isWord(c: i32): bool {
  return (c >= 0x61 && c <= 0x7a) || (c >= 0x41 && c <= 0x5a) || (c >= 0x30 && c <= 0x39) || c == 0x5f;
}

/** The EmptyFlag bits that hold between code points `before` and `after` (-1 at either end). */
export function emptyContext(before: i32, after: i32): i32 {
  let flags = 0;
  if (before < 0) flags |= EmptyFlag.BeginText | EmptyFlag.BeginLine;
  else if (before == 0x0a) flags |= EmptyFlag.BeginLine;
  if (after < 0) flags |= EmptyFlag.EndText | EmptyFlag.EndLine;
  else if (after == 0x0a) flags |= EmptyFlag.EndLine;
  flags |= isWord(before) != isWord(after) ? EmptyFlag.WordBoundary : EmptyFlag.NoWordBoundary;
  return flags;
}
