// A JWT provider (Envoy's JwtProvider): which tokens it accepts and what it does with a verified
// one. Field names and defaults follow envoy.extensions.filters.http.jwt_authn.v3.JwtProvider.

import { asciiLowerCase, JsonReader, StringMatcher, readStringMatcher, requestHeaderKey } from "../../assembly";
import { KeySet, loadKeys } from "./keys";
import { RemoteJwksConfig, readRemoteJwks } from "./remote-config";

/** A header a token is read from, with the text that precedes the token in the value. */
export class HeaderLocation {
  constructor(
    /** The header name, lowercase. */
    public name: string,
    /** The text before the token ("" takes the whole value). */
    public prefix: string,
  ) {}
}

/** A claim copied into a request header after verification. */
export class ClaimToHeader {
  /** The claim name split at its dots: the members to walk down. */
  path: Array<string>;

  constructor(
    /** The header name, lowercase. */
    public header: string,
    /** The claim name; dots address nested members (`a.b.c`). */
    public claim: string,
  ) {
    this.path = claim.split(".");
  }
}

/** One provider, ready for verification. */
export class Provider {
  /** The provider's name (its key in `providers`). */
  name: string = "";
  /** Its position in the configuration, which breaks issuer ties as Envoy does (first wins). */
  index: i32 = 0;
  /** The required `iss`; "" checks nothing. */
  issuer: string = "";
  /** Accepted audiences after normalisation; empty checks nothing. */
  audiences: Array<string> = [];
  /** The matcher `sub` must satisfy, or null. */
  subjects: StringMatcher | null = null;
  /** Whether a token without `exp` is refused. */
  requireExpiration: bool = false;
  /** The longest remaining lifetime (exp - now) accepted, in seconds; -1 for no limit. */
  maxLifetimeSeconds: f64 = -1;
  /** The current verification keys; replaced whole when the keys change (empty until remote keys first arrive). */
  keys: KeySet = new KeySet([]);
  /** Where the keys are fetched from, or null for configured keys. */
  remote: RemoteJwksConfig | null = null;
  /** Whether the token stays in its header after verification. */
  forward: bool = false;
  /** Header locations. */
  fromHeaders: Array<HeaderLocation> = [];
  /** Query parameter names. */
  fromParams: Array<string> = [];
  /** Cookie names. */
  fromCookies: Array<string> = [];
  /** The header that receives the base64url payload, or "". */
  forwardPayloadHeader: string = "";
  /** Whether that payload keeps base64 `=` padding. */
  padForwardPayloadHeader: bool = false;
  /** Leeway for exp and nbf, in seconds. */
  clockSkewSeconds: f64 = 60;
  /** Verified tokens remembered (0 disables the cache). */
  cacheSize: i32 = 100;
  /** Claims copied to headers. */
  claimToHeaders: Array<ClaimToHeader> = [];
  /** String claims published to filter state as arrays of their space-separated words. */
  spaceDelimitedClaims: Array<string> = [];
  /** Accepted `typ` values, lowercase without "application/"; empty accepts any (RFC 8725 section 3.11). */
  allowedTypes: Array<string> = [];
  /** Accepted `azp` values (OpenID Connect Core 2 and 3.1.3.7); empty accepts any token. */
  allowedAuthorizedParties: Array<string> = [];

  /** Whether `aud` (the token's audiences) holds one this provider accepts, or `allowed` when given (provider_and_audiences). */
  audienceAllowed(tokenAudiences: Array<string>, allowed: Array<string> | null): bool {
    const list = allowed != null ? allowed : this.audiences;
    if (list.length == 0) return true;
    for (let i = 0; i < tokenAudiences.length; i++) {
      if (list.includes(normaliseAudience(tokenAudiences[i]))) return true;
    }
    return false;
  }

  /** Whether a token's `azp` is acceptable: any when none are configured, else one of them (a token without one fails). */
  authorizedPartyAllowed(azp: string | null): bool {
    if (this.allowedAuthorizedParties.length == 0) return true;
    return azp != null && this.allowedAuthorizedParties.includes(azp);
  }

  /** Whether a token `typ` is acceptable. */
  typeAllowed(typ: string | null): bool {
    if (this.allowedTypes.length == 0) return true;
    return typ != null && this.allowedTypes.includes(normaliseType(typ));
  }
}

