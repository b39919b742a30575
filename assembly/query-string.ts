// The query of a `:path` as an ordered list of `name[=value]` parameters for query-parameter
// rewrites: untouched parameters keep their raw text byte for byte, new ones are percent-encoded.
// Decoding follows Envoy's Utility::QueryParamsMulti (`%XX` only, `+` stays `+`) and, for text that
// is malformed, the WHATWG URL standard (a bad `%` stays literal, invalid UTF-8 becomes U+FFFD).

import { StringBuilder } from "./string-builder";

/** The parameters of a path's query, editable in place; `#` is ordinary text (clients do not send fragments). */
export class QueryString {
  /** True when the path had a `?`, even with nothing after it. */
  hadQuery: bool = false;
  private params: Array<QueryParam> = [];
  private source: string = "";
  // Where the query's `?` is in `source` (its length when there is none).
  private mark: i32 = 0;
  private changed: bool = false;

  private constructor() {}

  /** The part of the path before the first `?`. */
  get path(): string {
    return this.hadQuery ? this.source.substring(0, this.mark) : this.source;
  }

  /** Splits `path` at its first `?` and the query on `&`; empty pieces (`a=1&&b=2`) are dropped, as URLSearchParams does. */
  static parse(path: string): QueryString {
    const query = new QueryString();
    query.reparse(path);
    return query;
  }

  /** Replaces what this holds with `path` split as parse does, reusing its list of parameters. */
  reparse(path: string): void {
    const params = this.params;
    params.length = 0;
    this.source = path;
    this.changed = false;
    const mark = path.indexOf("?");
    this.hadQuery = mark >= 0;
    this.mark = mark < 0 ? path.length : mark;
    if (mark < 0) return;
    let start = mark + 1;
    while (start <= path.length) {
      let end = path.indexOf("&", start);
      if (end < 0) end = path.length;
      if (end > start) {
        const equals = path.indexOf("=", start);
        const hasEquals = equals >= 0 && equals < end;
        params.push(QueryParam.slice(path, start, hasEquals ? equals : end, hasEquals ? end : -1));
      }
      start = end + 1;
    }
  }

  /** How many parameters there are (for iterating with nameAt and valueAt). */
  get count(): i32 {
    return this.params.length;
  }

  /** The decoded name of parameter `index`, or null when there is no such parameter. */
  nameAt(index: i32): string | null {
    return index >= 0 && index < this.params.length ? this.params[index].name() : null;
  }

  /** The decoded value of parameter `index` ("" for `flag` without `=`), or null when there is no such parameter. */
  valueAt(index: i32): string | null {
    return index >= 0 && index < this.params.length ? this.params[index].value() : null;
  }

  /** The decoded value of the first parameter whose decoded name is `name`, or null when none has it. */
  get(name: string): string | null {
    const index = this.indexOf(name);
    return index < 0 ? null : this.params[index].value();
  }

  /** The decoded values of every parameter named `name`, in order (empty when none). */
  getAll(name: string): Array<string> {
    const values = new Array<string>();
    for (let i = 0; i < this.params.length; i++) {
      if (this.params[i].isNamed(name)) values.push(this.params[i].value());
    }
    return values;
  }

  /** True when some parameter's decoded name is `name`. */
  has(name: string): bool {
    return this.indexOf(name) >= 0;
  }

  /** Leaves one `name=value` (both given decoded) where the first `name` was, removing the others, or appends it. */
  set(name: string, value: string): void {
    const first = this.indexOf(name);
    if (first < 0) {
      this.add(name, value);
      return;
    }
    this.params[first] = QueryParam.encoded(name, value);
    for (let i = this.params.length - 1; i > first; i--) {
      if (this.params[i].isNamed(name)) this.params.splice(i, 1);
    }
    this.changed = true;
  }

  /** Appends `name=value` (both given decoded), even when `name` is already there. */
  add(name: string, value: string): void {
    this.params.push(QueryParam.encoded(name, value));
    this.changed = true;
  }

