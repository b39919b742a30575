// The parsed form of a pattern, close to RE2's Regexp: one node per operator, with case folding
// already applied to literals and classes, so the compiler never sees flags other than greed.

/** What a node matches. */
export const enum Op {
  /** Matches nothing (an empty class). */
  NoMatch,
  /** Matches the empty string. */
  Empty,
  /** One code point, `rune`. */
  Literal,
  /** One code point in `ranges`. */
  Class,
  /** Any code point. */
  AnyChar,
  /** Any code point but `\n`. */
  AnyNotNewline,
  /** An empty-width assertion; `assertion` holds its EmptyFlag. */
  Assert,
  /** Group `cap` around `subs[0]`. */
  Capture,
  /** `subs` in sequence. */
  Concat,
  /** The first of `subs` that matches, in order. */
  Alternate,
  /** `subs[0]` repeated `min` to `max` times (`max` -1: unbounded). */
  Repeat,
}

/** Empty-width conditions, as bits of the context between two code points. */
export const enum EmptyFlag {
  BeginLine = 1,
  EndLine = 2,
  BeginText = 4,
  EndText = 8,
  WordBoundary = 16,
  NoWordBoundary = 32,
}

/** One node of a parsed pattern. */
export class Node {
  /** The code point of a Literal. */
  rune: i32 = 0;
  /** The sorted [lo, hi] pairs of a Class. */
  ranges: Array<i32> = [];
  /** The operands of Capture, Concat, Alternate and Repeat. */
  subs: Array<Node> = [];
  /** The fewest repetitions of a Repeat. */
  min: i32 = 0;
  /** The most repetitions of a Repeat, -1 for unbounded. */
  max: i32 = 0;
  /** Whether a Repeat prefers more repetitions. */
  greedy: bool = true;
  /** The group index of a Capture. */
  cap: i32 = 0;
  /** The EmptyFlag an Assert requires. */
  assertion: i32 = 0;

  constructor(
    /** What the node matches. */
    public op: Op,
  ) {}

  /** A node with one child. */
  static wrap(op: Op, sub: Node): Node {
    const node = new Node(op);
    node.subs.push(sub);
    return node;
  }
}
