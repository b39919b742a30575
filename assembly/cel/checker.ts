// The configure-time pass. It resolves names (comprehension variables, type names, attribute paths
// with their qualified-name candidates) and functions, compiles constant `matches` patterns, and in
// strict mode rejects what can only fail: unknown functions, wrong arity, and operators applied to
// operands whose static kinds have no overload (found by probing the runtime functions themselves).

import {
  AttributeNode,
  CallNode,
  ComprehensionNode,
  Fn,
  IdentNode,
  ListNode,
  LiteralNode,
  MacroKind,
  MapNode,
  Node,
  NodeKind,
  SelectNode,
  VariableNode,
} from "./ast";
import { callFunction } from "./functions";
import { CelMapValue } from "./map";
import { compilePattern } from "./matches";
import { resolveFunction } from "./signatures";
import {
  CEL_NULL,
  CEL_TRUE,
  CelBytes,
  CelDouble,
  CelDuration,
  CelError,
  CelInt,
  CelKind,
  CelList,
  CelString,
  CelTimestamp,
  CelType,
  CelUint,
  CelValue,
  kindName,
} from "./value";

/** Static kind of an expression whose kind is only known at evaluation time. */
const DYN: i32 = -1;

const TYPE_NAMES = ["int", "uint", "double", "bool", "string", "bytes", "list", "map", "null_type", "type"];
const QUALIFIED_TYPE_NAMES = ["google.protobuf.Timestamp", "google.protobuf.Duration"];

/** The checked tree, or the first error and its offset. */
export class CheckResult {
  constructor(
    /** The checked tree, or null on error. */
    public readonly node: Node | null,
    /** "" when the tree checked. */
    public readonly error: string,
    /** Offset of the offending node, or -1. */
    public readonly offset: i32,
    /** How many comprehension variables are live at once. */
    public readonly slots: i32,
  ) {}
}

/** Checks and resolves a parsed tree; `strict` enables the static errors (otherwise they happen at evaluation). */
export function check(root: Node, strict: bool): CheckResult {
  const checker = new Checker(strict);
  const node = checker.visit(root);
  if (checker.error.length > 0) return new CheckResult(null, checker.error, checker.errorAt, 0);
  return new CheckResult(node, "", -1, checker.maxSlots);
}

// A value of each kind, to ask the runtime whether an overload exists for some static kinds.
function probe(kind: i32): CelValue {
  switch (kind) {
    case CelKind.Null:
      return CEL_NULL;
    case CelKind.Bool:
      return CEL_TRUE;
    case CelKind.Int:
      return new CelInt(1);
    case CelKind.Uint:
      return new CelUint(1);
    case CelKind.Double:
      return new CelDouble(1);
    case CelKind.String:
      return new CelString("a");
    case CelKind.Bytes:
      return new CelBytes(new Uint8Array(0));
    case CelKind.List:
      return new CelList([]);
    case CelKind.Map:
      return new CelMapValue();
    case CelKind.Timestamp:
      return new CelTimestamp(0, 0);
    case CelKind.Duration:
      return new CelDuration(1);
    default:
      return new CelType("int");
  }
}

class Checker {
  error: string = "";
  errorAt: i32 = -1;
  maxSlots: i32 = 0;
  /** Static kind of the node visited last. */
  kind: i32 = DYN;
  private scope: string[] = [];

  constructor(private readonly strict: bool) {}

  fail(message: string, at: i32): void {
    if (this.error.length == 0) {
      this.error = message;
      this.errorAt = at;
    }
  }

  visit(node: Node): Node {
    switch (node.kind) {
      case NodeKind.Literal:
        this.kind = changetype<LiteralNode>(node).value.kind;
        return node;
      case NodeKind.Ident:
        return this.name(node.position, [changetype<IdentNode>(node).name]);
      case NodeKind.Select:
        return this.select(changetype<SelectNode>(node));
      case NodeKind.Call:
        return this.call(changetype<CallNode>(node));
      case NodeKind.List: {
        const items = changetype<ListNode>(node).items;
        for (let i = 0; i < items.length; i++) items[i] = this.visit(items[i]);
        this.kind = CelKind.List;
        return node;
      }
      case NodeKind.Map:
        return this.map(changetype<MapNode>(node));
      case NodeKind.Comprehension:
        return this.comprehension(changetype<ComprehensionNode>(node));
      default:
        return node;
    }
  }

  // A name or a dotted path: a comprehension variable, a type, or an attribute whose longest
  // resolvable prefix is found at evaluation time.
  name(at: i32, parts: string[]): Node {
    const slot = this.scope.lastIndexOf(parts[0]);
    if (slot >= 0) {
      let node: Node = new VariableNode(at, slot);
      this.kind = DYN;
      for (let i = 1; i < parts.length; i++) node = this.selectOn(new SelectNode(at, node, parts[i], false));
      return node;
    }
    const dotted = parts.join(".");
    if ((parts.length == 1 && TYPE_NAMES.includes(dotted)) || QUALIFIED_TYPE_NAMES.includes(dotted)) {
      this.kind = CelKind.Type;
      return new LiteralNode(at, new CelType(dotted));
    }
    const names: string[] = [];
    const fields: string[][] = [];
    for (let k = parts.length; k > 0; k--) {
      names.push(parts.slice(0, k).join("."));
      fields.push(parts.slice(k));
    }
    this.kind = DYN;
    return new AttributeNode(at, names, fields);
  }

