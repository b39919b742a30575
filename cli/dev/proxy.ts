// The dev proxy: real HTTP/1.1 on 127.0.0.1 for each listener of a bootstrap, every request run
// through the listener's Wasm filters on the harness (one filter chain, Envoy's order), routed to a
// static cluster, and answered with what the filters let through. The filters' HTTP callouts go
// to their clusters for real; the harness clock follows real time so ticks and timeouts fire.

import {
  type IncomingMessage,
  type Server,
  type ServerResponse,
  createServer,
  request as httpRequest,
} from "node:http";
import { randomUUID } from "node:crypto";
import { type ChainedHttpStream, FilterChain, HostEnvironment, type HttpCall, Plugin } from "../../harness/index.js";
import { type Cluster, type DevBootstrap, type Listener, type Route } from "./bootstrap.js";
import { nodeBytes } from "./node.js";
import { startAdmin } from "./admin.js";

type Headers = [string, string][];

// Envoy's router answers when it cannot reach an upstream: the flags bit, details, status and body.
const NO_ROUTE = { flags: 1n << 8n, details: "route_not_found", status: 404, body: "" };
const CONNECTION_FAILURE = {
  flags: 1n << 5n,
  details: "upstream_reset_before_response_started{connection_failure}",
  status: 503,
  body: "upstream connect error or disconnect/reset before headers. reset reason: connection failure",
};

// Hop-by-hop headers a proxy does not forward (RFC 9110 7.6.1), and Host, which becomes :authority.
const HOP_BY_HOP = new Set([
  "connection",
  "keep-alive",
  "proxy-connection",
  "transfer-encoding",
  "upgrade",
  "te",
  "host",
]);

/** A running dev proxy. */
export class DevProxy {
  private readonly servers: Server[] = [];
  private readonly answered = new Set<HttpCall>();
  private clockTimer: NodeJS.Timeout | null = null;
  private plugins: Plugin[] = [];
  private nextConnection = 1;

  private constructor(
    private readonly bootstrap: DevBootstrap,
    readonly environment: HostEnvironment,
  ) {}

  /** Loads every listener's filters and listens on every listener and the admin address. */
  static async start(bootstrap: DevBootstrap): Promise<DevProxy> {
    const environment = new HostEnvironment({
      clusters: [...bootstrap.clusters.keys()],
      statsTags: bootstrap.statsTags,
      startTime: BigInt(Date.now()) * 1_000_000n,
    });
    const proxy = new DevProxy(bootstrap, environment);
    try {
      for (const listener of bootstrap.listeners) await proxy.listen(listener);
      if (bootstrap.admin) proxy.servers.push(await startAdmin(bootstrap.admin, environment, proxy.plugins));
    } catch (error) {
      await proxy.stop();
      throw error;
    }
    let last = Date.now();
    proxy.clockTimer = setInterval(() => {
      const now = Date.now();
      environment.clock.advance(now - last);
      last = now;
      proxy.pumpCallouts();
    }, 50);
    return proxy;
  }

  /** Stops every server and the clock. */
  async stop(): Promise<void> {
    if (this.clockTimer) clearInterval(this.clockTimer);
    await Promise.all(this.servers.map((s) => new Promise<void>((resolve) => s.close(() => resolve()))));
    for (const s of this.servers) s.closeAllConnections();
  }

  private async listen(listener: Listener): Promise<void> {
    const plugins: Plugin[] = [];
    for (const filter of listener.filters) {
      const plugin = await Plugin.load(filter.file, {
        name: filter.name,
        rootId: filter.rootId,
        vmId: filter.vmId,
        configuration: filter.configuration,
        failurePolicy: filter.failurePolicy,
        environment: this.environment,
      });
      if (plugin.status !== "running") {
        throw new Error(`filter ${filter.name} (${filter.file}) did not start: ${plugin.logMessages().join("; ")}`);
      }
      plugins.push(plugin);
    }
    this.plugins.push(...plugins);
    const chain = plugins.length > 0 ? new FilterChain(plugins) : null;
    const server = createServer(
      (req, res) => void this.serve(listener, chain, req, res).catch((e: unknown) => fail(res, e)),
    );
    await new Promise<void>((resolve, reject) => {
      server.once("error", reject);
      server.listen(listener.port, listener.address, () => resolve());
    });
    this.servers.push(server);
  }

