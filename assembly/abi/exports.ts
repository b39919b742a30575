// Every callback of proxy-wasm ABI v0.2.1 (reference abi.md 4), the ABI marker and the allocator.
// This is the only file with `proxy_on_*` exports; each forwards to the dispatcher. A filter's
// entry file re-exports this module: `export * from "<sdk>/abi/exports"`.

import * as dispatch from "../dispatcher";

/** Marks the module as speaking ABI v0.2.1; the host looks for it and never calls it. */
export function proxy_abi_version_0_2_1(): void {}

/** Allocates `size` bytes for data the host returns; the SDK frees them after copying. */
export function malloc(size: usize): usize {
  return heap.alloc(size);
}

/** Callback: Envoy creates a context: a root (parent 0) at plugin start, or a stream lazily at its first callback. */
export function proxy_on_context_create(contextId: u32, parentId: u32): void {
  dispatch.onContextCreate(contextId, parentId);
}

/** Callback: Envoy starts the plugin on a fresh instance (canary, then each worker); returns 0 to fail the start. */
export function proxy_on_vm_start(rootId: u32, vmConfigurationSize: u32): u32 {
  return dispatch.onVmStart(rootId, vmConfigurationSize);
}

/** Callback: Envoy hands the root its plugin configuration; returns 0 to reject it. */
export function proxy_on_configure(rootId: u32, pluginConfigurationSize: u32): u32 {
  return dispatch.onConfigure(rootId, pluginConfigurationSize);
}

/** Callback: The root's tick period elapsed (setTickPeriod). */
export function proxy_on_tick(rootId: u32): void {
  dispatch.onTick(rootId);
}

/** Callback: An item was enqueued on a shared queue the root registered. */
export function proxy_on_queue_ready(rootId: u32, queueId: u32): void {
  dispatch.onQueueReady(rootId, queueId);
}

/** Callback: A host extension called one of the plugin's foreign functions. */
export function proxy_on_foreign_function(rootId: u32, functionId: u32, argumentsSize: u32): void {
  dispatch.onForeignFunction(rootId, functionId, argumentsSize);
}

/** Callback: Envoy is finishing the context; a root returning 0 finishes later through proxy_done. */
export function proxy_on_done(contextId: u32): u32 {
  return dispatch.onDone(contextId);
}

/** Callback: Envoy's access log runs for the context (HTTP: before on_done; TCP: after it). */
export function proxy_on_log(contextId: u32): void {
  dispatch.onLog(contextId);
}

/** Callback: The context is gone; the SDK forgets it (and, with the minimal runtime, collects garbage). */
export function proxy_on_delete(contextId: u32): void {
  dispatch.onDelete(contextId);
}

/** Callback: Request headers arrived; returns a FilterHeadersStatus (Envoy remaps 1 to 4 and 2 to 0). */
export function proxy_on_request_headers(contextId: u32, headers: u32, endOfStream: u32): u32 {
  return dispatch.onRequestHeaders(contextId, headers, endOfStream);
}

/** Callback: A request body chunk arrived; returns a FilterDataStatus. */
export function proxy_on_request_body(contextId: u32, bodySize: u32, endOfStream: u32): u32 {
  return dispatch.onRequestBody(contextId, bodySize, endOfStream);
}

/** Callback: Request trailers arrived; returns a FilterTrailersStatus. */
export function proxy_on_request_trailers(contextId: u32, trailers: u32): u32 {
  return dispatch.onRequestTrailers(contextId, trailers);
}

/** Callback: HTTP/2 METADATA arrived on the request; Envoy ignores the result. */
export function proxy_on_request_metadata(contextId: u32, entries: u32): u32 {
  return dispatch.onRequestMetadata(contextId, entries);
}

/** Callback: Response headers arrived (also those of a local reply); returns a FilterHeadersStatus. */
export function proxy_on_response_headers(contextId: u32, headers: u32, endOfStream: u32): u32 {
  return dispatch.onResponseHeaders(contextId, headers, endOfStream);
}

/** Callback: A response body chunk arrived; returns a FilterDataStatus. */
export function proxy_on_response_body(contextId: u32, bodySize: u32, endOfStream: u32): u32 {
  return dispatch.onResponseBody(contextId, bodySize, endOfStream);
}

/** Callback: Response trailers arrived; returns a FilterTrailersStatus. */
export function proxy_on_response_trailers(contextId: u32, trailers: u32): u32 {
  return dispatch.onResponseTrailers(contextId, trailers);
}

/** Callback: HTTP/2 METADATA arrived on the response; Envoy ignores the result. */
export function proxy_on_response_metadata(contextId: u32, entries: u32): u32 {
  return dispatch.onResponseMetadata(contextId, entries);
}

/** Callback: A TCP connection was accepted; returns a FilterStatus. */
export function proxy_on_new_connection(contextId: u32): u32 {
  return dispatch.onNewConnection(contextId);
}

/** Callback: Data arrived from the downstream peer of a TCP connection; returns a FilterStatus. */
export function proxy_on_downstream_data(contextId: u32, dataSize: u32, endOfStream: u32): u32 {
  return dispatch.onDownstreamData(contextId, dataSize, endOfStream);
}

/** Callback: Data arrived from the upstream peer of a TCP connection; returns a FilterStatus. */
export function proxy_on_upstream_data(contextId: u32, dataSize: u32, endOfStream: u32): u32 {
  return dispatch.onUpstreamData(contextId, dataSize, endOfStream);
}

/** Callback: The downstream side of a TCP connection closed. */
export function proxy_on_downstream_connection_close(contextId: u32, peer: u32): void {
  dispatch.onDownstreamConnectionClose(contextId, peer);
}

/** Callback: The upstream side of a TCP connection closed. */
export function proxy_on_upstream_connection_close(contextId: u32, peer: u32): void {
  dispatch.onUpstreamConnectionClose(contextId, peer);
}

/** Callback: An HTTP callout was answered; it arrives on the root context, the SDK routes it by token. */
export function proxy_on_http_call_response(rootId: u32, token: u32, headers: u32, bodySize: u32, trailers: u32): void {
  dispatch.onHttpCallResponse(rootId, token, headers, bodySize, trailers);
}

/** Callback: A gRPC call's initial metadata arrived on the root context. */
export function proxy_on_grpc_receive_initial_metadata(rootId: u32, token: u32, entries: u32): void {
  dispatch.onGrpcReceiveInitialMetadata(rootId, token, entries);
}

/** Callback: A gRPC message arrived on the root context. */
export function proxy_on_grpc_receive(rootId: u32, token: u32, messageSize: u32): void {
  dispatch.onGrpcReceive(rootId, token, messageSize);
}

/** Callback: A gRPC call's trailing metadata arrived on the root context. */
export function proxy_on_grpc_receive_trailing_metadata(rootId: u32, token: u32, entries: u32): void {
  dispatch.onGrpcReceiveTrailingMetadata(rootId, token, entries);
}

/** Callback: A gRPC call or stream ended; arrives on the root context. */
export function proxy_on_grpc_close(rootId: u32, token: u32, status: u32): void {
  dispatch.onGrpcClose(rootId, token, status);
}
