// The telemetry filter's trace context: W3C Trace Context Level 1 traceparent and tracestate
// (https://www.w3.org/TR/trace-context-1/; cases also from the W3C test suite, w3c/trace-context
// test/test.py), B3 single and multi headers (openzipkin/b3-propagation README), and id generation.

import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { library } from "../crypto/support.js";

interface Trace {
  traceparent(value: string): string;
  traceparentRewritten(value: string): string;
  tracestate(value: string): boolean;
  b3(single: string, traceId: string, spanId: string, sampled: string, flags: string): string;
  generate(hexBytes: string, sampled: boolean): string;
  generateDescribed(hexBytes: string, sampled: boolean): string;
  spanId(hexBytes: string): string;
}

const lib = await library<Trace>("trace", "telemetry");

// The example ids of the W3C spec.
const TRACE = "4bf92f3577b34da6a3ce929d0e0e4736";
const SPAN = "00f067aa0ba902b7";
const ZERO_TRACE = "0".repeat(32);
const ZERO_SPAN = "0".repeat(16);
const tp = (version: string, flags = "01", trace = TRACE, span = SPAN): string =>
  `${version}-${trace}-${span}-${flags}`;
const w3c = (flags: string, sampled: 0 | 1, trace = TRACE, span = SPAN): string =>
  `${trace} ${span} ${flags} ${sampled} w3c`;

function expectTraceparents(cases: readonly (readonly [string, string])[]): void {
  for (const [value, expected] of cases) expect(lib.traceparent(value), JSON.stringify(value)).toBe(expected);
}

describe("traceparent (W3C Trace Context Level 1)", () => {
  it("refuses version ff and accepts other versions", () => {
    expectTraceparents([
      [tp("ff"), "invalid"],
      [tp("fe"), w3c("01", 1)],
      [tp("00"), w3c("01", 1)],
    ]);
  });

  it("requires a version 00 value to be exactly 55 characters", () => {
    expectTraceparents([
      [tp("00"), w3c("01", 1)],
      [tp("00") + "-", "invalid"],
      [tp("00") + "-extra", "invalid"],
      [tp("00", "1"), "invalid"],
      [tp("00", "001"), "invalid"],
      [tp("00").slice(0, 54), "invalid"],
      ["", "invalid"],
    ]);
  });

  it("reads a higher version by its 00 prefix and ignores the fields after it", () => {
    expectTraceparents([
      [tp("cc") + "-what-the-future-will-be-like", w3c("01", 1)],
      [tp("01") + "-", w3c("01", 1)],
      [tp("01"), w3c("01", 1)],
      [tp("cc").slice(0, 54), "invalid"],
    ]);
    expect(lib.traceparentRewritten(tp("cc", "09") + "-future")).toBe(tp("00", "01"));
  });

  it("refuses a higher version whose 56th character is not a dash", () => {
    expectTraceparents([
      [tp("cc") + ".what", "invalid"],
      [tp("cc", "010"), "invalid"],
      [tp("cc") + " -x", "invalid"],
      [tp("cc") + "-x", w3c("01", 1)],
    ]);
  });

  it("refuses uppercase hex in every field", () => {
    expectTraceparents([
      [tp("0A"), "invalid"],
      [tp("00", "01", TRACE.toUpperCase()), "invalid"],
      [tp("00", "01", TRACE, "00F067AA0BA902B7"), "invalid"],
      [tp("00", "0A"), "invalid"],
      [tp("00", "0a"), w3c("0a", 0)],
      [tp("0a"), w3c("01", 1)],
    ]);
  });

  it("refuses an all-zero trace-id", () => {
    expectTraceparents([
      [tp("00", "01", ZERO_TRACE), "invalid"],
      [tp("00", "01", ZERO_TRACE.slice(1) + "1"), w3c("01", 1, ZERO_TRACE.slice(1) + "1")],
    ]);
  });

  it("refuses an all-zero parent-id", () => {
    expectTraceparents([
      [tp("00", "01", TRACE, ZERO_SPAN), "invalid"],
      [tp("00", "01", TRACE, "1" + ZERO_SPAN.slice(1)), w3c("01", 1, TRACE, "1" + ZERO_SPAN.slice(1))],
    ]);
  });

  it("refuses characters that are not hex digits", () => {
    expectTraceparents([
      [tp("0g"), "invalid"],
      [tp("00", "01", "g" + TRACE.slice(1)), "invalid"],
      [tp("00", "01", TRACE, SPAN.slice(0, 15) + "z"), "invalid"],
      [tp("00", "0x"), "invalid"],
      [tp("00", "01", "é" + TRACE.slice(1)), "invalid"],
      [tp("00", "01", " " + TRACE.slice(1)), "invalid"],
      [tp("00", "01", "123456789012345678901234567890\u{1F600}"), "invalid"],
    ]);
  });

  it("requires each separator to be exactly one dash", () => {
    expectTraceparents([
      [`00_${TRACE}-${SPAN}-01`, "invalid"],
      [`00-${TRACE}_${SPAN}-01`, "invalid"],
      [`00-${TRACE}-${SPAN}_01`, "invalid"],
      [`00\u2013${TRACE}-${SPAN}-01`, "invalid"],
      [`00 - ${TRACE}-${SPAN}-01`, "invalid"],
      [`00--${TRACE}-${SPAN}-1`, "invalid"],
    ]);
  });

  it("keeps a version 00 flags byte as sent and reads only its lowest bit as sampled", () => {
    expectTraceparents([
      [tp("00", "00"), w3c("00", 0)],
      [tp("00", "01"), w3c("01", 1)],
      [tp("00", "08"), w3c("08", 0)],
      [tp("00", "09"), w3c("09", 1)],
      [tp("00", "ff"), w3c("ff", 1)],
      [tp("00", "fe"), w3c("fe", 0)],
    ]);
    expect(lib.traceparentRewritten(tp("00", "09"))).toBe(tp("00", "09"));
  });

  it("keeps only the sampled bit of a higher version's flags", () => {
    expectTraceparents([
      [tp("01", "09"), w3c("01", 1)],
      [tp("01", "08"), w3c("00", 0)],
    ]);
  });

  // test_traceparent_ows_handling sends leading and trailing spaces and tabs and expects acceptance.
  it("ignores spaces and tabs around the value but nothing else", () => {
    expectTraceparents([
      [" " + tp("00"), w3c("01", 1)],
      ["\t" + tp("00"), w3c("01", 1)],
      [tp("00") + " ", w3c("01", 1)],
      [tp("00") + "\t", w3c("01", 1)],
      [" \t " + tp("00") + "\t \t", w3c("01", 1)],
      ["\n" + tp("00"), "invalid"],
      [tp("00") + "\r", "invalid"],
      [tp("00") + "\u00a0", "invalid"],
    ]);
  });
});

