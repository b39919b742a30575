// How Envoy hands Wasm instances to plugins (reference abi.md 8.1-8.3): plugins whose VM key
// (vm_id, VM configuration, code) matches share one instance per thread, each with its own root
// context (ids from the instance's counter); a failed instance is never handed out again; and
// with FAIL_RELOAD a plugin whose instance trapped gets a fresh one once the reload backoff has
// passed since its last load. Envoy would also let two plugins with identical configuration share
// one root context; here every loaded plugin gets its own, so each keeps its own log.

import { createHash } from "node:crypto";
import { ModuleLoadError } from "../abi/imports.js";
import { type ModuleInfo } from "../abi/module-info.js";
import { type AbiVersion } from "../abi/signatures.js";
import { type HostEnvironment } from "./environment.js";
import { type FailurePolicy } from "./http-stream.js";
import { type LogSink } from "./logs.js";
import { newRootState, type PluginSpec, type RootState, WasmTrap, WasmVm } from "./vm.js";

/** Where a plugin stands: serving, or rejected by its own on_vm_start or on_configure. */
export type PluginStatus = "running" | "start_failed" | "configure_failed";

/** What it takes to make an instance of one module for one VM configuration. */
export interface VmBlueprint {
  module: WebAssembly.Module;
  info: ModuleInfo;
  abi: AbiVersion;
  /** Envoy's VM key: a hash of vm_id, the VM configuration and the code. */
  key: string;
  environmentVariables: readonly (readonly [string, string])[];
  link: (vm: () => WasmVm) => WebAssembly.Imports;
}

/** A plugin's root in one thread's instance, and when it was loaded (the FAIL_RELOAD backoff counts from it). */
export interface PluginHandle {
  vm: WasmVm;
  root: RootState;
  loadedAt: bigint;
}

/** Envoy's makeVmKey: instances are shared only between identical vm_id, VM configuration and code. */
export function vmKey(vmId: string, vmConfiguration: Uint8Array, code: Uint8Array): string {
  const hash = createHash("sha256");
  for (const part of [new TextEncoder().encode(vmId), vmConfiguration, code]) {
    hash.update(String(part.length)).update(":").update(part);
  }
  return hash.digest("hex");
}

/** A new instance for `thread` (it runs its start export); a failure to instantiate or start rejects the module. */
export function newInstance(blueprint: VmBlueprint, thread: string, logs: LogSink, env: HostEnvironment): WasmVm {
  const { module, info, abi, environmentVariables, link } = blueprint;
  try {
    return WasmVm.create(module, info, abi, thread, logs, env, environmentVariables, link);
  } catch (error) {
    if (error instanceof ModuleLoadError) throw error;
    throw new ModuleLoadError(`Wasm VM failed to start: ${error instanceof Error ? error.message : String(error)}`);
  }
}

/**
 * The instance of `blueprint` that thread `thread` (e.g. "worker 0", "main") runs, shared by every
 * plugin with the same VM key in `env`; a failed or discarded one is replaced by a new instance.
 */
export function sharedInstance(blueprint: VmBlueprint, thread: string, logs: LogSink, env: HostEnvironment): WasmVm {
  const slot = `${blueprint.key} ${thread}`;
  const existing = env.instances.get(slot);
  const alive = existing && [...existing.contexts.values()].some((c) => c.kind === "root");
  if (existing && alive && !existing.failure && !existing.discarded) return existing;
  const vm = newInstance(blueprint, thread, logs, env);
  env.instances.set(slot, vm);
  return vm;
}

/**
 * Envoy's base instance for `blueprint`'s VM key: the module instantiated once (its start function
 * runs) and kept to clone the canary and the thread instances from; plugins with the same VM key
 * share it.
 */
export function baseInstance(blueprint: VmBlueprint, logs: LogSink, env: HostEnvironment): WasmVm {
  const slot = `${blueprint.key} base`;
  const existing = env.instances.get(slot);
  if (existing) return existing;
  const vm = newInstance(blueprint, "base", logs, env);
  env.instances.set(slot, vm);
  return vm;
}

/** Starts the plugin in `vm`: on_context_create, on_vm_start and on_configure on a new root context. */
export function startPlugin(
  vm: WasmVm,
  spec: PluginSpec,
  logs: LogSink,
): { status: PluginStatus; root: RootState; failure: string | null } {
  const root = newRootState(vm.newContextId(), spec, logs);
  vm.contexts.set(root.id, root);
  let stage: PluginStatus = "start_failed";
  try {
    vm.invoke(root, "proxy_on_context_create", root.id, 0);
    if (vm.invoke(root, "proxy_on_vm_start", root.id, spec.vmConfiguration.length) === 0) {
      return { status: stage, root, failure: "proxy_on_vm_start returned false" };
    }
    stage = "configure_failed";
    root.configuring = true;
    if (vm.invoke(root, "proxy_on_configure", root.id, spec.configuration.length) === 0) {
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

/** How a plugin reloads its instance after a trap (Envoy's PluginConfig::maybeReloadHandleIfNeeded). */
export interface ReloadPolicy {
  policy: FailurePolicy;
  /** `reload_config.backoff.base_interval` in milliseconds. */
  backoffMs: number;
}

/**
 * The handle a new stream should use. Only a runtime trap under FAIL_RELOAD reloads: once
 * `backoffMs` has passed since the handle was loaded, a fresh instance (start export, create,
 * vm_start, configure) replaces it if it starts; the attempt restarts the backoff either way.
 * Before that, and after a failed attempt, streams keep the failed handle and fail closed.
 */
export function reloadIfNeeded(
  handle: PluginHandle,
  reload: ReloadPolicy,
  start: () => { vm: WasmVm; status: PluginStatus; root: RootState },
): PluginHandle {
  if (reload.policy !== "FAIL_RELOAD" || !handle.vm.failure) return handle;
  const now = handle.vm.env.clock.nanoseconds;
  if (now - handle.loadedAt < BigInt(reload.backoffMs) * 1_000_000n) return handle;
  handle.loadedAt = now;
  try {
    const started = start();
    if (started.status !== "running" || started.vm.failure) return handle;
    return { vm: started.vm, root: started.root, loadedAt: now };
  } catch (error) {
    if (error instanceof ModuleLoadError) return handle;
    throw error;
  }
}
