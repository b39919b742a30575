// Writes JSON text: RFC 8259 string literals, numbers the way Envoy writes JWT claims (whole
// numbers without a fraction), and compact documents from a parsed JsonValue in document order.
// Everything here is total: any string or f64 gives valid JSON text.

import { JsonKind, JsonValue } from "./value";

// 2^53: beyond it an f64 no longer holds every integer, so it is written in shortest form.
const EXACT_INTEGER_LIMIT: f64 = 9007199254740992.0;

/** Returns `text` as a JSON string literal; quotes, backslashes and control characters are escaped, all else is kept. */
export function jsonQuote(text: string): string {
  const parts = new Array<string>();
  writeQuoted(text, parts);
  return parts.join("");
}

/** Writes a number as JSON: whole numbers below 2^53 without a fraction, others in shortest form, NaN and infinities as `null`. */
export function jsonNumberText(n: f64): string {
  if (!isFinite(n)) return "null";
  return Math.floor(n) == n && Math.abs(n) < EXACT_INTEGER_LIMIT ? (<i64>n).toString() : n.toString();
}

/** Returns a value as compact JSON text, with object members in document (`keys`) order. */
export function stringifyJson(value: JsonValue): string {
  const parts = new Array<string>();
  writeValue(value, parts);
  return parts.join("");
}

function writeValue(value: JsonValue, parts: Array<string>): void {
  switch (value.kind) {
    case JsonKind.Null:
      parts.push("null");
      break;
    case JsonKind.Bool:
      parts.push(value.bool ? "true" : "false");
      break;
    case JsonKind.Number:
      parts.push(jsonNumberText(value.number));
      break;
    case JsonKind.String:
      writeQuoted(value.string, parts);
      break;
    case JsonKind.Array: {
      parts.push("[");
      for (let i = 0; i < value.elements.length; i++) {
        if (i > 0) parts.push(",");
        writeValue(value.elements[i], parts);
      }
      parts.push("]");
      break;
    }
    default: {
      parts.push("{");
      for (let i = 0; i < value.keys.length; i++) {
        const key = value.keys[i];
        if (i > 0) parts.push(",");
        writeQuoted(key, parts);
        parts.push(":");
        writeValue(value.members.get(key), parts);
      }
      parts.push("}");
    }
  }
}

// RFC 8259 section 7: only '"', '\' and U+0000..U+001F must be escaped; runs between them are copied.
function writeQuoted(text: string, parts: Array<string>): void {
  parts.push('"');
  let runStart = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c >= 0x20 && c != 0x22 && c != 0x5c) continue;
    if (i > runStart) parts.push(text.substring(runStart, i));
    if (c == 0x22) parts.push('\\"');
    else if (c == 0x5c) parts.push("\\\\");
    else parts.push("\\u00" + (c < 0x10 ? "0" : "") + c.toString(16));
    runStart = i + 1;
  }
  if (runStart < text.length) parts.push(text.substring(runStart));
  parts.push('"');
}
