// The harness side of the differential runner: one Plugin per setup, and each case driven
// through it the way Envoy's connection manager and router drive the filter.

import { type HttpCall, HttpStream, Plugin, LogLevel } from "../../harness/index.js";
import { HostEnvironment } from "../../harness/index.js";
import { seriesDelta, wasmSeries } from "./envoy-log.js";
import { AUTHORITY, DEFAULT_UPSTREAM, clientHeaders } from "./requests.js";
import {
  type FidelityCase,
  type FidelitySetup,
  type Headers,
  type Observation,
  type ObservedCallout,
  type ScriptedResponse,
} from "./types.js";

/** The loopback connection the Envoy run used, so connection attributes agree. */
export interface Connection {
  clientPort: number;
  listenerPort: number;
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

// The upstream's response as the router hands it to the filter: the status, the server's headers,
// its content-length (Node sends none for 204 and 304), then x-envoy-upstream-service-time.
function upstreamHeaders(response: ScriptedResponse): Headers {
  const length: Headers =
    response.status === 204 || response.status === 304
      ? []
      : [["content-length", String(Buffer.byteLength(response.body ?? ""))]];
  return [
    [":status", String(response.status)],
    ...(response.headers ?? []),
    ...length,
    ["x-envoy-upstream-service-time", "0"],
  ];
}

/** A harness plugin loaded as the setup describes, running one case at a time. */
export class HarnessSide {
  private constructor(
    private readonly plugin: Plugin,
    private readonly setup: FidelitySetup,
  ) {
    this.loadLogCount = plugin.logs.length;
  }

  private readonly loadLogCount: number;

  /** Loads the setup's module in a host whose clusters are the upstream and the callout clusters. */
  static async load(setup: FidelitySetup): Promise<HarnessSide> {
    const environment = new HostEnvironment({ clusters: ["upstream", ...Object.keys(setup.callouts ?? {})] });
    const plugin = await Plugin.load(setup.wasm, {
      name: setup.name,
      rootId: setup.rootId ?? "",
      vmId: setup.name,
      configuration: setup.configuration ?? "",
      failurePolicy: setup.failurePolicy ?? "FAIL_CLOSED",
      logLevel: LogLevel.Debug,
      environment,
    });
    if (plugin.status !== "running") throw new Error(`${setup.name} did not start: ${plugin.failure}`);
    return new HarnessSide(plugin, setup);
  }

  /** The log lines the plugin wrote while loading (canary and worker instances). */
  get startupLogs(): string[] {
    return this.plugin.logs.slice(0, this.loadLogCount).map((e) => `${SPDLOG_LEVELS[e.level]} ${e.message}`);
  }

  /** Runs the case and returns what the client, upstream, clusters, logs and stats showed. */
  run(testCase: FidelityCase, connection: Connection): Observation {
    const logStart = this.plugin.logs.length;
    const statsBefore = wasmSeries(this.plugin.environment.metrics.prometheus());
    const callouts: ObservedCallout[] = [];
    const stream = this.plugin.newHttpStream(0, {
      attributes: {
        "source.address": `127.0.0.1:${connection.clientPort}`,
        "source.port": connection.clientPort,
        "destination.address": `127.0.0.1:${connection.listenerPort}`,
        "destination.port": connection.listenerPort,
        // The names the generated bootstrap gives the route's virtual host and (unnamed) route.
        "xds.virtual_host_name": "all",
        "xds.route_name": "",
      },
    });
    // HTTP/1.1 ends a request at its headers when it has no body or content-length 0.
    const body = testCase.body ?? "";
    stream.sendRequestHeaders(this.requestHeaders(testCase), body === "");
    this.answerCallouts(callouts);
    if (body !== "" && !stream.completed) this.sendBody(stream, "request", body, callouts);
    if (stream.upstreamRequest.ended && !stream.localReply && !stream.completed) {
      const response = testCase.upstream ?? DEFAULT_UPSTREAM;
      const text = response.body ?? "";
      stream.sendResponseHeaders(upstreamHeaders(response), text === "");
      this.answerCallouts(callouts);
      if (text !== "" && !stream.completed) this.sendBody(stream, "response", text, callouts);
    }
    return {
      response: this.clientResponse(stream),
      upstream: this.upstreamRequest(stream),
      logs: this.plugin.logs.slice(logStart).map((e) => `${SPDLOG_LEVELS[e.level]} ${e.message}`),
      metrics: seriesDelta(statsBefore, wasmSeries(this.plugin.environment.metrics.prometheus())),
      callouts,
    };
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
      [":authority", AUTHORITY],
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
    for (let call = this.plugin.httpCalls[0]; call; call = this.plugin.httpCalls[0]) {
      seen.push(observedCallout(call));
      const script = this.setup.callouts?.[call.cluster];
      if (!script) throw new Error(`no script for callout cluster ${call.cluster}`);
      if ("reset" in script) call.fail();
      else call.respond({ headers: upstreamHeaders(script), body: script.body ?? "" });
    }
  }

  private clientResponse(stream: HttpStream): Observation["response"] {
    const delivered = stream.downstreamResponse;
    const headers = delivered.headers?.all() ?? [];
    const status = Number(headers.find(([k]) => k === ":status")?.[1] ?? 0);
    return { status, headers: headers.filter(([k]) => k !== ":status"), body: decode(delivered.body) };
  }

  private upstreamRequest(stream: HttpStream): Observation["upstream"] {
    // The scripted server records a request once it is complete, so only an ended one counts.
    const sent = stream.upstreamRequest;
    if (!sent.headers || !sent.ended) return null;
    const all = sent.headers.all();
    return {
      method: all.find(([k]) => k === ":method")?.[1] ?? "",
      path: all.find(([k]) => k === ":path")?.[1] ?? "",
      headers: all,
      body: decode(sent.body),
    };
  }
}

function observedCallout(call: HttpCall): ObservedCallout {
  return {
    cluster: call.cluster,
    method: call.header(":method") ?? "",
    path: call.header(":path") ?? "",
    headers: call.headers,
    body: decode(call.body),
  };
}
