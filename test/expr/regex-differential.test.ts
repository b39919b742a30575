// The engine against RE2 (re2js, a port of RE2 through Go's regexp): random patterns in the
// supported subset and random inputs give the same compile outcome, the same partial and full
// match, and the same group positions, whether the backtracker or the Pike VM finds the groups;
// and (?i) folds every code point with a case the way RE2 does.

import fc from "fast-check";
import { RE2JS } from "re2js";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  expectExecFrom,
  expectSameMatches,
  inputArbitrary,
  oracle,
  oracleExec,
  oracleExecFull,
  oracleReplaceAll,
  patternArbitrary,
  regexLibrary,
} from "./regex-support.js";

const lib = await regexLibrary();
const RUNS = 4000;

// Groups of short inputs come from the backtracker; a limit of 0 leaves them all to the Pike VM.
const ENGINES = [
  { name: "the backtracker", bits: lib.setBacktrackBits(0) },
  { name: "the Pike VM", bits: 0 },
];
lib.setBacktrackBits(ENGINES[0]!.bits);

for (const engine of ENGINES) {
  describe(`regex against RE2 (re2js), groups from ${engine.name}`, () => {
    beforeAll(() => lib.setBacktrackBits(engine.bits));
    afterAll(() => lib.setBacktrackBits(ENGINES[0]!.bits));

    it(`agrees on compiling, matching and groups for ${RUNS} random patterns and inputs`, () => {
      let compiled = 0;
      fc.assert(
        fc.property(patternArbitrary, fc.array(inputArbitrary, { minLength: 1, maxLength: 4 }), (pattern, inputs) => {
          const re2 = oracle(pattern);
          const error = lib.compilePattern(pattern);
          expect(error === "", `${pattern}: ${error}`).toBe(re2 !== null);
          if (!re2) return;
          compiled++;
          for (const input of inputs) expectSameMatches(lib, re2, pattern, input);
        }),
        { numRuns: RUNS },
      );
      console.log(`regex differential: ${RUNS} patterns (${compiled} compiled by both), up to 4 inputs each`);
      expect(compiled).toBeGreaterThan(RUNS / 2);
    });

    it("agrees on searches that start inside the input (context before the start counts)", () => {
      fc.assert(
        fc.property(patternArbitrary, inputArbitrary, fc.nat(10), (pattern, input, from) =>
          expectExecFrom(lib, pattern, input, from),
        ),
        { numRuns: 1000 },
      );
    });

    it("agrees on groups in inputs of up to 1,500 characters, on both sides of the backtracker's limit", () => {
      fc.assert(
        fc.property(patternArbitrary, inputArbitrary, fc.integer({ min: 20, max: 150 }), (pattern, unit, times) => {
          const re2 = oracle(pattern);
          if (!re2 || lib.compilePattern(pattern) !== "") return;
          const input = unit.repeat(times) + "b";
          const where = `${pattern} on ${JSON.stringify(unit)} x ${times} + "b"`;
          expect(lib.exec(input, 0) && Array.from(lib.exec(input, 0)!), where).toEqual(oracleExec(re2, input));
          expect(lib.execFull(input) && Array.from(lib.execFull(input)!), where).toEqual(oracleExecFull(re2, input));
        }),
        { numRuns: 300 },
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
          const expected = oracleReplaceAll(re2, input, rewrite);
          const where = `${pattern} on ${JSON.stringify(input)} with ${rewrite}`;
          expect(got, where).toBe("ok:" + expected);
          expect(lib.appendReplaced(input, rewrite).replace(/ \d+$/, ""), where).toBe(`<${expected}>`);
        }),
        { numRuns: 1000 },
      );
    });
  });
}

describe("regex against RE2 (re2js)", () => {
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
