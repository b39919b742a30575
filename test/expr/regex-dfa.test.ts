// The lazy DFA that answers test, fullMatch and the pre-check before exec, against RE2 (re2js):
// long inputs that build many states, a memory budget so small that the state cache is flushed
// in the middle of searches, a budget too small for any DFA (the backtracker or the Pike VM
// answers alone, and the two agree from every offset of any UTF-16 text), the literal scan at
// every alignment, and the pathological patterns on 100 KB.

import fc from "fast-check";
import { RE2JS } from "re2js";
import { afterEach, describe, expect, it } from "vitest";
import {
  expectExecFrom,
  expectSameMatches,
  inputArbitrary,
  oracle,
  oracleExec,
  patternArbitrary,
  regexLibrary,
} from "./regex-support.js";

const lib = await regexLibrary();
const DEFAULT_BUDGET = 1 << 18;

// Long inputs: random pieces repeated, so that a search crosses many states and comes back to them.
const longInput = fc
  .tuple(fc.array(inputArbitrary, { minLength: 1, maxLength: 6 }), fc.integer({ min: 1, max: 60 }))
  .map(([pieces, times]) => Array.from({ length: times }, (_, i) => pieces[i % pieces.length]).join(""));

// Any UTF-16 text, lone surrogates and both halves of an astral character included.
const anyText = fc
  .array(fc.constantFrom("a", "b", "A", "\n", " ", "_", "1", "é", "𝒳", "\ud835", "\udcb3", "K", "\u212a", "-"), {
    maxLength: 14,
  })
  .map((units) => units.join(""));

function agree(pattern: string, inputs: string[]): boolean {
  const re2 = oracle(pattern);
  if (!re2 || lib.compilePattern(pattern) !== "") return false;
  for (const input of inputs) expectSameMatches(lib, re2, pattern, input);
  return true;
}

afterEach(() => lib.setDfaBudget(DEFAULT_BUDGET));

describe("regex DFA against RE2 (re2js)", () => {
  it("agrees on matching and groups for random patterns on long inputs", () => {
    fc.assert(
      fc.property(patternArbitrary, fc.array(longInput, { minLength: 1, maxLength: 3 }), (pattern, inputs) => {
        agree(pattern, inputs);
      }),
      { numRuns: 1500 },
    );
  });

  it("agrees when the state cache is flushed in the middle of searches", () => {
    lib.setDfaBudget(1024);
    const before = lib.dfaFlushes();
    fc.assert(
      fc.property(patternArbitrary, fc.array(longInput, { minLength: 1, maxLength: 3 }), (pattern, inputs) => {
        agree(pattern, inputs);
      }),
      { numRuns: 1500 },
    );
    console.log(`regex DFA: ${lib.dfaFlushes() - before} cache flushes with a 1 KiB budget`);
    expect(lib.dfaFlushes()).toBeGreaterThan(before);
  });

  it("agrees on searches from inside the input with a tiny state cache", () => {
    lib.setDfaBudget(1024);
    fc.assert(
      fc.property(patternArbitrary, longInput, fc.nat(200), (pattern, input, from) =>
        expectExecFrom(lib, pattern, input, from),
      ),
      { numRuns: 1000 },
    );
  });

  it("leaves matching to the backtracker and the Pike VM when the budget cannot hold a DFA, with the same answers", () => {
    lib.setDfaBudget(0);
    const before = lib.dfaFlushes();
    let compiled = 0;
    fc.assert(
      fc.property(patternArbitrary, fc.array(longInput, { minLength: 1, maxLength: 2 }), (pattern, inputs) => {
        if (agree(pattern, inputs)) compiled++;
      }),
      { numRuns: 300 },
    );
    expect(compiled).toBeGreaterThan(150);
    expect(lib.dfaFlushes()).toBe(before);
  });

  it("gives the same groups from the backtracker as from the Pike VM with no DFA, from every offset of any UTF-16 text", () => {
    lib.setDfaBudget(0);
    const limit = lib.setBacktrackBits(0);
    // Every search of `input` the engine offers: from each offset in `froms`, of the whole input, and a global replace.
    const answers = (input: string, froms: number[]): unknown[] => [
      ...froms.map((from) => lib.exec(input, from)).map((match) => match && Array.from(match)),
      lib.execFull(input) && Array.from(lib.execFull(input)!),
      lib.replace(input, "<\\0>", true),
    ];
    try {
      fc.assert(
        fc.property(patternArbitrary, anyText, fc.integer({ min: 2, max: 30 }), (pattern, unit, times) => {
          if (lib.compilePattern(pattern) !== "") return;
          const long = unit.repeat(times);
          for (const [input, froms] of [
            [unit, Array.from({ length: unit.length + 1 }, (_, from) => from)],
            [long, [0, 1, long.length >> 1, long.length]],
          ] as const) {
            lib.setBacktrackBits(limit);
            const backtracked = answers(input, [...froms]);
            lib.setBacktrackBits(0);
            expect(backtracked, `${pattern} on ${JSON.stringify(input)}`).toEqual(answers(input, [...froms]));
          }
        }),
        { numRuns: 1500 },
      );
    } finally {
      lib.setBacktrackBits(limit);
    }
  });

  it("finds a leading literal at every alignment of the scan, for ASCII, BMP and astral text", () => {
    for (const [pattern, needle] of [
      ["needle", "needle"],
      ["\u8061x", "\u8061x"],
      ["\uffffz", "\uffffz"],
      ["é+t", "éét"],
    ] as const) {
      const re2 = RE2JS.compile(pattern);
      expect(lib.compilePattern(pattern)).toBe("");
      for (let offset = 0; offset < 40; offset++) {
        for (const filler of ["x", "\u8060", "𝒳", "\u0161"]) {
          const input = filler.repeat(offset) + needle + filler.repeat(offset % 7);
          const where = `${pattern} in ${JSON.stringify(input)}`;
          expect(lib.test(input), where).toBe(true);
          expect(Array.from(lib.exec(input, 0)!), where).toEqual(oracleExec(re2, input));
          expect(lib.test(filler.repeat(offset) + needle.slice(0, -1)), where).toBe(false);
        }
      }
    }
  });

  it("answers the pathological patterns on 100 KB like RE2, with and without the required character", () => {
    for (const pattern of ["(a*)*b", "(a|aa)*c", "(?:a+)+$", "\\b(a|aa)*\\b\\z"]) {
      const re2 = RE2JS.compile(pattern);
      expect(lib.compilePattern(pattern)).toBe("");
      for (const input of [
        "a".repeat(100_000),
        "a".repeat(99_999) + "b",
        "a".repeat(99_999) + "c",
        "b" + "a".repeat(99_999),
      ]) {
        const where = `${pattern} on ${input.slice(0, 2)}…${input.slice(-2)}`;
        expect(lib.test(input), where).toBe(re2.matcher(input).find());
        expect(lib.fullMatch(input), where).toBe(re2.matches(input));
      }
    }
  });
});
