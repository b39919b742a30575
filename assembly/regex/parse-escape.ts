// Backslash escapes shared by patterns and classes (RE2 syntax): octal `\123`, hex `\x7F` and
// `\x{10FFFF}`, the C escapes `\a \f \n \r \t \v`, and escaped punctuation. Letters and digits
// RE2 gives no meaning to are errors, so that `\1` (a backreference) never passes as a literal.

import { Cursor } from "./cursor";

function hexValue(c: i32): i32 {
  if (c >= 0x30 && c <= 0x39) return c - 0x30;
  if (c >= 0x61 && c <= 0x66) return c - 0x61 + 10;
  if (c >= 0x41 && c <= 0x46) return c - 0x41 + 10;
  return -1;
}

function isOctal(c: i32): bool {
  return c >= 0x30 && c <= 0x37;
}

function isAlnum(c: i32): bool {
  return (c >= 0x30 && c <= 0x39) || (c >= 0x41 && c <= 0x5a) || (c >= 0x61 && c <= 0x7a);
}

function parseHex(cursor: Cursor): i32 {
  if (!cursor.more()) return -1;
  let c = cursor.next();
  if (c != 0x7b) {
    const high = hexValue(c);
    if (high < 0 || !cursor.more()) return -1;
    const low = hexValue(cursor.next());
    return low < 0 ? -1 : (high << 4) | low;
  }
  let value = 0;
  let digits = 0;
  while (cursor.more()) {
    c = cursor.next();
    if (c == 0x7d) return digits > 0 ? value : -1;
    const digit = hexValue(c);
    if (digit < 0) return -1;
    value = value * 16 + digit;
    if (value > 0x10ffff) return -1;
    digits++;
  }
  return -1;
}

/** Parses the escape at the cursor (on its backslash) to a code point, or fails and returns -1. */
export function parseEscape(cursor: Cursor): i32 {
  const start = cursor.pos;
  cursor.pos++;
  if (!cursor.more()) {
    cursor.fail("trailing backslash at end of expression", start, cursor.pos);
    return -1;
  }
  const c = cursor.next();
  if (c >= 0x31 && c <= 0x39 && !(c <= 0x37 && isOctal(cursor.peek()))) {
    cursor.fail("backreferences are not supported", start, cursor.pos);
    return -1;
  }
  if (isOctal(c)) {
    let value = c - 0x30;
    for (let i = 1; i < 3 && isOctal(cursor.peek()); i++) value = value * 8 + cursor.next() - 0x30;
    return value;
  }
  let value = -1;
  if (c == 0x78) value = parseHex(cursor);
  else if (c == 0x61) value = 7;
  else if (c == 0x66) value = 0x0c;
  else if (c == 0x6e) value = 0x0a;
  else if (c == 0x72) value = 0x0d;
  else if (c == 0x74) value = 0x09;
  else if (c == 0x76) value = 0x0b;
  else if (c <= 0x7f && !isAlnum(c)) value = c;
  if (value < 0) cursor.fail("invalid escape sequence", start, cursor.pos);
  return value;
}
