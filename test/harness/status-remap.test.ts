// What Envoy does with a header callback's return value (reference abi.md 4.3, gotcha 14).

import { describe, expect, it } from "vitest";
import { FilterHeadersStatus } from "../../harness/index.js";
import { loadProbe, get, probeBuilds } from "./support.js";

describe.each(probeBuilds)("header callback results (%s)", (wasm) => {
  it("turns StopIteration into StopAllIterationAndWatermark by default (StopIteration remapping)", async () => {
    const plugin = await loadProbe(wasm);
    const stream = plugin.newHttpStream();
    expect(stream.sendRequestHeaders(get([["x-probe", "stop"]]), false)).toBe(
      FilterHeadersStatus.StopAllIterationAndWatermark,
    );
    expect(stream.paused.request).toBe(true);
  });

  it("keeps StopIteration when allow_on_headers_stop_iteration is set", async () => {
    const plugin = await loadProbe(wasm, { allowOnHeadersStopIteration: true });
    const stream = plugin.newHttpStream();
    expect(stream.sendRequestHeaders(get([["x-probe", "stop"]]), false)).toBe(FilterHeadersStatus.StopIteration);
  });

  it("treats ContinueAndEndStream as Continue", async () => {
    const plugin = await loadProbe(wasm);
    const stream = plugin.newHttpStream();
    expect(stream.sendRequestHeaders(get([["x-probe", "continue-and-end"]]), false)).toBe(FilterHeadersStatus.Continue);
    expect(stream.paused.request).toBe(false);
  });

  it("passes StopAllIterationAndBuffer through", async () => {
    const plugin = await loadProbe(wasm);
    const stream = plugin.newHttpStream();
    expect(stream.sendRequestHeaders(get([["x-probe", "stop-all-buffer"]]), false)).toBe(
      FilterHeadersStatus.StopAllIterationAndBuffer,
    );
  });
});
