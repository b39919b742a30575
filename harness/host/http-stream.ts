// One HTTP stream through one plugin, driven the way Envoy's HTTP connection manager drives a
// Wasm filter (reference abi.md 3.2-3.4, 4.3, 8.1): lazy context creation, header and body
// windows, status remapping, StopAll holding body and trailers until a continue, buffered bodies,
// deferred local replies, continues and resets, and on_log before on_done and on_delete.

import { BufferType, FilterHeadersStatus, MapType, StreamType } from "../abi/types.js";
import { type AttributeOverrides, type AttributeValue, FilterState, toAttribute } from "./attributes.js";
import { HeaderMap } from "./header-map.js";
import { httpAttribute } from "./http-attributes.js";
import { concat, type Delivered, HttpFlow } from "./http-flow.js";
import { isGrpcRequest, type LocalReply, localReplyResponse } from "./local-reply.js";
import { type HeaderEntry } from "./pairs.js";
import { type RootState, WasmTrap, type WasmVm } from "./vm.js";

export { type LocalReply } from "./local-reply.js";

type Direction = "request" | "response";

/** How a failed VM treats streams (Envoy's `failure_policy`); FAIL_RELOAD fails the stream closed. */
export type FailurePolicy = "FAIL_CLOSED" | "FAIL_OPEN" | "FAIL_RELOAD";

/** Per-stream settings: attribute overrides and the filter state shared with other streams. */
export interface HttpStreamOptions {
  /** Attributes that differ from the defaults, by dotted name (abi.md 7.2); null makes one absent. */
  attributes?: AttributeOverrides;
  /** The filter state proxy_set_property writes to; pass one object to several streams to share it. */
  filterState?: FilterState;
}

/**
 * How a filter chain runs a stream as one of its filters: the chain answers local replies and
 * resets for the whole stream, and hears when something may have moved past the filter.
 */
export interface StreamLink {
  localReply(stream: HttpStream, reply: LocalReply): void;
  reset(stream: HttpStream, details: string): void;
  progressed(): void;
}

/** A body buffer as the running callback may see it (abi.md 3.3). */
export interface BodyView {
  bytes: Uint8Array;
  /** False outside the body's own callback: writes answer BadArgument. */
  mutable: boolean;
}

/** One HTTP stream: drive it with the send* verbs, then inspect what the upstream and the client received. */
export class HttpStream {
  readonly kind = "http";
  readonly id: number;
  /** The local reply sent to the client, if any. */
  localReply: LocalReply | null = null;
  /** Why the stream was reset (e.g. `wasm_close_stream`), or null. */
  resetDetails: string | null = null;
  /** Every callback invoked on this stream's context, in order. */
  readonly callbacks: string[] = [];
  /** True while a direction is stopped at this filter. */
  readonly paused = { request: false, response: false };
  completed = false;
  /** True once a failed VM with FAIL_OPEN took this filter out of the stream. */
  bypassed = false;
  // True once a failure answered this stream with 503 wasm_fail_stream.
  private failedClosed = false;
  /** The trap that ended this stream, if the VM failed while serving it. */
  trap: WasmTrap | null = null;
  /** The filter state proxy_set_property writes (`wasm.<name>`). */
  readonly filterState: FilterState;
  /** When the stream started and ended, in nanoseconds since the Unix epoch. */
  readonly startTime: bigint;
  endTime: bigint | null = null;
  private readonly flows = { request: new HttpFlow(), response: new HttpFlow() };
  private readonly overrides: Map<string, AttributeValue | undefined>;
  private created = false;
  private body: { direction: Direction; bytes: Uint8Array; endOfStream: boolean } | null = null;
  // The request body a body callback buffered when it sent a local reply: Envoy keeps the
  // decoding buffer, so later callbacks still read and change it.
  private bodyKeptByReply: Uint8Array | null = null;
  private pendingLocalReply: LocalReply | null = null;
  private pendingReset = false;
  private readonly pendingContinue = new Set<StreamType>();
  private link: StreamLink | null = null;
  private destroyed = false;

