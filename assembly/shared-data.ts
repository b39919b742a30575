// Shared data (reference abi.md 3.6, 5.5): a process-wide key-value store per vm_id, seen by
// every worker's copy of the VM. Updates race across workers; compare-and-set with the cas from
// a read (or create a key read as missing) and retry on CasMismatch.

import * as host from "./abi/state-hostcalls";
import { SharedDataValue } from "./abi/state-hostcalls";
import { Status } from "./types";

export { SharedDataValue };

/** Reads `key`; null when it was never set (an empty value is returned as an empty buffer). Call from any callback but module start. */
export function getSharedData(key: string): SharedDataValue | null {
  return host.getSharedData(key);
}

/** Writes `key` unconditionally. */
export function setSharedData(key: string, value: ArrayBuffer): Status {
  return host.setSharedData(key, value, 0);
}

/** Writes `key` as the UTF-8 bytes of `text`, unconditionally. */
export function setSharedDataText(key: string, text: string): Status {
  return host.setSharedData(key, String.UTF8.encode(text), 0);
}

/**
 * Writes `key` only if its cas is still `cas` (from getSharedData): CasMismatch when someone wrote
 * in between — read again and retry. Envoy creates a missing key whatever the cas, and cas 0 writes
 * unconditionally: for a key that was missing when read, use createSharedData.
 */
export function compareAndSetSharedData(key: string, value: ArrayBuffer, cas: u32): Status {
  return host.setSharedData(key, value, cas);
}

// A cas Envoy never issues before its global counter wraps (about 4.3 billion writes): a key that
// exists never has it, so a write with it only creates.
const CREATE_ONLY_CAS: u32 = 0xffffffff;

/**
 * Writes `key` only if it does not exist yet: CasMismatch when another thread created it since it
 * was read as missing (read again and update it with compareAndSetSharedData).
 */
export function createSharedData(key: string, value: ArrayBuffer): Status {
  return host.setSharedData(key, value, CREATE_ONLY_CAS);
}