  /** Appends `name=value` only when no parameter is named `name`; true when it did. */
  addIfAbsent(name: string, value: string): bool {
    if (this.has(name)) return false;
    this.add(name, value);
    return true;
  }

  /** Does what set does only when `name` is present; true when it did. */
  overwriteIfExists(name: string, value: string): bool {
    if (!this.has(name)) return false;
    this.set(name, value);
    return true;
  }

  /** Removes every parameter named `name`; true when there was one. */
  remove(name: string): bool {
    let removed = false;
    for (let i = this.params.length - 1; i >= 0; i--) {
      if (!this.params[i].isNamed(name)) continue;
      this.params.splice(i, 1);
      removed = true;
    }
    this.changed = this.changed || removed;
    return removed;
  }

  /** Renames every parameter named `from` to `to` (given decoded), keeping positions and raw values; true when one was renamed. */
  rename(from: string, to: string): bool {
    if (from == to) return false;
    let renamed = false;
    for (let i = 0; i < this.params.length; i++) {
      const param = this.params[i];
      if (!param.isNamed(from)) continue;
      // A bare flag renamed to "" keeps its `=`, or it would vanish as an empty piece.
      param.rename(percentEncodeQuery(to), param.hasEquals || to.length == 0);
      renamed = true;
    }
    this.changed = this.changed || renamed;
    return renamed;
  }

  /** The path as parsed when nothing changed, else `path` plus `?` and the parameters joined by `&` (no `?` when none remain). */
  toPath(): string {
    if (!this.changed) return this.source;
    const count = this.params.length;
    if (count == 0) return this.path;
    let length = this.mark + count;
    for (let i = 0; i < count; i++) length += unchecked(this.params[i]).writtenLength;
    const out = changetype<string>(__new((<usize>length) << 1, idof<String>()));
    let at = changetype<usize>(out);
    memory.copy(at, changetype<usize>(this.source), (<usize>this.mark) << 1);
    at += (<usize>this.mark) << 1;
    for (let i = 0; i < count; i++) {
      store<u16>(at, i == 0 ? 0x3f : 0x26);
      at = unchecked(this.params[i]).writeAt(at + 2);
    }
    return out;
  }

  private indexOf(name: string): i32 {
    for (let i = 0; i < this.params.length; i++) if (this.params[i].isNamed(name)) return i;
    return -1;
  }
}

/** One `name[=value]` piece as written: its raw name and value are ranges of a text (the parsed path, or its own). */
class QueryParam {
  private decodedName: string | null = null;

  private constructor(
    private nameText: string,
    private nameStart: i32,
    private nameEnd: i32,
    private valueText: string,
    private valueStart: i32,
    private valueEnd: i32,
    /** False for a bare `flag`, which is written back without `=`. */
    public hasEquals: bool,
  ) {}

  /** The piece of `source` whose name ends at `nameEnd` and whose value ends at `valueEnd` (-1 for a bare flag). */
  static slice(source: string, start: i32, nameEnd: i32, valueEnd: i32): QueryParam {
    const hasEquals = valueEnd >= 0;
    const valueStart = hasEquals ? nameEnd + 1 : nameEnd;
    return new QueryParam(source, start, nameEnd, source, valueStart, hasEquals ? valueEnd : nameEnd, hasEquals);
  }

  /** A parameter written from decoded text. */
  static encoded(name: string, value: string): QueryParam {
    const rawName = percentEncodeQuery(name);
    const rawValue = percentEncodeQuery(value);
    return new QueryParam(rawName, 0, rawName.length, rawValue, 0, rawValue.length, true);
  }

  /** The decoded name. */
  name(): string {
    let decoded = this.decodedName;
    if (decoded == null) {
      decoded = decode(this.nameText.substring(this.nameStart, this.nameEnd), false) as string;
      this.decodedName = decoded;
    }
    return decoded;
  }

