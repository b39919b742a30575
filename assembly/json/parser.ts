// A strict RFC 8259 parser over UTF-8 bytes: invalid UTF-8, lone surrogates, control characters
// in strings, duplicate member names, trailing data and documents deeper or larger than the
// limits are all errors. It never traps: every failure becomes a JsonResult error.

import { parseDouble } from "../parse-double";
import { StringBuilder } from "../string-builder";
import { JsonKind, JsonResult, JsonValue } from "./value";

/** Bounds that keep parsing cheap on hostile input. */
export class JsonLimits {
  constructor(
    /** Deepest nesting of arrays and objects accepted. */
    public maxDepth: i32 = 64,
    /** Largest document accepted, in bytes. */
    public maxBytes: i32 = 1 << 20,
  ) {}
}

/** Parses a UTF-8 JSON document; the result holds the value or the first error with its offset. */
export function parseJson(input: ArrayBuffer, limits: JsonLimits = new JsonLimits()): JsonResult {
  if (input.byteLength > limits.maxBytes) {
    return new JsonResult(null, "document larger than " + limits.maxBytes.toString() + " bytes", 0);
  }
  return new Parser(Uint8Array.wrap(input), limits.maxDepth).document();
}

/** Parses JSON text held in an AssemblyScript string. */
export function parseJsonString(text: string, limits: JsonLimits = new JsonLimits()): JsonResult {
  return parseJson(String.UTF8.encode(text), limits);
}

class Parser {
  pos: i32 = 0;
  error: string = "";
  errorAt: i32 = -1;

  constructor(
    private bytes: Uint8Array,
    private maxDepth: i32,
  ) {}

  document(): JsonResult {
    this.skipSpace();
    const value = this.value(0);
    if (value != null) {
      this.skipSpace();
      if (this.pos < this.bytes.length) return new JsonResult(null, "unexpected data after the document", this.pos);
      return new JsonResult(value, "", -1);
    }
    return new JsonResult(null, this.error, this.errorAt);
  }

  fail(message: string, at: i32): JsonValue | null {
    if (this.errorAt < 0) {
      this.error = message;
      this.errorAt = at;
    }
    return null;
  }

  peek(): i32 {
    return this.pos < this.bytes.length ? <i32>unchecked(this.bytes[this.pos]) : -1;
  }

  skipSpace(): void {
    while (this.pos < this.bytes.length) {
      const c = unchecked(this.bytes[this.pos]);
      if (c != 0x20 && c != 0x09 && c != 0x0a && c != 0x0d) break;
      this.pos++;
    }
  }

  value(depth: i32): JsonValue | null {
    const c = this.peek();
    if (c == 0x7b) return this.object(depth + 1);
    if (c == 0x5b) return this.array(depth + 1);
    if (c == 0x22) {
      const text = this.string();
      if (text == null) return null;
      const out = new JsonValue();
      out.kind = JsonKind.String;
      out.string = text;
      return out;
    }
    if (c == 0x2d || (c >= 0x30 && c <= 0x39)) return this.number();
    if (this.literal("true")) return boolValue(true);
    if (this.literal("false")) return boolValue(false);
    if (this.literal("null")) return new JsonValue();
    if (c < 0) return this.fail("unexpected end of input", this.pos);
    return this.fail("unexpected character", this.pos);
  }

  literal(word: string): bool {
    const n = word.length;
    if (this.pos + n > this.bytes.length) return false;
    for (let i = 0; i < n; i++) {
      if (<i32>unchecked(this.bytes[this.pos + i]) != word.charCodeAt(i)) return false;
    }
    this.pos += n;
    return true;
  }

  object(depth: i32): JsonValue | null {
    if (depth > this.maxDepth) return this.fail("nesting deeper than " + this.maxDepth.toString(), this.pos);
    this.pos++;
    const out = new JsonValue();
    out.kind = JsonKind.Object;
    this.skipSpace();
    if (this.peek() == 0x7d) {
      this.pos++;
      return out;
    }
    while (true) {
      this.skipSpace();
      const keyAt = this.pos;
      if (this.peek() != 0x22) return this.fail("expected a member name", this.pos);
      const key = this.string();
      if (key == null) return null;
      if (out.members.has(key)) return this.fail('duplicate member "' + key + '"', keyAt);
      this.skipSpace();
      if (this.peek() != 0x3a) return this.fail("expected ':'", this.pos);
      this.pos++;
      this.skipSpace();
      const member = this.value(depth);
      if (member == null) return null;
      out.keys.push(key);
      out.members.set(key, member);
      this.skipSpace();
      const c = this.peek();
      this.pos++;
      if (c == 0x7d) return out;
      if (c != 0x2c) return this.fail("expected ',' or '}'", this.pos - 1);
    }
  }

  array(depth: i32): JsonValue | null {
    if (depth > this.maxDepth) return this.fail("nesting deeper than " + this.maxDepth.toString(), this.pos);
    this.pos++;
    const out = new JsonValue();
    out.kind = JsonKind.Array;
    this.skipSpace();
    if (this.peek() == 0x5d) {
      this.pos++;
      return out;
    }
    while (true) {
      this.skipSpace();
      const element = this.value(depth);
      if (element == null) return null;
      out.elements.push(element);
      this.skipSpace();
      const c = this.peek();
      this.pos++;
      if (c == 0x5d) return out;
      if (c != 0x2c) return this.fail("expected ',' or ']'", this.pos - 1);
    }
  }

