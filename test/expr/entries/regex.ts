// Test entry: the regex engine through plain functions. Captures come back as a flat array of
// UTF-16 offsets (start, end per group; -1 for a group that did not take part), or null.

import { Regex } from "../../../assembly/regex";
import { StringBuilder } from "../../../assembly/string-builder";
import { setBacktrackLimit } from "../../../assembly/regex/backtrack";
import { dfaCacheFlushes, setDfaMemoryBudget } from "../../../assembly/regex/dfa-cache";

let compiled: Regex | null = null;

/** Compiles `pattern` as the current regex; returns "" or the compile error. */
export function compilePattern(pattern: string): string {
  const result = Regex.compile(pattern);
  compiled = result.regex;
  return result.error;
}

function current(): Regex {
  const regex = compiled;
  if (regex == null) throw new Error("no pattern compiled");
  return regex;
}

/** Sets the DFA memory budget of the regexes compiled from now on. */
export function setDfaBudget(bytes: i32): void {
  setDfaMemoryBudget(bytes);
}

/** Sets the largest instructions × positions product the backtracker takes (0: the Pike VM finds every group); returns the one before. */
export function setBacktrackBits(bits: i32): i32 {
  return setBacktrackLimit(bits);
}

/** How many times a DFA cache has been flushed so far. */
export function dfaFlushes(): i32 {
  return dfaCacheFlushes();
}

export function test(input: string): bool {
  return current().test(input);
}

export function fullMatch(input: string): bool {
  return current().fullMatch(input);
}

export function groupCount(): i32 {
  return current().groupCount;
}

export function groupIndex(name: string): i32 {
  return current().groupIndex(name);
}

function flatten(regex: Regex, input: string, full: bool, from: i32): Int32Array | null {
  const match = full ? regex.execFull(input) : regex.exec(input, from);
  if (match == null) return null;
  const out = new Int32Array(2 * (match.groupCount + 1));
  for (let g = 0; g <= match.groupCount; g++) {
    out[2 * g] = match.start(g);
    out[2 * g + 1] = match.end(g);
  }
  return out;
}

export function exec(input: string, from: i32): Int32Array | null {
  return flatten(current(), input, false, from);
}

export function execFull(input: string): Int32Array | null {
  return flatten(current(), input, true, 0);
}

/** Rewrites with `template`; the result starts with "ok:" or, when the rewrite is invalid, "error:". */
export function replace(input: string, template: string, all: bool): string {
  const regex = current();
  const result = regex.compileRewrite(template);
  const rewrite = result.rewrite;
  if (rewrite == null) return "error:" + result.error;
  return "ok:" + (all ? regex.replaceAll(input, rewrite) : regex.replaceFirst(input, rewrite));
}

/** appendReplacedAll into a builder holding "<": what it then holds, ">", and the count it returned. */
export function appendReplaced(input: string, template: string): string {
  const rewrite = current().compileRewrite(template).rewrite;
  if (rewrite == null) return "error";
  const out = new StringBuilder(4);
  out.code(0x3c);
  const count = current().appendReplacedAll(out, input, rewrite);
  out.code(0x3e);
  return out.toString() + " " + count.toString();
}

let kept = "";

// For benchmarks: keeps an input inside the module, so that timing the *Kept functions measures
// matching as a filter runs it, without copying the input in.
export function keepInput(input: string): void {
  kept = input;
}

export function testKept(): bool {
  return current().test(kept);
}

export function fullMatchKept(): bool {
  return current().fullMatch(kept);
}

/** The end of the first match's last group in the kept input, or -2 when nothing matches. */
export function execKept(): i32 {
  const match = current().exec(kept);
  return match == null ? -2 : match.end(match.groupCount);
}
