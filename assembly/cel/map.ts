// CEL maps. Keys are bool, int, uint or string; int, uint and integral double keys that are
// numerically equal name the same entry (heterogeneous equality), so numeric keys share one index.

import { at, count, textEquals } from "./fast";
import { CelBool, CelDouble, CelInt, CelKind, CelString, CelUint, CelValue } from "./value";

/** A map value; filters may subclass it to expose host data (headers, claims) without copying it all. */
export abstract class CelMap extends CelValue {
  constructor() {
    super(CelKind.Map);
  }

  /** The number of entries. */
  abstract size(): i32;

  /** The value under string key `key`, or null when there is none. */
  abstract getString(key: string): CelValue | null;

  /** The value under `key` (numeric keys compare by value), or null when there is none or the key's type cannot be a key. */
  abstract get(key: CelValue): CelValue | null;

  /** The keys in iteration order; the evaluator calls it for macros, `==` and the codec. */
  abstract keys(): CelValue[];
}

/** Outcome of `CelMapValue.put`. */
export enum CelMapPut {
  Added,
  Duplicate,
  BadKeyType,
}

// An integral double names the int (or uint) key of the same value; anything else names no key.
const TWO_POW_63: f64 = 9223372036854775808.0;
const TWO_POW_64: f64 = 18446744073709551616.0;
const SCAN_LIMIT = 8;

/** A map built in memory (map literals, decoded bindings), indexed for constant-time lookups. */
export class CelMapValue extends CelMap {
  private readonly keyList: CelValue[] = [];
  private readonly valueList: CelValue[] = [];
  private readonly strings: Map<string, i32> = new Map();
  private readonly ints: Map<i64, i32> = new Map();
  private readonly bigUints: Map<u64, i32> = new Map();
  private falseIndex: i32 = -1;
  private trueIndex: i32 = -1;

  /** Adds an entry; refuses a key already present or a key of a type maps cannot hold (null, double, ...). */
  put(key: CelValue, value: CelValue): CelMapPut {
    const position = this.keyList.length;
    switch (key.kind) {
      case CelKind.String: {
        const text = changetype<CelString>(key).value;
        if (this.strings.has(text)) return CelMapPut.Duplicate;
        this.strings.set(text, position);
        break;
      }
      case CelKind.Int: {
        const n = changetype<CelInt>(key).value;
        if (this.ints.has(n)) return CelMapPut.Duplicate;
        this.ints.set(n, position);
        break;
      }
      case CelKind.Uint: {
        const n = changetype<CelUint>(key).value;
        if (n > <u64>i64.MAX_VALUE) {
          if (this.bigUints.has(n)) return CelMapPut.Duplicate;
          this.bigUints.set(n, position);
        } else {
          if (this.ints.has(<i64>n)) return CelMapPut.Duplicate;
          this.ints.set(<i64>n, position);
        }
        break;
      }
      case CelKind.Bool: {
        if (changetype<CelBool>(key).value) {
          if (this.trueIndex >= 0) return CelMapPut.Duplicate;
          this.trueIndex = position;
        } else {
          if (this.falseIndex >= 0) return CelMapPut.Duplicate;
          this.falseIndex = position;
        }
        break;
      }
      default:
        return CelMapPut.BadKeyType;
    }
    this.keyList.push(key);
    this.valueList.push(value);
    return CelMapPut.Added;
  }

  /** The number of entries. */
  size(): i32 {
    return this.keyList.length;
  }

  /** The value under string key `key`, or null. */
  getString(key: string): CelValue | null {
    const found = this.stringIndex(key);
    return found < 0 ? null : at(this.valueList, found);
  }

  /** The value under `key` (numeric keys compare by value), or null. */
  get(key: CelValue): CelValue | null {
    const found = this.indexOf(key);
    return found < 0 ? null : at(this.valueList, found);
  }

  /** The keys in insertion order (not a copy: do not change it). */
  keys(): CelValue[] {
    return this.keyList;
  }

  private indexOf(key: CelValue): i32 {
    switch (key.kind) {
      case CelKind.String:
        return this.stringIndex(changetype<CelString>(key).value);
      case CelKind.Int:
        return this.intIndex(changetype<CelInt>(key).value);
      case CelKind.Uint:
        return this.uintIndex(changetype<CelUint>(key).value);
      case CelKind.Double: {
        const d = changetype<CelDouble>(key).value;
        if (Math.floor(d) != d) return -1;
        if (d >= -TWO_POW_63 && d < TWO_POW_63) return this.intIndex(<i64>d);
        if (d >= 0 && d < TWO_POW_64) return this.uintIndex(<u64>d);
        return -1;
      }
      case CelKind.Bool:
        return changetype<CelBool>(key).value ? this.trueIndex : this.falseIndex;
      default:
        return -1;
    }
  }

  // Comparing a few keys costs less than hashing the text twice (has, then get).
  // @ts-ignore: decorator
  @inline private stringIndex(text: string): i32 {
    if (count(this.keyList) <= SCAN_LIMIT) return scanStrings(changetype<usize>(this.keyList), changetype<usize>(text));
    return this.strings.has(text) ? this.strings.get(text) : -1;
  }

  private intIndex(n: i64): i32 {
    return this.ints.has(n) ? this.ints.get(n) : -1;
  }

  private uintIndex(n: u64): i32 {
    if (n > <u64>i64.MAX_VALUE) return this.bigUints.has(n) ? this.bigUints.get(n) : -1;
    return this.intIndex(<i64>n);
  }
}

// The position of string key `text` among `keys` (a CelValue[]), or -1. It works on addresses, so it
// needs no shadow-stack frame (see ./fast); nothing here allocates.
function scanStrings(keys: usize, text: usize): i32 {
  const n = load<i32>(keys, offsetof<CelValue[]>("length_"));
  const data = load<usize>(keys, offsetof<CelValue[]>("dataStart"));
  for (let i = 0; i < n; i++) {
    const key = load<usize>(data + ((<usize>i) << alignof<usize>()));
    if (load<i32>(key, offsetof<CelValue>("kind")) != CelKind.String) continue;
    if (textEquals(load<usize>(key, offsetof<CelString>("value")), text)) return i;
  }
  return -1;
}