  constructor(
    private readonly vm: WasmVm,
    readonly root: RootState,
    private readonly failurePolicy: FailurePolicy,
    options: HttpStreamOptions = {},
  ) {
    this.id = vm.newContextId();
    this.filterState = options.filterState ?? new FilterState();
    this.overrides = new Map(Object.entries(options.attributes ?? {}).map(([k, v]) => [k, toAttribute(k, v)]));
    this.startTime = vm.env.clock.nanoseconds;
  }

  /** The request headers as they stand now (what goes upstream); null until they arrive. */
  get requestHeaders(): HeaderMap | null {
    return this.flows.request.headers;
  }

  /** The request trailers as they stand now, or null. */
  get requestTrailers(): HeaderMap | null {
    return this.flows.request.trailers;
  }

  /** The response headers as they stand now (what goes to the client); null until they exist. */
  get responseHeaders(): HeaderMap | null {
    return this.flows.response.headers;
  }

  /** The response trailers as they stand now, or null. */
  get responseTrailers(): HeaderMap | null {
    return this.flows.response.trailers;
  }

  /** What the upstream has received so far: headers, body bytes, trailers, end of stream. */
  get upstreamRequest(): Delivered {
    return this.flows.request.delivered;
  }

  /** What the client has received so far: headers, body bytes, trailers, end of stream. */
  get downstreamResponse(): Delivered {
    return this.flows.response.delivered;
  }

  /**
   * The header map `type` as the guest may see it now, or "unavailable" outside its window
   * (abi.md 3.2). A write (or size query) on a trailer map in the body callback that ends its
   * direction creates the trailers.
   */
  map(type: MapType, access: "read" | "write"): HeaderMap | "unavailable" {
    const inLog = access === "read" && this.inCallback("proxy_on_log");
    const headers = (flow: HttpFlow, callback: string) =>
      (this.inCallback(callback) || flow.headersHeld || inLog) && flow.headers ? flow.headers : "unavailable";
    const trailers = (direction: Direction, callback: string, log: boolean) => {
      const flow = this.flows[direction];
      const endingBody =
        this.body?.direction === direction && this.body.endOfStream && this.inCallback(`proxy_on_${direction}_body`);
      if (endingBody && access === "write" && !flow.trailers) {
        flow.trailers = new HeaderMap([], direction === "request" ? "request-trailers" : "response-trailers");
      }
      const open = this.inCallback(callback) || flow.trailersHeld || endingBody || (log && inLog);
      return open && flow.trailers ? flow.trailers : "unavailable";
    };
    switch (type) {
      case MapType.HttpRequestHeaders:
        return headers(this.flows.request, "proxy_on_request_headers");
      case MapType.HttpResponseHeaders:
        return headers(this.flows.response, "proxy_on_response_headers");
      case MapType.HttpRequestTrailers:
        return trailers("request", "proxy_on_request_trailers", false);
      case MapType.HttpResponseTrailers:
        return trailers("response", "proxy_on_response_trailers", true);
      default:
        return "unavailable";
    }
  }

  /** Body buffer 0 or 1: the callback's chunk (or whole buffered body), mutable; else empty, immutable. */
  bodyBuffer(type: BufferType.HttpRequestBody | BufferType.HttpResponseBody): BodyView {
    const direction = type === BufferType.HttpRequestBody ? "request" : "response";
    const body = this.body;
    if (body?.direction === direction && this.inCallback(`proxy_on_${direction}_body`)) {
      return { bytes: body.bytes, mutable: true };
    }
    if (direction === "request" && this.bodyKeptByReply) return { bytes: this.bodyKeptByReply, mutable: true };
    return { bytes: new Uint8Array(), mutable: false };
  }

  /** Replaces the body chunk the running body callback sees (or the request body a local reply kept). */
  setBody(bytes: Uint8Array): void {
    if (this.body) this.body.bytes = bytes;
    else if (this.bodyKeptByReply) this.bodyKeptByReply = bytes;
  }

  /** True while on_log runs for this stream (missing maps then read as NotFound, not BadArgument). */
  get logging(): boolean {
    return this.inCallback("proxy_on_log");
  }

