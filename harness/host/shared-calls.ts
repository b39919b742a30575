// Shared data and shared queues (reference abi.md 3.6, 5.5): process-wide, keyed by the caller's
// vm_id; a queue's registrant root is told about new items by a posted proxy_on_queue_ready.

import { Status } from "../abi/types.js";
import { type HostFunction, rootOf, type WasmVm } from "./vm.js";

const n = (value: number | bigint) => Number(value) >>> 0;

function vmIdOf(vm: WasmVm): string {
  const context = vm.context;
  return context ? rootOf(context).plugin.vmId : "";
}

export const sharedCalls: Record<string, HostFunction> = {
  proxy_get_shared_data(vm, keyPtr, keySize, valuePtrPtr, valueSizePtr, casPtr) {
    const key = vm.memory.readString(n(keyPtr), n(keySize));
    const entry = vm.env.sharedData.get(vmIdOf(vm), key);
    if (!entry) return Status.NotFound;
    vm.memory.writeU32(n(casPtr), entry.cas);
    return vm.memory.returnBytes(n(valuePtrPtr), n(valueSizePtr), entry.value);
  },
  proxy_set_shared_data(vm, keyPtr, keySize, valuePtr, valueSize, cas) {
    const key = vm.memory.readString(n(keyPtr), n(keySize));
    const value = vm.memory.read(n(valuePtr), n(valueSize));
    return vm.env.sharedData.set(vmIdOf(vm), key, value, n(cas));
  },
  proxy_register_shared_queue(vm, namePtr, nameSize, tokenPtr) {
    const name = vm.memory.readString(n(namePtr), n(nameSize));
    const context = vm.context;
    if (!context) return Status.NotFound;
    const root = rootOf(context);
    vm.memory.writeU32(n(tokenPtr), vm.env.queues.register(root.plugin.vmId, name, vm, root));
    return Status.Ok;
  },
  proxy_resolve_shared_queue(vm, vmIdPtr, vmIdSize, namePtr, nameSize, tokenPtr) {
    const vmId = vm.memory.readString(n(vmIdPtr), n(vmIdSize));
    const name = vm.memory.readString(n(namePtr), n(nameSize));
    const token = vm.env.queues.resolve(vmId === "" ? vmIdOf(vm) : vmId, name);
    if (token === undefined) return Status.NotFound;
    vm.memory.writeU32(n(tokenPtr), token);
    return Status.Ok;
  },
  proxy_enqueue_shared_queue(vm, token, dataPtr, dataSize) {
    const data = vm.memory.read(n(dataPtr), n(dataSize));
    const queue = vm.env.queues.get(n(token));
    if (!queue) return Status.NotFound;
    queue.items.push(data);
    const { vm: listener, root } = queue.listener;
    vm.env.post(() => listener.deliverToRoot(root, "proxy_on_queue_ready", [root.id, queue.token]));
    return Status.Ok;
  },
  proxy_dequeue_shared_queue(vm, token, dataPtrPtr, dataSizePtr) {
    const queue = vm.env.queues.get(n(token));
    if (!queue) return Status.NotFound;
    const item = queue.items.shift();
    if (!item) return Status.Empty;
    return vm.memory.returnBytes(n(dataPtrPtr), n(dataSizePtr), item);
  },
};
