// What the regex tests share: the engine's test entry (build/expr/regex.js), RE2's semantics on
// top of re2js (the oracle), and the generators of patterns and inputs in the supported subset.

import fc from "fast-check";
import { RE2JS } from "re2js";
import { expect } from "vitest";
import { library } from "../crypto/support.js";

/** The exports of test/expr/entries/regex.ts. */
export interface RegexLibrary {
  compilePattern(pattern: string): string;
  test(input: string): boolean;
  fullMatch(input: string): boolean;
  groupCount(): number;
  groupIndex(name: string): number;
  exec(input: string, from: number): Int32Array | null;
  execFull(input: string): Int32Array | null;
  replace(input: string, template: string, all: boolean): string;
  appendReplaced(input: string, template: string): string;
  keepInput(input: string): void;
  testKept(): boolean;
  fullMatchKept(): boolean;
  execKept(): number;
  setDfaBudget(bytes: number): void;
  dfaFlushes(): number;
  setBacktrackBits(bits: number): number;
}

/** Loads the engine. */
export function regexLibrary(): Promise<RegexLibrary> {
  return library<RegexLibrary>("regex", "expr");
}

/** Compiles `pattern` in the engine and throws with its error when it does not compile. */
export function compileOrThrow(lib: RegexLibrary, pattern: string): void {
  const error = lib.compilePattern(pattern);
  if (error !== "") throw new Error(`${pattern}: ${error}`);
}

/** re2js's groups of its current match, as flat [start, end] UTF-16 offsets (-1 when unset). */
function slots(matcher: ReturnType<RE2JS["matcher"]>): number[] {
  const out: number[] = [];
  for (let g = 0; g <= matcher.groupCount(); g++) out.push(matcher.start(g), matcher.end(g));
  return out;
}

/** re2js's compiled pattern, or null when RE2 rejects it. */
export function oracle(pattern: string): RE2JS | null {
  try {
    return RE2JS.compile(pattern);
  } catch {
    return null;
  }
}

/** Expects the engine's partial and full match of `input`, with their groups, to be re2js's (the pattern compiled in both). */
export function expectSameMatches(lib: RegexLibrary, re2: RE2JS, pattern: string, input: string): void {
  const where = `${pattern} on ${JSON.stringify(input)}`;
  const partial = oracleExec(re2, input);
  expect(lib.test(input), where).toBe(partial !== null);
  expect(lib.exec(input, 0) && Array.from(lib.exec(input, 0)!), where).toEqual(partial);
  const full = oracleExecFull(re2, input);
  expect(lib.fullMatch(input), where).toBe(full !== null);
  expect(lib.execFull(input) && Array.from(lib.execFull(input)!), where).toEqual(full);
}

/** Expects the engine's groups of a search from `from` (clamped to the input) to be re2js's; skips a pattern either rejects. */
export function expectExecFrom(lib: RegexLibrary, pattern: string, input: string, from: number): void {
  const re2 = oracle(pattern);
  if (!re2 || lib.compilePattern(pattern) !== "") return;
  const start = Math.min(from, input.length);
  const got = lib.exec(input, start);
  expect(got && Array.from(got), `${pattern} on ${JSON.stringify(input)} from ${start}`).toEqual(
    oracleExec(re2, input, start),
  );
}

/** RE2's leftmost-first partial match at or after `from` (whole text as context), or null. */
export function oracleExec(pattern: RE2JS, input: string, from = 0): number[] | null {
  const matcher = pattern.matcher(input);
  return matcher.find(from) ? slots(matcher) : null;
}

/** RE2's full match groups, or null. */
export function oracleExecFull(pattern: RE2JS, input: string): number[] | null {
  const matcher = pattern.matcher(input);
  return matcher.matches() ? slots(matcher) : null;
}

function rewriteOne(template: string, input: string, groups: number[]): string {
  return template.replace(/\\(\d|\\)/g, (_, ref: string) => {
    if (ref === "\\") return "\\";
    const g = Number(ref);
    return groups[2 * g]! >= 0 ? input.slice(groups[2 * g], groups[2 * g + 1]) : "";
  });
}

