// The engine against RE2 (re2js, a port of RE2 through Go's regexp): random patterns in the
// supported subset and random inputs give the same compile outcome, the same partial and full
// match, and the same group positions; and (?i) folds every code point with a case the way RE2 does.

import fc from "fast-check";
import { RE2JS } from "re2js";
import { describe, expect, it } from "vitest";
import {
  inputArbitrary,
  oracleExec,
  oracleExecFull,
  oracleReplaceAll,
  patternArbitrary,
  regexLibrary,
} from "./regex-support.js";

const lib = await regexLibrary();
const RUNS = 4000;

function oracle(pattern: string): RE2JS | null {
  try {
    return RE2JS.compile(pattern);
  } catch {
    return null;
  }
}

describe("regex against RE2 (re2js)", () => {
  it(`agrees on compiling, matching and groups for ${RUNS} random patterns and inputs`, () => {
    let compiled = 0;
    fc.assert(
      fc.property(patternArbitrary, fc.array(inputArbitrary, { minLength: 1, maxLength: 4 }), (pattern, inputs) => {
        const re2 = oracle(pattern);
        const error = lib.compilePattern(pattern);
        expect(error === "", `${pattern}: ${error}`).toBe(re2 !== null);
        if (!re2) return;
        compiled++;
        for (const input of inputs) {
          const where = `${pattern} on ${JSON.stringify(input)}`;
          const partial = oracleExec(re2, input);
          expect(lib.test(input), where).toBe(partial !== null);
          expect(lib.exec(input, 0) && Array.from(lib.exec(input, 0)!), where).toEqual(partial);
          const full = oracleExecFull(re2, input);
          expect(lib.fullMatch(input), where).toBe(full !== null);
          expect(lib.execFull(input) && Array.from(lib.execFull(input)!), where).toEqual(full);
        }
      }),
      { numRuns: RUNS },
    );
    console.log(`regex differential: ${RUNS} patterns (${compiled} compiled by both), up to 4 inputs each`);
    expect(compiled).toBeGreaterThan(RUNS / 2);
  });

  it("agrees on searches that start inside the input (context before the start counts)", () => {
    fc.assert(
      fc.property(patternArbitrary, inputArbitrary, fc.nat(10), (pattern, input, from) => {
        const re2 = oracle(pattern);
        if (!re2 || lib.compilePattern(pattern) !== "") return;
        const start = Math.min(from, input.length);
        const got = lib.exec(input, start);
        expect(got && Array.from(got), `${pattern} on ${JSON.stringify(input)} from ${start}`).toEqual(
          oracleExec(re2, input, start),
        );
      }),
      { numRuns: 1000 },
    );
  });

  it("agrees with RE2's GlobalReplace on random patterns, inputs and rewrites", () => {
    const template = fc.constantFrom("", "x", "<\\0>", "\\1", "[\\1|\\0]", "\\\\", "é\\0");
    fc.assert(
      fc.property(patternArbitrary, inputArbitrary, template, (pattern, input, rewrite) => {
        const re2 = oracle(pattern);
        if (!re2 || lib.compilePattern(pattern) !== "") return;
        const got = lib.replace(input, rewrite, true);
        if (rewrite.includes("\\1") && lib.groupCount() < 1) {
          expect(got).toMatch(/^error:rewrite requests group 1, but the pattern only has 0 groups/);
          return;
        }
        expect(got, `${pattern} on ${JSON.stringify(input)} with ${rewrite}`).toBe(
          "ok:" + oracleReplaceAll(re2, input, rewrite),
        );
      }),
      { numRuns: 1000 },
    );
  });

  it("folds case like RE2 for every code point that has another case", () => {
    let checked = 0;
    for (let c = 0; c <= 0x1ffff; c++) {
      if (c >= 0xd800 && c <= 0xdfff) continue;
      const s = String.fromCodePoint(c);
      const others = new Set([s.toLowerCase(), s.toUpperCase()].filter((o) => o !== s && [...o].length === 1));
      if (others.size === 0) continue;
      const pattern = `(?i)\\x{${c.toString(16)}}`;
      const re2 = RE2JS.compile(pattern);
      expect(lib.compilePattern(pattern)).toBe("");
      for (const other of [s, ...others]) {
        expect(lib.fullMatch(other), `${pattern} on U+${other.codePointAt(0)!.toString(16)}`).toBe(re2.matches(other));
        checked++;
      }
    }
    expect(checked).toBeGreaterThan(2500);
  });
});
