// One instance of a module, as one Envoy worker holds it (reference abi.md 8): linking, the
// start call, context ids, the current and effective context, restricted phases and traps.

import { Status } from "../abi/types.js";
import { type AbiVersion, WASI_FUNCTIONS } from "../abi/signatures.js";
import { type ModuleInfo } from "../abi/module-info.js";
import { GuestMemory } from "./memory.js";
import { type LogSink } from "./logs.js";
import { type DnsQuery } from "./dns.js";
import { type HttpStreamState } from "./http-stream-state.js";
import { type TcpStream } from "./tcp-stream.js";
import { type Delivery } from "./delivery.js";
import { type HostEnvironment } from "./environment.js";
import { type Timer } from "./clock.js";
import { type Stat } from "./metrics.js";
import { CalloutTable } from "./callouts.js";

/** What a plugin (one filter configuration) looks like to the host. */
export interface PluginSpec {
  name: string;
  rootId: string;
  vmId: string;
  configuration: Uint8Array;
  vmConfiguration: Uint8Array;
  allowOnHeadersStopIteration: boolean;
  /** `VmConfig.environment_variables`, merged: what WASI environ_get shows the guest (abi.md 8.2). */
  environmentVariables: readonly (readonly [string, string])[];
}

/** The root context of a plugin inside one VM. */
export interface RootState {
  kind: "root";
  id: number;
  plugin: PluginSpec;
  /** True while the host holds the plugin configuration (on_configure), so buffer 7 is readable. */
  configuring: boolean;
  /** What proxy_get_status reports: the last callout failure or gRPC close (abi.md 3.1). */
  status: { code: number; message: string };
  /** The tick period set with proxy_set_tick_period_milliseconds (0 = off) and its armed timer. */
  tickPeriodMs: number;
  tick: Timer | null;
  /** The maps and buffers a callout callback may read while it runs (abi.md 3.2, 3.3). */
  delivery: Delivery | null;
  /** Shutdown progress: on_done returned 0 and proxy_done is awaited, or on_delete was scheduled. */
  shutdown: "none" | "awaiting_done" | "deleting";
  /** Where the plugin's log lines go; plugins sharing a VM keep their own. */
  logs: LogSink;
}

/** A fresh root context record for `plugin` with id `id`, logging to `logs`. */
export function newRootState(id: number, plugin: PluginSpec, logs: LogSink): RootState {
  return {
    kind: "root",
    id,
    plugin,
    logs,
    configuring: false,
    status: { code: 0, message: "" },
    tickPeriodMs: 0,
    tick: null,
    delivery: null,
    shutdown: "none",
  };
}

/** The root context `context` belongs to (itself for a root). */
export function rootOf(context: ContextState): RootState {
  return context.kind === "root" ? context : context.root;
}

/** Any context the host has created in a VM. */
export type ContextState = RootState | HttpStreamState | TcpStream;

/** A trap (or a fatal host error) raised while a callback ran; the VM is dead afterwards. */
export class WasmTrap extends Error {
  constructor(
    readonly callback: string,
    readonly error: unknown,
  ) {
    super(`${callback} failed: ${error instanceof Error ? error.message : String(error)}`);
  }
}

/** Thrown by a host function that Envoy forbids in the current phase; it traps the guest. */
export class RestrictedCallError extends Error {}

/** The host functions a VM links, by import module and name, each bound to that VM. */
export type HostFunction = (vm: WasmVm, ...args: (number | bigint)[]) => number | void;

/**
 * Which instance this is: the base instance Envoy compiles the module into and clones the others
 * from (it only runs the start function), the configuration canary, a worker's copy, or the main
 * thread's.
 */
export type VmRole = "base" | "canary" | "worker" | "main";

type Phase = "initialize" | "allocator" | "callback" | "idle";

// Only these may run while the module starts or while its allocator runs (abi.md 4.1).
// WASI functions are allowed too, except proc_exit.
const ALLOWED_DURING_INITIALIZE = new Set([
  "proxy_log",
  "emscripten_notify_memory_growth",
  ...Object.keys(WASI_FUNCTIONS).filter((name) => name !== "proc_exit"),
]);
const ALLOWED_IN_ALLOCATOR = new Set(["proxy_log", "fd_write", "clock_time_get", "poll_oneoff"]);

