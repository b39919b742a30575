// Header operations, each an object with one key: Envoy's four append actions (`add`,
// `add_if_absent`, `set`, `overwrite_if_exists`), an in-place `append`, `remove`,
// `remove_matching` (Envoy header_mutation remove_on_match), `rename`, `copy` and `dedupe`
// (Higress transformer strategies). Values are templates; as in Envoy, an empty value is not
// written unless `keep_empty_value` is set.

import { JsonReader, StringMatcher, readStringMatcher } from "../../assembly";
import { isHeaderValue } from "./guard";
import { RewriteMetrics } from "./metrics";
import { RenderContext, render } from "./render";
import { OpScope } from "./scope";
import { Template } from "./template";

/** What a header operation does. */
export enum HeaderOpKind {
  Add,
  AddIfAbsent,
  Set,
  OverwriteIfExists,
  Append,
  Remove,
  RemoveMatching,
  Rename,
  Copy,
  Dedupe,
}

/** How `dedupe` collapses repeated values. */
export enum Dedupe {
  RetainFirst,
  RetainLast,
  RetainUnique,
  SplitAndRetainFirst,
  SplitAndRetainLast,
}

/** One parsed header operation. */
export class HeaderOp {
  /** The header written, removed or deduplicated; the target of rename and copy. */
  name: string = "";
  /** rename and copy: the header read. */
  source: string = "";
  /** The value written. */
  value: Template | null = null;
  /** Write the value even when it renders empty. */
  keepEmpty: bool = false;
  /** append: put between the old and the new value. */
  separator: string = ",";
  /** remove_matching: the names removed. */
  matcher: StringMatcher | null = null;
  /** dedupe: the strategy. */
  strategy: Dedupe = Dedupe.RetainFirst;

  constructor(public kind: HeaderOpKind) {}
}

const VALUE_VERBS = ["add", "add_if_absent", "set", "overwrite_if_exists", "append"];
const STRATEGIES = ["RETAIN_FIRST", "RETAIN_LAST", "RETAIN_UNIQUE", "SPLIT_AND_RETAIN_FIRST", "SPLIT_AND_RETAIN_LAST"];
const ONE_OF =
  "must be an object with one of add, add_if_absent, set, overwrite_if_exists, append, remove, remove_matching, rename, copy, dedupe";

/** Parses a list of header operations; stops at the first problem (recorded on the readers). */
export function parseHeaderOps(items: Array<JsonReader>, scope: OpScope): Array<HeaderOp> {
  const ops = new Array<HeaderOp>();
  for (let i = 0; i < items.length; i++) {
    const item = items[i];
    if (!item.value.isObject() || item.value.keys.length != 1) {
      item.fail(ONE_OF);
      break;
    }
    const verb = item.value.keys[0];
    const op = parseOp(verb, item.field(verb), scope);
    if (!item.ok) break;
    if (op == null) {
      item.field(verb).fail("unknown operation; " + ONE_OF);
      break;
    }
    ops.push(op);
  }
  return ops;
}

function parseOp(verb: string, body: JsonReader, scope: OpScope): HeaderOp | null {
  const valueVerb = VALUE_VERBS.indexOf(verb);
  if (valueVerb >= 0) {
    const op = new HeaderOp(<HeaderOpKind>valueVerb);
    const fields =
      verb == "append" ? ["name", "value", "keep_empty_value", "separator"] : ["name", "value", "keep_empty_value"];
    if (!body.expectObject() || !body.allowOnly(fields)) return op;
    op.name = scope.writableName(body.require("name"));
    op.value = scope.template(body.require("value"));
    op.keepEmpty = body.optionalBool("keep_empty_value");
    op.separator = body.optionalString("separator", ",");
    if (body.ok && op.value!.isStatic && !isHeaderValue(op.value!.literal())) {
      body.field("value").fail("must not contain control characters (CR, LF, NUL, ...)");
    }
    return op;
  }
  if (verb == "remove") {
    const op = new HeaderOp(HeaderOpKind.Remove);
    op.name = scope.writableName(body);
    return op;
  }
  if (verb == "remove_matching") {
    const op = new HeaderOp(HeaderOpKind.RemoveMatching);
    op.matcher = readStringMatcher(body);
    return op;
  }
  if (verb == "rename" || verb == "copy") {
    const op = new HeaderOp(verb == "rename" ? HeaderOpKind.Rename : HeaderOpKind.Copy);
    if (!body.expectObject() || !body.allowOnly(["from", "to"])) return op;
    const from = body.require("from");
    op.source = verb == "rename" ? scope.writableName(from) : scope.readableName(from);
    op.name = scope.writableName(body.require("to"));
    return op;
  }
  if (verb == "dedupe") {
    const op = new HeaderOp(HeaderOpKind.Dedupe);
    if (!body.expectObject() || !body.allowOnly(["name", "strategy"])) return op;
    op.name = scope.writableName(body.require("name"));
    const strategy = body.optional("strategy");
    if (strategy != null) {
      const at = STRATEGIES.indexOf(strategy.string());
      if (at < 0 && strategy.ok) strategy.fail("must be one of " + STRATEGIES.join(", "));
      op.strategy = <Dedupe>max(at, 0);
    }
    return op;
  }
  return null;
}