  select(node: SelectNode): Node {
    if (!node.testOnly) {
      const parts: string[] = [node.field];
      let operand = node.operand;
      while (operand.kind == NodeKind.Select && !changetype<SelectNode>(operand).testOnly) {
        parts.unshift(changetype<SelectNode>(operand).field);
        operand = changetype<SelectNode>(operand).operand;
      }
      if (operand.kind == NodeKind.Ident) {
        parts.unshift(changetype<IdentNode>(operand).name);
        return this.name(operand.position, parts);
      }
    }
    node.operand = this.visit(node.operand);
    return this.selectOn(node);
  }

  selectOn(node: SelectNode): Node {
    if (this.strict && this.kind != DYN && this.kind != CelKind.Map) {
      this.fail("type '" + kindName(this.kind) + "' does not support field selection", node.position);
    }
    this.kind = node.testOnly ? CelKind.Bool : DYN;
    return node;
  }

  map(node: MapNode): Node {
    for (let i = 0; i < node.keys.length; i++) {
      node.keys[i] = this.visit(node.keys[i]);
      const k = this.kind;
      const keyable = k == DYN || k == CelKind.String || k == CelKind.Int || k == CelKind.Uint || k == CelKind.Bool;
      if (this.strict && !keyable) this.fail("unsupported map key type '" + kindName(k) + "'", node.keys[i].position);
      node.values[i] = this.visit(node.values[i]);
    }
    this.kind = CelKind.Map;
    return node;
  }

  comprehension(node: ComprehensionNode): Node {
    node.range = this.visit(node.range);
    const range = this.kind;
    if (this.strict && range != DYN && range != CelKind.List && range != CelKind.Map) {
      this.fail("cannot iterate over '" + kindName(range) + "'", node.position);
    }
    node.slot = this.scope.length;
    this.scope.push(node.name);
    if (this.scope.length > this.maxSlots) this.maxSlots = this.scope.length;
    const filter = node.filter;
    if (filter != null) {
      node.filter = this.visit(filter);
      this.expectBool(this.kind, filter.position);
    }
    node.step = this.visit(node.step);
    if (node.macro != MacroKind.Map) this.expectBool(this.kind, node.step.position);
    this.scope.pop();
    this.kind = node.macro == MacroKind.Map || node.macro == MacroKind.Filter ? CelKind.List : CelKind.Bool;
    return node;
  }

  expectBool(kind: i32, at: i32): void {
    if (this.strict && kind != DYN && kind != CelKind.Bool) {
      this.fail("expected a bool, got '" + kindName(kind) + "'", at);
    }
  }

  call(node: CallNode): Node {
    const target = node.target;
    const args: Node[] = [];
    if (target != null) args.push(target);
    for (let i = 0; i < node.args.length; i++) args.push(node.args[i]);
    const fn = resolveFunction(node.name, target != null, node.args.length);
    if (fn == Fn.Unknown && this.strict) {
      this.fail(
        "undeclared function '" + node.name + "' with " + node.args.length.toString() + " argument(s)",
        node.position,
      );
    }
    const flat = new CallNode(node.position, node.name, null, args);
    flat.fn = fn;
    flat.scratch = new Array<CelValue>(args.length);
    const kinds: i32[] = [];
    for (let i = 0; i < args.length; i++) {
      args[i] = this.visit(args[i]);
      kinds.push(this.kind);
    }
    if (fn == Fn.And || fn == Fn.Or || fn == Fn.Not) {
      for (let i = 0; i < kinds.length; i++) this.expectBool(kinds[i], args[i].position);
      this.kind = CelKind.Bool;
    } else if (fn == Fn.Conditional) {
      this.expectBool(kinds[0], args[0].position);
      this.kind = kinds[1] == kinds[2] ? kinds[1] : DYN;
    } else if (fn == Fn.Dyn) {
      this.kind = DYN;
    } else this.kind = this.resultKind(flat, kinds);
    if (fn == Fn.Matches && args[1].kind == NodeKind.Literal) this.pattern(flat, changetype<LiteralNode>(args[1]));
    return flat;
  }

  // Asks the runtime what `fn` does with values of the static kinds, when all are known.
  resultKind(call: CallNode, kinds: i32[]): i32 {
    const values: CelValue[] = [];
    for (let i = 0; i < kinds.length; i++) {
      if (kinds[i] == DYN) return DYN;
      values.push(probe(kinds[i]));
    }
    const result = callFunction(call.fn, values, call);
    if (!result.isError) return result.kind;
    const message = changetype<CelError>(result).message;
    if (this.strict && message.startsWith("no matching overload")) this.fail(message, call.position);
    return DYN;
  }

  pattern(call: CallNode, literal: LiteralNode): void {
    if (literal.value.kind != CelKind.String) return;
    const result = compilePattern(changetype<CelString>(literal.value).value);
    if (result.regex != null) call.compiled = result.regex;
    else if (this.strict) this.fail("invalid regular expression: " + result.error, literal.position);
  }
}
