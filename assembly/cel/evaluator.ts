// The tree-walking evaluator over a checked tree. Attributes are read through the resolver only
// when evaluation reaches them, each name at most once per evaluation; `&&`, `||`, `?:` and the
// macros follow CEL's error absorption.

import {
  AttributeNode,
  AttributeStep,
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
import { at, cell, count, textEndsWith, textStartsWith } from "./fast";
import { callFunction, contains, index } from "./functions";
import { CelMap, CelMapValue, CelMapPut } from "./map";
import { codePointCount } from "./text";
import {
  CEL_TRUE,
  CEL_FALSE,
  CelBool,
  CelError,
  CelInt,
  CelKind,
  CelList,
  CelString,
  CelValue,
  celBool,
  celInt,
  kindName,
  noOverload,
} from "./value";

/** Supplies attribute values by name; filters implement it over request data (headers, claims, ...). */
export abstract class CelResolver {
  /** The value of `name` (an identifier or dotted path such as `request.path`), or null when unknown. */
  abstract resolve(name: string): CelValue | null;
}

/** What one evaluation reads: the resolver, the names it answered so far, and the comprehension variables. */
export class Activation {
  constructor(
    /** Where attributes come from. */
    public resolver: CelResolver,
    /** Comprehension variables by slot. */
    public readonly slots: CelValue[],
    /** Answers of the resolver in this evaluation, by name slot; UNRESOLVED for a name it does not know. */
    public readonly resolved: StaticArray<CelValue | null>,
  ) {}
}


@lazy const EMPTY: CelValue[] = [];
// Marks a name the resolver does not know, so that an evaluation asks for each name at most once.
@lazy const UNRESOLVED: CelValue = new CelError("unresolved");

function selectField(operand: CelValue, field: string, testOnly: bool): CelValue {
  if (operand.kind != CelKind.Map) {
    if (operand.isError) return operand;
    return new CelError("type '" + kindName(operand.kind) + "' does not support field selection");
  }
  const found = changetype<CelMap>(operand).getString(field);
  if (testOnly) return celBool(found != null);
  return found != null ? found : new CelError("no such key: '" + field + "'");
}

// @ts-ignore: decorator
@inline
function lookup(act: Activation, name: string, slot: i32): CelValue | null {
  const cached = cell(act.resolved, slot);
  if (cached != null) return changetype<usize>(cached) == changetype<usize>(UNRESOLVED) ? null : cached;
  const found = act.resolver.resolve(name);
  unchecked((act.resolved[slot] = found != null ? found : UNRESOLVED));
  return found;
}

function step(value: CelValue, step: AttributeStep): CelValue {
  const key = step.key;
  if (key == null) return selectField(value, step.field, false);
  if (value.kind == CelKind.Map && key.kind == CelKind.String) {
    const found = changetype<CelMap>(value).getString(step.field);
    return found != null ? found : new CelError("no such key");
  }
  return index(value, key);
}

function attribute(node: AttributeNode, act: Activation): CelValue {
  const names = node.names;
  for (let i = 0, n = count(names); i < n; i++) {
    const found = lookup(act, at(names, i), at(node.slots, i));
    if (found == null) continue;
    let value: CelValue = found;
    const fields = at(node.fields, i);
    for (let k = 0, m = count(fields); k < m && !value.isError; k++) value = selectField(value, at(fields, k), false);
    const tail = node.tail;
    for (let k = 0, m = count(tail); k < m && !value.isError; k++) value = step(value, at(tail, k));
    return value;
  }
  return new CelError("undeclared reference to '" + names[0] + "'");
}

// `&&` over a chain: false wins, then the first error; true only when every operand is true.
function and(args: Node[], act: Activation): CelValue {
  let error: CelValue | null = null;
  let other: CelValue | null = null;
  for (let i = 0, n = count(args); i < n; i++) {
    const v = evaluate(at(args, i), act);
    if (v.kind == CelKind.Bool) {
      if (!changetype<CelBool>(v).value) return v;
    } else if (v.isError) {
      if (error == null) error = v;
    } else if (other == null) other = v;
  }
  if (error != null) return error;
  return other != null ? noOverload("_&&_", [other]) : CEL_TRUE;
}

// `||` over a chain: true wins, then the first error; false only when every operand is false.
function or(args: Node[], act: Activation): CelValue {
  let error: CelValue | null = null;
  let other: CelValue | null = null;
  for (let i = 0, n = count(args); i < n; i++) {
    const v = evaluate(at(args, i), act);
    if (v.kind == CelKind.Bool) {
      if (changetype<CelBool>(v).value) return v;
    } else if (v.isError) {
      if (error == null) error = v;
    } else if (other == null) other = v;
  }
  if (error != null) return error;
  return other != null ? noOverload("_||_", [other]) : CEL_FALSE;
}

function call(node: CallNode, act: Activation): CelValue {
  const fn = node.fn;
  const args = node.args;
  if (fn == Fn.And) return and(args, act);
  if (fn == Fn.Or) return or(args, act);
  if (fn == Fn.Conditional) {
    const condition = evaluate(at(args, 0), act);
    if (condition.kind != CelKind.Bool) return condition.isError ? condition : noOverload("_?_:_", [condition]);
    return evaluate(at(args, changetype<CelBool>(condition).value ? 1 : 2), act);
  }
  const n = count(args);
  if (n == 2) return binary(node, act);
  if (n == 1) return unary(node, act);
  // A node is never evaluated inside its own arguments, so its scratch array is free here.
  const values = node.scratch;
  for (let i = 0; i < n; i++) {
    const v = evaluate(at(args, i), act);
    if (v.isError) return v;
    unchecked((values[i] = v));
  }
  return callFunction(fn, values, node);
}

// Constant operands are common (`x == 'acme'`, `n > 10`); reading them needs no call.
// @ts-ignore: decorator
@inline
function operand(node: Node, act: Activation): CelValue {
  return node.kind == NodeKind.Literal ? changetype<LiteralNode>(node).value : evaluate(node, act);
}

function unary(node: CallNode, act: Activation): CelValue {
  const a = operand(at(node.args, 0), act);
  if (a.isError) return a;
  const fn = node.fn;
  if (fn == Fn.Size && a.kind == CelKind.String) return celInt(codePointCount(changetype<CelString>(a).value));
  if (fn == Fn.Not && a.kind == CelKind.Bool) return celBool(!changetype<CelBool>(a).value);
  const values = node.scratch;
  unchecked((values[0] = a));
  return callFunction(fn, values, node);
}

// Int arithmetic and comparisons without boxing checks; null when `fn` is not one of them.
function ints(fn: Fn, x: i64, y: i64): CelValue | null {
  switch (fn) {
    case Fn.Add: {
      const r = x + y;
      return ((x ^ r) & (y ^ r)) < 0 ? new CelError("integer overflow") : celInt(r);
    }
    case Fn.Subtract: {
      const r = x - y;
      return ((x ^ y) & (x ^ r)) < 0 ? new CelError("integer overflow") : celInt(r);
    }
    case Fn.Multiply:
      // Small factors cannot overflow; the rest take the checked path.
      if (x >= -0x7fffffff && x <= 0x7fffffff && y >= -0x7fffffff && y <= 0x7fffffff) return celInt(x * y);
      return null;
    case Fn.Less:
    case Fn.LessEquals:
    case Fn.Greater:
    case Fn.GreaterEquals:
      return orderInts(fn, x, y);
  }
  return null;
}

// The address of a string value's text, for the frame-free comparisons of ./fast.
// @ts-ignore: decorator
@inline
function text(v: CelValue): usize {
  return changetype<usize>(changetype<CelString>(v).value);
}

// Int comparisons, the commonest in policies, without the generic ordering.
function orderInts(fn: Fn, x: i64, y: i64): CelValue {
  switch (fn) {
    case Fn.Less:
      return celBool(x < y);
    case Fn.LessEquals:
      return celBool(x <= y);
    case Fn.Greater:
      return celBool(x > y);
    default:
      return celBool(x >= y);
  }
}

// Two-operand calls are most of a policy; the commonest skip the generic dispatch.
function binary(node: CallNode, act: Activation): CelValue {
  const args = node.args;
  const a = operand(at(args, 0), act);
  if (a.isError) return a;
  const b = operand(at(args, 1), act);
  if (b.isError) return b;
  const fn = node.fn;
  if (a.kind == CelKind.Int && b.kind == CelKind.Int) {
    const r = ints(fn, changetype<CelInt>(a).value, changetype<CelInt>(b).value);
    if (r != null) return r;
  }
  switch (fn) {
    case Fn.Equals:
      return celBool(valuesEqual(a, b));
    case Fn.NotEquals:
      return celBool(!valuesEqual(a, b));
    case Fn.Index:
      return index(a, b);
    case Fn.In:
      return contains(a, b);
    case Fn.StartsWith:
      if (a.kind == CelKind.String && b.kind == CelKind.String) {
        return celBool(textStartsWith(text(a), text(b)));
      }
      break;
    case Fn.EndsWith:
      if (a.kind == CelKind.String && b.kind == CelKind.String) {
        return celBool(textEndsWith(text(a), text(b)));
      }
      break;
  }
  const values = node.scratch;
  unchecked((values[0] = a));
  unchecked((values[1] = b));
  return callFunction(fn, values, node);
}

function list(node: ListNode, act: Activation): CelValue {
  const items = node.items;
  const values = new Array<CelValue>(count(items));
  for (let i = 0, n = count(items); i < n; i++) {
    const v = evaluate(at(items, i), act);
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
  let matched = 0;
  for (let i = 0, n = count(items); i < n; i++) {
    const item = at(items, i);
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
    if (macro == MacroKind.ExistsOne && truth) matched++;
    if (macro == MacroKind.Filter && truth) out.push(item);
  }
  if (error != null) return error;
  switch (macro) {
    case MacroKind.All:
      return CEL_TRUE;
    case MacroKind.Exists:
      return CEL_FALSE;
    case MacroKind.ExistsOne:
      return celBool(matched == 1);
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
      return at(act.slots, changetype<VariableNode>(node).slot);
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
