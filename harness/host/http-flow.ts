// One direction of an HTTP stream (the request or the response) as Envoy's filter manager keeps
// it for one filter (reference abi.md 3.2, 3.3, 4.3): what arrived, what the filter holds, which
// pointers the Wasm context still has, and what the next hop has received.

import { type HeaderMap } from "./header-map.js";

/** What the next hop (the upstream for a request, the client for a response) has received. */
export interface Delivered {
  /** The headers as they went out (the live map), or null while none were sent. */
  headers: HeaderMap | null;
  /** Every body byte sent, in order. */
  body: Uint8Array;
  trailers: HeaderMap | null;
  /** True once end of stream went out. */
  ended: boolean;
}

/** Joins two byte arrays. */
export function concat(a: Uint8Array, b: Uint8Array): Uint8Array {
  if (a.length === 0) return b;
  if (b.length === 0) return a;
  const out = new Uint8Array(a.length + b.length);
  out.set(a);
  out.set(b, a.length);
  return out;
}

// Shared by every flow until bytes arrive: an empty array has nothing to change, and a new one per
// flow showed in per-request profiles.
const NO_BYTES = new Uint8Array(0);

/** The state of one direction of an HTTP stream at the filter. */
export class HttpFlow {
  headers: HeaderMap | null = null;
  trailers: HeaderMap | null = null;
  /** The peer sent its end of stream (an end flag or trailers). */
  ended = false;
  /** Iteration is stopped at this filter: nothing more goes out until it continues. */
  stopped = false;
  /** A StopAll header status: body, trailers and metadata wait for a continue without callbacks. */
  stopAll = false;
  /** The Wasm context still points at the headers (a header callback did not return Continue). */
  headersHeld = false;
  /** The Wasm context still points at the trailers (the trailers callback stopped). */
  trailersHeld = false;
  /** The last body callback returned StopIterationAndBuffer, so the next one sees the whole body. */
  buffering = false;
  /** Body bytes held at this filter. */
  pending: Uint8Array = NO_BYTES;
  /** A body frame arrived during StopAll and awaits its callback. */
  bodyWaiting = false;
  /** Trailers arrived during StopAll and await their callback. */
  trailersWaiting = false;
  /** Metadata frames (their entry counts) that arrived during StopAll. */
  metadataWaiting: number[] = [];
  /** Body bytes received from the peer. */
  bytesReceived = 0;
  readonly delivered: Delivered = { headers: null, body: NO_BYTES, trailers: null, ended: false };

  /** Lets iteration continue past this filter: headers, held body and trailers go out. */
  flush(): void {
    this.stopped = false;
    const out = this.delivered;
    if (!out.headers && this.headers) out.headers = this.headers;
    if (this.pending.length > 0) {
      out.body = concat(out.body, this.pending);
      this.pending = NO_BYTES;
    }
    if (this.trailers && !this.trailersWaiting) out.trailers = this.trailers;
    out.ended = this.ended && !this.trailersWaiting && !this.bodyWaiting;
  }
}
