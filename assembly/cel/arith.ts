// Arithmetic operators. Integer overflow, division and modulus by zero are errors (never traps or
// wrap-around); doubles follow IEEE 754; `+` also concatenates and adds durations to timestamps.

import { addToTimestamp, subtractTimestamps } from "./time";
import {
  CelBytes,
  CelDouble,
  CelDuration,
  CelError,
  CelInt,
  celInt,
  CelKind,
  CelList,
  CelString,
  CelTimestamp,
  CelUint,
  CelValue,
  noOverload,
} from "./value";

function overflow(): CelValue {
  return new CelError("integer overflow");
}

function int(v: CelValue): i64 {
  return changetype<CelInt>(v).value;
}

function uint(v: CelValue): u64 {
  return changetype<CelUint>(v).value;
}

function double(v: CelValue): f64 {
  return changetype<CelDouble>(v).value;
}

function nanos(v: CelValue): i64 {
  return changetype<CelDuration>(v).nanos;
}

function addDurations(x: i64, y: i64): CelValue {
  const r = x + y;
  return ((x ^ r) & (y ^ r)) < 0 ? new CelError("duration out of range") : new CelDuration(r);
}

/** `a + b`. */
export function add(a: CelValue, b: CelValue): CelValue {
  const kind = a.kind;
  if (kind == b.kind) {
    switch (kind) {
      case CelKind.Int: {
        const x = int(a);
        const y = int(b);
        const r = x + y;
        return ((x ^ r) & (y ^ r)) < 0 ? overflow() : celInt(r);
      }
      case CelKind.Uint: {
        const r = uint(a) + uint(b);
        return r < uint(a) ? overflow() : new CelUint(r);
      }
      case CelKind.Double:
        return new CelDouble(double(a) + double(b));
      case CelKind.String:
        return new CelString(changetype<CelString>(a).value + changetype<CelString>(b).value);
      case CelKind.Bytes: {
        const x = changetype<CelBytes>(a).value;
        const y = changetype<CelBytes>(b).value;
        const out = new Uint8Array(x.length + y.length);
        out.set(x, 0);
        out.set(y, x.length);
        return new CelBytes(out);
      }
      case CelKind.List:
        return new CelList(changetype<CelList>(a).items.concat(changetype<CelList>(b).items));
      case CelKind.Duration:
        return addDurations(nanos(a), nanos(b));
    }
  } else if (kind == CelKind.Timestamp && b.kind == CelKind.Duration) {
    return addToTimestamp(changetype<CelTimestamp>(a), nanos(b));
  } else if (kind == CelKind.Duration && b.kind == CelKind.Timestamp) {
    return addToTimestamp(changetype<CelTimestamp>(b), nanos(a));
  }
  return noOverload("_+_", [a, b]);
}

/** `a - b`. */
export function subtract(a: CelValue, b: CelValue): CelValue {
  const kind = a.kind;
  if (kind == b.kind) {
    switch (kind) {
      case CelKind.Int: {
        const x = int(a);
        const y = int(b);
        const r = x - y;
        return ((x ^ y) & (x ^ r)) < 0 ? overflow() : celInt(r);
      }
      case CelKind.Uint:
        return uint(b) > uint(a) ? overflow() : new CelUint(uint(a) - uint(b));
      case CelKind.Double:
        return new CelDouble(double(a) - double(b));
      case CelKind.Duration:
        return nanos(b) == i64.MIN_VALUE ? new CelError("duration out of range") : addDurations(nanos(a), -nanos(b));
      case CelKind.Timestamp:
        return subtractTimestamps(changetype<CelTimestamp>(a), changetype<CelTimestamp>(b));
    }
  } else if (kind == CelKind.Timestamp && b.kind == CelKind.Duration) {
    const d = nanos(b);
    if (d == i64.MIN_VALUE) return new CelError("timestamp out of range");
    return addToTimestamp(changetype<CelTimestamp>(a), -d);
  }
  return noOverload("_-_", [a, b]);
}

/** `a * b`. */
export function multiply(a: CelValue, b: CelValue): CelValue {
  const kind = a.kind;
  if (kind == b.kind) {
    switch (kind) {
      case CelKind.Int: {
        const x = int(a);
        const y = int(b);
        if (x == -1) return y == i64.MIN_VALUE ? overflow() : celInt(-y);
        if (y == -1) return x == i64.MIN_VALUE ? overflow() : celInt(-x);
        const r = x * y;
        return x != 0 && r / x != y ? overflow() : celInt(r);
      }
      case CelKind.Uint: {
        const x = uint(a);
        const y = uint(b);
        const r = x * y;
        return x != 0 && r / x != y ? overflow() : new CelUint(r);
      }
      case CelKind.Double:
        return new CelDouble(double(a) * double(b));
    }
  }
  return noOverload("_*_", [a, b]);
}

/** `a / b`. */
export function divide(a: CelValue, b: CelValue): CelValue {
  const kind = a.kind;
  if (kind == b.kind) {
    switch (kind) {
      case CelKind.Int: {
        const x = int(a);
        const y = int(b);
        if (y == 0) return new CelError("division by zero");
        return x == i64.MIN_VALUE && y == -1 ? overflow() : celInt(x / y);
      }
      case CelKind.Uint: {
        const y = uint(b);
        return y == 0 ? new CelError("division by zero") : new CelUint(uint(a) / y);
      }
      case CelKind.Double:
        return new CelDouble(double(a) / double(b));
    }
  }
  return noOverload("_/_", [a, b]);
}

/** `a % b` (truncated, the sign follows `a`); defined for int and uint only. */
export function modulo(a: CelValue, b: CelValue): CelValue {
  const kind = a.kind;
  if (kind == b.kind) {
    if (kind == CelKind.Int) {
      const x = int(a);
      const y = int(b);
      if (y == 0) return new CelError("modulus by zero");
      return x == i64.MIN_VALUE && y == -1 ? overflow() : celInt(x % y);
    }
    if (kind == CelKind.Uint) {
      const y = uint(b);
      return y == 0 ? new CelError("modulus by zero") : new CelUint(uint(a) % y);
    }
  }
  return noOverload("_%_", [a, b]);
}

/** `-a`. */
export function negate(a: CelValue): CelValue {
  switch (a.kind) {
    case CelKind.Int:
      return int(a) == i64.MIN_VALUE ? overflow() : celInt(-int(a));
    case CelKind.Double:
      return new CelDouble(-double(a));
    case CelKind.Duration:
      return nanos(a) == i64.MIN_VALUE ? new CelError("duration out of range") : new CelDuration(-nanos(a));
  }
  return noOverload("-_", [a]);
}
