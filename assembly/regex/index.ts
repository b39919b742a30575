// A regular expression engine with RE2's syntax and semantics (the subset Envoy configurations
// use): compile once, then find each match in time linear in the input. A lazy DFA answers
// whether the pattern matches; the groups come from a backtracker that never visits a state twice
// when the input is short, and from the Pike VM otherwise. Inputs are AssemblyScript strings
// matched code point by code point (UTF-8 semantics, as RE2 sees the same text in UTF-8); every
// position this API returns is a UTF-16 offset into the input string.

import { StringBuilder } from "../string-builder";
import { compile, MAX_INSTRUCTIONS } from "./compiler";
import { Dfa } from "./dfa";
import { parse } from "./parser";
import { Anchor, Machine } from "./pike-vm";
import { Program } from "./program";
import { compileRewrite, Rewrite, RewriteResult } from "./rewrite";

export { Rewrite, RewriteResult } from "./rewrite";

/** The outcome of Regex.compile: the regex, or an error naming the offending text and position. */
export class RegexCompileResult {
  constructor(
    /** The compiled regex, or null when `error` is set. */
    public regex: Regex | null,
    /** "" when the pattern compiled; otherwise RE2's reason, the text and its position. */
    public error: string,
  ) {}
}

/** One match: the span of the whole match (group 0) and of each capturing group. */
export class RegexMatch {
  constructor(
    /** The string that was searched. */
    public input: string,
    private slots: StaticArray<i32>,
  ) {}

  /** The number of capturing groups of the pattern (group 0 not counted). */
  get groupCount(): i32 {
    return (this.slots.length >> 1) - 1;
  }

  /** Where group `group` starts (UTF-16 offset), or -1 when it did not take part or does not exist. */
  start(group: i32 = 0): i32 {
    return group < 0 || group > this.groupCount ? -1 : this.slots[2 * group];
  }

  /** Where group `group` ends (UTF-16 offset, exclusive), or -1 when it did not take part. */
  end(group: i32 = 0): i32 {
    return group < 0 || group > this.groupCount ? -1 : this.slots[2 * group + 1];
  }

  /** The text of group `group`, or null when it did not take part or does not exist. */
  group(group: i32 = 0): string | null {
    const start = this.start(group);
    return start < 0 ? null : this.input.substring(start, this.end(group));
  }
}

/** A compiled RE2 pattern; create it with Regex.compile, at configure time. */
export class Regex {
  private machine: Machine;
  private dfa: Dfa;

  /** Use Regex.compile; this wraps an already compiled program. */
  constructor(
    /** The pattern as written. */
    public pattern: string,
    private program: Program,
    private names: Array<string>,
  ) {
    this.machine = new Machine(program);
    this.dfa = new Dfa(program);
  }

  /** Compiles an RE2 pattern; the error names RE2's reason and the UTF-16 position in the pattern. */
  static compile(pattern: string): RegexCompileResult {
    const parsed = parse(pattern);
    if (parsed.error.length > 0) return new RegexCompileResult(null, parsed.error);
    const program = compile(parsed.root, parsed.names.length);
    if (program == null) {
      const limit = MAX_INSTRUCTIONS.toString();
      return new RegexCompileResult(null, "expression too large: more than " + limit + " instructions");
    }
    return new RegexCompileResult(new Regex(pattern, program, parsed.names), "");
  }

  /** The number of capturing groups (named or not). */
  get groupCount(): i32 {
    return this.names.length - 1;
  }

  /** The index of the group named `name`, or -1 when there is none. */
  groupIndex(name: string): i32 {
    if (name.length == 0) return -1;
    return this.names.indexOf(name);
  }

  /** The name of group `index`, or "" when it is unnamed or does not exist. */
  groupName(index: i32): string {
    return index > 0 && index < this.names.length ? this.names[index] : "";
  }

