// A recursive-descent parser for CEL's grammar (operator precedence as in the CEL spec), which
// expands the macros `has`, `all`, `exists`, `exists_one`, `map` and `filter` as it goes.
// Nesting is bounded so that hostile expressions cannot exhaust the stack.

import {
  CallNode,
  ComprehensionNode,
  IdentNode,
  ListNode,
  LiteralNode,
  MacroKind,
  MapNode,
  Node,
  NodeKind,
  SelectNode,
} from "./ast";
import { Lexer, Tok, Token } from "./lexer";
import { toUint8Array } from "./text";
import { CEL_FALSE, CEL_NULL, CEL_TRUE, CelBytes, CelDouble, CelInt, CelString, CelUint } from "./value";

/** Deepest tree accepted: nested brackets, calls and conditionals plus chained operators. */
export const MAX_NESTING: i32 = 100;


@lazy const RESERVED = [
  "as",
  "break",
  "const",
  "continue",
  "else",
  "for",
  "function",
  "if",
  "import",
  "let",
  "loop",
  "package",
  "namespace",
  "return",
  "var",
  "void",
  "while",
];

/** The outcome of parsing: a tree, or the first error and its offset. */
export class ParseResult {
  constructor(
    /** The tree, or null on error. */
    public readonly node: Node | null,
    /** "" when the source parsed. */
    public readonly error: string,
    /** Offset of the error, or -1. */
    public readonly offset: i32,
  ) {}
}

/** Parses a CEL expression. */
export function parse(source: string): ParseResult {
  const parser = new Parser(source);
  const node = parser.expression();
  if (parser.error.length == 0 && parser.token.kind != Tok.End) parser.fail("unexpected token after the expression");
  if (parser.error.length > 0 || node == null) return new ParseResult(null, parser.error, parser.errorAt);
  return new ParseResult(node, "", -1);
}

class Parser {
  readonly lexer: Lexer;
  token: Token = new Token();
  error: string = "";
  errorAt: i32 = -1;
  depth: i32 = 0;

  constructor(source: string) {
    this.lexer = new Lexer(source);
    this.advance();
  }

  advance(): void {
    this.lexer.next(this.token);
    if (this.token.kind == Tok.Error) this.failAt(this.token.text, this.token.start);
  }

  failAt(message: string, at: i32): Node | null {
    if (this.error.length == 0) {
      this.error = message;
      this.errorAt = at;
    }
    this.token.kind = Tok.Error;
    return null;
  }

  fail(message: string): Node | null {
    return this.failAt(message, this.token.start);
  }

  expect(kind: Tok, what: string): bool {
    if (this.token.kind != kind) {
      this.fail("expected " + what);
      return false;
    }
    this.advance();
    return true;
  }

  expression(): Node | null {
    if (++this.depth > MAX_NESTING) return this.fail("expression nested too deeply");
    const condition = this.or();
    let result = condition;
    if (condition != null && this.token.kind == Tok.Question) {
      const at = this.token.start;
      this.advance();
      const yes = this.or();
      if (yes != null && this.expect(Tok.Colon, "':'")) {
        const no = this.expression();
        result = no == null ? null : new CallNode(at, "_?_:_", null, [condition, yes, no]);
      } else result = null;
    }
    this.depth--;
    return result;
  }

  // Each operator of a chain deepens the (left-leaning) tree, so chains count towards the limit.
  deeper(): bool {
    if (++this.depth <= MAX_NESTING) return true;
    this.fail("expression nested too deeply");
    return false;
  }

  or(): Node | null {
    const depth = this.depth;
    let left = this.and();
    while (left != null && this.token.kind == Tok.Or && this.deeper()) {
      const at = this.token.start;
      this.advance();
      const right = this.and();
      left = right == null ? null : new CallNode(at, "_||_", null, [left, right]);
    }
    this.depth = depth;
    return this.error.length > 0 ? null : left;
  }

  and(): Node | null {
    const depth = this.depth;
    let left = this.relation();
    while (left != null && this.token.kind == Tok.And && this.deeper()) {
      const at = this.token.start;
      this.advance();
      const right = this.relation();
      left = right == null ? null : new CallNode(at, "_&&_", null, [left, right]);
    }
    this.depth = depth;
    return this.error.length > 0 ? null : left;
  }

  relation(): Node | null {
    const depth = this.depth;
    let left = this.addition();
    let name = relationName(this.token.kind);
    while (left != null && name.length > 0 && this.deeper()) {
      const at = this.token.start;
      this.advance();
      const right = this.addition();
      left = right == null ? null : new CallNode(at, name, null, [left, right]);
      name = relationName(this.token.kind);
    }
    this.depth = depth;
    return this.error.length > 0 ? null : left;
  }

