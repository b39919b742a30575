// Route rules (Envoy's RequirementRule): the first rule whose match fits the request decides the
// requirement; a request no rule matches, or whose rule names no requirement, is not checked.

import { asciiLowerCase, JsonReader, Regex } from "../../assembly";
import { Provider } from "./provider";
import { Requirement, readRequirement } from "./requirement";

/** How a rule compares the request path (without its query, as Envoy's RouteMatch does). */
export enum PathMatch {
  Prefix,
  Exact,
  Regex,
  SeparatedPrefix,
}

/** One rule: a path (and optional method) match and its requirement. */
export class Rule {
  /** The kind of path comparison. */
  kind: PathMatch = PathMatch.Prefix;
  /** The prefix or exact path (lowercase when not case sensitive). */
  value: string = "";
  /** The compiled regex of a Regex match. */
  regex: Regex | null = null;
  /** Whether prefix and exact comparisons respect case (Envoy's case_sensitive, default true). */
  caseSensitive: bool = true;
  /** Methods the rule applies to; empty means any. */
  methods: Array<string> = [];
  /** The requirement, or null for "no verification". */
  requirement: Requirement | null = null;

  /** Whether the rule applies to a request with `path` (query removed) and `method`. */
  matches(path: string, method: string): bool {
    if (this.methods.length > 0 && !this.methods.includes(method)) return false;
    const subject = this.caseSensitive ? path : asciiLowerCase(path);
    if (this.kind == PathMatch.Prefix) return subject.startsWith(this.value);
    if (this.kind == PathMatch.Exact) return subject == this.value;
    if (this.kind == PathMatch.Regex) return this.regex!.fullMatch(path);
    // path_separated_prefix: the prefix, then the end of the path or a "/".
    return subject == this.value || subject.startsWith(this.value + "/");
  }
}

const MATCH_KINDS = ["prefix", "path", "safe_regex", "path_separated_prefix"];

/** Reads the rules list; null with the error recorded on `root`. */
export function readRules(
  items: Array<JsonReader>,
  providers: Map<string, Provider>,
  named: Map<string, Requirement>,
): Array<Rule> | null {
  const rules = new Array<Rule>();
  for (let i = 0; i < items.length; i++) {
    const item = items[i];
    if (!item.expectObject() || !item.allowOnly(["match", "requires", "requirement_name"])) return null;
    const rule = new Rule();
    if (!readMatch(item.require("match"), rule)) return null;
    const requires = item.optional("requires");
    const name = item.optional("requirement_name");
    if (requires != null && name != null) return fail(name, "cannot be combined with requires");
    if (requires != null) {
      rule.requirement = readRequirement(requires, providers);
      if (rule.requirement == null) return null;
    } else if (name != null) {
      const key = name.string();
      if (!item.ok) return null;
      if (!named.has(key)) return fail(name, 'names no entry of requirement_map: "' + key + '"');
      rule.requirement = named.get(key);
    }
    rules.push(rule);
  }
  return rules;
}

function fail(reader: JsonReader, message: string): Array<Rule> | null {
  reader.fail(message);
  return null;
}

function readMatch(reader: JsonReader, rule: Rule): bool {
  if (
    !reader.expectObject() ||
    !reader.allowOnly(["prefix", "path", "safe_regex", "path_separated_prefix", "case_sensitive", "methods"])
  ) {
    return false;
  }
  let found = -1;
  for (let i = 0; i < MATCH_KINDS.length; i++) {
    if (reader.value.get(MATCH_KINDS[i]) == null) continue;
    if (found >= 0) found = -2;
    else if (found == -1) found = i;
  }
  if (found < 0) return reader.fail("must have exactly one of prefix, path, safe_regex or path_separated_prefix");
  rule.caseSensitive = reader.optionalBool("case_sensitive", true);
  const methods = reader.optionalArray("methods");
  for (let i = 0; i < methods.length; i++) rule.methods.push(methods[i].string());
  if (found == 2) {
    const body = reader.field("safe_regex");
    if (!body.expectObject() || !body.allowOnly(["regex"])) return false;
    const pattern = body.require("regex");
    const compiled = Regex.compile(pattern.string());
    if (!reader.ok) return false;
    if (compiled.regex == null) return pattern.fail("invalid regex: " + compiled.error);
    rule.kind = PathMatch.Regex;
    rule.regex = compiled.regex;
    return true;
  }
  rule.kind = found == 0 ? PathMatch.Prefix : found == 1 ? PathMatch.Exact : PathMatch.SeparatedPrefix;
  const value = reader.field(MATCH_KINDS[found]).string();
  if (found == 3 && reader.ok && (!value.startsWith("/") || value.endsWith("/"))) {
    return reader.field("path_separated_prefix").fail('must start with "/" and not end with "/"');
  }
  rule.value = rule.caseSensitive ? value : asciiLowerCase(value);
  return reader.ok;
}
