// The CEL lexer: turns source text into tokens, decoding number, string and bytes literals
// (quotes, raw and triple-quoted forms, every escape of the CEL spec). Errors carry the offset.

import { parseDouble } from "../parse-double";
import { appendUtf8 } from "./text";

/** Token kinds produced by the lexer. */
export enum Tok {
  End,
  Error,
  Int,
  Uint,
  Double,
  String,
  Bytes,
  Ident,
  QuotedIdent,
  LParen,
  RParen,
  LBracket,
  RBracket,
  LBrace,
  RBrace,
  Dot,
  Comma,
  Colon,
  Question,
  Plus,
  Minus,
  Star,
  Slash,
  Percent,
  Bang,
  Eq,
  Ne,
  Lt,
  Le,
  Gt,
  Ge,
  And,
  Or,
  In,
}

/** One token; literal payloads live in the field that matches the kind. */
export class Token {
  /** What was read. */
  kind: Tok = Tok.End;
  /** Offset of the first character (UTF-16 units). */
  start: i32 = 0;
  /** Identifier name, decoded string literal, or error message. */
  text: string = "";
  /** Magnitude of an integer literal (the sign is a separate token). */
  magnitude: u64 = 0;
  /** True when an integer literal does not fit in 64 bits. */
  tooLarge: bool = false;
  /** Value of a double literal. */
  double: f64 = 0;
  /** Decoded bytes literal. */
  bytes: u8[] = [];
}

/** The `line:column` (both 1-based, columns in UTF-16 units) of `offset` in `source`. */
export function describePosition(source: string, offset: i32): string {
  let line = 1;
  let column = 1;
  for (let i = 0; i < offset && i < source.length; i++) {
    if (source.charCodeAt(i) == 10) {
      line++;
      column = 1;
    } else column++;
  }
  return line.toString() + ":" + column.toString();
}

function isDigit(c: i32): bool {
  return c >= 48 && c <= 57;
}

function hexValue(c: i32): i32 {
  if (c >= 48 && c <= 57) return c - 48;
  if (c >= 97 && c <= 102) return c - 87;
  if (c >= 65 && c <= 70) return c - 55;
  return -1;
}

function isIdentStart(c: i32): bool {
  return (c >= 97 && c <= 122) || (c >= 65 && c <= 90) || c == 95;
}

/** Reads tokens one at a time from a CEL source. */
export class Lexer {
  private pos: i32 = 0;

  constructor(private readonly src: string) {}

  private at(i: i32): i32 {
    return i < this.src.length ? <i32>this.src.charCodeAt(i) : -1;
  }

  private fail(token: Token, message: string, at: i32): Token {
    token.kind = Tok.Error;
    token.text = message;
    token.start = at;
    return token;
  }

  private skipSpace(): void {
    for (;;) {
      const c = this.at(this.pos);
      if (c == 32 || c == 9 || c == 10 || c == 13 || c == 12 || c == 11) this.pos++;
      else if (c == 47 && this.at(this.pos + 1) == 47) {
        while (this.pos < this.src.length && this.at(this.pos) != 10) this.pos++;
      } else return;
    }
  }