  addition(): Node | null {
    const depth = this.depth;
    let left = this.multiplication();
    while (left != null && (this.token.kind == Tok.Plus || this.token.kind == Tok.Minus) && this.deeper()) {
      const name = this.token.kind == Tok.Plus ? "_+_" : "_-_";
      const at = this.token.start;
      this.advance();
      const right = this.multiplication();
      left = right == null ? null : new CallNode(at, name, null, [left, right]);
    }
    this.depth = depth;
    return this.error.length > 0 ? null : left;
  }

  multiplication(): Node | null {
    const depth = this.depth;
    let left = this.unary();
    let name = multiplicationName(this.token.kind);
    while (left != null && name.length > 0 && this.deeper()) {
      const at = this.token.start;
      this.advance();
      const right = this.unary();
      left = right == null ? null : new CallNode(at, name, null, [left, right]);
      name = multiplicationName(this.token.kind);
    }
    this.depth = depth;
    return this.error.length > 0 ? null : left;
  }

  // '-' directly before an integer literal makes a negative literal (so the most negative int can be
  // written); every other '!' and '-' is an operator call.
  unary(): Node | null {
    const ops: Tok[] = [];
    const at: i32[] = [];
    const depth = this.depth;
    while ((this.token.kind == Tok.Bang || this.token.kind == Tok.Minus) && this.deeper()) {
      ops.push(this.token.kind);
      at.push(this.token.start);
      this.advance();
    }
    const foldMinus = ops.length > 0 && ops[ops.length - 1] == Tok.Minus && this.token.kind == Tok.Int;
    let node = this.member(foldMinus);
    for (let i = ops.length - (foldMinus ? 2 : 1); i >= 0 && node != null; i--) {
      node = new CallNode(at[i], ops[i] == Tok.Bang ? "!_" : "-_", null, [node]);
    }
    this.depth = depth;
    return this.error.length > 0 ? null : node;
  }

  member(negative: bool): Node | null {
    const depth = this.depth;
    let node = this.primary(negative);
    while (node != null) {
      if (!this.deeper()) return null;
      const at = this.token.start;
      if (this.token.kind == Tok.Dot) {
        this.advance();
        const kind = this.token.kind;
        if (kind != Tok.Ident && kind != Tok.QuotedIdent && kind != Tok.In) return this.fail("expected a field name");
        const name = kind == Tok.In ? "in" : this.token.text;
        this.advance();
        if (kind != Tok.QuotedIdent && this.token.kind == Tok.LParen) {
          const args = this.arguments(Tok.RParen);
          node = args == null ? null : this.receiverCall(at, node, name, args);
        } else node = new SelectNode(at, node, name, false);
      } else if (this.token.kind == Tok.LBracket) {
        if (++this.depth > MAX_NESTING) return this.fail("expression nested too deeply");
        this.advance();
        const index = this.expression();
        this.depth--;
        node = index != null && this.expect(Tok.RBracket, "']'") ? new CallNode(at, "_[_]", null, [node, index]) : null;
      } else if (this.token.kind == Tok.LBrace) {
        return this.fail("message construction is not supported");
      } else {
        this.depth = depth;
        return node;
      }
    }
    return null;
  }

  primary(negative: bool): Node | null {
    const t = this.token;
    const at = t.start;
    switch (t.kind) {
      case Tok.Int: {
        const limit: u64 = negative ? (<u64>1) << 63 : <u64>i64.MAX_VALUE;
        if (t.tooLarge || t.magnitude > limit) return this.fail("integer literal out of range");
        const value = negative ? -(<i64>t.magnitude) : <i64>t.magnitude;
        this.advance();
        return new LiteralNode(at, new CelInt(value));
      }
      case Tok.Uint: {
        if (t.tooLarge) return this.fail("integer literal out of range");
        const value = t.magnitude;
        this.advance();
        return new LiteralNode(at, new CelUint(value));
      }
      case Tok.Double: {
        const value = t.double;
        this.advance();
        return new LiteralNode(at, new CelDouble(value));
      }
      case Tok.String: {
        const value = t.text;
        this.advance();
        return new LiteralNode(at, new CelString(value));
      }
      case Tok.Bytes: {
        const value = toUint8Array(t.bytes);
        this.advance();
        return new LiteralNode(at, new CelBytes(value));
      }
      case Tok.LParen: {
        this.advance();
        const inner = this.expression();
        return inner != null && this.expect(Tok.RParen, "')'") ? inner : null;
      }
      case Tok.LBracket: {
        const items = this.arguments(Tok.RBracket);
        return items == null ? null : new ListNode(at, items);
      }
      case Tok.LBrace:
        return this.mapLiteral();
      case Tok.Dot:
        this.advance();
        if (this.token.kind != Tok.Ident) return this.fail("expected a name after '.'");
        return this.identifier();
      case Tok.Ident:
        return this.identifier();
    }
    return this.fail(t.kind == Tok.End ? "unexpected end of expression" : "unexpected token");
  }

