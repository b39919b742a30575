// asciiLowerCase: Envoy folds header names, typ values and case-insensitive paths with
// absl::AsciiStrToLower, so only A-Z change; checked by hand and against a reference fold.

import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { library } from "../crypto/support.js";

const lib = await library<{ lowerAscii(text: string): string }>("text", "text");

// The reference: String#replace over A-Z only.
const reference = (text: string) => text.replace(/[A-Z]/g, (c) => c.toLowerCase());

describe("asciiLowerCase", () => {
  it.each([
    ["", "same "],
    ["already-lower", "same already-lower"],
    ["Content-Type", "new content-type"],
    ["X-ÄÖÜ-ÉTÉ", "new x-ÄÖÜ-ÉtÉ"],
    ["İSTANBUL", "new İstanbul"],
    ["ΣΊΣΥΦΟΣ", "same ΣΊΣΥΦΟΣ"],
    ["@[`{Z", "new @[`{z"],
    ["A😀B", "new a😀b"],
  ])("%j -> %j", (input, expected) => {
    expect(lib.lowerAscii(input)).toBe(expected);
  });

  it("lowers exactly A-Z in any text, and returns its argument when nothing changes", () => {
    fc.assert(
      fc.property(fc.string({ unit: "binary" }), (text) => {
        const expected = reference(text);
        expect(lib.lowerAscii(text)).toBe((expected === text ? "same " : "new ") + expected);
      }),
      { numRuns: 500 },
    );
  });
});
