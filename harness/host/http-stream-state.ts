// What the host functions see of one HTTP stream (reference abi.md 3.2-3.4, 7): the state Envoy's
// connection manager keeps for a Wasm filter, the header and body windows, the attributes, and the
// continues, resets and local replies a callback schedules. HttpStream (http-stream.ts) drives it.

import { BufferType, MapType, StreamType } from "../abi/types.js";
import {
  type AttributeOverride,
  type AttributeOverrides,
  type AttributeValue,
  FilterState,
  mapEntry,
  toAttribute,
} from "./attributes.js";
import { HeaderMap } from "./header-map.js";
import { httpAttribute, httpAttributeEntry } from "./http-attributes.js";
import { type Delivered, HttpFlow } from "./http-flow.js";
import { type LocalReply } from "./local-reply.js";
import { type RootState, type WasmTrap, type WasmVm } from "./vm.js";

/** One direction of an HTTP stream. */
export type Direction = "request" | "response";

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
  localReply(stream: HttpStreamState, reply: LocalReply): void;
  reset(stream: HttpStreamState, details: string): void;
  progressed(): void;
}

/** A body buffer as the running callback may see it (abi.md 3.3). */
export interface BodyView {
  bytes: Uint8Array;
  /** False outside the body's own callback: writes answer BadArgument. */
  mutable: boolean;
}

/** One HTTP stream: drive it with the send* verbs, then inspect what the upstream and the client received. */ /** The state of one HTTP stream at a Wasm filter, as its host functions see it. */
export abstract class HttpStreamState {
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
  protected failedClosed = false;
  /** The trap that ended this stream, if the VM failed while serving it. */
  trap: WasmTrap | null = null;
  /** The filter state proxy_set_property writes (`wasm.<name>`). */
  readonly filterState: FilterState;
  /** When the stream started and ended, in nanoseconds since the Unix epoch. */
  readonly startTime: bigint;
  endTime: bigint | null = null;
  protected readonly flows = { request: new HttpFlow(), response: new HttpFlow() };
  protected readonly overrides: Map<string, AttributeValue | undefined>;
  protected created = false;
  protected body: { direction: Direction; bytes: Uint8Array; endOfStream: boolean } | null = null;
  // The request body a body callback buffered when it sent a local reply: Envoy keeps the
  // decoding buffer, so later callbacks still read and change it.
  protected bodyKeptByReply: Uint8Array | null = null;
  protected pendingLocalReply: LocalReply | null = null;
  protected pendingReset = false;
  protected readonly pendingContinue = new Set<StreamType>();
  protected link: StreamLink | null = null;
  protected destroyed = false;

  constructor(
    protected readonly vm: WasmVm,
    readonly root: RootState,
    protected readonly failurePolicy: FailurePolicy,
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
    switch (type) {
      case MapType.HttpRequestHeaders:
        return this.headersIn(this.flows.request, "proxy_on_request_headers", inLog);
      case MapType.HttpResponseHeaders:
        return this.headersIn(this.flows.response, "proxy_on_response_headers", inLog);
      case MapType.HttpRequestTrailers:
        return this.trailersIn("request", "proxy_on_request_trailers", access, false);
      case MapType.HttpResponseTrailers:
        return this.trailersIn("response", "proxy_on_response_trailers", access, inLog);
      default:
        return "unavailable";
    }
  }

  private headersIn(flow: HttpFlow, callback: string, inLog: boolean): HeaderMap | "unavailable" {
    return (this.inCallback(callback) || flow.headersHeld || inLog) && flow.headers ? flow.headers : "unavailable";
  }

  // `logRead`: a read during on_log, which sees the response trailers (not the request's).
  private trailersIn(
    direction: Direction,
    callback: string,
    access: "read" | "write",
    logRead: boolean,
  ): HeaderMap | "unavailable" {
    const flow = this.flows[direction];
    const endingBody =
      this.body?.direction === direction && this.body.endOfStream && this.inCallback(`proxy_on_${direction}_body`);
    if (endingBody && access === "write" && !flow.trailers) {
      flow.trailers = new HeaderMap([], direction === "request" ? "request-trailers" : "response-trailers");
    }
    const open = this.inCallback(callback) || flow.trailersHeld || endingBody || logRead;
    return open && flow.trailers ? flow.trailers : "unavailable";
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

  /** Overrides attribute `name` from now on, as a host that learns stream info mid-stream (the route's cluster, response flags) does. */
  setAttribute(name: string, value: AttributeOverride): void {
    this.overrides.set(name, toAttribute(name, value));
  }

  /** Attribute `name` (dotted) as proxy_get_property sees it now: an override, or Envoy's value. */
  attribute(name: string): AttributeValue | undefined {
    if (this.overrides.has(name)) return this.overrides.get(name);
    return httpAttribute(this, name, this.flows);
  }

  /** Entry `key` of map attribute `name`: from an override, or a header read straight from its map. */
  attributeEntry(name: string, key: string): AttributeValue | undefined {
    if (this.overrides.has(name)) return mapEntry(this.overrides.get(name), key);
    return httpAttributeEntry(this, name, key, this.flows);
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

  /** Runs what the guest scheduled (reset, local reply, continues); the host calls it after each callback. */
  abstract runDeferred(): void;

  protected inCallback(name: string): boolean {
    return this.vm.callback === name && this.vm.context === this;
  }
}
