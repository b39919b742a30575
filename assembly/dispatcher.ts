// Routes host callbacks to context objects by id. Root contexts are created from the factory
// registered for the plugin's `root_id`; stream contexts come from their root.

import { HttpContext, RootContext, TcpContext } from "./contexts";
import { getProperty } from "./abi/hostcalls";
import { calling, fatal } from "./abi/current";
import { enterContext } from "./context-state";
import { collectAtCallbackEnd, paceForConfiguration } from "./garbage";
import { PeerType } from "./types";

/** Builds the root context of a plugin. */
export type RootContextFactory = (contextId: u32) => RootContext;

const factories = new Map<string, RootContextFactory>();
const factoryIds = new Array<string>();
const roots = new Map<u32, RootContext>();
const httpStreams = new Map<u32, HttpContext>();
const tcpStreams = new Map<u32, TcpContext>();
let configurationSize: u32 = 0;

/** Routes an HTTP callout answer to its handler; false leaves it to the root's onHttpCallResponse. */
export type HttpCallRouter = (rootId: u32, token: u32, headerCount: u32, bodySize: u32) => bool;

/** The gRPC callbacks a router receives. */
export enum GrpcEvent {
  InitialMetadata,
  Message,
  TrailingMetadata,
  Close,
}

/** Routes a gRPC event (`value` is the message size or the close status); false leaves it to the root. */
export type GrpcRouter = (event: GrpcEvent, rootId: u32, token: u32, value: u32) => bool;

function noHttpRouter(rootId: u32, token: u32, headerCount: u32, bodySize: u32): bool {
  return false;
}

function noGrpcRouter(event: GrpcEvent, rootId: u32, token: u32, value: u32): bool {
  return false;
}

// Installed by callouts.ts and grpc.ts when a filter first makes a call, so a filter that makes
// none carries none of their code or imports.
let httpCallRouter: HttpCallRouter = noHttpRouter;
let grpcRouter: GrpcRouter = noGrpcRouter;

/** Sends HTTP callout answers to `router` first; called by the callout API when it issues a call. */
export function routeHttpCalls(router: HttpCallRouter): void {
  httpCallRouter = router;
}

/** Sends gRPC events to `router` first; called by the gRPC API when it issues a call. */
export function routeGrpc(router: GrpcRouter): void {
  grpcRouter = router;
}

/** True while context `contextId` exists (between its create and delete callbacks). */
export function contextExists(contextId: u32): bool {
  return httpStreams.has(contextId) || tcpStreams.has(contextId) || roots.has(contextId);
}

/** Registers the root context factory for plugins whose `root_id` is `rootId` ("" is the default); call at top level. */
export function registerRootContext(factory: RootContextFactory, rootId: string = ""): void {
  if (!factories.has(rootId)) factoryIds.push(rootId);
  factories.set(rootId, factory);
}

/** Returns the plugin configuration size of the current `onConfigure` call. */
export function currentConfigurationSize(): u32 {
  return configurationSize;
}

// Envoy never passes root_id in a callback; the plugin_root_id property carries it (abi.md 8.2).
// An unknown or absent root_id falls back to the default factory, or to the only one registered.
function factoryFor(rootId: string): RootContextFactory {
  if (factories.has(rootId)) return factories.get(rootId);
  if (factories.has("")) return factories.get("");
  if (factoryIds.length == 1) return factories.get(factoryIds[0]);
  fatal('no root context registered for root_id "' + rootId + '"');
  return unreachable();
}

// Every callback starts here: the abort handler learns where it is, callouts learn whose they are.
function begin(name: string, id: u32): void {
  calling(name, id);
  enterContext(id);
}

function root(id: u32): RootContext {
  if (!roots.has(id)) fatal("unknown root context");
  return roots.get(id);
}

function http(id: u32): HttpContext {
  if (!httpStreams.has(id)) fatal("unknown HTTP context");
  return httpStreams.get(id);
}

function tcp(id: u32): TcpContext {
  if (!tcpStreams.has(id)) fatal("unknown TCP context");
  return tcpStreams.get(id);
}

/** Dispatches proxy_on_context_create to its context object; aborts for an unknown context id. */
export function onContextCreate(id: u32, parentId: u32): void {
  begin("proxy_on_context_create", id);
  if (parentId == 0) {
    const rootIdBytes = getProperty(["plugin_root_id"]);
    const rootId = rootIdBytes == null ? "" : String.UTF8.decode(rootIdBytes);
    roots.set(id, factoryFor(rootId)(id));
    return;
  }
  const parent = root(parentId);
  const httpContext = parent.newHttpContext(id);
  if (httpContext != null) {
    httpStreams.set(id, httpContext);
    return;
  }
  const tcpContext = parent.newTcpContext(id);
  if (tcpContext != null) {
    tcpStreams.set(id, tcpContext);
    return;
  }
  fatal("root context " + parentId.toString() + " creates neither HTTP nor TCP contexts");
}

