// gRPC callouts with handler objects (reference abi.md 3.5, 4.5): unary calls and streams. Like
// HTTP callouts, answers reach the root and are routed back to the context that started the call
// (switched to with proxy_set_effective_context); answers for deleted streams are dropped.

import * as host from "./abi/hostcalls";
import * as callout from "./abi/callout-hostcalls";
import { CalloutResult } from "./callouts";
import { currentContextId, setEffectiveContext } from "./context-state";
import { contextExists, GrpcEvent, routeGrpc } from "./dispatcher";
import { Header } from "./header";
import { BufferType, GrpcStatus, MapType, Status } from "./types";

/** The answer to a unary gRPC call: the response message, or the status it failed with. */
export class GrpcCallResponse {
  constructor(
    /** Ok with a message, or the failure status (e.g. DeadlineExceeded, Unavailable). */
    public readonly status: GrpcStatus,
    /** The failure's grpc-message, "" on success. */
    public readonly statusMessage: string,
    /** The serialized response message (empty on failure). */
    public readonly message: ArrayBuffer,
  ) {}

  /** True when the call returned a message. */
  get ok(): bool {
    return this.status == GrpcStatus.Ok;
  }
}

/** Receives the answer to one unary gRPC call; extend it and pass it to grpcCall. */
export class GrpcCallHandler {
  /** Called once with the response or the failure; host calls act on the context that made the call. */
  onResponse(response: GrpcCallResponse): void {}
}

/** Receives the events of one gRPC stream; every method has a do-nothing default. */
export class GrpcStreamHandler {
  /** Called with the server's initial metadata. */
  onInitialMetadata(stream: GrpcStream, metadata: Array<Header>): void {}

  /** Called with each serialized message from the server. */
  onMessage(stream: GrpcStream, message: ArrayBuffer): void {}

  /** Called with the server's trailing metadata. */
  onTrailingMetadata(stream: GrpcStream, metadata: Array<Header>): void {}

  /** Called once when the stream ends, with its gRPC status and message; the stream is gone afterwards. */
  onClose(stream: GrpcStream, status: GrpcStatus, message: string): void {}
}

/** An open gRPC stream: send messages, half-close it, or cancel it. */
export class GrpcStream {
  constructor(
    /** The host's token for this stream. */
    public readonly token: u32,
    /** The context events are routed to. */
    public readonly contextId: u32,
    /** Who receives the events. */
    public readonly handler: GrpcStreamHandler,
  ) {}

  /** Sends a serialized message, half-closing the stream when `endStream`; NotFound once the stream is gone. */
  send(message: ArrayBuffer, endStream: bool = false): Status {
    return callout.grpcSend(this.token, message, endStream);
  }

  /** Half-closes the local side; the server's messages and close still arrive. */
  close(): Status {
    return callout.grpcClose(this.token);
  }

  /** Resets the stream; no more events arrive for it. */
  cancel(): Status {
    streams.delete(this.token);
    return callout.grpcCancel(this.token);
  }
}

/** The outcome of opening a stream: the stream, or the host's refusal. */
export class GrpcStreamResult {
  constructor(
    /** Ok, or ParseFailure for an unknown cluster. */
    public readonly status: Status,
    /** The open stream, or null when refused. */
    public readonly stream: GrpcStream | null,
  ) {}
}

class PendingGrpcCall {
  constructor(
    public contextId: u32,
    public handler: GrpcCallHandler,
  ) {}
}

const calls = new Map<u32, PendingGrpcCall>();
const streams = new Map<u32, GrpcStream>();

/**
 * Calls `service`/`method` on Envoy cluster `cluster` with a serialized request `message`
 * (timeout 0 = none); `handler.onResponse` runs later on the context calling now.
 * Status ParseFailure means the cluster is unknown.
 */
export function grpcCall(
  cluster: string,
  service: string,
  method: string,
  message: ArrayBuffer,
  timeoutMs: u32,
  handler: GrpcCallHandler,
  initialMetadata: Array<Header> = [],
): CalloutResult {
  routeGrpc(deliverGrpcEvent);
  const issued = callout.grpcStart(cluster, service, method, initialMetadata, message, timeoutMs);
  if (issued.status == Status.Ok) calls.set(issued.token, new PendingGrpcCall(currentContextId(), handler));
  return new CalloutResult(issued.status, issued.token);
}