  // One request: filters on the request, the upstream, filters on the response.
  private async serve(
    listener: Listener,
    chain: FilterChain | null,
    req: IncomingMessage,
    res: ServerResponse,
  ): Promise<void> {
    const body = await readBody(req);
    const headers = requestHeaders(req);
    if (!chain) {
      await this.forward(listener, headers, body, res, null);
      return;
    }
    const stream = chain.newStream(0, {
      attributes: {
        "source.address": `${req.socket.remoteAddress}:${req.socket.remotePort}`,
        "destination.address": `${listener.address}:${listener.port}`,
        "destination.port": listener.port,
        "connection.id": BigInt(this.nextConnection++),
        "xds.node": nodeBytes(this.bootstrap.node.id, this.bootstrap.node.metadata),
        "xds.route_name": listener.routeName,
      },
    });
    stream.sendRequestHeaders(headers, body.length === 0);
    if (body.length > 0) stream.sendRequestBody(body, true);
    await this.settle(stream, () => stream.upstreamRequest.ended || stream.localReply !== null);
    if (stream.localReply || stream.upstreamRequest.headers === null) {
      reply(res, stream);
      stream.complete();
      return;
    }
    await this.forward(listener, stream.upstreamRequest.headers.all(), stream.upstreamRequest.body, res, stream);
  }

  // Sends the request to its route's cluster; the answer goes through the filters (when any) to the client.
  private async forward(
    listener: Listener,
    headers: Headers,
    body: Uint8Array,
    res: ServerResponse,
    stream: ChainedHttpStream | null,
  ): Promise<void> {
    const path = headers.find(([k]) => k === ":path")?.[1] ?? "/";
    const route = listener.routes.find((r) => matches(r, path));
    const cluster = route ? this.bootstrap.clusters.get(route.cluster) : undefined;
    if (route) stream?.setAttribute("xds.cluster_name", route.cluster);
    const upstream = route && cluster ? await exchange(cluster, rewrite(route, headers), body) : null;
    // What Envoy's router reports: no route (NR, 404), or a connection failure (UF, 503).
    const failure = !route ? NO_ROUTE : upstream ? null : CONNECTION_FAILURE;
    if (failure) {
      stream?.setAttribute("response.flags", failure.flags);
      stream?.setAttribute("response.code_details", failure.details);
    } else if (cluster) {
      stream?.setAttribute("upstream.address", `${cluster.address}:${cluster.port}`);
      stream?.setAttribute("response.code_details", "via_upstream");
    }
    const status = upstream ? upstream.status : failure!.status;
    const responseHeaders: Headers = upstream
      ? [[":status", String(status)], ...upstream.headers]
      : [[":status", String(status)], ...(failure!.body ? ([["content-type", "text/plain"]] as Headers) : [])];
    const responseBody = upstream?.body ?? new TextEncoder().encode(failure!.body);
    if (!stream) {
      writeResponse(res, responseHeaders, responseBody);
      return;
    }
    stream.sendResponseHeaders(responseHeaders, responseBody.length === 0);
    if (responseBody.length > 0) stream.sendResponseBody(responseBody, true);
    await this.settle(stream, () => stream.downstreamResponse.ended || stream.localReply !== null);
    reply(res, stream);
    stream.complete();
  }

