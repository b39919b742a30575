// A bounded backtracker (RE2's "BitState") for the groups of a match in a short input. It follows
// the program's threads depth first, in priority order, and marks every (instruction, position)
// it reaches, so none is followed twice: a state that led nowhere once leads nowhere again,
// whatever the groups or the start. The first Match it reaches is the leftmost-first match the
// Pike VM finds, in time and memory linear in instructions × positions; it runs only when that
// product fits its bitmap, and there it spares the Pike VM's copying of every thread's groups at
// every step.

import { indexOfUnit } from "./literal-scan";
import { classContains, Inst, Program } from "./program";
import { decode, decodeBefore, emptyContext } from "./utf16";

// A 4 KiB bitmap: a 2,000-character input for a 16-instruction pattern.
const DEFAULT_LIMIT = 32 * 1024;

let bitLimit = DEFAULT_LIMIT;
// One bitmap and one job stack serve every regex, since one match never starts inside another;
// both grow on demand. The bitmap stays at most the limit's size (4 KiB by default); a job stack
// grown past KEEP_JOBS is let go after its search, so one long input does not hold its memory. A
// job is two i32s: (instruction, position) to follow, or (-slot - 1, value) to restore a group
// slot on the way back.
let visited = new StaticArray<u32>(32);
let jobs = new StaticArray<i32>(64);
const KEEP_JOBS = 4096;

/** Sets the largest instructions × positions product the backtracker takes (0: none); returns the one before. */
export function setBacktrackLimit(bits: i32): i32 {
  const before = bitLimit;
  bitLimit = max(bits, 0);
  return before;
}

/** Whether `instructions` × `positions` is within the backtracker's limit (setBacktrackLimit). */
export function backtrackFits(instructions: i32, positions: i32): bool {
  return i64(instructions) * i64(positions) <= i64(bitLimit);
}

/**
 * Searches the UTF-16 string at `base` from offset `from` (the text before it counts as context),
 * anchored at `from` and at the end when `anchorBoth`, as the Pike VM does with groups; on a match
 * writes the slots to `matchcap`. `caps` is scratch for the program's slots. Only for searches
 * that backtrackFits.
 */
export function backtrack(
  program: Program,
  matchcap: usize,
  caps: usize,
  base: usize,
  length: i32,
  from: i32,
  anchorBoth: bool,
): bool {
  const slots = program.slots;
  for (let i = 0; i < slots; i++) {
    store<i32>(matchcap + (usize(i) << 2), -1);
    store<i32>(caps + (usize(i) << 2), -1);
  }
  if (from > length || (program.anchoredStart && from > 0)) return false;
  if (program.requiredUnit >= 0 && indexOfUnit(base, from, length, program.requiredUnit) < 0) return false;
  const width = length - from + 1;
  const words = (program.size * width + 31) >>> 5;
  if (visited.length < words) visited = new StaticArray<u32>(max(words, visited.length << 1));
  memory.fill(changetype<usize>(visited), 0, usize(words) << 2);
  const firstUnit = anchorBoth ? -1 : program.firstUnit;
  const op = changetype<usize>(program.op);
  const out = changetype<usize>(program.out);
  const arg = changetype<usize>(program.arg);
  const pool = changetype<usize>(program.pool);
  const bits = changetype<usize>(visited);
  let stack = changetype<usize>(jobs);
  let capacity = jobs.length;
  let start = from;
  while (true) {
    if (firstUnit >= 0) {
      start = indexOfUnit(base, start, length, firstUnit);
      if (start < 0) return done(false);
    }
    // Every thread from `start`, in priority order, until one matches.
    store<i32>(caps, start);
    store<i32>(stack, program.start);
    store<i32>(stack, start, 4);
    let depth = 2;
    while (depth > 0) {
      depth -= 2;
      let pc = load<i32>(stack + (usize(depth) << 2));
      let p = load<i32>(stack + (usize(depth) << 2), 4);
      if (pc < 0) {
        store<i32>(caps + (usize(-pc - 1) << 2), p);
        continue;
      }
      while (true) {
        const bit = pc * width + (p - from);
        const word = bits + (usize(bit >>> 5) << 2);
        const seen = load<u32>(word);
        const mask = u32(1) << (bit & 31);
        if ((seen & mask) != 0) break;
        store<u32>(word, seen | mask);
        const code = load<i32>(op + (usize(pc) << 2));
        const operand = load<i32>(arg + (usize(pc) << 2));
        if (code == Inst.Rune || code == Inst.Class || code == Inst.Any || code == Inst.AnyNotNewline) {
          const r = decode(base, length, p);
          if (r < 0) break;
          const c = r >> 2;
          if (code == Inst.Rune && c != operand) break;
          if (code == Inst.Class && !classContains(pool + (usize(operand) << 2), c)) break;
          if (code == Inst.AnyNotNewline && c == 0x0a) break;
          p += r & 3;
          pc = load<i32>(out + (usize(pc) << 2));
        } else if (code == Inst.Split || (code == Inst.Save && operand < slots)) {
          // Split: the second branch waits. Save: the slot's value waits, to be put back.
          if (depth + 2 > capacity) {
            grow();
            stack = changetype<usize>(jobs);
            capacity = jobs.length;
          }
          const save = code == Inst.Save;
          store<i32>(stack + (usize(depth) << 2), save ? -operand - 1 : operand);
          store<i32>(stack + (usize(depth) << 2), save ? load<i32>(caps + (usize(operand) << 2)) : p, 4);
          depth += 2;
          if (save) store<i32>(caps + (usize(operand) << 2), p);
          pc = load<i32>(out + (usize(pc) << 2));
        } else if (code == Inst.Nop || code == Inst.Save) {
          pc = load<i32>(out + (usize(pc) << 2));
        } else if (code == Inst.Empty) {
          const r = decode(base, length, p);
          if ((operand & ~emptyContext(decodeBefore(base, p), r < 0 ? -1 : r >> 2)) != 0) break;
          pc = load<i32>(out + (usize(pc) << 2));
        } else if (code == Inst.Match) {
          if (anchorBoth && p != length) break;
          store<i32>(caps, p, 4);
          memory.copy(matchcap, caps, usize(slots) << 2);
          return done(true);
        } else {
          break;
        }
      }
    }
    if (anchorBoth || program.anchoredStart || start >= length) return done(false);
    start += decode(base, length, start) & 3;
  }
}

// Ends a search: lets a job stack grown past KEEP_JOBS go.
function done(found: bool): bool {
  if (jobs.length > KEEP_JOBS) jobs = new StaticArray<i32>(64);
  return found;
}

// Doubles the job stack, keeping its jobs.
function grow(): void {
  const bigger = new StaticArray<i32>(jobs.length << 1);
  memory.copy(changetype<usize>(bigger), changetype<usize>(jobs), usize(jobs.length) << 2);
  jobs = bigger;
}
