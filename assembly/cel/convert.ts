// Type conversions: int(), uint(), double(), string(), bytes(), bool(), type(), timestamp() and
// duration(). Out-of-range numbers and malformed text are errors, as in cel-go.

import { asciiLowerCase } from "../ascii-case";
import { parseDouble } from "../parse-double";
import { formatDuration, formatTimestamp, makeTimestamp, parseDuration, parseTimestamp } from "./time";
import { decodeUtf8, formatDouble, utf8Bytes } from "./text";
import {
  CEL_FALSE,
  CEL_TRUE,
  CelBool,
  CelBytes,
  CelDouble,
  CelDuration,
  CelError,
  CelInt,
  celInt,
  CelKind,
  CelString,
  CelTimestamp,
  CelType,
  CelUint,
  CelValue,
  kindName,
  noOverload,
} from "./value";

const TWO_POW_63: f64 = 9223372036854775808.0;
const TWO_POW_64: f64 = 18446744073709551616.0;

function rangeError(what: string): CelValue {
  return new CelError(what + " out of range");
}

// Decimal digits with an optional sign, as Go's strconv reads them; `ok` is false when malformed or too large.
class ParsedInteger {
  negative: bool = false;
  magnitude: u64 = 0;
  ok: bool = false;
}

function parseDecimal(text: string, allowSign: bool): ParsedInteger {
  const out = new ParsedInteger();
  let at = 0;
  if (allowSign && (text.startsWith("-") || text.startsWith("+"))) {
    out.negative = text.charAt(0) == "-";
    at = 1;
  }
  if (at == text.length) return out;
  let v: u64 = 0;
  for (; at < text.length; at++) {
    const d = <u64>(text.charCodeAt(at) - 48);
    if (d > 9 || v > (u64.MAX_VALUE - d) / 10) return out;
    v = v * 10 + d;
  }
  out.magnitude = v;
  out.ok = true;
  return out;
}

/** `int(x)`. */
export function toInt(v: CelValue): CelValue {
  switch (v.kind) {
    case CelKind.Int:
      return v;
    case CelKind.Uint: {
      const n = changetype<CelUint>(v).value;
      return n > <u64>i64.MAX_VALUE ? rangeError("int") : celInt(<i64>n);
    }
    case CelKind.Double: {
      const d = changetype<CelDouble>(v).value;
      return d > -TWO_POW_63 && d < TWO_POW_63 ? celInt(<i64>d) : rangeError("int");
    }
    case CelKind.String: {
      const p = parseDecimal(changetype<CelString>(v).value, true);
      if (!p.ok) return new CelError("cannot convert string to int");
      const limit: u64 = p.negative ? (<u64>1) << 63 : <u64>i64.MAX_VALUE;
      if (p.magnitude > limit) return rangeError("int");
      return celInt(p.negative ? -(<i64>p.magnitude) : <i64>p.magnitude);
    }
    case CelKind.Timestamp:
      return celInt(changetype<CelTimestamp>(v).seconds);
  }
  return noOverload("int", [v]);
}

/** `uint(x)`. */
export function toUint(v: CelValue): CelValue {
  switch (v.kind) {
    case CelKind.Uint:
      return v;
    case CelKind.Int: {
      const n = changetype<CelInt>(v).value;
      return n < 0 ? rangeError("uint") : new CelUint(<u64>n);
    }
    case CelKind.Double: {
      const d = changetype<CelDouble>(v).value;
      return d > -1 && d < TWO_POW_64 ? new CelUint(<u64>d) : rangeError("uint");
    }
    case CelKind.String: {
      const p = parseDecimal(changetype<CelString>(v).value, false);
      return p.ok ? new CelUint(p.magnitude) : new CelError("cannot convert string to uint");
    }
  }
  return noOverload("uint", [v]);
}

function isDigit(c: i32): bool {
  return c >= 48 && c <= 57;
}

