// Renders templates for one stream, and keeps the one copy of the phase's headers that rule
// matching, templates and operations read (writes go to the host and to the copy alike). As in
// Envoy's header formatters, a value that is not there (an absent header or attribute, a missing
// claim, a CEL error) renders as "". Request headers are only readable during the request, so
// response templates get the `%REQ(...)%` values copied then.

import {
  EnvoyAttributes,
  Header,
  HeaderMap,
  JsonKind,
  JsonValue,
  RegexMatch,
  celText,
  formatStartTime,
  formatTime,
  getPropertyI64,
  getPropertyString,
  jsonNumberText,
  joinedHeaderValue,
  removeHeaderEntries,
  request,
  response,
  stringifyJson,
  verifiedJwtClaims,
} from "../../assembly";
import { Command, CommandKind, Phase } from "./commands";
import { Template } from "./template";

/** What templates of one stream read, cached until a write makes it stale. */
export class RenderContext {
  /** The match of the rule's path regex, for `%CAPTURE(n)%`. */
  match: RegexMatch | null = null;
  /** Response phase: the `%REQ(...)%` values copied during the request, by request-map name. */
  requestValues: Map<string, string> | null = null;
  private pairs: Array<Header> | null = null;
  // The list `pairs` was read into; reused by the next stream (see reset).
  private list: Array<Header> = new Array<Header>();
  private wanted: bool = false;
  private bare: string | null = null;
  private bareRead: bool = false;
  private methodValue: string | null = null;
  private methodRead: bool = false;
  private authorityValue: string | null = null;
  private authorityRead: bool = false;
  private claimsRead: bool = false;
  private claims: JsonValue | null = null;
  private celAttributes: EnvoyAttributes | null = null;
  // The last path and address stripped, and what they gave: decoded header and property text
  // repeats as the same string objects, so a repeat is found by identity. Kept across reset.
  private strippedPath: string | null = null;
  private strippedPathResult: string | null = null;
  private strippedAddress: string | null = null;
  private strippedAddressResult: string = "";

  constructor(
    /** The phase being rendered. */
    public phase: Phase,
  ) {}

  /** Forgets everything read, to render `phase` of another stream (contexts are reused, see HeaderRewriteRoot). */
  reset(phase: Phase): void {
    this.phase = phase;
    this.match = null;
    this.requestValues = null;
    this.pairs = null;
    this.wanted = false;
    this.bare = null;
    this.bareRead = false;
    this.methodValue = null;
    this.methodRead = false;
    this.authorityValue = null;
    this.authorityRead = false;
    this.claimsRead = false;
    this.claims = null;
    this.celAttributes = null;
  }

  /** The headers of the current phase, read once; the writes below keep this copy current. */
  entries(): Array<Header> {
    this.wanted = true;
    return this.load();
  }

  /** Reads the headers now, which does not count as wanting them (see headersWanted). */
  preload(): void {
    this.load();
  }

  /** Whether anything but the path asked for the headers. */
  get headersWanted(): bool {
    return this.wanted;
  }

  private load(): Array<Header> {
    let pairs = this.pairs;
    if (pairs == null) {
      pairs = this.map().getAllInto(this.list);
      this.pairs = pairs;
    }
    return pairs;
  }

  /** Every value of header `name` of the current phase joined with ",", or null when absent. */
  header(name: string): string | null {
    return joinedHeaderValue(this.entries(), name);
  }

  /** Every value of header `name`, one per entry. */
  values(name: string): Array<string> {
    const pairs = this.entries();
    const values = new Array<string>();
    for (let i = 0; i < pairs.length; i++) if (pairs[i].name == name) values.push(pairs[i].value);
    return values;
  }

  /** Adds a value of header `name`, keeping the others. */
  add(name: string, value: string): void {
    this.map().add(name, value);
    if (this.pairs != null) this.pairs!.push(Header.shared(name, value));
    this.touched(name);
  }

  /** Makes `value` the only value of header `name`. */
  replace(name: string, value: string): void {
    this.map().replace(name, value);
    this.drop(name);
    if (this.pairs != null) this.pairs!.push(Header.shared(name, value));
    this.touched(name);
  }

  /** Removes every value of header `name`. */
  remove(name: string): void {
    // With the headers read, a name they lack needs no host call (Envoy would remove nothing).
    if (!this.drop(name)) return;
    this.map().remove(name);
    this.touched(name);
  }

  /** The request's `:path` without its query, or null; read alone while no other header was needed. */
  pathWithoutQuery(): string | null {
    if (!this.bareRead) {
      const pairs = this.pairs;
      const path = pairs == null ? this.map().get(":path") : joinedHeaderValue(pairs, ":path");
      if (path == null || changetype<usize>(path) != changetype<usize>(this.strippedPath)) {
        const query = path == null ? -1 : path.indexOf("?");
        this.strippedPath = path;
        this.strippedPathResult = query < 0 ? path : path!.substring(0, query);
      }
      this.bare = this.strippedPathResult;
      this.bareRead = true;
    }
    return this.bare;
  }

  /** The request's `:method`, read once per change (every rule's method condition asks). */
  method(): string | null {
    if (!this.methodRead) {
      this.methodValue = this.header(":method");
      this.methodRead = true;
    }
    return this.methodValue;
  }

  /** The request's `:authority`, read once per change (every rule's host condition asks). */
  authority(): string | null {
    if (!this.authorityRead) {
      this.authorityValue = this.header(":authority");
      this.authorityRead = true;
    }
    return this.authorityValue;
  }

