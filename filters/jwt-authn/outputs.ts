// What a verified request carries on: the token removed unless forwarded, the payload header, claim
// headers, and the claims and principal in filter state for later filters (an ABAC filter's CEL
// `jwt.claims`, through EnvoyAttributes).

import {
  Header,
  HeaderMap,
  JWT_CLAIMS_PROPERTY,
  JWT_PRINCIPAL_PROPERTY,
  JsonKind,
  JsonValue,
  jsonNumberText,
  removeHeaderEntries,
  setProperty,
  setPropertyString,
} from "../../assembly";
import { Authenticator } from "./authenticator";
import { claimsJson } from "./claims-json";
import { LocationKind } from "./extract";

/**
 * Removes every header only this filter may set, before anything reads the request (Envoy
 * sanitizeHeaders). With `read`, the request's headers as just read, only the names it has are
 * removed: from the request and from `read`.
 */
export function removeProtectedHeaders(headers: HeaderMap, names: Array<string>, read: Array<Header> | null): void {
  for (let i = 0; i < names.length; i++) {
    if (read != null && !removeHeaderEntries(read, names[i])) continue;
    headers.remove(names[i]);
  }
}

/** Applies the outputs of every verified token, in verification order; `principalHeader` ("" for none) gets `<iss>/<sub>`. */
export function applyOutputs(headers: HeaderMap, verified: Authenticator, principalHeader: string): void {
  const count = verified.verifiedCount;
  for (let i = 0; i < count; i++) {
    const v = verified.verifiedAt(i);
    const provider = v.provider;
    // Envoy removes the whole header of a token it does not forward; parameters and cookies stay.
    if (!provider.forward && v.token.location.kind == LocationKind.Header) headers.remove(v.token.location.name);
    if (provider.forwardPayloadHeader.length > 0) {
      headers.replace(provider.forwardPayloadHeader, v.jwt.payloadSegment(provider.padForwardPayloadHeader));
    }
    const claims = v.jwt.claims!;
    for (let j = 0; j < provider.claimToHeaders.length; j++) {
      const rule = provider.claimToHeaders[j];
      const value = claimText(claims, rule.path);
      if (value != null) headers.replace(rule.header, value!);
    }
  }
  if (count == 0) return;
  const first = verified.verifiedAt(0).jwt;
  const spaceDelimited = verified.verifiedAt(0).provider.spaceDelimitedClaims;
  if (spaceDelimited.length == 0) setProperty(JWT_CLAIMS_PROPERTY, first.payloadBuffer());
  else setPropertyString(JWT_CLAIMS_PROPERTY, claimsJson(first.claims!, spaceDelimited));
  const principal = first.principal();
  if (principal == null) return;
  setProperty(JWT_PRINCIPAL_PROPERTY, first.principalUtf8()!);
  if (principalHeader.length > 0 && isHeaderValue(principal)) headers.replace(principalHeader, principal);
}

// Envoy's claim_to_headers: dots walk nested objects; strings are copied, numbers written as
// integers when whole, booleans as true/false; arrays, objects, null and missing claims add nothing.
// A value with control characters is skipped, since it cannot be a header value.
function claimText(claims: JsonValue, path: Array<string>): string | null {
  let value: JsonValue | null = claims;
  for (let i = 0; i < path.length && value != null; i++) value = value.get(path[i]);
  if (value == null) return null;
  let text: string;
  if (value.kind == JsonKind.String) text = value.string;
  else if (value.kind == JsonKind.Bool) text = value.bool ? "true" : "false";
  else if (value.kind == JsonKind.Number) text = jsonNumberText(value.number);
  else return null;
  return isHeaderValue(text) ? text : null;
}

// RFC 9110 field values: no control characters other than tab.
function isHeaderValue(text: string): bool {
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if ((c < 0x20 && c != 0x09) || c == 0x7f) return false;
  }
  return true;
}