const members = (count: number): string => Array.from({ length: count }, (_, i) => `k${i}=v${i}`).join(",");

function expectTracestates(cases: readonly (readonly [string, boolean])[]): void {
  for (const [value, expected] of cases) expect(lib.tracestate(value), JSON.stringify(value)).toBe(expected);
}

describe("tracestate (W3C Trace Context Level 1)", () => {
  it("accepts 32 members and refuses 33", () => {
    expectTracestates([
      [members(32), true],
      [members(33), false],
      [`${members(32)},,  ,`, true],
    ]);
  });

  it("accepts simple keys: a lowercase letter then up to 255 of a-z 0-9 _ - * /", () => {
    expectTracestates([
      ["a=1", true],
      ["a0_-*/z=1", true],
      [`${"a".repeat(256)}=1`, true],
      [`${"a".repeat(257)}=1`, false],
      ["0a=1", false],
      ["A=1", false],
      ["aB=1", false],
      ["_a=1", false],
      ["a.b=1", false],
      ["a b=1", false],
      ["=1", false],
      ["é=1", false],
    ]);
  });

  // test_tracestate_key_length_limit: 241-character tenant ids and 14-character system ids.
  it("accepts multi-tenant keys: tenant-id (up to 241) @ system-id (up to 14)", () => {
    expectTracestates([
      ["t@s=1", true],
      ["0t@s=1", true],
      ["9@s0_-*/=1", true],
      [`${"t".repeat(241)}@${"v".repeat(14)}=1`, true],
      [`${"t".repeat(242)}@v=1`, false],
      [`t@${"v".repeat(15)}=1`, false],
      ["@s=1", false],
      ["t@=1", false],
      ["t@0s=1", false],
      ["t@s@u=1", false],
      ["T@s=1", false],
      ["_t@s=1", false],
      ["t@S=1", false],
    ]);
  });

  it("accepts values of 1 to 256 characters", () => {
    expectTracestates([
      [`a=${"v".repeat(256)}`, true],
      [`a=${"v".repeat(257)}`, false],
      ["a=", false],
      ["a=v", true],
    ]);
  });

  // A trailing space is optional whitespace before the comma or the end, so it is never part of a value.
  it("treats trailing spaces as whitespace around the member and allows inner and leading spaces", () => {
    expectTracestates([
      ["a=b ", true],
      ["a=b \t,c=d", true],
      ["a=b c", true],
      ["a= b", true],
      ["a= ", false],
      ["a= ,c=d", false],
      ["a=b\u00a0", false],
    ]);
  });

  it("refuses values with `,`, `=`, control or non-ASCII characters", () => {
    expectTracestates([
      ["a=b=c", false],
      ["a==b", false],
      ["a=b,c", false],
      ["a=!\"#$%&'()*+-./:;<>?@[\\]^_`{|}~", true],
      ["a=b\u007f", false],
      ["a=b\u0019c", false],
      ["a=b\tc", false],
      ["a=ü", false],
    ]);
  });

  it("refuses duplicate keys", () => {
    expectTracestates([
      ["a=1,a=2", false],
      ["a=1, b=2 ,a=1", false],
      ["t@s=1,t@s=2", false],
      ["a=1,b=1", true],
      ["t@s=1,t@u=2,s=3", true],
    ]);
  });

  // test_tracestate_empty_header and test_tracestate_ows_handling.
  it("accepts empty members and whitespace around members", () => {
    expectTracestates([
      ["", true],
      [" ", true],
      [",", true],
      [" , \t,", true],
      ["a=1,,b=2", true],
      [",a=1,", true],
      ["foo=1 \t , \t bar=2, \t baz=3", true],
      ["foo=1,\t", true],
      ["a", false],
      ["a=1,b", false],
    ]);
  });
});

