// One request through the dev proxy, streamed: request body chunks go to the filters as they
// arrive and on to the upstream as the filters release them; the response does the same on the way
// back. `poll()` moves everything that can move; it runs on every event (data from either side, a
// callout's answer, a clock tick). The client's side is a Downstream, so the stream can run on the
// thread that has the client's connection or on the filter thread.

import { type ClientRequest, type IncomingMessage, request as httpRequest } from "node:http";
import { type Cluster, type Listener, type Route } from "./bootstrap.js";
import { type DevStream } from "./filterless-stream.js";

type Headers = [string, string][];

/** Hop-by-hop headers a proxy does not forward (RFC 9110 7.6.1), and Host, which is `:authority`. */
export const HOP_BY_HOP = new Set([
  "connection",
  "keep-alive",
  "proxy-connection",
  "transfer-encoding",
  "upgrade",
  "te",
  "host",
]);

/** Where a stream's response goes: the client's connection. */
export interface Downstream {
  /** Sends the status and headers; `length` is the body's exact length when it is already known. */
  head(status: number, headers: Headers, length: number | null): void;
  write(chunk: Uint8Array): void;
  end(): void;
  /** Resets the client's stream. */
  reset(): void;
}

/** Answers a client whose response has not started that the dev proxy itself failed: a 500 naming why. */
export function answerBroken(downstream: Downstream, why: string): void {
  const body = Buffer.from(`dev proxy: ${why}\n`);
  downstream.head(500, [], body.length);
  downstream.write(body);
  downstream.end();
}

// Envoy's router answers when it cannot reach an upstream: the flags bit, details, status and body.
const NO_ROUTE = { flags: 1n << 8n, details: "route_not_found", status: 404, body: "" };
const CONNECTION_FAILURE = {
  flags: 1n << 5n,
  details: "upstream_reset_before_response_started{connection_failure}",
  status: 503,
  body: "upstream connect error or disconnect/reset before headers. reset reason: connection failure",
};

/** A request in flight between the client, the filters and the upstream. */
export class ProxiedStream {
  private upstream: ClientRequest | null = null;
  private upstreamStarted = false;
  private sentUp = 0;
  private endedUp = false;
  private responseStarted = false;
  private wroteHeaders = false;
  private sentDown = 0;
  private finished = false;
  private hasBody = false;

  constructor(
    private readonly listener: Listener,
    private readonly clusters: Map<string, Cluster>,
    private readonly stream: DevStream,
    private readonly downstream: Downstream,
    private readonly onDone: () => void,
  ) {}

  /** Hands the client's request headers to the filters; `hasBody` says whether body chunks follow. */
  start(headers: Headers, hasBody: boolean): void {
    this.hasBody = hasBody;
    this.guard(() => {
      this.stream.sendRequestHeaders(headers, !hasBody);
      this.move();
    });
  }

  /** Hands a chunk of the client's request body to the filters. */
  requestData(chunk: Uint8Array): void {
    this.guard(() => {
      this.stream.sendRequestBody(chunk, false);
      this.move();
    });
  }

  /** The client's request is complete. */
  requestEnd(): void {
    this.guard(() => {
      if (this.hasBody) this.stream.sendRequestBody(new Uint8Array(), true);
      this.move();
    });
  }

  /** The client went away: the upstream request is dropped and the filters see the stream end. */
  clientGone(): void {
    this.guard(() => this.finish(() => this.upstream?.destroy()));
  }

  /**
   * Ends the stream on the dev proxy's own failure (not a filter's answer): a 500 naming it while
   * the client has no response yet, a reset after.
   */
  broke(why: string): void {
    if (this.finished) return;
    this.upstream?.destroy();
    const downstream = this.downstream;
    if (this.wroteHeaders) {
      this.finish(() => downstream.reset());
      return;
    }
    this.finish(() => answerBroken(downstream, why));
  }

  /** Moves whatever the filters released: to the upstream, and to the client. */
  poll(): void {
    this.guard(() => this.move());
  }

  // Runs one event's work; what throws (a header Node refuses to write, an error of the harness)
  // ends this stream as the dev proxy's failure, and the proxy carries on.
  private guard(step: () => void): void {
    if (this.finished) return;
    try {
      step();
    } catch (error) {
      this.broke(error instanceof Error ? error.message : String(error));
    }
  }

  private move(): void {
    const stream = this.stream;
    if (stream.resetDetails !== null) {
      this.finish(() => this.downstream.reset());
      return;
    }
    if (!this.upstreamStarted && stream.localReply === null && stream.upstreamRequest.headers !== null) {
      this.upstreamStarted = true;
      this.startUpstream(stream.upstreamRequest.headers.all());
    }
    const up = this.upstream;
    if (up && !this.endedUp) {
      const body = stream.upstreamRequest.body;
      if (body.length > this.sentUp) up.write(Buffer.from(body.subarray(this.sentUp)));
      this.sentUp = body.length;
      if (stream.upstreamRequest.ended) {
        up.end();
        this.endedUp = true;
      }
    }
    this.writeDownstream();
  }

