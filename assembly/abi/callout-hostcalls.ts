// The typed layer over the callout, context and foreign-function imports (reference abi.md 3.1,
// 3.5, 3.9): the only code of these areas that turns pointers into strings and buffers.

import * as abi from "./imports";
import { serializeHeaders } from "./serde";
import { Header } from "../header";
import { Status } from "../types";
import { clearSlots, SLOT_A, SLOT_B, SLOT_C, takeBytes } from "./slots";

/** A host call's status with the token it wrote (0 unless the status is Ok). */
export class TokenResult {
  constructor(
    /** Ok, or why the host refused the call. */
    public readonly status: Status,
    /** The token the host assigned. */
    public readonly token: u32,
  ) {}
}

/** The status the host reports through proxy_get_status: a code and its message. */
export class HostStatus {
  constructor(
    /** 11 (BrokenConnection) after a failed HTTP call, the gRPC status in on_grpc_close, else 0. */
    public readonly code: u32,
    /** "reset" after a failed HTTP call, the gRPC message in on_grpc_close. */
    public readonly message: string,
  ) {}
}

/** A foreign function's status and result bytes (empty unless the status is Ok). */
export class ForeignResult {
  constructor(
    /** Ok, NotFound for an unknown function, or the function's own failure status. */
    public readonly status: Status,
    /** The result bytes. */
    public readonly value: ArrayBuffer,
  ) {}
}

function tokenResult(status: u32): TokenResult {
  const token = status == Status.Ok ? load<u32>(SLOT_A) : 0;
  return new TokenResult(<Status>status, token);
}

/** Sends an HTTP request to `cluster`; the answer reaches the root context with the token. */
export function httpCall(
  cluster: string,
  headers: Array<Header>,
  body: ArrayBuffer,
  trailers: Array<Header>,
  timeoutMs: u32,
): TokenResult {
  const name = String.UTF8.encode(cluster);
  const headerPairs = serializeHeaders(headers);
  const trailerPairs = serializeHeaders(trailers);
  store<u32>(SLOT_A, 0);
  const status = abi.proxy_http_call(
    changetype<usize>(name),
    name.byteLength,
    changetype<usize>(headerPairs),
    headerPairs.byteLength,
    changetype<usize>(body),
    body.byteLength,
    changetype<usize>(trailerPairs),
    trailers.length == 0 ? 0 : trailerPairs.byteLength,
    timeoutMs,
    SLOT_A,
  );
  return tokenResult(status);
}

/** Starts a unary gRPC call, or (when `message` is null) opens a gRPC stream. */
export function grpcStart(
  cluster: string,
  service: string,
  method: string,
  metadata: Array<Header>,
  message: ArrayBuffer | null,
  timeoutMs: u32,
): TokenResult {
  const name = String.UTF8.encode(cluster);
  const serviceBytes = String.UTF8.encode(service);
  const methodBytes = String.UTF8.encode(method);
  const pairs = serializeHeaders(metadata);
  const pairsSize = metadata.length == 0 ? 0 : pairs.byteLength;
  store<u32>(SLOT_A, 0);
  if (message == null) {
    const status = abi.proxy_grpc_stream(
      changetype<usize>(name),
      name.byteLength,
      changetype<usize>(serviceBytes),
      serviceBytes.byteLength,
      changetype<usize>(methodBytes),
      methodBytes.byteLength,
      changetype<usize>(pairs),
      pairsSize,
      SLOT_A,
    );
    return tokenResult(status);
  }
  const status = abi.proxy_grpc_call(
    changetype<usize>(name),
    name.byteLength,
    changetype<usize>(serviceBytes),
    serviceBytes.byteLength,
    changetype<usize>(methodBytes),
    methodBytes.byteLength,
    changetype<usize>(pairs),
    pairsSize,
    changetype<usize>(message),
    message.byteLength,
    timeoutMs,
    SLOT_A,
  );
  return tokenResult(status);
}

/** Sends `message` on gRPC stream `token`, half-closing it when `endStream`. */
export function grpcSend(token: u32, message: ArrayBuffer, endStream: bool): Status {
  return <Status>abi.proxy_grpc_send(token, changetype<usize>(message), message.byteLength, endStream ? 1 : 0);
}

/** Cancels gRPC call or stream `token`. */
export function grpcCancel(token: u32): Status {
  return <Status>abi.proxy_grpc_cancel(token);
}

/** Half-closes gRPC stream `token` (cancels a unary call). */
export function grpcClose(token: u32): Status {
  return <Status>abi.proxy_grpc_close(token);
}

/** Reads the root context's last status (see HostStatus). */
export function getStatus(): HostStatus {
  store<u32>(SLOT_C, 0);
  clearSlots();
  abi.proxy_get_status(SLOT_C, SLOT_A, SLOT_B);
  const code = load<u32>(SLOT_C);
  return new HostStatus(code, String.UTF8.decode(takeBytes()));
}

/** Makes later host calls of this callback act on context `contextId`; BadArgument for an unknown id. */
export function setEffectiveContext(contextId: u32): Status {
  return <Status>abi.proxy_set_effective_context(contextId);
}

/** Tells the host a root whose onDone returned false has finished; NotFound when nothing waits for it. */
export function done(): Status {
  return <Status>abi.proxy_done();
}

/** Calls host extension `name` with `args`. */
export function callForeignFunction(name: string, args: ArrayBuffer): ForeignResult {
  const nameBytes = String.UTF8.encode(name);
  clearSlots();
  const status = abi.proxy_call_foreign_function(
    changetype<usize>(nameBytes),
    nameBytes.byteLength,
    changetype<usize>(args),
    args.byteLength,
    SLOT_A,
    SLOT_B,
  );
  if (status != Status.Ok) return new ForeignResult(<Status>status, new ArrayBuffer(0));
  return new ForeignResult(Status.Ok, takeBytes());
}