  private map(): HeaderMap {
    return this.phase == Phase.Request ? request.headers : response.headers;
  }

  // Drops `name` from the copy; false when the copy is there and has no entry of it.
  private drop(name: string): bool {
    const pairs = this.pairs;
    return pairs == null || removeHeaderEntries(pairs, name);
  }

  private touched(name: string): void {
    if (name == ":path") this.bareRead = false;
    else if (name == ":method") this.methodRead = false;
    else if (name == ":authority") this.authorityRead = false;
  }

  /** `address` without its port (see hostOf). */
  withoutPort(address: string): string {
    if (changetype<usize>(address) != changetype<usize>(this.strippedAddress)) {
      this.strippedAddress = address;
      this.strippedAddressResult = hostOf(address);
    }
    return this.strippedAddressResult;
  }

  /** The verified claims jwt-authn published, or null. */
  jwtClaims(): JsonValue | null {
    if (!this.claimsRead) {
      const parsed = verifiedJwtClaims();
      this.claims = parsed == null ? null : parsed.value;
      this.claimsRead = true;
    }
    return this.claims;
  }

  /** The CEL resolver of this stream. */
  attributes(): EnvoyAttributes {
    let attributes = this.celAttributes;
    if (attributes == null) {
      attributes = new EnvoyAttributes();
      this.celAttributes = attributes;
    }
    return attributes;
  }
}

/** The value of `template` for this stream. */
export function render(template: Template, context: RenderContext): string {
  const pieces = template.pieces;
  if (pieces.length == 1 && pieces[0].command == null) return pieces[0].text;
  let out = "";
  for (let i = 0; i < pieces.length; i++) {
    const command = pieces[i].command;
    if (command == null) {
      out = append(out, pieces[i].text);
      continue;
    }
    const value = commandValue(command, context);
    const cut = command.maxLength >= 0 && value.length > command.maxLength;
    out = append(out, cut ? value.substring(0, command.maxLength) : value);
  }
  return out;
}

// `out + piece`, without copying either when the other is empty (a template of one command).
function append(out: string, piece: string): string {
  if (out.length == 0) return piece;
  return piece.length == 0 ? out : out + piece;
}

function commandValue(command: Command, context: RenderContext): string {
  switch (command.kind) {
    case CommandKind.RequestHeader:
      return requestHeader(command, context);
    case CommandKind.ResponseHeader:
      return orEmpty(firstPresent(context, command.argument, command.alternative));
    case CommandKind.Attribute:
      return orEmpty(getPropertyString(command.path));
    case CommandKind.AttributeWithoutPort:
      return context.withoutPort(orEmpty(getPropertyString(command.path)));
    case CommandKind.NumberAttribute: {
      const number = getPropertyI64(command.path);
      return number == null ? "" : number.value.toString();
    }
    case CommandKind.StartTime: {
      const start = getPropertyI64(["request", "time"]);
      if (start == null) return "";
      return command.argument.length == 0 ? formatStartTime(start.value) : formatTime(start.value, command.argument);
    }
    case CommandKind.Capture: {
      const match = context.match;
      if (match == null) return "";
      return orEmpty(match.group(command.group));
    }
    case CommandKind.Claim:
      return claimText(context.jwtClaims(), command.path);
    default:
      return orEmpty(celText(command.program!.evaluate(context.attributes())));
  }
}

function requestHeader(command: Command, context: RenderContext): string {
  if (context.phase == Phase.Request) return orEmpty(firstPresent(context, command.argument, command.alternative));
  const values = context.requestValues;
  if (values == null) return "";
  if (values.has(command.argument)) return values.get(command.argument);
  if (command.alternative.length > 0 && values.has(command.alternative)) return values.get(command.alternative);
  return "";
}

function firstPresent(context: RenderContext, name: string, alternative: string): string | null {
  const value = context.header(name);
  if (value != null || alternative.length == 0) return value;
  return context.header(alternative);
}

/** The claim at `path` as header text: strings as they are, other scalars in JSON, string arrays joined with ",". */
export function claimText(claims: JsonValue | null, path: Array<string>): string {
  let value = claims;
  for (let i = 0; i < path.length && value != null; i++) value = value.get(path[i]);
  if (value == null) return "";
  if (value.kind == JsonKind.String) return value.string;
  if (value.kind == JsonKind.Number) return jsonNumberText(value.number);
  if (value.kind == JsonKind.Bool) return value.bool ? "true" : "false";
  if (value.kind == JsonKind.Array) {
    const items = new Array<string>();
    for (let i = 0; i < value.elements.length; i++) {
      const element = value.elements[i];
      items.push(element.kind == JsonKind.String ? element.string : stringifyJson(element));
    }
    return items.join(",");
  }
  return value.kind == JsonKind.Null ? "" : stringifyJson(value);
}

// `1.2.3.4:80` → `1.2.3.4`, `[::1]:80` → `::1`; anything else unchanged.
function hostOf(address: string): string {
  if (address.startsWith("[")) {
    const close = address.indexOf("]");
    return close < 0 ? address : address.substring(1, close);
  }
  const colon = address.indexOf(":");
  return colon >= 0 && colon == address.lastIndexOf(":") ? address.substring(0, colon) : address;
}

function orEmpty(value: string | null): string {
  return value == null ? "" : value;
}
