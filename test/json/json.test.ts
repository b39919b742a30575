// The SDK's JSON writer (RFC 8259 strings, Envoy-style numbers) and in-place JSON edits, checked by
// hand tables and by fast-check properties with Node's JSON.parse/JSON.stringify as the oracle.

import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { library } from "../crypto/support.js";

interface JsonLib {
  quote(text: string): string;
  quoteAfter(prefix: string, from: number, to: number, text: string, keep: number): string;
  decimals(signed: bigint, unsigned: bigint): string;
  numberText(n: number): string;
  stringify(jsonText: string): string;
  pathSegments(path: string): string;
  setAt(text: string, path: string, valueJson: string): string;
  setChanged(text: string, path: string, valueJson: string): boolean;
  removeAt(text: string, path: string): string;
  removeChanged(text: string, path: string): boolean;
}

const lib = await library<JsonLib>("json", "json");

describe("jsonQuote", () => {
  it.each([
    ["", '""'],
    ["plain", '"plain"'],
    ['say "hi"', '"say \\"hi\\""'],
    ["back\\slash", '"back\\\\slash"'],
    ["\u0000\u0001\u001f", '"\\u0000\\u0001\\u001f"'],
    ["line\nfeed\ttab\r", '"line\\u000afeed\\u0009tab\\u000d"'],
    ["slash / and DEL \u007f", '"slash / and DEL \u007f"'],
    ["é ☃ 😀 \u2028", '"é ☃ 😀 \u2028"'],
  ])("quotes %j as %s", (text, expected) => {
    expect(lib.quote(text)).toBe(expected);
    expect(JSON.parse(lib.quote(text))).toBe(text);
  });

  it("writes literals JSON.parse reads back as the same string", () => {
    const text = fc.string({ unit: "grapheme", maxLength: 40 });
    fc.assert(fc.property(text, (s) => JSON.parse(lib.quote(s)) === s));
  });
});

describe("writeJsonString and StringBuilder", () => {
  it("appends any 64-bit integer in decimal, as BigInt prints it", () => {
    for (const [signed, unsigned] of [
      [0n, 0n],
      [-1n, 9n],
      [10n, 10n],
      [-(2n ** 63n), 2n ** 64n - 1n],
      [2n ** 63n - 1n, 2n ** 63n],
    ]) {
      expect(lib.decimals(signed!, unsigned!)).toBe(`<${signed}|${unsigned}>`);
    }
    fc.assert(
      fc.property(
        fc.bigInt({ min: -(2n ** 63n), max: 2n ** 63n - 1n }),
        fc.bigInt({ min: 0n, max: 2n ** 64n - 1n }),
        (s, u) => {
          expect(lib.decimals(s, u)).toBe(`<${s}|${u}>`);
        },
      ),
    );
  });

  it.each([
    ["key", 0, 3, 'a"b', 'key"a\\"b"'],
    ["key", 1, 2, "", 'e""'],
    ["key", -5, 99, "\n", 'key"\\u000a"'],
    ["key", 2, 1, "x", '"x"'],
  ])("appends %j from %d to %d, then %j: %s", (prefix, from, to, text, expected) => {
    expect(lib.quoteAfter(prefix, from, to, text, 16384)).toBe(expected);
    expect(lib.quoteAfter(prefix, from, to, text, 1)).toBe(expected);
  });

  // RFC 8259 section 7's escapes, as the SDK writes them: `\"`, `\\` and `\u00xx` for U+0000..U+001F.
  const escapedUnit = (c: string) =>
    c === '"' || c === "\\" ? `\\${c}` : `\\u00${c.charCodeAt(0).toString(16).padStart(2, "0")}`;
  const escaped = (text: string) =>
    `"${text
      .split("")
      .map((c) => (c === '"' || c === "\\" || c < " " ? escapedUnit(c) : c))
      .join("")}"`;

  it("appends the clamped slice of the prefix and the escaped literal, for any UTF-16 text", () => {
    const text = fc.string({ unit: "binary", maxLength: 40 });
    const controls = fc.string({
      unit: fc.constantFrom("\u0000", "\u001f", "\t", '"', "\\", "a", "\ud800"),
      maxLength: 20,
    });
    const bound = fc.integer({ min: -3, max: 45 });
    fc.assert(
      fc.property(
        text,
        bound,
        bound,
        fc.oneof(text, controls),
        fc.integer({ min: 0, max: 64 }),
        (prefix, from, to, s, keep) => {
          const start = Math.max(from, 0);
          const sliced = to > start ? prefix.substring(start, Math.min(to, prefix.length)) : "";
          expect(lib.quoteAfter(prefix, from, to, s, keep)).toBe(sliced + escaped(s));
          expect(lib.quote(s)).toBe(escaped(s));
        },
      ),
    );
  });
});

