// Parses and validates the header-rewrite configuration once, in onConfigure. Every error names
// the offending field by its JSON path.

import { JsonValue } from "../../assembly";

/** What an operation does to a header. */
export enum OperationKind {
  Set,
  Add,
  Remove,
}

/** One header operation, applied in configuration order. */
export class Operation {
  constructor(
    public kind: OperationKind,
    public name: string,
    public value: string,
  ) {}
}

/** The parsed configuration: operations for request headers and for response headers. */
export class RewriteConfig {
  requestHeaders: Array<Operation> = [];
  responseHeaders: Array<Operation> = [];
}

/** A configuration, or the reason it was rejected. */
export class ConfigResult {
  constructor(
    public config: RewriteConfig | null,
    public error: string,
  ) {}
}

class Invalid {
  constructor(
    public path: string,
    public message: string,
  ) {}
}

const TOP_LEVEL_FIELDS = ["request_headers", "response_headers"];

/** Builds the configuration from parsed JSON, or explains the first problem found. */
export function parseConfig(json: JsonValue): ConfigResult {
  const config = new RewriteConfig();
  let problem: Invalid | null = null;
  if (!json.isObject()) {
    problem = new Invalid("(root)", "must be an object, got " + json.kindName());
  } else {
    problem = unknownField(json, "", TOP_LEVEL_FIELDS);
    if (problem == null)
      problem = parseOperations(json.get("request_headers"), "request_headers", config.requestHeaders);
    if (problem == null)
      problem = parseOperations(json.get("response_headers"), "response_headers", config.responseHeaders);
  }
  if (problem != null) return new ConfigResult(null, problem.path + ": " + problem.message);
  return new ConfigResult(config, "");
}

function unknownField(object: JsonValue, path: string, allowed: Array<string>): Invalid | null {
  for (let i = 0; i < object.keys.length; i++) {
    const key = object.keys[i];
    if (!allowed.includes(key)) return new Invalid(path + key, "unknown field");
  }
  return null;
}

function parseOperations(list: JsonValue | null, path: string, out: Array<Operation>): Invalid | null {
  if (list == null) return null;
  if (!list.isArray()) return new Invalid(path, "must be an array, got " + list.kindName());
  for (let i = 0; i < list.elements.length; i++) {
    const itemPath = path + "[" + i.toString() + "]";
    const item = list.elements[i];
    if (!item.isObject() || item.keys.length != 1) {
      return new Invalid(itemPath, 'must be an object with exactly one of "set", "add" or "remove"');
    }
    const verb = item.keys[0];
    const body = item.get(verb)!;
    const verbPath = itemPath + "." + verb;
    if (verb == "remove") {
      if (!body.isString()) return new Invalid(verbPath, "must be a header name string, got " + body.kindName());
      const nameProblem = checkName(body.string, verbPath);
      if (nameProblem != null) return nameProblem;
      out.push(new Operation(OperationKind.Remove, body.string.toLowerCase(), ""));
      continue;
    }
    if (verb != "set" && verb != "add")
      return new Invalid(verbPath, 'unknown operation (use "set", "add" or "remove")');
    if (!body.isObject()) return new Invalid(verbPath, "must be an object, got " + body.kindName());
    const fieldProblem = unknownField(body, verbPath + ".", ["name", "value"]);
    if (fieldProblem != null) return fieldProblem;
    const name = body.get("name");
    if (name == null || !name.isString()) return new Invalid(verbPath + ".name", "must be a header name string");
    const nameProblem = checkName(name.string, verbPath + ".name");
    if (nameProblem != null) return nameProblem;
    const value = body.get("value");
    if (value == null || !value.isString()) return new Invalid(verbPath + ".value", "must be a string");
    if (!isValidValue(value.string)) {
      return new Invalid(verbPath + ".value", "must not contain control characters (CR, LF, NUL, ...)");
    }
    const kind = verb == "set" ? OperationKind.Set : OperationKind.Add;
    out.push(new Operation(kind, name.string.toLowerCase(), value.string));
  }
  return null;
}

function checkName(name: string, path: string): Invalid | null {
  if (name.length == 0) return new Invalid(path, "must not be empty");
  if (name.charCodeAt(0) == 0x3a) return new Invalid(path, "pseudo-headers cannot be rewritten by this operation");
  for (let i = 0; i < name.length; i++) {
    if (!isTokenChar(name.charCodeAt(i))) return new Invalid(path, 'is not a valid header name: "' + name + '"');
  }
  return null;
}

// RFC 9110 token characters.
function isTokenChar(c: i32): bool {
  if ((c >= 0x30 && c <= 0x39) || (c >= 0x41 && c <= 0x5a) || (c >= 0x61 && c <= 0x7a)) return true;
  return "!#$%&'*+-.^_`|~".includes(String.fromCharCode(c));
}

// RFC 9110 field values: visible characters, spaces, tabs and obs-text; no CR, LF, NUL or DEL.
function isValidValue(value: string): bool {
  for (let i = 0; i < value.length; i++) {
    const c = value.charCodeAt(i);
    if ((c < 0x20 && c != 0x09) || c == 0x7f) return false;
  }
  return true;
}
