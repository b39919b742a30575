// A code unit every match must contain (RE2's prefilter, in its simplest form): when the input
// from the search start lacks it, nothing can match and the VM never runs. This is what makes
// `(a*)*b` on a long run of "a" cost one scan.

import { Node, Op } from "./ast";

/** A BMP, non-surrogate code point every match of `node` contains, or -1 when there is none. */
export function requiredUnit(node: Node): i32 {
  switch (node.op) {
    case Op.Literal:
      return node.rune > 0xffff || (node.rune >= 0xd800 && node.rune <= 0xdfff) ? -1 : node.rune;
    case Op.Capture:
      return requiredUnit(node.subs[0]);
    case Op.Repeat:
      return node.min > 0 ? requiredUnit(node.subs[0]) : -1;
    case Op.Concat:
      for (let i = 0; i < node.subs.length; i++) {
        const unit = requiredUnit(node.subs[i]);
        if (unit >= 0) return unit;
      }
      return -1;
    case Op.Alternate: {
      const first = requiredUnit(node.subs[0]);
      for (let i = 1; i < node.subs.length && first >= 0; i++) {
        if (requiredUnit(node.subs[i]) != first) return -1;
      }
      return first;
    }
  }
  return -1;
}
