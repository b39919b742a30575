// proxy_get_buffer_bytes and proxy_get_buffer_status (reference abi.md 3.3) for the buffers a
// plugin reads at start and configure time and the body chunk of the current body callback.

import { BufferType, Status } from "../abi/types.js";
import { HttpStream } from "./http-stream.js";
import { type HostFunction, type WasmVm } from "./vm.js";

function buffer(vm: WasmVm, type: number): Uint8Array | Status {
  const context = vm.context;
  switch (type) {
    case BufferType.VmConfiguration:
      return context ? rootOf(context).plugin.vmConfiguration : new Uint8Array();
    case BufferType.PluginConfiguration: {
      const root = context && context.kind === "root" ? context : null;
      return root?.configuring ? root.plugin.configuration : Status.NotFound;
    }
    case BufferType.HttpRequestBody:
    case BufferType.HttpResponseBody: {
      const direction = type === BufferType.HttpRequestBody ? "request" : "response";
      const body = context instanceof HttpStream ? context.currentBody : null;
      return body?.direction === direction ? body.bytes : new Uint8Array();
    }
    case BufferType.HttpCallResponseBody:
      return Status.NotFound;
    default:
      return type > BufferType.CallData ? Status.BadArgument : new Uint8Array();
  }
}

function rootOf(context: NonNullable<WasmVm["context"]>) {
  return context.kind === "root" ? context : context.root;
}

export const bufferCalls: Record<string, HostFunction> = {
  proxy_get_buffer_bytes(vm, type, start, maxSize, dataPtrPtr, dataSizePtr) {
    const from = Number(start) >>> 0;
    const length = Number(maxSize) >>> 0;
    if (from + length > 0xffffffff) return Status.BadArgument;
    const bytes = buffer(vm, Number(type));
    if (typeof bytes === "number") return bytes;
    const slice = from >= bytes.length ? new Uint8Array() : bytes.subarray(from, Math.min(bytes.length, from + length));
    return vm.memory.returnBytes(Number(dataPtrPtr), Number(dataSizePtr), slice);
  },
  proxy_get_buffer_status(vm, type, lengthPtr, flagsPtr) {
    const bytes = buffer(vm, Number(type));
    if (typeof bytes === "number") return bytes;
    vm.memory.writeU32(Number(lengthPtr), bytes.length);
    vm.memory.writeU32(Number(flagsPtr), 0);
    return Status.Ok;
  },
};