  digits(): i32 {
    const start = this.pos;
    while (this.peek() >= 0x30 && this.peek() <= 0x39) this.pos++;
    return this.pos - start;
  }

  number(): JsonValue | null {
    const start = this.pos;
    if (this.peek() == 0x2d) this.pos++;
    if (this.peek() == 0x30) {
      this.pos++;
    } else if (this.digits() == 0) {
      return this.fail("invalid number", start);
    }
    if (this.peek() == 0x2e) {
      this.pos++;
      if (this.digits() == 0) return this.fail("invalid number", start);
    }
    if (this.peek() == 0x65 || this.peek() == 0x45) {
      this.pos++;
      if (this.peek() == 0x2b || this.peek() == 0x2d) this.pos++;
      if (this.digits() == 0) return this.fail("invalid number", start);
    }
    const text = String.UTF8.decodeUnsafe(this.bytes.dataStart + start, this.pos - start);
    const out = new JsonValue();
    out.kind = JsonKind.Number;
    out.number = parseDouble(text);
    return out;
  }

  // Reads a string starting at the opening quote; returns null (with the error set) on failure.
  string(): string | null {
    const open = this.pos;
    this.pos++;
    const text = new StringBuilder();
    let runStart = this.pos;
    while (true) {
      const c = this.peek();
      if (c < 0) {
        this.fail("unterminated string", open);
        return null;
      }
      if (c == 0x22) {
        text.text(this.run(runStart));
        this.pos++;
        return text.toString();
      }
      if (c < 0x20) {
        this.fail("control character in string", this.pos);
        return null;
      }
      if (c == 0x5c) {
        text.text(this.run(runStart));
        const escaped = this.escape();
        if (escaped == null) return null;
        text.text(escaped);
        runStart = this.pos;
      } else if (c < 0x80) {
        this.pos++;
      } else if (!this.utf8Sequence()) {
        this.fail("invalid UTF-8", this.pos);
        return null;
      }
    }
  }

  run(start: i32): string {
    return String.UTF8.decodeUnsafe(this.bytes.dataStart + start, this.pos - start);
  }

  // Validates one multi-byte UTF-8 sequence (RFC 3629: no overlongs, no surrogates, <= U+10FFFF).
  utf8Sequence(): bool {
    const b = this.bytes;
    const lead = <i32>unchecked(b[this.pos]);
    let need = 0;
    let min = 0;
    let cp = 0;
    if (lead >= 0xc2 && lead <= 0xdf) {
      need = 1;
      min = 0x80;
      cp = lead & 0x1f;
    } else if (lead >= 0xe0 && lead <= 0xef) {
      need = 2;
      min = 0x800;
      cp = lead & 0x0f;
    } else if (lead >= 0xf0 && lead <= 0xf4) {
      need = 3;
      min = 0x10000;
      cp = lead & 0x07;
    } else {
      return false;
    }
    if (this.pos + need >= b.length) return false;
    for (let i = 1; i <= need; i++) {
      const cont = <i32>unchecked(b[this.pos + i]);
      if ((cont & 0xc0) != 0x80) return false;
      cp = (cp << 6) | (cont & 0x3f);
    }
    if (cp < min || cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff)) return false;
    this.pos += need + 1;
    return true;
  }

  hex4(): i32 {
    if (this.pos + 4 > this.bytes.length) return -1;
    let v = 0;
    for (let i = 0; i < 4; i++) {
      const c = <i32>unchecked(this.bytes[this.pos + i]);
      let d = -1;
      if (c >= 0x30 && c <= 0x39) d = c - 0x30;
      else if (c >= 0x61 && c <= 0x66) d = c - 0x57;
      else if (c >= 0x41 && c <= 0x46) d = c - 0x37;
      if (d < 0) return -1;
      v = (v << 4) | d;
    }
    this.pos += 4;
    return v;
  }

  escape(): string | null {
    const at = this.pos;
    this.pos++;
    const c = this.peek();
    this.pos++;
    switch (c) {
      case 0x22:
        return '"';
      case 0x5c:
        return "\\";
      case 0x2f:
        return "/";
      case 0x62:
        return "\b";
      case 0x66:
        return "\f";
      case 0x6e:
        return "\n";
      case 0x72:
        return "\r";
      case 0x74:
        return "\t";
      case 0x75: {
        const high = this.hex4();
        if (high < 0) break;
        if (high < 0xd800 || high > 0xdfff) return String.fromCharCode(high);
        if (high > 0xdbff || !this.literal("\\u")) break;
        const low = this.hex4();
        if (low < 0xdc00 || low > 0xdfff) break;
        return String.fromCharCodes([high, low]);
      }
    }
    this.fail("invalid escape", at);
    return null;
  }
}

function boolValue(value: bool): JsonValue {
  const out = new JsonValue();
  out.kind = JsonKind.Bool;
  out.bool = value;
  return out;
}