/** jwt_verify_lib's check_audience.cc: drop a leading http:// or https:// and one trailing slash. */
export function normaliseAudience(audience: string): string {
  let out = audience;
  if (out.startsWith("http://")) out = out.substring(7);
  else if (out.startsWith("https://")) out = out.substring(8);
  if (out.endsWith("/")) out = out.substring(0, out.length - 1);
  return out;
}

// RFC 7515 section 4.1.9: typ is a media type, compared case-insensitively, "application/" optional.
function normaliseType(typ: string): string {
  const lower = asciiLowerCase(typ);
  return lower.startsWith("application/") ? lower.substring(12) : lower;
}

// prettier-ignore
@lazy const PROVIDER_FIELDS = [
  "issuer", "audiences", "subjects", "require_expiration", "max_lifetime", "local_jwks", "remote_jwks", "forward",
  "from_headers",
  "from_params", "from_cookies", "forward_payload_header", "pad_forward_payload_header", "clock_skew_seconds",
  "jwt_cache_config", "claim_to_headers", "allowed_types", "allowed_authorized_parties",
  "normalize_payload_in_metadata",
];

// Envoy fields a Wasm filter cannot honour, with what to use instead.
// prettier-ignore
@lazy const UNAVAILABLE = [
  "payload_in_metadata", "header_in_metadata", "failed_status_in_metadata", "clear_route_cache",
];

// prettier-ignore
@lazy const UNAVAILABLE_WHY = [
  "dynamic metadata is not writable from Wasm; verified claims are published in filter state (see README)",
  "dynamic metadata is not writable from Wasm",
  "dynamic metadata is not writable from Wasm",
  "a Wasm filter cannot clear the route cache",
];

/** Reads the provider at `reader` (named `name`, at position `index`); null with the error recorded on the reader. */
export function readProvider(reader: JsonReader, name: string, index: i32): Provider | null {
  if (!reader.expectObject()) return null;
  for (let i = 0; i < UNAVAILABLE.length; i++) {
    if (reader.value.get(UNAVAILABLE[i]) != null) {
      reader.field(UNAVAILABLE[i]).fail(UNAVAILABLE_WHY[i]);
      return null;
    }
  }
  if (!reader.allowOnly(PROVIDER_FIELDS)) return null;
  const p = new Provider();
  p.name = name;
  p.index = index;
  p.issuer = reader.optionalString("issuer");
  const audiences = reader.optionalArray("audiences");
  for (let i = 0; i < audiences.length; i++) p.audiences.push(normaliseAudience(audiences[i].string()));
  const subjects = reader.optional("subjects");
  if (subjects != null) p.subjects = readStringMatcher(subjects);
  p.requireExpiration = reader.optionalBool("require_expiration");
  const lifetime = reader.optional("max_lifetime");
  if (lifetime != null) p.maxLifetimeSeconds = lifetime.durationSeconds();
  p.forward = reader.optionalBool("forward");
  readLocations(reader, p);
  const payloadHeader = reader.optional("forward_payload_header");
  if (payloadHeader != null) p.forwardPayloadHeader = readHeaderName(payloadHeader);
  p.padForwardPayloadHeader = reader.optionalBool("pad_forward_payload_header");
  const skew = reader.optional("clock_skew_seconds");
  // Envoy treats 0 (proto3's unset) as the 60 s default (authenticator.cc).
  if (skew != null) {
    const seconds = readCount(skew, 0x7fffffff);
    if (seconds > 0) p.clockSkewSeconds = <f64>seconds;
  }
  const cache = reader.optional("jwt_cache_config");
  if (cache != null && cache.expectObject() && cache.allowOnly(["jwt_cache_size"])) {
    const size = cache.optional("jwt_cache_size");
    if (size != null) p.cacheSize = readCount(size, 100000);
  }
  const claims = reader.optionalArray("claim_to_headers");
  for (let i = 0; i < claims.length && reader.ok; i++) {
    const item = claims[i];
    if (!item.expectObject() || !item.allowOnly(["header_name", "claim_name"])) break;
    const header = readHeaderName(item.require("header_name"));
    const claim = item.require("claim_name").string();
    if (reader.ok && claim.length == 0) item.field("claim_name").fail("must not be empty");
    p.claimToHeaders.push(new ClaimToHeader(header, claim));
  }
  const types = reader.optionalArray("allowed_types");
  for (let i = 0; i < types.length; i++) p.allowedTypes.push(normaliseType(types[i].string()));
  const parties = reader.optionalArray("allowed_authorized_parties");
  for (let i = 0; i < parties.length; i++) p.allowedAuthorizedParties.push(parties[i].string());
  const normalize = reader.optional("normalize_payload_in_metadata");
  // Envoy applies this to its metadata; here it shapes the claims published to filter state.
  if (normalize != null && normalize.expectObject() && normalize.allowOnly(["space_delimited_claims"])) {
    const names = normalize.optionalArray("space_delimited_claims");
    for (let i = 0; i < names.length; i++) p.spaceDelimitedClaims.push(names[i].string());
  }
  readKeySource(reader, p);
  return reader.ok ? p : null;
}

