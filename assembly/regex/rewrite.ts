// RE2's rewrite strings for Replace and GlobalReplace: `\0` is the whole match, `\1`..`\9` a
// group (one digit: `\12` is group 1 then "2"), `\\` a backslash; any other backslash is an error
// found when the rewrite is compiled, never while rewriting a request.

import { StringBuilder } from "../string-builder";

/** A checked rewrite string, split into literal text and group references. */
export class Rewrite {
  /** Literal pieces; the piece at i is used when `groups[i]` is -1. */
  literals: Array<string> = [];
  /** The group each piece refers to, or -1 for a literal piece. */
  groups: Array<i32> = [];

  /** Appends the rewrite of one match (group slots in `slots`, offsets into `input`) to `out`. */
  appendTo(out: StringBuilder, input: string, slots: StaticArray<i32>): void {
    for (let i = 0; i < this.groups.length; i++) {
      const group = this.groups[i];
      if (group < 0) out.text(this.literals[i]);
      else if (slots[2 * group] >= 0) out.slice(input, slots[2 * group], slots[2 * group + 1]);
    }
  }
}

/** A compiled rewrite, or the reason it is invalid for the pattern (RE2::CheckRewriteString). */
export class RewriteResult {
  constructor(
    /** The rewrite, or null when `error` is set. */
    public rewrite: Rewrite | null,
    /** "" when the rewrite is valid; otherwise what is wrong and at which position. */
    public error: string,
  ) {}
}

/** Compiles `template` for a pattern with `groupCount` capturing groups. */
export function compileRewrite(template: string, groupCount: i32): RewriteResult {
  const rewrite = new Rewrite();
  let literal = "";
  let i = 0;
  while (i < template.length) {
    const c = template.charCodeAt(i);
    if (c != 0x5c) {
      const next = template.indexOf("\\", i);
      const end = next < 0 ? template.length : next;
      literal += template.substring(i, end);
      i = end;
      continue;
    }
    if (i + 1 >= template.length) {
      return new RewriteResult(null, "rewrite error: '\\' not allowed at end, at position " + i.toString());
    }
    const d = template.charCodeAt(i + 1);
    if (d == 0x5c) {
      literal += "\\";
    } else if (d >= 0x30 && d <= 0x39) {
      const group = d - 0x30;
      if (group > groupCount) {
        const message = "rewrite requests group " + group.toString() + ", but the pattern only has ";
        return new RewriteResult(null, message + groupCount.toString() + " groups, at position " + i.toString());
      }
      if (literal.length > 0) {
        rewrite.literals.push(literal);
        rewrite.groups.push(-1);
        literal = "";
      }
      rewrite.literals.push("");
      rewrite.groups.push(group);
    } else {
      const message = "rewrite error: '\\' must be followed by a digit or '\\', at position ";
      return new RewriteResult(null, message + i.toString());
    }
    i += 2;
  }
  if (literal.length > 0) {
    rewrite.literals.push(literal);
    rewrite.groups.push(-1);
  }
  return new RewriteResult(rewrite, "");
}
