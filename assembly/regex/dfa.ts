// A lazily built DFA over the compiled program, for the questions that need no groups: does the
// pattern match (somewhere, or the whole input)? A state is the set of instructions the NFA
// threads stand at, plus what assertions need of the code point before (its Category) and whether
// a new thread starts at every position (an unanchored search). States and transitions are built
// on first use and kept in a StateCache bounded by a memory budget. Leftmost-first priorities
// do not matter for these questions, so sets are sorted and the Pike VM keeps captures.

import { DEAD, fitsBudget, StateCache, UNKNOWN } from "./dfa-cache";
import { indexOfUnit } from "./literal-scan";
import { emptyContext } from "./utf16";
import { classContains, Inst, Program } from "./program";
import { categoryOf, RuneClasses } from "./rune-classes";

// Bits of a state's flags word above its Category.
const UNANCHORED: i32 = 4;
const SPECIAL: i32 = 8;
// Bits of a transition below the next state.
const MATCHED: i32 = 1;
const NEXT_SPECIAL: i32 = 2;
// The work arrays before the first search allocates them.
@lazy const NONE = new StaticArray<i32>(0);

/** Answers match-only questions for one program; reused for every search of its Regex. */
export class Dfa {
  /** Whether the DFA fits the memory budget; when false every question goes to the Pike VM. */
  usable: bool;
  private classes: RuneClasses;
  private stride: i32;
  private contexts: StaticArray<i32> = new StaticArray<i32>(16);
  private cache: StateCache | null = null;
  // The closure's sparse set and stack, the next state's set, and the start states of this epoch.
  private sparse: StaticArray<i32> = NONE;
  private dense: StaticArray<i32> = NONE;
  private stack: StaticArray<i32> = NONE;
  private nextSparse: StaticArray<i32> = NONE;
  private nextDense: StaticArray<i32> = NONE;
  private starts: StaticArray<i32> = new StaticArray<i32>(8);
  private startsEpoch: i32 = -1;

  constructor(private program: Program) {
    this.classes = new RuneClasses(program);
    this.stride = this.classes.count + 1;
    this.usable = fitsBudget(this.stride, program.size);
    const sides: StaticArray<i32> = [-1, 0x0a, 0x61, 0x20];
    for (let i = 0; i < 16; i++) this.contexts[i] = emptyContext(sides[i >> 2], sides[i & 3]);
  }

  /** RE2 PartialMatch from UTF-16 offset `from` (the text before it counts as context). */
  test(input: string, from: i32): bool {
    return this.search(input, from, false);
  }

  /** RE2 FullMatch. */
  full(input: string): bool {
    return this.search(input, 0, true);
  }

  private prepare(): StateCache {
    let cache = this.cache;
    if (cache == null) {
      const size = this.program.size;
      this.sparse = new StaticArray<i32>(size);
      this.dense = new StaticArray<i32>(size);
      this.stack = new StaticArray<i32>(size + 1);
      this.nextSparse = new StaticArray<i32>(size);
      this.nextDense = new StaticArray<i32>(size);
      cache = new StateCache(this.stride, size);
      this.cache = cache;
    }
    return cache;
  }

  private search(input: string, from: i32, full: bool): bool {
    const program = this.program;
    const length = input.length;
    if (from > length || (program.anchoredStart && from > 0)) return false;
    const base = changetype<usize>(input);
    // With a first unit, the skip below finds its absence as fast.
    if (program.firstUnit < 0 && program.requiredUnit >= 0 && indexOfUnit(base, from, length, program.requiredUnit) < 0)
      return false;
    const cache = this.prepare();
    const unanchored = !full && !program.anchoredStart;
    let state = this.start(cache, base, from, unanchored);
    let trans = changetype<usize>(cache.trans);
    const ascii = changetype<usize>(this.classes.ascii);
    const stride = this.stride;
    const firstUnit = program.firstUnit;
    let pos = from;
    while (pos < length) {
      const unit = i32(load<u16>(base + (usize(pos) << 1)));
      let k: i32;
      if (unit < 0x80) {
        k = load<i32>(ascii + (usize(unit) << 2));
        pos++;
      } else {
        k = this.classAt(base, length, pos, unit);
        pos += (k & 1) + 1;
        k >>= 1;
      }
      let t = load<i32>(trans + (usize(state * stride + k) << 2));
      if ((t & 3) != 0) {
        if (t == UNKNOWN) {
          t = this.transition(cache, state, k);
          trans = changetype<usize>(cache.trans);
        }
        if ((t & MATCHED) != 0 && !full) return true;
        if ((t & NEXT_SPECIAL) != 0) {
          if (t >> 2 == DEAD) return false;
          // Nothing is under way: skip to the next place a match can start.
          const next = indexOfUnit(base, pos, length, firstUnit);
          if (next < 0) return false;
          if (next > pos) {
            pos = next;
            state = this.start(cache, base, pos, true);
            trans = changetype<usize>(cache.trans);
            continue;
          }
        }
      }
      state = t >> 2;
    }
    let t = load<i32>(trans + (usize(state * stride + stride - 1) << 2));
    if (t == UNKNOWN) t = this.transition(cache, state, stride - 1);
    return (t & MATCHED) != 0;
  }

  // The class of the code point at `pos` (first unit `unit`, not ASCII), as (class << 1) | width - 1.
  private classAt(base: usize, length: i32, pos: i32, unit: i32): i32 {
    if (unit >= 0xd800 && unit <= 0xdbff && pos + 1 < length) {
      const low = i32(load<u16>(base + (usize(pos + 1) << 1)));
      if (low >= 0xdc00 && low <= 0xdfff) {
        return (this.classes.classOf(((unit - 0xd800) << 10) + (low - 0xdc00) + 0x10000) << 1) | 1;
      }
    }
    return this.classes.classOf(unit) << 1;
  }