/** Parses decimal floating-point text (with optional exponent) or inf/infinity/nan; null when malformed. */
function parseDoubleText(text: string): CelValue | null {
  let at = 0;
  const n = text.length;
  if (at < n && (text.charAt(0) == "-" || text.charAt(0) == "+")) at++;
  const word = asciiLowerCase(text.substring(at));
  const negative = text.startsWith("-");
  if (word == "inf" || word == "infinity") return new CelDouble(negative ? -Infinity : Infinity);
  if (word == "nan") return new CelDouble(NaN);
  const start = at;
  while (at < n && isDigit(text.charCodeAt(at))) at++;
  let mantissa = at - start;
  if (at < n && text.charAt(at) == ".") {
    at++;
    const fractionStart = at;
    while (at < n && isDigit(text.charCodeAt(at))) at++;
    mantissa += at - fractionStart;
  }
  if (mantissa == 0) return null;
  if (at < n && (text.charAt(at) == "e" || text.charAt(at) == "E")) {
    at++;
    if (at < n && (text.charAt(at) == "-" || text.charAt(at) == "+")) at++;
    const exponentStart = at;
    while (at < n && isDigit(text.charCodeAt(at))) at++;
    if (at == exponentStart) return null;
  }
  if (at != n) return null;
  return new CelDouble(parseDouble(text));
}

/** `double(x)`. */
export function toDouble(v: CelValue): CelValue {
  switch (v.kind) {
    case CelKind.Double:
      return v;
    case CelKind.Int:
      return new CelDouble(<f64>changetype<CelInt>(v).value);
    case CelKind.Uint:
      return new CelDouble(<f64>changetype<CelUint>(v).value);
    case CelKind.String: {
      const parsed = parseDoubleText(changetype<CelString>(v).value);
      return parsed != null ? parsed : new CelError("cannot convert string to double");
    }
  }
  return noOverload("double", [v]);
}

/** `string(x)`. */
export function toStringValue(v: CelValue): CelValue {
  switch (v.kind) {
    case CelKind.String:
      return v;
    case CelKind.Int:
      return new CelString(changetype<CelInt>(v).value.toString());
    case CelKind.Uint:
      return new CelString(changetype<CelUint>(v).value.toString());
    case CelKind.Double:
      return new CelString(formatDouble(changetype<CelDouble>(v).value));
    case CelKind.Bool:
      return new CelString(changetype<CelBool>(v).value ? "true" : "false");
    case CelKind.Bytes: {
      const text = decodeUtf8(changetype<CelBytes>(v).value);
      return text != null ? new CelString(text) : new CelError("invalid UTF-8 in bytes");
    }
    case CelKind.Timestamp:
      return new CelString(formatTimestamp(changetype<CelTimestamp>(v)));
    case CelKind.Duration:
      return new CelString(formatDuration(changetype<CelDuration>(v)));
  }
  return noOverload("string", [v]);
}

/** `bytes(x)`. */
export function toBytes(v: CelValue): CelValue {
  if (v.kind == CelKind.Bytes) return v;
  if (v.kind == CelKind.String) return new CelBytes(utf8Bytes(changetype<CelString>(v).value));
  return noOverload("bytes", [v]);
}

/** `bool(x)`. */
export function toBool(v: CelValue): CelValue {
  if (v.kind == CelKind.Bool) return v;
  if (v.kind == CelKind.String) {
    const text = changetype<CelString>(v).value;
    if (text == "true" || text == "True" || text == "TRUE" || text == "t" || text == "1") return CEL_TRUE;
    if (text == "false" || text == "False" || text == "FALSE" || text == "f" || text == "0") return CEL_FALSE;
    return new CelError("cannot convert string to bool");
  }
  return noOverload("bool", [v]);
}

/** `type(x)`. */
export function typeOf(v: CelValue): CelValue {
  return new CelType(kindName(v.kind));
}

/** `timestamp(x)`. */
export function toTimestamp(v: CelValue): CelValue {
  switch (v.kind) {
    case CelKind.Timestamp:
      return v;
    case CelKind.String:
      return parseTimestamp(changetype<CelString>(v).value);
    case CelKind.Int:
      return makeTimestamp(changetype<CelInt>(v).value, 0);
  }
  return noOverload("timestamp", [v]);
}

/** `duration(x)`. */
export function toDuration(v: CelValue): CelValue {
  if (v.kind == CelKind.Duration) return v;
  if (v.kind == CelKind.String) return parseDuration(changetype<CelString>(v).value);
  return noOverload("duration", [v]);
}
