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

export function proxy_on_context_create(contextId: u32, parentId: u32): void {
  dispatch.onContextCreate(contextId, parentId);
}

export function proxy_on_vm_start(rootId: u32, vmConfigurationSize: u32): u32 {
  return dispatch.onVmStart(rootId, vmConfigurationSize);
}

export function proxy_on_configure(rootId: u32, pluginConfigurationSize: u32): u32 {
  return dispatch.onConfigure(rootId, pluginConfigurationSize);
}

export function proxy_on_tick(rootId: u32): void {
  dispatch.onTick(rootId);
}

export function proxy_on_queue_ready(rootId: u32, queueId: u32): void {
  dispatch.onQueueReady(rootId, queueId);
}

export function proxy_on_foreign_function(rootId: u32, functionId: u32, argumentsSize: u32): void {
  dispatch.onForeignFunction(rootId, functionId, argumentsSize);
}

export function proxy_on_done(contextId: u32): u32 {
  return dispatch.onDone(contextId);
}

export function proxy_on_log(contextId: u32): void {
  dispatch.onLog(contextId);
}

export function proxy_on_delete(contextId: u32): void {
  dispatch.onDelete(contextId);
}

export function proxy_on_request_headers(contextId: u32, headers: u32, endOfStream: u32): u32 {
  return dispatch.onRequestHeaders(contextId, headers, endOfStream);
}

export function proxy_on_request_body(contextId: u32, bodySize: u32, endOfStream: u32): u32 {
  return dispatch.onRequestBody(contextId, bodySize, endOfStream);
}

export function proxy_on_request_trailers(contextId: u32, trailers: u32): u32 {
  return dispatch.onRequestTrailers(contextId, trailers);
}

export function proxy_on_request_metadata(contextId: u32, entries: u32): u32 {
  return dispatch.onRequestMetadata(contextId, entries);
}

export function proxy_on_response_headers(contextId: u32, headers: u32, endOfStream: u32): u32 {
  return dispatch.onResponseHeaders(contextId, headers, endOfStream);
}

export function proxy_on_response_body(contextId: u32, bodySize: u32, endOfStream: u32): u32 {
  return dispatch.onResponseBody(contextId, bodySize, endOfStream);
}

export function proxy_on_response_trailers(contextId: u32, trailers: u32): u32 {
  return dispatch.onResponseTrailers(contextId, trailers);
}

export function proxy_on_response_metadata(contextId: u32, entries: u32): u32 {
  return dispatch.onResponseMetadata(contextId, entries);
}

export function proxy_on_new_connection(contextId: u32): u32 {
  return dispatch.onNewConnection(contextId);
}

export function proxy_on_downstream_data(contextId: u32, dataSize: u32, endOfStream: u32): u32 {
  return dispatch.onDownstreamData(contextId, dataSize, endOfStream);
}

export function proxy_on_upstream_data(contextId: u32, dataSize: u32, endOfStream: u32): u32 {
  return dispatch.onUpstreamData(contextId, dataSize, endOfStream);
}

export function proxy_on_downstream_connection_close(contextId: u32, peer: u32): void {
  dispatch.onDownstreamConnectionClose(contextId, peer);
}

export function proxy_on_upstream_connection_close(contextId: u32, peer: u32): void {
  dispatch.onUpstreamConnectionClose(contextId, peer);
}

export function proxy_on_http_call_response(rootId: u32, token: u32, headers: u32, bodySize: u32, trailers: u32): void {
  dispatch.onHttpCallResponse(rootId, token, headers, bodySize, trailers);
}

export function proxy_on_grpc_receive_initial_metadata(rootId: u32, token: u32, entries: u32): void {
  dispatch.onGrpcReceiveInitialMetadata(rootId, token, entries);
}

export function proxy_on_grpc_receive(rootId: u32, token: u32, messageSize: u32): void {
  dispatch.onGrpcReceive(rootId, token, messageSize);
}

export function proxy_on_grpc_receive_trailing_metadata(rootId: u32, token: u32, entries: u32): void {
  dispatch.onGrpcReceiveTrailingMetadata(rootId, token, entries);
}

export function proxy_on_grpc_close(rootId: u32, token: u32, status: u32): void {
  dispatch.onGrpcClose(rootId, token, status);
}
