// A plugin (one Wasm filter configuration) as Envoy starts it (reference abi.md 8.1): the module
// is checked, linked and instantiated once as the base instance (only its start function runs),
// a canary instance runs create, vm_start and configure and is thrown away, then the main thread's instance and each worker instance do the same (Envoy sets the
// plugin's thread-local slot on the main thread too); only workers serve streams. Every instance lives in one
// host environment (clock, clusters, shared data and queues, stats) shared with other plugins;
// plugins with the same VM key share the worker instances there (abi.md 8.2), and FAIL_RELOAD
// replaces an instance that trapped (abi.md 8.3).

import { readFile } from "node:fs/promises";
import { checkExports, detectAbi, link } from "./abi/imports.js";
import { readModuleInfo } from "./abi/module-info.js";
import { type AbiVersion } from "./abi/signatures.js";
import { BufferType, LogLevel } from "./abi/types.js";
import { GrpcCall, HttpCall } from "./host/callouts.js";
import { shutdownRoot } from "./host/context-calls.js";
import { HostEnvironment } from "./host/environment.js";
import { type FailurePolicy, HttpStream, type HttpStreamOptions } from "./host/http-stream.js";
import { TcpStream, type TcpStreamOptions } from "./host/tcp-stream.js";
import { type LogEntry, LogSink } from "./host/logs.js";
import { type RtraceCounter } from "./host/rtrace.js";
import { HostCallTrace } from "./host/trace.js";
import { type PluginSpec, type WasmTrap } from "./host/vm.js";
import { type DnsQuery } from "./host/dns.js";
import { environmentVariables, type EnvironmentVariables } from "./host/vm-environment.js";
import {
  baseInstance,
  newInstance,
  type PluginHandle,
  type PluginStatus,
  type ReloadPolicy,
  reloadIfNeeded,
  sharedInstance,
  startPlugin,
  vmKey,
  type VmBlueprint,
} from "./host/vm-pool.js";

export { type PluginStatus } from "./host/vm-pool.js";

/** How to configure a plugin, mirroring Envoy's `PluginConfig` and `VmConfig`. */
export interface PluginOptions {
  /** `PluginConfig.name`; defaults to the root id. */
  name?: string;
  /** `PluginConfig.root_id`; defaults to "". */
  rootId?: string;
  /** `VmConfig.vm_id`; defaults to "". */
  vmId?: string;
  /** `PluginConfig.configuration`: raw text or bytes, or an object sent as JSON (like a Struct). */
  configuration?: string | Uint8Array | object;
  /** `VmConfig.configuration`. */
  vmConfiguration?: string | Uint8Array | object;
  /** Envoy's `wasm` log level; lines below it are dropped. Defaults to Info, Envoy's default. */
  logLevel?: LogLevel;
  /**
   * Receives each log line as it is written, instead of `logs` keeping it (`logs` stays empty): for
   * hosts that run for long, as a proxy does.
   */
  onLog?: (entry: LogEntry) => void;
  /** `PluginConfig.allow_on_headers_stop_iteration`. */
  allowOnHeadersStopIteration?: boolean;
  /** `PluginConfig.failure_policy`; defaults to FAIL_CLOSED. */
  failurePolicy?: FailurePolicy;
  /** The process the plugin runs in; plugins given the same environment share its state. Defaults to a new one. */
  environment?: HostEnvironment;
  /** How many worker instances to start (Envoy's worker threads), each with its own context ids; default 1. */
  workers?: number;
  /**
   * A singleton (Envoy's `envoy.bootstrap.wasm` with `singleton: true`): one instance on the main
   * thread, a root context and no streams, for timers, queues and shared data.
   */
  singleton?: boolean;
  /** `VmConfig.environment_variables`: what the guest reads through WASI environ_get. */
  environmentVariables?: EnvironmentVariables;
  /** `reload_config.backoff.base_interval` in milliseconds for FAIL_RELOAD; default 1000. */
  reloadBackoffMs?: number;
  /** Records every host call of every instance in `plugin.trace`: true for a new trace, or one to share. */
  trace?: HostCallTrace | boolean;
  /**
   * Links AssemblyScript's leak-tracing `rtrace.*` imports (modules built with the `rtraced` target)
   * to this counter; Envoy never provides them, so without it such a module fails to load.
   */
  rtrace?: RtraceCounter;
}

// How a plugin gets (again) its root in thread `index`, and when it may.
interface Loader {
  start: (index: number) => ReturnType<typeof startPlugin> & { vm: PluginHandle["vm"] };
  reload: ReloadPolicy;
  singleton: boolean;
}

function toBytes(value: string | Uint8Array | object | undefined): Uint8Array {
  if (value === undefined) return new Uint8Array();
  if (value instanceof Uint8Array) return value;
  return new TextEncoder().encode(typeof value === "string" ? value : JSON.stringify(value));
}

