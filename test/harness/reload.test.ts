// The FAIL_RELOAD failure policy (reference abi.md 8.3): after a trap, new requests get a new
// instance once the reload backoff (default 1 s, on the environment's clock) has passed since the
// handle was loaded; until then they fail closed. Other policies never reload.

import { describe, expect, it } from "vitest";
import { FilterHeadersStatus, type Plugin } from "../../harness/index.js";
import { get, loadProbe, probeBuilds } from "./support.js";

const trap = get([["x-probe", "trap"]]);

/** The thread of each instance that ran on_vm_start, in order. */
function starts(plugin: Plugin): string[] {
  return plugin.logs.filter((e) => e.message.startsWith("vm_start")).map((e) => e.thread);
}

describe.each(probeBuilds)("FAIL_RELOAD (%s)", (wasm) => {
  it("fails closed until the backoff passes, then serves from a fresh instance (abi.md 8.3)", async () => {
    const plugin = await loadProbe(wasm, { failurePolicy: "FAIL_RELOAD" });
    const clock = plugin.environment.clock;
    expect(plugin.newHttpStream().sendRequestHeaders(trap, true)).toBe(
      FilterHeadersStatus.StopAllIterationAndWatermark,
    );
    clock.advance(999);
    const closed = plugin.newHttpStream();
    closed.sendRequestHeaders(get(), true);
    expect(closed.localReply).toMatchObject({ status: 503, details: "wasm_fail_stream" });
    expect(closed.callbacks).toEqual([]);

    clock.advance(1);
    const served = plugin.newHttpStream();
    expect(served.sendRequestHeaders(get(), true)).toBe(FilterHeadersStatus.Continue);
    expect(served.localReply).toBeNull();
    expect(served.requestHeaders!.get("x-probe-seen")).toBe("1");
    expect(served.id).toBe(2);
    expect(plugin.trap).toBeNull();
    // Only the trapped worker starts again; the main thread's instance keeps its root.
    expect(starts(plugin)).toEqual(["canary", "main", "worker 0", "worker 0"]);
  });

  it("counts the backoff from the last load, so a trap long after loading reloads at once (abi.md 8.3)", async () => {
    const plugin = await loadProbe(wasm, { failurePolicy: "FAIL_RELOAD" });
    plugin.environment.clock.advance(5000);
    plugin.newHttpStream().sendRequestHeaders(trap, true);
    const next = plugin.newHttpStream();
    next.sendRequestHeaders(get(), true);
    expect(next.localReply).toBeNull();
  });

  it("waits reloadBackoffMs and restarts the backoff after each reload (abi.md 8.3)", async () => {
    const plugin = await loadProbe(wasm, { failurePolicy: "FAIL_RELOAD", reloadBackoffMs: 5000 });
    const clock = plugin.environment.clock;
    plugin.newHttpStream().sendRequestHeaders(trap, true);
    clock.advance(4999);
    expect(plugin.newHttpStream().sendRequestHeaders(get(), true)).toBe(
      FilterHeadersStatus.StopAllIterationAndWatermark,
    );
    clock.advance(1);
    plugin.newHttpStream().sendRequestHeaders(trap, true);
    clock.advance(4999);
    const stillClosed = plugin.newHttpStream();
    stillClosed.sendRequestHeaders(get(), true);
    expect(stillClosed.localReply?.status).toBe(503);
    clock.advance(1);
    const served = plugin.newHttpStream();
    served.sendRequestHeaders(get(), true);
    expect(served.localReply).toBeNull();
  });

  it("never reloads under FAIL_CLOSED (abi.md 8.3)", async () => {
    const plugin = await loadProbe(wasm);
    plugin.newHttpStream().sendRequestHeaders(trap, true);
    plugin.environment.clock.advance(60_000);
    const next = plugin.newHttpStream();
    next.sendRequestHeaders(get(), true);
    expect(next.localReply?.status).toBe(503);
    expect(starts(plugin)).toEqual(["canary", "main", "worker 0"]);
  });
});
