// Test entry: exposes Ed25519 verification to Node through asc's ESM bindings.

import { verifyEd25519 } from "../../../assembly/crypto/ed25519/verify";

export function verify(publicKey: Uint8Array, message: Uint8Array, signature: Uint8Array): bool {
  return verifyEd25519(publicKey, message, signature);
}
