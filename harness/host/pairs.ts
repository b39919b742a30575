// The header-map pair encoding (reference abi.md 5.2), with Envoy's parser limits: a malformed
// buffer decodes to no pairs at all, silently.

import { headerByteLength, headerText, writeHeaderBytes } from "./header-text.js";

/** One header entry as [name, value]. */
export type HeaderEntry = [name: string, value: string];

const MAX_PAIRS = 1024;
const MAX_BYTES = 1 << 20;

/** Encodes entries as `u32 N, N x (u32 keyLen, u32 valueLen), key\0value\0...`. */
export function serializePairs(entries: readonly HeaderEntry[]): Uint8Array {
  return encodePairs(entries, headerByteLength, writeHeaderBytes);
}

/** The same encoding for byte keys and values (nested property maps carry binary values). */
export function serializeBytePairs(entries: readonly (readonly [Uint8Array, Uint8Array])[]): Uint8Array {
  return encodePairs(entries, byteLength, writeBytes);
}

const byteLength = (bytes: Uint8Array) => bytes.length;

function writeBytes(out: Uint8Array, offset: number, bytes: Uint8Array): number {
  out.set(bytes, offset);
  return offset + bytes.length;
}

// The pair layout for keys and values of any kind: `length` is an item's size in bytes and
// `write` puts its bytes at an offset, returning the offset after them (nothing is built per item).
function encodePairs<T>(
  entries: readonly (readonly [T, T])[],
  length: (item: T) => number,
  write: (out: Uint8Array, offset: number, item: T) => number,
): Uint8Array {
  const count = entries.length;
  let size = 4 + count * 10;
  for (let i = 0; i < count; i++) {
    const entry = entries[i]!;
    size += length(entry[0]) + length(entry[1]);
  }
  const out = new Uint8Array(size);
  const view = new DataView(out.buffer);
  view.setUint32(0, count, true);
  let data = 4 + count * 8;
  for (let i = 0; i < count; i++) {
    const entry = entries[i]!;
    const valueStart = write(out, data, entry[0]) + 1;
    view.setUint32(4 + i * 8, valueStart - 1 - data, true);
    data = write(out, valueStart, entry[1]) + 1;
    view.setUint32(8 + i * 8, data - 1 - valueStart, true);
  }
  return out;
}

/** Decodes the pair encoding; anything malformed or over Envoy's limits yields []. */
export function deserializePairs(bytes: Uint8Array): HeaderEntry[] {
  if (bytes.length < 4 || bytes.length > MAX_BYTES) return [];
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const count = view.getUint32(0, true);
  if (count > MAX_PAIRS || 4 + count * 8 > bytes.length) return [];
  const entries: HeaderEntry[] = [];
  let data = 4 + count * 8;
  for (let i = 0; i < count; i++) {
    const keyLength = view.getUint32(4 + i * 8, true);
    const valueLength = view.getUint32(8 + i * 8, true);
    if (data + keyLength + valueLength + 2 > bytes.length) return [];
    if (bytes[data + keyLength] !== 0 || bytes[data + keyLength + 1 + valueLength] !== 0) return [];
    const key = headerText(bytes.subarray(data, data + keyLength));
    data += keyLength + 1;
    const value = headerText(bytes.subarray(data, data + valueLength));
    data += valueLength + 1;
    entries.push([key, value]);
  }
  return data === bytes.length ? entries : [];
}
