// RE2 syntax to nodes, by recursive descent. Errors follow RE2's messages (Go's spelling) and
// name the offending text and its position; constructs RE2 rejects (backreferences, lookaround,
// possessive or nested repetition, counts over 1000) are errors, never silently literal.

import { EmptyFlag, Node, Op } from "./ast";
import { appendRange, normalize } from "./char-class";
import { Cursor } from "./cursor";
import { parseClass, parsePerlClass, rejectUnicodeClass } from "./parse-class";
import { parseEscape } from "./parse-escape";

const FOLD = 1;
const MULTILINE = 2;
const DOT_NEWLINE = 4;
const UNGREEDY = 8;

// RE2's bound on repetition counts, and on the product of nested counts.
const MAX_REPEAT: i32 = 1000;
// Deeper nesting is rejected (RE2 allows 1000) so that parsing and compiling stay within the Wasm stack.
const MAX_DEPTH = 100;

/** A parsed pattern: its root node and capture groups, or the first error. */
export class ParseResult {
  /** The parsed pattern (meaningless when `error` is set). */
  root: Node = new Node(Op.Empty);
  /** "" when the pattern parsed; otherwise RE2's reason, the text and its position. */
  error: string = "";
  /** Group names by index; index 0 (the whole match) and unnamed groups have "". */
  names: Array<string> = [""];
}

/** Parses `pattern` with RE2's default (Perl-like) flags. */
export function parse(pattern: string): ParseResult {
  const parser = new Parser(new Cursor(pattern));
  const result = new ParseResult();
  result.root = parser.alternation();
  if (!parser.cursor.failed() && parser.cursor.more()) {
    parser.cursor.fail("unexpected )", parser.cursor.pos, parser.cursor.pos + 1);
  }
  result.error = parser.cursor.error;
  result.names = parser.names;
  return result;
}

function repeatIsValid(node: Node, limit: i32): bool {
  if (node.op == Op.Repeat) {
    const count = node.max < 0 ? node.min : node.max;
    if (count == 0) return true;
    if (count > limit) return false;
    limit /= count;
  }
  for (let i = 0; i < node.subs.length; i++) if (!repeatIsValid(node.subs[i], limit)) return false;
  return true;
}

function isCaptureName(name: string): bool {
  if (name.length == 0) return false;
  for (let i = 0; i < name.length; i++) {
    const c = name.charCodeAt(i);
    const alnum = (c >= 0x30 && c <= 0x39) || (c >= 0x41 && c <= 0x5a) || (c >= 0x61 && c <= 0x7a);
    if (!alnum && c != 0x5f) return false;
  }
  return true;
}

function assertNode(flag: i32): Node {
  const node = new Node(Op.Assert);
  node.assertion = flag;
  return node;
}

class Parser {
  flags: i32 = 0;
  names: Array<string> = [""];
  depth: i32 = 0;

  constructor(public cursor: Cursor) {}

  alternation(): Node {
    const first = this.concat();
    if (this.cursor.peek() != 0x7c) return first;
    const node = Node.wrap(Op.Alternate, first);
    while (!this.cursor.failed() && this.cursor.peek() == 0x7c) {
      this.cursor.pos++;
      node.subs.push(this.concat());
    }
    return node;
  }

  concat(): Node {
    const cursor = this.cursor;
    const items: Array<Node> = [];
    let lastRepeat = -1;
    while (cursor.more() && !cursor.failed()) {
      const c = cursor.peek();
      if (c == 0x7c || c == 0x29) break;
      const start = cursor.pos;
      if (c == 0x2a || c == 0x2b || c == 0x3f) {
        cursor.pos++;
        this.repeat(items, c == 0x2b ? 1 : 0, c == 0x3f ? 1 : -1, start, lastRepeat);
        lastRepeat = start;
        continue;
      }
      if (c == 0x7b) {
        const counts = this.counts();
        if (cursor.failed()) break;
        if (counts >= 0) {
          this.repeat(items, counts >> 16, (counts << 16) >> 16, start, lastRepeat);
          lastRepeat = start;
          continue;
        }
      }
      lastRepeat = -1;
      if (cursor.lookingAt("\\Q")) {
        this.quoted(items);
        continue;
      }
      const atom = this.atom();
      if (atom != null) items.push(atom);
    }
    if (items.length == 1) return items[0];
    if (items.length == 0) return new Node(Op.Empty);
    const node = new Node(Op.Concat);
    node.subs = items;
    return node;
  }

