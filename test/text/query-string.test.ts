// Query-parameter edits of a `:path` (QueryString): raw text of untouched parameters kept byte for
// byte, new names and values percent-encoded, decoding like Envoy's Utility::QueryParamsMulti (`+`
// stays `+`), checked with hand tables and against Node's URLSearchParams on the decoded views.

import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { library } from "../crypto/support.js";

interface QueryLib {
  decode(text: string): string;
  encode(text: string): string;
  queryEdit(path: string, ops: string): string;
  queryEditReused(before: string, path: string, ops: string): string;
  queryView(path: string, ops: string, name: string): string;
  queryResults(path: string, ops: string): string;
}

interface View {
  params: [string, string][];
  get: string | null;
  all: string[];
  has: boolean;
  path: string;
  hadQuery: boolean;
}

const lib = await library<QueryLib>("text", "text");

type Op = [op: string, name: string, value?: string];

/** The entry's op list: one op a line, fields percent-encoded and separated by spaces. */
function opList(ops: Op[]): string {
  return ops.map((fields) => fields.map((f, i) => (i === 0 ? f : encodeURIComponent(f ?? ""))).join(" ")).join("\n");
}

function view(path: string, ops: Op[], name: string): View {
  return JSON.parse(lib.queryView(path, opList(ops), name)) as View;
}

describe("editing a path's query", () => {
  it.each<[string, string, Op[], string]>([
    ["keeps an untouched path as written", "/p?b=%41&&a=1&flag&", [], "/p?b=%41&&a=1&flag&"],
    ["sets in place of the first and drops the rest", "/p?a=1&b=2&a=3", [["set", "a", "x"]], "/p?a=x&b=2"],
    ["appends a set name that is absent", "/p?b=2", [["set", "a", "x"]], "/p?b=2&a=x"],
    ["adds a duplicate at the end", "/p?a=1", [["add", "a", "2"]], "/p?a=1&a=2"],
    ["adds to a path without a query", "/p", [["add", "a", "1"]], "/p?a=1"],
    ["adds to an empty query", "/p?", [["add", "a", "1"]], "/p?a=1"],
    ["removes every occurrence", "/p?a=1&b=2&a=3", [["remove", "a"]], "/p?b=2"],
    ["leaves no ? when the last one is removed", "/p?a=1", [["remove", "a"]], "/p"],
    ["renames in place keeping raw values", "/p?x=1&a=%7E%41&a", [["rename", "a", "b c"]], "/p?x=1&b%20c=%7E%41&b%20c"],
    ["keeps = when a bare flag is renamed to the empty name", "/p?ab&c=1", [["rename", "ab", ""]], "/p?=&c=1"],
    ["keeps a bare flag without =", "/p?flag&a=1", [["set", "a", "2"]], "/p?flag&a=2"],
    ["writes an empty value with =", "/p?flag", [["set", "flag", ""]], "/p?flag="],
    ["matches names after decoding", "/p?a%62=1&ab=2", [["set", "ab", "3"]], "/p?ab=3"],
    ["does not decode + in names", "/p?a+b=1", [["remove", "a b"]], "/p?a+b=1"],
    ["drops empty pieces once something changed", "/p?a=1&&b=2&", [["add", "c", "3"]], "/p?a=1&b=2&c=3"],
    ["treats # as ordinary text", "/p?a=1#frag&b=2", [["set", "b", "#"]], "/p?a=1#frag&b=%23"],
    [
      "adds only when absent",
      "/p?a=1",
      [
        ["addIfAbsent", "a", "2"],
        ["addIfAbsent", "b", "3"],
      ],
      "/p?a=1&b=3",
    ],
    [
      "overwrites only when present",
      "/p?a=1",
      [
        ["overwriteIfExists", "b", "2"],
        ["overwriteIfExists", "a", "3"],
      ],
      "/p?a=3",
    ],
    ["keeps everything before the first ?", "/a/b;c?x=?y", [["add", "z", "?"]], "/a/b;c?x=?y&z=?"],
  ])("%s", (_, path, ops, expected) => {
    expect(lib.queryEdit(path, opList(ops))).toBe(expected);
  });

  it("encodes new names and values, leaving unreserved and query-safe characters", () => {
    expect(lib.queryEdit("/p", opList([["add", "k&=y", "a b+c&d=e#f%g/h?i:j@k!$'()*,;~._-"]]))).toBe(
      "/p?k%26%3Dy=a%20b%2Bc%26d%3De%23f%25g/h?i:j@k!$'()*,;~._-",
    );
    expect(lib.queryEdit("/p", opList([["add", "é", "€😀\u0001 "]]))).toBe("/p?%C3%A9=%E2%82%AC%F0%9F%98%80%01%20");
  });

  it("reports which conditional edits changed something", () => {
    const ops: Op[] = [
      ["addIfAbsent", "a", "x"],
      ["addIfAbsent", "b", "x"],
      ["overwriteIfExists", "c", "x"],
      ["overwriteIfExists", "b", "y"],
      ["remove", "zz"],
      ["remove", "a"],
      ["rename", "b", "b"],
      ["rename", "nope", "b"],
      ["rename", "b", "c"],
    ];
    expect(lib.queryResults("/p?a=1", opList(ops))).toBe("false,true,false,true,false,true,false,false,true");
  });

  it("keeps the path untouched when no edit changed anything", () => {
    const ops: Op[] = [
      ["remove", "zz"],
      ["addIfAbsent", "a", "2"],
      ["overwriteIfExists", "q", "1"],
      ["rename", "q", "r"],
    ];
    expect(lib.queryEdit("/p?a=1&&", opList(ops))).toBe("/p?a=1&&");
    expect(lib.queryEdit("/p?", opList(ops.slice(0, 1)))).toBe("/p?");
    // The object held a path these edits changed; parsed again, it starts unchanged.
    expect(lib.queryEditReused("/old?zz=1&q=2", "/p?a=1&&", opList(ops))).toBe("/p?a=1&&");
  });
});

