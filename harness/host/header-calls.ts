// The header-map host functions (reference abi.md 3.2), with Envoy's availability windows and
// status codes: NotFound for a missing key (Ok with "" for v0.1.0 modules), BadArgument for a
// map outside its window, and pairs reads that never fail. Trailer writes and size queries in the
// body callback that ends a direction create the trailers (the stream decides, see map()).

import { MapType, Status } from "../abi/types.js";
import { deliveredMap, isDeliveredMap } from "./delivery.js";
import { type HeaderMap } from "./header-map.js";
import { headerByteLength, headerText, writeHeaderBytes } from "./header-text.js";
import { HttpStream } from "./http-stream.js";
import { deserializePairs, pairsSize, writePairs } from "./pairs.js";
import { type HostFunction, type WasmVm } from "./vm.js";

// Header names and values keep their bytes (see header-text.ts).
const text = (vm: WasmVm, ptr: number | bigint, size: number | bigint) => {
  const start = Number(ptr) >>> 0;
  const end = start + (Number(size) >>> 0);
  return headerText(vm.memory.checked(start, end - start), start, end);
};

function lookup(vm: WasmVm, mapType: number, access: "read" | "write"): HeaderMap | Status {
  if (mapType > MapType.HttpCallResponseTrailers) return Status.BadArgument;
  if (isDeliveredMap(mapType)) return access === "read" ? deliveredMap(vm, mapType) : Status.BadArgument;
  const context = vm.context;
  if (!(context instanceof HttpStream)) return Status.BadArgument;
  const map = context.map(mapType, access);
  if (map !== "unavailable") return map;
  return access === "read" && context.logging ? Status.NotFound : Status.BadArgument;
}

export const headerCalls: Record<string, HostFunction> = {
  proxy_get_header_map_value(vm, mapType, keyPtr, keySize, valuePtrPtr, valueSizePtr) {
    const key = text(vm, keyPtr, keySize);
    const map = lookup(vm, Number(mapType), "read");
    if (typeof map === "number") return map;
    const value = map.get(key);
    if (value === undefined && vm.abi !== "0.1.0") return Status.NotFound;
    const found = value ?? "";
    return vm.memory.returnWritten(Number(valuePtrPtr), Number(valueSizePtr), headerByteLength(found), (memory, at) =>
      writeHeaderBytes(memory, at, found),
    );
  },
  proxy_get_header_map_pairs(vm, mapType, pairsPtrPtr, pairsSizePtr) {
    if (Number(mapType) > MapType.HttpCallResponseTrailers) return Status.BadArgument;
    const map = lookup(vm, Number(mapType), "read");
    const entries = typeof map === "number" ? [] : map.view();
    const size = entries.length === 0 ? 0 : pairsSize(entries);
    return vm.memory.returnWritten(Number(pairsPtrPtr), Number(pairsSizePtr), size, (memory, at) =>
      writePairs(memory, at, entries),
    );
  },
  proxy_set_header_map_pairs(vm, mapType, ptr, size) {
    const pairs = deserializePairs(vm.memory.read(Number(ptr), Number(size)));
    const map = lookup(vm, Number(mapType), "write");
    if (typeof map === "number") return map;
    map.clear();
    for (const [name, value] of pairs) map.add(name, value);
    return Status.Ok;
  },
  proxy_add_header_map_value(vm, mapType, keyPtr, keySize, valuePtr, valueSize) {
    const key = text(vm, keyPtr, keySize);
    const value = text(vm, valuePtr, valueSize);
    const map = lookup(vm, Number(mapType), "write");
    if (typeof map === "number") return map;
    map.add(key, value);
    return Status.Ok;
  },
  proxy_replace_header_map_value(vm, mapType, keyPtr, keySize, valuePtr, valueSize) {
    const key = text(vm, keyPtr, keySize);
    const value = text(vm, valuePtr, valueSize);
    const map = lookup(vm, Number(mapType), "write");
    if (typeof map === "number") return map;
    map.set(key, value);
    return Status.Ok;
  },
  proxy_remove_header_map_value(vm, mapType, keyPtr, keySize) {
    const key = text(vm, keyPtr, keySize);
    const map = lookup(vm, Number(mapType), "write");
    if (typeof map === "number") return map;
    map.remove(key);
    return Status.Ok;
  },
  proxy_get_header_map_size(vm, mapType, sizePtr) {
    if (Number(mapType) > MapType.HttpResponseTrailers) return Status.BadArgument;
    const map = lookup(vm, Number(mapType), "write");
    if (typeof map === "number") return map;
    vm.memory.writeU32(Number(sizePtr), map.byteSize());
    return Status.Ok;
  },
};
