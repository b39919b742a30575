// One request through the dev proxy, streamed: request body chunks go to the filters as they
// arrive and on to the upstream as the filters release them; the response does the same on the way
// back. `poll()` moves everything that can move; the proxy calls it on every event (data, a
// callout's answer, a clock tick).

import { type ClientRequest, type IncomingMessage, type ServerResponse, request as httpRequest } from "node:http";
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

  constructor(
    private readonly listener: Listener,
    private readonly clusters: Map<string, Cluster>,
    private readonly stream: DevStream,
    private readonly res: ServerResponse,
    private readonly onDone: () => void,
  ) {}

  /** Feeds the client's request to the filters, chunk by chunk. */
  start(req: IncomingMessage, headers: Headers): void {
    const length = req.headers["content-length"];
    const hasBody = length !== undefined ? length !== "0" : req.headers["transfer-encoding"] !== undefined;
    this.stream.sendRequestHeaders(headers, !hasBody);
    req.on("data", (chunk: Buffer) => {
      if (this.finished) return;
      this.stream.sendRequestBody(new Uint8Array(chunk), false);
      this.poll();
    });
    req.on("end", () => {
      if (this.finished) return;
      if (hasBody) this.stream.sendRequestBody(new Uint8Array(), true);
      this.poll();
    });
    this.res.on("close", () => {
      if (!this.finished) this.finish(() => this.upstream?.destroy());
    });
    this.poll();
  }

  /** Moves whatever the filters released: to the upstream, and to the client. */
  poll(): void {
    if (this.finished) return;
    const stream = this.stream;
    if (stream.resetDetails !== null) {
      this.finish(() => this.res.destroy());
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
    const down = this.stream.downstreamResponse;
    if (down.headers === null) return;
    const res = this.res;
    if (!this.wroteHeaders) {
      res.statusCode = Number(down.headers.get(":status") ?? "200");
      for (const [k, v] of down.headers.all()) if (!k.startsWith(":") && !HOP_BY_HOP.has(k)) res.appendHeader(k, v);
      // A response already complete gets its exact length; one still streaming keeps the upstream's or goes chunked.
      if (down.ended) res.setHeader("content-length", String(down.body.length));
      this.wroteHeaders = true;
    }
    if (down.body.length > this.sentDown) res.write(Buffer.from(down.body.subarray(this.sentDown)));
    this.sentDown = down.body.length;
    if (down.ended) this.finish(() => res.end());
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
    for (const [k, v] of rewrite(route, headers)) if (!k.startsWith(":")) flat.push(k, v);
    const up = httpRequest({
      host: cluster.address,
      port: cluster.port,
      method: pseudo(":method") ?? "GET",
      path: rewrite(route, headers).find(([k]) => k === ":path")?.[1] ?? "/",
      headers: flat,
      timeout: cluster.connectTimeoutMs,
    });
    up.on("timeout", () => up.destroy());
    up.on("error", () => {
      // Destroyed because the client went away: the stream is already finished.
      if (this.finished) return;
      if (!this.responseStarted) this.failed(CONNECTION_FAILURE);
      else this.finish(() => this.res.destroy());
    });
    up.on("response", (response) => this.relayResponse(cluster, response));
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
    response.on("data", (chunk: Buffer) => {
      if (this.finished) return;
      this.stream.sendResponseBody(new Uint8Array(chunk), false);
      this.poll();
    });
    response.on("end", () => {
      if (this.finished) return;
      this.stream.sendResponseBody(new Uint8Array(), true);
      this.poll();
    });
    this.poll();
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
    this.poll();
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
