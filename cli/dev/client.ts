// The client's side of a dev proxy stream, on the thread that has the connection: the request as
// Envoy's connection manager hands it to the filters, its events passed on as they come, and the
// response written as the stream releases it.

import { randomUUID } from "node:crypto";
import { type IncomingMessage, type ServerResponse } from "node:http";
import { type Downstream, HOP_BY_HOP, answerBroken } from "./proxied-stream.js";

type Headers = [string, string][];

/** Where the client's request goes, event by event: a ProxiedStream, or the filter thread. */
export interface RequestSink {
  start(headers: Headers, hasBody: boolean): void;
  requestData(chunk: Uint8Array): void;
  requestEnd(): void;
  clientGone(): void;
}

/** Passes `req` to `sink`: headers at once, then each body chunk, the end, and the client going away. */
export function relayRequest(req: IncomingMessage, res: ServerResponse, sink: RequestSink): void {
  const length = req.headers["content-length"];
  const hasBody = length !== undefined ? length !== "0" : req.headers["transfer-encoding"] !== undefined;
  sink.start(requestHeaders(req), hasBody);
  req.on("data", (chunk: Buffer) => sink.requestData(new Uint8Array(chunk)));
  req.on("end", () => sink.requestEnd());
  res.on("close", () => sink.clientGone());
}

// The request as Envoy's connection manager hands it to the filters: pseudo-headers from the
// request line and Host, hop-by-hop headers dropped, x-request-id added when absent.
function requestHeaders(req: IncomingMessage): Headers {
  const headers: Headers = [
    [":method", req.method ?? "GET"],
    [":path", req.url ?? "/"],
    [":authority", req.headers.host ?? ""],
    [":scheme", "http"],
  ];
  for (let i = 0; i < req.rawHeaders.length; i += 2) {
    const name = req.rawHeaders[i]!.toLowerCase();
    if (!HOP_BY_HOP.has(name)) headers.push([name, req.rawHeaders[i + 1]!]);
  }
  if (!headers.some(([k]) => k === "x-request-id")) headers.push(["x-request-id", randomUUID()]);
  headers.push(["x-forwarded-proto", "http"]);
  return headers;
}

/** The client's response on its connection. */
export class ClientResponse implements Downstream {
  constructor(private readonly res: ServerResponse) {}

  /**
   * Sets the status and headers (they go out with the first body bytes or the end); throws, setting
   * none, when Node cannot write one of them (a control character, a character above U+00FF).
   */
  head(status: number, headers: Headers, length: number | null): void {
    const res = this.res;
    try {
      for (const [k, v] of headers) res.appendHeader(k, v);
    } catch (error) {
      this.clearHeaders();
      throw error;
    }
    res.statusCode = status;
    if (length !== null) res.setHeader("content-length", String(length));
  }

  /** Writes body bytes. */
  write(chunk: Uint8Array): void {
    this.res.write(chunk);
  }

  /** Ends the response. */
  end(): void {
    this.res.end();
  }

  /** Resets the client's stream. */
  reset(): void {
    this.res.destroy();
  }

  /** Ends the response on the dev proxy's own failure: a 500 naming it while nothing was sent, else a reset. */
  fail(why: string): void {
    if (this.res.headersSent) {
      this.reset();
      return;
    }
    this.clearHeaders();
    answerBroken(this, why);
  }

  // Drops the headers set but not sent yet.
  private clearHeaders(): void {
    for (const name of this.res.getHeaderNames()) this.res.removeHeader(name);
  }
}