  /** Whether the decoded name is `name`; a raw name without `%` is compared where it lies. */
  isNamed(name: string): bool {
    const decoded = this.decodedName;
    if (decoded != null) return decoded == name;
    const length = this.nameEnd - this.nameStart;
    const text = changetype<usize>(this.nameText) + ((<usize>this.nameStart) << 1);
    for (let i = 0; i < length; i++) {
      if (load<u16>(text + ((<usize>i) << 1)) == 0x25) return this.name() == name;
    }
    return length == name.length && memory.compare(text, changetype<usize>(name), (<usize>length) << 1) == 0;
  }

  /** The decoded value. */
  value(): string {
    return decode(this.valueText.substring(this.valueStart, this.valueEnd), false) as string;
  }

  /** Gives the parameter the name `rawName` (percent-encoded), keeping its raw value. */
  rename(rawName: string, hasEquals: bool): void {
    this.nameText = rawName;
    this.nameStart = 0;
    this.nameEnd = rawName.length;
    this.decodedName = null;
    this.hasEquals = hasEquals;
  }

  /** The code units the piece takes in the query. */
  get writtenLength(): i32 {
    const name = this.nameEnd - this.nameStart;
    return this.hasEquals ? name + 1 + this.valueEnd - this.valueStart : name;
  }

  /** Writes the piece as it goes into the query at `at` (room for writtenLength units); returns where it ends. */
  writeAt(at: usize): usize {
    at = copyUnits(at, this.nameText, this.nameStart, this.nameEnd);
    if (!this.hasEquals) return at;
    store<u16>(at, 0x3d);
    return copyUnits(at + 2, this.valueText, this.valueStart, this.valueEnd);
  }
}

// Copies units [start, end) of `text` to `at`; returns the address after them.
function copyUnits(at: usize, text: string, start: i32, end: i32): usize {
  const bytes = (<usize>(end - start)) << 1;
  memory.copy(at, changetype<usize>(text) + ((<usize>start) << 1), bytes);
  return at + bytes;
}

/** Decodes `%XX` escapes and the UTF-8 they spell (`+` stays `+`); null when a `%` is not followed by two hex digits or the bytes are not UTF-8. */
export function percentDecode(text: string): string | null {
  return decode(text, true);
}

/** Percent-encodes the UTF-8 of `text` for a query name or value, leaving RFC 3986 unreserved characters and `!$'()*,;:@/?` as they are. */
export function percentEncodeQuery(text: string): string {
  if (isAllQuerySafe(text)) return text;
  const bytes = utf8Bytes(text);
  const out = new StringBuilder();
  for (let i = 0; i < bytes.length; i++) {
    const b = <i32>bytes[i];
    if (b < 0x80 && isQuerySafe(b)) out.code(b);
    else {
      out.code(0x25);
      out.code(hexDigit(b >> 4));
      out.code(hexDigit(b & 15));
    }
  }
  return out.toString();
}

function isAllQuerySafe(text: string): bool {
  for (let i = 0; i < text.length; i++) {
    const c = <i32>text.charCodeAt(i);
    if (c >= 0x80 || !isQuerySafe(c)) return false;
  }
  return true;
}

// The marks a query name or value keeps as they are, beside letters and digits.
const QUERY_SAFE_MARKS = "-._~!$'()*,;:@/?";

function isQuerySafe(c: i32): bool {
  if ((c >= 0x61 && c <= 0x7a) || (c >= 0x41 && c <= 0x5a) || (c >= 0x30 && c <= 0x39)) return true;
  for (let i = 0; i < QUERY_SAFE_MARKS.length; i++) if (<i32>QUERY_SAFE_MARKS.charCodeAt(i) == c) return true;
  return false;
}

// The code unit of the uppercase hex digit for `v` (0-15).
function hexDigit(v: i32): i32 {
  return v < 10 ? 0x30 + v : 0x41 + v - 10;
}

function hexValue(c: i32): i32 {
  if (c >= 0x30 && c <= 0x39) return c - 0x30;
  if (c >= 0x41 && c <= 0x46) return c - 0x41 + 10;
  if (c >= 0x61 && c <= 0x66) return c - 0x61 + 10;
  return -1;
}