// Envoy's jwks_source_specifier oneof: exactly one of local_jwks and remote_jwks.
function readKeySource(reader: JsonReader, p: Provider): void {
  if (!reader.ok) return;
  const remote = reader.optional("remote_jwks");
  if (remote != null) {
    if (reader.value.get("local_jwks") != null) {
      reader.field("local_jwks").fail("only one of local_jwks and remote_jwks may be set");
      return;
    }
    p.remote = readRemoteJwks(remote);
    return;
  }
  const jwks = reader.require("local_jwks");
  if (reader.ok && jwks.expectObject() && jwks.allowOnly(["inline_string"])) {
    const text = jwks.require("inline_string");
    const loaded = loadKeys(text.string());
    if (reader.ok && loaded.keys == null) text.fail(loaded.error);
    if (loaded.keys != null) p.keys = loaded.keys!;
  }
}

function readLocations(reader: JsonReader, p: Provider): void {
  const headers = reader.optionalArray("from_headers");
  for (let i = 0; i < headers.length && reader.ok; i++) {
    const item = headers[i];
    if (!item.expectObject() || !item.allowOnly(["name", "value_prefix"])) return;
    p.fromHeaders.push(new HeaderLocation(readLocationName(item.require("name")), item.optionalString("value_prefix")));
  }
  p.fromParams = readNames(reader.optionalArray("from_params"));
  p.fromCookies = readNames(reader.optionalArray("from_cookies"));
  // Envoy's default location when none is configured: Authorization: Bearer, then ?access_token.
  if (p.fromHeaders.length == 0 && p.fromParams.length == 0 && p.fromCookies.length == 0) {
    p.fromHeaders.push(new HeaderLocation("authorization", "Bearer "));
    p.fromParams.push("access_token");
  }
}

function readNames(items: Array<JsonReader>): Array<string> {
  const out = new Array<string>();
  for (let i = 0; i < items.length; i++) {
    const name = items[i].string();
    if (items[i].ok && name.length == 0) items[i].fail("must not be empty");
    out.push(name);
  }
  return out;
}

/** Reads the name of a header a token is read from; `host` is `:authority`, as Envoy's extractor finds it. */
export function readLocationName(reader: JsonReader): string {
  return requestHeaderKey(readHeaderName(reader));
}

/** Reads a header name: an RFC 9110 token, not a pseudo-header; returned lowercase. */
export function readHeaderName(reader: JsonReader): string {
  const name = reader.string();
  if (!reader.ok) return "";
  if (name.length == 0) reader.fail("must not be empty");
  for (let i = 0; i < name.length; i++) {
    const c = name.charCodeAt(i);
    const alnum = (c >= 0x30 && c <= 0x39) || (c >= 0x41 && c <= 0x5a) || (c >= 0x61 && c <= 0x7a);
    if (!alnum && !"!#$%&'*+-.^_`|~".includes(String.fromCharCode(c))) {
      reader.fail('is not a valid header name: "' + name + '"');
      break;
    }
  }
  return asciiLowerCase(name);
}

/** Reads a whole number from 0 to `max`. */
export function readCount(reader: JsonReader, max: i32): i32 {
  const n = reader.number();
  if (reader.ok && !(n >= 0 && n <= <f64>max && Math.floor(n) == n)) {
    reader.fail("must be a whole number from 0 to " + max.toString());
  }
  return reader.ok ? <i32>n : 0;
}
