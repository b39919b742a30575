// A stream through a listener with no Wasm filters, only the router, as Envoy allows: the request
// goes to the upstream as the client sent it and the response comes back as the upstream sent it.

import {
  type ChainedHttpStream,
  type Delivered,
  FilterHeadersStatus,
  type HeaderEntry,
  HeaderMap,
} from "../../harness/index.js";

/** What the dev proxy drives on a stream: a filter chain's, or a filterless one. */
export type DevStream = Pick<
  ChainedHttpStream,
  | "sendRequestHeaders"
  | "sendRequestBody"
  | "sendResponseHeaders"
  | "sendResponseBody"
  | "upstreamRequest"
  | "downstreamResponse"
  | "resetDetails"
  | "localReply"
  | "completed"
  | "complete"
  | "setAttribute"
>;

function nothingDelivered(): Delivered {
  return { headers: null, body: new Uint8Array(), trailers: null, ended: false };
}

function deliverHeaders(delivered: Delivered, headers: HeaderMap, endOfStream: boolean): FilterHeadersStatus.Continue {
  delivered.headers = headers;
  delivered.ended = endOfStream;
  return FilterHeadersStatus.Continue;
}

function append(delivered: Delivered, data: Uint8Array | string, endOfStream: boolean): void {
  const bytes = typeof data === "string" ? Buffer.from(data) : data;
  if (bytes.length > 0) delivered.body = Buffer.concat([delivered.body, bytes]);
  delivered.ended = endOfStream;
}

/** A stream that hands everything straight through: no filter sees it, none can answer it. */
export class FilterlessStream implements DevStream {
  readonly localReply = null;
  readonly resetDetails = null;
  completed = false;
  readonly upstreamRequest = nothingDelivered();
  readonly downstreamResponse = nothingDelivered();

  /** Sends the request headers on to the upstream. */
  sendRequestHeaders(headers: Iterable<HeaderEntry>, endOfStream: boolean): FilterHeadersStatus {
    return deliverHeaders(this.upstreamRequest, new HeaderMap(headers, "request-headers"), endOfStream);
  }

  /** Sends a request body chunk on to the upstream. */
  sendRequestBody(data: Uint8Array | string, endOfStream: boolean): void {
    append(this.upstreamRequest, data, endOfStream);
  }

  /** Sends the response headers back to the client. */
  sendResponseHeaders(headers: Iterable<HeaderEntry>, endOfStream: boolean): FilterHeadersStatus {
    return deliverHeaders(this.downstreamResponse, new HeaderMap(headers, "response-headers"), endOfStream);
  }

  /** Sends a response body chunk back to the client. */
  sendResponseBody(data: Uint8Array | string, endOfStream: boolean): void {
    append(this.downstreamResponse, data, endOfStream);
  }

  /** Ends the stream. */
  complete(): void {
    this.completed = true;
  }

  /** No filter reads attributes here, so there is nothing to record. */
  setAttribute(): void {}
}
