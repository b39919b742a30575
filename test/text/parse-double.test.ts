// Decimal text to double (the SDK's parseDouble, which the JSON parser and CEL use) must give the
// double JavaScript's Number() gives, the correctly rounded one, for short and long digit strings,
// every exponent range, subnormals, overflow and exact midpoints between doubles (ties to even).

import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { library } from "../crypto/support.js";

interface ParseLib {
  parseBits(text: string): string;
}

const lib = await library<ParseLib>("parse-double", "text");

const view = new DataView(new ArrayBuffer(8));
function bitsOf(value: number): string {
  view.setFloat64(0, value);
  return view.getBigUint64(0).toString(16).padStart(16, "0");
}
const expected = (text: string) => bitsOf(Number(text));

// The exact decimal expansion of the midpoint between finite double `value` >= 0 and the next one up.
function midpointText(value: number): string {
  view.setFloat64(0, value);
  const bits = view.getBigUint64(0);
  const field = Number((bits >> 52n) & 0x7ffn);
  const fraction = bits & ((1n << 52n) - 1n);
  const significand = field === 0 ? fraction : fraction | (1n << 52n);
  const exponent = (field === 0 ? -1074 : field - 1075) - 1;
  const doubled = 2n * significand + 1n;
  if (exponent >= 0) return (doubled << BigInt(exponent)).toString();
  // doubled / 2^k = doubled × 5^k / 10^k
  const k = BigInt(-exponent);
  const digits = (doubled * 5n ** k).toString().padStart(Number(k) + 1, "0");
  return `${digits.slice(0, digits.length - Number(k))}.${digits.slice(digits.length - Number(k))}`;
}

const finite = fc.double({ noNaN: true, noDefaultInfinity: true, min: 0 });

describe("parseDouble", () => {
  it.each([
    ["the exponent range AssemblyScript's parseFloat got wrong", "1.7827117744343173e+53"],
    ["17 digits, exponent 40", "1.7827117744343173e40"],
    ["the largest double", "1.7976931348623157e308"],
    ["just below the overflow midpoint", "1.7976931348623158e308"],
    ["past the overflow midpoint", "1.7976931348623159e308"],
    ["the smallest subnormal", "5e-324"],
    ["half the smallest subnormal rounds to zero", "2.4703282292062327e-324"],
    ["just over half the smallest subnormal", "2.4703282292062328e-324"],
    ["the smallest normal", "2.2250738585072014e-308"],
    ["2^53 + 1, a tie to even", "9007199254740993"],
    ["just past that tie", "9007199254740993.0000000001"],
    ["a fraction without leading digits", ".5"],
    ["a point without fraction digits", "5."],
    ["negative zero", "-0"],
    ["an explicit plus", "+1e+2"],
    ["far beyond the largest", "1e400"],
    ["far below the smallest", "1e-400"],
    ["30 digits", "123456789012345678901234567890"],
  ])("%s: %s", (_, text) => {
    expect(lib.parseBits(text)).toBe(expected(text));
  });

  it("rejects text that is not a decimal number", () => {
    for (const text of ["", ".", "-", "1e", "1e+", "1.2.3", "1x", "e5", "Infinity", " 1"]) {
      expect(lib.parseBits(text), text).toBe("nan");
    }
  });

  it("agrees with Number() on doubles written shortest, with 1 to 21 significant digits, and in fixed notation", () => {
    fc.assert(
      fc.property(finite, fc.integer({ min: 1, max: 21 }), (value, precision) => {
        for (const text of [String(value), value.toExponential(precision - 1), value.toPrecision(precision)]) {
          expect(lib.parseBits(text), text).toBe(expected(text));
        }
      }),
      { numRuns: 3000 },
    );
  });

  it("agrees with Number() on random digit strings of up to 1,000 digits with any exponent", () => {
    const digitString = fc.string({ unit: fc.constantFrom(..."0123456789"), minLength: 1, maxLength: 1000 });
    fc.assert(
      fc.property(digitString, fc.integer({ min: -1400, max: 400 }), (digits, exponent) => {
        const text = `${digits}e${exponent}`;
        expect(lib.parseBits(text), text).toBe(expected(text));
      }),
      { numRuns: 1500 },
    );
  });

  it("rounds exact midpoints between doubles to the even one, and a hair past them away from it", () => {
    fc.assert(
      fc.property(
        finite.filter((v) => v < Number.MAX_VALUE),
        (value) => {
          const midpoint = midpointText(value);
          expect(lib.parseBits(midpoint), midpoint).toBe(expected(midpoint));
          const past = `${midpoint}${midpoint.includes(".") ? "" : "."}0000001`;
          expect(lib.parseBits(past), past).toBe(expected(past));
        },
      ),
      { numRuns: 500 },
    );
  });
});
