// The dev proxy's filter thread: every listener's Wasm filters on the harness, each stream of those
// listeners from the client's request headers to the end of its response (the filters, the route,
// the upstream exchange), the filters' HTTP callouts, the harness clock (following real time so
// ticks and timeouts fire) and the admin listener. The HTTP thread reports what each client does;
// what to send the clients goes back as one message at the end of each task of this thread.

import { type Server } from "node:http";
import { parentPort } from "node:worker_threads";
import { FilterChain, HostEnvironment, Plugin } from "../../harness/index.js";
import { startAdmin } from "./admin.js";
import { type DevBootstrap, type Listener } from "./bootstrap.js";
import { Callouts } from "./callouts.js";
import { type DownstreamAction, type FromFilterThread, type StreamOp, type ToFilterThread } from "./filter-messages.js";
import { nodeBytes } from "./node.js";
import { type Downstream, ProxiedStream } from "./proxied-stream.js";
import { wasmLogLine, wasmLogPrefix } from "./wasm-log.js";

type Headers = [string, string][];

/** How often the harness clock catches up with real time (and waiting streams are polled), in ms. */
const TICK_MS = 50;

// What goes to the HTTP thread at the end of this turn: log lines and what to do to responses.
class Outbox {
  private lines: string[] = [];
  private actions: DownstreamAction[] = [];

  line(text: string): void {
    this.lines.push(text);
    this.schedule();
  }

  act(action: DownstreamAction): void {
    this.actions.push(action);
    this.schedule();
  }

  /** Sends what is waiting now. */
  flush(): void {
    if (this.lines.length === 0 && this.actions.length === 0) return;
    post({ kind: "events", lines: this.lines, actions: this.actions });
    this.lines = [];
    this.actions = [];
  }

  private schedule(): void {
    if (this.lines.length + this.actions.length === 1) queueMicrotask(() => this.flush());
  }
}

// A client's response, written on the HTTP thread.
class RemoteDownstream implements Downstream {
  constructor(
    private readonly outbox: Outbox,
    private readonly stream: number,
  ) {}

  head(status: number, headers: Headers, length: number | null): void {
    this.outbox.act({ kind: "head", stream: this.stream, status, headers, length });
  }

  // A copy (a Buffer's slice would be a view), so the message carries these bytes and not the
  // whole buffer they are a view of.
  write(chunk: Uint8Array): void {
    this.outbox.act({ kind: "write", stream: this.stream, chunk: new Uint8Array(chunk) });
  }

  end(): void {
    this.outbox.act({ kind: "end", stream: this.stream });
  }

  reset(): void {
    this.outbox.act({ kind: "reset", stream: this.stream });
  }
}

class FilterHost {
  private readonly plugins: Plugin[] = [];
  // Each listener's filter chain, by its index in the bootstrap; null for a listener without filters.
  private readonly chains: (FilterChain | null)[] = [];
  private readonly active = new Map<number, ProxiedStream>();
  private readonly callouts: Callouts;
  private readonly outbox = new Outbox();
  // The bootstrap's node as the xds.node attribute, encoded once (every stream reads the same bytes).
  private readonly node: Uint8Array;
  private admin: Server | null = null;
  private clockTimer: NodeJS.Timeout | null = null;

  constructor(
    private readonly bootstrap: DevBootstrap,
    private readonly environment: HostEnvironment,
  ) {
    this.callouts = new Callouts(this.plugins, bootstrap.clusters, () => this.progress());
    this.node = nodeBytes(bootstrap.node.id, bootstrap.node.metadata);
  }

  /** Loads every listener's filters and starts the admin listener and the clock. */
  async start(): Promise<void> {
    for (const listener of this.bootstrap.listeners) this.chains.push(await this.load(listener));
    if (this.bootstrap.admin) this.admin = await startAdmin(this.bootstrap.admin, this.environment, this.plugins);
    let last = Date.now();
    this.clockTimer = setInterval(() => {
      const now = Date.now();
      this.environment.clock.advance(now - last);
      last = now;
      this.progress();
    }, TICK_MS);
    this.outbox.flush();
  }

  /** Stops the clock and the admin listener, and sends what is still waiting. */
  async stop(): Promise<void> {
    if (this.clockTimer) clearInterval(this.clockTimer);
    this.outbox.flush();
    const admin = this.admin;
    if (admin) {
      admin.closeAllConnections();
      await new Promise<void>((resolve) => admin.close(() => resolve()));
    }
  }

  /** Carries out what the clients did (each stream turns its own errors into its client's answer). */
  take(ops: StreamOp[]): void {
    for (const op of ops) {
      const proxied = op.kind === "open" ? this.open(op) : this.active.get(op.stream);
      if (proxied === undefined) continue;
      if (op.kind === "open") proxied.start(op.headers, op.hasBody);
      else if (op.kind === "data") proxied.requestData(op.chunk);
      else if (op.kind === "end") proxied.requestEnd();
      else proxied.clientGone();
    }
    this.callouts.pump();
  }

  // Sends new callouts and moves every stream that may have been waiting on one.
  private progress(): void {
    this.callouts.pump();
    for (const proxied of [...this.active.values()]) proxied.poll();
    this.callouts.pump();
  }

  private async load(listener: Listener): Promise<FilterChain | null> {
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
          this.outbox.line(wasmLogLine(entry.level, prefix + entry.message));
        },
      });
      starting = false;
      if (plugin.status !== "running") {
        throw new Error(`filter ${filter.name} (${filter.file}) did not start: ${startup.join("; ")}`);
      }
      plugins.push(plugin);
    }
    this.plugins.push(...plugins);
    return plugins.length > 0 ? new FilterChain(plugins) : null;
  }

  // A stream through the listener's filters, with the connection attributes Envoy gives them.
  private open(op: Extract<StreamOp, { kind: "open" }>): ProxiedStream | undefined {
    const listener = this.bootstrap.listeners[op.listener];
    const chain = this.chains[op.listener];
    if (listener === undefined || chain === undefined || chain === null) return undefined;
    const stream = chain.newStream(0, {
      attributes: {
        "source.address": op.source,
        "destination.address": `${listener.address}:${listener.port}`,
        "destination.port": listener.port,
        "connection.id": op.connection,
        "xds.node": this.node,
        "xds.route_name": listener.routeName,
      },
    });
    const downstream = new RemoteDownstream(this.outbox, op.stream);
    const proxied = new ProxiedStream(listener, this.bootstrap.clusters, stream, downstream, () =>
      this.active.delete(op.stream),
    );
    this.active.set(op.stream, proxied);
    return proxied;
  }
}

function post(message: FromFilterThread): void {
  parentPort!.postMessage(message);
}

let host: FilterHost | null = null;

parentPort!.on("message", (message: ToFilterThread) => {
  switch (message.kind) {
    case "start": {
      const bootstrap = message.bootstrap;
      const environment = new HostEnvironment({
        clusters: [...bootstrap.clusters.keys()],
        statsTags: bootstrap.statsTags,
        startTime: BigInt(Date.now()) * 1_000_000n,
      });
      const starting = new FilterHost(bootstrap, environment);
      host = starting;
      // A failure is reported after the filters' start-up lines, which explain it.
      starting.start().then(
        () => post({ kind: "ready" }),
        (error: unknown) =>
          void starting
            .stop()
            .then(() => post({ kind: "failed", message: error instanceof Error ? error.message : String(error) })),
      );
      break;
    }
    case "ops":
      host?.take(message.ops);
      break;
    case "stop":
      void (host?.stop() ?? Promise.resolve()).then(() => post({ kind: "stopped" }));
      break;
  }
});