/**
 * RE2::GlobalReplace (re2/re2.cc) over re2js matches: an empty match right after the previous
 * match is skipped by copying one code point. (re2js's own replaceAll follows Java instead.)
 */
export function oracleReplaceAll(pattern: RE2JS, input: string, template: string): string {
  let out = "";
  let p = 0;
  let lastEnd = -1;
  let count = 0;
  while (p <= input.length) {
    const groups = oracleExec(pattern, input, p);
    if (!groups) break;
    const [start, end] = groups as [number, number];
    if (p < start) out += input.slice(p, start);
    if (start === lastEnd && start === end) {
      const width = p < input.length && input.codePointAt(p)! > 0xffff ? 2 : 1;
      if (p < input.length) out += input.slice(p, p + width);
      p += width;
      continue;
    }
    out += rewriteOne(template, input, groups);
    p = end;
    lastEnd = end;
    count++;
  }
  if (count === 0) return input;
  return out + input.slice(p);
}

/** RE2::Replace over re2js: the first match rewritten. */
export function oracleReplaceFirst(pattern: RE2JS, input: string, template: string): string {
  const groups = oracleExec(pattern, input);
  if (!groups) return input;
  return input.slice(0, groups[0]) + rewriteOne(template, input, groups) + input.slice(groups[1]);
}

const ATOMS = [
  "a",
  "b",
  "c",
  "A",
  "é",
  "𝒳",
  "-",
  "\\.",
  "\\n",
  "\\x{e9}",
  "\\141",
  "\\Qa.\\E",
  ".",
  "\\d",
  "\\D",
  "\\w",
  "\\W",
  "\\s",
  "\\S",
  "[ab]",
  "[^a]",
  "[a-c]",
  "[^\\n]",
  "[é-ë]",
  "[[:alpha:]]",
  "[[:^digit:]]",
  "[\\d_]",
  "[]a]",
  "[a-]",
  "[K]",
  "^",
  "$",
  "\\b",
  "\\B",
  "\\A",
  "\\z",
  "",
];
const OPENERS = ["(", "(", "(?:", "(?P<g>", "(?<g>", "(?i:", "(?s:", "(?m:", "(?U:", "(?i-s:"];
const REPEATS = ["*", "+", "?", "{2}", "{1,3}", "{0,}", "{2,}", "{0,2}", "*?", "+?", "??", "{1,2}?", "{2,}?"];
const FLAGS = ["(?i)", "(?s)", "(?m)", "(?U)", "(?im)"];

// Numbers the "(?P<g>" and "(?<g>" openers so that group names are unique.
function nameGroups(pattern: string): string {
  let n = 0;
  return pattern.replace(/\(\?(P?)<g>/g, (_, p: string) => `(?${p}<g${n++}>`);
}

/** Random patterns in the supported subset of RE2 syntax. */
export const patternArbitrary: fc.Arbitrary<string> = fc
  .letrec<{ node: string; atom: string; group: string }>((tie) => ({
    node: fc.oneof(
      { depthSize: "small", withCrossShrink: true },
      tie("atom"),
      fc.array(tie("node"), { minLength: 2, maxLength: 4 }).map((a) => a.join("")),
      fc.array(tie("node"), { minLength: 2, maxLength: 3 }).map((a) => a.join("|")),
      tie("group"),
      fc.tuple(fc.oneof(tie("atom"), tie("group")), fc.constantFrom(...REPEATS)).map(([n, op]) => n + op),
      fc.tuple(fc.constantFrom(...FLAGS), tie("node")).map(([f, n]) => f + n),
    ),
    atom: fc.constantFrom(...ATOMS),
    group: fc.tuple(fc.constantFrom(...OPENERS), tie("node")).map(([open, n]) => `${open}${n})`),
  }))
  .node.map(nameGroups);

/** Random inputs over characters the patterns care about (case pairs, newline, astral, word/non-word). */
export const inputArbitrary: fc.Arbitrary<string> = fc
  .array(fc.constantFrom("a", "b", "c", "A", "B", "é", "É", "𝒳", "\n", " ", "1", "_", "-", ".", "K", "k", "\u212a"), {
    maxLength: 10,
  })
  .map((a) => a.join(""));
