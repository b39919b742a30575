// Envoy's StringMatcher (envoy.type.matcher.v3.StringMatcher): exact, prefix, suffix, contains and
// safe_regex. `ignore_case` folds ASCII letters only, as Envoy does (absl::EqualsIgnoreCase and
// friends), and does not apply to regex; a regex must match the whole value (RE2 FullMatch).

import { asciiLowerCase } from "../ascii-case";
import { Regex } from "../regex";

/** Which comparison a StringMatcher makes. */
export enum StringMatchKind {
  Exact,
  Prefix,
  Suffix,
  Contains,
  Regex,
}

/** A StringMatcher, or why its configuration is invalid. */
export class StringMatcherResult {
  constructor(
    /** The matcher, or null when `error` is set. */
    public matcher: StringMatcher | null,
    /** "" when valid; otherwise the reason (an empty prefix, a regex compile error). */
    public error: string,
  ) {}
}

/** Matches a string value as Envoy's StringMatcher does; build it once with StringMatcher.create. */
export class StringMatcher {
  private constructor(
    /** The comparison made. */
    public kind: StringMatchKind,
    /** The configured value (lower-cased when `ignoreCase`) or regex pattern. */
    public value: string,
    /** Whether ASCII case is ignored (never for Regex). */
    public ignoreCase: bool,
    private regex: Regex | null,
  ) {}

  /**
   * Builds a matcher; prefix, suffix and contains need a non-empty value (Envoy's min_len: 1), a
   * regex must compile, and `ignoreCase` is ignored for regex, as in Envoy.
   */
  static create(kind: StringMatchKind, value: string, ignoreCase: bool = false): StringMatcherResult {
    if (kind == StringMatchKind.Regex) {
      const compiled = Regex.compile(value);
      const regex = compiled.regex;
      if (regex == null) return new StringMatcherResult(null, "invalid regex: " + compiled.error);
      return new StringMatcherResult(new StringMatcher(kind, value, false, regex), "");
    }
    if (kind != StringMatchKind.Exact && value.length == 0) {
      return new StringMatcherResult(null, "prefix, suffix and contains values must not be empty");
    }
    const stored = ignoreCase ? asciiLowerCase(value) : value;
    return new StringMatcherResult(new StringMatcher(kind, stored, ignoreCase, null), "");
  }

  /** The compiled regex of a Regex matcher (to read its captures), or null for the other kinds. */
  get compiledRegex(): Regex | null {
    return this.regex;
  }

  /** Whether `input` matches; an absent value (null) never matches. */
  matches(input: string | null): bool {
    if (input == null) return false;
    const regex = this.regex;
    if (regex != null) return regex.fullMatch(input);
    const subject = this.ignoreCase ? asciiLowerCase(input) : input;
    switch (this.kind) {
      case StringMatchKind.Exact:
        return subject == this.value;
      case StringMatchKind.Prefix:
        return subject.startsWith(this.value);
      case StringMatchKind.Suffix:
        return subject.endsWith(this.value);
    }
    return subject.includes(this.value);
  }
}