  /** RE2 PartialMatch: true when the pattern matches somewhere in input. */
  test(input: string): bool {
    if (this.dfa.usable) return this.dfa.test(input, 0);
    return this.machine.run(input, 0, Anchor.None, false);
  }

  /** RE2 FullMatch: true when the pattern matches the whole input (Envoy's safe_regex matchers). */
  fullMatch(input: string): bool {
    if (this.dfa.usable) return this.dfa.full(input);
    return this.machine.run(input, 0, Anchor.Both, false);
  }

  /** The leftmost-first match at or after UTF-16 offset `from` with its groups, or null when none. */
  exec(input: string, from: i32 = 0): RegexMatch | null {
    if (from < 0 || !this.mayMatch(input, from) || !this.machine.run(input, from, Anchor.None, true)) return null;
    return new RegexMatch(input, this.copySlots());
  }

  /** The groups of a match of the whole input, or null when the whole input does not match. */
  execFull(input: string): RegexMatch | null {
    if ((this.dfa.usable && !this.dfa.full(input)) || !this.machine.run(input, 0, Anchor.Both, true)) return null;
    return new RegexMatch(input, this.copySlots());
  }

  /** Checks and compiles an RE2 rewrite string (`\0`..`\9`, `\\`) against this pattern's groups. */
  compileRewrite(template: string): RewriteResult {
    return compileRewrite(template, this.groupCount);
  }

  /** RE2::Replace: `input` with its first match rewritten (unchanged when nothing matches). */
  replaceFirst(input: string, rewrite: Rewrite): string {
    if (!this.mayMatch(input, 0) || !this.machine.run(input, 0, Anchor.None, true)) return input;
    const slots = this.machine.matchcap;
    const out = new StringBuilder(input.length + 16);
    out.slice(input, 0, slots[0]);
    rewrite.appendTo(out, input, slots);
    out.slice(input, slots[1], input.length);
    return out.toString();
  }

  /**
   * RE2::GlobalReplace: every non-overlapping match rewritten, left to right; an empty match
   * right after the previous match is skipped by copying one code point, as RE2 does.
   */
  replaceAll(input: string, rewrite: Rewrite): string {
    if (!this.mayMatch(input, 0)) return input;
    const out = new StringBuilder(input.length + 16);
    return this.appendEveryMatch(out, input, rewrite) == 0 ? input : out.toString();
  }

  /** Appends `input` to `out` with every match rewritten, as replaceAll; returns the number of matches rewritten. */
  appendReplacedAll(out: StringBuilder, input: string, rewrite: Rewrite): i32 {
    if (this.mayMatch(input, 0)) return this.appendEveryMatch(out, input, rewrite);
    out.text(input);
    return 0;
  }

  private appendEveryMatch(out: StringBuilder, input: string, rewrite: Rewrite): i32 {
    const length = input.length;
    let p = 0;
    let lastEnd = -1;
    let count = 0;
    while (p <= length && this.machine.run(input, p, Anchor.None, true)) {
      const slots = this.machine.matchcap;
      const start = slots[0];
      const end = slots[1];
      out.slice(input, p, start);
      if (start == lastEnd && start == end) {
        if (p < length) {
          const width = input.codePointAt(p) > 0xffff ? 2 : 1;
          out.slice(input, p, p + width);
          p += width;
        } else {
          p++;
        }
        continue;
      }
      rewrite.appendTo(out, input, slots);
      p = end;
      lastEnd = end;
      count++;
    }
    out.slice(input, p, length);
    return count;
  }

  // The DFA's quick answer before the groups are computed: false only when nothing matches from `from` on.
  private mayMatch(input: string, from: i32): bool {
    return !this.dfa.usable || this.dfa.test(input, from);
  }

  private copySlots(): StaticArray<i32> {
    const slots = new StaticArray<i32>(this.program.slots);
    for (let i = 0; i < slots.length; i++) slots[i] = this.machine.matchcap[i];
    return slots;
  }
}