/** Dispatches proxy_on_vm_start to its context object; aborts for an unknown context id. */
export function onVmStart(id: u32, vmConfigurationSize: u32): u32 {
  begin("proxy_on_vm_start", id);
  return root(id).onVmStart(vmConfigurationSize) ? 1 : 0;
}

/** Dispatches proxy_on_configure to its context object; aborts for an unknown context id. */
export function onConfigure(id: u32, pluginConfigurationSize: u32): u32 {
  begin("proxy_on_configure", id);
  configurationSize = pluginConfigurationSize;
  paceForConfiguration(pluginConfigurationSize);
  const accepted = root(id).onConfigure(pluginConfigurationSize);
  configurationSize = 0;
  collectAtCallbackEnd();
  return accepted ? 1 : 0;
}

/** Dispatches proxy_on_tick to its context object; aborts for an unknown context id. */
export function onTick(id: u32): void {
  begin("proxy_on_tick", id);
  root(id).onTick();
  collectAtCallbackEnd();
}

/** Dispatches proxy_on_queue_ready to its context object; aborts for an unknown context id. */
export function onQueueReady(id: u32, queueId: u32): void {
  begin("proxy_on_queue_ready", id);
  root(id).onQueueReady(queueId);
  collectAtCallbackEnd();
}

/** Dispatches proxy_on_foreign_function to its context object; aborts for an unknown context id. */
export function onForeignFunction(id: u32, functionId: u32, argumentsSize: u32): void {
  begin("proxy_on_foreign_function", id);
  root(id).onForeignFunction(functionId, argumentsSize);
  collectAtCallbackEnd();
}

/** Dispatches proxy_on_http_call_response to its context object; aborts for an unknown context id. */
export function onHttpCallResponse(id: u32, token: u32, headers: u32, bodySize: u32, trailers: u32): void {
  begin("proxy_on_http_call_response", id);
  if (!httpCallRouter(id, token, headers, bodySize)) root(id).onHttpCallResponse(token, headers, bodySize, trailers);
  collectAtCallbackEnd();
}

/** Dispatches proxy_on_grpc_receive_initial_metadata to its context object; aborts for an unknown context id. */
export function onGrpcReceiveInitialMetadata(id: u32, token: u32, entries: u32): void {
  begin("proxy_on_grpc_receive_initial_metadata", id);
  if (!grpcRouter(GrpcEvent.InitialMetadata, id, token, entries)) root(id).onGrpcReceiveInitialMetadata(token, entries);
  collectAtCallbackEnd();
}

/** Dispatches proxy_on_grpc_receive to its context object; aborts for an unknown context id. */
export function onGrpcReceive(id: u32, token: u32, messageSize: u32): void {
  begin("proxy_on_grpc_receive", id);
  if (!grpcRouter(GrpcEvent.Message, id, token, messageSize)) root(id).onGrpcReceive(token, messageSize);
  collectAtCallbackEnd();
}

/** Dispatches proxy_on_grpc_receive_trailing_metadata to its context object; aborts for an unknown context id. */
export function onGrpcReceiveTrailingMetadata(id: u32, token: u32, entries: u32): void {
  begin("proxy_on_grpc_receive_trailing_metadata", id);
  if (!grpcRouter(GrpcEvent.TrailingMetadata, id, token, entries))
    root(id).onGrpcReceiveTrailingMetadata(token, entries);
  collectAtCallbackEnd();
}

/** Dispatches proxy_on_grpc_close to its context object; aborts for an unknown context id. */
export function onGrpcClose(id: u32, token: u32, status: u32): void {
  begin("proxy_on_grpc_close", id);
  if (!grpcRouter(GrpcEvent.Close, id, token, status)) root(id).onGrpcClose(token, status);
  collectAtCallbackEnd();
}

/** Dispatches proxy_on_request_headers to its context object; aborts for an unknown context id. */
export function onRequestHeaders(id: u32, headers: u32, endOfStream: u32): u32 {
  begin("proxy_on_request_headers", id);
  return <u32>http(id).onRequestHeaders(headers, endOfStream != 0);
}

/** Dispatches proxy_on_request_body to its context object; aborts for an unknown context id. */
export function onRequestBody(id: u32, bodySize: u32, endOfStream: u32): u32 {
  begin("proxy_on_request_body", id);
  return <u32>http(id).onRequestBody(bodySize, endOfStream != 0);
}

