// Test entry: exposes ECDSA verification to Node through asc's ESM bindings (curve as 0, 1, 2).

import { Curve, verifyEcdsa } from "../../../assembly/crypto/ec/ecdsa";

export function verify(curve: i32, x: Uint8Array, y: Uint8Array, message: Uint8Array, signature: Uint8Array): bool {
  return verifyEcdsa(<Curve>curve, x, y, message, signature);
}