const b3 = (single: string, traceId = "", spanId = "", sampled = "", flags = ""): string =>
  lib.b3(single, traceId, spanId, sampled, flags);
const PADDED = `0000000000000000${TRACE.slice(16)}`;

describe("B3 propagation", () => {
  it("reads the single b3 header with and without sampling state and parent span id", () => {
    expect(b3(`${TRACE}-${SPAN}-1`)).toBe(`${TRACE} ${SPAN} 01 1 b3-single`);
    expect(b3(`${TRACE}-${SPAN}-0`)).toBe(`${TRACE} ${SPAN} 00 0 b3-single`);
    expect(b3(`${TRACE}-${SPAN}`)).toBe(`${TRACE} ${SPAN} 00 0 b3-single`);
    expect(b3(`${TRACE}-${SPAN}-1-05e3ac9a4f6e3b90`)).toBe(`${TRACE} ${SPAN} 01 1 b3-single`);
    expect(b3(` ${TRACE}-${SPAN}-1 `)).toBe(`${TRACE} ${SPAN} 01 1 b3-single`);
  });

  it("widens a 64-bit trace id to 128 bits with leading zeros", () => {
    expect(b3(`${TRACE.slice(16)}-${SPAN}-1`)).toBe(`${PADDED} ${SPAN} 01 1 b3-single`);
    expect(b3("", TRACE.slice(16), SPAN, "1")).toBe(`${PADDED} ${SPAN} 01 1 b3`);
  });

  it("treats the debug flag as sampled", () => {
    expect(b3(`${TRACE}-${SPAN}-d`)).toBe(`${TRACE} ${SPAN} 01 1 b3-single`);
    expect(b3("", TRACE, SPAN, "", "1")).toBe(`${TRACE} ${SPAN} 01 1 b3`);
    expect(b3("", TRACE, SPAN, "0", "1")).toBe(`${TRACE} ${SPAN} 01 1 b3`);
    expect(b3("", TRACE, SPAN, "0", "0")).toBe(`${TRACE} ${SPAN} 00 0 b3`);
  });

  it("gives no context for a b3 header with only a sampling state, even beside multi headers", () => {
    for (const state of ["0", "1", "d", " 0 "]) {
      expect(b3(state)).toBe("invalid");
      expect(b3(state, TRACE, SPAN, "1")).toBe("invalid");
    }
  });

  it("reads the multi headers, with true and false as legacy sampled values", () => {
    expect(b3("", TRACE, SPAN, "1")).toBe(`${TRACE} ${SPAN} 01 1 b3`);
    expect(b3("", TRACE, SPAN, "true")).toBe(`${TRACE} ${SPAN} 01 1 b3`);
    expect(b3("", TRACE, SPAN, "0")).toBe(`${TRACE} ${SPAN} 00 0 b3`);
    expect(b3("", TRACE, SPAN, "false")).toBe(`${TRACE} ${SPAN} 00 0 b3`);
    expect(b3("", TRACE, SPAN)).toBe(`${TRACE} ${SPAN} 00 0 b3`);
  });

  it("prefers a valid single header and falls back to the multi headers when it is invalid", () => {
    const other = "1".repeat(32);
    expect(b3(`${other}-${SPAN}-0`, TRACE, SPAN, "1")).toBe(`${other} ${SPAN} 00 0 b3-single`);
    expect(b3("garbage", TRACE, SPAN, "1")).toBe(`${TRACE} ${SPAN} 01 1 b3`);
    expect(b3(`${ZERO_TRACE}-${SPAN}-1`, TRACE, SPAN, "0")).toBe(`${TRACE} ${SPAN} 00 0 b3`);
  });

  it.each([
    ["all-zero trace id", `${ZERO_TRACE}-${SPAN}-1`],
    ["all-zero 64-bit trace id", `${ZERO_SPAN}-${SPAN}-1`],
    ["all-zero span id", `${TRACE}-${ZERO_SPAN}-1`],
    ["uppercase trace id", `${TRACE.toUpperCase()}-${SPAN}-1`],
    ["a 20-digit trace id", `${TRACE.slice(12)}-${SPAN}-1`],
    ["a 15-digit span id", `${TRACE}-${SPAN.slice(1)}-1`],
    ["an unknown sampling state", `${TRACE}-${SPAN}-2`],
    ["a two-character sampling state", `${TRACE}-${SPAN}-11`],
    ["an empty parent span id", `${TRACE}-${SPAN}-1-`],
    ["an all-zero parent span id", `${TRACE}-${SPAN}-1-${ZERO_SPAN}`],
    ["a short parent span id", `${TRACE}-${SPAN}-1-05e3ac9a4f6e3b9`],
    ["a fifth field", `${TRACE}-${SPAN}-1-05e3ac9a4f6e3b90-x`],
    ["a missing span id", `${TRACE}-`],
  ])("refuses a single header with %s", (_, single) => {
    expect(b3(single)).toBe("invalid");
  });

  it.each([
    ["all-zero trace id", ZERO_TRACE, SPAN],
    ["all-zero span id", TRACE, ZERO_SPAN],
    ["uppercase span id", TRACE, SPAN.toUpperCase()],
    ["a 24-digit trace id", TRACE.slice(8), SPAN],
    ["a 32-digit span id", TRACE, TRACE],
    ["a missing span id", TRACE, ""],
    ["a missing trace id", "", SPAN],
  ])("refuses multi headers with %s", (_, traceId, spanId) => {
    expect(b3("", traceId, spanId, "1")).toBe("invalid");
  });
});

