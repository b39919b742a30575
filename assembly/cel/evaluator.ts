// The tree-walking evaluator over a checked tree. Attributes are read through the resolver only
// when evaluation reaches them; `&&`, `||`, `?:` and the macros follow CEL's error absorption.

import {
  AttributeNode,
  CallNode,
  ComprehensionNode,
  Fn,
  LiteralNode,
  MacroKind,
  MapNode,
  ListNode,
  Node,
  NodeKind,
  SelectNode,
  VariableNode,
} from "./ast";
import { valuesEqual } from "./compare";
import { callFunction, contains, index } from "./functions";
import { CelMap, CelMapValue, CelMapPut } from "./map";
import { CelBool, CelError, CelKind, CelList, CelValue, celBool, kindName, noOverload } from "./value";

/** Supplies attribute values by name; filters implement it over request data (headers, claims, ...). */
export abstract class CelResolver {
  /** The value of `name` (an identifier or dotted path such as `request.path`), or null when unknown. */
  abstract resolve(name: string): CelValue | null;
}

/** What one evaluation reads: the resolver and the comprehension variables. */
export class Activation {
  constructor(
    /** Where attributes come from. */
    public resolver: CelResolver,
    /** Comprehension variables by slot. */
    public readonly slots: CelValue[],
  ) {}
}

const EMPTY: CelValue[] = [];

function isBool(v: CelValue, expected: bool): bool {
  return v.kind == CelKind.Bool && changetype<CelBool>(v).value == expected;
}

function selectField(operand: CelValue, field: string, testOnly: bool): CelValue {
  if (operand.kind != CelKind.Map) {
    if (operand.isError) return operand;
    return new CelError("type '" + kindName(operand.kind) + "' does not support field selection");
  }
  const found = changetype<CelMap>(operand).getString(field);
  if (testOnly) return celBool(found != null);
  return found != null ? found : new CelError("no such key: '" + field + "'");
}

function attribute(node: AttributeNode, act: Activation): CelValue {
  const names = node.names;
  for (let i = 0; i < names.length; i++) {
    const found = act.resolver.resolve(unchecked(names[i]));
    if (found == null) continue;
    let value: CelValue = found;
    const fields = unchecked(node.fields[i]);
    for (let k = 0; k < fields.length && !value.isError; k++) value = selectField(value, unchecked(fields[k]), false);
    return value;
  }
  return new CelError("undeclared reference to '" + names[0] + "'");
}

function and(node: CallNode, act: Activation): CelValue {
  const left = evaluate(unchecked(node.args[0]), act);
  if (isBool(left, false)) return left;
  const right = evaluate(unchecked(node.args[1]), act);
  if (isBool(right, false)) return right;
  if (isBool(left, true) && isBool(right, true)) return right;
  return left.isError ? left : right.isError ? right : noOverload("_&&_", [left, right]);
}

function or(node: CallNode, act: Activation): CelValue {
  const left = evaluate(unchecked(node.args[0]), act);
  if (isBool(left, true)) return left;
  const right = evaluate(unchecked(node.args[1]), act);
  if (isBool(right, true)) return right;
  if (isBool(left, false) && isBool(right, false)) return right;
  return left.isError ? left : right.isError ? right : noOverload("_||_", [left, right]);
}

function call(node: CallNode, act: Activation): CelValue {
  const fn = node.fn;
  if (fn == Fn.And) return and(node, act);
  if (fn == Fn.Or) return or(node, act);
  const args = node.args;
  if (fn == Fn.Conditional) {
    const condition = evaluate(unchecked(args[0]), act);
    if (condition.kind != CelKind.Bool) return condition.isError ? condition : noOverload("_?_:_", [condition]);
    return evaluate(unchecked(args[changetype<CelBool>(condition).value ? 1 : 2]), act);
  }
  if (args.length == 2) return binary(node, act);
  // A node is never evaluated inside its own arguments, so its scratch array is free here.
  const values = node.scratch;
  for (let i = 0; i < args.length; i++) {
    const v = evaluate(unchecked(args[i]), act);
    if (v.isError) return v;
    unchecked((values[i] = v));
  }
  return callFunction(fn, values, node);
}