describe("jsonNumberText", () => {
  it.each([
    [0, "0"],
    [-0, "0"],
    [3, "3"],
    [-42, "-42"],
    [0.1, "0.1"],
    [-2.5, "-2.5"],
    [2 ** 53 - 1, "9007199254740991"],
    [-(2 ** 53 - 1), "-9007199254740991"],
    // From 2^53 on, AssemblyScript's shortest form (which marks whole numbers with ".0").
    [2 ** 53, "9007199254740992.0"],
    [1e21, "1e+21"],
    [1.5e-7, "1.5e-7"],
    [NaN, "null"],
    [Infinity, "null"],
    [-Infinity, "null"],
  ])("writes %d as %s", (n, expected) => {
    expect(lib.numberText(n)).toBe(expected);
  });

  it("writes every finite double as JSON that parses back to it", () => {
    fc.assert(
      fc.property(fc.double({ noNaN: true, noDefaultInfinity: true }), (n) => JSON.parse(lib.numberText(n)) === n + 0),
    );
  });
});

describe("stringifyJson", () => {
  it.each([
    ['{ "b" : 1 , "a" : [ true , null , "x" ] }', '{"b":1,"a":[true,null,"x"]}'],
    ["[]", "[]"],
    ["{}", "{}"],
    ['"\\u00e9\\n"', '"é\\u000a"'],
    ["-0", "0"],
    ["1.0", "1"],
    ["1E2", "100"],
    ['{"big":1e400,"small":-1e400}', '{"big":null,"small":null}'],
    ["[1,]", "error:unexpected character"],
  ])("writes %s as %s", (input, expected) => {
    expect(lib.stringify(input)).toBe(expected);
  });

  it("round-trips any JSON value (JSON.parse of the output equals JSON.parse of the input)", () => {
    const document = fc.tuple(jsonTree(roundTripLeaf), fc.integer({ min: 0, max: 2 }));
    fc.assert(
      fc.property(document, ([value, indent]) => {
        const text = JSON.stringify(value, null, indent);
        const output = lib.stringify(text);
        expect(JSON.parse(output)).toEqual(JSON.parse(text));
      }),
      { numRuns: 200 },
    );
  });
});

describe("parseJsonPath", () => {
  it.each([
    ["a", ["a"]],
    ["a.b.c", ["a", "b", "c"]],
    ["a\\.b.c", ["a.b", "c"]],
    ["a\\\\.b", ["a\\", "b"]],
    ["a\\\\\\.b", ["a\\.b"]],
    ["0.é.😀", ["0", "é", "😀"]],
    ["", null],
    ["a..b", null],
    [".a", null],
    ["a.", null],
    ["a\\x", null],
    ["a\\", null],
  ])("reads %j as %j", (path, expected) => {
    expect(lib.pathSegments(path)).toBe(expected === null ? "null" : expected.join("\u0001"));
  });
});

