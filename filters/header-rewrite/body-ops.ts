// JSON body fields: `{"set": {"path": "a.b", "value": <JSON>}}` and `{"remove": "a.b"}`, applied in
// order to the whole body with textual edits, so untouched parts stay byte for byte. A string
// value is a template (rendered, then written as a JSON string); other values are written as given.

import { JsonReader, JsonKind, jsonQuote, jsonRemoveAt, jsonSetAt, parseJsonPath, stringifyJson } from "../../assembly";
import { RenderContext, render } from "./render";
import { OpScope } from "./scope";
import { Template } from "./template";

/** One body operation. */
export class BodyOp {
  /** The field's path, split at dots. */
  path: Array<string> = [];
  /** set: a JSON value written as is; "" for a template or remove. */
  json: string = "";
  /** set: a string value's template. */
  template: Template | null = null;

  constructor(
    /** True for remove, false for set. */
    public remove: bool,
  ) {}
}

/** The outcome of editing a body. */
export class BodyEdit {
  constructor(
    /** The new body, or null when nothing changed. */
    public text: string | null,
    /** True when the body was not JSON (it is then left alone). */
    public notJson: bool,
  ) {}
}

/** Parses body operations; stops at the first problem. */
export function parseBodyOps(items: Array<JsonReader>, scope: OpScope): Array<BodyOp> {
  const ops = new Array<BodyOp>();
  for (let i = 0; i < items.length; i++) {
    const item = items[i];
    if (!item.value.isObject() || item.value.keys.length != 1) {
      item.fail("must be an object with one of set or remove");
      break;
    }
    const verb = item.value.keys[0];
    const body = item.field(verb);
    let op: BodyOp | null = null;
    if (verb == "remove") {
      op = new BodyOp(true);
      op.path = fieldPath(body);
    } else if (verb == "set") {
      op = new BodyOp(false);
      if (body.expectObject() && body.allowOnly(["path", "value"])) {
        op.path = fieldPath(body.require("path"));
        const value = body.require("value");
        if (value.value.kind == JsonKind.String) op.template = scope.template(value);
        else op.json = stringifyJson(value.value);
      }
    } else {
      body.fail("unknown operation; use set or remove");
      break;
    }
    if (!item.ok) break;
    ops.push(op!);
  }
  return ops;
}

/** Applies `ops` to the JSON document `text`. */
export function editBody(ops: Array<BodyOp>, text: string, context: RenderContext): BodyEdit {
  let current = text;
  let changed = false;
  for (let i = 0; i < ops.length; i++) {
    const op = ops[i];
    const template = op.template;
    const edit = op.remove
      ? jsonRemoveAt(current, op.path)
      : jsonSetAt(current, op.path, template == null ? op.json : jsonQuote(render(template, context)));
    if (edit.error.startsWith("not JSON")) return new BodyEdit(null, true);
    if (!edit.changed) continue;
    current = edit.text;
    changed = true;
  }
  return new BodyEdit(changed ? current : null, false);
}

function fieldPath(reader: JsonReader): Array<string> {
  const text = reader.string();
  if (!reader.ok) return [];
  const path = parseJsonPath(text);
  if (path == null) {
    reader.fail("must be a dotted field path such as a.b (\\. for a dot in a name)");
    return [];
  }
  return path;
}
