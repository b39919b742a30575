// Content digests as OCI writes them ("sha256:<64 lowercase hex>"), per image-spec descriptor.md.
// The only algorithm we produce or accept is sha256, which is what registries and Istio's fetcher use.

import { createHash } from "node:crypto";

/** The prefix every digest we produce carries. */
export const SHA256_PREFIX = "sha256:";

/** The lowercase hex sha256 of `bytes`. */
export function sha256Hex(bytes: Uint8Array): string {
  return createHash("sha256").update(bytes).digest("hex");
}

/** The OCI digest ("sha256:<hex>") of `bytes`. */
export function digestOf(bytes: Uint8Array): string {
  return SHA256_PREFIX + sha256Hex(bytes);
}

/** The hex part of a "sha256:<hex>" digest, or null when `digest` is not one. */
export function digestHex(digest: string): string | null {
  const match = /^sha256:([a-f0-9]{64})$/.exec(digest);
  return match ? match[1]! : null;
}
