// The CEL syntax tree. The parser builds it with source offsets; the checker then annotates it in
// place (function ids, variable slots) and replaces identifier chains with attribute reads.

import { CelValue } from "./value";

/** Node kinds of the syntax tree. */
export enum NodeKind {
  Literal,
  Ident,
  Select,
  Call,
  List,
  Map,
  Comprehension,
  Attribute,
  Variable,
}

/** Every operator and function the evaluator knows, resolved once by the checker. */
export enum Fn {
  Unknown,
  And,
  Or,
  Not,
  Negate,
  Conditional,
  Index,
  Equals,
  NotEquals,
  Less,
  LessEquals,
  Greater,
  GreaterEquals,
  In,
  Add,
  Subtract,
  Multiply,
  Divide,
  Modulo,
  Size,
  Contains,
  StartsWith,
  EndsWith,
  Matches,
  ToInt,
  ToUint,
  ToDouble,
  ToString,
  ToBytes,
  ToBool,
  Dyn,
  TypeOf,
  ToTimestamp,
  ToDuration,
  GetFullYear,
  GetMonth,
  GetDayOfYear,
  GetDayOfMonth,
  GetDate,
  GetDayOfWeek,
  GetHours,
  GetMinutes,
  GetSeconds,
  GetMilliseconds,
}

/** The comprehension macros. */
export enum MacroKind {
  All,
  Exists,
  ExistsOne,
  Map,
  Filter,
}

/** A syntax tree node; `position` is the offset of its first token (or of its operator). */
export class Node {
  constructor(
    /** Which subclass this is. */
    public readonly kind: NodeKind,
    /** Offset in the source (UTF-16 units). */
    public readonly position: i32,
  ) {}
}

/** A constant. */
export class LiteralNode extends Node {
  /** True when the checker computed it from constant operands rather than reading it in the source. */
  folded: bool = false;

  constructor(
    position: i32,
    /** The constant. */
    public readonly value: CelValue,
  ) {
    super(NodeKind.Literal, position);
  }
}

/** A bare name, before the checker resolves it. */
export class IdentNode extends Node {
  constructor(
    position: i32,
    /** The name as written. */
    public readonly name: string,
  ) {
    super(NodeKind.Ident, position);
  }
}

/** `operand.field`, or `has(operand.field)` when `testOnly`. */
export class SelectNode extends Node {
  constructor(
    position: i32,
    /** The value selected from. */
    public operand: Node,
    /** The field (map key) selected. */
    public readonly field: string,
    /** True inside has(): yields whether the field is present. */
    public readonly testOnly: bool,
  ) {
    super(NodeKind.Select, position);
  }
}

/** An operator or function call; receiver calls keep the receiver as `target`. */
export class CallNode extends Node {
  /** Set by the checker. */
  fn: Fn = Fn.Unknown;
  /** For `matches` with a constant pattern: the pattern compiled at check time. */
  compiled: Object | null = null;
  /** Holds the evaluated arguments during a call, so that calls allocate nothing. */
  scratch: CelValue[] = [];

  constructor(
    position: i32,
    /** Function name, or the operator's internal name such as `_+_`. */
    public readonly name: string,
    /** The receiver of `x.f()`; the checker moves it to the front of `args`. */
    public target: Node | null,
    /** The arguments. */
    public readonly args: Node[],
  ) {
    super(NodeKind.Call, position);
  }
}

/** A list literal. */
export class ListNode extends Node {
  constructor(
    position: i32,
    /** The elements. */
    public readonly items: Node[],
  ) {
    super(NodeKind.List, position);
  }
}

/** A map literal. */
export class MapNode extends Node {
  constructor(
    position: i32,
    /** The keys, in source order. */
    public readonly keys: Node[],
    /** The values, matching `keys`. */
    public readonly values: Node[],
  ) {
    super(NodeKind.Map, position);
  }
}

/** A macro: `range.all(name, step)`, `range.map(name, filter, step)` (filter may be null), ... */
export class ComprehensionNode extends Node {
  /** Variable slot of `name`, set by the checker. */
  slot: i32 = 0;

  constructor(
    position: i32,
    /** Which macro. */
    public readonly macro: MacroKind,
    /** The iteration variable. */
    public readonly name: string,
    /** The list or map iterated over. */
    public range: Node,
    /** The filter of three-argument `map`, else null. */
    public filter: Node | null,
    /** The predicate, or the transform of `map`. */
    public step: Node,
  ) {
    super(NodeKind.Comprehension, position);
  }
}

/** A step applied to an attribute after it resolves: `.field`, or `[key]` with a constant key. */
export class AttributeStep {
  constructor(
    /** The field selected, or the key's text when `key` is a string. */
    public readonly field: string,
    /** The constant index key, or null for a field selection. */
    public readonly key: CelValue | null,
  ) {}
}

/** A read through the resolver: try `names[i]` then select `fields[i]` on it, longest name first. */
export class AttributeNode extends Node {
  /** Per candidate, its slot in the evaluation's cache of resolved names (set by the checker). */
  slots: i32[] = [];
  /** Steps after the candidate's fields: constant indexes (and selections after them) folded in. */
  tail: AttributeStep[] = [];

  constructor(
    position: i32,
    /** Candidate names, longest first. */
    public readonly names: string[],
    /** Fields to select after resolving the candidate of the same index. */
    public readonly fields: string[][],
  ) {
    super(NodeKind.Attribute, position);
  }
}

/** A comprehension variable. */
export class VariableNode extends Node {
  constructor(
    position: i32,
    /** Index of the variable among the live comprehension variables. */
    public readonly slot: i32,
  ) {
    super(NodeKind.Variable, position);
  }
}
