// `matches`: RE2 partial match through the SDK's regex engine. A constant pattern is compiled once by
// the checker; a pattern computed at evaluation time is compiled on use, keeping the last one.

import { Regex, RegexCompileResult } from "../regex";
import { CelError, CelValue, celBool } from "./value";

let lastPattern = "";
let last: RegexCompileResult | null = null;

/** Compiles `pattern` (reusing the previous result for the same pattern). */
export function compilePattern(pattern: string): RegexCompileResult {
  const previous = last;
  if (previous != null && lastPattern == pattern) return previous;
  const result = Regex.compile(pattern);
  lastPattern = pattern;
  last = result;
  return result;
}

/** `input.matches(pattern)`, using `compiled` when the checker compiled the pattern already. */
export function matches(input: string, pattern: string, compiled: Regex | null): CelValue {
  if (compiled != null) return celBool(compiled.test(input));
  const result = compilePattern(pattern);
  const regex = result.regex;
  if (regex == null) return new CelError("invalid regular expression: " + result.error);
  return celBool(regex.test(input));
}