  /** Attribute `name` (dotted) as proxy_get_property sees it now: an override, or Envoy's value. */
  attribute(name: string): AttributeValue | undefined {
    if (this.overrides.has(name)) return this.overrides.get(name);
    return httpAttribute(this, name, this.flows);
  }

  /** Records a local reply to run once the current callback returns (Envoy defers it). */
  scheduleLocalReply(reply: LocalReply): void {
    this.pendingLocalReply = reply;
  }

  /** Records a continue to run once the current callback returns. */
  scheduleContinue(stream: StreamType): void {
    this.pendingContinue.add(stream);
  }

  /** Records a reset (proxy_close_stream) to run once the current callback returns. */
  scheduleReset(): void {
    this.pendingReset = true;
  }

  /** Makes this stream one filter of a chain: `link` handles its local replies, resets and completion. */
  linkTo(link: StreamLink): void {
    this.link = link;
  }

  /** Delivers request headers (a HeaderMap is used as is, shared); returns the status Envoy acts on after its remapping. */
  sendRequestHeaders(headers: Iterable<HeaderEntry> | HeaderMap, endOfStream: boolean): FilterHeadersStatus {
    return this.headers("request", asMap(headers, "request-headers"), endOfStream);
  }

  /** Delivers the upstream's response headers; returns the status Envoy acts on. */
  sendResponseHeaders(headers: Iterable<HeaderEntry> | HeaderMap, endOfStream: boolean): FilterHeadersStatus {
    return this.headers("response", asMap(headers, "response-headers"), endOfStream);
  }

  /** Delivers a request body chunk from the client. */
  sendRequestBody(data: Uint8Array | string, endOfStream: boolean): void {
    this.data("request", toBytes(data), endOfStream);
  }

  /** Delivers a response body chunk from the upstream. */
  sendResponseBody(data: Uint8Array | string, endOfStream: boolean): void {
    this.data("response", toBytes(data), endOfStream);
  }

  /** Delivers request trailers (they end the request). */
  sendRequestTrailers(trailers: Iterable<HeaderEntry> | HeaderMap): void {
    this.trailers("request", asMap(trailers, "request-trailers"));
  }

  /** Delivers response trailers (they end the response). */
  sendResponseTrailers(trailers: Iterable<HeaderEntry> | HeaderMap): void {
    this.trailers("response", asMap(trailers, "response-trailers"));
  }

  /** Delivers an HTTP/2 METADATA frame on the request; Envoy ignores the callback's result. */
  sendRequestMetadata(entries: readonly HeaderEntry[]): void {
    this.metadata("request", entries.length);
  }

  /** Delivers an HTTP/2 METADATA frame on the response; Envoy ignores the callback's result. */
  sendResponseMetadata(entries: readonly HeaderEntry[]): void {
    this.metadata("response", entries.length);
  }

  /** Ends the stream: on_log, on_done and on_delete (creating the context first if it never was). */
  complete(): void {
    this.finishLog();
    this.finishDestroy();
  }

  /** The access-log half of complete(): on_log, creating the context first if it never was. */
  finishLog(): void {
    if (this.completed) return;
    this.completed = true;
    this.endTime = this.vm.env.clock.nanoseconds;
    if (this.vm.failure || this.bypassed) return;
    this.ending(() => {
      this.ensureCreated();
      this.call("proxy_on_log", this.id);
    });
  }

  /** The destroy half of complete(): on_done then on_delete, and the context is gone. */
  finishDestroy(): void {
    if (this.destroyed || !this.completed) return;
    this.destroyed = true;
    if (this.vm.failure || this.bypassed || !this.created) return void this.vm.contexts.delete(this.id);
    this.ending(() => {
      this.call("proxy_on_done", this.id);
      this.call("proxy_on_delete", this.id);
    });
    this.vm.contexts.delete(this.id);
  }

  private ending(run: () => void): void {
    try {
      run();
    } catch (error) {
      if (!(error instanceof WasmTrap)) throw error;
    }
  }

