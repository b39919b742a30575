// fast-check arbitraries for hostile HTTP traffic: header maps with up to 200 entries, values up to
// 64 KiB, repeated names, control characters and invalid UTF-8 (sent as raw bytes through the
// harness's U+DC80-U+DCFF escapes, harness/host/header-text.ts), bodies cut at random boundaries.

import fc from "fast-check";
import { headerText } from "../../harness/index.js";

/** One header entry. */
export type Entry = [string, string];

/** A whole exchange: request headers and body chunks, the authorization service's answer, the response. */
export interface Exchange {
  request: Entry[];
  requestChunks: Uint8Array[] | null;
  calloutStatus: number | null;
  response: Entry[];
  responseChunks: Uint8Array[] | null;
}

// Deterministic bytes from a seed (xorshift32), so a 64 KiB value costs one draw, not 65,536.
function seededBytes(length: number, seed: number): Uint8Array {
  const out = new Uint8Array(length);
  let state = seed | 1;
  for (let i = 0; i < length; i++) {
    state ^= state << 13;
    state ^= state >>> 17;
    state ^= state << 5;
    out[i] = state & 0xff;
  }
  return out;
}

const rawBytes = (maxLength: number) =>
  fc.tuple(fc.nat({ max: maxLength }), fc.integer()).map(([n, seed]) => seededBytes(n, seed));

// Names the four filters read, so random maps reach their code paths, plus some they rewrite.
const knownNames = [
  "authorization",
  "cookie",
  "content-type",
  "content-length",
  "host",
  "origin",
  "access-control-request-method",
  "traceparent",
  "tracestate",
  "x-b3-traceid",
  "x-b3-spanid",
  "b3",
  "x-request-id",
  "x-forwarded-for",
  "x-tenant",
  "x-internal-debug",
  "x-debug-trace",
  "x-upstream-secret",
  "x-role",
  "x-user",
  "x-tier",
  "x-jwt-payload",
  "x-jwt-sub",
  "x-auth-user",
  "x-envoy-peer-metadata",
  "x-envoy-peer-metadata-id",
  "grpc-status",
  "te",
];

const controlText = fc.string({ unit: fc.integer({ min: 0, max: 0x1f }).map((c) => String.fromCharCode(c)) });

const headerName = fc.oneof(
  { weight: 6, arbitrary: fc.constantFrom(...knownNames) },
  { weight: 2, arbitrary: fc.stringMatching(/^[a-z][a-z0-9-]{0,20}$/) },
  { weight: 1, arbitrary: fc.string({ unit: "binary", maxLength: 30 }) },
  { weight: 1, arbitrary: controlText },
  { weight: 1, arbitrary: rawBytes(40).map(headerText) },
);

const tokenLike = fc
  .array(fc.stringMatching(/^[A-Za-z0-9_-]{0,60}$/), { minLength: 1, maxLength: 4 })
  .map((parts) => parts.join("."));

/**
 * A header value: short text, a token, JSON, control characters, invalid UTF-8 bytes, or up to
 * 64 KiB of repeated text with a few raw bytes inside (the harness escapes invalid bytes one by
 * one, so whole 64 KiB random values would make each case slow without adding anything).
 */
export const headerValue = fc.oneof(
  { weight: 6, arbitrary: fc.string({ maxLength: 40 }) },
  { weight: 2, arbitrary: tokenLike.map((t) => `Bearer ${t}`) },
  { weight: 1, arbitrary: fc.json({ maxDepth: 3 }) },
  { weight: 1, arbitrary: fc.string({ unit: "binary", maxLength: 60 }) },
  { weight: 1, arbitrary: controlText },
  { weight: 2, arbitrary: rawBytes(200).map(headerText) },
  {
    weight: 1,
    arbitrary: fc.constantFrom("00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01", "GET", "192.0.2.1"),
  },
  {
    weight: 1,
    arbitrary: fc
      .tuple(
        fc.nat({ max: 65536 }),
        fc.constantFrom("a", "%", ".", "é", "\u{1f600}", "\\", '"'),
        rawBytes(64).map(headerText),
        fc.double({ min: 0, max: 1, noNaN: true }),
      )
      .map(([n, unit, raw, at]) => {
        const text = unit.repeat(Math.ceil(n / unit.length)).slice(0, n);
        const cut = Math.floor(at * text.length);
        return text.slice(0, cut) + raw + text.slice(cut);
      }),
  },
);

