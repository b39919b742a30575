// The Envoy side of the differential runner: one real Envoy per setup, with the scripted upstream
// and callout servers, and one case at a time through it.

import { request } from "node:http";
import { connect } from "node:net";
import { freePort } from "../e2e/support/config.js";
import { type EnvoyLauncher, type RunningEnvoy, startEnvoy } from "../e2e/support/envoy.js";
import { writeBootstrap } from "./bootstrap.js";
import { byThread, threadOrder, seriesDelta, type WasmLogLine, wasmLogLines, wasmSeries } from "./envoy-log.js";
import { ScriptedServer, ScriptedTcpServer } from "./servers.js";
import { type FidelityCase, type FidelitySetup, type Headers, type Observation, threaded } from "./types.js";
import { type Connection } from "./harness-side.js";
import { AUTHORITY, DEFAULT_UPSTREAM, clientHeaders } from "./requests.js";

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
/** How long Envoy's output must stay quiet before a case's observation is taken. */
const QUIET_MS = 150;
/** The same at startup, when worker threads may still be starting their VMs. */
const STARTUP_QUIET_MS = 600;
/** Starts tried when another process takes a port between picking it and Envoy binding it. */
const START_ATTEMPTS = 3;

/** A running Envoy for one setup, with its scripted servers. */
export class EnvoySide {
  private proxy: RunningEnvoy | null = null;
  private readonly upstream = new ScriptedServer(DEFAULT_UPSTREAM);
  private readonly tcpUpstream = new ScriptedTcpServer();
  private readonly callouts = new Map<string, ScriptedServer>();
  /** False when Envoy exited instead of serving: it refused the module or the plugin did not start. */
  loaded = true;
  /** The wasm log lines Envoy printed while loading the plugin (canary and thread instances), by thread. */
  startupLogs: string[] = [];
  private adminPort = 0;
  private listenerPort = 0;
  // Envoy's thread ids by label: the canary runs on the main thread, which logs first; workers
  // are numbered in the order they first log.
  private readonly labels = new Map<string, string>();

  constructor(
    private readonly envoy: EnvoyLauncher,
    private readonly setup: FidelitySetup,
    private readonly root: string,
  ) {}

  /** Starts the servers and Envoy, and waits until Envoy is ready. */
  async start(): Promise<void> {
    const upstream = this.setup.network ? this.tcpUpstream : this.upstream;
    const upstreamPort = await upstream.start();
    const calloutPorts: Record<string, number> = {};
    for (const [cluster, script] of Object.entries(this.setup.callouts ?? {})) {
      const server = new ScriptedServer(script);
      this.callouts.set(cluster, server);
      calloutPorts[cluster] = await server.start();
    }
    for (let attempt = 1; ; attempt++) {
      this.adminPort = await freePort();
      this.listenerPort = await freePort();
      const ports = { admin: this.adminPort, listener: this.listenerPort, upstream: upstreamPort };
      const config = await writeBootstrap(this.setup, { ...ports, callouts: calloutPorts });
      this.proxy = startEnvoy(this.envoy, config, this.root, this.setup.workers ?? 1);
      try {
        await this.proxy.waitReady(ports.admin);
        // Workers start their VMs after /ready answers; on a loaded machine a worker's first lines
        // can come well after the main thread's, so startup waits for a longer quiet spell.
        await this.settle(STARTUP_QUIET_MS);
        break;
      } catch (error) {
        if (!this.proxy.exitedEarly) throw error;
        // Another test took a port after it was picked: not the plugin's doing, so start again.
        if (attempt < START_ATTEMPTS && /Address already in use/.test(this.log)) continue;
        // Envoy refused the configuration (the module or the plugin's start): an outcome to compare.
        this.loaded = false;
        break;
      }
    }
    this.startupLogs = byThread(this.labelled(wasmLogLines(this.log)), threadOrder(this.setup));
  }

  // Names each line's thread "main" or "worker N".
  private labelled(lines: WasmLogLine[]): WasmLogLine[] {
    return lines.map(({ thread, text }) => {
      if (!this.labels.has(thread)) {
        this.labels.set(thread, this.labels.size === 0 ? "main" : `worker ${this.labels.size - 1}`);
      }
      return { thread: this.labels.get(thread)!, text };
    });
  }

  /** Stops Envoy and the servers. */
  async stop(): Promise<void> {
    await this.proxy?.stop();
    await this.upstream.stop();
    await this.tcpUpstream.stop();
    for (const server of this.callouts.values()) await server.stop();
  }

  /** Everything Envoy printed so far. */
  get log(): string {
    return this.proxy?.log ?? "";
  }

