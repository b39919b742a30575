// Header bytes and harness strings: valid UTF-8 reads as text, any other byte survives a round
// trip through the escape (raw bytes a guest writes reach the next hop unchanged, as in Envoy).

import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { headerBytes, headerText } from "../../harness/index.js";

describe("header text", () => {
  it("reads valid UTF-8 as the same text a UTF-8 decoder gives", () => {
    fc.assert(
      fc.property(fc.string({ unit: "grapheme" }), (text) => {
        const bytes = new TextEncoder().encode(text);
        expect(headerText(bytes)).toBe(text);
        expect(headerBytes(text)).toEqual(bytes);
      }),
    );
  });

  it("escapes each byte that is not valid UTF-8 as U+DC80 + byte - 0x80", () => {
    expect(headerText(Uint8Array.of(0x61, 0xff, 0x62))).toBe("a\udcffb");
    expect(headerText(Uint8Array.of(0xc3))).toBe("\udcc3");
    expect(headerText(Uint8Array.of(0xed, 0xa0, 0x80))).toBe("\udced\udca0\udc80");
    expect(headerText(Uint8Array.of(0xc0, 0xaf))).toBe("\udcc0\udcaf");
  });

  it("gives back exactly the bytes it read, whatever they are", () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 64 }), (bytes) => {
        expect(headerBytes(headerText(bytes))).toEqual(bytes);
      }),
    );
  });
});
