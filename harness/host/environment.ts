// The process an Envoy runs its Wasm in, shared by every plugin and worker instance created
// against it (reference abi.md 3.1, 3.5-3.7, 3.9, 5.5, 5.6, 8.2): the clock, the clusters callouts
// may target, shared data and queues, the stats store, the foreign functions, and the Wasm
// instances plugins with the same VM key share.

import { deflateSync, inflateSync } from "node:zlib";
import { Status } from "../abi/types.js";
import { FakeClock } from "./clock.js";
import { type HistogramBuckets, MetricsRegistry, type StatsTag } from "./metrics.js";
import { SharedData, SharedQueues } from "./shared-state.js";
import { type WasmVm } from "./vm.js";

/**
 * A host extension reachable through proxy_call_foreign_function: it receives the argument bytes
 * and returns the result bytes, or a Status for a failure.
 */
export type ForeignFunction = (args: Uint8Array) => Uint8Array | Status;

/** How to set up a host environment. */
export interface EnvironmentOptions {
  /** Cluster names callouts may target; any other name is an unknown cluster (abi.md 3.5). */
  clusters?: readonly string[];
  /** The clock's start, in nanoseconds since the Unix epoch. */
  startTime?: bigint;
  /** Envoy's `stats_config.stats_tags` (see `labelTag` for the SDK's labelled metrics). */
  statsTags?: readonly StatsTag[];
  /** Envoy's `stats_config.histogram_bucket_settings` (Envoy's default buckets otherwise). */
  histogramBuckets?: readonly HistogramBuckets[];
}

// Envoy's zlib `compress`/`uncompress`; a zlib error answers SerializationFailure.
function zlib(transform: (input: Uint8Array) => Uint8Array): ForeignFunction {
  return (args) => {
    try {
      return new Uint8Array(transform(args));
    } catch {
      return Status.SerializationFailure;
    }
  };
}

/** Everything Envoy holds process-wide for Wasm. */
export class HostEnvironment {
  readonly clock: FakeClock;
  readonly clusters: Set<string>;
  readonly sharedData = new SharedData();
  readonly queues = new SharedQueues();
  readonly metrics: MetricsRegistry;
  /** The instance each thread runs for each VM key ("<key> worker 0", "<key> main"). */
  readonly instances = new Map<string, WasmVm>();
  private readonly foreign = new Map<string, ForeignFunction>([
    ["compress", zlib((input) => deflateSync(input))],
    ["uncompress", zlib((input) => inflateSync(input))],
  ]);
  private readonly posted: (() => void)[] = [];
  private draining = false;

  constructor(options: EnvironmentOptions = {}) {
    this.clock = new FakeClock(options.startTime);
    this.clusters = new Set(options.clusters ?? []);
    this.metrics = new MetricsRegistry(options.statsTags ?? [], options.histogramBuckets ?? []);
  }

  /** Makes `name` callable through proxy_call_foreign_function (replacing any earlier one). */
  registerForeignFunction(name: string, fn: ForeignFunction): void {
    this.foreign.set(name, fn);
  }

  /** The foreign function `name`, or undefined when none is registered. */
  foreignFunction(name: string): ForeignFunction | undefined {
    return this.foreign.get(name);
  }

  /** Queues work for after the current host-to-guest call, as Envoy posts to a dispatcher. */
  post(task: () => void): void {
    this.posted.push(task);
  }

  /** Runs posted work in order (including work it posts); called when a guest call returns. */
  runPosted(): void {
    if (this.draining) return;
    this.draining = true;
    try {
      for (let task = this.posted.shift(); task; task = this.posted.shift()) task();
    } finally {
      this.draining = false;
    }
  }
}
