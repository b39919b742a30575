// Writes JSON text: RFC 8259 string literals, numbers the way Envoy writes JWT claims (whole
// numbers without a fraction), and compact documents from a parsed JsonValue in document order.
// Everything here is total: any string or f64 gives valid JSON text.

import { StringBuilder } from "../string-builder";
import { JsonKind, JsonValue } from "./value";

const HEX_DIGITS = "0123456789abcdef";

// 2^53: beyond it an f64 no longer holds every integer, so it is written in shortest form.
const EXACT_INTEGER_LIMIT: f64 = 9007199254740992.0;

/** Returns `text` as a JSON string literal; quotes, backslashes and control characters are escaped, all else is kept. */
export function jsonQuote(text: string): string {
  const length = text.length;
  if (escapeAt(text, 0) == length) {
    // Nothing to escape: the literal is the text between two quotes, made in one allocation.
    const quoted = changetype<string>(__new((<usize>length + 2) << 1, idof<string>()));
    const at = changetype<usize>(quoted);
    store<u16>(at, 0x22);
    memory.copy(at + 2, changetype<usize>(text), (<usize>length) << 1);
    store<u16>(at + ((<usize>length + 1) << 1), 0x22);
    return quoted;
  }
  const out = new StringBuilder(length + 8);
  writeJsonString(out, text);
  return out.toString();
}

/** Writes a number as JSON: whole numbers below 2^53 without a fraction, others in shortest form, NaN and infinities as `null`. */
export function jsonNumberText(n: f64): string {
  if (!isFinite(n)) return "null";
  return Math.floor(n) == n && Math.abs(n) < EXACT_INTEGER_LIMIT ? (<i64>n).toString() : n.toString();
}

/** Returns a value as compact JSON text, with object members in document (`keys`) order. */
export function stringifyJson(value: JsonValue): string {
  const out = new StringBuilder(64);
  writeJsonValue(out, value);
  return out.toString();
}

// Appends a value to `out` as compact JSON text, with object members in document (`keys`) order.
function writeJsonValue(out: StringBuilder, value: JsonValue): void {
  switch (value.kind) {
    case JsonKind.Null:
      out.text("null");
      break;
    case JsonKind.Bool:
      out.text(value.bool ? "true" : "false");
      break;
    case JsonKind.Number:
      out.text(jsonNumberText(value.number));
      break;
    case JsonKind.String:
      writeJsonString(out, value.string);
      break;
    case JsonKind.Array: {
      out.code(0x5b);
      for (let i = 0; i < value.elements.length; i++) {
        if (i > 0) out.code(0x2c);
        writeJsonValue(out, value.elements[i]);
      }
      out.code(0x5d);
      break;
    }
    default: {
      out.code(0x7b);
      for (let i = 0; i < value.keys.length; i++) {
        const key = value.keys[i];
        if (i > 0) out.code(0x2c);
        writeJsonString(out, key);
        out.code(0x3a);
        writeJsonValue(out, value.members.get(key));
      }
      out.code(0x7d);
    }
  }
}

// The index of the first code unit of `text` at or after `from` that RFC 8259 section 7 makes a
// string escape ('"', '\' and U+0000..U+001F), or the text's length when there is none.
function escapeAt(text: string, from: i32): i32 {
  const length = text.length;
  const base = changetype<usize>(text);
  for (let i = from; i < length; i++) {
    const c = load<u16>(base + ((<usize>i) << 1));
    if (c < 0x20 || c == 0x22 || c == 0x5c) return i;
  }
  return length;
}

/** Appends `text` to `out` as a JSON string literal, escaped as `jsonQuote` escapes it. */
export function writeJsonString(out: StringBuilder, text: string): void {
  out.code(0x22);
  let runStart = 0;
  const length = text.length;
  while (runStart < length) {
    const at = escapeAt(text, runStart);
    out.slice(text, runStart, at);
    if (at == length) break;
    const c = <i32>text.charCodeAt(at);
    out.code(0x5c);
    if (c == 0x22 || c == 0x5c) out.code(c);
    else {
      out.text("u00");
      out.code(HEX_DIGITS.charCodeAt(c >> 4));
      out.code(HEX_DIGITS.charCodeAt(c & 15));
    }
    runStart = at + 1;
  }
  out.code(0x22);
}