/** Dispatches proxy_on_request_trailers to its context object; aborts for an unknown context id. */
export function onRequestTrailers(id: u32, trailers: u32): u32 {
  begin("proxy_on_request_trailers", id);
  return <u32>http(id).onRequestTrailers(trailers);
}

/** Dispatches proxy_on_request_metadata to its context object; aborts for an unknown context id. */
export function onRequestMetadata(id: u32, entries: u32): u32 {
  begin("proxy_on_request_metadata", id);
  return <u32>http(id).onRequestMetadata(entries);
}

/** Dispatches proxy_on_response_headers to its context object; aborts for an unknown context id. */
export function onResponseHeaders(id: u32, headers: u32, endOfStream: u32): u32 {
  begin("proxy_on_response_headers", id);
  return <u32>http(id).onResponseHeaders(headers, endOfStream != 0);
}

/** Dispatches proxy_on_response_body to its context object; aborts for an unknown context id. */
export function onResponseBody(id: u32, bodySize: u32, endOfStream: u32): u32 {
  begin("proxy_on_response_body", id);
  return <u32>http(id).onResponseBody(bodySize, endOfStream != 0);
}

/** Dispatches proxy_on_response_trailers to its context object; aborts for an unknown context id. */
export function onResponseTrailers(id: u32, trailers: u32): u32 {
  begin("proxy_on_response_trailers", id);
  return <u32>http(id).onResponseTrailers(trailers);
}

/** Dispatches proxy_on_response_metadata to its context object; aborts for an unknown context id. */
export function onResponseMetadata(id: u32, entries: u32): u32 {
  begin("proxy_on_response_metadata", id);
  return <u32>http(id).onResponseMetadata(entries);
}

/** Dispatches proxy_on_new_connection to its context object; aborts for an unknown context id. */
export function onNewConnection(id: u32): u32 {
  begin("proxy_on_new_connection", id);
  return <u32>tcp(id).onNewConnection();
}

/** Dispatches proxy_on_downstream_data to its context object; aborts for an unknown context id. */
export function onDownstreamData(id: u32, dataSize: u32, endOfStream: u32): u32 {
  begin("proxy_on_downstream_data", id);
  return <u32>tcp(id).onDownstreamData(dataSize, endOfStream != 0);
}

/** Dispatches proxy_on_upstream_data to its context object; aborts for an unknown context id. */
export function onUpstreamData(id: u32, dataSize: u32, endOfStream: u32): u32 {
  begin("proxy_on_upstream_data", id);
  return <u32>tcp(id).onUpstreamData(dataSize, endOfStream != 0);
}

/** Dispatches proxy_on_downstream_connection_close to its context object; aborts for an unknown context id. */
export function onDownstreamConnectionClose(id: u32, peer: u32): void {
  begin("proxy_on_downstream_connection_close", id);
  tcp(id).onDownstreamConnectionClose(<PeerType>peer);
}

/** Dispatches proxy_on_upstream_connection_close to its context object; aborts for an unknown context id. */
export function onUpstreamConnectionClose(id: u32, peer: u32): void {
  begin("proxy_on_upstream_connection_close", id);
  tcp(id).onUpstreamConnectionClose(<PeerType>peer);
}

/** Dispatches proxy_on_log to its context object; aborts for an unknown context id. */
export function onLog(id: u32): void {
  begin("proxy_on_log", id);
  if (httpStreams.has(id)) httpStreams.get(id).onLog();
  else if (tcpStreams.has(id)) tcpStreams.get(id).onLog();
  else root(id).onLog();
}

/** Dispatches proxy_on_done to its context object; aborts for an unknown context id. */
export function onDone(id: u32): u32 {
  begin("proxy_on_done", id);
  if (httpStreams.has(id)) return httpStreams.get(id).onDone() ? 1 : 0;
  if (tcpStreams.has(id)) return tcpStreams.get(id).onDone() ? 1 : 0;
  return root(id).onDone() ? 1 : 0;
}

/** Dispatches proxy_on_delete to its context object; aborts for an unknown context id. */
export function onDelete(id: u32): void {
  begin("proxy_on_delete", id);
  if (httpStreams.has(id)) {
    httpStreams.get(id).onDelete();
    httpStreams.delete(id);
  } else if (tcpStreams.has(id)) {
    tcpStreams.get(id).onDelete();
    tcpStreams.delete(id);
  } else {
    root(id).onDelete();
    roots.delete(id);
  }
  collectAtCallbackEnd();
}