export class WasmVm {
  readonly memory: GuestMemory;
  failure: WasmTrap | null = null;
  readonly contexts = new Map<number, ContextState>();
  /** Outstanding HTTP and gRPC callouts of this instance, by token. */
  readonly callouts = new CalloutTable();
  /** Metric ids this instance handed out (each define gets a new id), and the stat behind each. */
  readonly metricIds = new Map<number, Stat>();
  /** True once the host threw this instance away (the canary after configuration). */
  discarded = false;
  /** DNS resolutions the guest asked for with envoy_resolve_dns and that are still unanswered, by token. */
  readonly dnsQueries = new Map<number, DnsQuery>();
  private nextContextId = 1;
  private dnsToken = 0;
  private readonly nextMetric = [0, 0, 0];
  private current: ContextState | null = null;
  private effective: ContextState | null = null;
  private phase: Phase = "idle";
  private callbackName = "";
  // Export lookups on a module instance are slow; the callbacks are looked up once each.
  private readonly functions = new Map<string, ((...args: number[]) => number) | null>();

  private constructor(
    readonly instance: WebAssembly.Instance,
    readonly abi: AbiVersion,
    /** The thread this instance runs on: "base", "canary", "main" or "worker N" (base and canary run on main). */
    readonly thread: string,
    private readonly startLogs: LogSink,
    readonly env: HostEnvironment,
    /** The WASI environment of this instance: its creator's `VmConfig.environment_variables`. */
    readonly environmentVariables: readonly (readonly [string, string])[],
  ) {
    const exports = instance.exports;
    const memory = Object.values(exports).find((e) => e instanceof WebAssembly.Memory);
    const allocator = (exports["malloc"] ?? exports["proxy_on_memory_allocate"]) as (size: number) => number;
    this.memory = new GuestMemory(memory as WebAssembly.Memory, (size) => this.allocate(allocator, size));
  }

  /** What the instance is for: Envoy's configuration canary, the main thread's or a worker's. */
  get role(): VmRole {
    const thread = this.thread;
    return thread === "base" || thread === "canary" || thread === "main" ? thread : "worker";
  }

  /**
   * Instantiates `module` with `link(vm)` as its imports and runs its start export. It is
   * synchronous so a failed instance can be replaced while a request arrives (FAIL_RELOAD).
   */
  static create(
    module: WebAssembly.Module,
    info: ModuleInfo,
    abi: AbiVersion,
    thread: string,
    logs: LogSink,
    env: HostEnvironment,
    environmentVariables: readonly (readonly [string, string])[],
    link: (vm: () => WasmVm) => WebAssembly.Imports,
  ): WasmVm {
    const started: { vm?: WasmVm } = {};
    const imports = link(() => {
      if (!started.vm) throw new RestrictedCallError("host call during instantiation (a wasm start section)");
      return started.vm;
    });
    const instance = new WebAssembly.Instance(module, imports);
    const vm = new WasmVm(instance, abi, thread, logs, env, environmentVariables);
    started.vm = vm;
    vm.runStart(info);
    return vm;
  }

  private runStart(info: ModuleInfo): void {
    const has = (name: string) => info.exports.some((e) => e.name === name && e.kind === "function");
    this.phase = "initialize";
    try {
      if (has("_initialize")) {
        this.fn("_initialize")();
        if (has("main")) this.fn("main")(0, 0);
        else if (has("__main_void")) this.fn("__main_void")();
      } else if (has("_start")) {
        this.fn("_start")();
      }
    } finally {
      this.phase = "idle";
    }
  }

  private fn(name: string): (...args: number[]) => number {
    return this.exported(name)!;
  }

  private exported(name: string): ((...args: number[]) => number) | null {
    let found = this.functions.get(name);
    if (found === undefined) {
      const value = this.instance.exports[name];
      found = typeof value === "function" ? (value as (...args: number[]) => number) : null;
      this.functions.set(name, found);
    }
    return found;
  }

