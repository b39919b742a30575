// The header-map pair encoding (reference abi.md 5.2), with Envoy's parser limits: a malformed
// buffer decodes to no pairs at all, silently.

import { headerByteLength, headerText, writeHeaderBytes } from "./header-text.js";

/** One header entry as [name, value]. */
export type HeaderEntry = [name: string, value: string];

const MAX_PAIRS = 1024;
const MAX_BYTES = 1 << 20;

/** Encodes entries as `u32 N, N x (u32 keyLen, u32 valueLen), key\0value\0...`. */
export function serializePairs(entries: readonly HeaderEntry[]): Uint8Array {
  const size = entries.reduce((total, [k, v]) => total + 10 + headerByteLength(k) + headerByteLength(v), 4);
  const out = new Uint8Array(size);
  const view = new DataView(out.buffer);
  view.setUint32(0, entries.length, true);
  let data = 4 + entries.length * 8;
  entries.forEach(([k, v], i) => {
    const valueStart = writeHeaderBytes(out, data, k) + 1;
    view.setUint32(4 + i * 8, valueStart - 1 - data, true);
    data = writeHeaderBytes(out, valueStart, v) + 1;
    view.setUint32(8 + i * 8, data - 1 - valueStart, true);
  });
  return out;
}

/** The same encoding for byte keys and values (nested property maps carry binary values). */
export function serializeBytePairs(entries: readonly (readonly [Uint8Array, Uint8Array])[]): Uint8Array {
  const size = entries.reduce((total, [k, v]) => total + 8 + k.length + v.length + 2, 4);
  const out = new Uint8Array(size);
  const view = new DataView(out.buffer);
  view.setUint32(0, entries.length, true);
  let data = 4 + entries.length * 8;
  entries.forEach(([k, v], i) => {
    view.setUint32(4 + i * 8, k.length, true);
    view.setUint32(8 + i * 8, v.length, true);
    out.set(k, data);
    data += k.length + 1;
    out.set(v, data);
    data += v.length + 1;
  });
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
