// Nodes to a Program, as Go's regexp/syntax compiles (and RE2 before it): Thompson fragments
// joined by patch lists, counted repetition expanded into copies, `x*` of a nullable `x` compiled
// as `(x+)?` so that empty iterations cannot win over longer ones.

import { Node, Op } from "./ast";
import { MAX_RUNE } from "./char-class";
import { Inst, Program } from "./program";
import { requiredUnit } from "./required";

/** The largest program accepted, in instructions; larger patterns are "expression too large". */
export const MAX_INSTRUCTIONS: i32 = 32768;

// A compiled piece: its entry and the list of its dangling exits (slots encoded (pc << 1) | 1 for
// `arg`, (pc << 1) for `out`, linked through the slots themselves).
class Frag {
  constructor(
    public start: i32,
    public head: i32,
    public tail: i32,
    public nullable: bool,
  ) {}
}

/** A compiled program, or null when the pattern compiles to more than MAX_INSTRUCTIONS. */
export function compile(root: Node, groups: i32): Program | null {
  const compiler = new Compiler();
  const body = compiler.node(root);
  const match = compiler.single(Inst.Match, 0);
  compiler.patch(body.head, match.start);
  if (compiler.tooLarge) return null;
  const start = body.start == 0 ? match.start : body.start;
  const program = new Program(compiler.op, compiler.out, compiler.arg, compiler.pool, start, 2 * groups);
  if (body.start == 0) program.op[match.start] = Inst.Fail;
  program.requiredUnit = requiredUnit(root);
  return program;
}

function isKind(node: Node, min: i32, max: i32, greedy: bool): bool {
  return node.op == Op.Repeat && node.min == min && node.max == max && node.greedy == greedy;
}

class Compiler {
  op: Array<i32> = [Inst.Fail];
  out: Array<i32> = [0];
  arg: Array<i32> = [0];
  pool: Array<i32> = [];
  tooLarge: bool = false;

  single(code: i32, argument: i32): Frag {
    if (this.op.length >= MAX_INSTRUCTIONS) {
      this.tooLarge = true;
      return new Frag(0, 0, 0, false);
    }
    const pc = this.op.length;
    this.op.push(code);
    this.out.push(0);
    this.arg.push(argument);
    const consumes = code == Inst.Rune || code == Inst.Class || code == Inst.Any || code == Inst.AnyNotNewline;
    return new Frag(pc, pc << 1, pc << 1, !consumes);
  }

  patch(list: i32, target: i32): void {
    while (list != 0) {
      const pc = list >> 1;
      let next: i32;
      if ((list & 1) == 0) {
        next = this.out[pc];
        this.out[pc] = target;
      } else {
        next = this.arg[pc];
        this.arg[pc] = target;
      }
      list = next;
    }
  }

  // Joins exit list (head1, tail1) and (head2, tail2) into `into`.
  append(into: Frag, head1: i32, tail1: i32, head2: i32, tail2: i32): Frag {
    if (head1 == 0) {
      into.head = head2;
      into.tail = tail2;
    } else if (head2 == 0) {
      into.head = head1;
      into.tail = tail1;
    } else {
      const pc = tail1 >> 1;
      if ((tail1 & 1) == 0) this.out[pc] = head2;
      else this.arg[pc] = head2;
      into.head = head1;
      into.tail = tail2;
    }
    return into;
  }

  fail(): Frag {
    return new Frag(0, 0, 0, false);
  }

  cat(a: Frag, b: Frag): Frag {
    if (a.start == 0 || b.start == 0) return this.fail();
    this.patch(a.head, b.start);
    return new Frag(a.start, b.head, b.tail, a.nullable && b.nullable);
  }

  alt(a: Frag, b: Frag): Frag {
    if (a.start == 0) return b;
    if (b.start == 0) return a;
    const split = this.single(Inst.Split, 0);
    if (split.start == 0) return split;
    this.out[split.start] = a.start;
    this.arg[split.start] = b.start;
    split.nullable = a.nullable || b.nullable;
    return this.append(split, a.head, a.tail, b.head, b.tail);
  }

  // A split whose preferred branch is `body` (the other when lazy); its free exit is returned.
  split(body: Frag, greedy: bool): Frag {
    const split = this.single(Inst.Split, 0);
    if (split.start == 0) return split;
    const pc = split.start;
    if (greedy) {
      this.out[pc] = body.start;
      split.head = split.tail = (pc << 1) | 1;
    } else {
      this.arg[pc] = body.start;
      split.head = split.tail = pc << 1;
    }
    return split;
  }

  loop(body: Frag, greedy: bool): Frag {
    const split = this.split(body, greedy);
    if (split.start != 0) this.patch(body.head, split.start);
    return split;
  }

