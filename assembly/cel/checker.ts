// The configure-time pass. It resolves names (comprehension variables, type names, attribute paths
// with their qualified-name candidates) and functions, compiles constant `matches` patterns, and in
// strict mode rejects what can only fail: unknown functions, wrong arity, and operators applied to
// operands whose static kinds have no overload (found by probing the runtime functions themselves).
// It also shapes the tree for evaluation: constant sub-expressions are folded, `&&`/`||` chains
// become one call, and constant indexes into an attribute become steps of the attribute read.

import {
  AttributeNode,
  AttributeStep,
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
import { CelMapPut, CelMapValue } from "./map";
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


@lazy const TYPE_NAMES = ["int", "uint", "double", "bool", "string", "bytes", "list", "map", "null_type", "type"];


@lazy const QUALIFIED_TYPE_NAMES = ["google.protobuf.Timestamp", "google.protobuf.Duration"];

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
    /** How many distinct attribute names the tree may ask the resolver for. */
    public readonly names: i32,
  ) {}
}

/** Checks and resolves a parsed tree; `strict` enables the static errors (otherwise they happen at evaluation). */
export function check(root: Node, strict: bool): CheckResult {
  const checker = new Checker(strict);
  const node = checker.visit(root);
  if (checker.error.length > 0) return new CheckResult(null, checker.error, checker.errorAt, 0, 0);
  return new CheckResult(node, "", -1, checker.maxSlots, checker.names.length);
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
  /** Distinct attribute names, by cache slot. */
  names: string[] = [];
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
        let constant = true;
        for (let i = 0; i < items.length; i++) {
          items[i] = this.visit(items[i]);
          constant = constant && items[i].kind == NodeKind.Literal;
        }
        this.kind = CelKind.List;
        if (!constant) return node;
        const values: CelValue[] = [];
        for (let i = 0; i < items.length; i++) values.push(changetype<LiteralNode>(items[i]).value);
        return new LiteralNode(node.position, new CelList(values));
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
    const slots: i32[] = [];
    for (let k = parts.length; k > 0; k--) {
      const name = parts.slice(0, k).join(".");
      let slot = this.names.indexOf(name);
      if (slot < 0) {
        slot = this.names.length;
        this.names.push(name);
      }
      names.push(name);
      fields.push(parts.slice(k));
      slots.push(slot);
    }
    this.kind = DYN;
    const node = new AttributeNode(at, names, fields);
    node.slots = slots;
    return node;
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
    const operand = node.operand;
    if (!node.testOnly && operand.kind == NodeKind.Attribute) {
      changetype<AttributeNode>(operand).tail.push(new AttributeStep(node.field, null));
      this.kind = DYN;
      return operand;
    }
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
    let constant = true;
    for (let i = 0; i < node.keys.length; i++) {
      node.keys[i] = this.visit(node.keys[i]);
      const k = this.kind;
      const keyable = k == DYN || k == CelKind.String || k == CelKind.Int || k == CelKind.Uint || k == CelKind.Bool;
      if (this.strict && !keyable) this.fail("unsupported map key type '" + kindName(k) + "'", node.keys[i].position);
      node.values[i] = this.visit(node.values[i]);
      constant = constant && node.keys[i].kind == NodeKind.Literal && node.values[i].kind == NodeKind.Literal;
    }
    this.kind = CelKind.Map;
    if (!constant) return node;
    const folded = new CelMapValue();
    for (let i = 0; i < node.keys.length; i++) {
      const key = changetype<LiteralNode>(node.keys[i]).value;
      // A literal that cannot be built stays a node, so that evaluation reports the error.
      if (folded.put(key, changetype<LiteralNode>(node.values[i]).value) != CelMapPut.Added) return node;
    }
    return new LiteralNode(node.position, folded);
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
      if (fn != Fn.Not) return this.chain(flat);
    } else if (fn == Fn.Conditional) {
      this.expectBool(kinds[0], args[0].position);
      this.kind = kinds[1] == kinds[2] ? kinds[1] : DYN;
    } else if (fn == Fn.Dyn) {
      this.kind = DYN;
    } else this.kind = this.resultKind(flat, kinds);
    if (fn == Fn.Matches && args[1].kind == NodeKind.Literal) this.pattern(flat, changetype<LiteralNode>(args[1]));
    if (fn == Fn.Index && args[0].kind == NodeKind.Attribute && args[1].kind == NodeKind.Literal) {
      const key = changetype<LiteralNode>(args[1]).value;
      const field = key.kind == CelKind.String ? changetype<CelString>(key).value : "";
      changetype<AttributeNode>(args[0]).tail.push(new AttributeStep(field, key));
      return args[0];
    }
    return fn == Fn.Conditional || fn == Fn.Unknown ? flat : this.fold(flat);
  }

  // `a && (b && c)` and `(a && b) && c` evaluate as one call over [a, b, c]: same result, fewer calls.
  chain(call: CallNode): Node {
    const args: Node[] = [];
    for (let i = 0; i < call.args.length; i++) {
      const arg = call.args[i];
      if (arg.kind == NodeKind.Call && changetype<CallNode>(arg).fn == call.fn) {
        const inner = changetype<CallNode>(arg).args;
        for (let k = 0; k < inner.length; k++) args.push(inner[k]);
      } else args.push(arg);
    }
    const flat = new CallNode(call.position, call.name, null, args);
    flat.fn = call.fn;
    return flat;
  }

  // A strict function of constants is computed now; an error stays a call, so evaluation reports it.
  fold(call: CallNode): Node {
    const values: CelValue[] = [];
    for (let i = 0; i < call.args.length; i++) {
      const arg = call.args[i];
      if (arg.kind != NodeKind.Literal) return call;
      values.push(changetype<LiteralNode>(arg).value);
    }
    const result = callFunction(call.fn, values, call);
    if (result.isError) return call;
    const literal = new LiteralNode(call.position, result);
    literal.folded = true;
    return literal;
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
    // Only a pattern written as a literal is a configuration error; a computed one fails when evaluated.
    else if (this.strict && !literal.folded) this.fail("invalid regular expression: " + result.error, literal.position);
  }
}
