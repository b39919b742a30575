// Test entry: exposes RSA verification to Node through asc's ESM bindings, both one-shot and with a
// key prepared once (as a JWKS cache would hold it).

import { RsaVerifier, verifyRsaPkcs1, verifyRsaPss } from "../../../assembly/crypto/rsa";
import { HashAlgorithm } from "../../../assembly/crypto/sha2";

let prepared: RsaVerifier | null = null;

export function pkcs1(hash: i32, n: Uint8Array, e: Uint8Array, message: Uint8Array, signature: Uint8Array): bool {
  return verifyRsaPkcs1(<HashAlgorithm>hash, n, e, message, signature);
}

export function pss(hash: i32, n: Uint8Array, e: Uint8Array, message: Uint8Array, signature: Uint8Array): bool {
  return verifyRsaPss(<HashAlgorithm>hash, n, e, message, signature);
}

export function prepare(n: Uint8Array, e: Uint8Array): bool {
  prepared = RsaVerifier.create(n, e);
  return prepared != null;
}

export function preparedPkcs1(hash: i32, message: Uint8Array, signature: Uint8Array): bool {
  const key = prepared;
  return key != null && key.verifyPkcs1(<HashAlgorithm>hash, message, signature);
}

export function preparedPss(hash: i32, message: Uint8Array, signature: Uint8Array): bool {
  const key = prepared;
  return key != null && key.verifyPss(<HashAlgorithm>hash, message, signature);
}
