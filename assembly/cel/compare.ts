// Equality and ordering as the current CEL spec defines them: numbers compare across int, uint and
// double by value; values of different kinds are unequal (never an error); NaN equals nothing.

import { at, count, textEquals } from "./fast";
import { CelMap } from "./map";
import { bytesEqual, compareBytes, compareStrings } from "./text";
import {
  CelBool,
  CelBytes,
  CelDouble,
  CelDuration,
  CelInt,
  CelKind,
  CelList,
  CelString,
  CelTimestamp,
  CelType,
  CelUint,
  CelValue,
} from "./value";

/** `compareValues` result when the values are not ordered (a NaN is involved). */
export const UNORDERED: i32 = 2;
/** `compareValues` result when ordering is not defined for these kinds. */
export const NO_ORDER: i32 = 3;

// @ts-ignore: decorator
@inline
function isNumber(kind: CelKind): bool {
  return kind == CelKind.Int || kind == CelKind.Uint || kind == CelKind.Double;
}

function sign(x: f64, y: f64): i32 {
  if (x < y) return -1;
  if (x > y) return 1;
  return x == y ? 0 : UNORDERED;
}

// Ints and uints compare exactly; a double on either side compares the other side converted to double.
function compareNumbers(a: CelValue, b: CelValue): i32 {
  const ak = a.kind;
  const bk = b.kind;
  if (ak == CelKind.Int && bk == CelKind.Int) {
    const x = changetype<CelInt>(a).value;
    const y = changetype<CelInt>(b).value;
    return x < y ? -1 : x > y ? 1 : 0;
  }
  if (ak == CelKind.Uint && bk == CelKind.Uint) {
    const x = changetype<CelUint>(a).value;
    const y = changetype<CelUint>(b).value;
    return x < y ? -1 : x > y ? 1 : 0;
  }
  if (ak == CelKind.Int && bk == CelKind.Uint) {
    const x = changetype<CelInt>(a).value;
    const y = changetype<CelUint>(b).value;
    return x < 0 || <u64>x < y ? -1 : <u64>x > y ? 1 : 0;
  }
  if (ak == CelKind.Uint && bk == CelKind.Int) return -compareNumbers(b, a);
  return sign(toDouble(a), toDouble(b));
}

function toDouble(v: CelValue): f64 {
  if (v.kind == CelKind.Int) return <f64>changetype<CelInt>(v).value;
  if (v.kind == CelKind.Uint) return <f64>changetype<CelUint>(v).value;
  return changetype<CelDouble>(v).value;
}

/** CEL `==`: heterogeneous for numbers, deep for lists and maps, false across other kinds. */
export function valuesEqual(a: CelValue, b: CelValue): bool {
  const kind = a.kind;
  // Strings and ints are what policies compare; they skip the general dispatch.
  if (kind == b.kind) {
    if (kind == CelKind.String) {
      return textEquals(
        changetype<usize>(changetype<CelString>(a).value),
        changetype<usize>(changetype<CelString>(b).value),
      );
    }
    if (kind == CelKind.Int) return changetype<CelInt>(a).value == changetype<CelInt>(b).value;
  }
  if (isNumber(kind) && isNumber(b.kind)) return compareNumbers(a, b) == 0;
  if (kind != b.kind) return false;
  switch (kind) {
    case CelKind.Null:
      return true;
    case CelKind.Bool:
      return changetype<CelBool>(a).value == changetype<CelBool>(b).value;
    case CelKind.String:
      return changetype<CelString>(a).value == changetype<CelString>(b).value;
    case CelKind.Bytes:
      return bytesEqual(changetype<CelBytes>(a).value, changetype<CelBytes>(b).value);
    case CelKind.List: {
      const x = changetype<CelList>(a).items;
      const y = changetype<CelList>(b).items;
      const n = count(x);
      if (n != count(y)) return false;
      for (let i = 0; i < n; i++) if (!valuesEqual(at(x, i), at(y, i))) return false;
      return true;
    }
    case CelKind.Map:
      return mapsEqual(changetype<CelMap>(a), changetype<CelMap>(b));
    case CelKind.Timestamp: {
      const x = changetype<CelTimestamp>(a);
      const y = changetype<CelTimestamp>(b);
      return x.seconds == y.seconds && x.nanos == y.nanos;
    }
    case CelKind.Duration:
      return changetype<CelDuration>(a).nanos == changetype<CelDuration>(b).nanos;
    case CelKind.Type:
      return changetype<CelType>(a).name == changetype<CelType>(b).name;
    default:
      return false;
  }
}

function mapsEqual(a: CelMap, b: CelMap): bool {
  if (a.size() != b.size()) return false;
  const keys = a.keys();
  for (let i = 0; i < keys.length; i++) {
    const key = unchecked(keys[i]);
    const other = b.get(key);
    const mine = a.get(key);
    if (other == null || mine == null || !valuesEqual(mine, other)) return false;
  }
  return true;
}

/** Orders two values: -1, 0 or 1; UNORDERED with a NaN; NO_ORDER when `<` is undefined for them. */
export function compareValues(a: CelValue, b: CelValue): i32 {
  const kind = a.kind;
  if (isNumber(kind) && isNumber(b.kind)) return compareNumbers(a, b);
  if (kind != b.kind) return NO_ORDER;
  switch (kind) {
    case CelKind.Bool: {
      const x = <i32>changetype<CelBool>(a).value;
      const y = <i32>changetype<CelBool>(b).value;
      return x - y;
    }
    case CelKind.String: {
      const c = compareStrings(changetype<CelString>(a).value, changetype<CelString>(b).value);
      return c < 0 ? -1 : c > 0 ? 1 : 0;
    }
    case CelKind.Bytes: {
      const c = compareBytes(changetype<CelBytes>(a).value, changetype<CelBytes>(b).value);
      return c < 0 ? -1 : c > 0 ? 1 : 0;
    }
    case CelKind.Timestamp: {
      const x = changetype<CelTimestamp>(a);
      const y = changetype<CelTimestamp>(b);
      if (x.seconds != y.seconds) return x.seconds < y.seconds ? -1 : 1;
      return x.nanos < y.nanos ? -1 : x.nanos > y.nanos ? 1 : 0;
    }
    case CelKind.Duration: {
      const x = changetype<CelDuration>(a).nanos;
      const y = changetype<CelDuration>(b).nanos;
      return x < y ? -1 : x > y ? 1 : 0;
    }
    default:
      return NO_ORDER;
  }
}