  private allocate(allocator: (size: number) => number, size: number): number {
    const outer = this.phase;
    this.phase = "allocator";
    try {
      return allocator(size);
    } finally {
      this.phase = outer;
    }
  }

  /** Throws (trapping the guest) when `name` may not be called in the current phase, as Envoy does. */
  checkAllowed(name: string): void {
    if (this.phase === "initialize" && !ALLOWED_DURING_INITIALIZE.has(name)) {
      throw new RestrictedCallError(`${name} is not allowed while the module starts (restricted_callback)`);
    }
    if (this.phase === "allocator" && !ALLOWED_IN_ALLOCATOR.has(name)) {
      throw new RestrictedCallError(`${name} is not allowed inside the allocator (restricted_callback)`);
    }
  }

  /** True when the module exports callback `name`. */
  exports(name: string): boolean {
    return this.exported(name) !== null;
  }

  /** Where log lines go now: the running context's plugin, or the instance creator's while it starts. */
  get logs(): LogSink {
    const context = this.context;
    return context ? rootOf(context).logs : this.startLogs;
  }

  /** The next envoy_resolve_dns token of this instance: 1, 2, 3… (never 0). */
  newDnsToken(): number {
    this.dnsToken = (this.dnsToken + 1) >>> 0 || 1;
    return this.dnsToken;
  }

  /** Allocates the next context id of this VM (root and stream contexts share the counter). */
  newContextId(): number {
    return this.nextContextId++;
  }

  /** The next metric id of `type` in this instance: type + 4k, k from 1 (abi.md 2). */
  newMetricId(type: number): number {
    this.nextMetric[type]! += 1;
    return type + 4 * this.nextMetric[type]!;
  }

  /** The context host calls act on: the effective context if one was set, else the invoked one. */
  get context(): ContextState | null {
    return this.effective ?? this.current;
  }

  /** The name of the callback now running, or "" between callbacks. */
  get callback(): string {
    return this.callbackName;
  }

  /** Points later host calls of this callback at `id`; BadArgument for an unknown id. */
  setEffectiveContext(id: number): Status {
    const target = this.contexts.get(id);
    if (!target) return Status.BadArgument;
    this.effective = target;
    return Status.Ok;
  }

  /**
   * Calls export `name` on behalf of `context`; missing exports are skipped (undefined).
   * A trap marks the VM failed and is rethrown as WasmTrap.
   */
  invoke(context: ContextState, name: string, ...args: number[]): number | undefined {
    if (this.failure) throw this.failure;
    const callback = this.exported(name);
    if (!callback) return undefined;
    const outerCurrent = this.current;
    const outerEffective = this.effective;
    const outerCallback = this.callbackName;
    this.current = context;
    this.effective = null;
    this.callbackName = name;
    this.phase = "callback";
    try {
      const result = callback(...args);
      return result === undefined ? undefined : result >>> 0;
    } catch (error) {
      this.failure = new WasmTrap(name, error);
      throw this.failure;
    } finally {
      this.current = outerCurrent;
      this.effective = outerEffective;
      this.callbackName = outerCallback;
      this.phase = outerCurrent ? "callback" : "idle";
      if (!outerCurrent) this.env.runPosted();
    }
  }

  /**
   * Calls root callback `name` the way Envoy calls timers, queue and callout callbacks: only while
   * the instance and the root are alive, with `delivery` readable during the call. A trap marks the
   * VM failed and is not rethrown. Afterwards, streams act on what the callback scheduled for them
   * (continue, local reply) through proxy_set_effective_context. False when nothing was called.
   */
  deliverToRoot(root: RootState, name: string, args: number[], delivery: Delivery | null = null): boolean {
    if (this.failure || this.discarded || this.contexts.get(root.id) !== root) return false;
    root.delivery = delivery;
    try {
      this.invoke(root, name, ...args);
    } catch (error) {
      if (!(error instanceof WasmTrap)) throw error;
    } finally {
      root.delivery = null;
    }
    for (const context of [...this.contexts.values()]) {
      if (context.kind !== "root") context.runDeferred();
    }
    return true;
  }
}
