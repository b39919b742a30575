// The header names nearly every request or response carries. Decoding a header map returns these
// constant strings instead of allocating a copy of the name each time, which also makes comparing
// a name with the same literal in filter code a pointer comparison.

import { sameAsciiText } from "./text";

const COMMON_NAMES: StaticArray<string> = [
  ":authority",
  ":method",
  ":path",
  ":scheme",
  ":status",
  "accept",
  "accept-encoding",
  "accept-language",
  "authorization",
  "cache-control",
  "content-length",
  "content-type",
  "cookie",
  "date",
  "origin",
  "referer",
  "server",
  "user-agent",
  "x-envoy-attempt-count",
  "x-envoy-upstream-service-time",
  "x-forwarded-for",
  "x-forwarded-proto",
  "x-request-id",
];

/** The constant string for the common header name at `[ptr, ptr+size)` (UTF-8), or null for any other name. */
export function commonHeaderName(ptr: usize, size: usize): string | null {
  for (let i = 0; i < COMMON_NAMES.length; i++) {
    const name = unchecked(COMMON_NAMES[i]);
    if (sameAsciiText(name, ptr, size)) return name;
  }
  return null;
}
