// Random bytes from the host (WASI random_get, which Envoy serves from BoringSSL), for ids such as
// trace and span ids. Not for keys: the SDK verifies signatures, it never creates secrets.

import { random_get } from "./abi/imports";

/** Returns `length` random bytes from the host, or null when the host refuses. */
export function randomBytes(length: i32): Uint8Array | null {
  const bytes = new Uint8Array(max(length, 0));
  return fillRandom(bytes) ? bytes : null;
}

/** Fills `bytes` with random bytes from the host, so a caller can reuse one buffer; false when the host refuses. */
export function fillRandom(bytes: Uint8Array): bool {
  for (let offset = 0; offset < bytes.length; offset += 65536) {
    const chunk = min(bytes.length - offset, 65536);
    if (random_get(bytes.dataStart + <usize>offset, <usize>chunk) != 0) return false;
  }
  return true;
}
