// Envoy's StringMatcher (ASCII ignore_case, regex as full match), Istio's path templates as
// Envoy's uri_template matcher applies them, and CIDR sets as Istio and Envoy read ipBlocks.

import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { library } from "../crypto/support.js";

interface Matchers {
  stringMatch(kind: number, value: string, ignoreCase: boolean, input: string): string;
  stringMatchAbsent(kind: number, value: string): boolean;
  pathTemplateMatch(template: string, path: string): string;
  isPathTemplate(template: string): boolean;
  cidrContains(ranges: string, address: string): string;
  indexScan(matchers: string, input: string, absent: boolean): string;
}

const lib = await library<Matchers>("matchers", "expr");
const [EXACT, PREFIX, SUFFIX, CONTAINS, REGEX] = [0, 1, 2, 3, 4];

describe("StringMatcher (Envoy)", () => {
  it.each([
    [EXACT, "Data", false, "Data", "true"],
    [EXACT, "Data", false, "data", "false"],
    [EXACT, "Data", true, "dATA", "true"],
    [EXACT, "", false, "", "true"],
    [PREFIX, "/api", false, "/api/v1", "true"],
    [PREFIX, "/API", true, "/api/v1", "true"],
    [PREFIX, "/api", false, "/ap", "false"],
    [SUFFIX, ".JSON", true, "/a.json", "true"],
    [SUFFIX, ".json", false, "/a.JSON", "false"],
    [CONTAINS, "Bot", true, "GoogleBOT/2.1", "true"],
    [CONTAINS, "bot", false, "GoogleBOT/2.1", "false"],
    [EXACT, "É", true, "é", "false"],
    [REGEX, "spiffe://.*/ns/default/.*", false, "spiffe://cluster.local/ns/default/sa/x", "true"],
    [REGEX, "abc", false, "xabcx", "false"],
    [REGEX, "abc", true, "ABC", "false"],
  ] as const)("kind %i %j (ignore_case %s) on %j is %s", (kind, value, ignoreCase, input, expected) => {
    expect(lib.stringMatch(kind, value, ignoreCase, input)).toBe(expected);
  });

  it("rejects empty prefix, suffix and contains values and invalid regexes", () => {
    for (const kind of [PREFIX, SUFFIX, CONTAINS]) {
      expect(lib.stringMatch(kind, "", false, "x")).toBe("error:prefix, suffix and contains values must not be empty");
    }
    expect(lib.stringMatch(REGEX, "a(?=b)", false, "x")).toBe(
      "error:invalid regex: lookahead assertions are not supported `(?=` at position 1",
    );
  });

  it("never matches an absent value", () => {
    expect(lib.stringMatchAbsent(EXACT, "")).toBe(false);
    expect(lib.stringMatchAbsent(REGEX, ".*")).toBe(false);
  });
});