  /** Runs what the guest scheduled (reset, local reply, continues); the host calls it after each callback. */
  runDeferred(): void {
    const reply = this.pendingLocalReply;
    const reset = this.pendingReset;
    const continues = [...this.pendingContinue];
    this.pendingLocalReply = null;
    this.pendingReset = false;
    this.pendingContinue.clear();
    if (this.completed) return;
    if (reset) this.reset("wasm_close_stream");
    else if (reply) this.deliverLocalReply(reply);
    else {
      for (const stream of continues) {
        if (stream === StreamType.HttpRequest || stream === StreamType.HttpResponse) {
          this.resume(stream === StreamType.HttpRequest ? "request" : "response");
        }
      }
    }
    this.link?.progressed();
  }

  private inCallback(name: string): boolean {
    return this.vm.callback === name && this.vm.context === this;
  }

  private assertOpen(what: string): void {
    if (this.completed || (this.localReply && !this.link)) throw new Error(`cannot send ${what}: the stream has ended`);
  }

  private ensureCreated(): void {
    if (this.created) return;
    this.created = true;
    this.vm.contexts.set(this.id, this);
    this.call("proxy_on_context_create", this.id, this.root.id);
  }

  private call(name: string, ...args: number[]): number {
    this.callbacks.push(name);
    return this.vm.invoke(this, name, ...args) ?? 0;
  }

  // In a chain, a filter whose context was never created lets the response pass without a
  // callback (Envoy's Context::encode* return Continue then), e.g. another filter's local reply.
  private skips(direction: Direction): boolean {
    return direction === "response" && this.link !== null && !this.created;
  }

  // Runs a callback unless the filter is out of the stream; a trap ends it by the failure policy.
  private guarded(run: () => void, direction: Direction): boolean {
    if (this.bypassed || this.skips(direction)) return false;
    if (this.vm.failure) {
      this.fail(this.vm.failure, false);
      return false;
    }
    try {
      this.ensureCreated();
      run();
      return true;
    } catch (error) {
      if (!(error instanceof WasmTrap)) throw error;
      this.fail(error, true);
      return false;
    }
  }

  private headers(direction: Direction, map: HeaderMap, endOfStream: boolean): FilterHeadersStatus {
    this.assertOpen(`${direction} headers`);
    const flow = this.flows[direction];
    flow.headers = map;
    flow.ended = endOfStream;
    let status = FilterHeadersStatus.Continue;
    const ran = this.guarded(() => {
      const raw = this.call(`proxy_on_${direction}_headers`, this.id, map.size, endOfStream ? 1 : 0);
      status = this.pendingLocalReply ? FilterHeadersStatus.StopAllIterationAndWatermark : this.remap(raw);
    }, direction);
    if (!ran) return this.passOrFail(direction);
    if (status === FilterHeadersStatus.Continue) flow.flush();
    else {
      flow.stopped = true;
      flow.headersHeld = true;
      flow.stopAll = status !== FilterHeadersStatus.StopIteration;
    }
    this.syncPaused();
    this.runDeferred();
    this.maybeComplete();
    return status;
  }

  private data(direction: Direction, chunk: Uint8Array, endOfStream: boolean): void {
    this.assertOpen(`${direction} body`);
    const flow = this.flows[direction];
    flow.bytesReceived += chunk.length;
    flow.ended = endOfStream;
    if (flow.stopAll && !this.bypassed && !this.vm.failure) {
      flow.pending = concat(flow.pending, chunk);
      flow.bodyWaiting = true;
      return;
    }
    this.bodyCallback(direction, chunk, endOfStream);
    this.maybeComplete();
  }

  // Returns true when iteration continued past this filter.
  private bodyCallback(direction: Direction, chunk: Uint8Array, endOfStream: boolean): boolean {
    const flow = this.flows[direction];
    const visible = flow.buffering ? concat(flow.pending, chunk) : chunk;
    if (flow.buffering) flow.pending = new Uint8Array();
    this.body = { direction, bytes: visible, endOfStream };
    let status = 0;
    const ran = this.guarded(() => {
      const raw = this.call(`proxy_on_${direction}_body`, this.id, visible.length, endOfStream ? 1 : 0);
      status = this.pendingLocalReply ? 3 : Math.min(raw, 3);
    }, direction);
    const result = this.body.bytes;
    this.body = null;
    if (this.pendingLocalReply && direction === "request") this.bodyKeptByReply = result;
    if (!ran) {
      flow.pending = concat(flow.pending, visible);
      this.passOrFail(direction);
      return !this.completed;
    }
    flow.buffering = status === 1;
    if (status !== 3) flow.pending = concat(flow.pending, result);
    if (status === 0) flow.flush();
    else flow.stopped = true;
    this.syncPaused();
    this.runDeferred();
    return status === 0;
  }