  /** Reads the next token into `token` (which is reused) and returns it. */
  next(token: Token): Token {
    this.skipSpace();
    token.start = this.pos;
    token.text = "";
    const c = this.at(this.pos);
    if (c < 0) {
      token.kind = Tok.End;
      return token;
    }
    if (isDigit(c) || (c == 46 && isDigit(this.at(this.pos + 1)))) return this.number(token);
    if (c == 34 || c == 39) return this.quoted(token, false, false);
    if (isIdentStart(c)) {
      const c1 = this.at(this.pos + 1);
      const c2 = this.at(this.pos + 2);
      const raw = c == 114 || c == 82;
      const bytes = c == 98 || c == 66;
      if ((raw || bytes) && (c1 == 34 || c1 == 39)) {
        this.pos++;
        return this.quoted(token, raw, bytes);
      }
      const pair = (raw && (c1 == 98 || c1 == 66)) || (bytes && (c1 == 114 || c1 == 82));
      if (pair && (c2 == 34 || c2 == 39)) {
        this.pos += 2;
        return this.quoted(token, true, true);
      }
      return this.identifier(token);
    }
    if (c == 96) return this.quotedIdentifier(token);
    this.pos++;
    const n = this.at(this.pos);
    switch (c) {
      case 40:
        return this.simple(token, Tok.LParen);
      case 41:
        return this.simple(token, Tok.RParen);
      case 91:
        return this.simple(token, Tok.LBracket);
      case 93:
        return this.simple(token, Tok.RBracket);
      case 123:
        return this.simple(token, Tok.LBrace);
      case 125:
        return this.simple(token, Tok.RBrace);
      case 46:
        return this.simple(token, Tok.Dot);
      case 44:
        return this.simple(token, Tok.Comma);
      case 58:
        return this.simple(token, Tok.Colon);
      case 63:
        return this.simple(token, Tok.Question);
      case 43:
        return this.simple(token, Tok.Plus);
      case 45:
        return this.simple(token, Tok.Minus);
      case 42:
        return this.simple(token, Tok.Star);
      case 47:
        return this.simple(token, Tok.Slash);
      case 37:
        return this.simple(token, Tok.Percent);
      case 33:
        return n == 61 ? this.pair(token, Tok.Ne) : this.simple(token, Tok.Bang);
      case 61:
        if (n == 61) return this.pair(token, Tok.Eq);
        break;
      case 60:
        return n == 61 ? this.pair(token, Tok.Le) : this.simple(token, Tok.Lt);
      case 62:
        return n == 61 ? this.pair(token, Tok.Ge) : this.simple(token, Tok.Gt);
      case 38:
        if (n == 38) return this.pair(token, Tok.And);
        break;
      case 124:
        if (n == 124) return this.pair(token, Tok.Or);
        break;
    }
    return this.fail(token, "unexpected character '" + String.fromCharCode(c) + "'", token.start);
  }

  private simple(token: Token, kind: Tok): Token {
    token.kind = kind;
    return token;
  }

  private pair(token: Token, kind: Tok): Token {
    this.pos++;
    token.kind = kind;
    return token;
  }

  private identifier(token: Token): Token {
    const start = this.pos;
    let c = this.at(this.pos);
    while (isIdentStart(c) || isDigit(c)) c = this.at(++this.pos);
    token.text = this.src.substring(start, this.pos);
    token.kind = token.text == "in" ? Tok.In : Tok.Ident;
    return token;
  }

  private quotedIdentifier(token: Token): Token {
    const start = ++this.pos;
    for (;;) {
      const c = this.at(this.pos);
      if (c < 0) return this.fail(token, "unterminated quoted identifier", token.start);
      if (c == 96) break;
      const ok = isIdentStart(c) || isDigit(c) || c == 46 || c == 45 || c == 47 || c == 32;
      if (!ok) return this.fail(token, "invalid character in quoted identifier", this.pos);
      this.pos++;
    }
    token.text = this.src.substring(start, this.pos++);
    token.kind = Tok.QuotedIdent;
    return token;
  }

  private number(token: Token): Token {
    const start = this.pos;
    if (this.at(this.pos) == 48 && (this.at(this.pos + 1) | 32) == 120) {
      this.pos += 2;
      let magnitude: u64 = 0;
      let tooLarge = false;
      let digits = 0;
      for (let h = hexValue(this.at(this.pos)); h >= 0; h = hexValue(this.at(++this.pos))) {
        if (magnitude >> 60 != 0) tooLarge = true;
        magnitude = (magnitude << 4) | (<u64>h);
        digits++;
      }
      if (digits == 0) return this.fail(token, "hexadecimal literal needs digits", start);
      return this.integer(token, magnitude, tooLarge);
    }
    while (isDigit(this.at(this.pos))) this.pos++;
    let isFloat = false;
    if (this.at(this.pos) == 46 && isDigit(this.at(this.pos + 1))) {
      isFloat = true;
      this.pos++;
      while (isDigit(this.at(this.pos))) this.pos++;
    }
    if ((this.at(this.pos) | 32) == 101) {
      let p = this.pos + 1;
      if (this.at(p) == 43 || this.at(p) == 45) p++;
      if (!isDigit(this.at(p))) return this.fail(token, "exponent needs digits", this.pos);
      while (isDigit(this.at(p))) p++;
      this.pos = p;
      isFloat = true;
    }
    if (isFloat) {
      token.kind = Tok.Double;
      token.double = parseDouble(this.src.substring(start, this.pos));
      return token;
    }
    let magnitude: u64 = 0;
    let tooLarge = false;
    for (let i = start; i < this.pos; i++) {
      const digit = <u64>(this.at(i) - 48);
      if (magnitude > (u64.MAX_VALUE - digit) / 10) tooLarge = true;
      magnitude = magnitude * 10 + digit;
    }
    return this.integer(token, magnitude, tooLarge);
  }

