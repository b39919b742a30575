// The header-map pair encoding (reference abi.md 5.2), with Envoy's parser limits: a malformed
// buffer decodes to no pairs at all, silently.

import { headerByteLength, headerText, writeHeaderBytes } from "./header-text.js";

/** One header entry as [name, value]. */
export type HeaderEntry = [name: string, value: string];

const MAX_PAIRS = 1024;
const MAX_BYTES = 1 << 20;

/** Encodes entries as `u32 N, N x (u32 keyLen, u32 valueLen), key\0value\0...`. */
export function serializePairs(entries: readonly HeaderEntry[]): Uint8Array {
  const out = new Uint8Array(pairsSize(entries));
  writePairs(out, 0, entries);
  return out;
}

/** The byte size of `serializePairs(entries)`, to allocate it elsewhere (in guest memory). */
export function pairsSize(entries: readonly HeaderEntry[]): number {
  return encodedSize(entries, headerByteLength);
}

/** Writes `serializePairs(entries)` into `out` at `offset`, which must have room for pairsSize(entries). */
export function writePairs(out: Uint8Array, offset: number, entries: readonly HeaderEntry[]): void {
  encodeInto(out, offset, entries, writeHeaderBytes);
}

/** The same encoding for byte keys and values (nested property maps carry binary values). */
export function serializeBytePairs(entries: readonly (readonly [Uint8Array, Uint8Array])[]): Uint8Array {
  const out = new Uint8Array(encodedSize(entries, byteLength));
  encodeInto(out, 0, entries, writeBytes);
  return out;
}

const byteLength = (bytes: Uint8Array) => bytes.length;

function writeBytes(out: Uint8Array, offset: number, bytes: Uint8Array): number {
  out.set(bytes, offset);
  return offset + bytes.length;
}

// The pair layout for keys and values of any kind: `length` is an item's size in bytes and
// `write` puts its bytes at an offset, returning the offset after them (nothing is built per item).
function encodedSize<T>(entries: readonly (readonly [T, T])[], length: (item: T) => number): number {
  let size = 4 + entries.length * 10;
  for (let i = 0; i < entries.length; i++) {
    const entry = entries[i]!;
    size += length(entry[0]) + length(entry[1]);
  }
  return size;
}

function encodeInto<T>(
  out: Uint8Array,
  offset: number,
  entries: readonly (readonly [T, T])[],
  write: (out: Uint8Array, offset: number, item: T) => number,
): void {
  const count = entries.length;
  writeU32(out, offset, count);
  let data = offset + 4 + count * 8;
  for (let i = 0; i < count; i++) {
    const entry = entries[i]!;
    const valueStart = write(out, data, entry[0]) + 1;
    out[valueStart - 1] = 0;
    writeU32(out, offset + 4 + i * 8, valueStart - 1 - data);
    data = write(out, valueStart, entry[1]) + 1;
    out[data - 1] = 0;
    writeU32(out, offset + 8 + i * 8, data - 1 - valueStart);
  }
}

// Little-endian, without a DataView per call.
function writeU32(out: Uint8Array, at: number, value: number): void {
  out[at] = value & 0xff;
  out[at + 1] = (value >>> 8) & 0xff;
  out[at + 2] = (value >>> 16) & 0xff;
  out[at + 3] = (value >>> 24) & 0xff;
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
    const key = headerText(bytes, data, data + keyLength);
    data += keyLength + 1;
    const value = headerText(bytes, data, data + valueLength);
    data += valueLength + 1;
    entries.push([key, value]);
  }
  return data === bytes.length ? entries : [];
}
