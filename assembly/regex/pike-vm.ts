// The Pike VM (Thompson NFA simulation with captures, Go's and RE2's "NFA"): every thread
// advances one code point at a time, in priority order, so the leftmost-first match and its
// groups come out in time linear in the input. Threads live in two preallocated sparse sets,
// so matching allocates nothing. The groups of a short input come from the backtracker instead
// (backtrack.ts), which the Machine calls when its bitmap fits.

import { backtrack, backtrackFits } from "./backtrack";
import { indexOfUnit } from "./literal-scan";
import { classContains, Inst, Program } from "./program";
import { decode, decodeBefore, emptyContext } from "./utf16";

/** Where a match may start and end. */
export const enum Anchor {
  /** Anywhere (RE2 PartialMatch). */
  None,
  /** At the start position and the end of the input (RE2 FullMatch). */
  Both,
}

// A sparse set of instruction indices (dense in priority order) with each thread's capture slots.
// The VM's state lives in plain memory (unmanaged structs over buffers the Machine keeps alive),
// so the hot loop never touches the garbage collector's shadow stack.
@unmanaged
class Queue {
  sparse: usize;
  dense: usize;
  caps: usize;
  size: i32;
}


@unmanaged
class Vm {
  op: usize;
  out: usize;
  arg: usize;
  pool: usize;
  stack: usize;
  matchcap: usize;
  scratch: usize;
  q0: Queue;
  q1: Queue;
  start: i32;
  programSlots: i32;
  slots: i32;
  firstUnit: i32;
  requiredUnit: i32;
  anchoredStart: bool;
  matched: bool;
}


@inline function contains(q: Queue, pc: i32): bool {
  const i = load<i32>(q.sparse + (usize(pc) << 2));
  return u32(i) < u32(q.size) && load<i32>(q.dense + (usize(i) << 2)) == pc;
}


@inline function insert(q: Queue, pc: i32): i32 {
  const i = q.size++;
  store<i32>(q.sparse + (usize(pc) << 2), i);
  store<i32>(q.dense + (usize(i) << 2), pc);
  return i;
}


@inline function i32At(base: usize, i: i32): i32 {
  return load<i32>(base + (usize(i) << 2));
}

// Allocates `count` i32s that `keep` holds alive; returns their address.
function ints(keep: Array<StaticArray<i32>>, count: i32): usize {
  const buffer = new StaticArray<i32>(max(count, 1));
  keep.push(buffer);
  return changetype<usize>(buffer);
}

function queue(keep: Array<StaticArray<i32>>, instructions: i32, slots: i32): Queue {
  const q = changetype<Queue>(ints(keep, i32(offsetof<Queue>() >> 2) + 1));
  q.sparse = ints(keep, instructions);
  q.dense = ints(keep, instructions);
  q.caps = ints(keep, instructions * slots);
  q.size = 0;
  return q;
}

/** Runs one program; reused for every match of its Regex, so matching allocates nothing but the backtracker's growing buffers. */
export class Machine {
  /** The slots of the last match (UTF-16 offsets, -1 for a group that did not take part). */
  matchcap: StaticArray<i32>;
  private keep: Array<StaticArray<i32>> = [];
  private vm: usize;

  constructor(private program: Program) {
    const size = program.size;
    this.matchcap = new StaticArray<i32>(max(program.slots, 2));
    const vm = changetype<Vm>(ints(this.keep, i32(offsetof<Vm>() >> 2) + 1));
    vm.op = changetype<usize>(program.op);
    vm.out = changetype<usize>(program.out);
    vm.arg = changetype<usize>(program.arg);
    vm.pool = changetype<usize>(program.pool);
    vm.stack = ints(this.keep, 2 * (size + 1));
    vm.matchcap = changetype<usize>(this.matchcap);
    vm.scratch = ints(this.keep, max(program.slots, 2));
    vm.q0 = queue(this.keep, size, program.slots);
    vm.q1 = queue(this.keep, size, program.slots);
    vm.start = program.start;
    vm.programSlots = program.slots;
    vm.slots = 0;
    vm.firstUnit = program.firstUnit;
    vm.requiredUnit = program.requiredUnit;
    vm.anchoredStart = program.anchoredStart;
    vm.matched = false;
    this.vm = changetype<usize>(vm);
  }

  /**
   * Searches `input` from UTF-16 offset `from` (the text before it still counts as context for
   * `^` and `\b`); with `captures` false only whether it matches is computed.
   */
  run(input: string, from: i32, anchor: Anchor, captures: bool): bool {
    const vm = changetype<Vm>(this.vm);
    const base = changetype<usize>(input);
    const length = input.length;
    if (captures && from <= length && backtrackFits(this.program.size, length - from + 1)) {
      return backtrack(this.program, vm.matchcap, vm.scratch, base, length, from, anchor == Anchor.Both);
    }
    return search(vm, base, length, from, anchor, captures);
  }
}