/** Cancels unary call `token` made with grpcCall; its handler is never called. NotFound when it already ended. */
export function cancelGrpcCall(token: u32): Status {
  calls.delete(token);
  return callout.grpcCancel(token);
}

/** Opens a gRPC stream to `service`/`method` on `cluster`; its events go to `handler` on the context calling now. */
export function openGrpcStream(
  cluster: string,
  service: string,
  method: string,
  handler: GrpcStreamHandler,
  initialMetadata: Array<Header> = [],
): GrpcStreamResult {
  routeGrpc(deliverGrpcEvent);
  const issued = callout.grpcStart(cluster, service, method, initialMetadata, null, 0);
  if (issued.status != Status.Ok) return new GrpcStreamResult(issued.status, null);
  const stream = new GrpcStream(issued.token, currentContextId(), handler);
  streams.set(issued.token, stream);
  return new GrpcStreamResult(Status.Ok, stream);
}

// Switches to the context that started the call; false when it is gone (the answer is dropped).
function reenter(rootId: u32, contextId: u32): bool {
  if (contextId == rootId) return true;
  return contextExists(contextId) && setEffectiveContext(contextId) == Status.Ok;
}

// Routes a gRPC callback for a call or stream made here; false leaves it to the root context.
function deliverGrpcEvent(event: GrpcEvent, rootId: u32, token: u32, value: u32): bool {
  switch (event) {
    case GrpcEvent.InitialMetadata:
      return deliverGrpcInitialMetadata(rootId, token);
    case GrpcEvent.Message:
      return deliverGrpcMessage(rootId, token, value);
    case GrpcEvent.TrailingMetadata:
      return deliverGrpcTrailingMetadata(rootId, token);
    default:
      return deliverGrpcClose(rootId, token, value);
  }
}

function deliverGrpcInitialMetadata(rootId: u32, token: u32): bool {
  if (!streams.has(token)) return false;
  const stream = streams.get(token);
  if (reenter(rootId, stream.contextId)) {
    stream.handler.onInitialMetadata(stream, host.getHeaderMapPairs(MapType.GrpcReceiveInitialMetadata));
  }
  return true;
}

function deliverGrpcMessage(rootId: u32, token: u32, size: u32): bool {
  if (calls.has(token)) {
    const call = calls.get(token);
    calls.delete(token);
    if (reenter(rootId, call.contextId)) {
      call.handler.onResponse(new GrpcCallResponse(GrpcStatus.Ok, "", readMessage(size)));
    }
    return true;
  }
  if (!streams.has(token)) return false;
  const stream = streams.get(token);
  if (reenter(rootId, stream.contextId)) stream.handler.onMessage(stream, readMessage(size));
  return true;
}

function deliverGrpcTrailingMetadata(rootId: u32, token: u32): bool {
  if (!streams.has(token)) return false;
  const stream = streams.get(token);
  if (reenter(rootId, stream.contextId)) {
    stream.handler.onTrailingMetadata(stream, host.getHeaderMapPairs(MapType.GrpcReceiveTrailingMetadata));
  }
  return true;
}

function deliverGrpcClose(rootId: u32, token: u32, status: u32): bool {
  if (calls.has(token)) {
    const call = calls.get(token);
    calls.delete(token);
    const message = callout.getStatus().message;
    if (reenter(rootId, call.contextId)) {
      call.handler.onResponse(new GrpcCallResponse(<GrpcStatus>status, message, new ArrayBuffer(0)));
    }
    return true;
  }
  if (!streams.has(token)) return false;
  const stream = streams.get(token);
  streams.delete(token);
  const message = callout.getStatus().message;
  if (reenter(rootId, stream.contextId)) stream.handler.onClose(stream, <GrpcStatus>status, message);
  return true;
}

function readMessage(size: u32): ArrayBuffer {
  const bytes = host.getBufferBytes(BufferType.GrpcReceiveBuffer, 0, size);
  return bytes == null ? new ArrayBuffer(0) : bytes;
}
