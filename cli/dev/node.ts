// The `xds.node` attribute as Envoy serves it to Wasm: the serialized envoy.config.core.v3.Node
// (field 1 id, field 3 metadata as a google.protobuf.Struct of strings and nested structs).

import { Buffer } from "node:buffer";

/** Node metadata: strings and nested objects of strings. */
export type Metadata = { [key: string]: string | Metadata };

function varint(n: number): number[] {
  const out: number[] = [];
  while (n > 127) {
    out.push((n & 127) | 128);
    n = Math.floor(n / 128);
  }
  out.push(n);
  return out;
}

function lengthDelimited(field: number, bytes: number[]): number[] {
  return [...varint((field << 3) | 2), ...varint(bytes.length), ...bytes];
}

/** A google.protobuf.Struct holding `meta`, serialized. */
export function structBytes(meta: Metadata): number[] {
  const out: number[] = [];
  for (const [key, value] of Object.entries(meta)) {
    const encoded =
      typeof value === "string" ? lengthDelimited(3, [...Buffer.from(value)]) : lengthDelimited(5, structBytes(value));
    out.push(...lengthDelimited(1, [...lengthDelimited(1, [...Buffer.from(key)]), ...lengthDelimited(2, encoded)]));
  }
  return out;
}

/** An envoy.config.core.v3.Node with `id` and metadata `meta`, serialized. */
export function nodeBytes(id: string, meta: Metadata): Uint8Array {
  return Uint8Array.from([...lengthDelimited(1, [...Buffer.from(id)]), ...lengthDelimited(3, structBytes(meta))]);
}
