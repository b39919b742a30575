// Glue between the host and the telemetry: remember what only the request headers tell (authority,
// gRPC, the peer's metadata, the trace context), and at the end of the stream (onLog, when
// response attributes and durations are known) report the metrics and write the access log line.

import {
  Counter,
  EnvoyAttributes,
  FilterHeadersStatus,
  HttpContext,
  Label,
  RootContext,
  fillRandom,
  getProperty,
  logError,
  logInfo,
  pluginConfigurationJson,
  randomBytes,
  request,
  response,
  setTickPeriod,
} from "../../assembly";
import { accessLogLine } from "./access-log";
import { CollectorConfig } from "./access-log-config";
import { Collector } from "./collector";
import { TelemetryConfig, parseConfig } from "./config";
import { LastLabelSets, MetricFamily } from "./families";
import { Headers } from "./headers";
import { labelValue, metricAmount, usesCel } from "./metric-values";
import { Random } from "./random";
import { RequestAttributes } from "./request-attributes";
import { Reporter, RequestFacts } from "./standard";
import { TraceContext, generateTraceContext, parseB3, parseTraceparent, validTracestate } from "./trace-context";
import { Workload, workloadFromNode, workloadFromPeerHeader } from "./workload";

const PEER_METADATA = "x-envoy-peer-metadata";

// The random bytes of each trace a request starts (16 for the trace id, 8 for the span id), filled again each time.
@lazy const traceBytes = new Uint8Array(24);

/** The plugin: the configuration, the metric families, the collector. */
export class TelemetryRoot extends RootContext {
  config: TelemetryConfig = new TelemetryConfig();
  families: Array<MetricFamily> = [];
  labelSets: LastLabelSets = new LastLabelSets(0);
  /** What the standard labels of the request now ending are computed from. */
  facts: RequestFacts = new RequestFacts(Reporter.Destination, true);
  /** Whether a metric's value or label is CEL, so a request needs its attributes for them. */
  metricsUseCel: bool = false;
  collector: Collector | null = null;
  random: Random = new Random(1);
  private localWorkload: Workload | null = null;
  /** Traces this filter started. */
  traceStarted: Counter | null = null;
  /** Requests whose traceparent was present but invalid. */
  traceparentInvalid: Counter | null = null;

  onConfigure(size: u32): bool {
    const json = pluginConfigurationJson();
    if (!json.ok) {
      logError("telemetry: invalid configuration: not JSON at byte " + json.offset.toString() + ": " + json.error);
      return false;
    }
    const parsed = parseConfig(json.value!);
    const config = parsed.config;
    if (config == null) {
      logError("telemetry: invalid configuration: " + parsed.error);
      return false;
    }
    this.config = config;
    this.families = [];
    this.labelSets = new LastLabelSets(config.metrics.length);
    this.facts = new RequestFacts(config.reporter, !config.disableHostHeaderFallback);
    this.metricsUseCel = usesCel(config.metrics);
    for (let i = 0; i < config.metrics.length; i++) {
      const metric = config.metrics[i];
      const names = new Array<string>();
      for (let j = 0; j < metric.labels.length; j++) names.push(metric.labels[j].name);
      const dropped = Counter.define("telemetry_label_sets_dropped", [new Label("metric", metric.name)]);
      this.families.push(new MetricFamily(metric.name, metric.type, names, config.maxLabelSets, dropped));
    }
    this.traceStarted = Counter.define("telemetry_traces_started");
    this.traceparentInvalid = Counter.define("telemetry_traceparent_invalid");
    const seed = randomBytes(8);
    if (seed != null) this.random = new Random(load<u64>(seed.dataStart));
    const accessLog = config.accessLog;
    const collector: CollectorConfig | null = accessLog == null ? null : accessLog.collector;
    this.collector = collector == null ? null : new Collector(collector);
    if (collector != null) setTickPeriod(collector.flushIntervalMs);
    return true;
  }

  onTick(): void {
    const collector = this.collector;
    if (collector != null) collector.flush();
  }

  /** The workload this filter runs in, from the node metadata (read once). */
  local(): Workload {
    let local = this.localWorkload;
    if (local == null) {
      const node = getProperty(["xds", "node"]);
      local = workloadFromNode(node == null ? new ArrayBuffer(0) : node);
      this.localWorkload = local;
    }
    return local;
  }