describe("jsonSetAt", () => {
  it.each([
    ["creates nested objects", '{"a":{}}', "a.b.c", "1", '{"a":{"b":{"c":1}}}'],
    ["creates from an empty root", "{}", "x", '"y"', '{"x":"y"}'],
    ["appends a new member last", '{"a":1, "b":2}', "c", "[3]", '{"a":1, "b":2,"c":[3]}'],
    ["appends before trailing space", '{\n  "a": 1\n}\n', "b", "true", '{\n  "a": 1,"b":true\n}\n'],
    ["fills an empty object with spaces", "{ }", "k", "null", '{"k":null }'],
    [
      "replaces only the value span",
      '{"n":1e400, "a" : 12345678901234567890 ,"z":1}',
      "a",
      "7",
      '{"n":1e400, "a" : 7 ,"z":1}',
    ],
    ["replaces a container value", '{"a":{"deep":[1,{"x":2}]},"b":0}', "a", '"s"', '{"a":"s","b":0}'],
    ["replaces a nested value", '{"a":{"b":{"c":"old"}}}', "a.b.c", '"new"', '{"a":{"b":{"c":"new"}}}'],
    ["indexes an array", '{"a":[10, 20, 30]}', "a.1", "21", '{"a":[10, 21, 30]}'],
    ["appends at the array length", '{"a":[10, 20]}', "a.2", "30", '{"a":[10, 20,30]}'],
    ["appends to an empty array", '{"a":[]}', "a.0", "1", '{"a":[1]}'],
    ["creates an object appended to an array", '{"a":[]}', "a.0.b", "1", '{"a":[{"b":1}]}'],
    ["walks a root array", '[{"a":1}, 2]', "0.a", "5", '[{"a":5}, 2]'],
    ["uses an escaped dot as part of a key", '{"a.b":1,"a":{"b":2}}', "a\\.b", "9", '{"a.b":9,"a":{"b":2}}'],
    ["creates a key with a dot", "{}", "a\\.b.c", "1", '{"a.b":{"c":1}}'],
    ["matches a unicode key", '{"é😀":{"ü":1}}', "é😀.ü", "2", '{"é😀":{"ü":2}}'],
    ["matches an escaped key by its value", '{"a\\u0062":1,"q\\"\\\\":2}', "ab", "3", '{"a\\u0062":3,"q\\"\\\\":2}'],
    ["matches a key with a surrogate-pair escape", '{"\\ud83d\\ude00":1}', "😀", "0", '{"\\ud83d\\ude00":0}'],
    ["quotes a new key", "{}", 'q"\\\\', "1", '{"q\\"\\\\":1}'],
    [
      "skips keys inside strings and nested values",
      '{"x":"\\"a\\":1,","y":{"a":1}}',
      "a",
      "2",
      '{"x":"\\"a\\":1,","y":{"a":1},"a":2}',
    ],
  ])("%s", (_name, text, path, value, expected) => {
    expect(lib.setAt(text, path, value)).toBe(expected);
    expect(lib.setChanged(text, path, value)).toBe(true);
  });

  it.each([
    ["through a string", '{"a":"text"}', "a.b", "error:cannot set a.b: a is not an object"],
    ["through a number", '{"a":{"b":1}}', "a.b.c", "error:cannot set a.b.c: b is not an object"],
    ["through null", '{"a":null}', "a.b", "error:cannot set a.b: a is not an object"],
    ["with a key in an array", '{"a":[1]}', "a.x", "error:cannot set a.x: x is not an array index"],
    ["with a leading-zero index", '{"a":[1,2]}', "a.01", "error:cannot set a.01: 01 is not an array index"],
    ["past the end of an array", '{"a":[1]}', "a.2", "error:cannot set a.2: 2 is past the end of the array"],
    ["on a scalar root", "42", "a", "error:cannot set a: the document is not an object or array"],
    ["on a string root", '"x"', "a", "error:cannot set a: the document is not an object or array"],
    ["on truncated JSON", '{"a":1', "a", "error:not JSON: expected ',' or '}'"],
    ["on trailing commas", '{"a":1,}', "a", "error:not JSON: expected a member name"],
    ["on duplicate keys", '{"a":1,"a":2}', "a", 'error:not JSON: duplicate member "a"'],
    ["on an empty body", "", "a", "error:not JSON: unexpected end of input"],
    ["with an invalid path", "{}", "a..b", "error:invalid path"],
    ["naming an escaped dot in the error", '{"a.b":1}', "a\\.b.c", "error:cannot set a\\.b.c: a\\.b is not an object"],
    [
      "naming an escaped index in the error",
      '{"a":[]}',
      "a.x\\.y",
      "error:cannot set a.x\\.y: x\\.y is not an array index",
    ],
  ])("refuses to set %s", (_name, text, path, expected) => {
    expect(lib.setAt(text, path, "1")).toBe(expected);
    expect(lib.setChanged(text, path, "1")).toBe(false);
  });

  it("reports no change when the new value is spelled as the old one", () => {
    expect(lib.setAt('{"a": 1}', "a", "1")).toBe('{"a": 1}');
    expect(lib.setChanged('{"a": 1}', "a", "1")).toBe(false);
  });
});