describe("StringMatcherIndex", () => {
  type Spec = { kind: number; ignoreCase: boolean; value: string } | null;
  const encode = (specs: Spec[]) =>
    specs.map((m) => (m === null ? "-" : `${m.kind} ${m.ignoreCase ? 1 : 0} ${m.value}`)).join("\n");
  // What each matcher itself answers, and whether the index must decide it (case-sensitive exact
  // or prefix); the index has to agree with the matcher on every one it covers.
  const expected = (specs: Spec[], input: string) =>
    specs
      .map((m) => {
        if (m === null || m.ignoreCase || (m.kind !== EXACT && m.kind !== PREFIX)) return "-";
        return lib.stringMatch(m.kind, m.value, false, input) === "true" ? "y" : "n";
      })
      .join("");

  it("answers exact and prefix matchers as they do, nested prefixes and duplicates included", () => {
    const specs: Spec[] = [
      { kind: PREFIX, ignoreCase: false, value: "/api/" },
      { kind: PREFIX, ignoreCase: false, value: "/api/v1/" },
      { kind: EXACT, ignoreCase: false, value: "/api/v1/items" },
      { kind: PREFIX, ignoreCase: false, value: "/api/v1/" },
      { kind: PREFIX, ignoreCase: false, value: "/apiv" },
      { kind: EXACT, ignoreCase: false, value: "" },
      { kind: PREFIX, ignoreCase: true, value: "/API/" },
      { kind: SUFFIX, ignoreCase: false, value: "items" },
      null,
      { kind: REGEX, ignoreCase: false, value: "/api/.*" },
    ];
    for (const input of ["/api/v1/items", "/api/v1/items/7", "/api/v2", "/apiv", "/ap", "", "/b", "~"]) {
      expect(lib.indexScan(encode(specs), input, false), input).toBe(expected(specs, input));
    }
    expect(lib.indexScan(encode(specs), "/api/v1/items", false)).toBe("yyyynn----");
  });

  it("matches nothing it covers when the value is absent, and covers nothing in an empty list", () => {
    const specs: Spec[] = [
      { kind: EXACT, ignoreCase: false, value: "" },
      { kind: PREFIX, ignoreCase: false, value: "/" },
      { kind: CONTAINS, ignoreCase: false, value: "a" },
    ];
    expect(lib.indexScan(encode(specs), "", true)).toBe("nn-");
    expect(lib.indexScan("", "/x", false)).toBe("");
  });

  it("agrees with every covered matcher on random matcher lists and inputs", () => {
    const text = fc.string({ unit: fc.constantFrom("/", "a", "b", "é", "😀"), maxLength: 6 });
    const spec = fc.option(
      fc.record({ kind: fc.constantFrom(EXACT, PREFIX, SUFFIX), ignoreCase: fc.boolean(), value: text }),
      { nil: null },
    );
    fc.assert(
      fc.property(fc.array(spec, { maxLength: 40 }), text, (raw, input) => {
        // Envoy refuses empty prefixes and suffixes; those matchers never reach an index.
        const specs = raw.map((m) => (m !== null && m.kind !== EXACT && m.value === "" ? null : m));
        expect(lib.indexScan(encode(specs), input, false)).toBe(expected(specs, input));
      }),
      { numRuns: 500 },
    );
  });
});

describe("path templates (Istio {*} and {**}, Envoy uri_template)", () => {
  it.each([
    ["/foo/{*}", "/foo/bar", "true"],
    ["/foo/{*}", "/foo/bar/baz", "false"],
    ["/foo/{*}", "/foo/", "false"],
    ["/foo/{*}/baz", "/foo/bar/baz", "true"],
    ["/foo/{**}", "/foo/bar/baz/qux", "true"],
    ["/foo/{**}", "/foo/", "true"],
    ["/foo/{**}/", "/foo/bar/", "true"],
    ["/foo/{**}/", "/foo//", "true"],
    ["/foo/{**}/", "/foo/bar", "false"],
    ["/{*}/items/{**}", "/shop/items/a/b", "true"],
    ["/{*}/items/{**}", "/shop/items", "false"],
    ["/foo/{*}.txt", "/foo/a.txt", "true"],
    ["/foo/{*}.txt", "/foo/abtxt", "false"],
    ["/foo/{*}", "/foo/bar?x=1/2", "true"],
    ["/foo/{*}", "/foo/b%20r", "true"],
    ["/foo/{*}", "/foo/b r", "false"],
    ["/foo/{*}", "/foo/é", "false"],
  ])("%s on %s is %s", (template, path, expected) => {
    expect(lib.pathTemplateMatch(template, path)).toBe(expected);
  });

  it.each([
    ["foo/{*}", "error:a path template must start with '/' at position 0"],
    ["/foo/{**}/{*}", "error:{**} must be the last operator at position 10"],
    ["/foo/{**}/{**}", "error:{**} must be the last operator at position 10"],
    ["/foo/*", "error:'*' is only allowed in {*} and {**} at position 5"],
    ["/foo/{id}", "error:'{' is only allowed in {*} and {**} at position 5"],
    ["/foo}", "error:'}' is only allowed in {*} and {**} at position 4"],
    ["/foo//{*}", "error:'//' is not allowed in a path template at position 4"],
    ["/fo o/{*}", "error:' ' is not a path character at position 3"],
  ])("rejects %s", (template, error) => {
    expect(lib.pathTemplateMatch(template, "/foo/x")).toBe(error);
  });

  it("recognises a template only by its operators", () => {
    expect(lib.isPathTemplate("/foo/{*}")).toBe(true);
    expect(lib.isPathTemplate("/foo/{**}")).toBe(true);
    expect(lib.isPathTemplate("/foo/*")).toBe(false);
  });
});