export class Plugin {
  private constructor(
    readonly abi: AbiVersion,
    readonly spec: PluginSpec,
    readonly status: PluginStatus,
    private readonly sink: LogSink,
    private readonly failurePolicy: FailurePolicy,
    private readonly workerVms: PluginHandle[],
    /** Why the plugin was rejected, when it was; includes a trap's message. */
    readonly failure: string | null,
    /** The host environment the plugin's instances run in. */
    readonly environment: HostEnvironment,
    /** The host calls of every instance, when loaded with the `trace` option; else null. */
    readonly trace: HostCallTrace | null,
    private readonly loader: Loader | null,
    /** The plugin's root on the main thread (null for a singleton, which lives only there). */
    private readonly mainThread: PluginHandle | null,
  ) {}

  /** Loads `wasm` (a path or the bytes) and starts it as Envoy would; throws ModuleLoadError for a module Envoy refuses. */
  static async load(wasm: string | Uint8Array, options: PluginOptions = {}): Promise<Plugin> {
    const binary = typeof wasm === "string" ? new Uint8Array(await readFile(wasm)) : wasm;
    const info = readModuleInfo(binary);
    const abi = detectAbi(info);
    checkExports(info, abi);
    const module = await WebAssembly.compile(new Uint8Array(binary));
    const spec: PluginSpec = {
      name: options.name ?? options.rootId ?? "",
      rootId: options.rootId ?? "",
      vmId: options.vmId ?? "",
      configuration: toBytes(options.configuration),
      vmConfiguration: toBytes(options.vmConfiguration),
      allowOnHeadersStopIteration: options.allowOnHeadersStopIteration ?? false,
      environmentVariables: environmentVariables(options.environmentVariables, options.name ?? options.rootId ?? ""),
    };
    const sink = new LogSink(options.logLevel ?? LogLevel.Info, options.onLog ?? null);
    const policy = options.failurePolicy ?? "FAIL_CLOSED";
    const env = options.environment ?? new HostEnvironment();
    const trace = options.trace === true ? new HostCallTrace() : options.trace || null;
    const blueprint: VmBlueprint = {
      module,
      info,
      abi,
      key: vmKey(spec.vmId, spec.vmConfiguration, binary),
      environmentVariables: spec.environmentVariables,
      link: (vm) => link(info, abi, vm, trace ?? undefined, options.rtrace),
    };
    baseInstance(blueprint, sink, env);
    const canaryVm = newInstance(blueprint, "canary", sink, env);
    const canary = startPlugin(canaryVm, spec, sink);
    canaryVm.discarded = true;
    if (canary.status !== "running") {
      return new Plugin(abi, spec, canary.status, sink, policy, [], canary.failure, env, trace, null, null);
    }
    const singleton = options.singleton ?? false;
    const loader: Loader = {
      start: (index) => {
        const vm = sharedInstance(blueprint, singleton ? "main" : `worker ${index}`, sink, env);
        return { vm, ...startPlugin(vm, spec, sink) };
      },
      reload: { policy, backoffMs: options.reloadBackoffMs ?? 1000 },
      singleton,
    };
    let mainThread: PluginHandle | null = null;
    if (!singleton) {
      const vm = sharedInstance(blueprint, "main", sink, env);
      const started = startPlugin(vm, spec, sink);
      if (started.status !== "running") {
        return new Plugin(abi, spec, started.status, sink, policy, [], started.failure, env, trace, null, null);
      }
      mainThread = { vm, root: started.root, loadedAt: env.clock.nanoseconds };
    }
    const workers: PluginHandle[] = [];
    for (let i = 0; i < (singleton ? 1 : (options.workers ?? 1)); i++) {
      const started = loader.start(i);
      if (started.status !== "running") {
        return new Plugin(abi, spec, started.status, sink, policy, [], started.failure, env, trace, null, null);
      }
      workers.push({ vm: started.vm, root: started.root, loadedAt: env.clock.nanoseconds });
    }
    return new Plugin(abi, spec, "running", sink, policy, workers, null, env, trace, loader, mainThread);
  }

  /** Every log line written so far, by the base instance, the canary, the main thread's instance and the workers (none with `onLog`). */
  get logs(): readonly LogEntry[] {
    return this.sink.entries;
  }

  /** The messages logged at `level` (or at every level when omitted), in order. */
  logMessages(level?: LogLevel): string[] {
    return this.sink.entries.filter((e) => level === undefined || e.level === level).map((e) => e.message);
  }

  /** The trap that killed a worker VM, if one did. */
  get trap(): WasmTrap | null {
    return this.workerVms.find((w) => w.vm.failure)?.vm.failure ?? null;
  }

