// Text helpers: CEL counts and orders strings by Unicode code point, while AssemblyScript strings
// are UTF-16, and bytes convert to strings only when they are valid UTF-8.

import { textLength, unitAt } from "./fast";

/** Appends the UTF-8 encoding of code point `code` to `out`. */
export function appendUtf8(out: u8[], code: i32): void {
  if (code < 0x80) out.push(<u8>code);
  else if (code < 0x800) {
    out.push(<u8>(0xc0 | (code >> 6)));
    out.push(<u8>(0x80 | (code & 0x3f)));
  } else if (code < 0x10000) {
    out.push(<u8>(0xe0 | (code >> 12)));
    out.push(<u8>(0x80 | ((code >> 6) & 0x3f)));
    out.push(<u8>(0x80 | (code & 0x3f)));
  } else {
    out.push(<u8>(0xf0 | (code >> 18)));
    out.push(<u8>(0x80 | ((code >> 12) & 0x3f)));
    out.push(<u8>(0x80 | ((code >> 6) & 0x3f)));
    out.push(<u8>(0x80 | (code & 0x3f)));
  }
}

/** A Uint8Array holding `bytes`. */
export function toUint8Array(bytes: u8[]): Uint8Array {
  const out = new Uint8Array(bytes.length);
  for (let i = 0; i < bytes.length; i++) unchecked((out[i] = bytes[i]));
  return out;
}

/** The UTF-8 encoding of `text` (lone surrogates become U+FFFD). */
export function utf8Bytes(text: string): Uint8Array {
  return Uint8Array.wrap(String.UTF8.encode(text));
}

/** Decodes strict UTF-8 (no overlongs, surrogates or values past U+10FFFF); null when invalid. */
export function decodeUtf8(bytes: Uint8Array): string | null {
  const n = bytes.length;
  let i = 0;
  while (i < n) {
    const b = <i32>unchecked(bytes[i]);
    if (b < 0x80) {
      i++;
      continue;
    }
    let need = 0;
    let min = 0;
    let code = 0;
    if (b >= 0xc2 && b <= 0xdf) {
      need = 1;
      min = 0x80;
      code = b & 0x1f;
    } else if (b >= 0xe0 && b <= 0xef) {
      need = 2;
      min = 0x800;
      code = b & 0x0f;
    } else if (b >= 0xf0 && b <= 0xf4) {
      need = 3;
      min = 0x10000;
      code = b & 0x07;
    } else return null;
    if (i + need >= n) return null;
    for (let k = 1; k <= need; k++) {
      const c = <i32>unchecked(bytes[i + k]);
      if ((c & 0xc0) != 0x80) return null;
      code = (code << 6) | (c & 0x3f);
    }
    if (code < min || code > 0x10ffff || (code >= 0xd800 && code < 0xe000)) return null;
    i += need + 1;
  }
  return String.UTF8.decodeUnsafe(changetype<usize>(bytes.dataStart), <usize>n);
}

/** The number of code points in `text`. */
export function codePointCount(text: string): i32 {
  let count = 0;
  const n = textLength(text);
  for (let i = 0; i < n; i++) {
    const c = unitAt(text, i);
    if (c >= 0xd800 && c < 0xdc00 && i + 1 < n) {
      const low = unitAt(text, i + 1);
      if (low >= 0xdc00 && low < 0xe000) i++;
    }
    count++;
  }
  return count;
}

// Surrogates sort below U+E000..U+FFFF in UTF-16 but above them as code points: shift them up.
function codePointOrder(c: i32): i32 {
  return c >= 0xd800 && c < 0xe000 ? c + 0x2000 : c >= 0xe000 ? c - 0x800 : c;
}

/** Compares two strings by code point: negative, zero or positive. */
export function compareStrings(a: string, b: string): i32 {
  const n = min(a.length, b.length);
  for (let i = 0; i < n; i++) {
    const x = a.charCodeAt(i);
    const y = b.charCodeAt(i);
    if (x != y) return codePointOrder(x) - codePointOrder(y);
  }
  return a.length - b.length;
}

/** Compares two byte sequences lexicographically: negative, zero or positive. */
export function compareBytes(a: Uint8Array, b: Uint8Array): i32 {
  const n = min(a.length, b.length);
  for (let i = 0; i < n; i++) {
    const x = <i32>unchecked(a[i]);
    const y = <i32>unchecked(b[i]);
    if (x != y) return x - y;
  }
  return a.length - b.length;
}

/** True when both byte sequences hold the same bytes. */
export function bytesEqual(a: Uint8Array, b: Uint8Array): bool {
  if (a.length != b.length) return false;
  for (let i = 0; i < a.length; i++) if (unchecked(a[i]) != unchecked(b[i])) return false;
  return true;
}

/** CEL's text for a double: the shortest round-tripping decimal, without a trailing ".0". */
export function formatDouble(d: f64): string {
  if (isNaN(d)) return "NaN";
  if (!isFinite(d)) return d > 0 ? "Infinity" : "-Infinity";
  const text = d.toString();
  return text.endsWith(".0") ? text.substring(0, text.length - 2) : text;
}
