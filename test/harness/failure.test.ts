// A trap mid-stream (reference abi.md 8.3): the abort message is logged at critical naming the
// callback and context, the VM is dead, and the failure policy decides what streams get.

import { describe, expect, it } from "vitest";
import { FilterHeadersStatus, LogLevel } from "../../harness/index.js";
import { loadProbe, get, probeBuilds } from "./support.js";

describe.each(probeBuilds)("traps (%s)", (wasm) => {
  it("fails closed with 503 wasm_fail_stream and logs where the guest aborted", async () => {
    const plugin = await loadProbe(wasm);
    const stream = plugin.newHttpStream();
    expect(stream.sendRequestHeaders(get([["x-probe", "trap"]]), true)).toBe(
      FilterHeadersStatus.StopAllIterationAndWatermark,
    );
    expect(stream.localReply).toMatchObject({ status: 503, details: "wasm_fail_stream" });
    expect(stream.trap?.message).toMatch(/^proxy_on_request_headers failed: /);
    const critical = plugin.logMessages(LogLevel.Critical);
    expect(critical).toHaveLength(1);
    expect(critical[0]).toMatch(
      /^proxy_on_request_headers \(context 2\): probe asked for a trap at test\/fixtures\/probe\/index\.ts:\d+:\d+$/,
    );

    const next = plugin.newHttpStream();
    expect(next.sendRequestHeaders(get(), true)).toBe(FilterHeadersStatus.StopAllIterationAndWatermark);
    expect(next.localReply).toMatchObject({ status: 503, details: "wasm_fail_stream" });
    expect(next.callbacks).toEqual([]);
  });

  it("under FAIL_OPEN fails the request that trapped and passes later traffic through untouched (Envoy 1.40)", async () => {
    const plugin = await loadProbe(wasm, { failurePolicy: "FAIL_OPEN" });
    const stream = plugin.newHttpStream();
    expect(stream.sendRequestHeaders(get([["x-probe", "trap"]]), true)).toBe(
      FilterHeadersStatus.StopAllIterationAndWatermark,
    );
    expect(stream.localReply).toMatchObject({ status: 503, details: "wasm_fail_stream" });
    expect(stream.upstreamRequest.headers).toBeNull();
    const next = plugin.newHttpStream();
    expect(next.sendRequestHeaders(get(), true)).toBe(FilterHeadersStatus.Continue);
    expect(next.requestHeaders!.get("x-probe-seen")).toBeUndefined();
  });
});
