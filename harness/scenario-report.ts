// How the scenario runner writes what it observed as JSON: streams as the upstream and the client
// see them, callouts as Envoy's async client received them, log lines, and metric samples.

import { LogLevel } from "./abi/types.js";
import { GrpcCall, type HttpCall } from "./host/callouts.js";
import { type HeaderMap } from "./host/header-map.js";
import { type Delivered } from "./host/http-flow.js";
import { type HttpStream } from "./host/http-stream.js";
import { type LogEntry } from "./host/logs.js";
import { type HeaderEntry } from "./host/pairs.js";

/** Bytes as text when they are valid UTF-8, else as base64 (under `<key>_base64`). */
export type BytesReport = { [key: string]: string };

/** What one side received: headers, body, trailers and whether its end of stream went out. */
export interface DeliveredReport {
  headers: HeaderEntry[] | null;
  body?: string;
  body_base64?: string;
  trailers: HeaderEntry[] | null;
  end_of_stream: boolean;
}

/** A local reply (the filter's, or the host's on a failure). */
export interface LocalReplyReport {
  status: number;
  details: string;
  body?: string;
  body_base64?: string;
  headers: HeaderEntry[];
  grpc_status: number | null;
}

/** One stream after a step. */
export interface StreamReport {
  /** The callbacks Envoy invoked on the stream's context during the step. */
  callbacks: string[];
  /** True while a direction is stopped at the filter. */
  paused: { request: boolean; response: boolean };
  /** What the upstream has received. */
  upstream: DeliveredReport;
  /** What the client has received. */
  client: DeliveredReport;
  local_reply: LocalReplyReport | null;
  /** Why the stream was reset, or null. */
  reset: string | null;
  /** True once on_log, on_done and on_delete ran (or the stream ended without the filter). */
  completed: boolean;
  /** The trap that ended the stream, if one did. */
  trap: string | null;
}

/** A callout the filter made during a step, or messages it sent on an open gRPC stream. */
export type CalloutReport =
  | {
      type: "http";
      /** The thread of the instance that made the call: "main" or "worker N". */
      thread: string;
      token: number;
      cluster: string;
      headers: HeaderEntry[];
      body?: string;
      body_base64?: string;
      trailers: HeaderEntry[];
      timeout_ms: number;
    }
  | {
      type: "grpc";
      /** The thread of the instance that made the call: "main" or "worker N". */
      thread: string;
      kind: "call" | "stream";
      token: number;
      cluster: string;
      service: string;
      method: string;
      metadata: HeaderEntry[];
      messages: BytesReport[];
      timeout_ms: number;
    }
  | { type: "grpc_send"; token: number; cluster: string; messages: BytesReport[]; closed: boolean };

/** A log line. */
export interface LogReport {
  /** The thread of the instance that wrote it: "base", "canary", "main" (the main thread's) or "worker N". */
  thread: string;
  level: string;
  message: string;
}

const LEVEL_NAMES: Record<LogLevel, string> = {
  [LogLevel.Trace]: "trace",
  [LogLevel.Debug]: "debug",
  [LogLevel.Info]: "info",
  [LogLevel.Warn]: "warn",
  [LogLevel.Error]: "error",
  [LogLevel.Critical]: "critical",
  [LogLevel.Off]: "off",
};

const utf8 = new TextDecoder("utf-8", { fatal: true });

/** `bytes` under `key` as text, or under `<key>_base64` when they are not UTF-8. */
export function bytesReport(key: string, bytes: Uint8Array): BytesReport {
  try {
    return { [key]: utf8.decode(bytes) };
  } catch {
    return { [`${key}_base64`]: Buffer.from(bytes).toString("base64") };
  }
}

function entries(map: HeaderMap | null): HeaderEntry[] | null {
  return map ? map.all() : null;
}

function delivered(side: Delivered): DeliveredReport {
  return {
    headers: entries(side.headers),
    ...bytesReport("body", side.body),
    trailers: entries(side.trailers),
    end_of_stream: side.ended,
  };
}