  identifier(): Node | null {
    const name = this.token.text;
    const at = this.token.start;
    if (RESERVED.includes(name)) return this.fail("reserved identifier '" + name + "'");
    this.advance();
    if (this.token.kind == Tok.LParen) {
      const args = this.arguments(Tok.RParen);
      if (args == null) return null;
      if (name == "has") return this.has(at, args);
      return new CallNode(at, name, null, args);
    }
    if (name == "true") return new LiteralNode(at, CEL_TRUE);
    if (name == "false") return new LiteralNode(at, CEL_FALSE);
    if (name == "null") return new LiteralNode(at, CEL_NULL);
    return new IdentNode(at, name);
  }

  has(at: i32, args: Node[]): Node | null {
    if (args.length != 1 || args[0].kind != NodeKind.Select) {
      return this.failAt("has() needs a field selection such as has(a.b)", at);
    }
    const select = changetype<SelectNode>(args[0]);
    if (select.testOnly) return this.failAt("has() needs a field selection such as has(a.b)", at);
    return new SelectNode(select.position, select.operand, select.field, true);
  }

  // The current token opens a list, call arguments or a list literal; reads up to `close`.
  arguments(close: Tok): Node[] | null {
    if (++this.depth > MAX_NESTING) {
      this.fail("expression nested too deeply");
      return null;
    }
    this.advance();
    const items: Node[] = [];
    while (this.token.kind != close) {
      const item = this.expression();
      if (item == null) return null;
      items.push(item);
      if (this.token.kind == Tok.Comma) this.advance();
      else if (this.token.kind != close) {
        this.fail("expected ',' or a closing bracket");
        return null;
      }
    }
    this.advance();
    this.depth--;
    return items;
  }

  mapLiteral(): Node | null {
    const at = this.token.start;
    if (++this.depth > MAX_NESTING) return this.fail("expression nested too deeply");
    this.advance();
    const keys: Node[] = [];
    const values: Node[] = [];
    while (this.token.kind != Tok.RBrace) {
      const key = this.expression();
      if (key == null || !this.expect(Tok.Colon, "':'")) return null;
      const value = this.expression();
      if (value == null) return null;
      keys.push(key);
      values.push(value);
      if (this.token.kind == Tok.Comma) this.advance();
      else if (this.token.kind != Tok.RBrace) return this.fail("expected ',' or '}'");
    }
    this.advance();
    this.depth--;
    return new MapNode(at, keys, values);
  }

  receiverCall(at: i32, target: Node, name: string, args: Node[]): Node | null {
    const macro = macroKind(name, args.length);
    if (macro < 0) return new CallNode(at, name, target, args);
    if (args[0].kind != NodeKind.Ident) return this.failAt(name + "() needs a variable name as its first argument", at);
    const variable = changetype<IdentNode>(args[0]).name;
    const filter = args.length == 3 ? args[1] : null;
    return new ComprehensionNode(at, <MacroKind>macro, variable, target, filter, args[args.length - 1]);
  }
}

function macroKind(name: string, arity: i32): i32 {
  if (name == "map") return arity == 2 || arity == 3 ? MacroKind.Map : -1;
  if (arity != 2) return -1;
  if (name == "all") return MacroKind.All;
  if (name == "exists") return MacroKind.Exists;
  if (name == "exists_one") return MacroKind.ExistsOne;
  if (name == "filter") return MacroKind.Filter;
  return -1;
}

function multiplicationName(kind: Tok): string {
  if (kind == Tok.Star) return "_*_";
  if (kind == Tok.Slash) return "_/_";
  return kind == Tok.Percent ? "_%_" : "";
}

function relationName(kind: Tok): string {
  switch (kind) {
    case Tok.Eq:
      return "_==_";
    case Tok.Ne:
      return "_!=_";
    case Tok.Lt:
      return "_<_";
    case Tok.Le:
      return "_<=_";
    case Tok.Gt:
      return "_>_";
    case Tok.Ge:
      return "_>=_";
    case Tok.In:
      return "@in";
  }
  return "";
}