describe("CIDR sets (Istio ipBlocks, Envoy CidrRange)", () => {
  it.each([
    ["10.0.0.0/8", "10.200.3.4", "true"],
    ["10.0.0.0/8", "11.0.0.1", "false"],
    ["10.0.0.1/8", "10.9.9.9", "true"],
    ["192.168.1.7", "192.168.1.7", "true"],
    ["192.168.1.7", "192.168.1.8", "false"],
    ["0.0.0.0/0", "8.8.8.8", "true"],
    ["0.0.0.0/0", "::1", "false"],
    ["2001:db8::/32", "2001:db8:1::5", "true"],
    ["2001:db8::/32", "2001:db9::5", "false"],
    ["::/0", "fe80::1", "true"],
    ["::1", "0:0:0:0:0:0:0:1", "true"],
    ["2001:db8::1/128", "2001:DB8::1", "true"],
    ["2001:db8:0:0:1::/80", "2001:db8::1:0:0:1", "true"],
    ["10.0.0.0/8", "::ffff:10.0.0.1", "false"],
    ["::ffff:10.0.0.0/104", "::ffff:10.1.2.3", "true"],
    ["::ffff:10.0.0.0/104", "10.1.2.3", "false"],
    ["10.0.0.0/8,2001:db8::/32", "2001:db8::1", "true"],
    ["10.0.0.0/8", "10.0.0.1:8080", "false"],
    ["10.0.0.0/8", "not an ip", "false"],
  ])("%s contains %s: %s", (ranges, address, expected) => {
    expect(lib.cidrContains(ranges, address)).toBe(expected);
  });

  it.each([
    ["10.0.0.0/33", 'error:invalid prefix length in "10.0.0.0/33"'],
    ["10.0.0.0/", 'error:invalid prefix length in "10.0.0.0/"'],
    ["10.0.0.0/08", 'error:invalid prefix length in "10.0.0.0/08"'],
    ["10.0.0.0/-1", 'error:invalid prefix length in "10.0.0.0/-1"'],
    ["::/129", 'error:invalid prefix length in "::/129"'],
    ["10.0.0.256/8", 'error:invalid IP address in "10.0.0.256/8"'],
    ["010.0.0.1", 'error:invalid IP address in "010.0.0.1"'],
    ["10.0.0", 'error:invalid IP address in "10.0.0"'],
    ["1:2:3:4:5:6:7:8:9", 'error:invalid IP address in "1:2:3:4:5:6:7:8:9"'],
    ["1::2::3", 'error:invalid IP address in "1::2::3"'],
    ["fe80::1%eth0", 'error:invalid IP address in "fe80::1%eth0"'],
    ["12345::", 'error:invalid IP address in "12345::"'],
    [":1::", 'error:invalid IP address in ":1::"'],
    ["", 'error:invalid IP address in ""'],
  ])("rejects %s", (range, error) => {
    expect(lib.cidrContains(range, "10.0.0.1")).toBe(error);
  });

  // `value` as address text: IPv4 dotted, IPv6 as eight hex groups.
  function addressText(value: bigint, bits: 32 | 128): string {
    const width = bits === 32 ? 8 : 16;
    const pieces = Array.from(
      { length: bits / width },
      (_, i) => (value >> BigInt(bits - width * (i + 1))) & ((1n << BigInt(width)) - 1n),
    );
    return bits === 32 ? pieces.join(".") : pieces.map((piece) => piece.toString(16)).join(":");
  }

  it.each([32, 128] as const)("agrees with masking by hand at every prefix length of %d-bit addresses", (bits) => {
    const all = (1n << BigInt(bits)) - 1n;
    const value = fc.bigInt({ min: 0n, max: all });
    fc.assert(
      fc.property(value, value, fc.integer({ min: 0, max: bits }), (range, probe, length) => {
        const mask = length === 0 ? 0n : (all >> BigInt(bits - length)) << BigInt(bits - length);
        const cidr = `${addressText(range, bits)}/${length}`;
        const inside = (range & mask) === (probe & mask);
        expect(lib.cidrContains(cidr, addressText(probe, bits))).toBe(String(inside));
        // The probe with the range's first `length` bits is always inside.
        expect(lib.cidrContains(cidr, addressText((range & mask) | (probe & ~mask & all), bits))).toBe("true");
      }),
    );
  });
});
