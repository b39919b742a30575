// Controlling the current HTTP stream: local replies (plain and gRPC), resuming and resetting. Envoy runs each of
// these after the current callback returns, not at the call.

import * as host from "./abi/hostcalls";
import { Header } from "./header";
import { GrpcStatus, Status, StreamType } from "./types";

/**
 * Answers the current request locally with `statusCode`, `body` and extra `headers`; the callback's
 * result is then forced to Stop. `details` becomes the response code details (spaces become `_`).
 * Ok even when the current context is not an HTTP stream (then nothing happens).
 */
export function sendLocalResponse(
  statusCode: u32,
  details: string,
  body: string = "",
  headers: Array<Header> = [],
  grpcStatus: GrpcStatus = GrpcStatus.Unset,
): Status {
  return host.sendLocalResponse(statusCode, details, String.UTF8.encode(body), headers, <i32>grpcStatus);
}

/** Resumes the paused request after the callback returns; Ok (and nothing happens) when not paused. */
export function continueRequest(): Status {
  return host.continueStream(StreamType.HttpRequest);
}

/** Resumes the paused response after the callback returns; Ok (and nothing happens) when not paused. */
export function continueResponse(): Status {
  return host.continueStream(StreamType.HttpResponse);
}

/** Resets the current HTTP stream after the callback returns (details `wasm_close_stream`). */
export function resetStream(): Status {
  return host.closeStream(StreamType.HttpRequest);
}

/** Closes the request direction, which in Envoy resets the whole stream (details `wasm_close_stream`). */
export function closeRequest(): Status {
  return host.closeStream(StreamType.HttpRequest);
}

/** Closes the response direction, which in Envoy resets the whole stream (details `wasm_close_stream`). */
export function closeResponse(): Status {
  return host.closeStream(StreamType.HttpResponse);
}

/**
 * Answers a gRPC request locally with `status` and `message` (sent as grpc-message), as a
 * trailers-only response; the callback's result is then forced to Stop. Ok even when the current
 * context is not an HTTP stream (then nothing happens).
 */
export function sendGrpcLocalResponse(
  status: GrpcStatus,
  message: string = "",
  details: string = "",
  headers: Array<Header> = [],
): Status {
  return host.sendLocalResponse(200, details, String.UTF8.encode(message), headers, <i32>status);
}

/** Like sendLocalResponse with a body of raw bytes (which need not be UTF-8). */
export function sendLocalResponseBytes(
  statusCode: u32,
  details: string,
  body: ArrayBuffer,
  headers: Array<Header> = [],
  grpcStatus: GrpcStatus = GrpcStatus.Unset,
): Status {
  return host.sendLocalResponse(statusCode, details, body, headers, <i32>grpcStatus);
}
