// The scenario runner: loads a module as Envoy would with a scenario's plugin and host settings,
// plays its steps (stream events, callout answers, clock moves) through the harness API, and
// returns a JSON transcript of what each step changed. Host behaviour lives in the harness; this
// file only maps steps onto it and records the results.

import { readFile } from "node:fs/promises";
import { dirname, resolve } from "node:path";
import { FilterHeadersStatus } from "./abi/types.js";
import { GrpcCall, HttpCall } from "./host/callouts.js";
import { HostEnvironment } from "./host/environment.js";
import { type HttpStream } from "./host/http-stream.js";
import { HostCallTrace } from "./host/trace.js";
import { Plugin, type PluginOptions, type PluginStatus } from "./plugin.js";
import {
  type CalloutSelector,
  parseScenario,
  type Scenario,
  ScenarioError,
  type ScenarioStep,
} from "./scenario-parse.js";
import {
  bytesReport,
  type CalloutReport,
  calloutReport,
  type LogReport,
  logReport,
  metricChanges,
  metricValues,
  type StreamReport,
  streamReport,
} from "./scenario-report.js";

export { parseScenario, ScenarioError, type Scenario, type ScenarioStep } from "./scenario-parse.js";
export type { CalloutReport, DeliveredReport, LogReport, StreamReport } from "./scenario-report.js";

/** What one step did. */
export interface StepReport {
  index: number;
  step: ScenarioStep["kind"];
  /** The stream a stream step acted on. */
  stream?: string;
  /** The callout a callout step answered. */
  call?: { type: "http" | "grpc"; token: number; cluster: string };
  /** For header steps: the status Envoy acts on, after its remapping (abi.md 4.3). */
  status?: string;
  /** How far the clock moved (advance_clock, and timeouts, which move it to the deadline). */
  advanced_ms?: number;
  /** The step's own stream and every other stream the step changed, as they stand after it. */
  streams: Record<string, StreamReport>;
  logs: LogReport[];
  /** Callouts the module made during the step. */
  callouts: CalloutReport[];
  /** Metric samples that changed during the step (histogram buckets left out). */
  metrics: Record<string, number>;
  /** Host calls made during the step, per stream name ("(root)" for root contexts). */
  host_calls: Record<string, number>;
}

/** The whole run. */
export interface Transcript {
  description: string;
  plugin: { name: string; root_id: string; status: PluginStatus; failure: string | null; workers: number };
  /** Log lines and host calls while the canary, the main thread's instance and the workers started. */
  startup: { logs: LogReport[]; host_calls: number };
  steps: StepReport[];
  /** Every metric at the end: samples by `name{labels}`, or the Prometheus text. */
  metrics: Record<string, number> | string;
  /** Host calls per stream for the whole run, by import name. */
  host_calls: Record<string, Record<string, number>>;
  /** The trap that killed a worker VM, if one did. */
  trap: string | null;
}

/** A scenario file read from disk, with its module path resolved against the file's folder. */
export interface ScenarioFile {
  scenario: Scenario;
  module: string | null;
}

/** Reads and checks scenario file `path`; throws ScenarioError (JSON syntax errors at `$`). */
export async function readScenarioFile(path: string): Promise<ScenarioFile> {
  const text = await readFile(path, "utf8");
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (error) {
    throw new ScenarioError("$", `is not valid JSON: ${(error as Error).message}`);
  }
  const scenario = parseScenario(json);
  return { scenario, module: scenario.module === null ? null : resolve(dirname(path), scenario.module) };
}

const ROOT = "(root)";

/**
 * Runs `scenario` (see parseScenario) against module `wasm`. Throws
 * ScenarioError for a problem in the scenario (naming the step) and ModuleLoadError for a module
 * Envoy refuses; a plugin whose start or configure fails yields a transcript without steps.
 */
