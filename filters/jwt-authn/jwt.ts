// Parsing a compact JWS (RFC 7515 section 7.1) into what verification needs, with
// jwt_verify_lib's checks (src/jwt.cc) plus stricter ones: exactly two dots and three non-empty
// segments, canonical unpadded base64url, strict JSON (duplicate members, deep nesting and invalid
// UTF-8 are errors), and no header extension we do not implement (crit, b64).

import { JsonKind, JsonLimits, JsonValue, decodeBase64Url, parseJson } from "../../assembly";
import { Status } from "./status";

/** The JWS algorithms accepted: jwt_verify_lib's 13 (RFC 7518 section 3, RFC 8037 section 3.1). */
export enum Alg {
  RS256,
  RS384,
  RS512,
  PS256,
  PS384,
  PS512,
  ES256,
  ES384,
  ES512,
  HS256,
  HS384,
  HS512,
  EdDSA,
}

// prettier-ignore
@lazy const ALG_NAMES: StaticArray<string> = [
  "RS256", "RS384", "RS512", "PS256", "PS384", "PS512", "ES256", "ES384", "ES512", "HS256", "HS384", "HS512", "EdDSA",
];

/** Returns the `alg` header value naming `alg`. */
export function algName(alg: Alg): string {
  return ALG_NAMES[<i32>alg];
}

// The largest claim value jwt_verify_lib accepts for iat, nbf and exp (uint64).
const TWO_TO_64: f64 = 18446744073709551616.0;

// Headers and payloads are small objects; 32 levels is far more than any real token uses.
const MAX_JSON_DEPTH = 32;

/** A parsed token. Check `status` first; `payloadStatus` describes the payload separately. */
export class Jwt {
  /** Ok, or why the segments, the header or the signature encoding are unacceptable. */
  status: Status = Status.Ok;
  /** Ok, or why the payload is unacceptable (reported only for tokens whose signature verifies). */
  payloadStatus: Status = Status.Ok;
  /** The header's algorithm. */
  alg: Alg = Alg.RS256;
  /** The header's key id, or null when absent. */
  kid: string | null = null;
  /** The header's `typ`, or null when absent or not a string. */
  typ: string | null = null;
  /** The ASCII bytes of `header.payload`, which the signature covers. */
  signingInput: Uint8Array = new Uint8Array(0);
  /** The decoded signature. */
  signature: Uint8Array = new Uint8Array(0);
  /** The decoded payload: UTF-8 JSON when payloadStatus is Ok. */
  payload: Uint8Array = new Uint8Array(0);
  /** The payload as parsed JSON (an object), or null. */
  claims: JsonValue | null = null;
  /** The `iss` claim, or null when absent. */
  iss: string | null = null;
  /** The `sub` claim, or null when absent. */
  sub: string | null = null;
  /** The `azp` claim (OpenID Connect's authorized party) when it is a string, else null. */
  azp: string | null = null;
  /** The `aud` claim as a list (a single string becomes one element); empty when absent. */
  audiences: Array<string> = [];
  /** The `exp` claim in seconds, fraction dropped; -1 when absent. */
  exp: f64 = -1;
  /** The `nbf` claim in seconds, fraction dropped; -1 when absent. */
  nbf: f64 = -1;
  /** The `iat` claim in seconds, fraction dropped; -1 when absent. */
  iat: f64 = -1;
  // What every request carrying this (cached) token writes to filter state, made once.
  private payloadBytes: ArrayBuffer | null = null;
  private principalText: string | null = null;
  private principalBytes: ArrayBuffer | null = null;
  private forwardedPayload: string | null = null;
  private forwardedPadded: bool = false;

  /** The payload in a buffer of its own, for proxy_set_property. */
  payloadBuffer(): ArrayBuffer {
    if (this.payloadBytes == null) {
      const payload = this.payload;
      const start = payload.byteOffset;
      const whole = start == 0 && payload.byteLength == payload.buffer.byteLength;
      this.payloadBytes = whole ? payload.buffer : payload.buffer.slice(start, start + payload.byteLength);
    }
    return this.payloadBytes!;
  }

  /** The payload segment as Envoy forwards it (base64url, padded with "=" when `pad`), made once per token. */
  payloadSegment(pad: bool): string {
    let segment = this.forwardedPayload;
    if (segment == null || this.forwardedPadded != pad) {
      const input = this.signingInput;
      const start = input.indexOf(0x2e) + 1;
      let text = String.UTF8.decodeUnsafe(input.dataStart + <usize>start, <usize>(input.length - start));
      if (pad && text.length % 4 != 0) text += "===".substring(0, 4 - (text.length % 4));
      this.forwardedPayload = text;
      this.forwardedPadded = pad;
      segment = text;
    }
    return segment;
  }

  /** `<iss>/<sub>` (Istio's request.auth.principal), or null unless both claims are strings. */
  principal(): string | null {
    if (this.principalText == null && this.iss != null && this.sub != null) {
      this.principalText = this.iss! + "/" + this.sub!;
    }
    return this.principalText;
  }

  /** The principal as UTF-8, or null without one. */
  principalUtf8(): ArrayBuffer | null {
    if (this.principalBytes == null) {
      const principal = this.principal();
      if (principal != null) this.principalBytes = String.UTF8.encode(principal);
    }
    return this.principalBytes;
  }
}

