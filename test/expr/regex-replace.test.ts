// Replacement with RE2's rewrite strings: the GlobalReplace and Replace vectors of RE2's own
// tests (re2/testing/re2_test.cc, "ReplaceTest"), and rewrite strings RE2 rejects.

import { describe, expect, it } from "vitest";
import { compileOrThrow, regexLibrary } from "./regex-support.js";

const lib = await regexLibrary();

// [pattern, rewrite, input, Replace result, GlobalReplace result, GlobalReplace's count]
const RE2_VECTORS: [string, string, string, string, string, number][] = [
  [
    "(qu|[b-df-hj-np-tv-z]*)([a-z]+)",
    "\\2\\1ay",
    "the quick brown fox jumps over the lazy dogs.",
    "ethay quick brown fox jumps over the lazy dogs.",
    "ethay ickquay ownbray oxfay umpsjay overay ethay azylay ogsday.",
    9,
  ],
  [
    "\\w+",
    "\\0-NOSPAM",
    "abcd.efghi@google.com",
    "abcd-NOSPAM.efghi@google.com",
    "abcd-NOSPAM.efghi-NOSPAM@google-NOSPAM.com-NOSPAM",
    4,
  ],
  ["^", "(START)", "foo", "(START)foo", "(START)foo", 1],
  ["^", "(START)", "", "(START)", "(START)", 1],
  ["$", "(END)", "", "(END)", "(END)", 1],
  ["b", "bb", "ababababab", "abbabababab", "abbabbabbabbabb", 5],
  ["b", "bb", "bbbbbb", "bbbbbbb", "bbbbbbbbbbbb", 6],
  ["b+", "bb", "bbbbbb", "bb", "bb", 1],
  ["b*", "bb", "bbbbbb", "bb", "bb", 1],
  ["b*", "bb", "aaaaa", "bbaaaaa", "bbabbabbabbabbabb", 6],
  ["a.*a", "(\\0)", "aba\naba", "(aba)\naba", "(aba)\n(aba)", 2],
];

describe("RE2 rewrite (Replace and GlobalReplace)", () => {
  it.each(RE2_VECTORS)("%s with %j on %j", (pattern, rewrite, input, first, all, count) => {
    compileOrThrow(lib, pattern);
    expect(lib.replace(input, rewrite, false)).toBe("ok:" + first);
    expect(lib.replace(input, rewrite, true)).toBe("ok:" + all);
    expect(lib.appendReplaced(input, rewrite)).toBe(`<${all}> ${count}`);
  });

  it("skips an empty match right after a match by one code point, not one UTF-16 unit", () => {
    compileOrThrow(lib, "x*");
    expect(lib.replace("a😀b", "-", true)).toBe("ok:-a-😀-b-");
    compileOrThrow(lib, "b*");
    expect(lib.replace("abc", "-", true)).toBe("ok:-a-c-");
  });

  it("reads \\\\ as a backslash, \\0 as the whole match and one digit per reference", () => {
    compileOrThrow(lib, "(a)(b)");
    expect(lib.replace("ab", "\\\\\\0\\12", true)).toBe("ok:\\aba2");
    compileOrThrow(lib, "(a)|(b)");
    expect(lib.replace("b", "[\\1]", true)).toBe("ok:[]");
  });

  it("rewrites Istio's uriRegexRewrite example", () => {
    compileOrThrow(lib, "^/service/([^/]+)(/.*)$");
    expect(lib.replace("/service/foo/v1/api", "/customprefix/\\2/\\1", true)).toBe("ok:/customprefix//v1/api/foo");
  });

  it("leaves the input unchanged when nothing matches", () => {
    compileOrThrow(lib, "z");
    expect(lib.replace("abc", "\\0\\0", true)).toBe("ok:abc");
    expect(lib.replace("abc", "\\0\\0", false)).toBe("ok:abc");
    expect(lib.appendReplaced("abc", "\\0\\0")).toBe("<abc> 0");
  });

  it.each([
    ["a", "\\1", "error:rewrite requests group 1, but the pattern only has 0 groups, at position 0"],
    ["(a)", "x\\", "error:rewrite error: '\\' not allowed at end, at position 1"],
    ["(a)", "\\x", "error:rewrite error: '\\' must be followed by a digit or '\\', at position 0"],
  ])("rejects rewrite %j for %s as RE2 does", (pattern, rewrite, error) => {
    compileOrThrow(lib, pattern);
    expect(lib.replace("a", rewrite, true)).toBe(error);
  });
});
