// The alphabet of a program's DFA: code points split into classes that every instruction and
// every assertion treats alike (RE2's byte classes, over code points), so the DFA's transition
// table has one column per class, plus one for the end of the text.

import { Inst, Program } from "./program";

/** What an assertion needs to know of the code point on one side of a position. */
export const enum Category {
  /** The edge of the text (no code point). */
  Edge,
  /** `\n`. */
  Newline,
  /** An ASCII word character. */
  Word,
  /** Anything else. */
  Other,
}

/** The category of code point `c` (-1 at an edge). */
export function categoryOf(c: i32): Category {
  if (c < 0) return Category.Edge;
  if (c == 0x0a) return Category.Newline;
  const word = (c >= 0x61 && c <= 0x7a) || (c >= 0x41 && c <= 0x5a) || (c >= 0x30 && c <= 0x39) || c == 0x5f;
  return word ? Category.Word : Category.Other;
}

/** The code point classes of a program, with a direct table for ASCII. */
export class RuneClasses {
  /** The first code point of each class, ascending (the first is 0). */
  starts: StaticArray<i32> = new StaticArray<i32>(0);
  /** The class of each ASCII code point. */
  ascii: StaticArray<i32> = new StaticArray<i32>(128);
  /** Each class's Category, and last the end of the text's (Edge). */
  categories: StaticArray<i32> = new StaticArray<i32>(0);
  /** Whether the program has assertions, so that states must know the category before them. */
  hasEmpty: bool = false;

  constructor(program: Program) {
    let hasEmpty = false;
    const points: Array<i32> = [0];
    for (let pc = 0; pc < program.size; pc++) {
      const code = program.op[pc];
      const arg = program.arg[pc];
      if (code == Inst.Rune) {
        points.push(arg);
        points.push(arg + 1);
      } else if (code == Inst.Class) {
        const pairs = program.pool[arg];
        for (let i = 0; i < pairs; i++) {
          points.push(program.pool[arg + 1 + 2 * i]);
          points.push(program.pool[arg + 2 + 2 * i] + 1);
        }
      } else if (code == Inst.AnyNotNewline) {
        points.push(0x0a);
        points.push(0x0b);
      } else if (code == Inst.Empty) {
        hasEmpty = true;
      }
    }
    this.hasEmpty = hasEmpty;
    if (hasEmpty) {
      const edges: StaticArray<i32> = [0x0a, 0x0b, 0x30, 0x3a, 0x41, 0x5b, 0x5f, 0x60, 0x61, 0x7b];
      for (let i = 0; i < edges.length; i++) points.push(edges[i]);
    }
    points.sort();
    const unique: Array<i32> = [];
    for (let i = 0; i < points.length; i++) {
      const p = points[i];
      if (p <= 0x10ffff && (unique.length == 0 || unique[unique.length - 1] != p)) unique.push(p);
    }
    this.starts = StaticArray.fromArray(unique);
    this.categories = new StaticArray<i32>(unique.length + 1);
    for (let k = 0; k < unique.length; k++) this.categories[k] = hasEmpty ? categoryOf(unique[k]) : 0;
    let k = 0;
    for (let c = 0; c < 128; c++) {
      while (k + 1 < unique.length && unique[k + 1] <= c) k++;
      this.ascii[c] = k;
    }
  }

  /** The number of classes (the end of the text's column comes after them). */
  get count(): i32 {
    return this.starts.length;
  }

  /** The class of code point `c`. */
  classOf(c: i32): i32 {
    const starts = this.starts;
    let lo = 0;
    let hi = starts.length;
    while (hi - lo > 1) {
      const mid = (lo + hi) >>> 1;
      if (unchecked(starts[mid]) <= c) lo = mid;
      else hi = mid;
    }
    return lo;
  }
}
