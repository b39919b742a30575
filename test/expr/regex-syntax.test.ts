// The regex engine feature by feature (RE2 syntax), the patterns RE2 rejects (with the error
// naming the text and its position), and inputs that must never trap or take more than linear time.

import { describe, expect, it } from "vitest";
import { compileOrThrow, regexLibrary } from "./regex-support.js";

const lib = await regexLibrary();

// [pattern, input, expected partial-match groups as [start, end, ...] or null]
const FEATURES: [string, string, number[] | null][] = [
  ["abc", "xabcx", [1, 4]],
  ["a.c", "a😀c", [0, 4]],
  ["a.c", "a\nc", null],
  ["(?s)a.c", "a\nc", [0, 3]],
  ["[a-c]+", "xxbcay", [2, 5]],
  ["[^a-c]+", "abzzc", [2, 4]],
  ["[^a]", "\n", [0, 1]],
  ["[]a]+", "]a]", [0, 3]],
  ["[a-]+", "-a-", [0, 3]],
  ["\\d+", "ab123c", [2, 5]],
  ["\\D+", "12ab3", [2, 4]],
  ["\\s+", "a \t\n b", [1, 5]],
  ["\\w+", "--ab_9--", [2, 6]],
  ["\\W+", "ab--cd", [2, 4]],
  ["\\d", "٣", null],
  ["[[:alpha:]]+", "12abC3", [2, 5]],
  ["[[:^alpha:]]+", "ab12c", [2, 4]],
  ["[[:digit:][:upper:]]+", "aB1c", [1, 3]],
  ["[[:xdigit:]]+", "xyzBEEFg", [3, 7]],
  ["[[:punct:]]", "ab!", [2, 3]],
  ["[[:space:]]", "a\vb", [1, 2]],
  ["^ab", "ab", [0, 2]],
  ["^b", "a\nb", null],
  ["(?m)^b", "a\nb", [2, 3]],
  ["a$", "a\n", null],
  ["(?m)a$", "a\nb", [0, 1]],
  ["\\Aab", "ab", [0, 2]],
  ["ab\\z", "ab", [0, 2]],
  ["\\bfoo\\b", "a foo b", [2, 5]],
  ["\\Bfoo", "afoo", [1, 4]],
  ["cat|dog", "hotdog", [3, 6]],
  ["a|ab", "ab", [0, 1]],
  ["(a)(b)?", "a", [0, 1, 0, 1, -1, -1]],
  ["(?:ab)+", "ababa", [0, 4]],
  ["(?P<year>\\d{4})-(?<month>\\d\\d)", "2024-05", [0, 7, 0, 4, 5, 7]],
  ["a{3}", "aaaa", [0, 3]],
  ["a{2,}", "aaaa", [0, 4]],
  ["a{1,2}", "aaaa", [0, 2]],
  ["a{0}b", "ab", [1, 2]],
  ["a{,2}", "a{,2}", [0, 5]],
  ["a{", "a{", [0, 2]],
  ["a+?", "aaa", [0, 1]],
  ["a*?b", "aab", [0, 3]],
  ["a??", "a", [0, 0]],
  ["a{2,3}?", "aaaa", [0, 2]],
  ["(?U)a+", "aaa", [0, 1]],
  ["(?U)a+?", "aaa", [0, 3]],
  ["(?i)straße", "STRASSE straße", [8, 14]],
  ["(?i)k", "\u212a", [0, 1]],
  ["(?i)ǅ", "ǆ", [0, 1]],
  ["(?i)[a-c]+", "xABCx", [1, 4]],
  ["(?i:a)b", "Ab", [0, 2]],
  ["(?i:a)b", "AB", null],
  ["(?i)a(?-i)b", "AB", null],
  ["é+", "ééé", [0, 3]],
  ["𝒳+", "a𝒳𝒳", [1, 5]],
  ["[𝒳-𝒵]", "𝒴", [0, 2]],
  ["\\x41\\x{1F600}", "A😀", [0, 3]],
  ["\\101\\0", "A\0", [0, 2]],
  ["\\a\\f\\t\\n\\r\\v", "\x07\f\t\n\r\v", [0, 6]],
  ["\\Q.*\\E+", ".**", [0, 3]],
  ["\\.\\*\\+\\?\\(\\)\\[\\]\\{\\}\\|\\^\\$\\\\", ".*+?()[]{}|^$\\", [0, 14]],
  ["(a*)*", "b", [0, 0, 0, 0]],
  ["(a|ab)(c|bcd)(d*)", "abcd", [0, 4, 0, 1, 1, 4, 4, 4]],
  ["x*", "", [0, 0]],
  ["", "abc", [0, 0]],
  ["[^\\x00-\\x{10FFFF}]", "abc", null],
];

describe("regex syntax (RE2)", () => {
  it.each(FEATURES)("%s on %j gives groups %j", (pattern, input, groups) => {
    compileOrThrow(lib, pattern);
    const got = lib.exec(input, 0);
    expect(got && Array.from(got)).toEqual(groups);
    expect(lib.test(input)).toBe(groups !== null);
  });

  it("full-matches the whole input only (Envoy's safe_regex)", () => {
    compileOrThrow(lib, "a+|b");
    expect(lib.fullMatch("aaa")).toBe(true);
    expect(lib.fullMatch("aab")).toBe(false);
    expect(lib.fullMatch("b")).toBe(true);
    expect(Array.from(lib.execFull("aaa")!)).toEqual([0, 3]);
    compileOrThrow(lib, "a|ab");
    expect(lib.fullMatch("ab")).toBe(true);
  });

  it("counts groups and finds named groups", () => {
    compileOrThrow(lib, "(a)(?:b)(?P<name>c)(?<other>d)");
    expect(lib.groupCount()).toBe(3);
    expect(lib.groupIndex("name")).toBe(2);
    expect(lib.groupIndex("other")).toBe(3);
    expect(lib.groupIndex("missing")).toBe(-1);
  });
});