  // `{n}`, `{n,}` or `{n,m}` at the cursor: (min << 16) | (max & 0xffff), max -1 for unbounded; -1
  // (cursor unmoved) when the text is not a count, so that "{" is a literal.
  counts(): i32 {
    const cursor = this.cursor;
    const start = cursor.pos;
    cursor.pos++;
    const low = this.integer();
    let high = low;
    if (low != -1 && cursor.lookingAt(",")) {
      cursor.pos++;
      high = cursor.lookingAt("}") ? -3 : this.integer();
    }
    if (low == -1 || high == -1 || !cursor.lookingAt("}")) {
      cursor.pos = start;
      return -1;
    }
    cursor.pos++;
    const max = high == -3 ? -1 : high;
    if (low < 0 || low > MAX_REPEAT || high == -2 || max > MAX_REPEAT || (max >= 0 && low > max)) {
      cursor.fail("invalid repeat count", start, cursor.pos);
      return -1;
    }
    return (low << 16) | (max & 0xffff);
  }

  // Decimal digits without a leading zero: the value, -1 when absent or malformed, -2 when too long.
  integer(): i32 {
    const cursor = this.cursor;
    const start = cursor.pos;
    while (cursor.peek() >= 0x30 && cursor.peek() <= 0x39) cursor.pos++;
    const digits = cursor.pos - start;
    if (digits == 0 || (digits > 1 && cursor.pattern.charCodeAt(start) == 0x30)) return -1;
    if (digits > 8) return -2;
    return I32.parseInt(cursor.pattern.substring(start, cursor.pos));
  }

  repeat(items: Array<Node>, min: i32, max: i32, start: i32, lastRepeat: i32): void {
    const cursor = this.cursor;
    let greedy = true;
    if (cursor.lookingAt("?")) {
      cursor.pos++;
      greedy = false;
    }
    if ((this.flags & UNGREEDY) != 0) greedy = !greedy;
    if (lastRepeat >= 0) {
      cursor.fail("invalid nested repetition operator", lastRepeat, cursor.pos);
      return;
    }
    if (items.length == 0) {
      cursor.fail("missing argument to repetition operator", start, cursor.pos);
      return;
    }
    const node = Node.wrap(Op.Repeat, items.pop());
    node.min = min;
    node.max = max;
    node.greedy = greedy;
    items.push(node);
    if ((min >= 2 || max >= 2) && !repeatIsValid(node, MAX_REPEAT)) {
      cursor.fail("invalid repeat count", start, cursor.pos);
    }
  }

  atom(): Node | null {
    const cursor = this.cursor;
    const c = cursor.peek();
    if (c == 0x28) return this.group();
    if (c == 0x5b) return this.classNode(parseClass(cursor, (this.flags & FOLD) != 0));
    if (c == 0x5c) return this.escape();
    cursor.pos++;
    const multiline = (this.flags & MULTILINE) != 0;
    if (c == 0x5e) return assertNode(multiline ? EmptyFlag.BeginLine : EmptyFlag.BeginText);
    if (c == 0x24) return assertNode(multiline ? EmptyFlag.EndLine : EmptyFlag.EndText);
    if (c == 0x2e) return new Node((this.flags & DOT_NEWLINE) != 0 ? Op.AnyChar : Op.AnyNotNewline);
    cursor.pos--;
    return this.literal(cursor.next());
  }

  literal(rune: i32): Node {
    if ((this.flags & FOLD) != 0) {
      const ranges: Array<i32> = [];
      appendRange(ranges, rune, rune, true);
      if (ranges.length > 2) return this.classNode(normalize(ranges));
    }
    const node = new Node(Op.Literal);
    node.rune = rune;
    return node;
  }

  classNode(ranges: Array<i32>): Node {
    const node = new Node(ranges.length == 0 ? Op.NoMatch : Op.Class);
    node.ranges = ranges;
    return node;
  }

  escape(): Node | null {
    const cursor = this.cursor;
    const start = cursor.pos;
    const letter = cursor.pos + 1 < cursor.pattern.length ? i32(cursor.pattern.charCodeAt(cursor.pos + 1)) : -1;
    if (letter == 0x41 || letter == 0x7a || letter == 0x62 || letter == 0x42) {
      cursor.pos += 2;
      if (letter == 0x41) return assertNode(EmptyFlag.BeginText);
      if (letter == 0x7a) return assertNode(EmptyFlag.EndText);
      return assertNode(letter == 0x62 ? EmptyFlag.WordBoundary : EmptyFlag.NoWordBoundary);
    }
    if (letter == 0x43) {
      cursor.fail("\\C (any byte) is not supported", start, start + 2);
      return null;
    }
    if (rejectUnicodeClass(cursor)) return null;
    const ranges: Array<i32> = [];
    if (parsePerlClass(cursor, ranges, (this.flags & FOLD) != 0)) return this.classNode(normalize(ranges));
    const rune = parseEscape(cursor);
    return rune < 0 ? null : this.literal(rune);
  }

