// Where tokens come from (Envoy extractor.cc): header locations with an optional value prefix,
// query parameters and cookies. Each location yields at most one token. Locations shared by
// several providers are read once and remember every provider configured there, which is how
// Envoy's "issuer allowed for this location" check works.

import { Header, StringBuilder } from "../../assembly";
import { Provider } from "./provider";

/** Where a location looks. */
export enum LocationKind {
  Header,
  Param,
  Cookie,
}

/** One token location and the providers that use it. */
export class Location {
  /** The providers configured with this location, in configuration order. */
  providers: Array<Provider> = [];
  constructor(
    /** Header, query parameter or cookie. */
    public kind: LocationKind,
    /** The header (lowercase), parameter or cookie name. */
    public name: string,
    /** For headers, the text before the token. */
    public prefix: string,
  ) {}

  // The last header value read here and the token found in it: a client repeats its header.
  private lastValue: string = "";
  private lastToken: string | null = null;
  // The last token found here, handed out again for the same text (a Token never changes).
  private lastFound: Token | null = null;

  /** The token in header value `value` after this location's prefix, or null when the prefix is absent. */
  tokenIn(value: string): string | null {
    if (this.prefix.length == 0) return value;
    if (value != this.lastValue) {
      this.lastToken = afterPrefix(value, this.prefix);
      this.lastValue = value;
    }
    return this.lastToken;
  }

  /** The token `value` found at this location. */
  found(value: string): Token {
    const last = this.lastFound;
    if (last != null && last.value == value) return last;
    const token = new Token(value, this);
    this.lastFound = token;
    return token;
  }
}

/** The distinct locations of a group of providers. */
export class Locations {
  /** The locations, headers first, then parameters, then cookies. */
  list: Array<Location> = [];
  // The tokens of the last extractTokens call, refilled by the next one.
  found: Array<Token> = [];

  /** Collects the locations of `providers`. */
  static of(providers: Array<Provider>): Locations {
    const out = new Locations();
    for (let i = 0; i < providers.length; i++) {
      const p = providers[i];
      for (let j = 0; j < p.fromHeaders.length; j++)
        out.add(LocationKind.Header, p.fromHeaders[j].name, p.fromHeaders[j].prefix, p);
    }
    for (let i = 0; i < providers.length; i++) {
      for (let j = 0; j < providers[i].fromParams.length; j++)
        out.add(LocationKind.Param, providers[i].fromParams[j], "", providers[i]);
    }
    for (let i = 0; i < providers.length; i++) {
      for (let j = 0; j < providers[i].fromCookies.length; j++)
        out.add(LocationKind.Cookie, providers[i].fromCookies[j], "", providers[i]);
    }
    return out;
  }

  private add(kind: LocationKind, name: string, prefix: string, provider: Provider): void {
    for (let i = 0; i < this.list.length; i++) {
      const l = this.list[i];
      if (l.kind == kind && l.name == name && l.prefix == prefix) {
        if (!l.providers.includes(provider)) l.providers.push(provider);
        return;
      }
    }
    const location = new Location(kind, name, prefix);
    location.providers.push(provider);
    this.list.push(location);
  }
}

/** A token found in the request, and where. */
export class Token {
  constructor(
    /** The token text. */
    public value: string,
    /** Its location. */
    public location: Location,
  ) {}
}

/** The parts of the request tokens are read from, copied once per request. */
export class RequestView {
  private params: Map<string, string> | null = null;
  private cookies: Map<string, string> | null = null;

  constructor(
    /** Every request header, in order. */
    public headers: Array<Header>,
  ) {}

  /** Every value of header `name` joined with ",", as Envoy's getAllOfHeaderAsString does; null when absent. */
  header(name: string): string | null {
    let out: string | null = null;
    for (let i = 0; i < this.headers.length; i++) {
      if (this.headers[i].name != name) continue;
      out = out == null ? this.headers[i].value : out! + "," + this.headers[i].value;
    }
    return out;
  }

  /** The first value of query parameter `name`, percent-decoded; null when absent. */
  param(name: string): string | null {
    if (this.params == null) this.params = parseQuery(this.header(":path"));
    const params = this.params!;
    return params.has(name) ? params.get(name) : null;
  }

  /** The first value of cookie `name` (quotes removed); null when absent. */
  cookie(name: string): string | null {
    if (this.cookies == null) this.cookies = parseCookies(this.headers);
    const cookies = this.cookies!;
    return cookies.has(name) ? cookies.get(name) : null;
  }
}

