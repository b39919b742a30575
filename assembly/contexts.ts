// The contexts a filter extends. Every callback has a do-nothing default, so a filter overrides
// only what it needs. The names mirror the ABI callbacks (`proxy_on_request_headers` becomes
// `onRequestHeaders`).

import {
  FilterDataStatus,
  FilterHeadersStatus,
  FilterMetadataStatus,
  FilterStatus,
  FilterTrailersStatus,
  PeerType,
} from "./types";

/** The per-plugin context: configuration, timers, queues and callout answers arrive here. */
export class RootContext {
  constructor(
    /** The host's id for this context. */
    public readonly id: u32,
  ) {}

  /** Called once per plugin when the VM starts; return false to fail the start. */
  onVmStart(vmConfigurationSize: u32): bool {
    return true;
  }

  /** Called with the plugin configuration (read it with `pluginConfiguration()`); return false to reject it. */
  onConfigure(pluginConfigurationSize: u32): bool {
    return true;
  }

  /** Called on every tick of the period set with `setTickPeriod`. */
  onTick(): void {}

  /** Called when an item was enqueued on a shared queue this root registered. */
  onQueueReady(queueId: u32): void {}

  /** Called when the host invokes a foreign function on this plugin. */
  onForeignFunction(functionId: u32, argumentsSize: u32): void {}

  /** Called with the answer to an HTTP callout (zero headers means the call failed). */
  onHttpCallResponse(token: u32, headerCount: u32, bodySize: u32, trailerCount: u32): void {}

  /** Called with a gRPC stream's initial metadata. */
  onGrpcReceiveInitialMetadata(token: u32, entryCount: u32): void {}

  /** Called with a gRPC message. */
  onGrpcReceive(token: u32, messageSize: u32): void {}

  /** Called with a gRPC stream's trailing metadata. */
  onGrpcReceiveTrailingMetadata(token: u32, entryCount: u32): void {}

  /** Called when a gRPC call or stream ends with `status`. */
  onGrpcClose(token: u32, status: u32): void {}

  /** Called when the plugin is being removed; return false to finish asynchronously and call `done()`. */
  onDone(): bool {
    return true;
  }

  /** Called when the host logs on behalf of this root (rare; streams get their own `onLog`). */
  onLog(): void {}

  /** Called last; the context is forgotten afterwards. */
  onDelete(): void {}

  /** Returns the HTTP context for a new stream, or null when this plugin does not filter HTTP. */
  newHttpContext(contextId: u32): HttpContext | null {
    return null;
  }

  /** Returns the TCP context for a new connection, or null when this plugin does not filter TCP. */
  newTcpContext(contextId: u32): TcpContext | null {
    return null;
  }
}

/** The context of one HTTP stream; Envoy calls onLog, then onDone, then onDelete when it ends. */
export class HttpContext {
  constructor(
    /** The host's id for this stream. */
    public readonly id: u32,
    /** The id of the root context that created this stream. */
    public readonly rootId: u32,
  ) {}

  /** Called with the request headers; read them with `request.headers` only until you return Continue. */
  onRequestHeaders(headerCount: u32, endOfStream: bool): FilterHeadersStatus {
    return FilterHeadersStatus.Continue;
  }

  /** Called with each chunk of the request body. */
  onRequestBody(bodySize: u32, endOfStream: bool): FilterDataStatus {
    return FilterDataStatus.Continue;
  }

  /** Called with the request trailers. */
  onRequestTrailers(trailerCount: u32): FilterTrailersStatus {
    return FilterTrailersStatus.Continue;
  }

  /** Called for HTTP/2 METADATA frames on the request; Envoy ignores the result. */
  onRequestMetadata(entryCount: u32): FilterMetadataStatus {
    return FilterMetadataStatus.Continue;
  }

  /** Called with the response headers, including those of a local reply this filter sent. */
  onResponseHeaders(headerCount: u32, endOfStream: bool): FilterHeadersStatus {
    return FilterHeadersStatus.Continue;
  }

  /** Called with each chunk of the response body. */
  onResponseBody(bodySize: u32, endOfStream: bool): FilterDataStatus {
    return FilterDataStatus.Continue;
  }

  /** Called with the response trailers. */
  onResponseTrailers(trailerCount: u32): FilterTrailersStatus {
    return FilterTrailersStatus.Continue;
  }

  /** Called for HTTP/2 METADATA frames on the response; Envoy ignores the result. */
  onResponseMetadata(entryCount: u32): FilterMetadataStatus {
    return FilterMetadataStatus.Continue;
  }

  /** Called once the stream is complete, before onDone; request and response headers are readable. */
  onLog(): void {}

  /** Called when the stream is destroyed; the result is ignored for streams. */
  onDone(): bool {
    return true;
  }

  /** Called last; the context is forgotten afterwards. */
  onDelete(): void {}
}

/** The context of one TCP connection. */
export class TcpContext {
  constructor(
    /** The host's id for this connection. */
    public readonly id: u32,
    /** The id of the root context that created this connection. */
    public readonly rootId: u32,
  ) {}

  /** Called when the downstream connection is accepted. */
  onNewConnection(): FilterStatus {
    return FilterStatus.Continue;
  }

  /** Called with data from the downstream peer. */
  onDownstreamData(dataSize: u32, endOfStream: bool): FilterStatus {
    return FilterStatus.Continue;
  }

  /** Called with data from the upstream peer. */
  onUpstreamData(dataSize: u32, endOfStream: bool): FilterStatus {
    return FilterStatus.Continue;
  }

  /** Called when the downstream side closes. */
  onDownstreamConnectionClose(peer: PeerType): void {}

  /** Called when the upstream side closes (Envoy always reports PeerType.Unknown). */
  onUpstreamConnectionClose(peer: PeerType): void {}

  /** Called once both sides are closed; the result is ignored for connections. */
  onDone(): bool {
    return true;
  }

  /** Called after onDone for connections. */
  onLog(): void {}

  /** Called last; the context is forgotten afterwards. */
  onDelete(): void {}
}
