// Parses the telemetry configuration once, in onConfigure: the reporter, Istio's standard metrics
// with Telemetry API overrides (disable, tagOverrides UPSERT/REMOVE with CEL values), custom
// metric definitions, the label-set cap, access logging and trace context. Errors name the JSON
// path; CEL is compiled and checked here.

import { CelProgram, JsonReader, JsonValue, MetricType } from "../../assembly";
import { AccessLogConfig, parseAccessLog } from "./access-log-config";
import { cel, isMetricName } from "./readers";
import { Reporter, STANDARD_LABELS, STANDARD_METRICS } from "./standard";

/** One label of a metric: a standard label (by index) or a CEL expression. */
export class LabelSpec {
  constructor(
    /** The label name. */
    public name: string,
    /** Index into STANDARD_LABELS, or -1 for a CEL label. */
    public standard: i32,
    /** The CEL expression of a custom label. */
    public program: CelProgram | null,
  ) {}
}

/** One metric the filter reports. */
export class MetricSpec {
  /** Whether the metric is reported (Istio `disabled` turns it off). */
  enabled: bool = true;
  /** Its labels, in order. */
  labels: Array<LabelSpec> = [];
  /** A custom metric's value; null for the standard metrics and for counters counting 1. */
  value: CelProgram | null = null;
  /** Metrics with the same labels share a group, so a request computes each label set once. */
  group: i32 = 0;

  constructor(
    /** The name Prometheus shows. */
    public name: string,
    /** Counter, gauge or histogram. */
    public type: MetricType,
    /** Index into STANDARD_METRICS, or -1 for a custom metric. */
    public standard: i32,
  ) {}
}

/** Trace context handling. */
export class TracingConfig {
  /** Whether trace context is read at all (`tracing` is configured, or the access log uses it). */
  enabled: bool = false;
  /** Start a W3C trace (a new traceparent) when the request carries no valid trace context. */
  startIfAbsent: bool = false;
  /** Whether a started trace is marked sampled. */
  sampled: bool = true;
}

/** The parsed configuration. */
export class TelemetryConfig {
  reporter: Reporter = Reporter.Destination;
  /** Do not fall back to the Host header for destination_service. */
  disableHostHeaderFallback: bool = false;
  /** Distinct label sets per metric before the overflow series. */
  maxLabelSets: i32 = 1000;
  metrics: Array<MetricSpec> = [];
  accessLog: AccessLogConfig | null = null;
  tracing: TracingConfig = new TracingConfig();
}

/** A configuration, or why it was refused. */
export class ConfigResult {
  constructor(
    public config: TelemetryConfig | null,
    public error: string,
  ) {}
}

const TOP_FIELDS = [
  "reporter",
  "disable_host_header_fallback",
  "standard_metrics",
  "max_label_sets",
  "metrics",
  "definitions",
  "access_log",
  "tracing",
];
const TYPES = ["COUNTER", "GAUGE", "HISTOGRAM"];

/** Builds the configuration from parsed JSON, or explains the first problem. */
export function parseConfig(json: JsonValue): ConfigResult {
  const config = new TelemetryConfig();
  const root = JsonReader.root(json);
  if (root.expectObject() && root.allowOnly(TOP_FIELDS)) {
    const reporter = root.optional("reporter");
    if (reporter != null) {
      const text = reporter.string();
      if (text == "source") config.reporter = Reporter.Source;
      else if (text == "waypoint") config.reporter = Reporter.Waypoint;
      else if (text != "destination" && reporter.ok) reporter.fail('must be "destination", "source" or "waypoint"');
    }
    config.disableHostHeaderFallback = root.optionalBool("disable_host_header_fallback");
    const cap = root.optional("max_label_sets");
    if (cap != null) {
      const n = cap.number();
      if (cap.ok && !(n >= 1 && n <= 100000 && Math.floor(n) == n)) cap.fail("must be a whole number from 1 to 100000");
      config.maxLabelSets = <i32>n;
    }
    if (root.optionalBool("standard_metrics", true)) addStandardMetrics(config);
    const definitions = root.optionalArray("definitions");
    for (let i = 0; i < definitions.length && root.ok; i++) parseDefinition(definitions[i], config);
    const overrides = root.optionalArray("metrics");
    for (let i = 0; i < overrides.length && root.ok; i++) applyOverride(overrides[i], config);
    const accessLog = root.optional("access_log");
    if (accessLog != null) config.accessLog = parseAccessLog(accessLog);
    const tracing = root.optional("tracing");
    if (tracing != null && tracing.expectObject() && tracing.allowOnly(["start_if_absent", "sampled"])) {
      config.tracing.enabled = true;
      config.tracing.startIfAbsent = tracing.optionalBool("start_if_absent");
      config.tracing.sampled = tracing.optionalBool("sampled", true);
    }
    const log = config.accessLog;
    if (log != null && log.usesTrace()) config.tracing.enabled = true;
    groupMetrics(config.metrics);
  }
  return root.ok ? new ConfigResult(config, "") : new ConfigResult(null, root.error);
}