/** Extracts at most one token per location, in location order, into a list the next call for `locations` refills. */
export function extractTokens(locations: Locations, request: RequestView): Array<Token> {
  const tokens = locations.found;
  tokens.length = 0;
  for (let i = 0; i < locations.list.length; i++) {
    const location = locations.list[i];
    let value: string | null = null;
    if (location.kind == LocationKind.Header) {
      const raw = request.header(location.name);
      if (raw != null) value = location.tokenIn(raw);
    } else if (location.kind == LocationKind.Param) {
      value = request.param(location.name);
    } else {
      value = request.cookie(location.name);
    }
    if (value != null && value.length > 0) tokens.push(location.found(value));
  }
  return tokens;
}

// Envoy finds the prefix anywhere in the value, skips to the next JWT character and takes the run
// of JWT characters, so `Bearer <t>`, `jwt_value=<t>` and `{"jwt": "<t>"}` all work.
function afterPrefix(value: string, prefix: string): string | null {
  const at = value.indexOf(prefix);
  if (at < 0) return null;
  let start = at + prefix.length;
  while (start < value.length && !isJwtChar(value.charCodeAt(start))) start++;
  let end = start;
  while (end < value.length && isJwtChar(value.charCodeAt(end))) end++;
  return value.substring(start, end);
}

// The characters a JWT consists of (base64url and "."), as bits by code unit: below 64 "-", "."
// and 0-9; from 64 A-Z, "_" and a-z. A token is hundreds of characters, scanned per request.
const JWT_CHARS_LOW: u64 = ((<u64>1) << 0x2d) | ((<u64>1) << 0x2e) | ((<u64>0x3ff) << 0x30);
const JWT_CHARS_HIGH: u64 = ((<u64>0x3ffffff) << 1) | ((<u64>1) << 31) | ((<u64>0x3ffffff) << 33);

function isJwtChar(c: i32): bool {
  if (c < 64) return ((JWT_CHARS_LOW >> (<u64>c)) & 1) != 0;
  return c < 128 && ((JWT_CHARS_HIGH >> (<u64>(c - 64))) & 1) != 0;
}

// The parameters of a path without a query (most paths), shared and never written to.
const NO_PARAMETERS = new Map<string, string>();

function parseQuery(path: string | null): Map<string, string> {
  if (path == null) return NO_PARAMETERS;
  const q = path.indexOf("?");
  if (q < 0) return NO_PARAMETERS;
  const out = new Map<string, string>();
  const end = path.indexOf("#", q);
  const parts = path.substring(q + 1, end < 0 ? path.length : end).split("&");
  for (let i = 0; i < parts.length; i++) {
    const eq = parts[i].indexOf("=");
    const key = percentDecode(eq < 0 ? parts[i] : parts[i].substring(0, eq));
    if (key.length > 0 && !out.has(key)) out.set(key, eq < 0 ? "" : percentDecode(parts[i].substring(eq + 1)));
  }
  return out;
}

// Decodes %XX escapes of ASCII characters (everything a token consists of); others stay as written.
function percentDecode(text: string): string {
  if (!text.includes("%")) return text;
  const out = new StringBuilder();
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c == 0x25 && i + 2 < text.length) {
      const v = (hex(text.charCodeAt(i + 1)) << 4) | hex(text.charCodeAt(i + 2));
      if (v >= 0 && v < 0x80) {
        out.code(v);
        i += 2;
        continue;
      }
    }
    out.code(c);
  }
  return out.toString();
}

function hex(c: i32): i32 {
  if (c >= 0x30 && c <= 0x39) return c - 0x30;
  if (c >= 0x41 && c <= 0x46) return c - 0x41 + 10;
  if (c >= 0x61 && c <= 0x66) return c - 0x61 + 10;
  return -0x1000;
}

// Envoy's Utility::parseCookies: every cookie header, pairs split on ";", surrounding quotes removed.
function parseCookies(headers: Array<Header>): Map<string, string> {
  const out = new Map<string, string>();
  for (let i = 0; i < headers.length; i++) {
    if (headers[i].name != "cookie") continue;
    const pairs = headers[i].value.split(";");
    for (let j = 0; j < pairs.length; j++) {
      const pair = pairs[j].trim();
      const eq = pair.indexOf("=");
      if (eq <= 0) continue;
      const key = pair.substring(0, eq);
      let value = pair.substring(eq + 1);
      if (value.length >= 2 && value.startsWith('"') && value.endsWith('"'))
        value = value.substring(1, value.length - 1);
      if (!out.has(key)) out.set(key, value);
    }
  }
  return out;
}