// [pattern, the error, which names the text and its UTF-16 position in the pattern]
const REJECTED: [string, string][] = [
  ["(a)\\1", "backreferences are not supported `\\1` at position 3"],
  ["\\8", "backreferences are not supported `\\8` at position 0"],
  ["(?P<n>a)(?P=n)", "backreferences are not supported `(?P=` at position 8"],
  ["a(?=b)", "lookahead assertions are not supported `(?=` at position 1"],
  ["a(?!b)", "lookahead assertions are not supported `(?!` at position 1"],
  ["(?<=a)b", "lookbehind assertions are not supported `(?<=` at position 0"],
  ["(?<!a)b", "lookbehind assertions are not supported `(?<!` at position 0"],
  ["a*+", "invalid nested repetition operator `*+` at position 1"],
  ["a++", "invalid nested repetition operator `++` at position 1"],
  ["a**", "invalid nested repetition operator `**` at position 1"],
  ["a{2}{3}", "invalid nested repetition operator `{2}{3}` at position 1"],
  ["*a", "missing argument to repetition operator `*` at position 0"],
  ["a|*", "missing argument to repetition operator `*` at position 2"],
  ["(+)", "missing argument to repetition operator `+` at position 1"],
  ["{2}", "missing argument to repetition operator `{2}` at position 0"],
  ["a{1001}", "invalid repeat count `{1001}` at position 1"],
  ["a{2,1}", "invalid repeat count `{2,1}` at position 1"],
  ["a{0,1001}", "invalid repeat count `{0,1001}` at position 1"],
  ["(a{100}){11}", "invalid repeat count `{11}` at position 8"],
  ["[z-a]", "invalid character class range `z-a` at position 1"],
  ["[[:alpah:]]", "invalid character class range `[:alpah:]` at position 1"],
  ["[abc", "missing closing ] `[abc` at position 0"],
  ["[]", "missing closing ] `[]` at position 0"],
  ["(ab", "missing closing ) `(ab` at position 0"],
  ["ab)", "unexpected ) `)` at position 2"],
  ["a\\", "trailing backslash at end of expression `\\` at position 1"],
  ["\\q", "invalid escape sequence `\\q` at position 0"],
  ["\\Z", "invalid escape sequence `\\Z` at position 0"],
  ["\\x{110000}", "invalid escape sequence `\\x{110000` at position 0"],
  ["\\xZ1", "invalid escape sequence `\\xZ` at position 0"],
  ["\\C", "\\C (any byte) is not supported `\\C` at position 0"],
  ["\\pL", "Unicode character classes are not supported `\\pL` at position 0"],
  ["\\p{Greek}", "Unicode character classes are not supported `\\p{Greek}` at position 0"],
  ["(?x)a", "invalid or unsupported Perl syntax `(?x` at position 0"],
  ["(?#c)", "invalid or unsupported Perl syntax `(?#` at position 0"],
  ["(?i-)a", "invalid or unsupported Perl syntax `(?i-)` at position 0"],
  ["(?P<1a", "invalid named capture `(?P<1a` at position 0"],
  ["(?P<a-b>x)", "invalid named capture `(?P<a-b>` at position 0"],
  ["(?P<n>a)(?P<n>b)", "duplicate capture group name `(?P<n>` at position 8"],
];

describe("patterns RE2 rejects", () => {
  it.each(REJECTED)("rejects %s: %s", (pattern, error) => {
    expect(lib.compilePattern(pattern)).toBe(error);
  });

  it("rejects a pattern that would compile to too many instructions", () => {
    expect(lib.compilePattern("(?:\\w{1000}){1}" + "[a-z]{1000}".repeat(40))).toMatch(/^expression too large/);
  });

  it("accepts groups nested 100 deep and rejects deeper ones (RE2 allows 1000; the Wasm stack does not)", () => {
    compileOrThrow(lib, "(?:a|".repeat(100) + "b)*".repeat(100));
    expect(lib.fullMatch("aab")).toBe(true);
    expect(lib.compilePattern("(".repeat(101) + ")".repeat(101))).toBe(
      "expression nests too deeply `(` at position 100",
    );
  });
});

describe("hostile inputs", () => {
  const big = "a".repeat(100_000);

  it("matches (a*)*b and (a|aa)*c against 100 KB without backtracking", () => {
    compileOrThrow(lib, "(a*)*b");
    expect(lib.test(big)).toBe(false);
    expect(lib.exec(big + "b", 0)![1]).toBe(100_001);
    compileOrThrow(lib, "(a|aa)*c");
    expect(lib.test(big)).toBe(false);
    expect(lib.fullMatch(big + "c")).toBe(true);
  });

  it("never traps on lone surrogates, NUL or the end of input", () => {
    compileOrThrow(lib, "(?s)(.)(.)$");
    expect(Array.from(lib.exec("\ud800\udc00\udfff", 0)!)).toEqual([0, 3, 0, 2, 2, 3]);
    compileOrThrow(lib, "\\x00+");
    expect(lib.test("a\0\0")).toBe(true);
    expect(lib.exec("abc", 3)).toBeNull();
    compileOrThrow(lib, "$");
    expect(Array.from(lib.exec("abc", 3)!)).toEqual([3, 3]);
  });
});
