// Reads a scenario file (harness/scenario.schema.json describes it) into typed steps. Every
// problem is reported with the JSON path of the offending value, e.g. `$.steps[2].headers[0]`.

import { LogLevel } from "./abi/types.js";
import { type AttributeOverrides } from "./host/attributes.js";
import { type FailurePolicy } from "./host/http-stream.js";
import { type EnvironmentVariables } from "./host/vm-environment.js";
import { labelTag, type StatsTag } from "./host/metrics.js";
import { type HeaderEntry } from "./host/pairs.js";
import { asObject, Fields, type Json, kindOf, ScenarioError } from "./scenario-fields.js";

export { ScenarioError } from "./scenario-fields.js";

/** Which pending callout a step answers: the `index`-th (default 0, oldest first) of those matching. */
export interface CalloutSelector {
  cluster?: string;
  service?: string;
  method?: string;
  index: number;
}

type StreamStep<K extends string, T> = { kind: K; stream: string } & T;
type CalloutStep<K extends string, T = object> = { kind: K; call: CalloutSelector } & T;

/** One scenario step, as the runner executes it. */
export type ScenarioStep =
  | StreamStep<"request_headers" | "response_headers", { headers: HeaderEntry[]; endOfStream: boolean }>
  | StreamStep<"request_body" | "response_body", { body: Uint8Array; endOfStream: boolean }>
  | StreamStep<"request_trailers" | "response_trailers", { trailers: HeaderEntry[] }>
  | StreamStep<"complete", object>
  | CalloutStep<"http_call_response", { headers: HeaderEntry[]; body: Uint8Array; trailers: HeaderEntry[] }>
  | CalloutStep<"http_call_failure" | "http_call_reset" | "http_call_timeout" | "grpc_timeout">
  | CalloutStep<"grpc_response" | "grpc_message", { message: Uint8Array }>
  | CalloutStep<"grpc_initial_metadata" | "grpc_trailing_metadata", { metadata: HeaderEntry[] }>
  | CalloutStep<"grpc_close", { status: number; message: string }>
  | { kind: "advance_clock"; ms: number }
  | { kind: "shutdown" };

/** A stream's settings: the worker it runs on and its property (attribute) overrides. */
export interface ScenarioStream {
  worker: number;
  properties: AttributeOverrides;
}

/** A parsed scenario. */
export interface Scenario {
  description: string;
  /** The module path as written in the file (relative to the file), if any. */
  module: string | null;
  plugin: {
    name?: string;
    rootId?: string;
    configuration?: string | object;
    failurePolicy?: FailurePolicy;
    reloadBackoffMs?: number;
    allowOnHeadersStopIteration?: boolean;
    vmId?: string;
    vmConfiguration?: string | object;
    environmentVariables?: EnvironmentVariables;
  };
  host: {
    workers: number;
    logLevel: LogLevel;
    clusters: string[];
    statsTags: StatsTag[];
    startTime?: bigint;
  };
  streams: Record<string, ScenarioStream>;
  metrics: "values" | "prometheus";
  steps: ScenarioStep[];
}

/** The default stream name, used by stream steps that name none. */
export const DEFAULT_STREAM = "main";

const LOG_LEVELS: Record<string, LogLevel> = {
  trace: LogLevel.Trace,
  debug: LogLevel.Debug,
  info: LogLevel.Info,
  warn: LogLevel.Warn,
  error: LogLevel.Error,
  critical: LogLevel.Critical,
};

const STEP_FIELDS: Record<ScenarioStep["kind"], readonly string[]> = {
  request_headers: ["stream", "headers", "end_of_stream"],
  response_headers: ["stream", "headers", "end_of_stream"],
  request_body: ["stream", "body", "body_base64", "end_of_stream"],
  response_body: ["stream", "body", "body_base64", "end_of_stream"],
  request_trailers: ["stream", "trailers"],
  response_trailers: ["stream", "trailers"],
  complete: ["stream"],
  http_call_response: ["cluster", "index", "headers", "body", "body_base64", "trailers"],
  http_call_failure: ["cluster", "index"],
  http_call_reset: ["cluster", "index"],
  http_call_timeout: ["cluster", "index"],
  grpc_response: ["cluster", "service", "method", "index", "message", "message_base64"],
  grpc_message: ["cluster", "service", "method", "index", "message", "message_base64"],
  grpc_initial_metadata: ["cluster", "service", "method", "index", "metadata"],
  grpc_trailing_metadata: ["cluster", "service", "method", "index", "metadata"],
  grpc_close: ["cluster", "service", "method", "index", "status", "message"],
  grpc_timeout: ["cluster", "service", "method", "index"],
  advance_clock: ["ms"],
  shutdown: [],
};

