// encodeAttribute, the harness's copy of Envoy's serializeValue: 64-bit values as eight
// little-endian bytes, each result a buffer of its own (even inside a map).

import { describe, expect, it } from "vitest";
import { encodeAttribute } from "../../harness/index.js";

const eightBytes = (value: bigint) => {
  const out = new Uint8Array(8);
  new DataView(out.buffer).setBigUint64(0, BigInt.asUintN(64, value), true);
  return out;
};

describe("encodeAttribute", () => {
  it("writes 64-bit values little-endian, negative ones as two's complement", () => {
    expect(encodeAttribute({ type: "int", value: 200n })).toEqual(eightBytes(200n));
    expect(encodeAttribute({ type: "int", value: -1n })).toEqual(new Uint8Array(8).fill(0xff));
    expect(encodeAttribute({ type: "duration", value: 3_000_000n })).toEqual(eightBytes(3_000_000n));
  });

  it("returns a buffer of its own for each value", () => {
    const first = encodeAttribute({ type: "uint", value: 1n });
    const second = encodeAttribute({ type: "timestamp", value: 2n });
    expect(first).not.toBe(second);
    expect([first[0], second[0]]).toEqual([1, 2]);
  });

  it("keeps every 64-bit value of a map", () => {
    const map = encodeAttribute({
      type: "map",
      value: [
        ["a", { type: "int", value: 7n }],
        ["b", { type: "int", value: 9n }],
      ],
    });
    const text = Buffer.from(map);
    // Pairs: count, then (key size, value size) per pair, then key NUL value NUL per pair.
    expect(text.readUInt32LE(0)).toBe(2);
    const values = [text.subarray(4 + 16 + 2, 4 + 16 + 10), text.subarray(4 + 16 + 13, 4 + 16 + 21)];
    expect(values.map((v) => v.readBigUInt64LE(0))).toEqual([7n, 9n]);
  });
});