  quest(body: Frag, greedy: bool): Frag {
    if (body.start == 0) return this.single(Inst.Nop, 0);
    const split = this.split(body, greedy);
    if (split.start == 0) return split;
    return this.append(split, split.head, split.tail, body.head, body.tail);
  }

  star(body: Frag, greedy: bool): Frag {
    if (body.start == 0) return this.single(Inst.Nop, 0);
    if (body.nullable) return this.quest(this.plus(body, greedy), greedy);
    return this.loop(body, greedy);
  }

  plus(body: Frag, greedy: bool): Frag {
    if (body.start == 0) return body;
    const loop = this.loop(body, greedy);
    return new Frag(body.start, loop.head, loop.tail, body.nullable);
  }

  node(node: Node): Frag {
    if (this.tooLarge) return this.fail();
    switch (node.op) {
      case Op.NoMatch:
        return this.fail();
      case Op.Empty:
        return this.single(Inst.Nop, 0);
      case Op.Literal:
        return this.single(Inst.Rune, node.rune);
      case Op.Class:
        return this.charClass(node.ranges);
      case Op.AnyChar:
        return this.single(Inst.Any, 0);
      case Op.AnyNotNewline:
        return this.single(Inst.AnyNotNewline, 0);
      case Op.Assert:
        return this.single(Inst.Empty, node.assertion);
      case Op.Capture: {
        const open = this.single(Inst.Save, 2 * node.cap);
        const inner = this.cat(open, this.node(node.subs[0]));
        return this.cat(inner, this.single(Inst.Save, 2 * node.cap + 1));
      }
      case Op.Concat: {
        if (node.subs.length == 0) return this.single(Inst.Nop, 0);
        let frag = this.node(node.subs[0]);
        for (let i = 1; i < node.subs.length; i++) frag = this.cat(frag, this.node(node.subs[i]));
        return frag;
      }
      case Op.Alternate: {
        let frag = this.node(node.subs[0]);
        for (let i = 1; i < node.subs.length; i++) frag = this.alt(frag, this.node(node.subs[i]));
        return frag;
      }
    }
    return this.repeat(node);
  }

  charClass(ranges: Array<i32>): Frag {
    if (ranges.length == 2 && ranges[0] == 0 && ranges[1] == MAX_RUNE) return this.single(Inst.Any, 0);
    const notNewline = ranges.length == 4 && ranges[0] == 0 && ranges[1] == 9 && ranges[2] == 11;
    if (notNewline && ranges[3] == MAX_RUNE) return this.single(Inst.AnyNotNewline, 0);
    if (ranges.length == 2 && ranges[0] == ranges[1]) return this.single(Inst.Rune, ranges[0]);
    const offset = this.pool.length;
    this.pool.push(ranges.length >> 1);
    for (let i = 0; i < ranges.length; i++) this.pool.push(ranges[i]);
    return this.single(Inst.Class, offset);
  }

  // `x*`, `x+`, `x?` of a sub-node (with Go's simplifications: `(?:x*)*` is `x*`).
  unary(sub: Node, min: i32, max: i32, greedy: bool): Frag {
    if (sub.op == Op.Empty) return this.single(Inst.Nop, 0);
    if (isKind(sub, min, max, greedy)) return this.node(sub);
    const body = this.node(sub);
    if (max == 1) return this.quest(body, greedy);
    return min == 0 ? this.star(body, greedy) : this.plus(body, greedy);
  }

  repeat(node: Node): Frag {
    const sub = node.subs[0];
    const min = node.min;
    const max = node.max;
    const greedy = node.greedy;
    if ((min == 0 && (max == -1 || max == 1)) || (min == 1 && max == -1)) return this.unary(sub, min, max, greedy);
    if (max == 0) return this.single(Inst.Nop, 0);
    if (min == 1 && max == 1) return this.node(sub);
    if (max == -1) {
      let frag = this.node(sub);
      for (let i = 1; i < min - 1; i++) frag = this.cat(frag, this.node(sub));
      return this.cat(frag, this.unary(sub, 1, -1, greedy));
    }
    let suffix: Frag | null = null;
    if (max > min) {
      suffix = this.unary(sub, 0, 1, greedy);
      for (let i = min + 1; i < max; i++) suffix = this.quest(this.cat(this.node(sub), suffix), greedy);
    }
    let frag: Frag | null = null;
    for (let i = 0; i < min; i++) frag = frag == null ? this.node(sub) : this.cat(frag, this.node(sub));
    if (frag == null) return suffix!;
    return suffix == null ? frag : this.cat(frag, suffix);
  }
}
