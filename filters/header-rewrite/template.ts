// Values written by rules: text with Envoy's `%COMMAND%` operators (the header-value subset of its
// access-log command operators, envoyproxy/envoy docs "Custom request/response headers"), `%%` for
// a literal `%`, plus our `%CAPTURE(n)%`, `%JWT_CLAIM(a.b)%` (also written `${claim.a.b}`) and
// `%CEL(expr)%`. Parsed and checked at configure time; rendered only for rules that matched.

import { Regex, StringBuilder } from "../../assembly";
import { Command, CommandKind, Phase, commandFor } from "./commands";

/** One piece of a template: literal text, or a command to evaluate. */
export class Piece {
  constructor(
    /** The literal text (for a literal piece). */
    public text: string,
    /** The command, or null for literal text. */
    public command: Command | null,
  ) {}
}

/** A parsed template. */
export class Template {
  constructor(
    /** Its pieces in order. */
    public pieces: Array<Piece>,
    /** The source text, for messages. */
    public source: string,
  ) {}

  /** True when the template has no commands: its value is `source` with `%%` unescaped. */
  get isStatic(): bool {
    for (let i = 0; i < this.pieces.length; i++) if (this.pieces[i].command != null) return false;
    return true;
  }

  /** The literal value of a static template. */
  literal(): string {
    let out = "";
    for (let i = 0; i < this.pieces.length; i++) out += this.pieces[i].text;
    return out;
  }

  /** The request headers the template reads with `%REQ(...)%` (lower case). */
  requestHeaders(): Array<string> {
    const names = new Array<string>();
    for (let i = 0; i < this.pieces.length; i++) {
      const command = this.pieces[i].command;
      if (command == null || command.kind != CommandKind.RequestHeader) continue;
      names.push(command.argument);
      if (command.alternative.length > 0) names.push(command.alternative);
    }
    return names;
  }

  /** True when the template uses `%CAPTURE(...)%`. */
  usesCaptures(): bool {
    for (let i = 0; i < this.pieces.length; i++) {
      const command = this.pieces[i].command;
      if (command != null && command.kind == CommandKind.Capture) return true;
    }
    return false;
  }
}

/** A parsed template, or why the text is not one. */
export class TemplateResult {
  constructor(
    public template: Template | null,
    public error: string,
  ) {}
}

/** Parses `text` for values written in `phase`; `captures` is the rule's path regex (for %CAPTURE%), if any. */
export function parseTemplate(text: string, phase: Phase, captures: Regex | null): TemplateResult {
  const pieces = new Array<Piece>();
  let literal = new StringBuilder();
  let i = 0;
  while (i < text.length) {
    const c = text.charCodeAt(i);
    if (c == 0x24 && text.startsWith("$${", i)) {
      literal.text("${");
      i += 3;
      continue;
    }
    if (c == 0x24 && text.startsWith("${claim.", i)) {
      const close = text.indexOf("}", i);
      if (close < 0) return failure(text, i, "unterminated ${claim.…}");
      const made = commandFor("JWT_CLAIM", text.substring(i + 8, close), true, -1, phase, captures);
      if (made.command == null) return failure(text, i, made.error);
      flush(pieces, literal.toString());
      literal = new StringBuilder();
      pieces.push(new Piece("", made.command));
      i = close + 1;
      continue;
    }
    if (c != 0x25) {
      literal.code(c);
      i++;
      continue;
    }
    if (text.startsWith("%%", i)) {
      literal.text("%");
      i += 2;
      continue;
    }
    const parsed = parseCommand(text, i, phase, captures);
    if (parsed.command == null) return failure(text, i, parsed.error);
    flush(pieces, literal.toString());
    literal = new StringBuilder();
    pieces.push(new Piece("", parsed.command));
    i = parsed.end;
  }
  flush(pieces, literal.toString());
  return new TemplateResult(new Template(pieces, text), "");
}

class ParsedCommand {
  constructor(
    public command: Command | null,
    public end: i32,
    public error: string,
  ) {}
}

// `%NAME%`, `%NAME(arg)%`, either followed by `:N` (a length limit) before the closing `%`.
function parseCommand(text: string, start: i32, phase: Phase, captures: Regex | null): ParsedCommand {
  let i = start + 1;
  while (i < text.length && isNameChar(text.charCodeAt(i))) i++;
  const name = text.substring(start + 1, i);
  if (name.length == 0) return new ParsedCommand(null, 0, "a lone % (write %% for a literal %)");
  let argument = "";
  let hasArgument = false;
  if (i < text.length && text.charCodeAt(i) == 0x28) {
    const close = argumentEnd(text, i + 1);
    if (close < 0) return new ParsedCommand(null, 0, "%" + name + "( has no closing )%");
    argument = text.substring(i + 1, close);
    hasArgument = true;
    i = close + 1;
  }
  let maxLength: i32 = -1;
  if (i < text.length && text.charCodeAt(i) == 0x3a) {
    const digitsStart = i + 1;
    i = digitsStart;
    while (i < text.length && text.charCodeAt(i) >= 0x30 && text.charCodeAt(i) <= 0x39) i++;
    if (i == digitsStart || i - digitsStart > 6) return new ParsedCommand(null, 0, "%" + name + ": needs a length");
    maxLength = I32.parseInt(text.substring(digitsStart, i));
  }
  if (i >= text.length || text.charCodeAt(i) != 0x25)
    return new ParsedCommand(null, 0, "%" + name + " is not closed by %");
  const made = commandFor(name, argument, hasArgument, maxLength, phase, captures);
  return new ParsedCommand(made.command, i + 1, made.error);
}

// The `)` that ends an argument: the first one followed by `%` or by `:<digits>%`.
function argumentEnd(text: string, from: i32): i32 {
  for (let i = from; i < text.length; i++) {
    if (text.charCodeAt(i) != 0x29) continue;
    let j = i + 1;
    if (j < text.length && text.charCodeAt(j) == 0x3a) {
      j++;
      while (j < text.length && text.charCodeAt(j) >= 0x30 && text.charCodeAt(j) <= 0x39) j++;
    }
    if (j < text.length && text.charCodeAt(j) == 0x25) return i;
  }
  return -1;
}

function isNameChar(c: i32): bool {
  return (c >= 0x41 && c <= 0x5a) || (c >= 0x30 && c <= 0x39) || c == 0x5f;
}

function flush(pieces: Array<Piece>, literal: string): void {
  if (literal.length > 0) pieces.push(new Piece(literal, null));
}

function failure(text: string, at: i32, message: string): TemplateResult {
  return new TemplateResult(null, "at character " + (at + 1).toString() + " of " + quoteText(text) + ": " + message);
}

function quoteText(text: string): string {
  return '"' + text + '"';
}