  private trailers(direction: Direction, map: HeaderMap): void {
    this.assertOpen(`${direction} trailers`);
    const flow = this.flows[direction];
    flow.trailers = map;
    flow.ended = true;
    if (flow.stopAll && !this.bypassed && !this.vm.failure) {
      flow.trailersWaiting = true;
      return;
    }
    this.trailersCallback(direction);
    this.maybeComplete();
  }

  private trailersCallback(direction: Direction): void {
    const flow = this.flows[direction];
    flow.trailersWaiting = false;
    let status = 0;
    const ran = this.guarded(() => {
      const raw = this.call(`proxy_on_${direction}_trailers`, this.id, flow.trailers!.size);
      status = this.pendingLocalReply || raw !== 0 ? 1 : 0;
    }, direction);
    if (!ran) return void this.passOrFail(direction);
    if (status === 0) flow.flush();
    else {
      flow.stopped = true;
      flow.trailersHeld = true;
    }
    this.syncPaused();
    this.runDeferred();
  }

  private metadata(direction: Direction, count: number): void {
    this.assertOpen(`${direction} metadata`);
    const flow = this.flows[direction];
    if (flow.stopAll) return void flow.metadataWaiting.push(count);
    if (this.guarded(() => void this.call(`proxy_on_${direction}_metadata`, this.id, count), direction)) {
      this.runDeferred();
    }
    this.maybeComplete();
  }

