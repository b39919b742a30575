// The harness side of the differential runner: one Plugin per setup, and each case driven
// through it the way Envoy's connection manager and router drive the filter.

import {
  FilterStatus,
  type HttpCall,
  HttpStream,
  LogLevel,
  ModuleLoadError,
  Plugin,
  headerBytes,
} from "../../harness/index.js";
import { HostEnvironment } from "../../harness/index.js";
import { byThread, seriesDelta, threadOrder, wasmSeries } from "./envoy-log.js";
import { AUTHORITY, DEFAULT_UPSTREAM, clientHeaders } from "./requests.js";
import {
  type FidelityCase,
  type FidelitySetup,
  type Headers,
  type Observation,
  type ObservedCallout,
  type ScriptedResponse,
  threaded,
} from "./types.js";

/** The loopback connection the Envoy run used, so connection attributes agree. */
export interface Connection {
  clientPort: number;
  listenerPort: number;
}

// The loopback addresses Envoy's connection had.
function connectionAttributes(connection: Connection): Record<string, string | number> {
  return {
    "source.address": `127.0.0.1:${connection.clientPort}`,
    "source.port": connection.clientPort,
    "destination.address": `127.0.0.1:${connection.listenerPort}`,
    "destination.port": connection.listenerPort,
  };
}

/** The x-request-id the harness's requests carry (Envoy generates a random one). */
export const HARNESS_REQUEST_ID = "00000000-0000-4000-8000-000000000000";

const SPDLOG_LEVELS: Record<LogLevel, string> = {
  [LogLevel.Trace]: "trace",
  [LogLevel.Debug]: "debug",
  [LogLevel.Info]: "info",
  [LogLevel.Warn]: "warning",
  [LogLevel.Error]: "error",
  [LogLevel.Critical]: "critical",
  [LogLevel.Off]: "off",
};

const decode = (bytes: Uint8Array) => new TextDecoder().decode(bytes);

// The methods Node's HTTP client sends without chunked framing when no body is given.
const BODILESS_METHODS = new Set(["GET", "HEAD", "DELETE", "OPTIONS", "TRACE", "CONNECT"]);

// A header as Node's HTTP parser shows it on the Envoy side: each byte as one latin1 character.
const onWire = (headers: Headers): Headers =>
  headers.map(([name, value]) => [name, Buffer.from(headerBytes(value)).toString("latin1")]);

// The upstream's response as the router hands it to the filter: the status, the server's headers,
// its content-length (Node sends none for 204 and 304), then x-envoy-upstream-service-time. A
// callout's response also keeps the connection header Node's server sends: the async client
// passes it on as it came.
function upstreamHeaders(response: ScriptedResponse, callout = false): Headers {
  const length: Headers =
    response.status === 204 || response.status === 304
      ? []
      : [["content-length", String(Buffer.byteLength(response.body ?? ""))]];
  const connection: Headers = callout ? [["connection", "keep-alive"]] : [];
  return [
    [":status", String(response.status)],
    ...(response.headers ?? []),
    ...length,
    ...connection,
    ["x-envoy-upstream-service-time", "0"],
  ];
}

/** A harness plugin loaded as the setup describes, running one case at a time. */
export class HarnessSide {
  private constructor(
    private readonly plugin: Plugin | null,
    private readonly setup: FidelitySetup,
    /** Why the harness refused the module or the plugin did not start; null when it runs. */
    readonly failure: string | null,
  ) {
    this.loadLogCount = plugin?.logs.length ?? 0;
  }

  private readonly loadLogCount: number;

  /**
   * Loads the setup's module in a host whose clusters are the upstream and the callout clusters;
   * a module the harness refuses, or a plugin that does not start, is an outcome to compare.
   */
  static async load(setup: FidelitySetup): Promise<HarnessSide> {
    const environment = new HostEnvironment({ clusters: ["upstream", ...Object.keys(setup.callouts ?? {})] });
    let plugin: Plugin;
    try {
      plugin = await Plugin.load(setup.wasm, {
        name: setup.name,
        rootId: setup.rootId ?? "",
        vmId: setup.name,
        configuration: setup.configuration ?? "",
        failurePolicy: setup.failurePolicy ?? "FAIL_CLOSED",
        ...(setup.reloadBackoffMs === undefined ? {} : { reloadBackoffMs: setup.reloadBackoffMs }),
        logLevel: LogLevel.Debug,
        environment,
        workers: setup.workers ?? 1,
      });
    } catch (error) {
      if (!(error instanceof ModuleLoadError)) throw error;
      return new HarnessSide(null, setup, error.message);
    }
    if (plugin.status !== "running") return new HarnessSide(plugin, setup, plugin.failure ?? plugin.status);
    if (setup.clockMs !== undefined) environment.clock.advance(setup.clockMs);
    return new HarnessSide(plugin, setup, null);
  }

