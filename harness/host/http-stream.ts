// One HTTP stream through one plugin, driven the way Envoy's HTTP connection manager drives a
// Wasm filter (reference abi.md 3.2, 3.4, 4.3, 8.1): lazy context creation, header windows,
// status remapping, deferred local replies and continues, on_log before on_done and on_delete.

import { FilterHeadersStatus, MapType, StreamType } from "../abi/types.js";
import { HeaderMap } from "./header-map.js";
import { type HeaderEntry } from "./pairs.js";
import { type RootState, WasmTrap, type WasmVm } from "./vm.js";

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

type Direction = "request" | "response";

/** How a failed VM treats streams (Envoy's `failure_policy`, without reload). */
export type FailurePolicy = "FAIL_CLOSED" | "FAIL_OPEN";

export class HttpStream {
  readonly kind = "http";
  readonly id: number;
  /** The maps as they stand now (what goes upstream and downstream); null until they arrive. */
  requestHeaders: HeaderMap | null = null;
  requestTrailers: HeaderMap | null = null;
  responseHeaders: HeaderMap | null = null;
  responseTrailers: HeaderMap | null = null;
  /** The local reply sent to the client, if any. */
  localReply: LocalReply | null = null;
  /** The body chunk a body callback may read, while one runs. */
  currentBody: { direction: Direction; bytes: Uint8Array } | null = null;
  /** Every callback invoked on this stream's context, in order. */
  readonly callbacks: string[] = [];
  /** True while a direction is stopped by the filter. */
  readonly paused = { request: false, response: false };
  completed = false;
  /** True once a failed VM with FAIL_OPEN took this filter out of the stream. */
  bypassed = false;
  /** The trap that ended this stream, if the VM failed while serving it. */
  trap: WasmTrap | null = null;
  private created = false;
  private requestEnded = false;
  private pendingLocalReply: LocalReply | null = null;
  private readonly pendingContinue = new Set<StreamType>();

  constructor(
    private readonly vm: WasmVm,
    readonly root: RootState,
    private readonly failurePolicy: FailurePolicy,
  ) {
    this.id = vm.newContextId();
  }

  /**
   * The header map `type` as the guest may see it now, or "unavailable" outside its window.
   * Reads are allowed in on_log for request and response headers; writes are not.
   */
  map(type: MapType, access: "read" | "write"): HeaderMap | "unavailable" {
    const inCallback = (name: string) => this.vm.callback === name && this.vm.context === this;
    const inLog = access === "read" && inCallback("proxy_on_log");
    switch (type) {
      case MapType.HttpRequestHeaders:
        return (inCallback("proxy_on_request_headers") || this.paused.request || inLog) && this.requestHeaders
          ? this.requestHeaders
          : "unavailable";
      case MapType.HttpResponseHeaders:
        return (inCallback("proxy_on_response_headers") || this.paused.response || inLog) && this.responseHeaders
          ? this.responseHeaders
          : "unavailable";
      case MapType.HttpRequestTrailers:
        return (inCallback("proxy_on_request_trailers") || this.paused.request) && this.requestTrailers
          ? this.requestTrailers
          : "unavailable";
      case MapType.HttpResponseTrailers:
        return (inCallback("proxy_on_response_trailers") || this.paused.response || inLog) && this.responseTrailers
          ? this.responseTrailers
          : "unavailable";
      default:
        return "unavailable";
    }
  }

  /** True while on_log runs for this stream (missing maps then read as NotFound, not BadArgument). */
  get logging(): boolean {
    return this.vm.callback === "proxy_on_log" && this.vm.context === this;
  }

  /** Records a local reply to run once the current callback returns (Envoy defers it). */
  scheduleLocalReply(reply: LocalReply): void {
    this.pendingLocalReply = reply;
  }

  /** Records a continue to run once the current callback returns. */
  scheduleContinue(stream: StreamType): void {
    this.pendingContinue.add(stream);
  }

  /** Delivers request headers; returns the status Envoy acts on after its remapping. */
  sendRequestHeaders(headers: Iterable<HeaderEntry>, endOfStream: boolean): FilterHeadersStatus {
    this.assertOpen("request headers");
    this.requestHeaders = new HeaderMap(headers, "request-headers");
    this.requestEnded = endOfStream;
    return this.headersCallback("request", "proxy_on_request_headers", this.requestHeaders, endOfStream);
  }

  /** Delivers the upstream's response headers; returns the status Envoy acts on. */
  sendResponseHeaders(headers: Iterable<HeaderEntry>, endOfStream: boolean): FilterHeadersStatus {
    this.assertOpen("response headers");
    this.responseHeaders = new HeaderMap(headers, "response-headers");
    const status = this.headersCallback("response", "proxy_on_response_headers", this.responseHeaders, endOfStream);
    if (endOfStream && this.requestEnded && !this.paused.response) this.complete();
    return status;
  }