const entry: fc.Arbitrary<Entry> = fc.tuple(headerName, headerValue);

/** Up to 200 entries, mostly a few; repeated names come from the shared name pool. */
export const headerList = fc.oneof(
  { weight: 5, arbitrary: fc.array(entry, { maxLength: 12 }) },
  { weight: 1, arbitrary: fc.array(entry, { minLength: 100, maxLength: 200 }) },
);

const method = fc.oneof(
  fc.constantFrom("GET", "HEAD", "POST", "PUT", "DELETE", "OPTIONS", "PATCH", "CONNECT"),
  fc.string({ maxLength: 10 }),
);

const path = fc.oneof(
  fc.constantFrom(
    "/",
    "/health",
    "/api/v1/items/42?q=x&q=y",
    "/orders/7",
    "/admin/x",
    "/api/",
    "/api/x?access_token=a.b.c",
  ),
  fc.string({ maxLength: 80 }).map((s) => `/${s}`),
  fc.string({ unit: "binary", maxLength: 80 }),
  rawBytes(300).map(headerText),
);

const authority = fc.oneof(fc.constantFrom("api.test", "shop.test", "api.example"), fc.string({ maxLength: 40 }));

// Pseudo-headers are usually all there (Envoy's codecs require them) and sometimes missing.
const pseudo = fc
  .tuple(method, path, authority, fc.constantFrom("http", "https"), fc.nat({ max: 15 }))
  .map(([m, p, a, s, drop]) =>
    (
      [
        [":method", m],
        [":path", p],
        [":authority", a],
        [":scheme", s],
      ] as Entry[]
    ).filter((_, i) => drop < 12 || i !== drop - 12),
  );

/** Cuts `bytes` at the given fractions into chunks (empty chunks allowed). */
function cut(bytes: Uint8Array, fractions: number[]): Uint8Array[] {
  const points = fractions.map((f) => Math.floor(f * bytes.length)).sort((a, b) => a - b);
  const chunks: Uint8Array[] = [];
  let start = 0;
  for (const point of [...points, bytes.length]) {
    chunks.push(bytes.subarray(start, point));
    start = point;
  }
  return chunks;
}

const bodyBytes = fc.oneof(
  fc.json({ maxDepth: 4 }).map((s) => new TextEncoder().encode(s)),
  fc
    .constantFrom('{"password":"x","meta":{"tenant":1}}', '{"a":[1,2,{"b":null}]}', "[]", "{}", '{"a":"\\ud800"}')
    .map((s) => new TextEncoder().encode(s)),
  fc.string({ maxLength: 200 }).map((s) => new TextEncoder().encode(s)),
  rawBytes(2048),
  rawBytes(200_000),
);

/** A body cut into 1 to 6 chunks at random boundaries, or null for none. */
export const chunkedBody = fc.option(
  fc
    .tuple(bodyBytes, fc.array(fc.double({ min: 0, max: 1, noNaN: true }), { maxLength: 5 }))
    .map(([bytes, fractions]) => cut(bytes, fractions)),
  { freq: 3 },
);

// Envoy's codecs refuse an upstream `:status` that is not a number, so the filter only sees numbers.
const responseStatus = fc.oneof(
  fc.constantFrom("200", "204", "404", "500", "503"),
  fc.integer({ min: 100, max: 599 }).map(String),
);

/** Request headers (pseudo-headers then a random map), body, ext-authz answer, response headers and body. */
export const exchange: fc.Arbitrary<Exchange> = fc.record({
  request: fc.tuple(pseudo, headerList).map(([p, h]) => [...p, ...h]),
  requestChunks: chunkedBody,
  calloutStatus: fc.option(fc.oneof(fc.constantFrom(200, 403, 401, 500), fc.integer({ min: 100, max: 599 }))),
  response: fc.tuple(responseStatus, headerList).map(([s, h]) => [[":status", s] as Entry, ...h]),
  responseChunks: chunkedBody,
});