function search(vm: Vm, base: usize, length: i32, from: i32, anchor: Anchor, captures: bool): bool {
  const slots = captures ? vm.programSlots : 0;
  vm.slots = slots;
  vm.matched = false;
  const clear = max(vm.programSlots, 2);
  for (let i = 0; i < clear; i++) {
    store<i32>(vm.matchcap + (usize(i) << 2), -1);
    store<i32>(vm.scratch + (usize(i) << 2), -1);
  }
  if (from > length || (vm.anchoredStart && from > 0)) return false;
  if (vm.requiredUnit >= 0 && indexOfUnit(base, from, length, vm.requiredUnit) < 0) return false;
  let runq = vm.q0;
  let nextq = vm.q1;
  runq.size = 0;
  nextq.size = 0;
  let pos = from;
  let r = decode(base, length, pos);
  let rune = r < 0 ? -1 : r >> 2;
  let width = r < 0 ? 0 : r & 3;
  r = r < 0 ? -1 : decode(base, length, pos + width);
  let rune1 = r < 0 ? -1 : r >> 2;
  let width1 = r < 0 ? 0 : r & 3;
  let flag = emptyContext(decodeBefore(base, pos), rune);
  const firstUnit = vm.firstUnit;
  while (true) {
    if (runq.size == 0) {
      if (vm.matched || (vm.anchoredStart && pos != 0) || (anchor == Anchor.Both && pos != from)) break;
      if (firstUnit >= 0 && rune != firstUnit) {
        const next = indexOfUnit(base, pos + width, length, firstUnit);
        if (next < 0) break;
        pos = next;
        rune = firstUnit;
        width = 1;
        r = decode(base, length, pos + 1);
        rune1 = r < 0 ? -1 : r >> 2;
        width1 = r < 0 ? 0 : r & 3;
        flag = emptyContext(decodeBefore(base, pos), rune);
      }
    }
    if (!vm.matched && (anchor == Anchor.None || pos == from)) {
      if (slots > 0) store<i32>(vm.scratch, pos);
      add(vm, runq, vm.start, pos, vm.scratch, flag);
    }
    const nextPos = pos + width;
    flag = emptyContext(rune, rune1);
    step(vm, runq, nextq, pos, nextPos, rune, flag, anchor == Anchor.Both && pos != length);
    if (width == 0 || (slots == 0 && vm.matched)) break;
    pos = nextPos;
    rune = rune1;
    width = width1;
    if (rune >= 0) {
      r = decode(base, length, pos + width);
      rune1 = r < 0 ? -1 : r >> 2;
      width1 = r < 0 ? 0 : r & 3;
    }
    const swap = runq;
    runq = nextq;
    nextq = swap;
  }
  return vm.matched;
}

function step(vm: Vm, runq: Queue, nextq: Queue, pos: i32, nextPos: i32, c: i32, nextFlag: i32, notAtEnd: bool): void {
  const slots = vm.slots;
  const size = runq.size;
  for (let j = 0; j < size; j++) {
    const pc = i32At(runq.dense, j);
    const caps = runq.caps + (usize(j * slots) << 2);
    const code = i32At(vm.op, pc);
    let advance = false;
    if (code == Inst.Rune) advance = c == i32At(vm.arg, pc);
    else if (code == Inst.Class) advance = c >= 0 && classContains(vm.pool + (usize(i32At(vm.arg, pc)) << 2), c);
    else if (code == Inst.AnyNotNewline) advance = c >= 0 && c != 0x0a;
    else if (code == Inst.Any) advance = c >= 0;
    else if (code == Inst.Match) {
      if (notAtEnd) continue;
      if (slots > 0) {
        store<i32>(caps, pos, 4);
        memory.copy(vm.matchcap, caps, usize(slots) << 2);
      }
      vm.matched = true;
      break;
    }
    if (advance) add(vm, nextq, i32At(vm.out, pc), nextPos, caps, nextFlag);
  }
  runq.size = 0;
}

// Adds the thread at `pc` and everything it reaches without consuming input to `q`, in priority
// order; `caps` holds the thread's slots (restored before returning).
function add(vm: Vm, q: Queue, pc: i32, pos: i32, caps: usize, flag: i32): void {
  const stack = vm.stack;
  const slots = vm.slots;
  let depth = 0;
  while (true) {
    while (pc != 0 && !contains(q, pc)) {
      const d = insert(q, pc);
      const code = i32At(vm.op, pc);
      if (code == Inst.Split) {
        store<i32>(stack + (usize(depth) << 2), i32At(vm.arg, pc));
        store<i32>(stack + (usize(depth) << 2), 0, 4);
        depth += 2;
        pc = i32At(vm.out, pc);
      } else if (code == Inst.Nop) {
        pc = i32At(vm.out, pc);
      } else if (code == Inst.Empty) {
        pc = (i32At(vm.arg, pc) & ~flag) == 0 ? i32At(vm.out, pc) : 0;
      } else if (code == Inst.Save) {
        const slot = i32At(vm.arg, pc);
        if (slot < slots) {
          store<i32>(stack + (usize(depth) << 2), -slot - 1);
          store<i32>(stack + (usize(depth) << 2), i32At(caps, slot), 4);
          depth += 2;
          store<i32>(caps + (usize(slot) << 2), pos);
        }
        pc = i32At(vm.out, pc);
      } else {
        if (code != Inst.Fail && slots > 0) memory.copy(q.caps + (usize(d * slots) << 2), caps, usize(slots) << 2);
        pc = 0;
      }
    }
    if (depth == 0) return;
    depth -= 2;
    const entry = i32At(stack, depth);
    if (entry < 0) {
      store<i32>(caps + (usize(-entry - 1) << 2), i32At(stack, depth + 1));
      pc = 0;
    } else {
      pc = entry;
    }
  }
}