/** The state of `stream` now; `callbacksBefore` is how many callbacks had run before the step. */
export function streamReport(stream: HttpStream, callbacksBefore: number): StreamReport {
  const reply = stream.localReply;
  return {
    callbacks: stream.callbacks.slice(callbacksBefore),
    paused: { ...stream.paused },
    upstream: delivered(stream.upstreamRequest),
    client: delivered(stream.downstreamResponse),
    local_reply: reply && {
      status: reply.status,
      details: reply.details,
      ...bytesReport("body", reply.body),
      headers: reply.headers,
      grpc_status: reply.grpcStatus,
    },
    reset: stream.resetDetails,
    completed: stream.completed,
    trap: stream.trap?.message ?? null,
  };
}

/** A callout the filter just made. */
export function calloutReport(call: HttpCall | GrpcCall): CalloutReport {
  if (call instanceof GrpcCall) {
    return {
      type: "grpc",
      thread: call.thread,
      kind: call.kind,
      token: call.token,
      cluster: call.cluster,
      service: call.service,
      method: call.method,
      metadata: call.initialMetadata,
      messages: call.messages.map((m) => bytesReport("message", m)),
      timeout_ms: call.timeoutMs,
    };
  }
  return {
    type: "http",
    thread: call.thread,
    token: call.token,
    cluster: call.cluster,
    headers: call.headers,
    ...bytesReport("body", call.body),
    trailers: call.trailers,
    timeout_ms: call.timeoutMs,
  };
}

/** Log lines for the transcript. */
export function logReport(logs: readonly LogEntry[]): LogReport[] {
  return logs.map((e) => ({ thread: e.thread, level: LEVEL_NAMES[e.level], message: e.message }));
}

/** The samples of Prometheus text, keyed `name{labels}` (just `name` without labels). */
export function metricValues(prometheus: string): Record<string, number> {
  const values: Record<string, number> = {};
  for (const line of prometheus.split("\n")) {
    if (line === "" || line.startsWith("#")) continue;
    const split = line.lastIndexOf(" ");
    values[line.slice(0, split).replace(/\{\}$/, "")] = Number(line.slice(split + 1));
  }
  return values;
}

/** The samples that changed from `before` to `after`, leaving out histogram buckets. */
export function metricChanges(before: Record<string, number>, after: Record<string, number>): Record<string, number> {
  const changed: Record<string, number> = {};
  for (const [name, value] of Object.entries(after)) {
    if (before[name] !== value && !/_bucket\{/.test(name)) changed[name] = value;
  }
  return changed;
}

// One line, with a space after each comma and colon of the structure (never inside strings).
function inline(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(inline).join(", ")}]`;
  if (typeof value !== "object" || value === null) return JSON.stringify(value) ?? "null";
  const entries = Object.entries(value).filter(([, v]) => v !== undefined);
  return `{${entries.map(([k, v]) => `${JSON.stringify(k)}: ${inline(v)}`).join(", ")}}`;
}

/** JSON indented by two spaces, with short arrays and flat objects (a header pair, `paused`) on one line. */
export function formatJson(value: unknown, indent = ""): string {
  if (typeof value !== "object" || value === null) return JSON.stringify(value) ?? "null";
  const line = inline(value);
  const nested = Object.values(value).some((v) => typeof v === "object" && v !== null && !Array.isArray(v));
  if (line.length + indent.length <= 100 && !nested) return line;
  const inner = `${indent}  `;
  if (Array.isArray(value)) {
    return `[\n${value.map((v) => inner + formatJson(v, inner)).join(",\n")}\n${indent}]`;
  }
  const entries = Object.entries(value).filter(([, v]) => v !== undefined);
  if (entries.length === 0) return "{}";
  return `{\n${entries.map(([k, v]) => `${inner}${JSON.stringify(k)}: ${formatJson(v, inner)}`).join(",\n")}\n${indent}}`;
}
