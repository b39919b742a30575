// The maps and buffers that exist only while a root callback runs (reference abi.md 3.2, 3.3):
// an HTTP call's response (maps 6/7, buffer 4) in proxy_on_http_call_response, gRPC metadata
// (maps 4/5) and messages (buffer 5) in their callbacks, and call data (buffer 8). They live on the
// root context, so a callback that switched to a stream with proxy_set_effective_context still
// reads them.

import { BufferType, MapType, Status } from "../abi/types.js";
import { type HeaderMap } from "./header-map.js";
import { rootOf, type WasmVm } from "./vm.js";

/** What one root callback may read beyond the usual maps and buffers. */
export interface Delivery {
  maps?: Partial<Record<MapType, HeaderMap>>;
  buffers?: Partial<Record<BufferType, Uint8Array>>;
}

/** True for the maps only a callout callback carries (4 to 7); they are never writable. */
export function isDeliveredMap(type: number): boolean {
  return type >= MapType.GrpcReceiveInitialMetadata && type <= MapType.HttpCallResponseTrailers;
}

/** Map `type` (4 to 7) as the running callback may read it, or BadArgument outside its callback. */
export function deliveredMap(vm: WasmVm, type: MapType): HeaderMap | Status {
  const context = vm.context;
  const map = context ? rootOf(context).delivery?.maps?.[type] : undefined;
  return map ?? Status.BadArgument;
}

/**
 * Buffer `type` (4, 5 or 8) as the running callback may read it. Outside its callback the
 * HTTP-call body is NotFound, and the gRPC message and call data read as empty (abi.md 3.3).
 */
export function deliveredBuffer(vm: WasmVm, type: BufferType): Uint8Array | Status {
  const context = vm.context;
  const bytes = context ? rootOf(context).delivery?.buffers?.[type] : undefined;
  if (bytes) return bytes;
  return type === BufferType.HttpCallResponseBody ? Status.NotFound : new Uint8Array();
}