// Percent-decodes then UTF-8-decodes; `strict` makes malformed input null instead of repaired.
function decode(text: string, strict: bool): string | null {
  if (text.indexOf("%") < 0) return text;
  const raw = utf8Bytes(text);
  const bytes = new Array<u8>();
  for (let i = 0; i < raw.length; i++) {
    const b = raw[i];
    if (b == 0x25) {
      const high = i + 2 < raw.length ? hexValue(raw[i + 1]) : -1;
      const low = high >= 0 ? hexValue(raw[i + 2]) : -1;
      if (low >= 0) {
        bytes.push(<u8>((high << 4) | low));
        i += 2;
        continue;
      }
      if (strict) return null;
    }
    bytes.push(b);
  }
  return utf8Text(bytes, strict);
}

// The UTF-8 of `text`; a lone surrogate becomes U+FFFD, as for a WHATWG USVString.
function utf8Bytes(text: string): Array<u8> {
  const out = new Array<u8>();
  for (let i = 0; i < text.length; i++) {
    let c = <i32>text.charCodeAt(i);
    if (c >= 0xd800 && c <= 0xdfff) {
      const next = i + 1 < text.length ? <i32>text.charCodeAt(i + 1) : 0;
      if (c <= 0xdbff && next >= 0xdc00 && next <= 0xdfff) {
        c = 0x10000 + ((c - 0xd800) << 10) + (next - 0xdc00);
        i++;
      } else {
        c = 0xfffd;
      }
    }
    if (c < 0x80) {
      out.push(<u8>c);
    } else if (c < 0x800) {
      out.push(<u8>(0xc0 | (c >> 6)));
      out.push(<u8>(0x80 | (c & 0x3f)));
    } else if (c < 0x10000) {
      out.push(<u8>(0xe0 | (c >> 12)));
      out.push(<u8>(0x80 | ((c >> 6) & 0x3f)));
      out.push(<u8>(0x80 | (c & 0x3f)));
    } else {
      out.push(<u8>(0xf0 | (c >> 18)));
      out.push(<u8>(0x80 | ((c >> 12) & 0x3f)));
      out.push(<u8>(0x80 | ((c >> 6) & 0x3f)));
      out.push(<u8>(0x80 | (c & 0x3f)));
    }
  }
  return out;
}

// The WHATWG Encoding standard's UTF-8 decoder: each maximal invalid subpart becomes one U+FFFD
// (or, when `strict`, the whole result is null).
function utf8Text(bytes: Array<u8>, strict: bool): string | null {
  const units = new Array<i32>();
  let needed = 0;
  let seen = 0;
  let point = 0;
  let lower = 0x80;
  let upper = 0xbf;
  for (let i = 0; i < bytes.length; i++) {
    const b = <i32>bytes[i];
    if (needed == 0) {
      if (b < 0x80) {
        units.push(b);
      } else if (b >= 0xc2 && b <= 0xdf) {
        needed = 1;
        point = b & 0x1f;
      } else if (b >= 0xe0 && b <= 0xef) {
        if (b == 0xe0) lower = 0xa0;
        if (b == 0xed) upper = 0x9f;
        needed = 2;
        point = b & 0xf;
      } else if (b >= 0xf0 && b <= 0xf4) {
        if (b == 0xf0) lower = 0x90;
        if (b == 0xf4) upper = 0x8f;
        needed = 3;
        point = b & 0x7;
      } else {
        if (strict) return null;
        units.push(0xfffd);
      }
      continue;
    }
    if (b < lower || b > upper) {
      if (strict) return null;
      units.push(0xfffd);
      needed = 0;
      seen = 0;
      lower = 0x80;
      upper = 0xbf;
      i--;
      continue;
    }
    lower = 0x80;
    upper = 0xbf;
    point = (point << 6) | (b & 0x3f);
    if (++seen < needed) continue;
    if (point >= 0x10000) {
      units.push(0xd800 + ((point - 0x10000) >> 10));
      units.push(0xdc00 + ((point - 0x10000) & 0x3ff));
    } else {
      units.push(point);
    }
    needed = 0;
    seen = 0;
  }
  if (needed != 0) {
    if (strict) return null;
    units.push(0xfffd);
  }
  return String.fromCharCodes(units);
}
