// Parses and validates the header-rewrite configuration once, in onConfigure. Every error names
// the offending field by its JSON path.

import { JsonReader, JsonValue } from "../../assembly";

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

const TOP_LEVEL_FIELDS = ["request_headers", "response_headers"];

/** Builds the configuration from parsed JSON, or explains the first problem found. */
export function parseConfig(json: JsonValue): ConfigResult {
  const config = new RewriteConfig();
  const root = JsonReader.root(json);
  if (root.expectObject() && root.allowOnly(TOP_LEVEL_FIELDS)) {
    parseOperations(root.optionalArray("request_headers"), config.requestHeaders);
    parseOperations(root.optionalArray("response_headers"), config.responseHeaders);
  }
  return root.ok ? new ConfigResult(config, "") : new ConfigResult(null, root.error);
}

// Stops at the first problem: the reader keeps only that one.
function parseOperations(items: Array<JsonReader>, out: Array<Operation>): void {
  for (let i = 0; i < items.length; i++) {
    const item = items[i];
    if (!item.value.isObject() || item.value.keys.length != 1) {
      item.fail('must be an object with exactly one of "set", "add" or "remove"');
      return;
    }
    const verb = item.value.keys[0];
    const body = item.field(verb);
    if (verb == "remove") {
      const name = body.string("must be a header name string, got " + body.value.kindName());
      if (!body.ok || !checkName(body, name)) return;
      out.push(new Operation(OperationKind.Remove, name.toLowerCase(), ""));
      continue;
    }
    if (verb != "set" && verb != "add") {
      body.fail('unknown operation (use "set", "add" or "remove")');
      return;
    }
    if (!body.expectObject() || !body.allowOnly(["name", "value"])) return;
    const nameField = body.field("name");
    const name = nameField.string("must be a header name string");
    if (!body.ok || !checkName(nameField, name)) return;
    const valueField = body.field("value");
    const value = valueField.string("must be a string");
    if (!body.ok) return;
    if (!isValidValue(value)) {
      valueField.fail("must not contain control characters (CR, LF, NUL, ...)");
      return;
    }
    out.push(new Operation(verb == "set" ? OperationKind.Set : OperationKind.Add, name.toLowerCase(), value));
  }
}

function checkName(field: JsonReader, name: string): bool {
  if (name.length == 0) return field.fail("must not be empty");
  if (name.charCodeAt(0) == 0x3a) return field.fail("pseudo-headers cannot be rewritten by this operation");
  for (let i = 0; i < name.length; i++) {
    if (!isTokenChar(name.charCodeAt(i))) return field.fail('is not a valid header name: "' + name + '"');
  }
  return true;
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
