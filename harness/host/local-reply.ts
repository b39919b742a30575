// The response Envoy builds for a local reply (Utility::prepareLocalReply): for a plain request,
// `:status`, the filter's headers added in order, `:status` reset, then content-length and a
// default text/plain content-type for a body (neither without one); for a gRPC request, a
// trailers-only 200 with content-type, grpc-status (the override, else mapped from the HTTP
// status) and the body as grpc-message, then the filter's headers.

import { HeaderMap } from "./header-map.js";
import { type HeaderEntry } from "./pairs.js";

/** A reply the filter (or the host, on a failure) produced instead of the upstream's. */
export interface LocalReply {
  status: number;
  /** Response code details; whitespace replaced by "_" as Envoy does. */
  details: string;
  body: Uint8Array;
  /** The extra headers the filter asked for. */
  headers: HeaderEntry[];
  /** gRPC status override, or null when unset (outside 0..16). */
  grpcStatus: number | null;
}

/** The response a local reply becomes: its headers and the body the client gets. */
export interface LocalReplyResponse {
  headers: HeaderMap;
  body: Uint8Array;
}

// Grpc::Utility::httpToGrpcStatus.
function grpcStatusFor(http: number): number {
  switch (http) {
    case 400:
      return 13;
    case 401:
      return 16;
    case 403:
      return 7;
    case 404:
      return 12;
    case 429:
    case 502:
    case 503:
    case 504:
      return 14;
    default:
      return 2;
  }
}

/** Builds the response for `reply`; `grpc` when the request's content-type is application/grpc*. */
export function localReplyResponse(reply: LocalReply, grpc: boolean): LocalReplyResponse {
  const status = String(reply.status);
  if (grpc) {
    const headers = new HeaderMap(
      [
        [":status", "200"],
        ["content-type", "application/grpc"],
        ["grpc-status", String(reply.grpcStatus ?? grpcStatusFor(reply.status))],
      ],
      "response-headers",
    );
    if (reply.body.length > 0) headers.add("grpc-message", percentEncodeGrpcMessage(reply.body));
    for (const [name, value] of reply.headers) headers.add(name, value);
    headers.remove("content-length");
    return { headers, body: new Uint8Array() };
  }
  const headers = new HeaderMap([[":status", status]], "response-headers");
  for (const [name, value] of reply.headers) headers.add(name, value);
  headers.setInPlace(":status", status);
  if (reply.body.length > 0) {
    headers.setInPlace("content-length", String(reply.body.length));
    if (headers.get("content-type") === undefined) headers.add("content-type", "text/plain");
  } else {
    headers.remove("content-length");
    headers.remove("content-type");
  }
  return { headers, body: reply.body };
}

/** True when request headers mark a gRPC request (content-type application/grpc, +proto etc.). */
export function isGrpcRequest(headers: HeaderMap | null): boolean {
  return headers?.get("content-type")?.startsWith("application/grpc") ?? false;
}

// gRPC's percent-encoding of grpc-message: only bytes outside printable ASCII, and '%', are encoded
// (so spaces stay, as Envoy 1.40 sends them).
function percentEncodeGrpcMessage(bytes: Uint8Array): string {
  let out = "";
  for (const byte of bytes) {
    out +=
      byte < 0x20 || byte > 0x7e || byte === 0x25
        ? `%${byte.toString(16).toUpperCase().padStart(2, "0")}`
        : String.fromCharCode(byte);
  }
  return out;
}
