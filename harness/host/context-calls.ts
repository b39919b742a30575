// Context management, status and foreign functions (reference abi.md 3.1, 3.9, 8.1): switching
// the effective context, a root's deferred shutdown through proxy_done, the root's last status,
// and host extensions called by name.

import { Status } from "../abi/types.js";
import { type HostFunction, type RootState, rootOf, WasmTrap, type WasmVm } from "./vm.js";

const n = (value: number | bigint) => Number(value) >>> 0;

/**
 * Envoy's root shutdown: proxy_on_done(root); a non-zero answer (or no export) deletes the root at
 * once, zero keeps it alive (ticks and callouts still arrive) until the guest calls proxy_done.
 */
export function shutdownRoot(vm: WasmVm, root: RootState): void {
  if (root.shutdown !== "none" || vm.contexts.get(root.id) !== root) return;
  let done: number | undefined = 1;
  try {
    if (!vm.failure) done = vm.invoke(root, "proxy_on_done", root.id) ?? 1;
  } catch (error) {
    if (!(error instanceof WasmTrap)) throw error;
  }
  if (done === 0 && !vm.failure) root.shutdown = "awaiting_done";
  else deleteRoot(vm, root);
}

/** Deletes `root`: its timer stops, its callouts are cancelled, then proxy_on_delete(root). */
export function deleteRoot(vm: WasmVm, root: RootState): void {
  root.shutdown = "deleting";
  root.tickPeriodMs = 0;
  root.tick?.cancel();
  root.tick = null;
  vm.callouts.cancelFor(root.id);
  try {
    if (!vm.failure) vm.invoke(root, "proxy_on_delete", root.id);
  } catch (error) {
    if (!(error instanceof WasmTrap)) throw error;
  } finally {
    vm.contexts.delete(root.id);
  }
}

export const contextCalls: Record<string, HostFunction> = {
  proxy_set_effective_context: (vm, id) => vm.setEffectiveContext(n(id)),
  proxy_done(vm) {
    const context = vm.context;
    if (context?.kind !== "root" || context.shutdown !== "awaiting_done") return Status.NotFound;
    context.shutdown = "deleting";
    vm.env.post(() => deleteRoot(vm, context));
    return Status.Ok;
  },
  proxy_get_status(vm, codePtr, messagePtrPtr, messageSizePtr) {
    const context = vm.context;
    const status = context ? rootOf(context).status : { code: 0, message: "" };
    vm.memory.writeU32(n(codePtr), status.code);
    return vm.memory.returnBytes(n(messagePtrPtr), n(messageSizePtr), new TextEncoder().encode(status.message));
  },
  proxy_call_foreign_function(vm, namePtr, nameSize, argsPtr, argsSize, resultPtrPtr, resultSizePtr) {
    const name = vm.memory.readString(n(namePtr), n(nameSize));
    const args = vm.memory.read(n(argsPtr), n(argsSize));
    const fn = vm.env.foreignFunction(name);
    if (!fn) return Status.NotFound;
    const result = fn(args);
    if (typeof result === "number") return result;
    if (n(resultPtrPtr) === 0 || n(resultSizePtr) === 0) return Status.Ok;
    return vm.memory.returnBytes(n(resultPtrPtr), n(resultSizePtr), result);
  },
};
