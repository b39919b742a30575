// Test entry: exposes strict base64url to Node through asc's ESM bindings.

import {
  decodeBase64Url as decodeImpl,
  decodeBase64UrlBytes as decodeBytesImpl,
  encodeBase64Url as encodeImpl,
} from "../../../assembly/crypto/base64url";

export function decode(text: string): Uint8Array | null {
  return decodeImpl(text);
}

export function decodeBytes(bytes: Uint8Array, start: i32, end: i32): Uint8Array | null {
  return decodeBytesImpl(bytes, start, end);
}

export function encode(data: Uint8Array): string {
  return encodeImpl(data);
}