  private integer(token: Token, magnitude: u64, tooLarge: bool): Token {
    token.magnitude = magnitude;
    token.tooLarge = tooLarge;
    token.kind = Tok.Int;
    if ((this.at(this.pos) | 32) == 117) {
      this.pos++;
      token.kind = Tok.Uint;
    }
    if (isIdentStart(this.at(this.pos)) || isDigit(this.at(this.pos))) {
      return this.fail(token, "invalid number literal", token.start);
    }
    return token;
  }

  // Reads a quoted literal starting at the opening quote; for bytes, characters are kept as UTF-8
  // and \x / octal escapes are raw bytes, for strings both escapes name code points.
  private quoted(token: Token, raw: bool, bytes: bool): Token {
    const quote = this.at(this.pos);
    const triple = this.at(this.pos + 1) == quote && this.at(this.pos + 2) == quote;
    this.pos += triple ? 3 : 1;
    const out: u8[] = [];
    let text = "";
    for (;;) {
      const c = this.at(this.pos);
      if (c < 0) return this.fail(token, "unterminated string literal", token.start);
      if (c == quote && (!triple || (this.at(this.pos + 1) == quote && this.at(this.pos + 2) == quote))) {
        this.pos += triple ? 3 : 1;
        break;
      }
      if (!triple && (c == 10 || c == 13)) return this.fail(token, "newline in string literal", this.pos);
      if (c == 92 && !raw) {
        const escapeAt = this.pos;
        const code = this.escape(bytes);
        if (code < 0) return this.fail(token, "invalid escape sequence", escapeAt);
        if (bytes) {
          if (code >= 0x100000) out.push(<u8>(code - 0x100000));
          else appendUtf8(out, code);
        } else text += String.fromCodePoint(code);
        continue;
      }
      let code = c;
      if (c >= 0xd800 && c < 0xdc00) {
        const low = this.at(this.pos + 1);
        if (low >= 0xdc00 && low < 0xe000) {
          code = 0x10000 + ((c - 0xd800) << 10) + (low - 0xdc00);
          this.pos++;
        }
      }
      this.pos++;
      if (bytes) appendUtf8(out, code);
      else text += String.fromCodePoint(code);
    }
    if (bytes) {
      token.kind = Tok.Bytes;
      token.bytes = out;
    } else {
      token.kind = Tok.String;
      token.text = text;
    }
    return token;
  }

  // Decodes one escape at this.pos (the backslash); returns the code point, a raw byte as
  // 0x100000 + byte (bytes literals only), or -1 when invalid.
  private escape(bytes: bool): i32 {
    const c = this.at(this.pos + 1);
    this.pos += 2;
    switch (c) {
      case 97:
        return 7;
      case 98:
        return 8;
      case 102:
        return 12;
      case 110:
        return 10;
      case 114:
        return 13;
      case 116:
        return 9;
      case 118:
        return 11;
      case 92:
      case 39:
      case 34:
      case 96:
      case 63:
        return c;
      case 120:
      case 88: {
        const v = this.hexDigits(2);
        return v < 0 ? -1 : bytes ? 0x100000 + v : v;
      }
      case 117:
      case 85: {
        if (bytes) return -1;
        const v = this.hexDigits(c == 117 ? 4 : 8);
        if (v < 0 || v > 0x10ffff || (v >= 0xd800 && v < 0xe000)) return -1;
        return v;
      }
    }
    if (c >= 48 && c <= 51) {
      const d1 = this.at(this.pos) - 48;
      const d2 = this.at(this.pos + 1) - 48;
      if (d1 < 0 || d1 > 7 || d2 < 0 || d2 > 7) return -1;
      this.pos += 2;
      const v = ((c - 48) << 6) | (d1 << 3) | d2;
      return bytes ? 0x100000 + v : v;
    }
    return -1;
  }

  private hexDigits(count: i32): i32 {
    let v = 0;
    for (let i = 0; i < count; i++) {
      const h = hexValue(this.at(this.pos));
      if (h < 0) return -1;
      v = (v << 4) | h;
      this.pos++;
    }
    return v;
  }
}