function addStandardMetrics(config: TelemetryConfig): void {
  for (let i = 0; i < STANDARD_METRICS.length; i++) {
    const metric = new MetricSpec(STANDARD_METRICS[i].name, STANDARD_METRICS[i].type, i);
    for (let j = 0; j < STANDARD_LABELS.length; j++) metric.labels.push(new LabelSpec(STANDARD_LABELS[j], j, null));
    config.metrics.push(metric);
  }
}

// Istio's `definitions`: a new metric with a CEL value and CEL dimensions.
function parseDefinition(reader: JsonReader, config: TelemetryConfig): void {
  if (!reader.expectObject() || !reader.allowOnly(["name", "type", "value", "dimensions"])) return;
  const nameField = reader.require("name");
  const name = nameField.string();
  if (reader.ok && !isMetricName(name)) nameField.fail("must match [a-zA-Z_][a-zA-Z0-9_]*");
  for (let i = 0; i < config.metrics.length && reader.ok; i++) {
    if (config.metrics[i].name == name) nameField.fail('duplicate metric "' + name + '"');
  }
  const typeField = reader.optional("type");
  let type = MetricType.Counter;
  if (typeField != null) {
    const at = TYPES.indexOf(typeField.string());
    if (at < 0 && typeField.ok) typeField.fail("must be COUNTER, GAUGE or HISTOGRAM");
    type = <MetricType>max(at, 0);
  }
  const metric = new MetricSpec(name, type, -1);
  const value = reader.optional("value");
  if (value != null) metric.value = cel(value);
  else if (type != MetricType.Counter && reader.ok) reader.fail("a GAUGE or HISTOGRAM needs a value");
  const dimensions = reader.optional("dimensions");
  if (dimensions != null && dimensions.expectObject()) {
    const keys = dimensions.value.keys;
    for (let i = 0; i < keys.length && reader.ok; i++) {
      const field = dimensions.field(keys[i]);
      if (!isMetricName(keys[i])) field.fail("is not a valid label name");
      metric.labels.push(new LabelSpec(keys[i], -1, cel(field)));
    }
  }
  config.metrics.push(metric);
}