  newHttpContext(contextId: u32): HttpContext | null {
    return new TelemetryStream(contextId, this.id, this);
  }
}

class TelemetryStream extends HttpContext {
  private authority: string | null = null;
  private grpc: bool = false;
  private peer: Workload | null = null;
  private trace: TraceContext | null = null;

  constructor(
    id: u32,
    rootId: u32,
    private root: TelemetryRoot,
  ) {
    super(id, rootId);
  }

  onRequestHeaders(headerCount: u32, endOfStream: bool): FilterHeadersStatus {
    const headers = new Headers(request.headers.getAll());
    this.authority = headers.get(":authority");
    const contentType = headers.get("content-type");
    this.grpc = contentType != null && contentType.startsWith("application/grpc");
    if (this.root.config.reporter != Reporter.Source) this.peer = peerOf(headers.get(PEER_METADATA));
    if (this.root.config.tracing.enabled) this.trace = this.traceContext(headers);
    return FilterHeadersStatus.Continue;
  }

  onResponseHeaders(headerCount: u32, endOfStream: bool): FilterHeadersStatus {
    if (this.root.config.reporter == Reporter.Source) this.peer = peerOf(response.headers.get(PEER_METADATA));
    return FilterHeadersStatus.Continue;
  }

  onLog(): void {
    const root = this.root;
    const config = root.config;
    const accessLog = config.accessLog;
    const facts = root.facts;
    const attributes = root.metricsUseCel || accessLog != null ? new RequestAttributes(facts) : null;
    facts.reset(root.local(), this.peer, this.authority, this.grpc);
    this.report(facts, attributes);
    if (accessLog == null) return;
    const line = accessLogLine(accessLog, attributes!, facts, this.trace, root.random.next());
    if (line == null) return;
    if (accessLog.toEnvoyLog) logInfo(line);
    const collector = root.collector;
    if (collector != null) collector.add(line);
  }

  // Each group of metrics with the same labels computes its label set (and its key) once.
  private report(facts: RequestFacts, attributes: EnvoyAttributes | null): void {
    const metrics = this.root.config.metrics;
    let group = -1;
    let labels: Array<string> | null = null;
    let key = "";
    for (let i = 0; i < metrics.length; i++) {
      const metric = metrics[i];
      if (!metric.enabled) continue;
      const amount = metricAmount(metric, attributes);
      if (amount < 0) continue;
      if (metric.group != group) {
        group = metric.group;
        const labelSets = this.root.labelSets;
        const computed = labelSets.spare(group, metric.labels.length);
        for (let j = 0; j < metric.labels.length; j++) computed[j] = labelValue(metric.labels[j], facts, attributes);
        key = labelSets.key(group, computed);
        labels = computed;
      }
      this.root.families[i].report(key, labels!, <u64>amount);
    }
  }

  // W3C traceparent (with tracestate), else B3; starts a trace when configured and none is valid.
  private traceContext(headers: Headers): TraceContext | null {
    const traceparent = headers.get("traceparent");
    if (traceparent != null) {
      const parsed = parseTraceparent(traceparent);
      if (parsed != null) {
        const tracestate = headers.get("tracestate");
        if (tracestate != null) {
          if (validTracestate(tracestate)) parsed.tracestate = tracestate;
          else request.headers.remove("tracestate");
        }
        return parsed;
      }
      this.root.traceparentInvalid!.increment();
    }
    const b3 = parseB3(
      headers.get("b3"),
      headers.get("x-b3-traceid"),
      headers.get("x-b3-spanid"),
      headers.get("x-b3-sampled"),
      headers.get("x-b3-flags"),
    );
    if (b3 != null) return b3;
    const tracing = this.root.config.tracing;
    if (!tracing.startIfAbsent) return null;
    const bytes = traceBytes;
    if (!fillRandom(bytes)) return null;
    const started = generateTraceContext(bytes, tracing.sampled);
    request.headers.replace("traceparent", started.traceparent());
    // A tracestate belongs to the trace it came with; the headers read above tell whether one came.
    if (headers.get("tracestate") != null) request.headers.remove("tracestate");
    this.root.traceStarted!.increment();
    return started;
  }
}

function peerOf(header: string | null): Workload | null {
  return header == null ? null : workloadFromPeerHeader(header);
}
