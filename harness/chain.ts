// Several plugins on one HTTP stream, run the way Envoy's HTTP connection manager runs a filter
// chain (reference abi.md 3.4, 3.8, 6.3, 7.3, 8.1): the request passes the filters in order and
// the response in reverse order; a filter that stops iteration holds everything behind it until
// it continues; the filters share the stream's header maps and filter state. A local reply sent
// before the response started is encoded through every filter from the last to the first (a
// filter whose context was never created lets it pass without a callback); one sent once the
// response started goes straight to the client, and one sent after the client got headers resets
// the stream. At the end every filter gets on_log in order, then on_done and on_delete in order.

import { type FilterHeadersStatus } from "./abi/types.js";
import { type AttributeOverride, FilterState } from "./host/attributes.js";
import { HeaderMap } from "./host/header-map.js";
import { type Delivered } from "./host/http-flow.js";
import { type HttpStream, type HttpStreamOptions, type LocalReply, type StreamLink } from "./host/http-stream.js";
import { isGrpcRequest, localReplyResponse } from "./host/local-reply.js";
import { type HeaderEntry } from "./host/pairs.js";
import { type Plugin } from "./plugin.js";

/** One filter of a chained stream: its plugin, its own stream context, and the headers it was handed. */
export interface ChainHop {
  readonly plugin: Plugin;
  readonly stream: HttpStream;
  /** The request headers as they reached this filter (a copy), or null while none did. */
  requestHeadersSeen: HeaderEntry[] | null;
  /** The response headers as they reached this filter (a copy), or null while none did. */
  responseHeadersSeen: HeaderEntry[] | null;
}

// What one hop has passed on to the next one in one direction.
interface Forwarded {
  headers: boolean;
  body: number;
  trailers: boolean;
  ended: boolean;
}

const fresh = (): Forwarded => ({ headers: false, body: 0, trailers: false, ended: false });

/** Plugins run in order as the HTTP filters of one listener; open streams with newStream(). */
export class FilterChain {
  constructor(readonly plugins: readonly Plugin[]) {
    if (plugins.length === 0) throw new Error("a filter chain needs at least one plugin");
  }

  /**
   * Opens a stream through every plugin on worker `worker` (default 0), each with its own context;
   * `options.filterState` (default: a new one) is the filter state they all share.
   */
  newStream(worker = 0, options: HttpStreamOptions = {}): ChainedHttpStream {
    const filterState = options.filterState ?? new FilterState();
    const streams = this.plugins.map((p) => p.newHttpStream(worker, { ...options, filterState }));
    return new ChainedHttpStream(
      this.plugins.map((plugin, i) => ({
        plugin,
        stream: streams[i]!,
        requestHeadersSeen: null,
        responseHeadersSeen: null,
      })),
      filterState,
    );
  }
}

/** One HTTP stream through a filter chain: the drive verbs and getters of HttpStream, per hop and end to end. */
export class ChainedHttpStream {
  /** The local reply the client got (from whichever filter, or a failed one's 503), or null. */
  localReply: LocalReply | null = null;
  /** Why the stream was reset, or null. */
  resetDetails: string | null = null;
  completed = false;
  private readonly request: Forwarded[];
  private response: Forwarded[];
  private direct: Delivered | null = null;
  private pending: { kind: "reply"; reply: LocalReply } | { kind: "reset"; details: string } | null = null;
  private clientEnded = false;
  private busy = false;
  // How the filters' streams reach the chain: local replies and resets are answered once the
  // current step ends; progress (e.g. a continue after a callout) is carried on at once.
  private readonly link: StreamLink = {
    localReply: (_stream, reply) => {
      this.pending ??= { kind: "reply", reply };
      this.progressed();
    },
    reset: (_stream, details) => {
      this.pending = { kind: "reset", details };
      this.progressed();
    },
    progressed: () => this.progressed(),
  };

  constructor(
    /** The filters in configuration order. */
    readonly hops: readonly ChainHop[],
    /** The filter state every filter reads and writes (`wasm.<name>` for proxy_set_property). */
    readonly filterState: FilterState,
  ) {
    this.request = hops.map(fresh);
    this.response = hops.map(fresh);
    for (const hop of hops) hop.stream.linkTo(this.link);
  }

  /** The request headers (one map the filters share); null until they arrive. */
  get requestHeaders(): HeaderMap | null {
    return this.first.stream.requestHeaders;
  }

  /** The response headers as the client has them (or as they stand at the first filter). */
  get responseHeaders(): HeaderMap | null {
    return this.direct?.headers ?? this.first.stream.responseHeaders;
  }

  /** What the upstream has received: what passed the last filter. */
  get upstreamRequest(): Delivered {
    return this.last.stream.upstreamRequest;
  }

  /** What the client has received: what passed the first filter, or a local reply sent past the filters. */
  get downstreamResponse(): Delivered {
    return this.direct ?? this.first.stream.downstreamResponse;
  }

  /** Overrides attribute `name` for every filter's stream from now on (see HttpStream.setAttribute). */
  setAttribute(name: string, value: AttributeOverride): void {
    for (const hop of this.hops) hop.stream.setAttribute(name, value);
  }

  /** Delivers request headers to the first filter; returns the status the first filter's callback led to. */
  sendRequestHeaders(headers: Iterable<HeaderEntry>, endOfStream: boolean): FilterHeadersStatus {
    this.clientEnded = endOfStream;
    return this.drive(() =>
      this.first.stream.sendRequestHeaders(new HeaderMap(headers, "request-headers"), endOfStream),
    );
  }

  /** Delivers a request body chunk to the first filter. */
  sendRequestBody(data: Uint8Array | string, endOfStream: boolean): void {
    this.clientEnded = endOfStream;
    this.drive(() => this.first.stream.sendRequestBody(data, endOfStream));
  }

