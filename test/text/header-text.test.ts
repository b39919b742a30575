// Header text decoded through the SDK's cache of recent strings must read exactly as a fresh
// decoding, whatever came before it: ASCII repeats share one string object, and bytes that are not
// ASCII (valid UTF-8 or not) never match a kept string. Header.shared hands out one entry for the
// very same strings only.

import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { library } from "../crypto/support.js";

interface HeaderTextLib {
  decodeHeaderText(bytes: Uint8Array): string;
  decodeFresh(bytes: Uint8Array): string;
  decodesToOneObject(bytes: Uint8Array): boolean;
  sharesEntries(name: string, value: string): boolean;
}

const lib = await library<HeaderTextLib>("header-text", "text");

const bytes = (...values: number[]) => Uint8Array.from(values);
const ascii = (text: string) => Uint8Array.from(text, (c) => c.charCodeAt(0));

// Pieces header text is made of: ASCII, valid UTF-8 of every length, and bytes that are not UTF-8.
const piece = fc.oneof(
  fc.constantFrom("a", "x-", "1", ":", " ", "~").map(ascii),
  fc.constantFrom([0xc3, 0xa9], [0xe2, 0x82, 0xac], [0xf0, 0x9f, 0x98, 0x80]).map((b) => bytes(...b)),
  fc.constantFrom([0xe9], [0x80], [0xff], [0xc3], [0xef, 0xbf, 0xbd]).map((b) => bytes(...b)),
);
const text = fc.array(piece, { maxLength: 24 }).map((parts) => Uint8Array.from(parts.flatMap((p) => [...p])));
const long = fc.integer({ min: 1000, max: 1100 }).map((n) => ascii("t".repeat(n - 1) + "!"));

describe("header text through the cache of recent strings", () => {
  it("reads every text of a sequence exactly as a fresh decoding, repeats and near misses included", () => {
    fc.assert(
      fc.property(
        fc.array(fc.oneof({ weight: 8, arbitrary: text }, { weight: 1, arbitrary: long }), { maxLength: 40 }),
        (sequence) => {
          const twice = [...sequence, ...sequence.slice().reverse()];
          for (const item of twice) expect(lib.decodeHeaderText(item)).toBe(lib.decodeFresh(item));
        },
      ),
      { numRuns: 300 },
    );
  });

  it("does not take bytes that are not UTF-8 for a kept character with the same code", () => {
    expect(lib.decodeHeaderText(bytes(0xc3, 0xa9))).toBe("é");
    expect(lib.decodeHeaderText(bytes(0xe9))).toBe(lib.decodeFresh(bytes(0xe9)));
    expect(lib.decodeHeaderText(bytes(0xe9))).not.toBe("é");
    expect(lib.decodeHeaderText(bytes(0x61, 0xe9))).toBe(lib.decodeFresh(bytes(0x61, 0xe9)));
  });

  it("gives one string object for repeated ASCII text up to 1024 bytes, and empty text as empty", () => {
    expect(lib.decodesToOneObject(ascii("x-tenant"))).toBe(true);
    expect(lib.decodesToOneObject(ascii("b".repeat(1024)))).toBe(true);
    expect(lib.decodesToOneObject(ascii("b".repeat(1025)))).toBe(false);
    expect(lib.decodesToOneObject(bytes(0xc3, 0xa9))).toBe(false);
    expect(lib.decodeHeaderText(bytes())).toBe("");
  });

  it("shares a header entry only for the very same name and value strings", () => {
    expect(lib.sharesEntries("x-tenant", "acme")).toBe(true);
    expect(lib.sharesEntries(":path", "/api/items?q=1")).toBe(true);
  });
});
