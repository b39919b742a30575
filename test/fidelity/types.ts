// The data a differential case is made of (what the client sends, what the upstream and the
// callout clusters answer) and what each side observed, field by field.

/** A header list in order, repeated names kept apart. */
export type Headers = [string, string][];

/** A scripted HTTP answer: the upstream's response, or a callout cluster's. */
export interface ScriptedResponse {
  status: number;
  headers?: Headers;
  body?: string;
}

/** How a callout cluster answers: a response, a reset of the connection before any byte, or never. */
export type CalloutScript = ScriptedResponse | { reset: true } | { stall: true };

/** One module and its plugin/VM configuration: one Envoy (and one harness plugin) serves all its cases. */
export interface FidelitySetup {
  /** Unique name; also the plugin name, root id and vm id unless given. */
  name: string;
  /** Path of the module relative to the project root. */
  wasm: string;
  /** A hand-written module (the body of `(module ...)`), compiled to `wasm` before the setup starts. */
  wat?: string;
  rootId?: string;
  configuration?: string;
  failurePolicy?: "FAIL_CLOSED" | "FAIL_OPEN" | "FAIL_RELOAD";
  /** FAIL_RELOAD's `reload_config.backoff.base_interval`, in milliseconds. */
  reloadBackoffMs?: number;
  /** Callout clusters (STATIC clusters pointing at scripted servers) and how each answers. */
  callouts?: Record<string, CalloutScript>;
  /** A network filter in front of tcp_proxy (cases are TCP conversations) instead of an HTTP filter. */
  network?: boolean;
  /** Worker threads (Envoy's --concurrency, the harness's workers); default 1. */
  workers?: number;
  /**
   * Milliseconds the harness clock advances after loading and after each case, standing for the
   * real time Envoy's timers run while the runner waits for quiet (setups that tick).
   */
  clockMs?: number;
}

/** A request-level case, run in both hosts through one setup. */
export interface FidelityCase {
  name: string;
  /** The Host the client sends (`:authority`); defaults to fidelity.test. */
  authority?: string;
  method?: string;
  path?: string;
  headers?: Headers;
  body?: string;
  /** The upstream's answer; defaults to 200 with body "upstream body". */
  upstream?: ScriptedResponse;
  /** TCP setups: what the client writes, one write at a time once the previous settled, before it half-closes. */
  writes?: string[];
  /** TCP setups: what the upstream writes back when the first bytes reach it. */
  reply?: string;
  /** The client gives up (closes the connection) when no response came within this many milliseconds. */
  abortAfterMs?: number;
  /** Milliseconds to wait before the case starts (real time for Envoy, the harness clock for the harness). */
  delayMs?: number;
}

/** A request as the upstream (or a callout cluster) received it. */
export interface ObservedRequest {
  method: string;
  path: string;
  headers: Headers;
  body: string;
}

/** A callout as the cluster's server saw it. */
export interface ObservedCallout extends ObservedRequest {
  cluster: string;
}

/** Everything one host showed for one case (a TCP case has status 0, no headers, and the bytes as bodies). */
export interface Observation {
  response: { status: number; headers: Headers; body: string };
  upstream: ObservedRequest | null;
  /**
   * `<level> <message>` of each wasm log line, in order; for threaded comparisons (start-up,
   * several workers, ticks) `<thread>: <level> <message>` grouped by thread, in order within each.
   */
  logs: string[];
  /** Counter and gauge changes during the case, by Prometheus series (`name{tags}`). */
  metrics: Record<string, string>;
  callouts: ObservedCallout[];
}

/** The outcome of comparing one field of one case. */
export interface FieldResult {
  field: string;
  harness: unknown;
  envoy: unknown;
  match: boolean;
}

/** True when a setup's request logs compare by thread: several workers, or ticks. */
export function threaded(setup: FidelitySetup): boolean {
  return (setup.workers ?? 1) > 1 || setup.clockMs !== undefined;
}