// Istio Telemetry `metrics[].overrides[]`: {match: {metric | customMetric, mode}, disabled, tagOverrides}.
function applyOverride(reader: JsonReader, config: TelemetryConfig): void {
  if (!reader.expectObject() || !reader.allowOnly(["match", "disabled", "tagOverrides"])) return;
  let metricName = "ALL_METRICS";
  let custom = "";
  let modeApplies = true;
  const match = reader.optional("match");
  if (match != null && match.expectObject() && match.allowOnly(["metric", "customMetric", "mode"])) {
    if (match.optional("metric") != null && match.optional("customMetric") != null) {
      match.fail("has both metric and customMetric");
    }
    metricName = match.optionalString("metric", "ALL_METRICS");
    custom = match.optionalString("customMetric");
    modeApplies = modeMatches(match.optional("mode"), config.reporter);
    if (custom.length == 0 && metricName != "ALL_METRICS" && standardIndex(metricName) < 0 && match.ok) {
      match.field("metric").fail("must be ALL_METRICS, REQUEST_COUNT, REQUEST_DURATION, REQUEST_SIZE or RESPONSE_SIZE");
    }
  }
  const targets = new Array<MetricSpec>();
  for (let i = 0; i < config.metrics.length; i++) {
    const metric = config.metrics[i];
    if (
      custom.length > 0
        ? metric.name == custom
        : metric.standard >= 0 && (metricName == "ALL_METRICS" || metric.standard == standardIndex(metricName))
    ) {
      targets.push(metric);
    }
  }
  if (custom.length > 0 && targets.length == 0 && reader.ok)
    reader.field("match").fail('customMetric "' + custom + '" is not defined');
  const disabled = reader.optional("disabled");
  const overrides = reader.optional("tagOverrides");
  if (!reader.ok || !modeApplies) return;
  if (disabled != null) {
    const off = disabled.bool();
    for (let i = 0; i < targets.length; i++) targets[i].enabled = !off;
  }
  if (overrides == null || !overrides.expectObject()) return;
  const tags = overrides.value.keys;
  for (let i = 0; i < tags.length && reader.ok; i++) applyTagOverride(overrides.field(tags[i]), tags[i], targets);
}

function applyTagOverride(reader: JsonReader, tag: string, targets: Array<MetricSpec>): void {
  if (!isMetricName(tag)) {
    reader.fail("is not a valid label name");
    return;
  }
  if (!reader.expectObject() || !reader.allowOnly(["operation", "value"])) return;
  const operation = reader.optionalString("operation", "UPSERT");
  if (operation != "UPSERT" && operation != "REMOVE") {
    reader.field("operation").fail("must be UPSERT or REMOVE");
    return;
  }
  if (operation == "REMOVE") {
    for (let i = 0; i < targets.length; i++) removeLabel(targets[i], tag);
    return;
  }
  const value = reader.require("value");
  const program = cel(value);
  if (!reader.ok) return;
  for (let i = 0; i < targets.length; i++) upsert(targets[i], tag, program);
}

function upsert(metric: MetricSpec, tag: string, program: CelProgram | null): void {
  for (let i = 0; i < metric.labels.length; i++) {
    if (metric.labels[i].name != tag) continue;
    metric.labels[i] = new LabelSpec(tag, -1, program);
    return;
  }
  metric.labels.push(new LabelSpec(tag, -1, program));
}

function removeLabel(metric: MetricSpec, tag: string): void {
  const kept = new Array<LabelSpec>();
  for (let i = 0; i < metric.labels.length; i++) if (metric.labels[i].name != tag) kept.push(metric.labels[i]);
  metric.labels = kept;
}

// CLIENT_AND_SERVER (default) always; CLIENT only for reporter source; SERVER for destination and waypoint.
function modeMatches(reader: JsonReader | null, reporter: Reporter): bool {
  if (reader == null) return true;
  const mode = reader.string();
  if (mode == "CLIENT_AND_SERVER") return true;
  if (mode == "CLIENT") return reporter == Reporter.Source;
  if (mode == "SERVER") return reporter != Reporter.Source;
  if (reader.ok) reader.fail("must be CLIENT_AND_SERVER, CLIENT or SERVER");
  return false;
}

function standardIndex(name: string): i32 {
  for (let i = 0; i < STANDARD_METRICS.length; i++) if (STANDARD_METRICS[i].telemetryName == name) return i;
  return -1;
}

// Numbers the distinct label lists: metrics whose labels have the same names and sources share one.
function groupMetrics(metrics: Array<MetricSpec>): void {
  for (let i = 0; i < metrics.length; i++) {
    metrics[i].group = i;
    for (let j = 0; j < i; j++) {
      if (sameLabels(metrics[i].labels, metrics[j].labels)) {
        metrics[i].group = metrics[j].group;
        break;
      }
    }
  }
}

function sameLabels(a: Array<LabelSpec>, b: Array<LabelSpec>): bool {
  if (a.length != b.length) return false;
  for (let i = 0; i < a.length; i++) {
    if (a[i].name != b[i].name || a[i].standard != b[i].standard || a[i].program != b[i].program) return false;
  }
  return true;
}