  // `\Q...\E`: everything up to `\E` (or the end) is literal, one item per code point, so that a
  // repetition after `\E` applies to the last one only.
  quoted(items: Array<Node>): void {
    const cursor = this.cursor;
    cursor.pos += 2;
    const end = cursor.pattern.indexOf("\\E", cursor.pos);
    const stop = end < 0 ? cursor.pattern.length : end;
    while (cursor.pos < stop) items.push(this.literal(cursor.next()));
    cursor.pos = end < 0 ? stop : stop + 2;
  }

  group(): Node | null {
    const cursor = this.cursor;
    const start = cursor.pos;
    if (!cursor.lookingAt("(?")) {
      cursor.pos++;
      this.names.push("");
      return this.body(start, this.names.length - 1);
    }
    if (cursor.lookingAt("(?=") || cursor.lookingAt("(?!")) {
      cursor.fail("lookahead assertions are not supported", start, start + 3);
      return null;
    }
    if (cursor.lookingAt("(?<=") || cursor.lookingAt("(?<!")) {
      cursor.fail("lookbehind assertions are not supported", start, start + 4);
      return null;
    }
    if (cursor.lookingAt("(?P=") || cursor.lookingAt("(?P>")) {
      cursor.fail("backreferences are not supported", start, start + 4);
      return null;
    }
    if (cursor.lookingAt("(?P<") || cursor.lookingAt("(?<")) return this.namedGroup(start);
    return this.flagGroup(start);
  }

  namedGroup(start: i32): Node | null {
    const cursor = this.cursor;
    const begin = start + (cursor.lookingAt("(?P<") ? 4 : 3);
    const end = cursor.pattern.indexOf(">", begin);
    if (end < 0) {
      cursor.fail("invalid named capture", start, cursor.pattern.length);
      return null;
    }
    const name = cursor.pattern.substring(begin, end);
    if (!isCaptureName(name)) {
      cursor.fail("invalid named capture", start, end + 1);
      return null;
    }
    if (this.names.includes(name)) {
      cursor.fail("duplicate capture group name", start, end + 1);
      return null;
    }
    cursor.pos = end + 1;
    this.names.push(name);
    return this.body(start, this.names.length - 1);
  }

  // `(?flags)` sets flags until the enclosing group ends; `(?flags:re)` groups without capturing.
  flagGroup(start: i32): Node | null {
    const cursor = this.cursor;
    cursor.pos += 2;
    let flags = this.flags;
    let negated = false;
    let sawFlag = false;
    while (cursor.more()) {
      const c = cursor.next();
      let bit = 0;
      if (c == 0x69) bit = FOLD;
      else if (c == 0x6d) bit = MULTILINE;
      else if (c == 0x73) bit = DOT_NEWLINE;
      else if (c == 0x55) bit = UNGREEDY;
      if (bit != 0) {
        flags = negated ? flags & ~bit : flags | bit;
        sawFlag = true;
        continue;
      }
      if (c == 0x2d && !negated) {
        negated = true;
        sawFlag = false;
        continue;
      }
      if ((c == 0x3a || c == 0x29) && !(negated && !sawFlag)) {
        if (c == 0x29) {
          this.flags = flags;
          return null;
        }
        const saved = this.flags;
        this.flags = flags;
        const node = this.body(start, 0);
        this.flags = saved;
        return node;
      }
      break;
    }
    cursor.fail("invalid or unsupported Perl syntax", start, cursor.pos);
    return null;
  }

  // The rest of a group opened at `start`, through its `)`; `cap` 0 means non-capturing.
  body(start: i32, cap: i32): Node | null {
    const cursor = this.cursor;
    if (++this.depth > MAX_DEPTH) {
      cursor.fail("expression nests too deeply", start, cursor.pos);
      return null;
    }
    const saved = this.flags;
    const inner = this.alternation();
    this.flags = saved;
    this.depth--;
    if (cursor.failed()) return null;
    if (!cursor.lookingAt(")")) {
      cursor.fail("missing closing )", start, cursor.pos);
      return null;
    }
    cursor.pos++;
    if (cap == 0) return inner;
    const node = Node.wrap(Op.Capture, inner);
    node.cap = cap;
    return node;
  }
}