  // proxy_continue_stream: the context drops its pointers; after StopAll, the held metadata, body
  // and trailers reach this filter's callbacks first (Envoy's iterate_from_current_filter).
  private resume(direction: Direction): void {
    const flow = this.flows[direction];
    flow.headersHeld = false;
    flow.trailersHeld = false;
    if (flow.stopAll) {
      flow.stopAll = false;
      if (!flow.delivered.headers) flow.delivered.headers = flow.headers;
      for (const count of flow.metadataWaiting.splice(0)) {
        this.guarded(() => void this.call(`proxy_on_${direction}_metadata`, this.id, count), direction);
      }
      if (flow.bodyWaiting) {
        flow.bodyWaiting = false;
        const chunk = flow.pending;
        flow.pending = new Uint8Array();
        if (!this.bodyCallback(direction, chunk, flow.ended && !flow.trailersWaiting)) return this.maybeComplete();
      }
    }
    if (flow.trailersWaiting) this.trailersCallback(direction);
    else if (flow.stopped || !flow.delivered.ended) flow.flush();
    this.syncPaused();
    this.maybeComplete();
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

  private syncPaused(): void {
    this.paused.request = this.flows.request.stopped;
    this.paused.response = this.flows.response.stopped;
  }

  private maybeComplete(): void {
    if (this.link) return;
    const request = this.flows.request;
    if (this.flows.response.delivered.ended && (request.ended || this.localReply)) this.complete();
  }

  // proxy_close_stream on an HTTP stream: Envoy resets it; the stream then logs and is destroyed.
  private reset(details: string): void {
    this.resetDetails ??= details;
    if (this.link) return this.link.reset(this, details);
    this.flows.request.stopped = this.flows.response.stopped = false;
    this.syncPaused();
    this.complete();
  }

  // A local reply sent before response headers runs through the encoder path, so this filter
  // sees its own reply; one sent once response headers exist goes straight to the client, and
  // one sent after they reached the client resets the stream.
  private deliverLocalReply(reply: LocalReply): void {
    this.localReply = reply;
    const request = this.flows.request;
    request.ended = true;
    // The request headers stay held: Envoy's context keeps its pointer after a stopped callback.
    request.stopped = request.stopAll = false;
    request.pending = new Uint8Array();
    if (this.link) {
      this.syncPaused();
      return this.link.localReply(this, reply);
    }
    const response = this.flows.response;
    const built = localReplyResponse(reply, isGrpcRequest(request.headers));
    if (response.delivered.headers) return this.reset(reply.details);
    if (response.headers) {
      response.headers = built.headers;
      Object.assign(response.delivered, { headers: built.headers, body: built.body, trailers: null, ended: true });
      this.syncPaused();
      return this.complete();
    }
    this.syncPaused();
    const endOfStream = built.body.length === 0;
    response.headers = built.headers;
    response.ended = endOfStream;
    const ran = this.guarded(() => {
      const raw = this.call("proxy_on_response_headers", this.id, built.headers.size, endOfStream ? 1 : 0);
      const status = this.remap(raw);
      if (status === FilterHeadersStatus.Continue) response.flush();
      else
        Object.assign(response, {
          stopped: true,
          headersHeld: true,
          stopAll: status !== FilterHeadersStatus.StopIteration,
        });
    }, "response");
    this.syncPaused();
    this.runDeferred();
    if (ran && !endOfStream && !this.completed) {
      response.ended = true;
      if (response.stopAll) Object.assign(response, { pending: built.body, bodyWaiting: true });
      else this.bodyCallback("response", built.body, true);
    }
    this.syncPaused();
    this.maybeComplete();
  }

  // A failed VM answers the stream by the failure policy: 503 wasm_fail_stream, or pass through.
  // The stream whose callback trapped gets the 503 under every policy (Envoy 1.40 fails it before
  // FAIL_OPEN takes the filter out of later streams).
  private fail(trap: WasmTrap, trappedHere: boolean): void {
    if (this.completed || this.trap) return;
    this.trap = trap;
    this.vm.contexts.delete(this.id);
    if (this.failurePolicy === "FAIL_OPEN" && !trappedHere) {
      this.bypassed = true;
      return;
    }
    this.failedClosed = true;
    if (this.link) {
      // The chain answers the client; this filter sees nothing more (Envoy's failure_local_reply_sent_).
      this.bypassed = true;
      const body = new Uint8Array();
      return this.link.localReply(this, {
        status: 503,
        details: "wasm_fail_stream",
        body,
        headers: [],
        grpcStatus: null,
      });
    }
    this.completed = true;
    this.endTime = this.vm.env.clock.nanoseconds;
    const reply: LocalReply = {
      status: 503,
      details: "wasm_fail_stream",
      body: new Uint8Array(),
      headers: [],
      grpcStatus: null,
    };
    this.localReply = reply;
    const response = this.flows.response;
    if (response.delivered.headers) {
      this.resetDetails = reply.details;
      return;
    }
    const built = localReplyResponse(reply, isGrpcRequest(this.flows.request.headers));
    response.headers = built.headers;
    Object.assign(response.delivered, { headers: built.headers, body: built.body, trailers: null, ended: true });
  }

  // After a failure: with FAIL_OPEN everything passes; with FAIL_CLOSED the stream is answered.
  // In a chain, a filter that failed closed still lets the reply pass on the response path.
  private passOrFail(direction: Direction): FilterHeadersStatus {
    const closed = this.failedClosed && direction === "request";
    if ((!this.bypassed && !this.skips(direction)) || closed) return FilterHeadersStatus.StopAllIterationAndWatermark;
    const flow = this.flows[direction];
    flow.stopAll = flow.headersHeld = flow.trailersHeld = flow.bodyWaiting = flow.trailersWaiting = false;
    flow.flush();
    this.syncPaused();
    this.maybeComplete();
    return FilterHeadersStatus.Continue;
  }
}

function asMap(
  headers: Iterable<HeaderEntry> | HeaderMap,
  kind: ConstructorParameters<typeof HeaderMap>[1],
): HeaderMap {
  return headers instanceof HeaderMap ? headers : new HeaderMap(headers, kind);
}

function toBytes(data: Uint8Array | string): Uint8Array {
  return typeof data === "string" ? new TextEncoder().encode(data) : data;
}
