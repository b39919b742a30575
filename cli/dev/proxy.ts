// The dev proxy: real HTTP/1.1 on 127.0.0.1 for each listener of a bootstrap, every request run
// through the listener's Wasm filters on the harness (one filter chain, Envoy's order; a listener
// with only the router passes requests straight through), routed to a static cluster, and
// streamed both ways as the filters let data through. The filters' HTTP
// callouts go to their clusters for real; the harness clock follows real time so ticks and
// timeouts fire.

import { type IncomingMessage, type Server, type ServerResponse, createServer } from "node:http";
import { randomUUID } from "node:crypto";
import { FilterChain, HostEnvironment, Plugin } from "../../harness/index.js";
import { startAdmin } from "./admin.js";
import { type DevBootstrap, type Listener } from "./bootstrap.js";
import { Callouts } from "./callouts.js";
import { nodeBytes } from "./node.js";
import { type DevStream, FilterlessStream } from "./filterless-stream.js";
import { HOP_BY_HOP, ProxiedStream } from "./proxied-stream.js";
import { type LogWriter, toStandardError, wasmLogLine, wasmLogPrefix } from "./wasm-log.js";

type Headers = [string, string][];

/** How often the harness clock catches up with real time (and waiting streams are polled), in ms. */
const TICK_MS = 50;

/** A running dev proxy. */
export class DevProxy {
  private readonly servers: Server[] = [];
  private readonly plugins: Plugin[] = [];
  private readonly active = new Set<ProxiedStream>();
  private readonly callouts: Callouts;
  private clockTimer: NodeJS.Timeout | null = null;
  private nextConnection = 1;
  // The bootstrap's node as the xds.node attribute, encoded once (every stream reads the same bytes).
  private readonly node: Uint8Array;

  private constructor(
    private readonly bootstrap: DevBootstrap,
    readonly environment: HostEnvironment,
    private readonly log: LogWriter,
  ) {
    this.callouts = new Callouts(this.plugins, bootstrap.clusters, () => this.progress());
    this.node = nodeBytes(bootstrap.node.id, bootstrap.node.metadata);
  }

  /**
   * Loads every listener's filters and listens on every listener and the admin address; the
   * filters' log lines go to `log` as Envoy prints them (standard error by default).
   */
  static async start(bootstrap: DevBootstrap, log: LogWriter = toStandardError): Promise<DevProxy> {
    const environment = new HostEnvironment({
      clusters: [...bootstrap.clusters.keys()],
      statsTags: bootstrap.statsTags,
      startTime: BigInt(Date.now()) * 1_000_000n,
    });
    const proxy = new DevProxy(bootstrap, environment, log);
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
      proxy.progress();
    }, TICK_MS);
    return proxy;
  }

  /** Stops every server and the clock. */
  async stop(): Promise<void> {
    if (this.clockTimer) clearInterval(this.clockTimer);
    for (const s of this.servers) s.closeAllConnections();
    await Promise.all(this.servers.map((s) => new Promise<void>((resolve) => s.close(() => resolve()))));
  }

  // Sends new callouts and moves every stream that may have been waiting on one.
  private progress(): void {
    this.callouts.pump();
    for (const stream of [...this.active]) stream.poll();
    this.callouts.pump();
  }

  private async listen(listener: Listener): Promise<void> {
    const plugins: Plugin[] = [];
    for (const filter of listener.filters) {
      // Lines are printed as Envoy prints them, not kept; those of the start-up also explain a failure.
      const startup: string[] = [];
      let starting = true;
      const prefix = wasmLogPrefix(filter.name, filter.rootId, filter.vmId);
      const plugin = await Plugin.load(filter.file, {
        name: filter.name,
        rootId: filter.rootId,
        vmId: filter.vmId,
        configuration: filter.configuration,
        failurePolicy: filter.failurePolicy,
        environment: this.environment,
        onLog: (entry) => {
          if (starting) startup.push(entry.message);
          this.log(wasmLogLine(entry.level, prefix + entry.message));
        },
      });
      starting = false;
      if (plugin.status !== "running") {
        throw new Error(`filter ${filter.name} (${filter.file}) did not start: ${startup.join("; ")}`);
      }
      plugins.push(plugin);
    }
    this.plugins.push(...plugins);
    const chain = plugins.length > 0 ? new FilterChain(plugins) : null;
    const server = createServer((req, res) => this.serve(listener, chain, req, res));
    await new Promise<void>((resolve, reject) => {
      server.once("error", reject);
      server.listen(listener.port, listener.address, () => resolve());
    });
    this.servers.push(server);
  }

  private serve(listener: Listener, chain: FilterChain | null, req: IncomingMessage, res: ServerResponse): void {
    const stream: DevStream = chain === null ? new FilterlessStream() : this.chainStream(listener, chain, req);
    const proxied = new ProxiedStream(listener, this.bootstrap.clusters, stream, res, () =>
      this.active.delete(proxied),
    );
    this.active.add(proxied);
    try {
      proxied.start(req, requestHeaders(req));
      this.callouts.pump();
    } catch (error) {
      this.active.delete(proxied);
      res.statusCode = 500;
      res.end(`dev proxy: ${error instanceof Error ? error.message : String(error)}\n`);
    }
  }

  // A stream through the listener's filters, with the connection attributes Envoy gives them.
  private chainStream(listener: Listener, chain: FilterChain, req: IncomingMessage): DevStream {
    return chain.newStream(0, {
      attributes: {
        "source.address": `${req.socket.remoteAddress}:${req.socket.remotePort}`,
        "destination.address": `${listener.address}:${listener.port}`,
        "destination.port": listener.port,
        "connection.id": BigInt(this.nextConnection++),
        "xds.node": this.node,
        "xds.route_name": listener.routeName,
      },
    });
  }
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
