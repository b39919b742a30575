// Strict base64url (RFC 4648 section 5, as JOSE uses it: RFC 7515 section 2): the RFC test
// vectors, refusal of every non-canonical form, and round trips and garbage that never trap.

import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { library } from "./support.js";

interface Base64Url {
  decode(text: string): Uint8Array | null;
  decodeBytes(bytes: Uint8Array, start: number, end: number): Uint8Array | null;
  encode(data: Uint8Array): string;
}

const lib = await library<Base64Url>("base64url");
const text = (data: Uint8Array | null) => (data === null ? null : new TextDecoder().decode(data));
const ascii = (s: string) => new TextEncoder().encode(s);
const canonical = (s: string) => Buffer.from(Buffer.from(s, "base64url")).toString("base64url") === s;

describe("base64url", () => {
  // RFC 4648 section 10, without the padding JOSE forbids.
  const rfc: [string, string][] = [
    ["", ""],
    ["f", "Zg"],
    ["fo", "Zm8"],
    ["foo", "Zm9v"],
    ["foob", "Zm9vYg"],
    ["fooba", "Zm9vYmE"],
    ["foobar", "Zm9vYmFy"],
  ];

  it.each(rfc)("encodes and decodes the RFC 4648 section 10 vector %j", (plain, encoded) => {
    expect(lib.encode(ascii(plain))).toBe(encoded);
    expect(text(lib.decode(encoded))).toBe(plain);
    expect(text(lib.decodeBytes(ascii(`.${encoded}.`), 1, encoded.length + 1))).toBe(plain);
  });

  it("uses - and _ for 62 and 63 (the URL-safe alphabet)", () => {
    expect(lib.encode(new Uint8Array([0xfb, 0xff]))).toBe("-_8");
    expect([...lib.decode("-_8")!]).toEqual([0xfb, 0xff]);
  });

  it.each([
    ["padding", "Zg=="],
    ["a single pad", "Zm8="],
    ["the standard alphabet's +", "+_8"],
    ["the standard alphabet's /", "-/8"],
    ["whitespace", "Zm9v Yg"],
    ["a trailing newline", "Zm9v\n"],
    ["a length of 4n+1", "Zm9vY"],
    ["non-zero trailing bits after one byte", "Zh"],
    ["non-zero trailing bits after two bytes", "Zm9"],
    ["a non-ASCII character", "Zm9v\u00e9g"],
    ["a character beyond the BMP", "Zm\u{1f600}"],
    ["a NUL", "Zm\u0000v"],
  ])("rejects %s", (_, input) => {
    expect(lib.decode(input)).toBeNull();
    expect(lib.decodeBytes(ascii(input), 0, ascii(input).length)).toBeNull();
  });

  it("rejects ranges outside the byte array instead of reading past it", () => {
    const bytes = ascii("Zm9v");
    expect(lib.decodeBytes(bytes, 0, 5)).toBeNull();
    expect(lib.decodeBytes(bytes, -1, 3)).toBeNull();
    expect(lib.decodeBytes(bytes, 3, 2)).toBeNull();
  });

  it("round-trips random bytes and matches Node's encoder", () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 400 }), (data) => {
        const encoded = lib.encode(data);
        expect(encoded).toBe(Buffer.from(data).toString("base64url"));
        expect([...lib.decode(encoded)!]).toEqual([...data]);
      }),
      { numRuns: 500 },
    );
  });

  it("decodes exactly the canonical strings, as Node does, for random text without trapping", () => {
    const alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_+/= .\u00e9";
    fc.assert(
      fc.property(
        fc.oneof(fc.string({ unit: fc.constantFrom(...alphabet), maxLength: 40 }), fc.string({ unit: "binary" })),
        (input) => {
          const decoded = lib.decode(input);
          const strict = /^[A-Za-z0-9_-]*$/.test(input) && input.length % 4 !== 1 && canonical(input);
          expect(decoded !== null, JSON.stringify(input)).toBe(strict);
          if (decoded) expect(Buffer.from(decoded).toString("base64url")).toBe(input);
        },
      ),
      { numRuns: 2000 },
    );
  });

  it("never traps on random bytes and ranges", () => {
    fc.assert(
      fc.property(
        fc.uint8Array({ maxLength: 64 }),
        fc.integer({ min: -5, max: 70 }),
        fc.integer({ min: -5, max: 70 }),
        (b, s, e) => {
          const decoded = lib.decodeBytes(b, s, e);
          if (decoded)
            expect(Buffer.from(decoded).toString("base64url")).toBe(Buffer.from(b.subarray(s, e)).toString());
        },
      ),
      { numRuns: 1000 },
    );
  });
});
