// Test entry: exposes HMAC and the constant-time comparison to Node through asc's ESM bindings.
// `algorithm` is 256, 384 or 512.

import { constantTimeEqual } from "../../../assembly/crypto/constant-time";
import { HmacKey, hmac as hmacImpl, verifyHmac as verifyHmacImpl } from "../../../assembly/crypto/hmac";
import { HashAlgorithm } from "../../../assembly/crypto/sha2";

function hash(algorithm: i32): HashAlgorithm {
  return algorithm == 256 ? HashAlgorithm.Sha256 : algorithm == 384 ? HashAlgorithm.Sha384 : HashAlgorithm.Sha512;
}

export function hmac(algorithm: i32, key: Uint8Array, message: Uint8Array): Uint8Array {
  return hmacImpl(hash(algorithm), key, message);
}

export function verifyHmac(algorithm: i32, key: Uint8Array, message: Uint8Array, signature: Uint8Array): bool {
  return verifyHmacImpl(hash(algorithm), key, message, signature);
}

export function equal(a: Uint8Array, b: Uint8Array): bool {
  return constantTimeEqual(a, b);
}

let prepared: HmacKey | null = null;
let preparedAlgorithm = HashAlgorithm.Sha256;
let preparedKey = new Uint8Array(0);
let preparedMessage = new Uint8Array(0);
let preparedSignature = new Uint8Array(0);

// For benchmarks: keeps a JWS key, signing input and signature inside the module, so that timing
// `verifyPrepared` measures verification as a filter runs it, without copying arguments in.
export function prepare(algorithm: i32, key: Uint8Array, message: Uint8Array, signature: Uint8Array): bool {
  prepared = HmacKey.forJws(hash(algorithm), key);
  preparedAlgorithm = hash(algorithm);
  preparedKey = key;
  preparedMessage = message;
  preparedSignature = signature;
  return prepared != null;
}

export function verifyPrepared(): bool {
  const key = prepared;
  return key != null && key.verify(preparedMessage, preparedSignature);
}

// For benchmarks: the one-shot verify (key preparation included) on the kept arguments.
export function verifyPreparedOneShot(): bool {
  return verifyHmacImpl(preparedAlgorithm, preparedKey, preparedMessage, preparedSignature);
}
