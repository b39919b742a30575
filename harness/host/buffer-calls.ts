// The buffer host functions (reference abi.md 3.3): configuration buffers, the HTTP body of the
// running body callback (the chunk, or the whole body after StopIterationAndBuffer), TCP data
// while its callback runs or the direction is paused, and the callout buffers. Writes follow
// Envoy's rules: start 0 drops `size` bytes then prepends, start >= length appends, anything in
// between is BadArgument, and a buffer outside its window is immutable.

import { BufferType, Status } from "../abi/types.js";
import { deliveredBuffer } from "./delivery.js";
import { concat } from "./http-flow.js";
import { HttpStream } from "./http-stream.js";
import { TcpStream } from "./tcp-stream.js";
import { type HostFunction, rootOf, type WasmVm } from "./vm.js";

/** A buffer as the running callback may see it, and how to replace it when it is writable. */
interface BufferView {
  bytes: Uint8Array;
  write: ((bytes: Uint8Array) => void) | null;
}

function buffer(vm: WasmVm, type: number): BufferView | Status {
  const context = vm.context;
  const readOnly = (bytes: Uint8Array): BufferView => ({ bytes, write: null });
  switch (type) {
    case BufferType.VmConfiguration:
      return readOnly(context ? rootOf(context).plugin.vmConfiguration : new Uint8Array());
    case BufferType.PluginConfiguration: {
      const root = context && context.kind === "root" ? context : null;
      return root?.configuring ? readOnly(root.plugin.configuration) : Status.NotFound;
    }
    case BufferType.HttpRequestBody:
    case BufferType.HttpResponseBody: {
      if (!(context instanceof HttpStream)) return readOnly(new Uint8Array());
      const body = context.bodyBuffer(type);
      return { bytes: body.bytes, write: body.mutable ? (bytes) => context.setBody(bytes) : null };
    }
    case BufferType.DownstreamData:
    case BufferType.UpstreamData: {
      const data = context instanceof TcpStream ? context.dataBuffer(type) : null;
      if (!data || !(context instanceof TcpStream)) return readOnly(new Uint8Array());
      return { bytes: data, write: (bytes) => context.setDataBuffer(type, bytes) };
    }
    case BufferType.HttpCallResponseBody:
    case BufferType.GrpcReceiveBuffer:
    case BufferType.CallData: {
      const bytes = deliveredBuffer(vm, type);
      return typeof bytes === "number" ? bytes : readOnly(bytes);
    }
    default:
      return Status.BadArgument;
  }
}

export const bufferCalls: Record<string, HostFunction> = {
  proxy_get_buffer_bytes(vm, type, start, maxSize, dataPtrPtr, dataSizePtr) {
    const from = Number(start) >>> 0;
    const length = Number(maxSize) >>> 0;
    if (from + length > 0xffffffff) return Status.BadArgument;
    const view = buffer(vm, Number(type));
    if (typeof view === "number") return view;
    const bytes = view.bytes;
    const slice = from >= bytes.length ? new Uint8Array() : bytes.subarray(from, Math.min(bytes.length, from + length));
    return vm.memory.returnBytes(Number(dataPtrPtr), Number(dataSizePtr), slice);
  },
  proxy_get_buffer_status(vm, type, lengthPtr, flagsPtr) {
    const view = buffer(vm, Number(type));
    if (typeof view === "number") return view;
    vm.memory.writeU32(Number(lengthPtr), view.bytes.length);
    vm.memory.writeU32(Number(flagsPtr), 0);
    return Status.Ok;
  },
  proxy_set_buffer_bytes(vm, type, start, size, dataPtr, dataSize) {
    const data = vm.memory.read(Number(dataPtr), Number(dataSize));
    const view = buffer(vm, Number(type));
    if (typeof view === "number") return view;
    if (!view.write) return Status.BadArgument;
    const from = Number(start) >>> 0;
    const bytes = view.bytes;
    if (from === 0) view.write(concat(data.slice(), bytes.subarray(Math.min(Number(size) >>> 0, bytes.length))));
    else if (from >= bytes.length) view.write(concat(bytes, data.slice()));
    else return Status.BadArgument;
    return Status.Ok;
  },
};