  /** Delivers request trailers to the first filter (they end the request). */
  sendRequestTrailers(trailers: Iterable<HeaderEntry>): void {
    this.clientEnded = true;
    this.drive(() => this.first.stream.sendRequestTrailers(trailers));
  }

  /** Delivers the upstream's response headers to the last filter; returns the status that filter's callback led to. */
  sendResponseHeaders(headers: Iterable<HeaderEntry>, endOfStream: boolean): FilterHeadersStatus {
    return this.drive(() =>
      this.last.stream.sendResponseHeaders(new HeaderMap(headers, "response-headers"), endOfStream),
    );
  }

  /** Delivers a response body chunk from the upstream to the last filter. */
  sendResponseBody(data: Uint8Array | string, endOfStream: boolean): void {
    this.drive(() => this.last.stream.sendResponseBody(data, endOfStream));
  }

  /** Delivers response trailers to the last filter (they end the response). */
  sendResponseTrailers(trailers: Iterable<HeaderEntry>): void {
    this.drive(() => this.last.stream.sendResponseTrailers(trailers));
  }

  /** Ends the stream now: on_log for every filter, then on_done and on_delete for every filter. */
  complete(): void {
    if (this.completed) return;
    this.completed = true;
    for (const hop of this.hops) hop.stream.finishLog();
    for (const hop of this.hops) hop.stream.finishDestroy();
  }

  private progressed(): void {
    if (!this.busy) this.pump();
  }

  private get first(): ChainHop {
    return this.hops[0]!;
  }

  private get last(): ChainHop {
    return this.hops[this.hops.length - 1]!;
  }

  private drive<T>(step: () => T): T {
    if (this.completed || this.localReply || this.resetDetails) throw new Error("cannot send: the stream has ended");
    const outer = this.busy;
    this.busy = true;
    let result: T;
    try {
      result = step();
      this.pump();
    } finally {
      this.busy = outer;
    }
    return result;
  }

  // Carries what each filter let through to the next one until nothing moves, then ends the
  // stream when both sides are done.
  private pump(): void {
    const outer = this.busy;
    this.busy = true;
    try {
      for (let moved = true; moved && !this.completed;) {
        moved = this.settlePending();
        for (let i = 0; i + 1 < this.hops.length && !this.localReply && !this.completed; i++) {
          moved =
            this.forward(this.hops[i]!.stream.upstreamRequest, this.request[i]!, this.hops[i + 1]!, "request") || moved;
        }
        for (let i = this.hops.length - 1; i > 0 && !this.direct && !this.completed; i--) {
          moved =
            this.forward(this.hops[i]!.stream.downstreamResponse, this.response[i]!, this.hops[i - 1]!, "response") ||
            moved;
        }
      }
      const requestDone = this.clientEnded || this.localReply !== null;
      if (!this.completed && requestDone && this.downstreamResponse.ended) this.complete();
    } finally {
      this.busy = outer;
    }
  }

  // Passes new output of one filter to the next one; true when something was passed.
  private forward(from: Delivered, done: Forwarded, to: ChainHop, direction: "request" | "response"): boolean {
    if (to.stream.completed || !from.headers) return false;
    const stream = to.stream;
    let moved = false;
    if (!done.headers) {
      done.headers = true;
      done.ended = from.ended && from.body.length === 0 && !from.trailers;
      const copy = from.headers.all();
      if (direction === "request") {
        to.requestHeadersSeen = copy;
        stream.sendRequestHeaders(from.headers, done.ended);
      } else {
        to.responseHeadersSeen = copy;
        stream.sendResponseHeaders(from.headers, done.ended);
      }
      moved = true;
    }
    const endsWithBody = from.ended && !from.trailers && !done.ended;
    if (from.body.length > done.body || endsWithBody) {
      const chunk = from.body.subarray(done.body);
      done.body = from.body.length;
      done.ended ||= endsWithBody;
      if (direction === "request") stream.sendRequestBody(chunk, endsWithBody);
      else stream.sendResponseBody(chunk, endsWithBody);
      moved = true;
    }
    if (from.trailers && !done.trailers && !stream.completed) {
      done.trailers = done.ended = true;
      if (direction === "request") stream.sendRequestTrailers(from.trailers);
      else stream.sendResponseTrailers(from.trailers);
      moved = true;
    }
    return moved;
  }

  // Acts on a local reply or reset a filter asked for; true when the stream changed.
  private settlePending(): boolean {
    const pending = this.pending;
    this.pending = null;
    if (!pending || this.completed) return false;
    if (pending.kind === "reset") {
      this.resetStream(pending.details);
      return true;
    }
    if (this.localReply) return false;
    const reply = pending.reply;
    this.localReply = reply;
    for (const hop of this.hops) hop.stream.localReply ??= reply;
    const built = localReplyResponse(reply, isGrpcRequest(this.requestHeaders));
    if (this.downstreamResponse.headers) {
      this.resetStream(reply.details);
    } else if (this.hops.some((hop) => hop.stream.responseHeaders)) {
      this.direct = { headers: built.headers, body: built.body, trailers: null, ended: true };
    } else {
      this.response = this.hops.map(fresh);
      const endOfStream = built.body.length === 0;
      this.last.responseHeadersSeen = built.headers.all();
      this.last.stream.sendResponseHeaders(built.headers, endOfStream);
      if (!endOfStream && !this.last.stream.completed) this.last.stream.sendResponseBody(built.body, true);
    }
    return true;
  }

  private resetStream(details: string): void {
    this.resetDetails ??= details;
    for (const hop of this.hops) hop.stream.resetDetails ??= details;
    this.complete();
  }
}
