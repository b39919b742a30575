// The access log's configuration: fields (CEL expressions, or `$response_flags`, `$trace_id`,
// `$span_id`, `$sampled`), a CEL filter, a sampling percentage, whether lines go to Envoy's log,
// and an optional HTTP collector the lines are batched to.

import { CelProgram, JsonReader, jsonQuote } from "../../assembly";
import { cel } from "./readers";

/** A value the filter computes itself rather than through CEL. */
export enum Builtin {
  None,
  ResponseFlags,
  TraceId,
  SpanId,
  Sampled,
}

/** One field of the JSON line. */
export class LogField {
  /** The field's name as a JSON member name with its colon, as the line spells it. */
  readonly key: string;

  constructor(
    readonly name: string,
    public program: CelProgram | null,
    public builtin: Builtin,
  ) {
    this.key = jsonQuote(name) + ":";
  }
}

/** Where batched lines are POSTed. */
export class CollectorConfig {
  cluster: string = "";
  authority: string = "";
  path: string = "/";
  timeoutMs: u32 = 5000;
  batchSize: i32 = 100;
  flushIntervalMs: u32 = 1000;
  maxQueue: i32 = 1000;
  maxRetries: i32 = 3;
}

/** The parsed access log configuration. */
export class AccessLogConfig {
  fields: Array<LogField> = [];
  /** Only requests for which this holds are logged. */
  filter: CelProgram | null = null;
  /** The share of requests logged, 0-100. */
  samplingPercentage: f64 = 100;
  /** Write each line to Envoy's log (info, through the Wasm log). */
  toEnvoyLog: bool = true;
  collector: CollectorConfig | null = null;

  /** Whether a field writes trace context. */
  usesTrace(): bool {
    for (let i = 0; i < this.fields.length; i++) {
      const builtin = this.fields[i].builtin;
      if (builtin == Builtin.TraceId || builtin == Builtin.SpanId || builtin == Builtin.Sampled) return true;
    }
    return false;
  }
}

/** Istio's JSON access log fields, as CEL over Envoy's attributes. */
function defaultFields(): Array<LogField> {
  const pairs = [
    "start_time",
    "request.time",
    "method",
    "request.method",
    "path",
    "'x-envoy-original-path' in request.headers ? request.headers['x-envoy-original-path'] : request.path",
    "protocol",
    "request.protocol",
    "response_code",
    "response.code",
    "response_flags",
    "$response_flags",
    "response_code_details",
    "response.code_details",
    "bytes_received",
    "request.size",
    "bytes_sent",
    "response.size",
    "duration",
    "request.duration",
    "x_forwarded_for",
    "request.headers['x-forwarded-for']",
    "user_agent",
    "request.useragent",
    "request_id",
    "request.id",
    "authority",
    "request.host",
    "upstream_host",
    "upstream.address",
    "upstream_cluster",
    "xds.cluster_name",
    "downstream_local_address",
    "destination.address",
    "downstream_remote_address",
    "source.address",
    "requested_server_name",
    "connection.requested_server_name",
    "route_name",
    "xds.route_name",
    "trace_id",
    "$trace_id",
  ];
  const fields = new Array<LogField>();
  for (let i = 0; i < pairs.length; i += 2) fields.push(field(pairs[i], pairs[i + 1], null)!);
  return fields;
}

/** Parses `access_log`; problems are recorded on the reader. */
export function parseAccessLog(reader: JsonReader): AccessLogConfig {
  const config = new AccessLogConfig();
  const allowed = ["fields", "filter", "sampling_percentage", "envoy_log", "collector"];
  if (!reader.expectObject() || !reader.allowOnly(allowed)) return config;
  const fields = reader.optional("fields");
  if (fields == null) config.fields = defaultFields();
  else if (fields.expectObject()) {
    const names = fields.value.keys;
    for (let i = 0; i < names.length && reader.ok; i++) {
      const value = fields.field(names[i]);
      const made = field(names[i], value.string(), value);
      if (made != null) config.fields.push(made);
    }
  }
  const filter = reader.optional("filter");
  if (filter != null) config.filter = cel(filter);
  const sampling = reader.optional("sampling_percentage");
  if (sampling != null) {
    const n = sampling.number();
    if (sampling.ok && !(n >= 0 && n <= 100)) sampling.fail("must be from 0 to 100");
    config.samplingPercentage = n;
  }
  config.toEnvoyLog = reader.optionalBool("envoy_log", true);
  const collector = reader.optional("collector");
  if (collector != null) config.collector = parseCollector(collector);
  return config;
}

function field(name: string, source: string, reader: JsonReader | null): LogField | null {
  if (source.startsWith("$")) {
    let builtin = Builtin.None;
    if (source == "$response_flags") builtin = Builtin.ResponseFlags;
    else if (source == "$trace_id") builtin = Builtin.TraceId;
    else if (source == "$span_id") builtin = Builtin.SpanId;
    else if (source == "$sampled") builtin = Builtin.Sampled;
    if (builtin == Builtin.None) {
      if (reader != null)
        reader.fail("unknown value " + source + " (use $response_flags, $trace_id, $span_id or $sampled)");
      return null;
    }
    return new LogField(name, null, builtin);
  }
  const compiled = CelProgram.compile(source);
  if (compiled.program == null) {
    if (reader != null) reader.fail("invalid CEL expression: " + compiled.error);
    return null;
  }
  return new LogField(name, compiled.program, Builtin.None);
}

function parseCollector(reader: JsonReader): CollectorConfig | null {
  const config = new CollectorConfig();
  const allowed = [
    "cluster",
    "authority",
    "path",
    "timeout",
    "batch_size",
    "flush_interval",
    "max_queue",
    "max_retries",
  ];
  if (!reader.expectObject() || !reader.allowOnly(allowed)) return null;
  config.cluster = reader.requireString("cluster");
  if (reader.ok && config.cluster.length == 0) reader.field("cluster").fail("must not be empty");
  config.authority = reader.optionalString("authority", config.cluster);
  config.path = reader.optionalString("path", "/");
  if (reader.ok && !config.path.startsWith("/")) reader.field("path").fail('must start with "/"');
  config.timeoutMs = milliseconds(reader.optional("timeout"), config.timeoutMs);
  config.flushIntervalMs = milliseconds(reader.optional("flush_interval"), config.flushIntervalMs);
  config.batchSize = count(reader.optional("batch_size"), config.batchSize, 10000);
  config.maxQueue = count(reader.optional("max_queue"), config.maxQueue, 1000000);
  config.maxRetries = count(reader.optional("max_retries"), config.maxRetries, 100, 0);
  return config;
}

function milliseconds(reader: JsonReader | null, fallback: u32): u32 {
  if (reader == null) return fallback;
  const seconds = reader.durationSeconds();
  if (reader.ok && !(seconds * 1000 >= 1 && seconds * 1000 < 2147483648))
    reader.fail("must be from 0.001s to 2147483.647s");
  return reader.ok ? <u32>Math.round(seconds * 1000) : fallback;
}

function count(reader: JsonReader | null, fallback: i32, most: i32, least: i32 = 1): i32 {
  if (reader == null) return fallback;
  const n = reader.number();
  if (reader.ok && !(n >= least && n <= most && Math.floor(n) == n)) {
    reader.fail("must be a whole number from " + least.toString() + " to " + most.toString());
  }
  return reader.ok ? <i32>n : fallback;
}