  // Runs the callouts the filters issued until `done()` holds (or nothing more can happen).
  private async settle(stream: ChainedHttpStream, done: () => boolean): Promise<void> {
    for (let round = 0; round < 1000 && !done() && stream.resetDetails === null; round++) {
      const pending = this.pumpCallouts();
      if (pending.length === 0) await new Promise((r) => setTimeout(r, 10));
      else await Promise.race(pending);
    }
  }

  // Starts a real request for every callout not yet sent; returns the ones in flight.
  private readonly inFlight = new Map<HttpCall, Promise<void>>();

  private pumpCallouts(): Promise<void>[] {
    for (const plugin of this.plugins) {
      for (const call of plugin.httpCalls) {
        if (this.answered.has(call)) continue;
        this.answered.add(call);
        const cluster = this.bootstrap.clusters.get(call.cluster);
        const done = (cluster ? exchange(cluster, call.headers, call.body) : Promise.resolve(null)).then((answer) => {
          this.inFlight.delete(call);
          if (!answer) call.fail();
          else call.respond({ headers: [[":status", String(answer.status)], ...answer.headers], body: answer.body });
        });
        this.inFlight.set(call, done);
      }
    }
    return [...this.inFlight.values()];
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

async function readBody(req: IncomingMessage): Promise<Uint8Array> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  return new Uint8Array(Buffer.concat(chunks));
}

// One HTTP/1.1 exchange with a cluster's endpoint; null when the connection fails.
function exchange(
  cluster: Cluster,
  headers: Headers,
  body: Uint8Array,
): Promise<{ status: number; headers: Headers; body: Uint8Array } | null> {
  return new Promise((resolve) => {
    const pseudo = (name: string) => headers.find(([k]) => k === name)?.[1];
    const flat: string[] = ["host", pseudo(":authority") ?? cluster.name];
    for (const [k, v] of headers) if (!k.startsWith(":") && k !== "content-length") flat.push(k, v);
    if (body.length > 0 || ["POST", "PUT", "PATCH"].includes(pseudo(":method") ?? ""))
      flat.push("content-length", String(body.length));
    const req = httpRequest(
      {
        host: cluster.address,
        port: cluster.port,
        method: pseudo(":method") ?? "GET",
        path: pseudo(":path") ?? "/",
        headers: flat,
        timeout: cluster.connectTimeoutMs,
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on("data", (c: Buffer) => chunks.push(c));
        res.on("end", () => {
          const out: Headers = [];
          for (let i = 0; i < res.rawHeaders.length; i += 2) {
            const name = res.rawHeaders[i]!.toLowerCase();
            if (!HOP_BY_HOP.has(name) && name !== "content-length") out.push([name, res.rawHeaders[i + 1]!]);
          }
          resolve({ status: res.statusCode ?? 502, headers: out, body: new Uint8Array(Buffer.concat(chunks)) });
        });
        res.on("error", () => resolve(null));
      },
    );
    req.on("timeout", () => req.destroy());
    req.on("error", () => resolve(null));
    req.end(Buffer.from(body));
  });
}

// Writes what the client gets: the local reply, or what passed the first filter.
function reply(res: ServerResponse, stream: ChainedHttpStream): void {
  const delivered = stream.downstreamResponse;
  if (stream.resetDetails !== null || delivered.headers === null) {
    res.destroy();
    return;
  }
  writeResponse(res, delivered.headers.all(), delivered.body);
}

function writeResponse(res: ServerResponse, headers: Headers, body: Uint8Array): void {
  res.statusCode = Number(headers.find(([k]) => k === ":status")?.[1] ?? "200");
  for (const [k, v] of headers) if (!k.startsWith(":") && k !== "content-length") res.appendHeader(k, v);
  res.setHeader("content-length", String(body.length));
  res.end(Buffer.from(body));
}

function fail(res: ServerResponse, error: unknown): void {
  if (res.headersSent) {
    res.destroy();
    return;
  }
  res.statusCode = 500;
  res.end(`dev proxy: ${error instanceof Error ? error.message : String(error)}\n`);
}