  // The plugin, for cases: only a setup that loaded on both sides runs them.
  private get running(): Plugin {
    if (!this.plugin || this.failure !== null) throw new Error(`${this.setup.name} is not running: ${this.failure}`);
    return this.plugin;
  }

  /** True when the plugin runs (Envoy would accept the configuration). */
  get loaded(): boolean {
    return this.failure === null;
  }

  /** The log lines the plugin wrote while loading (canary, main thread and worker instances), by thread. */
  get startupLogs(): string[] {
    return byThread(this.lines(0, this.loadLogCount), threadOrder(this.setup));
  }

  // Log entries from `start` to `end` with Envoy's level names; the base instance and the canary
  // run on the main thread.
  private lines(start: number, end?: number): { thread: string; text: string }[] {
    return (this.plugin?.logs ?? []).slice(start, end).map((e) => ({
      thread: e.thread === "canary" || e.thread === "base" ? "main" : e.thread,
      text: `${SPDLOG_LEVELS[e.level]} ${e.message}`,
    }));
  }

  /** Runs the case on worker `worker` and returns what the client, upstream, clusters, logs and stats showed. */
  run(testCase: FidelityCase, connection: Connection, worker: number): Observation {
    const logStart = this.running.logs.length;
    const statsBefore = wasmSeries(this.running.environment.metrics.prometheus());
    const callouts: ObservedCallout[] = [];
    if (testCase.delayMs !== undefined) this.running.environment.clock.advance(testCase.delayMs);
    const seen = this.setup.network
      ? this.converse(testCase, connection, worker)
      : this.exchange(testCase, connection, worker, callouts);
    if (this.setup.clockMs !== undefined) this.running.environment.clock.advance(this.setup.clockMs);
    const lines = this.lines(logStart);
    return {
      ...seen,
      logs: threaded(this.setup) ? byThread(lines, threadOrder(this.setup)) : lines.map((l) => l.text),
      metrics: seriesDelta(statsBefore, wasmSeries(this.running.environment.metrics.prometheus())),
      callouts,
    };
  }

  // A TCP conversation as Envoy's tcp_proxy drives the network filter: each write, the upstream's
  // reply once the first bytes reached it, the client's half close, the upstream's, then the close.
  private converse(
    testCase: FidelityCase,
    connection: Connection,
    worker: number,
  ): Pick<Observation, "response" | "upstream"> {
    const stream = this.running.newTcpStream(worker, { attributes: connectionAttributes(connection) });
    let replied = false;
    const replyOnce = () => {
      if (replied || stream.completed || stream.upstreamReceived.data.length === 0) return;
      replied = true;
      if (testCase.reply) stream.sendUpstreamData(testCase.reply, false);
    };
    for (const write of testCase.writes ?? []) {
      if (stream.completed) break;
      stream.sendDownstreamData(write, false);
      replyOnce();
    }
    // The upstream half-closes when the client's end reached it (a filter holding the data holds
    // the end too); tcp_proxy then closes the connection itself (a local close for the filter).
    if (!stream.completed) stream.sendDownstreamData("", true);
    if (!stream.completed && stream.upstreamReceived.ended) stream.sendUpstreamData("", true);
    if (!stream.completed && stream.upstreamClosed) stream.closeDownstream("local");
    // tcp_proxy connects upstream unless on_new_connection stopped the connection.
    const connected = stream.newConnectionStatus === FilterStatus.Continue;
    return {
      response: { status: 0, headers: [], body: decode(stream.downstreamReceived.data) },
      upstream: connected ? { method: "", path: "", headers: [], body: decode(stream.upstreamReceived.data) } : null,
    };
  }

