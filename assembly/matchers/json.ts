// Envoy's StringMatcher in its JSON form (envoy.type.matcher.v3.StringMatcher), read from a
// configuration with the JSON path of any mistake.

import { JsonReader } from "../json/reader";
import { StringMatchKind, StringMatcher } from "./string-matcher";

/** Reads Envoy's StringMatcher JSON (exactly one of exact, prefix, suffix, contains, safe_regex {regex}; ignore_case); null with the error recorded. */
export function readStringMatcher(reader: JsonReader): StringMatcher | null {
  if (!reader.expectObject()) return null;
  const kinds = ["exact", "prefix", "suffix", "contains", "safe_regex"];
  if (!reader.allowOnly(["exact", "prefix", "suffix", "contains", "safe_regex", "ignore_case"])) return null;
  let found = -1;
  for (let i = 0; i < kinds.length; i++) {
    if (reader.value.get(kinds[i]) == null) continue;
    if (found >= 0) return failMatcher(reader);
    found = i;
  }
  if (found < 0) return failMatcher(reader);
  let value = "";
  if (found == 4) {
    const regex = reader.field("safe_regex");
    if (!regex.expectObject() || !regex.allowOnly(["regex"])) return null;
    value = regex.requireString("regex");
  } else {
    value = reader.field(kinds[found]).string();
  }
  const ignoreCase = reader.optionalBool("ignore_case");
  if (!reader.ok) return null;
  const kind = [
    StringMatchKind.Exact,
    StringMatchKind.Prefix,
    StringMatchKind.Suffix,
    StringMatchKind.Contains,
    StringMatchKind.Regex,
  ][found];
  const built = StringMatcher.create(kind, value, ignoreCase);
  if (built.matcher == null) reader.field(kinds[found]).fail(built.error);
  return built.matcher;
}

function failMatcher(reader: JsonReader): StringMatcher | null {
  reader.fail("must have exactly one of exact, prefix, suffix, contains or safe_regex");
  return null;
}