describe("generated trace contexts", () => {
  const bytes = "0102030405060708090a0b0c0d0e0f10a1a2a3a4a5a6a7a8";

  it("formats 16 bytes as the trace id and 8 as the span id, flags 01 when sampled", () => {
    expect(lib.generate(bytes, true)).toBe("00-0102030405060708090a0b0c0d0e0f10-a1a2a3a4a5a6a7a8-01");
    expect(lib.generate(bytes, false)).toBe("00-0102030405060708090a0b0c0d0e0f10-a1a2a3a4a5a6a7a8-00");
    expect(lib.generateDescribed(bytes, false)).toBe(
      "0102030405060708090a0b0c0d0e0f10 a1a2a3a4a5a6a7a8 00 0 generated",
    );
  });

  it("sets the last byte of an all-zero id to 1", () => {
    const one = (digits: number): string => "0".repeat(digits - 1) + "1";
    expect(lib.generate("00".repeat(24), true)).toBe(`00-${one(32)}-${one(16)}-01`);
    expect(lib.generate("00".repeat(16) + "ff".repeat(8), true)).toBe(`00-${one(32)}-${"f".repeat(16)}-01`);
    expect(lib.generate("ff".repeat(16) + "00".repeat(8), false)).toBe(`00-${"f".repeat(32)}-${one(16)}-00`);
    expect(lib.generate("", true)).toBe(`00-${one(32)}-${one(16)}-01`);
    expect(lib.spanId("00".repeat(8))).toBe(one(16));
    expect(lib.spanId("0102030405060708")).toBe("0102030405060708");
    expect(lib.spanId("01")).toBe("0100000000000000");
  });

  it("makes contexts whose traceparent parses back to the same ids", () => {
    fc.assert(
      fc.property(fc.uint8Array({ minLength: 24, maxLength: 24 }), fc.boolean(), (random, sampled) => {
        const hex = Buffer.from(random).toString("hex");
        const value = lib.generate(hex, sampled);
        expect(lib.traceparentRewritten(value)).toBe(value);
        expect(lib.traceparent(value)).not.toBe("invalid");
      }),
    );
  });
});