  // An HTTP request and its response, as the connection manager and the router drive the filter.
  private exchange(
    testCase: FidelityCase,
    connection: Connection,
    worker: number,
    callouts: ObservedCallout[],
  ): Pick<Observation, "response" | "upstream"> {
    const stream = this.running.newHttpStream(worker, {
      attributes: {
        ...connectionAttributes(connection),
        // The names the generated bootstrap gives the route's virtual host and (unnamed) route.
        "xds.virtual_host_name": "all",
        "xds.route_name": "",
      },
    });
    // HTTP/1.1 ends a request at its headers when it has no body, except that Node's client
    // frames an empty body of a method that usually has one as chunked: Envoy then sees the end
    // of stream in an empty body frame.
    const body = testCase.body ?? "";
    const emptyChunked = testCase.body === undefined && !BODILESS_METHODS.has(testCase.method ?? "GET");
    stream.sendRequestHeaders(this.requestHeaders(testCase), body === "" && !emptyChunked);
    this.answerCallouts(callouts);
    if (emptyChunked && !stream.completed) stream.sendRequestBody("", true);
    this.answerCallouts(callouts);
    if (body !== "" && !stream.completed) this.sendBody(stream, "request", body, callouts);
    if (stream.upstreamRequest.ended && !stream.localReply && !stream.completed) {
      const response = testCase.upstream ?? DEFAULT_UPSTREAM;
      const text = response.body ?? "";
      stream.sendResponseHeaders(upstreamHeaders(response), text === "");
      this.answerCallouts(callouts);
      if (text !== "" && !stream.completed) this.sendBody(stream, "response", text, callouts);
    }
    // A client that gives up resets the stream: Envoy logs and destroys it.
    if (testCase.abortAfterMs !== undefined && !stream.completed && !stream.downstreamResponse.headers)
      stream.complete();
    return { response: this.clientResponse(stream), upstream: this.upstreamRequest(stream) };
  }

  // Envoy's HTTP/1.1 codec delivers a content-length body as one chunk, then ends the stream
  // with an empty chunk when the message completes.
  private sendBody(stream: HttpStream, direction: "request" | "response", body: string, seen: ObservedCallout[]): void {
    const send = (data: string, end: boolean) =>
      direction === "request" ? stream.sendRequestBody(data, end) : stream.sendResponseBody(data, end);
    send(body, false);
    this.answerCallouts(seen);
    if (!stream.completed) send("", true);
    this.answerCallouts(seen);
  }

  // The request headers as Envoy's connection manager hands them to the first filter.
  private requestHeaders(testCase: FidelityCase): Headers {
    return [
      [":authority", testCase.authority ?? AUTHORITY],
      [":path", testCase.path ?? "/"],
      [":method", testCase.method ?? "GET"],
      [":scheme", "http"],
      ...clientHeaders(testCase),
      ["x-forwarded-proto", "http"],
      ["x-request-id", HARNESS_REQUEST_ID],
    ];
  }

  // Answers every pending callout with its cluster's script, oldest first, until none is left.
  private answerCallouts(seen: ObservedCallout[]): void {
    for (let call = this.running.httpCalls[0]; call; call = this.running.httpCalls[0]) {
      seen.push(observedCallout(call));
      const script = this.setup.callouts?.[call.cluster];
      if (!script) throw new Error(`no script for callout cluster ${call.cluster}`);
      if ("reset" in script) call.resetConnection();
      // A cluster that never answers: the router's timeout fires (no timeout would hang Envoy's case too).
      else if ("stall" in script) {
        if (call.timeoutMs === 0) throw new Error(`a callout to the stalled cluster ${call.cluster} needs a timeout`);
        this.running.environment.clock.advance(call.timeoutMs);
      } else call.respond({ headers: upstreamHeaders(script, true), body: script.body ?? "" });
    }
  }

  private clientResponse(stream: HttpStream): Observation["response"] {
    const delivered = stream.downstreamResponse;
    const headers = delivered.headers?.all() ?? [];
    const status = Number(headers.find(([k]) => k === ":status")?.[1] ?? 0);
    return { status, headers: onWire(headers.filter(([k]) => k !== ":status")), body: decode(delivered.body) };
  }

  private upstreamRequest(stream: HttpStream): Observation["upstream"] {
    // The scripted server records a request once it is complete, so only an ended one counts.
    const sent = stream.upstreamRequest;
    if (!sent.headers || !sent.ended) return null;
    const all = sent.headers.all();
    return {
      method: all.find(([k]) => k === ":method")?.[1] ?? "",
      path: all.find(([k]) => k === ":path")?.[1] ?? "",
      headers: onWire(all),
      body: decode(sent.body),
    };
  }
}

function observedCallout(call: HttpCall): ObservedCallout {
  return {
    cluster: call.cluster,
    method: call.header(":method") ?? "",
    path: call.header(":path") ?? "",
    headers: onWire(call.headers),
    body: decode(call.body),
  };
}
