// Test entry: exposes the SHA-2 functions to Node through asc's ESM bindings.

import { sha256 as sha256Impl, sha384 as sha384Impl, sha512 as sha512Impl } from "../../../assembly/crypto/sha2";

export function sha256(data: Uint8Array): Uint8Array {
  return sha256Impl(data);
}

export function sha384(data: Uint8Array): Uint8Array {
  return sha384Impl(data);
}

export function sha512(data: Uint8Array): Uint8Array {
  return sha512Impl(data);
}