/** Applies `ops` in order to the headers of `context`'s phase. */
export function applyHeaderOps(
  ops: Array<HeaderOp>,
  context: RenderContext,
  scope: OpScope,
  metrics: RewriteMetrics,
): void {
  for (let i = 0; i < ops.length; i++) {
    const op = ops[i];
    if (op.kind <= HeaderOpKind.Append) {
      const value = render(op.value!, context);
      if (value.length == 0 && !op.keepEmpty) continue;
      if (!isHeaderValue(value)) {
        metrics.invalidValue.increment();
        continue;
      }
      writeValue(op, context, value);
    } else if (op.kind == HeaderOpKind.Remove) context.remove(op.name);
    else if (op.kind == HeaderOpKind.RemoveMatching) removeMatching(op.matcher!, context, scope, metrics);
    else if (op.kind == HeaderOpKind.Dedupe) dedupe(op, context);
    else moveOrCopy(op, context);
  }
}

function writeValue(op: HeaderOp, context: RenderContext, value: string): void {
  switch (op.kind) {
    case HeaderOpKind.Add:
      context.add(op.name, value);
      break;
    case HeaderOpKind.Set:
      context.replace(op.name, value);
      break;
    case HeaderOpKind.AddIfAbsent:
      if (context.header(op.name) == null) context.add(op.name, value);
      break;
    case HeaderOpKind.OverwriteIfExists:
      if (context.header(op.name) != null) context.replace(op.name, value);
      break;
    default: {
      const existing = context.header(op.name);
      context.replace(op.name, existing == null ? value : existing + op.separator + value);
    }
  }
}

// Removing a name drops all its entries from the context's copy, in place, so the entry at `i`
// is then the next one and no name is removed twice.
function removeMatching(matcher: StringMatcher, context: RenderContext, scope: OpScope, metrics: RewriteMetrics): void {
  const pairs = context.entries();
  let i = 0;
  while (i < pairs.length) {
    const name = pairs[i].name;
    if (matcher.matches(name)) {
      if (scope.guard.permits(name)) {
        context.remove(name);
        continue;
      }
      metrics.protectedSkipped.increment();
    }
    i++;
  }
}

// rename moves every value of `source` to `name` (replacing it); copy sets `name` to `source`'s joined value.
function moveOrCopy(op: HeaderOp, context: RenderContext): void {
  if (op.kind == HeaderOpKind.Copy) {
    const value = context.header(op.source);
    if (value != null) context.replace(op.name, value);
    return;
  }
  const values = context.values(op.source);
  if (values.length == 0 || op.source == op.name) return;
  context.remove(op.source);
  context.remove(op.name);
  for (let i = 0; i < values.length; i++) context.add(op.name, values[i]);
}

function dedupe(op: HeaderOp, context: RenderContext): void {
  const values = context.values(op.name);
  if (values.length == 0) return;
  if (op.strategy == Dedupe.SplitAndRetainFirst || op.strategy == Dedupe.SplitAndRetainLast) {
    const parts = context.header(op.name)!.split(",");
    const first = op.strategy == Dedupe.SplitAndRetainFirst;
    context.replace(op.name, (first ? parts[0] : parts[parts.length - 1]).trim());
    return;
  }
  if (values.length == 1) return;
  const kept = new Array<string>();
  if (op.strategy == Dedupe.RetainFirst) kept.push(values[0]);
  else if (op.strategy == Dedupe.RetainLast) kept.push(values[values.length - 1]);
  else for (let i = 0; i < values.length; i++) if (!kept.includes(values[i])) kept.push(values[i]);
  context.remove(op.name);
  for (let i = 0; i < kept.length; i++) context.add(op.name, kept[i]);
}