  /** Ends the stream: on_log, on_done and on_delete (creating the context first if it never was). */
  complete(): void {
    if (this.completed) return;
    this.completed = true;
    if (this.vm.failure || this.bypassed) return;
    try {
      this.ensureCreated();
      this.call("proxy_on_log", this.id);
      this.call("proxy_on_done", this.id);
      this.call("proxy_on_delete", this.id);
    } catch (error) {
      if (!(error instanceof WasmTrap)) throw error;
    } finally {
      this.vm.contexts.delete(this.id);
    }
  }

  private assertOpen(what: string): void {
    if (this.completed || this.localReply) throw new Error(`cannot send ${what}: the stream has ended`);
  }

  private ensureCreated(): void {
    if (this.created) return;
    this.created = true;
    this.vm.contexts.set(this.id, this);
    this.call("proxy_on_context_create", this.id, this.root.id);
  }

  private call(name: string, ...args: number[]): number | undefined {
    this.callbacks.push(name);
    return this.vm.invoke(this, name, ...args);
  }

  private headersCallback(
    direction: Direction,
    callback: string,
    map: HeaderMap,
    endOfStream: boolean,
  ): FilterHeadersStatus {
    if (this.bypassed) return FilterHeadersStatus.Continue;
    if (this.vm.failure) return this.failed(this.vm.failure);
    let status: FilterHeadersStatus;
    try {
      this.ensureCreated();
      const raw = this.call(callback, this.id, map.size, endOfStream ? 1 : 0) ?? 0;
      status = this.pendingLocalReply ? FilterHeadersStatus.StopAllIterationAndWatermark : this.remap(raw);
    } catch (error) {
      if (error instanceof WasmTrap) return this.failed(error);
      throw error;
    }
    this.paused[direction] = status !== FilterHeadersStatus.Continue;
    this.runDeferred();
    return status;
  }

  // Envoy's conversion of a header callback's result (abi.md 4.3).
  private remap(raw: number): FilterHeadersStatus {
    switch (raw) {
      case 0:
      case 2:
        return FilterHeadersStatus.Continue;
      case 1:
        return this.root.plugin.allowOnHeadersStopIteration
          ? FilterHeadersStatus.StopIteration
          : FilterHeadersStatus.StopAllIterationAndWatermark;
      case 3:
        return FilterHeadersStatus.StopAllIterationAndBuffer;
      default:
        return FilterHeadersStatus.StopAllIterationAndWatermark;
    }
  }

  private runDeferred(): void {
    const reply = this.pendingLocalReply;
    this.pendingLocalReply = null;
    if (this.pendingContinue.delete(StreamType.HttpRequest)) this.paused.request = false;
    if (this.pendingContinue.delete(StreamType.HttpResponse)) this.paused.response = false;
    if (reply) this.deliverLocalReply(reply);
  }

  // A local reply sent before response headers runs through the encoder path, so this filter
  // sees its own reply; one sent once response headers exist goes straight to the client.
  private deliverLocalReply(reply: LocalReply): void {
    this.localReply = reply;
    this.paused.request = false;
    const headers = localReplyHeaders(reply);
    if (this.responseHeaders) {
      this.responseHeaders = headers;
      this.complete();
      return;
    }
    this.responseHeaders = headers;
    try {
      this.call("proxy_on_response_headers", this.id, headers.size, reply.body.length === 0 ? 1 : 0);
      if (reply.body.length > 0) {
        this.currentBody = { direction: "response", bytes: reply.body };
        this.call("proxy_on_response_body", this.id, reply.body.length, 1);
      }
    } catch (error) {
      if (!(error instanceof WasmTrap)) throw error;
    } finally {
      this.currentBody = null;
    }
    this.pendingLocalReply = null;
    this.complete();
  }

  // A trap answers the stream by the failure policy: 503 wasm_fail_stream, or pass through.
  private failed(trap: WasmTrap): FilterHeadersStatus {
    this.trap = trap;
    this.vm.contexts.delete(this.id);
    if (this.failurePolicy === "FAIL_OPEN") {
      this.bypassed = true;
      return FilterHeadersStatus.Continue;
    }
    this.completed = true;
    const reply: LocalReply = {
      status: 503,
      details: "wasm_fail_stream",
      body: new Uint8Array(),
      headers: [],
      grpcStatus: null,
    };
    this.localReply = reply;
    this.responseHeaders = localReplyHeaders(reply);
    return FilterHeadersStatus.StopAllIterationAndWatermark;
  }
}

/**
 * The response headers Envoy builds for a local reply before encoder filters run
 * (Utility::prepareLocalReply): `:status`, the filter's headers added in order, `:status` reset,
 * then content-length and a default text/plain content-type for a body, or neither without one.
 */
function localReplyHeaders(reply: LocalReply): HeaderMap {
  const status = String(reply.status);
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
  return headers;
}