  /** How many worker instances serve this plugin. */
  get workerCount(): number {
    return this.workerVms.length;
  }

  /**
   * Bytes of linear memory in worker `worker`'s current instance (default 0), shared with the plugins
   * of the same VM: for checks that serving many requests does not grow it. Throws for a worker the
   * plugin does not have or when it is not running; under FAIL_RELOAD a trapped instance counts
   * until the next stream replaces it.
   */
  memoryBytes(worker = 0): number {
    return this.worker(worker).vm.memory.byteLength;
  }

  /** The root context id of the plugin in worker `worker` (default 0). */
  rootContextId(worker = 0): number {
    return this.worker(worker).root.id;
  }

  /**
   * Opens a new HTTP stream through this plugin on worker `worker` (default 0); throws when the
   * plugin was rejected or is a singleton. Under FAIL_RELOAD a trapped instance is replaced first
   * once the backoff allows (abi.md 8.3).
   */
  newHttpStream(worker = 0, options: HttpStreamOptions = {}): HttpStream {
    const { vm, root } = this.streamHandle(worker);
    return new HttpStream(vm, root, this.failurePolicy, options);
  }

  /** Accepts a TCP connection through this plugin (a network filter) on worker `worker`; throws when rejected. */
  newTcpStream(worker = 0, options: TcpStreamOptions = {}): TcpStream {
    const { vm, root } = this.streamHandle(worker);
    return new TcpStream(vm, root, this.failurePolicy, options);
  }

  /** The HTTP callouts of this plugin's roots still waiting for an answer, oldest first per thread (workers, then main). */
  get httpCalls(): HttpCall[] {
    return this.threads.flatMap((w) =>
      w.vm.callouts.all().filter((c) => c instanceof HttpCall && c.rootId === w.root.id),
    ) as HttpCall[];
  }

  /** The gRPC calls and streams of this plugin's roots still open, on every thread (workers, then main). */
  get grpcCalls(): GrpcCall[] {
    return this.threads.flatMap((w) =>
      w.vm.callouts.all().filter((c) => c instanceof GrpcCall && c.rootId === w.root.id),
    ) as GrpcCall[];
  }

  /** The DNS resolutions this plugin's roots started with envoy_resolve_dns and that are unanswered. */
  get dnsQueries(): DnsQuery[] {
    return this.threads.flatMap((w) => [...w.vm.dnsQueries.values()].filter((q) => q.rootId === w.root.id));
  }

  // Every thread's handle: the workers, then the main thread's (which serves no streams but ticks).
  private get threads(): PluginHandle[] {
    return this.mainThread ? [...this.workerVms, this.mainThread] : this.workerVms;
  }

  /**
   * Calls proxy_on_foreign_function(root, functionId, data size) on worker `worker`, with `data`
   * readable as the call-data buffer (8) during the call. Envoy itself has no trigger for it; a
   * host extension would.
   */
  callOnForeignFunction(functionId: number, data: Uint8Array | string, worker = 0): void {
    const { vm, root } = this.worker(worker);
    const bytes = typeof data === "string" ? new TextEncoder().encode(data) : data;
    vm.deliverToRoot(root, "proxy_on_foreign_function", [root.id, functionId, bytes.length], {
      buffers: { [BufferType.CallData]: bytes },
    });
  }

  /**
   * Removes the plugin as Envoy does on a configuration change (abi.md 8.1): on every thread,
   * proxy_on_done(root), then proxy_on_delete(root) at once, or after the guest calls proxy_done
   * when on_done returned 0.
   */
  shutdown(): void {
    const mainThread = this.mainThread ? [this.mainThread] : [];
    for (const { vm, root } of [...mainThread, ...this.workerVms]) shutdownRoot(vm, root);
  }

  /** True once worker `worker`'s root context was deleted (after shutdown). */
  isDeleted(worker = 0): boolean {
    const { vm, root } = this.worker(worker);
    return vm.contexts.get(root.id) !== root;
  }

  private streamHandle(index: number): PluginHandle {
    const handle = this.worker(index);
    const loader = this.loader!;
    if (loader.singleton) throw new Error(`plugin "${this.spec.name}" is a singleton: it serves no streams`);
    const current = reloadIfNeeded(handle, loader.reload, () => loader.start(index));
    this.workerVms[index] = current;
    return current;
  }

  private worker(index: number): PluginHandle {
    const worker = this.workerVms[index];
    if (worker) return worker;
    if (this.status !== "running") {
      throw new Error(`plugin "${this.spec.name}" is not running (${this.status}): ${this.failure}`);
    }
    throw new Error(`plugin "${this.spec.name}" has no worker ${index}`);
  }
}