  /**
   * Sends the case's request through Envoy and returns what the client, upstream, clusters, logs
   * and stats showed, and the connection it used.
   */
  async run(testCase: FidelityCase): Promise<{ observation: Observation; connection: Connection; worker: number }> {
    this.upstream.script = testCase.upstream ?? DEFAULT_UPSTREAM;
    this.tcpUpstream.reply = testCase.reply ?? "";
    if (testCase.delayMs !== undefined) await sleep(testCase.delayMs);
    const upstreamSeen = this.setup.network ? this.tcpUpstream.received.length : this.upstream.requests.length;
    const calloutsSeen = new Map([...this.callouts].map(([name, server]) => [name, server.requests.length]));
    const logStart = this.log.length;
    const statsBefore = await this.stats();
    const { response, clientPort } = await (this.setup.network ? this.converse(testCase) : this.send(testCase));
    await this.settle();
    const statsAfter = await this.stats();
    const callouts = [...this.callouts].flatMap(([cluster, server]) =>
      server.requests.slice(calloutsSeen.get(cluster)).map((r) => ({ cluster, ...r })),
    );
    const lines = this.labelled(wasmLogLines(this.log.slice(logStart)));
    const received = this.tcpUpstream.received[upstreamSeen];
    const tcpUpstream = received === undefined ? null : { method: "", path: "", headers: [], body: received };
    const observation = {
      response,
      upstream: this.setup.network ? tcpUpstream : (this.upstream.requests[upstreamSeen] ?? null),
      logs: threaded(this.setup) ? byThread(lines, threadOrder(this.setup)) : lines.map((l) => l.text),
      metrics: seriesDelta(statsBefore, statsAfter),
      callouts,
    };
    // The worker that served the request is the one whose thread logged first for it.
    const served = lines.find((line) => line.thread.startsWith("worker "))?.thread ?? "worker 0";
    const worker = Number(served.slice("worker ".length));
    return { observation, connection: { clientPort, listenerPort: this.listenerPort }, worker };
  }

  private async stats(): Promise<Map<string, bigint>> {
    const text = await fetch(`http://127.0.0.1:${this.adminPort}/stats/prometheus`).then((r) => r.text());
    return wasmSeries(text);
  }

  // Waits until no stream is active and Envoy's output has been quiet for a while, so on_log,
  // on_done and on_delete of the last stream are in the log.
  private async settle(quietMs = QUIET_MS): Promise<void> {
    const deadline = Date.now() + 5_000;
    let length = -1;
    let quietSince = Date.now();
    while (Date.now() < deadline) {
      // A TCP conversation has ended (the client saw the close) before the runner settles.
      const active = this.setup.network
        ? ": 0"
        : await fetch(`http://127.0.0.1:${this.adminPort}/stats?filter=^http\\.fidelity\\.downstream_rq_active$`).then(
            (r) => r.text(),
          );
      if (this.log.length !== length) {
        length = this.log.length;
        quietSince = Date.now();
      } else if (/: 0\s*$/.test(active) && Date.now() - quietSince >= quietMs) return;
      await sleep(25);
    }
  }

  // A TCP conversation: each write once the previous one settled, then a half close; the result
  // is what the client received until Envoy closed the connection.
  private async converse(testCase: FidelityCase): Promise<{ response: Observation["response"]; clientPort: number }> {
    const socket = connect({ host: "127.0.0.1", port: this.listenerPort, allowHalfOpen: true });
    const chunks: Buffer[] = [];
    socket.on("data", (chunk: Buffer) => chunks.push(chunk));
    socket.on("error", () => socket.destroy());
    const closed = new Promise<void>((resolve) => socket.on("close", () => resolve()));
    await new Promise<void>((resolve) => socket.on("connect", () => resolve()));
    const clientPort = socket.localPort ?? 0;
    for (const write of testCase.writes ?? []) {
      if (socket.destroyed) break;
      socket.write(write);
      await this.settle();
    }
    if (!socket.destroyed) socket.end();
    await Promise.race([closed, sleep(1_000)]);
    socket.destroy();
    const body = Buffer.concat(chunks).toString("utf8");
    return { response: { status: 0, headers: [], body }, clientPort };
  }

  private send(testCase: FidelityCase): Promise<{ response: Observation["response"]; clientPort: number }> {
    const flat = clientHeaders(testCase).flat();
    let clientPort = 0;
    return new Promise((resolve, reject) => {
      const req = request(
        {
          host: "127.0.0.1",
          port: this.listenerPort,
          path: testCase.path ?? "/",
          method: testCase.method ?? "GET",
          headers: ["host", testCase.authority ?? AUTHORITY, ...flat],
          agent: false,
        },
        (res) => {
          const chunks: Buffer[] = [];
          res.on("data", (chunk: Buffer) => chunks.push(chunk));
          res.on("end", () => {
            const headers: Headers = [];
            for (let i = 0; i < res.rawHeaders.length; i += 2) {
              headers.push([res.rawHeaders[i]!.toLowerCase(), res.rawHeaders[i + 1]!]);
            }
            const body = Buffer.concat(chunks).toString("utf8");
            resolve({ response: { status: res.statusCode ?? 0, headers, body }, clientPort });
          });
        },
      );
      req.on("socket", (socket) => socket.on("connect", () => (clientPort = socket.localPort ?? 0)));
      req.on("error", reject);
      if (testCase.abortAfterMs !== undefined) {
        const abort = setTimeout(() => {
          req.destroy();
          resolve({ response: { status: 0, headers: [], body: "" }, clientPort });
        }, testCase.abortAfterMs);
        req.on("response", () => clearTimeout(abort));
      }
      req.end(testCase.body ?? "");
    });
  }
}