  private writeDownstream(): void {
    // Routing may have answered and ended the stream already.
    if (this.finished) return;
    const down = this.stream.downstreamResponse;
    if (down.headers === null) return;
    const downstream = this.downstream;
    if (!this.wroteHeaders) {
      const headers: Headers = [];
      for (const [k, v] of down.headers.all()) if (!k.startsWith(":") && !HOP_BY_HOP.has(k)) headers.push([k, v]);
      // A response already complete gets its exact length; one still streaming keeps the upstream's or goes chunked.
      downstream.head(Number(down.headers.get(":status") ?? "200"), headers, down.ended ? down.body.length : null);
      this.wroteHeaders = true;
    }
    if (down.body.length > this.sentDown) downstream.write(down.body.subarray(this.sentDown));
    this.sentDown = down.body.length;
    if (down.ended) this.finish(() => downstream.end());
  }

  private finish(last: () => void): void {
    this.finished = true;
    last();
    if (!this.stream.completed) this.stream.complete();
    this.onDone();
  }

  // Routes on the headers the filters let through, then sends them to the route's cluster.
  private startUpstream(headers: Headers): void {
    const path = headers.find(([k]) => k === ":path")?.[1] ?? "/";
    const route = this.listener.routes.find((r) => matches(r, path));
    const cluster = route ? this.clusters.get(route.cluster) : undefined;
    if (!route || !cluster) {
      this.failed(NO_ROUTE);
      return;
    }
    this.stream.setAttribute("xds.cluster_name", route.cluster);
    const pseudo = (name: string) => headers.find(([k]) => k === name)?.[1];
    const flat: string[] = ["host", pseudo(":authority") ?? cluster.name];
    const rewritten = rewrite(route, headers);
    for (const [k, v] of rewritten) if (!k.startsWith(":")) flat.push(k, v);
    const up = httpRequest({
      host: cluster.address,
      port: cluster.port,
      method: pseudo(":method") ?? "GET",
      path: rewritten.find(([k]) => k === ":path")?.[1] ?? "/",
      headers: flat,
      timeout: cluster.connectTimeoutMs,
    });
    up.on("timeout", () => up.destroy());
    // After the client went away the stream is already finished, and the guard ignores this.
    up.on("error", () =>
      this.guard(() => {
        if (!this.responseStarted) this.failed(CONNECTION_FAILURE);
        else this.finish(() => this.downstream.reset());
      }),
    );
    up.on("response", (response) => this.guard(() => this.relayResponse(cluster, response)));
    this.upstream = up;
  }

  private relayResponse(cluster: Cluster, response: IncomingMessage): void {
    this.responseStarted = true;
    this.stream.setAttribute("upstream.address", `${cluster.address}:${cluster.port}`);
    this.stream.setAttribute("response.code_details", "via_upstream");
    const headers: Headers = [[":status", String(response.statusCode ?? 502)]];
    for (let i = 0; i < response.rawHeaders.length; i += 2) {
      const name = response.rawHeaders[i]!.toLowerCase();
      if (!HOP_BY_HOP.has(name)) headers.push([name, response.rawHeaders[i + 1]!]);
    }
    this.stream.sendResponseHeaders(headers, false);
    response.on("data", (chunk: Buffer) =>
      this.guard(() => {
        this.stream.sendResponseBody(new Uint8Array(chunk), false);
        this.move();
      }),
    );
    response.on("end", () =>
      this.guard(() => {
        this.stream.sendResponseBody(new Uint8Array(), true);
        this.move();
      }),
    );
    this.move();
  }

  // Envoy's router's own answer, through the filters like an upstream's.
  private failed(failure: typeof NO_ROUTE): void {
    this.responseStarted = true;
    this.stream.setAttribute("response.flags", failure.flags);
    this.stream.setAttribute("response.code_details", failure.details);
    const headers: Headers = [[":status", String(failure.status)]];
    if (failure.body) headers.push(["content-type", "text/plain"]);
    this.stream.sendResponseHeaders(headers, failure.body === "");
    if (failure.body) this.stream.sendResponseBody(failure.body, true);
    this.move();
  }
}

function matches(route: Route, path: string): boolean {
  const bare = path.split("?")[0]!;
  if (route.path !== undefined) return bare === route.path;
  if (route.regex) return route.regex.test(bare);
  return path.startsWith(route.prefix ?? "/");
}

function rewrite(route: Route, headers: Headers): Headers {
  if (route.prefixRewrite === undefined || route.prefix === undefined) return headers;
  return headers.map(([k, v]) =>
    k === ":path" && v.startsWith(route.prefix!) ? [k, route.prefixRewrite + v.slice(route.prefix!.length)] : [k, v],
  );
}
