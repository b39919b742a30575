// The verified claims jwt-authn publishes in filter state, read and parsed for a stream. A client
// sends the same token request after request, so the parse of the last claims is kept and reused
// while the published bytes stay the same: one comparison instead of a JSON parse per request.

import { parseJson } from "./json/parser";
import { JsonResult } from "./json/value";
import { getProperty } from "./properties";

/** The filter-state property under which jwt-authn publishes the verified claims (a JSON object). */
export const JWT_CLAIMS_PROPERTY = "envoy_as.jwt.claims";

const CLAIMS_PATH = [JWT_CLAIMS_PROPERTY];

let lastBytes: ArrayBuffer | null = null;
let lastResult: JsonResult | null = null;

/**
 * The current stream's verified claims parsed, or null when jwt-authn published none; the result
 * may be shared with earlier streams that carried the same claims, so read it and never change it.
 */
export function verifiedJwtClaims(): JsonResult | null {
  const bytes = getProperty(CLAIMS_PATH);
  if (bytes == null) return null;
  const last = lastBytes;
  if (last != null && sameBytes(last, bytes)) return lastResult;
  const result = parseJson(bytes);
  lastBytes = bytes;
  lastResult = result;
  return result;
}

function sameBytes(a: ArrayBuffer, b: ArrayBuffer): bool {
  const length = a.byteLength;
  return length == b.byteLength && memory.compare(changetype<usize>(a), changetype<usize>(b), <usize>length) == 0;
}
