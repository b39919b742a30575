// A plugin (one Wasm filter configuration) as Envoy starts it (reference abi.md 8.1): the module
// is checked and linked, a canary instance runs create, vm_start and configure and is thrown
// away, then the worker instance does the same and serves streams.

import { readFile } from "node:fs/promises";
import { checkExports, detectAbi, link, ModuleLoadError } from "./abi/imports.js";
import { readModuleInfo } from "./abi/module-info.js";
import { type AbiVersion } from "./abi/signatures.js";
import { LogLevel } from "./abi/types.js";
import { type FailurePolicy, HttpStream } from "./host/http-stream.js";
import { type LogEntry, LogSink } from "./host/logs.js";
import { type PluginSpec, type RootState, type VmRole, WasmTrap, WasmVm } from "./host/vm.js";

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
}

/** Where a plugin stands: serving, or rejected by its own on_vm_start or on_configure. */
export type PluginStatus = "running" | "start_failed" | "configure_failed";

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
    private readonly worker: { vm: WasmVm; root: RootState } | null,
    /** Why the plugin was rejected, when it was; includes a trap's message. */
    readonly failure: string | null,
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
    const startVm = async (role: VmRole) => {
      try {
        return await WasmVm.start(module, info, abi, role, sink, (vm) => link(info, abi, vm));
      } catch (error) {
        if (error instanceof ModuleLoadError) throw error;
        throw new ModuleLoadError(`Wasm VM failed to start: ${error instanceof Error ? error.message : String(error)}`);
      }
    };
    const canary = startRoot(await startVm("canary"), spec);
    if (canary.status !== "running") {
      return new Plugin(abi, spec, canary.status, sink, policy, null, canary.failure);
    }
    const vm = await startVm("worker");
    const worker = startRoot(vm, spec);
    const running = worker.status === "running" ? { vm, root: worker.root } : null;
    return new Plugin(abi, spec, worker.status, sink, policy, running, worker.failure);
  }

  /** Every log line written so far, by the canary and the worker. */
  get logs(): readonly LogEntry[] {
    return this.sink.entries;
  }

  /** The messages logged at `level` (or at every level when omitted), in order. */
  logMessages(level?: LogLevel): string[] {
    return this.sink.entries.filter((e) => level === undefined || e.level === level).map((e) => e.message);
  }

  /** The trap that killed the worker VM, if one did. */
  get trap(): WasmTrap | null {
    return this.worker?.vm.failure ?? null;
  }

  /** Opens a new HTTP stream through this plugin; throws when the plugin was rejected. */
  newHttpStream(): HttpStream {
    if (!this.worker) throw new Error(`plugin "${this.spec.name}" is not running (${this.status}): ${this.failure}`);
    return new HttpStream(this.worker.vm, this.worker.root, this.failurePolicy);
  }
}

function startRoot(vm: WasmVm, plugin: PluginSpec): { status: PluginStatus; root: RootState; failure: string | null } {
  const root: RootState = { kind: "root", id: vm.newContextId(), plugin, configuring: false };
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