/** Parses `token`; never traps, whatever the input. */
export function parseJwt(token: string): Jwt {
  const jwt = new Jwt();
  const first = token.indexOf(".");
  const second = first < 0 ? -1 : token.indexOf(".", first + 1);
  // A JWE (five segments), a JSON serialization, or "h.p." (alg none with no signature) all fail here.
  if (first <= 0 || second <= first + 1 || second == token.length - 1 || token.indexOf(".", second + 1) >= 0) {
    jwt.status = Status.JwtBadFormat;
    return jwt;
  }
  const header = decodeBase64Url(token.substring(0, first));
  if (header == null) {
    jwt.status = Status.JwtHeaderBadBase64;
    return jwt;
  }
  jwt.status = readHeader(jwt, header);
  if (jwt.status != Status.Ok) return jwt;
  const signature = decodeBase64Url(token.substring(second + 1));
  if (signature == null) {
    jwt.status = Status.JwtSignatureBadBase64;
    return jwt;
  }
  jwt.signature = signature;
  jwt.signingInput = Uint8Array.wrap(String.UTF8.encode(token.substring(0, second)));
  const payload = decodeBase64Url(token.substring(first + 1, second));
  if (payload == null) {
    jwt.payloadStatus = Status.JwtPayloadBadBase64;
    return jwt;
  }
  jwt.payload = payload;
  jwt.payloadStatus = readPayload(jwt, payload);
  return jwt;
}

function parseObject(bytes: Uint8Array): JsonValue | null {
  const buffer = bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength);
  const parsed = parseJson(buffer, new JsonLimits(MAX_JSON_DEPTH, bytes.length));
  const value = parsed.value;
  return value != null && value.kind == JsonKind.Object ? value : null;
}

function readHeader(jwt: Jwt, bytes: Uint8Array): Status {
  const header = parseObject(bytes);
  if (header == null) return Status.JwtHeaderBadJson;
  const alg = header.get("alg");
  if (alg == null || alg.kind != JsonKind.String) return Status.JwtHeaderBadAlg;
  const index = ALG_NAMES.indexOf(alg.string);
  // "none", "None", "HS256 " and JWE algorithms all end here: only exact registered names pass.
  if (index < 0) return Status.JwtHeaderNotImplementedAlg;
  jwt.alg = <Alg>index;
  const kid = header.get("kid");
  if (kid != null) {
    if (kid.kind != JsonKind.String) return Status.JwtHeaderBadKid;
    jwt.kid = kid.string;
  }
  // RFC 7515 section 4.1.11: a recipient must reject a token whose crit lists an extension it does
  // not understand, and we understand none; RFC 7797's b64 only has meaning through crit, and an
  // unencoded payload (b64 false) would change what the signature covers.
  if (header.get("crit") != null) return Status.JwtHeaderUnsupportedExtension;
  const b64 = header.get("b64");
  if (b64 != null && !(b64.kind == JsonKind.Bool && b64.bool)) return Status.JwtHeaderUnsupportedExtension;
  const typ = header.get("typ");
  if (typ != null && typ.kind == JsonKind.String) jwt.typ = typ.string;
  return Status.Ok;
}

function readPayload(jwt: Jwt, bytes: Uint8Array): Status {
  const claims = parseObject(bytes);
  if (claims == null) return Status.JwtPayloadBadJson;
  jwt.claims = claims;
  const iss = claims.get("iss");
  if (iss != null) {
    if (iss.kind != JsonKind.String) return Status.JwtPayloadIssNotString;
    jwt.iss = iss.string;
  }
  const sub = claims.get("sub");
  if (sub != null) {
    if (sub.kind != JsonKind.String) return Status.JwtPayloadSubNotString;
    jwt.sub = sub.string;
  }
  const azp = claims.get("azp");
  if (azp != null && azp.kind == JsonKind.String) jwt.azp = azp.string;
  const jti = claims.get("jti");
  if (jti != null && jti.kind != JsonKind.String) return Status.JwtPayloadJtiNotString;
  let status = readTime(claims.get("iat"), Status.JwtPayloadIatNotInteger, Status.JwtPayloadIatOutOfRange);
  if (status != Status.Ok) return status;
  jwt.iat = timeValue(claims.get("iat"));
  status = readTime(claims.get("nbf"), Status.JwtPayloadNbfNotInteger, Status.JwtPayloadNbfOutOfRange);
  if (status != Status.Ok) return status;
  jwt.nbf = timeValue(claims.get("nbf"));
  status = readTime(claims.get("exp"), Status.JwtPayloadExpNotInteger, Status.JwtPayloadExpOutOfRange);
  if (status != Status.Ok) return status;
  jwt.exp = timeValue(claims.get("exp"));
  return readAudiences(jwt, claims.get("aud"));
}

// jwt_verify_lib accepts any JSON number from 0 up to uint64 and drops the fraction.
function readTime(value: JsonValue | null, notInteger: Status, outOfRange: Status): Status {
  if (value == null) return Status.Ok;
  if (value.kind != JsonKind.Number) return notInteger;
  if (!(value.number >= 0 && value.number < TWO_TO_64)) return outOfRange;
  return Status.Ok;
}

function timeValue(value: JsonValue | null): f64 {
  return value == null ? -1 : Math.floor(value.number);
}

function readAudiences(jwt: Jwt, aud: JsonValue | null): Status {
  if (aud == null) return Status.Ok;
  if (aud.kind == JsonKind.String) {
    jwt.audiences.push(aud.string);
    return Status.Ok;
  }
  if (aud.kind != JsonKind.Array) return Status.JwtPayloadAudBadType;
  for (let i = 0; i < aud.elements.length; i++) {
    const element = aud.elements[i];
    if (element.kind != JsonKind.String) return Status.JwtPayloadAudBadType;
    jwt.audiences.push(element.string);
  }
  return Status.Ok;
}