export async function runScenario(wasm: string | Uint8Array, s: Scenario): Promise<Transcript> {
  const environment = new HostEnvironment({
    clusters: s.host.clusters,
    statsTags: s.host.statsTags,
    ...(s.host.startTime === undefined ? {} : { startTime: s.host.startTime }),
  });
  const trace = new HostCallTrace();
  const options: PluginOptions = {
    ...s.plugin,
    logLevel: s.host.logLevel,
    workers: s.host.workers,
    environment,
    trace,
  };
  const plugin = await Plugin.load(wasm, options);
  const run = new Run(s, plugin, trace);
  const steps = plugin.status === "running" ? s.steps.map((step, i) => run.step(step, i)) : [];
  return {
    description: s.description,
    plugin: {
      name: plugin.spec.name,
      root_id: plugin.spec.rootId,
      status: plugin.status,
      failure: plugin.failure,
      workers: plugin.workerCount,
    },
    startup: run.startup,
    steps,
    metrics:
      s.metrics === "prometheus" ? environment.metrics.prometheus() : metricValues(environment.metrics.prometheus()),
    host_calls: Object.fromEntries([...run.streams].map(([name, stream]) => [name, trace.countsByName(stream)])),
    trap: plugin.trap?.message ?? null,
  };
}

// The state of one run: the streams by name and the marks that let each step report only its own effects.
class Run {
  readonly streams = new Map<string, HttpStream>();
  readonly startup: Transcript["startup"];
  private logged = 0;
  private traced = 0;

  constructor(
    private readonly scenario: Scenario,
    private readonly plugin: Plugin,
    private readonly trace: HostCallTrace,
  ) {
    this.startup = { logs: logReport(plugin.logs), host_calls: trace.calls.length };
    this.logged = plugin.logs.length;
    this.traced = trace.calls.length;
  }

  step(step: ScenarioStep, index: number): StepReport {
    const path = `$.steps[${index}]`;
    const own = "stream" in step ? step.stream : null;
    if (own !== null) this.stream(own);
    const before = new Map(
      [...this.streams].map(([name, s]) => [name, { callbacks: s.callbacks.length, json: this.json(s) }]),
    );
    const calls = this.callouts();
    const sent = new Map(calls.filter((c) => c instanceof GrpcCall).map((c) => [c, c.messages.length]));
    const metricsBefore = metricValues(this.plugin.environment.metrics.prometheus());
    // Keys in reading order; the ones a step does not use stay undefined and are left out of the JSON.
    const report: StepReport = {
      index,
      step: step.kind,
      stream: own ?? undefined,
      call: undefined,
      status: undefined,
      advanced_ms: undefined,
      streams: {},
      logs: [],
      callouts: [],
      metrics: {},
      host_calls: {},
    };
    try {
      this.apply(step, report);
    } catch (error) {
      if (error instanceof ScenarioError) throw error;
      throw new ScenarioError(path, error instanceof Error ? error.message : String(error));
    }
    for (const [name, stream] of this.streams) {
      const was = before.get(name);
      if (name === own || !was || was.json !== this.json(stream)) {
        report.streams[name] = streamReport(stream, was?.callbacks ?? 0);
      }
    }
    report.logs = logReport(this.plugin.logs.slice(this.logged));
    this.logged = this.plugin.logs.length;
    report.callouts = this.newCallouts(calls, sent);
    report.metrics = metricChanges(metricsBefore, metricValues(this.plugin.environment.metrics.prometheus()));
    report.host_calls = this.hostCalls();
    return report;
  }

  private apply(step: ScenarioStep, report: StepReport): void {
    switch (step.kind) {
      case "request_headers":
      case "response_headers": {
        const stream = this.stream(step.stream);
        const status =
          step.kind === "request_headers"
            ? stream.sendRequestHeaders(step.headers, step.endOfStream)
            : stream.sendResponseHeaders(step.headers, step.endOfStream);
        report.status = FilterHeadersStatus[status];
        return;
      }
      case "request_body":
        return this.stream(step.stream).sendRequestBody(step.body, step.endOfStream);
      case "response_body":
        return this.stream(step.stream).sendResponseBody(step.body, step.endOfStream);
      case "request_trailers":
        return this.stream(step.stream).sendRequestTrailers(step.trailers);
      case "response_trailers":
        return this.stream(step.stream).sendResponseTrailers(step.trailers);
      case "complete":
        return this.stream(step.stream).complete();
      case "advance_clock":
        this.plugin.environment.clock.advance(step.ms);
        report.advanced_ms = step.ms;
        return;
      case "shutdown":
        return this.plugin.shutdown();
      case "http_call_response":
        return this.httpCall(step.call, report).respond({
          headers: step.headers,
          body: step.body,
          trailers: step.trailers,
        });
      case "http_call_failure":
        return this.httpCall(step.call, report).fail();
      case "http_call_reset":
        return this.httpCall(step.call, report).resetConnection();
      case "http_call_timeout":
        report.advanced_ms = this.untilTimeout(this.httpCall(step.call, report));
        return;
      case "grpc_timeout":
        report.advanced_ms = this.untilTimeout(this.grpcCall(step.call, report));
        return;
      case "grpc_response":
        return this.grpcCall(step.call, report).respond(step.message);
      case "grpc_message":
        return this.grpcCall(step.call, report).sendMessage(step.message);
      case "grpc_initial_metadata":
        return this.grpcCall(step.call, report).sendInitialMetadata(step.metadata);
      case "grpc_trailing_metadata":
        return this.grpcCall(step.call, report).sendTrailingMetadata(step.metadata);
      case "grpc_close":
        return this.grpcCall(step.call, report).close(step.status, step.message);
    }
  }