// A second reading of the traceparent rules, as one regular expression, for differential testing.
function referenceTraceparent(value: string): string {
  const match = /^([0-9a-f]{2})-([0-9a-f]{32})-([0-9a-f]{16})-([0-9a-f]{2})(-.*)?$/s.exec(
    value.replace(/^[ \t]+|[ \t]+$/g, ""),
  );
  if (!match) return "invalid";
  const [, version, trace, span, flags, rest] = match as unknown as string[];
  if (version === "ff" || (version === "00" && rest !== undefined)) return "invalid";
  if (/^0+$/.test(trace!) || /^0+$/.test(span!)) return "invalid";
  const byte = version === "00" ? parseInt(flags!, 16) : parseInt(flags!, 16) & 1;
  return `${trace} ${span} ${byte.toString(16).padStart(2, "0")} ${byte & 1} w3c`;
}

describe("properties", () => {
  const hexOf = (length: number): fc.Arbitrary<string> =>
    fc.string({ unit: fc.constantFrom(..."0123456789abcdef"), minLength: length, maxLength: length });

  it("round-trips any valid version 00 traceparent", () => {
    fc.assert(
      fc.property(
        hexOf(32).filter((t) => !/^0+$/.test(t)),
        hexOf(16).filter((s) => !/^0+$/.test(s)),
        fc.integer({ min: 0, max: 255 }),
        (trace, span, flags) => {
          const flagsHex = flags.toString(16).padStart(2, "0");
          const value = `00-${trace}-${span}-${flagsHex}`;
          expect(lib.traceparent(value)).toBe(`${trace} ${span} ${flagsHex} ${flags & 1} w3c`);
          expect(lib.traceparentRewritten(value)).toBe(value);
        },
      ),
    );
  });

  it("agrees with a regular-expression reading on mutated traceparents", () => {
    const valid = fc.constantFrom(
      tp("00"),
      tp("00", "0a"),
      tp("cc", "09") + "-x",
      tp("01", "fe"),
      tp("ff"),
      `${tp("00")} `,
    );
    const alphabet = fc.constantFrom(..."0f aF-g\t\u00e9_", "");
    const mutated = fc
      .tuple(valid, fc.array(fc.tuple(fc.nat({ max: 60 }), alphabet), { maxLength: 3 }))
      .map(([value, edits]) => edits.reduce((text, [at, c]) => text.slice(0, at) + c + text.slice(at + 1), value));
    fc.assert(
      fc.property(mutated, (value) => {
        expect(lib.traceparent(value)).toBe(referenceTraceparent(value));
      }),
      { numRuns: 2000 },
    );
  });

  it("accepts any list of up to 32 well-formed members with distinct keys, and refuses a repeated key", () => {
    const key = fc.oneof(
      fc.stringMatching(/^[a-z][a-z0-9_\-*/]{0,20}$/),
      fc.stringMatching(/^[a-z0-9][a-z0-9_\-*/]{0,10}@[a-z][a-z0-9_\-*/]{0,13}$/),
    );
    const value = fc.stringMatching(/^[ -+\--<>-~]{0,30}[!-+\--<>-~]$/);
    const ows = fc.constantFrom("", " ", "\t", " \t ");
    fc.assert(
      fc.property(
        fc.uniqueArray(fc.tuple(key, value), { minLength: 1, maxLength: 32, selector: ([k]) => k }),
        ows,
        (list, space) => {
          const text = list.map(([k, v]) => `${k}=${v}`).join(`${space},${space}`);
          expect(lib.tracestate(text)).toBe(true);
          expect(lib.tracestate(`${text},${list[0]![0]}=x`)).toBe(false);
        },
      ),
    );
  });

  it("never throws on arbitrary strings", () => {
    const text = fc.oneof(fc.string({ unit: "binary", maxLength: 80 }), fc.string({ maxLength: 80 }));
    fc.assert(
      fc.property(text, text, text, (a, b, c) => {
        expect(typeof lib.traceparent(a)).toBe("string");
        expect(typeof lib.tracestate(a)).toBe("boolean");
        expect(typeof lib.b3(a, b, c, a, b)).toBe("string");
        expect(typeof lib.b3("", a, b, c, a)).toBe("string");
      }),
    );
  });
});