describe("reading parameters", () => {
  it("decodes names and values, returns the first for get and all for getAll", () => {
    expect(view("/p?a=1&b=%41%2b+&a=%E2%82%AC&flag", [], "a")).toEqual({
      params: [
        ["a", "1"],
        ["b", "A++"],
        ["a", "€"],
        ["flag", ""],
      ],
      get: "1",
      all: ["1", "€"],
      has: true,
      path: "/p",
      hadQuery: true,
    });
  });

  it("answers null, [] and false for an absent name, and tells a missing query from an empty one", () => {
    expect(view("/p", [], "a")).toMatchObject({ params: [], get: null, all: [], has: false, hadQuery: false });
    expect(view("/p?", [], "a")).toMatchObject({ params: [], get: null, has: false, hadQuery: true });
    expect(view("/p?a", [], "a")).toMatchObject({ get: "", all: [""], has: true });
  });

  it("keeps a malformed % literally and turns invalid UTF-8 into U+FFFD", () => {
    expect(view("/p?%zz=%4&b=%FF%C3", [], "b").params).toEqual([
      ["%zz", "%4"],
      ["b", "\uFFFD\uFFFD"],
    ]);
  });
});

describe("percentDecode and percentEncodeQuery", () => {
  it.each([
    ["a%20b", "a b"],
    ["a+b", "a+b"],
    ["%e2%82%ac", "€"],
    ["%F0%9F%98%80", "😀"],
    ["plain", "plain"],
    ["%", "<null>"],
    ["%4", "<null>"],
    ["%zz", "<null>"],
    ["%FF", "<null>"],
    ["%C3", "<null>"],
    ["%ED%A0%80", "<null>"],
    ["%C0%AF", "<null>"],
  ])("decodes %j strictly as %j", (text, expected) => {
    expect(lib.decode(text)).toBe(expected);
  });

  it("round-trips any text through encode and decode, and encodes like encodeURIComponent up to the safe set", () => {
    fc.assert(
      fc.property(fc.string({ unit: "grapheme" }), (text) => {
        const encoded = lib.encode(text);
        expect(lib.decode(encoded)).toBe(text);
        expect(decodeURIComponent(encoded)).toBe(text);
        expect(encoded).toMatch(/^[A-Za-z0-9\-._~!$'()*,;:@/?%]*$/);
      }),
    );
  });
});

describe("against URLSearchParams", () => {
  const piece = fc.constantFrom(
    "a",
    "b",
    "é",
    "=",
    "&",
    "%",
    "%41",
    "%62",
    "%C3%A9",
    "%FF",
    "%E2%82",
    "+",
    "#",
    "~",
    "?",
    "%2",
  );
  const rawQuery = fc.array(piece, { maxLength: 12 }).map((parts) => parts.join(""));
  const name = fc.constantFrom("a", "b", "ab", "é", "a b", "+", "&=", "");
  const value = fc.string({ unit: "grapheme", maxLength: 6 });
  const op = fc.oneof(
    fc.tuple(fc.constantFrom("set", "add", "addIfAbsent", "overwriteIfExists"), name, value),
    fc.tuple(fc.constant("remove"), name),
    fc.tuple(fc.constant("rename"), name, name),
  ) as fc.Arbitrary<Op>;

  // Envoy decodes only %XX, so the oracle reads a raw `+` as the %2B it means here. Non-ASCII text
  // goes in as its UTF-8 escapes (what the WHATWG parser decodes anyway): Node 20's URLSearchParams
  // turns "é%%41" into U+FFFD, "%A" where the standard (and `new URL`) gives "é%A". The leading "?"
  // is one the constructor strips, so a query that starts with "?" keeps it.
  const oracleOf = (query: string) =>
    new URLSearchParams("?" + query.replaceAll("+", "%2B").replace(/\P{ASCII}/gu, encodeURIComponent));

  function applyToOracle(params: URLSearchParams, [kind, n, v = ""]: Op): URLSearchParams {
    if (kind === "set" || (kind === "overwriteIfExists" && params.has(n))) params.set(n, v);
    if (kind === "add" || (kind === "addIfAbsent" && !params.has(n))) params.append(n, v);
    if (kind === "remove") params.delete(n);
    if (kind === "rename") return new URLSearchParams([...params].map(([k, x]) => [k === n ? v : k, x]));
    return params;
  }

  it("decodes the same parameters", () => {
    fc.assert(
      fc.property(rawQuery, name, (query, n) => {
        const oracle = oracleOf(query);
        const got = view("/p?" + query, [], n);
        expect(got.params).toEqual([...oracle]);
        expect(got.get).toBe(oracle.get(n));
        expect(got.all).toEqual(oracle.getAll(n));
      }),
    );
  });

  it("agrees after edits, and the edited path reads back the same", () => {
    fc.assert(
      fc.property(rawQuery, fc.array(op, { maxLength: 6 }), (query, ops) => {
        const oracle = ops.reduce(applyToOracle, oracleOf(query));
        expect(view("/p?" + query, ops, "a").params).toEqual([...oracle]);
        const edited = lib.queryEdit("/p?" + query, opList(ops));
        const mark = edited.indexOf("?");
        expect([...oracleOf(mark < 0 ? "" : edited.slice(mark + 1))]).toEqual([...oracle]);
      }),
    );
  });

  it("edits the same after reparse as after parse, whatever the object held before", () => {
    fc.assert(
      fc.property(rawQuery, rawQuery, fc.array(op, { maxLength: 6 }), (before, query, ops) => {
        const fresh = lib.queryEdit("/p?" + query, opList(ops));
        expect(lib.queryEditReused("/old?" + before, "/p?" + query, opList(ops))).toBe(fresh);
        expect(lib.queryEditReused("/old?" + before, "/p", opList(ops))).toBe(lib.queryEdit("/p", opList(ops)));
      }),
    );
  });
});