// Two-operand calls are most of a policy; the commonest skip the generic dispatch.
function binary(node: CallNode, act: Activation): CelValue {
  const a = evaluate(unchecked(node.args[0]), act);
  if (a.isError) return a;
  const b = evaluate(unchecked(node.args[1]), act);
  if (b.isError) return b;
  switch (node.fn) {
    case Fn.Equals:
      return celBool(valuesEqual(a, b));
    case Fn.NotEquals:
      return celBool(!valuesEqual(a, b));
    case Fn.Index:
      return index(a, b);
    case Fn.In:
      return contains(a, b);
  }
  const values = node.scratch;
  unchecked((values[0] = a));
  unchecked((values[1] = b));
  return callFunction(node.fn, values, node);
}

function list(node: ListNode, act: Activation): CelValue {
  const items = node.items;
  const values = new Array<CelValue>(items.length);
  for (let i = 0; i < items.length; i++) {
    const v = evaluate(unchecked(items[i]), act);
    if (v.isError) return v;
    unchecked((values[i] = v));
  }
  return new CelList(values);
}

function map(node: MapNode, act: Activation): CelValue {
  const out = new CelMapValue();
  for (let i = 0; i < node.keys.length; i++) {
    const key = evaluate(unchecked(node.keys[i]), act);
    if (key.isError) return key;
    const value = evaluate(unchecked(node.values[i]), act);
    if (value.isError) return value;
    const put = out.put(key, value);
    if (put == CelMapPut.Duplicate) return new CelError("repeated key in map literal");
    if (put == CelMapPut.BadKeyType) return new CelError("unsupported key type '" + kindName(key.kind) + "'");
  }
  return out;
}

function comprehension(node: ComprehensionNode, act: Activation): CelValue {
  const range = evaluate(node.range, act);
  if (range.isError) return range;
  let items: CelValue[];
  if (range.kind == CelKind.List) items = changetype<CelList>(range).items;
  else if (range.kind == CelKind.Map) items = changetype<CelMap>(range).keys();
  else return new CelError("cannot iterate over '" + kindName(range.kind) + "'");
  const macro = node.macro;
  const slot = node.slot;
  const out: CelValue[] = macro == MacroKind.Map || macro == MacroKind.Filter ? [] : EMPTY;
  let error: CelValue | null = null;
  let count = 0;
  for (let i = 0; i < items.length; i++) {
    const item = unchecked(items[i]);
    unchecked((act.slots[slot] = item));
    const filter = node.filter;
    if (filter != null) {
      const keep = evaluate(filter, act);
      if (keep.kind != CelKind.Bool) return keep.isError ? keep : noOverload("predicate", [keep]);
      if (!changetype<CelBool>(keep).value) continue;
    }
    const v = evaluate(node.step, act);
    if (macro == MacroKind.Map) {
      if (v.isError) return v;
      out.push(v);
      continue;
    }
    if (v.kind != CelKind.Bool) {
      if (macro != MacroKind.All && macro != MacroKind.Exists) return v.isError ? v : noOverload("predicate", [v]);
      if (error == null) error = v.isError ? v : noOverload("predicate", [v]);
      continue;
    }
    const truth = changetype<CelBool>(v).value;
    if (macro == MacroKind.All && !truth) return v;
    if (macro == MacroKind.Exists && truth) return v;
    if (macro == MacroKind.ExistsOne && truth) count++;
    if (macro == MacroKind.Filter && truth) out.push(item);
  }
  if (error != null) return error;
  switch (macro) {
    case MacroKind.All:
      return celBool(true);
    case MacroKind.Exists:
      return celBool(false);
    case MacroKind.ExistsOne:
      return celBool(count == 1);
    default:
      return new CelList(out);
  }
}

/** Evaluates a checked node; the result is a value or a CelError, never a trap. */
export function evaluate(node: Node, act: Activation): CelValue {
  switch (node.kind) {
    case NodeKind.Literal:
      return changetype<LiteralNode>(node).value;
    case NodeKind.Attribute:
      return attribute(changetype<AttributeNode>(node), act);
    case NodeKind.Variable:
      return unchecked(act.slots[changetype<VariableNode>(node).slot]);
    case NodeKind.Select: {
      const select = changetype<SelectNode>(node);
      return selectField(evaluate(select.operand, act), select.field, select.testOnly);
    }
    case NodeKind.Call:
      return call(changetype<CallNode>(node), act);
    case NodeKind.List:
      return list(changetype<ListNode>(node), act);
    case NodeKind.Map:
      return map(changetype<MapNode>(node), act);
    case NodeKind.Comprehension:
      return comprehension(changetype<ComprehensionNode>(node), act);
    default:
      return new CelError("unresolved name");
  }
}
