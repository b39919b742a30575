// The dev proxy: real HTTP/1.1 on 127.0.0.1 for each listener of a bootstrap, every request run
// through the listener's Wasm filters on the harness (one filter chain, Envoy's order; a listener
// with only the router passes requests straight through), routed to a static cluster, and
// streamed both ways as the filters let data through. The filters run on a thread of their own
// (filter-worker.ts, driven through filter-thread.ts) with their HTTP callouts, which go to their
// clusters for real, and the harness clock, which follows real time so ticks and timeouts fire.

import { type IncomingMessage, type Server, type ServerResponse, createServer } from "node:http";
import { type DevBootstrap, type Listener } from "./bootstrap.js";
import { ClientResponse, relayRequest } from "./client.js";
import { FilterThread } from "./filter-thread.js";
import { FilterlessStream } from "./filterless-stream.js";
import { ProxiedStream } from "./proxied-stream.js";
import { type LogWriter, toStandardError } from "./wasm-log.js";

/** A running dev proxy. */
export class DevProxy {
  private readonly servers: Server[] = [];
  private nextConnection = 1;

  private constructor(
    private readonly bootstrap: DevBootstrap,
    private readonly filters: FilterThread,
  ) {}

  /**
   * Loads every listener's filters and listens on every listener and the admin address; the
   * filters' log lines go to `log` as Envoy prints them (standard error by default).
   */
  static async start(bootstrap: DevBootstrap, log: LogWriter = toStandardError): Promise<DevProxy> {
    const proxy = new DevProxy(bootstrap, await FilterThread.start(bootstrap, log));
    try {
      for (const [index, listener] of bootstrap.listeners.entries()) await proxy.listen(index, listener);
    } catch (error) {
      await proxy.stop();
      throw error;
    }
    return proxy;
  }

  /** Stops every server and the filter thread. */
  async stop(): Promise<void> {
    for (const s of this.servers) s.closeAllConnections();
    await Promise.all(this.servers.map((s) => new Promise<void>((resolve) => s.close(() => resolve()))));
    await this.filters.stop();
  }

  private async listen(index: number, listener: Listener): Promise<void> {
    const filtered = listener.filters.length > 0;
    const server = createServer((req, res) => {
      if (filtered) this.filters.serve(index, req, res, BigInt(this.nextConnection++));
      else this.serveDirectly(listener, req, res);
    });
    await new Promise<void>((resolve, reject) => {
      server.once("error", reject);
      server.listen(listener.port, listener.address, () => resolve());
    });
    this.servers.push(server);
  }

  // A listener with only the router: the stream runs here, with nothing to wait for.
  private serveDirectly(listener: Listener, req: IncomingMessage, res: ServerResponse): void {
    const proxied = new ProxiedStream(
      listener,
      this.bootstrap.clusters,
      new FilterlessStream(),
      new ClientResponse(res),
      () => {},
    );
    relayRequest(req, res, proxied);
  }
}
