// Foreign functions (reference abi.md 3.9): host extensions called by name. Envoy ships
// `compress`/`uncompress` (zlib format), `declare_property` and `set_envoy_filter_state`.

import * as host from "./abi/hostcalls";
import * as callout from "./abi/callout-hostcalls";
import { ForeignResult } from "./abi/callout-hostcalls";
import { BufferType, Status } from "./types";

export { ForeignResult };

/** Calls host extension `name` with `args`; status NotFound when the host has no such function. */
export function callForeignFunction(name: string, args: ArrayBuffer): ForeignResult {
  return callout.callForeignFunction(name, args);
}

/** Compresses `data` in zlib format with Envoy's `compress`; null when the host refuses. */
export function compress(data: ArrayBuffer): ArrayBuffer | null {
  const result = callout.callForeignFunction("compress", data);
  return result.status == Status.Ok ? result.value : null;
}

/** Decompresses zlib `data` with Envoy's `uncompress`; null for corrupt input or when the host refuses. */
export function uncompress(data: ArrayBuffer): ArrayBuffer | null {
  const result = callout.callForeignFunction("uncompress", data);
  return result.status == Status.Ok ? result.value : null;
}

/** Returns the arguments of the running onForeignFunction (the call-data buffer); empty elsewhere. */
export function foreignFunctionArguments(size: u32): ArrayBuffer {
  const bytes = host.getBufferBytes(BufferType.CallData, 0, size);
  return bytes == null ? new ArrayBuffer(0) : bytes;
}