describe("jsonRemoveAt", () => {
  const spaced = '{\n  "a": 1,\n  "b": [2, 3],\n  "c": {"d": 4}\n}';
  it.each([
    ["the first member", spaced, "a", '{\n  "b": [2, 3],\n  "c": {"d": 4}\n}'],
    ["a middle member", spaced, "b", '{\n  "a": 1,\n  "c": {"d": 4}\n}'],
    ["the last member", spaced, "c", '{\n  "a": 1,\n  "b": [2, 3]\n}'],
    ["the only member", '{ "a" : 1 }', "a", "{  }"],
    ["a nested member", spaced, "c.d", '{\n  "a": 1,\n  "b": [2, 3],\n  "c": {}\n}'],
    ["the first element", '{"a":[1, 2, 3]}', "a.0", '{"a":[2, 3]}'],
    ["a middle element", '{"a":[1, 2, 3]}', "a.1", '{"a":[1, 3]}'],
    ["the last element", '{"a":[1, 2, 3]}', "a.2", '{"a":[1, 2]}'],
    ["the only element", '{"a":[ {"x":[1]} ]}', "a.0", '{"a":[  ]}'],
    ["an element of a root array", "[1,[2,3]]", "1.0", "[1,[3]]"],
    ["a member with an escaped dot", '{"a.b":1,"a":{"b":2}}', "a\\.b", '{"a":{"b":2}}'],
    ["a member by its unescaped key", '{"x":0,"a\\u0062":1}', "ab", '{"x":0}'],
    ["a unicode member", '{"é":1,"😀":2}', "😀", '{"é":1}'],
  ])("removes %s", (_name, text, path, expected) => {
    expect(lib.removeAt(text, path)).toBe(expected);
    expect(lib.removeChanged(text, path)).toBe(true);
  });

  it.each([
    ["an absent member", '{"a":1}', "b"],
    ["a member of a string", '{"a":"x"}', "a.b"],
    ["a member of an absent object", '{"a":1}', "b.c"],
    ["an index past the end", '{"a":[1]}', "a.1"],
    ["a key of an array", '{"a":[1]}', "a.x"],
    ["a member of a scalar root", "7", "a"],
  ])("leaves the text unchanged without error for %s", (_name, text, path) => {
    expect(lib.removeAt(text, path)).toBe(text);
    expect(lib.removeChanged(text, path)).toBe(false);
  });

  it("refuses non-JSON and invalid paths", () => {
    expect(lib.removeAt("{'a':1}", "a")).toBe("error:not JSON: expected a member name");
    expect(lib.removeAt('{"a":"\\x"}', "a")).toBe("error:not JSON: invalid escape");
    expect(lib.removeAt('{"a":1}', "")).toBe("error:invalid path");
  });
});

// A JS model of the edits, so Node's JSON is the oracle for the random cases.
type Json = null | boolean | number | string | Json[] | { [key: string]: Json };

