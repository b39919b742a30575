// Test entry: string matchers, path templates and CIDR sets through plain functions. Results that
// can fail come back as "error:<reason>" or the answer as text.

import { CidrSet, PathTemplate, StringMatchKind, StringMatcher, StringMatcherIndex } from "../../../assembly/matchers";

/** kind: 0 exact, 1 prefix, 2 suffix, 3 contains, 4 regex; "true"/"false" or "error:...". */
export function stringMatch(kind: i32, value: string, ignoreCase: bool, input: string): string {
  const result = StringMatcher.create(<StringMatchKind>kind, value, ignoreCase);
  const matcher = result.matcher;
  if (matcher == null) return "error:" + result.error;
  return matcher.matches(input) ? "true" : "false";
}

export function stringMatchAbsent(kind: i32, value: string): bool {
  const matcher = StringMatcher.create(<StringMatchKind>kind, value, false).matcher;
  return matcher != null && matcher.matches(null);
}

/**
 * `matchers` is one "kind ignoreCase value" per line (ignoreCase 0 or 1; "-" alone for no matcher);
 * per matcher, what a StringMatcherIndex says of `input`: "y" or "n" for the ones it covers,
 * "-" for the others. `absent` scans a missing value instead.
 */
export function indexScan(matchers: string, input: string, absent: bool): string {
  const lines = matchers.length == 0 ? new Array<string>() : matchers.split("\n");
  const list = new Array<StringMatcher | null>();
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i];
    if (line == "-") {
      list.push(null);
      continue;
    }
    const kind = <StringMatchKind>I32.parseInt(line.substring(0, 1));
    list.push(StringMatcher.create(kind, line.substring(4), line.charAt(2) == "1").matcher);
  }
  const index = new StringMatcherIndex(list);
  index.scan(absent ? null : input);
  let out = "";
  for (let i = 0; i < list.length; i++) out += index.covers(i) ? (index.matched(i) ? "y" : "n") : "-";
  return out;
}

export function pathTemplateMatch(template: string, path: string): string {
  const result = PathTemplate.compile(template);
  const compiled = result.template;
  if (compiled == null) return "error:" + result.error;
  return compiled.matches(path) ? "true" : "false";
}

export function isPathTemplate(template: string): bool {
  return PathTemplate.isTemplate(template);
}

/** `ranges` separated by ","; "true"/"false" or "error:...". */
export function cidrContains(ranges: string, address: string): string {
  const set = new CidrSet();
  const entries = ranges.split(",");
  for (let i = 0; i < entries.length; i++) {
    const error = set.add(entries[i]);
    if (error.length > 0) return "error:" + error;
  }
  return set.contains(address) ? "true" : "false";
}
