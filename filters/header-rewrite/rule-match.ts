// When a rule applies: Envoy route-style conditions on the request, all of which must hold: methods,
// `:authority`, the path without its query (a safe_regex path also gives %CAPTURE% groups),
// header matchers (every value joined with ",", as Envoy's HeaderMatcher), query parameter
// matchers, and a CEL condition. Cheap conditions are checked first.

import {
  asciiLowerCase,
  CelProgram,
  JsonReader,
  QueryString,
  Regex,
  StringMatcher,
  readStringMatcher,
  requestHeaderKey,
} from "../../assembly";
import { isHeaderName } from "./guard";
import { RenderContext } from "./render";

/** A header or query parameter condition: a value matcher, or presence when `matcher` is null. */
export class NamedCondition {
  constructor(
    /** The header (lower case) or query parameter name. */
    public name: string,
    /** The value matcher; null means "present". */
    public matcher: StringMatcher | null,
    /** Envoy's invert_match: the condition holds when the matcher does not. */
    public invert: bool,
  ) {}

  /** Whether the condition holds for `value` (null when absent); as Envoy, an absent value only satisfies an inverted presence check. */
  holds(value: string | null): bool {
    const matcher = this.matcher;
    if (value == null) return matcher == null && this.invert;
    return (matcher == null || matcher.matches(value)) != this.invert;
  }
}

/** A rule's conditions; an empty match applies to every request. */
export class RuleMatch {
  methods: Array<string> = [];
  host: StringMatcher | null = null;
  path: StringMatcher | null = null;
  headers: Array<NamedCondition> = [];
  query: Array<NamedCondition> = [];
  condition: CelProgram | null = null;

  /** The path's regex when the path condition is a safe_regex (its groups feed %CAPTURE%). */
  pathRegex(): Regex | null {
    const path = this.path;
    return path == null ? null : path.compiledRegex;
  }

  /** Whether the current request meets every condition; a path regex's match is kept in `context`. */
  matches(context: RenderContext): bool {
    if (this.methods.length > 0) {
      const method = context.method();
      if (method == null || !this.methods.includes(method)) return false;
    }
    const host = this.host;
    if (host != null && !host.matches(context.authority())) return false;
    const path = this.path;
    if (path != null) {
      const bare = context.pathWithoutQuery();
      if (!path.matches(bare)) return false;
      const regex = path.compiledRegex;
      if (regex != null) context.match = regex.execFull(bare!);
    }
    for (let i = 0; i < this.headers.length; i++) {
      if (!this.headers[i].holds(context.header(this.headers[i].name))) return false;
    }
    if (this.query.length > 0) {
      const full = context.header(":path");
      const query = QueryString.parse(full == null ? "" : full);
      for (let i = 0; i < this.query.length; i++) if (!this.query[i].holds(query.get(this.query[i].name))) return false;
    }
    const condition = this.condition;
    return condition == null || condition.test(context.attributes());
  }
}

const MATCH_FIELDS = ["methods", "host", "path", "headers", "query_parameters", "condition"];

/** Parses a rule's `match`; problems are recorded on the reader. */
export function parseMatch(reader: JsonReader | null): RuleMatch {
  const match = new RuleMatch();
  if (reader == null || !reader.expectObject() || !reader.allowOnly(MATCH_FIELDS)) return match;
  const methods = reader.optionalArray("methods");
  for (let i = 0; i < methods.length; i++) match.methods.push(methods[i].string());
  const host = reader.optional("host");
  if (host != null) match.host = readStringMatcher(host);
  const path = reader.optional("path");
  if (path != null) match.path = readStringMatcher(path);
  const headers = reader.optionalArray("headers");
  for (let i = 0; i < headers.length && reader.ok; i++) match.headers.push(namedCondition(headers[i], true));
  const query = reader.optionalArray("query_parameters");
  for (let i = 0; i < query.length && reader.ok; i++) match.query.push(namedCondition(query[i], false));
  const condition = reader.optional("condition");
  if (condition != null) {
    const source = condition.string();
    const compiled = CelProgram.compile(source);
    if (condition.ok && compiled.program == null) condition.fail("invalid CEL expression: " + compiled.error);
    match.condition = compiled.program;
  }
  return match;
}

// Envoy's HeaderMatcher / QueryParameterMatcher JSON: name plus string_match or present_match.
function namedCondition(reader: JsonReader, header: bool): NamedCondition {
  const fields = header
    ? ["name", "string_match", "present_match", "invert_match"]
    : ["name", "string_match", "present_match"];
  const none = new NamedCondition("", null, false);
  if (!reader.expectObject() || !reader.allowOnly(fields)) return none;
  const nameField = reader.require("name");
  let name = nameField.string();
  if (header) {
    name = requestHeaderKey(asciiLowerCase(name));
    if (nameField.ok && !isHeaderName(name)) nameField.fail('is not a valid header name: "' + name + '"');
  } else if (nameField.ok && name.length == 0) {
    nameField.fail("must not be empty");
  }
  const stringMatch = reader.optional("string_match");
  const present = reader.optional("present_match");
  if ((stringMatch == null) == (present == null)) {
    reader.fail("needs exactly one of string_match or present_match");
    return none;
  }
  if (present != null && present.bool() == false && present.ok)
    present.fail("must be true (use invert_match for absence)");
  const matcher: StringMatcher | null = stringMatch == null ? null : readStringMatcher(stringMatch);
  return new NamedCondition(name, matcher, header && reader.optionalBool("invert_match"));
}
