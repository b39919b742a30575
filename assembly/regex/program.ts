// The compiled form of a pattern: a Thompson NFA as flat instruction arrays (Go's and RE2's
// "Prog"), which the Pike VM runs. Instruction 0 always fails, so 0 can mean "no instruction".

/** What an instruction does. */
export const enum Inst {
  /** No thread survives. */
  Fail,
  /** A thread reaching it has matched. */
  Match,
  /** Consumes the code point `arg`. */
  Rune,
  /** Consumes a code point in the class at offset `arg` of the class pool. */
  Class,
  /** Consumes any code point. */
  Any,
  /** Consumes any code point but `\n`. */
  AnyNotNewline,
  /** Continues at `out` and then, with lower priority, at `arg`. */
  Split,
  /** Continues at `out` when the context has every EmptyFlag bit in `arg`. */
  Empty,
  /** Continues at `out`. */
  Nop,
  /** Records the position in capture slot `arg`, then continues at `out`. */
  Save,
}

/** A compiled pattern. */
export class Program {
  /** The instruction codes (Inst). */
  op: StaticArray<i32>;
  /** Each instruction's next instruction. */
  out: StaticArray<i32>;
  /** Each instruction's operand (code point, class offset, second branch, flags or slot). */
  arg: StaticArray<i32>;
  /** Every class as its pair count then its sorted [lo, hi] pairs; Class instructions hold offsets. */
  pool: StaticArray<i32>;
  /** The first instruction. */
  start: i32;
  /** Capture slots: two (start, end) per group, group 0 being the whole match. */
  slots: i32;
  /** Whether every match must start at the beginning of the text (the pattern starts with `\A`/`^`). */
  anchoredStart: bool;
  /** The code unit every match starts with, or -1: unanchored searches skip ahead to it. */
  firstUnit: i32;
  /** A code unit every match contains, or -1: a search gives up at once when the input lacks it. */
  requiredUnit: i32 = -1;

  constructor(op: Array<i32>, out: Array<i32>, arg: Array<i32>, pool: Array<i32>, start: i32, slots: i32) {
    this.op = StaticArray.fromArray(op);
    this.out = StaticArray.fromArray(out);
    this.arg = StaticArray.fromArray(arg);
    this.pool = StaticArray.fromArray(pool);
    this.start = start;
    this.slots = slots;
    this.anchoredStart = startsWithBeginText(this.op, this.out, this.arg, start);
    this.firstUnit = firstUnit(this.op, this.out, this.arg, start);
  }

  /** The number of instructions. */
  get size(): i32 {
    return this.op.length;
  }
}

// Follows the instructions every match must pass through first: true when one of them
// requires the beginning of the text, as RE2's "anchor_start".
function startsWithBeginText(op: StaticArray<i32>, out: StaticArray<i32>, arg: StaticArray<i32>, start: i32): bool {
  let pc = start;
  for (let steps = 0; steps < op.length; steps++) {
    const code = op[pc];
    if (code == Inst.Empty && (arg[pc] & 4) != 0) return true;
    if (code != Inst.Empty && code != Inst.Nop && code != Inst.Save) return false;
    pc = out[pc];
  }
  return false;
}

// The BMP, non-surrogate code point every match must start with, or -1 when there is no single one.
function firstUnit(op: StaticArray<i32>, out: StaticArray<i32>, arg: StaticArray<i32>, start: i32): i32 {
  let pc = start;
  for (let steps = 0; steps < op.length; steps++) {
    const code = op[pc];
    if (code == Inst.Rune) {
      const rune = arg[pc];
      return rune > 0xffff || (rune >= 0xd800 && rune <= 0xdfff) ? -1 : rune;
    }
    if (code != Inst.Nop && code != Inst.Save) return -1;
    pc = out[pc];
  }
  return -1;
}

/** Whether code point `c` is in the class at `pool` (a pair count, then sorted [lo, hi] pairs). */
@inline export function classContains(pool: usize, c: i32): bool {
  const pairs = load<i32>(pool);
  const ranges = pool + 4;
  if (pairs <= 4) {
    for (let i = 0; i < pairs; i++) {
      if (c < load<i32>(ranges + (usize(i) << 3))) return false;
      if (c <= load<i32>(ranges + (usize(i) << 3), 4)) return true;
    }
    return false;
  }
  let lo = 0;
  let hi = pairs;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (c < load<i32>(ranges + (usize(mid) << 3))) hi = mid;
    else if (c > load<i32>(ranges + (usize(mid) << 3), 4)) lo = mid + 1;
    else return true;
  }
  return false;
}