function isObject(value: Json | undefined): value is { [key: string]: Json } {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

function indexOf(segment: string): number {
  return /^(0|[1-9][0-9]{0,8})$/.test(segment) ? Number(segment) : -1;
}

function nest(path: string[], value: Json): Json {
  return path.reduceRight<Json>((inner, key) => ({ [key]: inner }), value);
}

/** The document with `value` set at `path`, or null when jsonSetAt must refuse. */
function modelSet(root: Json, path: string[], value: Json): Json | null {
  const [head, ...rest] = path as [string, ...string[]];
  if (isObject(root)) {
    if (!(head in root)) return { ...root, [head]: nest(rest, value) };
    const inner = rest.length === 0 ? value : modelSet(root[head]!, rest, value);
    return inner === null && rest.length > 0 ? null : { ...root, [head]: inner };
  }
  if (Array.isArray(root)) {
    const index = indexOf(head);
    if (index < 0 || index > root.length) return null;
    const copy = [...root];
    if (index === root.length) copy.push(nest(rest, value));
    else if (rest.length === 0) copy[index] = value;
    else {
      const inner = modelSet(root[index]!, rest, value);
      if (inner === null) return null;
      copy[index] = inner;
    }
    return copy;
  }
  return null;
}

/** The document without the value at `path` (unchanged when absent). */
function modelRemove(root: Json, path: string[]): Json {
  const [head, ...rest] = path as [string, ...string[]];
  if (isObject(root) && Object.hasOwn(root, head)) {
    if (rest.length > 0) return { ...root, [head]: modelRemove(root[head]!, rest) };
    const copy = { ...root };
    delete copy[head];
    return copy;
  }
  const index = Array.isArray(root) ? indexOf(head) : -1;
  if (!Array.isArray(root) || index < 0 || index >= root.length) return root;
  const copy = [...root];
  if (rest.length > 0) copy[index] = modelRemove(root[index]!, rest);
  else copy.splice(index, 1);
  return copy;
}

function escapeSegment(segment: string): string {
  return segment.replace(/\\/g, "\\\\").replace(/\./g, "\\.");
}

/** Lengths of the common prefix and (non-overlapping) common suffix of two strings. */
function commonEnds(a: string, b: string): [number, number] {
  let prefix = 0;
  while (prefix < a.length && prefix < b.length && a[prefix] === b[prefix]) prefix++;
  let suffix = 0;
  const room = Math.min(a.length, b.length) - prefix;
  while (suffix < room && a[a.length - 1 - suffix] === b[b.length - 1 - suffix]) suffix++;
  return [prefix, suffix];
}

// Keys with dots, backslashes, quotes, controls and non-ASCII; "" cannot be named by a path and
// "__proto__" would be a prototype to the JS model.
const key = fc
  .oneof(
    fc.constantFrom("a", "b", "c", "a.b", "x\\y", 'q"', "é", "😀", "0", "1", "\n"),
    fc.string({ unit: "grapheme", minLength: 1, maxLength: 6 }),
  )
  .filter((k) => k !== "__proto__");
const leaf = fc.oneof(
  fc.constant(null),
  fc.boolean(),
  fc.integer(),
  fc.double({ noNaN: true, noDefaultInfinity: true }),
  fc.string(),
);
// Any double: the parser reads each back exactly (parseDouble rounds correctly).
const roundTripLeaf = fc.oneof(
  fc.constant(null),
  fc.boolean(),
  fc.integer(),
  fc.double({ noNaN: true, noDefaultInfinity: true }),
  fc.constantFrom(2 ** 53, 1e21, -1.5e300, 5e-324, 1.1469601299135067e46, 1.7827117744343173e53),
  fc.string({ unit: "grapheme" }),
);

function jsonTree(leafValue: fc.Arbitrary<Json>): fc.Arbitrary<Json> {
  return fc.letrec<{ tree: Json }>((self) => ({
    tree: fc.oneof(
      { depthSize: "small", withCrossShrink: true },
      leafValue,
      fc.array(self("tree"), { maxLength: 4 }),
      fc.dictionary(key, self("tree"), { maxKeys: 4 }),
    ),
  })).tree;
}

const tree = jsonTree(leaf);
const rootObject = fc.dictionary(key, tree, { minKeys: 1, maxKeys: 5 });

// A path that mostly follows existing members and elements, sometimes leaving them.
function pathInto(root: Json): fc.Arbitrary<string[]> {
  return fc.array(fc.tuple(fc.nat(), fc.boolean(), key, fc.nat(3)), { minLength: 1, maxLength: 4 }).map((steps) => {
    const path: string[] = [];
    let at: Json | undefined = root;
    for (const [pick, follow, fresh, offset] of steps) {
      let segment = fresh;
      if (follow && isObject(at) && Object.keys(at).length > 0) {
        const keys = Object.keys(at);
        segment = keys[pick % keys.length]!;
      } else if (Array.isArray(at)) {
        segment = String(follow ? pick % (at.length + 1) : at.length + offset);
      }
      path.push(segment);
      at = isObject(at) ? at[segment] : Array.isArray(at) ? at[Number(segment)] : undefined;
    }
    return path;
  });
}

const editCase = fc
  .tuple(rootObject, fc.integer({ min: 0, max: 3 }))
  .chain(([root, indent]) =>
    fc.record({ root: fc.constant(root), indent: fc.constant(indent), path: pathInto(root), value: tree }),
  );

describe("edits against Node's JSON", () => {
  it("sets like the JS model, always leaving JSON that parses", () => {
    fc.assert(
      fc.property(editCase, ({ root, indent, path, value }) => {
        const text = JSON.stringify(root, null, indent);
        const valueJson = JSON.stringify(value);
        const output = lib.setAt(text, path.map(escapeSegment).join("."), valueJson);
        const expected = modelSet(JSON.parse(text), path, JSON.parse(valueJson));
        if (expected === null) expect(output).toMatch(/^error:cannot set /);
        else expect(JSON.parse(output)).toEqual(expected);
      }),
      { numRuns: 300 },
    );
  });

  it("removes like the JS model, always leaving JSON that parses", () => {
    fc.assert(
      fc.property(editCase, ({ root, indent, path }) => {
        const text = JSON.stringify(root, null, indent);
        const output = lib.removeAt(text, path.map(escapeSegment).join("."));
        expect(JSON.parse(output)).toEqual(modelRemove(JSON.parse(text), path));
      }),
      { numRuns: 300 },
    );
  });

  it("keeps every byte outside the edited span", () => {
    fc.assert(
      fc.property(editCase, ({ root, indent, path, value }) => {
        const text = JSON.stringify(root, null, indent);
        const pathText = path.map(escapeSegment).join(".");
        const valueJson = JSON.stringify(value);
        const removed = lib.removeAt(text, pathText);
        const [rp, rs] = commonEnds(text, removed);
        expect(rp + rs).toBe(removed.length);
        const set = lib.setAt(text, pathText, valueJson);
        if (set.startsWith("error:")) return;
        // Either one insertion, or valueJson in place of a span that held the old value.
        const [sp, ss] = commonEnds(text, set);
        if (sp + ss === text.length) return;
        const old = path.reduce<Json | undefined>(
          (at, k) => (isObject(at) ? at[k] : Array.isArray(at) ? at[Number(k)] : undefined),
          JSON.parse(text) as Json,
        );
        const replaced = [...Array(sp + 1).keys()].some((start) => {
          if (set.slice(start, start + valueJson.length) !== valueJson) return false;
          const rest = set.slice(start + valueJson.length);
          const end = text.length - rest.length;
          if (end < start || !text.endsWith(rest) || !set.startsWith(text.slice(0, start))) return false;
          return JSON.stringify(JSON.parse(text.slice(start, end))) === JSON.stringify(old);
        });
        expect(replaced).toBe(true);
      }),
      { numRuns: 300 },
    );
  });
});
