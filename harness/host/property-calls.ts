// proxy_get_property and proxy_set_property (reference abi.md 3.8, 5.3, 5.4, 7): NUL-separated
// paths resolved against the plugin identity (everywhere) and the stream's attributes and filter
// state (stream contexts only); writes go to the stream's filter state as `wasm.<path>`.

import { Status } from "../abi/types.js";
import { propertyPath, resolveProperty } from "./attributes.js";
import { ByBytes } from "./by-bytes.js";
import { utf8Text } from "./header-text.js";
import { type HttpStreamState } from "./http-stream-state.js";
import { type TcpStream } from "./tcp-stream.js";
import { type HostFunction, rootOf, type WasmVm } from "./vm.js";

// The stream the call acts on, or null in a root context (a kind test costs less than instanceof).
function streamOf(vm: WasmVm): HttpStreamState | TcpStream | null {
  const context = vm.context;
  return context === null || context.kind === "root" ? null : context;
}

// The filter-state key (`wasm.<name>`) of each name a guest writes.
const FILTER_STATE_KEYS = new ByBytes((bytes) => `wasm.${utf8Text(bytes)}`);

export const propertyCalls: Record<string, HostFunction> = {
  proxy_get_property(vm, pathPtr, pathSize, valuePtrPtr, valueSizePtr) {
    const start = Number(pathPtr) >>> 0;
    const end = start + (Number(pathSize) >>> 0);
    const path = propertyPath(vm.memory.checked(start, end - start), start, end);
    const context = vm.context;
    if (!context) return Status.NotFound;
    const value = resolveProperty(path, rootOf(context).plugin, streamOf(vm));
    if (typeof value === "number") return value;
    return vm.memory.returnBytes(Number(valuePtrPtr), Number(valueSizePtr), value);
  },
  proxy_set_property(vm, pathPtr, pathSize, valuePtr, valueSize) {
    const start = Number(pathPtr) >>> 0;
    const end = start + (Number(pathSize) >>> 0);
    const key = FILTER_STATE_KEYS.get(vm.memory.checked(start, end - start), start, end);
    const value = vm.memory.read(Number(valuePtr), Number(valueSize));
    const stream = streamOf(vm);
    if (!stream) return Status.NotFound;
    return stream.filterState.write(key, value);
  },
};