  private stream(name: string): HttpStream {
    let stream = this.streams.get(name);
    if (!stream) {
      const settings = this.scenario.streams[name] ?? { worker: 0, properties: {} };
      stream = this.plugin.newHttpStream(settings.worker, { attributes: settings.properties });
      this.streams.set(name, stream);
    }
    return stream;
  }

  private json(stream: HttpStream): string {
    return JSON.stringify(streamReport(stream, stream.callbacks.length));
  }

  private callouts(): (HttpCall | GrpcCall)[] {
    return [...this.plugin.httpCalls, ...this.plugin.grpcCalls];
  }

  private httpCall(selector: CalloutSelector, report: StepReport): HttpCall {
    return this.select(this.plugin.httpCalls, selector, "HTTP call", report);
  }

  private grpcCall(selector: CalloutSelector, report: StepReport): GrpcCall {
    return this.select(this.plugin.grpcCalls, selector, "gRPC call", report);
  }

  private select<T extends HttpCall | GrpcCall>(
    pending: T[],
    selector: CalloutSelector,
    what: string,
    report: StepReport,
  ): T {
    const matching = pending.filter(
      (c) =>
        (selector.cluster === undefined || c.cluster === selector.cluster) &&
        (selector.service === undefined || (c instanceof GrpcCall && c.service === selector.service)) &&
        (selector.method === undefined || (c instanceof GrpcCall && c.method === selector.method)),
    );
    const call = matching[selector.index];
    if (!call) {
      const open = pending.map((c) => `${c.cluster}#${c.token}`).join(", ") || "none";
      const { index, ...filter } = selector;
      throw new Error(`no pending ${what} number ${index} matching ${JSON.stringify(filter)} (pending: ${open})`);
    }
    report.call = { type: call instanceof GrpcCall ? "grpc" : "http", token: call.token, cluster: call.cluster };
    return call;
  }

  // Moves the clock a millisecond at a time until the call's own timer fires, so ticks and other
  // timers due on the way fire in order, as they would in Envoy.
  private untilTimeout(call: HttpCall | GrpcCall): number {
    if (call.timeoutMs === 0) throw new Error(`call ${call.cluster}#${call.token} has no timeout`);
    let moved = 0;
    while (call.state === "pending" && moved < call.timeoutMs) {
      this.plugin.environment.clock.advance(1);
      moved++;
    }
    return moved;
  }

  private newCallouts(before: (HttpCall | GrpcCall)[], sent: Map<GrpcCall, number>): CalloutReport[] {
    const known = new Set(before);
    const reports: CalloutReport[] = [];
    for (const call of this.callouts()) {
      if (!known.has(call)) reports.push(calloutReport(call));
      else if (call instanceof GrpcCall && call.messages.length > (sent.get(call) ?? 0)) {
        reports.push({
          type: "grpc_send",
          token: call.token,
          cluster: call.cluster,
          messages: call.messages.slice(sent.get(call)).map((m) => bytesReport("message", m)),
          closed: call.localClosed,
        });
      }
    }
    return reports;
  }

  private hostCalls(): Record<string, number> {
    const names = new Map<object, string>([...this.streams].map(([name, stream]) => [stream, name]));
    const counts: Record<string, number> = {};
    for (const call of this.trace.calls.slice(this.traced)) {
      const name = (call.context && names.get(call.context)) ?? ROOT;
      counts[name] = (counts[name] ?? 0) + 1;
    }
    this.traced = this.trace.calls.length;
    return counts;
  }
}