function selector(f: Fields): CalloutSelector {
  const found: CalloutSelector = { index: f.integer("index", 0) ?? 0 };
  for (const key of ["cluster", "service", "method"] as const) {
    const value = f.string(key);
    if (value !== undefined) found[key] = value;
  }
  return found;
}

function parseStep(value: unknown, path: string): ScenarioStep {
  const json = asObject(value, path);
  const kind = json["step"];
  const kinds = Object.keys(STEP_FIELDS);
  if (typeof kind !== "string" || !kinds.includes(kind)) {
    throw new ScenarioError(`${path}.step`, `must be one of ${kinds.join(", ")}, got ${JSON.stringify(kind)}`);
  }
  const k = kind as ScenarioStep["kind"];
  const f = new Fields(path, json, ["step", ...STEP_FIELDS[k]]);
  const stream = f.string("stream") ?? DEFAULT_STREAM;
  const endOfStream = f.boolean("end_of_stream") ?? false;
  switch (k) {
    case "request_headers":
    case "response_headers":
      return { kind: k, stream, headers: f.headers("headers"), endOfStream };
    case "request_body":
    case "response_body":
      return { kind: k, stream, body: f.bytes("body"), endOfStream };
    case "request_trailers":
    case "response_trailers":
      return { kind: k, stream, trailers: f.headers("trailers") };
    case "complete":
      return { kind: k, stream };
    case "http_call_response":
      return {
        kind: k,
        call: selector(f),
        headers: f.headers("headers"),
        body: f.bytes("body"),
        trailers: f.headers("trailers"),
      };
    case "http_call_failure":
    case "http_call_reset":
    case "http_call_timeout":
    case "grpc_timeout":
      return { kind: k, call: selector(f) };
    case "grpc_response":
    case "grpc_message":
      return { kind: k, call: selector(f), message: f.bytes("message") };
    case "grpc_initial_metadata":
    case "grpc_trailing_metadata":
      return { kind: k, call: selector(f), metadata: f.headers("metadata") };
    case "grpc_close":
      return {
        kind: k,
        call: selector(f),
        status: f.integer("status", 0, 16) ?? 0,
        message: f.string("message") ?? "",
      };
    case "advance_clock": {
      const ms = f.integer("ms", 0);
      if (ms === undefined) throw new ScenarioError(`${path}.ms`, "is required");
      return { kind: k, ms };
    }
    case "shutdown":
      return { kind: k };
  }
}

function parseStatsTag(value: unknown, path: string): StatsTag {
  const f = new Fields(path, asObject(value, path), ["label", "tag_name", "regex"]);
  const label = f.string("label");
  if (label !== undefined) {
    if (f.json["tag_name"] !== undefined || f.json["regex"] !== undefined) {
      throw new ScenarioError(path, "give either label or tag_name and regex");
    }
    return labelTag(label);
  }
  const tagName = f.string("tag_name");
  const regex = f.string("regex");
  if (tagName === undefined || regex === undefined) throw new ScenarioError(path, "needs label, or tag_name and regex");
  try {
    new RegExp(regex);
  } catch (error) {
    throw new ScenarioError(f.at("regex"), `is not a valid regex: ${(error as Error).message}`);
  }
  return { tagName, regex };
}

function parseProperties(value: Json | undefined, path: string): AttributeOverrides {
  const properties: Record<string, string | number | boolean | null> = {};
  for (const [name, v] of Object.entries(value ?? {})) {
    if (v !== null && !["string", "number", "boolean"].includes(typeof v)) {
      throw new ScenarioError(`${path}.${name}`, `must be a string, number, boolean or null, got ${kindOf(v)}`);
    }
    properties[name] = v as string | number | boolean | null;
  }
  return properties;
}

// VmConfig.environment_variables; a key in both lists is left for Plugin.load to reject, with Envoy's message.
function parseEnvironmentVariables(value: Json | undefined, path: string): EnvironmentVariables | undefined {
  if (value === undefined) return undefined;
  const f = new Fields(path, value, ["key_values", "host_env_keys"]);
  const keyValues: Record<string, string> = {};
  for (const [name, v] of Object.entries(f.object("key_values") ?? {})) {
    if (typeof v !== "string")
      throw new ScenarioError(`${f.at("key_values")}.${name}`, `must be a string, got ${kindOf(v)}`);
    keyValues[name] = v;
  }
  const hostEnvKeys = (f.array("host_env_keys") ?? []).map((k, i) => {
    if (typeof k !== "string")
      throw new ScenarioError(`${f.at("host_env_keys")}[${i}]`, `must be a string, got ${kindOf(k)}`);
    return k;
  });
  return { keyValues, hostEnvKeys };
}

