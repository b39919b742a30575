// A plugin (one Wasm filter configuration) as Envoy starts it (reference abi.md 8.1): the module
// is checked and linked, a canary instance runs create, vm_start and configure and is thrown
// away, then each worker instance does the same and serves streams. Every instance lives in one
// host environment (clock, clusters, shared data and queues, stats) shared with other plugins.

import { readFile } from "node:fs/promises";
import { checkExports, detectAbi, link, ModuleLoadError } from "./abi/imports.js";
import { readModuleInfo } from "./abi/module-info.js";
import { type AbiVersion } from "./abi/signatures.js";
import { BufferType, LogLevel } from "./abi/types.js";
import { GrpcCall, HttpCall } from "./host/callouts.js";
import { shutdownRoot } from "./host/context-calls.js";
import { HostEnvironment } from "./host/environment.js";
import { type FailurePolicy, HttpStream, type HttpStreamOptions } from "./host/http-stream.js";
import { TcpStream, type TcpStreamOptions } from "./host/tcp-stream.js";
import { type LogEntry, LogSink } from "./host/logs.js";
import { newRootState, type PluginSpec, type RootState, type VmRole, WasmTrap, WasmVm } from "./host/vm.js";

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
  /** `PluginConfig.allow_on_headers_stop_iteration`. */
  allowOnHeadersStopIteration?: boolean;
  /** `PluginConfig.failure_policy`; defaults to FAIL_CLOSED. */
  failurePolicy?: FailurePolicy;
  /** The process the plugin runs in; plugins given the same environment share its state. Defaults to a new one. */
  environment?: HostEnvironment;
  /** How many worker instances to start (Envoy's worker threads), each with its own context ids; default 1. */
  workers?: number;
}

/** Where a plugin stands: serving, or rejected by its own on_vm_start or on_configure. */
export type PluginStatus = "running" | "start_failed" | "configure_failed";

interface Worker {
  vm: WasmVm;
  root: RootState;
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
    private readonly workerVms: Worker[],
    /** Why the plugin was rejected, when it was; includes a trap's message. */
    readonly failure: string | null,
    /** The host environment the plugin's instances run in. */
    readonly environment: HostEnvironment,
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
    };
    const sink = new LogSink(options.logLevel ?? LogLevel.Info);
    const policy = options.failurePolicy ?? "FAIL_CLOSED";
    const env = options.environment ?? new HostEnvironment();
    const startVm = async (role: VmRole) => {
      try {
        return await WasmVm.start(module, info, abi, role, sink, env, (vm) => link(info, abi, vm));
      } catch (error) {
        if (error instanceof ModuleLoadError) throw error;
        throw new ModuleLoadError(`Wasm VM failed to start: ${error instanceof Error ? error.message : String(error)}`);
      }
    };
    const canaryVm = await startVm("canary");
    const canary = startRoot(canaryVm, spec);
    canaryVm.discarded = true;
    if (canary.status !== "running") {
      return new Plugin(abi, spec, canary.status, sink, policy, [], canary.failure, env);
    }
    const workers: Worker[] = [];
    for (let i = 0; i < (options.workers ?? 1); i++) {
      const vm = await startVm("worker");
      const started = startRoot(vm, spec);
      if (started.status !== "running") {
        return new Plugin(abi, spec, started.status, sink, policy, [], started.failure, env);
      }
      workers.push({ vm, root: started.root });
    }
    return new Plugin(abi, spec, "running", sink, policy, workers, null, env);
  }

  /** Every log line written so far, by the canary and the workers. */
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

  /** The root context id of the plugin in worker `worker` (default 0). */
  rootContextId(worker = 0): number {
    return this.worker(worker).root.id;
  }

  /** Opens a new HTTP stream through this plugin on worker `worker` (default 0); throws when the plugin was rejected. */
  newHttpStream(worker = 0, options: HttpStreamOptions = {}): HttpStream {
    const { vm, root } = this.worker(worker);
    return new HttpStream(vm, root, this.failurePolicy, options);
  }

  /** Accepts a TCP connection through this plugin (a network filter) on worker `worker`; throws when rejected. */
  newTcpStream(worker = 0, options: TcpStreamOptions = {}): TcpStream {
    const { vm, root } = this.worker(worker);
    return new TcpStream(vm, root, this.failurePolicy, options);
  }

  /** The HTTP callouts still waiting for an answer, on every worker, oldest first per worker. */
  get httpCalls(): HttpCall[] {
    return this.workerVms.flatMap((w) => w.vm.callouts.all().filter((c) => c instanceof HttpCall));
  }

  /** The gRPC calls and streams still open, on every worker. */
  get grpcCalls(): GrpcCall[] {
    return this.workerVms.flatMap((w) => w.vm.callouts.all().filter((c) => c instanceof GrpcCall));
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
   * Removes the plugin as Envoy does on a configuration change (abi.md 8.1): on every worker,
   * proxy_on_done(root), then proxy_on_delete(root) at once, or after the guest calls proxy_done
   * when on_done returned 0.
   */
  shutdown(): void {
    for (const { vm, root } of this.workerVms) shutdownRoot(vm, root);
  }

  /** True once worker `worker`'s root context was deleted (after shutdown). */
  isDeleted(worker = 0): boolean {
    const { vm, root } = this.worker(worker);
    return vm.contexts.get(root.id) !== root;
  }

  private worker(index: number): Worker {
    const worker = this.workerVms[index];
    if (worker) return worker;
    if (this.status !== "running") {
      throw new Error(`plugin "${this.spec.name}" is not running (${this.status}): ${this.failure}`);
    }
    throw new Error(`plugin "${this.spec.name}" has no worker ${index}`);
  }
}

function startRoot(vm: WasmVm, plugin: PluginSpec): { status: PluginStatus; root: RootState; failure: string | null } {
  const root = newRootState(vm.newContextId(), plugin);
  vm.contexts.set(root.id, root);
  let stage: PluginStatus = "start_failed";
  try {
    vm.invoke(root, "proxy_on_context_create", root.id, 0);
    if (vm.invoke(root, "proxy_on_vm_start", root.id, plugin.vmConfiguration.length) === 0) {
      return { status: stage, root, failure: "proxy_on_vm_start returned false" };
    }
    stage = "configure_failed";
    root.configuring = true;
    if (vm.invoke(root, "proxy_on_configure", root.id, plugin.configuration.length) === 0) {
      return { status: stage, root, failure: "proxy_on_configure returned false" };
    }
    return { status: "running", root, failure: null };
  } catch (error) {
    if (error instanceof WasmTrap) return { status: stage, root, failure: error.message };
    throw error;
  } finally {
    root.configuring = false;
  }
}
