// One HTTP stream through one plugin, driven the way Envoy's HTTP connection manager drives a
// Wasm filter (reference abi.md 3.2-3.4, 4.3, 8.1): lazy context creation, status remapping,
// StopAll holding body and trailers until a continue, buffered bodies, deferred local replies,
// continues and resets, failure policies, and on_log before on_done and on_delete.

import { FilterHeadersStatus, StreamType } from "../abi/types.js";
import { HeaderMap } from "./header-map.js";
import { concat } from "./http-flow.js";
import { type Direction, HttpStreamState } from "./http-stream-state.js";
import { isGrpcRequest, type LocalReply, localReplyResponse } from "./local-reply.js";
import { type HeaderEntry } from "./pairs.js";
import { WasmTrap } from "./vm.js";

export { type BodyView, type FailurePolicy, type HttpStreamOptions, type StreamLink } from "./http-stream-state.js";
export { type LocalReply } from "./local-reply.js";

/** One HTTP stream: drive it with the send* verbs, then inspect what the upstream and the client received. */
export class HttpStream extends HttpStreamState {
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
  override runDeferred(): void {
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