  // The state a search from `pos` starts in (cached per flush epoch).
  private start(cache: StateCache, base: usize, pos: i32, unanchored: bool): i32 {
    const before = pos > 0 && this.classes.hasEmpty ? categoryOf(i32(load<u16>(base + (usize(pos - 1) << 1)))) : 0;
    const key = before | (unanchored ? UNANCHORED : 0);
    if (this.startsEpoch != cache.epoch) {
      memory.fill(changetype<usize>(this.starts), 0xff, 32);
      this.startsEpoch = cache.epoch;
    }
    let state = this.starts[key];
    if (state < 0) {
      if (unanchored) {
        state = cache.intern(key | (this.program.firstUnit >= 0 ? SPECIAL : 0), 0, 0);
      } else {
        this.nextDense[0] = this.program.start;
        state = cache.intern(key, changetype<usize>(this.nextDense), 1);
      }
      if (this.startsEpoch != cache.epoch) {
        memory.fill(changetype<usize>(this.starts), 0xff, 32);
        this.startsEpoch = cache.epoch;
      }
      this.starts[key] = state;
    }
    return state;
  }

  // Computes (and records, unless the cache was flushed meanwhile) the transition of `state` on class `k`.
  private transition(cache: StateCache, state: i32, k: i32): i32 {
    const program = this.program;
    const flags = cache.flags(state);
    const after = unchecked(this.classes.categories[k]);
    const context = this.classes.hasEmpty ? unchecked(this.contexts[((flags & 3) << 2) | after]) : 0;
    let size = 0;
    const set = cache.set(state);
    const count = cache.setSize(state);
    for (let i = 0; i < count; i++) size = this.close(load<i32>(set + (usize(i) << 2)), context, size);
    const unanchored = (flags & UNANCHORED) != 0;
    if (unanchored) size = this.close(program.start, context, size);
    const atEnd = k == this.stride - 1;
    const c = atEnd ? -1 : unchecked(this.classes.starts[k]);
    let matched = false;
    let next = 0;
    for (let i = 0; i < size; i++) {
      const pc = unchecked(this.dense[i]);
      const code = unchecked(program.op[pc]);
      let advance = false;
      if (code == Inst.Match) matched = true;
      else if (atEnd) continue;
      else if (code == Inst.Rune) advance = c == unchecked(program.arg[pc]);
      else if (code == Inst.Class) {
        advance = classContains(changetype<usize>(program.pool) + (usize(unchecked(program.arg[pc])) << 2), c);
      } else if (code == Inst.AnyNotNewline) advance = c != 0x0a;
      else if (code == Inst.Any) advance = true;
      if (advance) next = this.addNext(unchecked(program.out[pc]), next);
    }
    let target = DEAD;
    if (!atEnd && (next > 0 || unanchored)) {
      sortInts(changetype<usize>(this.nextDense), next);
      const special = next == 0 && program.firstUnit >= 0 ? SPECIAL : 0;
      const epoch = cache.epoch;
      target = cache.intern(
        (this.classes.hasEmpty ? after : 0) | (flags & UNANCHORED) | special,
        changetype<usize>(this.nextDense),
        next,
      );
      if (cache.epoch != epoch) return encode(cache, target, matched);
    }
    const t = encode(cache, target, matched);
    unchecked((cache.trans[state * this.stride + k] = t));
    return t;
  }

  // Adds `pc` and every instruction it reaches without consuming input under `context` to the
  // closure of `size` instructions; returns the new size.
  private close(pc: i32, context: i32, size: i32): i32 {
    const program = this.program;
    let depth = 0;
    while (true) {
      while (pc != 0) {
        const i = unchecked(this.sparse[pc]);
        if (u32(i) < u32(size) && unchecked(this.dense[i]) == pc) break;
        unchecked((this.sparse[pc] = size));
        unchecked((this.dense[size++] = pc));
        const code = unchecked(program.op[pc]);
        if (code == Inst.Split) {
          unchecked((this.stack[depth++] = program.arg[pc]));
          pc = unchecked(program.out[pc]);
        } else if (code == Inst.Nop || code == Inst.Save) {
          pc = unchecked(program.out[pc]);
        } else if (code == Inst.Empty) {
          pc = (unchecked(program.arg[pc]) & ~context) == 0 ? unchecked(program.out[pc]) : 0;
        } else {
          pc = 0;
        }
      }
      if (depth == 0) break;
      pc = unchecked(this.stack[--depth]);
    }
    return size;
  }

  private addNext(pc: i32, size: i32): i32 {
    const i = unchecked(this.nextSparse[pc]);
    if (u32(i) < u32(size) && unchecked(this.nextDense[i]) == pc) return size;
    unchecked((this.nextSparse[pc] = size));
    unchecked((this.nextDense[size] = pc));
    return size + 1;
  }
}

function encode(cache: StateCache, target: i32, matched: bool): i32 {
  const special = target == DEAD || (cache.flags(target) & SPECIAL) != 0;
  return (target << 2) | (special ? NEXT_SPECIAL : 0) | (matched ? MATCHED : 0);
}

// Shell sort of `count` i32s at `base`: sets are small, and sorting allocates nothing.
function sortInts(base: usize, count: i32): void {
  for (let gap = count >> 1; gap > 0; gap >>= 1) {
    for (let i = gap; i < count; i++) {
      const value = load<i32>(base + (usize(i) << 2));
      let j = i;
      while (j >= gap && load<i32>(base + (usize(j - gap) << 2)) > value) {
        store<i32>(base + (usize(j) << 2), load<i32>(base + (usize(j - gap) << 2)));
        j -= gap;
      }
      store<i32>(base + (usize(j) << 2), value);
    }
  }
}
