// The trace ids telemetry starts (tracing.start_if_absent) are spelt from the host's random bytes:
// the first 16 bytes as the trace id, the next 8 as the span id, each byte as two lowercase hex
// digits, high nibble first, and an id whose bytes are all zero ends in 1 instead (W3C forbids
// all-zero ids). The host's random source is replaced for this file: its pools of random bytes are
// all zero and all 0x1f in turn.

import { webcrypto } from "node:crypto";
import { describe, expect, it, vi } from "vitest";
import { builds, exchange, load } from "./telemetry/support.js";

let fills = 0;
vi.spyOn(webcrypto, "getRandomValues").mockImplementation(<T extends ArrayBufferView | null>(array: T): T => {
  if (array) new Uint8Array(array.buffer, array.byteOffset, array.byteLength).fill(fills++ % 2 === 0 ? 0 : 0x1f);
  return array;
});

const ZERO = `00-${"0".repeat(31)}1-${"0".repeat(15)}1-01`;
const ONE_F = `00-${"1f".repeat(16)}-${"1f".repeat(8)}-01`;

describe.each(builds)("telemetry trace ids (%s)", (wasm) => {
  it("spells the random bytes as hex, high nibble first, and never an all-zero id", async () => {
    const plugin = await load(wasm, { standard_metrics: false, tracing: { start_if_absent: true } });
    const seen = new Set<string>();
    for (let i = 0; i < 1_000 && !(seen.has(ZERO) && seen.has(ONE_F)); i++) {
      seen.add(exchange(plugin).upstreamRequest.headers!.get("traceparent")!);
    }
    expect([...seen].sort()).toEqual([ZERO, ONE_F]);
  });
});
