// The pair encoding of header maps (reference abi.md 5.2); property paths (5.3) are encoded by
// slots.ts encodePathArg.

import { Header } from "../header";
import { commonHeaderName } from "./header-names";
import { decodeRecentText } from "./text";

/** Encodes headers as `u32 count, count x (u32 keyLen, u32 valueLen), key\0value\0...`. */
export function serializeHeaders(headers: Array<Header>): ArrayBuffer {
  const count = headers.length;
  const names = new Array<ArrayBuffer>(count);
  const values = new Array<ArrayBuffer>(count);
  let size = 4 + count * 8;
  for (let i = 0; i < count; i++) {
    const header = unchecked(headers[i]);
    const name = String.UTF8.encode(header.name);
    const value = String.UTF8.encode(header.value);
    unchecked((names[i] = name));
    unchecked((values[i] = value));
    size += name.byteLength + value.byteLength + 2;
  }
  const out = new ArrayBuffer(size);
  const base = changetype<usize>(out);
  store<u32>(base, count);
  let sizes = base + 4;
  let data = base + 4 + count * 8;
  for (let i = 0; i < count; i++) {
    const name = unchecked(names[i]);
    const value = unchecked(values[i]);
    store<u32>(sizes, name.byteLength);
    store<u32>(sizes, value.byteLength, 4);
    sizes += 8;
    memory.copy(data, changetype<usize>(name), name.byteLength);
    data += name.byteLength;
    store<u8>(data++, 0);
    memory.copy(data, changetype<usize>(value), value.byteLength);
    data += value.byteLength;
    store<u8>(data++, 0);
  }
  return out;
}

/**
 * Decodes the pair encoding at `[ptr, ptr+size)` into `headers` (emptied first) and returns it; a
 * malformed buffer yields no pairs, as in Envoy.
 */
export function deserializeHeaders(
  ptr: usize,
  size: usize,
  headers: Array<Header> = new Array<Header>(),
): Array<Header> {
  headers.length = 0;
  if (size < 4) return headers;
  const count = <usize>load<u32>(ptr);
  if (count > (size - 4) / 8) return headers;
  let sizes = ptr + 4;
  let data = ptr + 4 + count * 8;
  const end = ptr + size;
  for (let i: usize = 0; i < count; i++) {
    const nameSize = <usize>load<u32>(sizes);
    const valueSize = <usize>load<u32>(sizes, 4);
    sizes += 8;
    const room = end - data;
    if (nameSize >= room || valueSize >= room || nameSize + valueSize + 2 > room) return noPairs(headers);
    if (load<u8>(data + nameSize) != 0 || load<u8>(data + nameSize + 1 + valueSize) != 0) return noPairs(headers);
    const common = commonHeaderName(data, nameSize);
    const name = common != null ? common : decodeRecentText(data, nameSize);
    data += nameSize + 1;
    const value = decodeRecentText(data, valueSize);
    data += valueSize + 1;
    headers.push(Header.shared(name, value));
  }
  return data == end ? headers : noPairs(headers);
}

function noPairs(headers: Array<Header>): Array<Header> {
  headers.length = 0;
  return headers;
}