function parseStartTime(value: string | undefined, path: string): bigint | undefined {
  if (value === undefined) return undefined;
  const ms = Date.parse(value);
  if (!/^\d{4}-\d\d-\d\dT/.test(value) || Number.isNaN(ms))
    throw new ScenarioError(path, "must be an RFC 3339 timestamp");
  return BigInt(ms) * 1_000_000n;
}

/** Checks `json` (a parsed scenario file) and returns the scenario; throws ScenarioError. */
export function parseScenario(json: unknown): Scenario {
  const top = new Fields("$", asObject(json, "$"), [
    "$schema",
    "description",
    "module",
    "plugin",
    "host",
    "streams",
    "metrics",
    "steps",
  ]);
  top.string("$schema");
  const p = new Fields("$.plugin", top.object("plugin") ?? {}, [
    "name",
    "root_id",
    "configuration",
    "failure_policy",
    "reload_backoff_ms",
    "allow_on_headers_stop_iteration",
    "vm_config",
  ]);
  const vm = new Fields("$.plugin.vm_config", p.object("vm_config") ?? {}, [
    "vm_id",
    "configuration",
    "environment_variables",
  ]);
  const h = new Fields("$.host", top.object("host") ?? {}, [
    "workers",
    "log_level",
    "clusters",
    "stats_tags",
    "start_time",
  ]);
  const plugin: Scenario["plugin"] = {};
  const set = <K extends keyof Scenario["plugin"]>(key: K, value: Scenario["plugin"][K] | undefined) => {
    if (value !== undefined) plugin[key] = value;
  };
  set("name", p.string("name"));
  set("rootId", p.string("root_id"));
  set("configuration", p.configuration("configuration"));
  set("failurePolicy", p.oneOf("failure_policy", ["FAIL_CLOSED", "FAIL_OPEN", "FAIL_RELOAD"] as const));
  set("reloadBackoffMs", p.integer("reload_backoff_ms", 0));
  if (plugin.reloadBackoffMs !== undefined && plugin.failurePolicy !== "FAIL_RELOAD") {
    throw new ScenarioError(p.at("reload_backoff_ms"), "needs failure_policy FAIL_RELOAD");
  }
  set("allowOnHeadersStopIteration", p.boolean("allow_on_headers_stop_iteration"));
  set("vmId", vm.string("vm_id"));
  set("vmConfiguration", vm.configuration("configuration"));
  set(
    "environmentVariables",
    parseEnvironmentVariables(vm.object("environment_variables"), vm.at("environment_variables")),
  );
  const clusters = (h.array("clusters") ?? []).map((c, i) => {
    if (typeof c !== "string") throw new ScenarioError(`$.host.clusters[${i}]`, `must be a string, got ${kindOf(c)}`);
    return c;
  });
  const streams: Record<string, ScenarioStream> = {};
  const workers = h.integer("workers", 1, 64) ?? 1;
  for (const [name, value] of Object.entries(top.object("streams") ?? {})) {
    const s = new Fields(`$.streams.${name}`, asObject(value, `$.streams.${name}`), ["worker", "properties"]);
    const worker = s.integer("worker", 0, workers - 1) ?? 0;
    streams[name] = { worker, properties: parseProperties(s.object("properties"), s.at("properties")) };
  }
  const steps = top.array("steps");
  if (steps === undefined) throw new ScenarioError("$.steps", "is required");
  const startTime = parseStartTime(h.string("start_time"), "$.host.start_time");
  return {
    description: top.string("description") ?? "",
    module: top.string("module") ?? null,
    plugin,
    host: {
      workers,
      logLevel: LOG_LEVELS[h.oneOf("log_level", Object.keys(LOG_LEVELS)) ?? "info"]!,
      clusters,
      statsTags: (h.array("stats_tags") ?? []).map((t, i) => parseStatsTag(t, `$.host.stats_tags[${i}]`)),
      ...(startTime === undefined ? {} : { startTime }),
    },
    streams,
    metrics: top.oneOf("metrics", ["values", "prometheus"] as const) ?? "values",
    steps: steps.map((step, i) => parseStep(step, `$.steps[${i}]`)),
  };
}
