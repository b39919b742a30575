// The root context's machinery (reference abi.md 3.1, 3.9, 4.2, 8.1): ticks driven by the host
// clock, the shutdown sequence with proxy_done, effective contexts and foreign functions.

import { deflateSync } from "node:zlib";
import { describe, expect, it } from "vitest";
import { HostEnvironment, Plugin, Status } from "../../harness/index.js";
import { fixtureBuilds, get, messages } from "./support.js";

const builds = fixtureBuilds("timers");
const START_MS = 1_704_067_200_000;

/** The lines starting with `prefix`, each tagged with the thread of the instance that wrote it. */
function tagged(plugin: Plugin, prefix: string): string[] {
  return plugin.logs.filter((e) => e.message.startsWith(prefix)).map((e) => `${e.thread}: ${e.message}`);
}

/** The worker's lines that start with `prefix` (the main thread's root ticks and shuts down too). */
function onWorker(plugin: Plugin, prefix: string): string[] {
  return plugin.logs.filter((e) => e.instance === "worker" && e.message.startsWith(prefix)).map((e) => e.message);
}

function run(plugin: Plugin, action: string): void {
  plugin.newHttpStream().sendRequestHeaders(get([["x-timer", action]]), true);
}

describe.each(builds)("ticks and time (%s)", (wasm) => {
  it("answers proxy_get_current_time_nanoseconds from the environment's clock", async () => {
    const environment = new HostEnvironment({ startTime: 5_000_000_123n });
    const plugin = await Plugin.load(wasm, { environment });
    environment.clock.advance(2);
    run(plugin, "now");
    expect(messages(plugin, "now_ns")).toEqual(["now_ns=5002000123"]);
  });

  it("calls on_tick on the root every period as the clock advances, re-armed after each tick (abi.md 3.1)", async () => {
    const plugin = await Plugin.load(wasm, { configuration: { tick_ms: 100, stop_after: 3 } });
    expect(tagged(plugin, "set_tick")).toEqual([
      "canary: set_tick status=0",
      "main: set_tick status=0",
      "worker 0: set_tick status=0",
    ]);
    plugin.environment.clock.advance(250);
    expect(onWorker(plugin, "tick")).toEqual([`tick 1 at_ms=${START_MS + 100}`, `tick 2 at_ms=${START_MS + 200}`]);
    plugin.environment.clock.advance(1000);
    expect(onWorker(plugin, "tick")).toHaveLength(3);
  });

  it("ticks the main thread's root and the worker's every period, never the canary, which Envoy throws away (abi.md 8.1)", async () => {
    const plugin = await Plugin.load(wasm, { configuration: { tick_ms: 10, stop_after: 2 } });
    plugin.environment.clock.advance(20);
    expect(tagged(plugin, "tick")).toEqual([
      `main: tick 1 at_ms=${START_MS + 10}`,
      `worker 0: tick 1 at_ms=${START_MS + 10}`,
      `main: tick 2 at_ms=${START_MS + 20}`,
      `worker 0: tick 2 at_ms=${START_MS + 20}`,
    ]);
  });

  it("sets the root's timer from a stream context and restarts it when the period changes (abi.md 3.1)", async () => {
    const plugin = await Plugin.load(wasm, { configuration: { tick_ms: 100 } });
    plugin.environment.clock.advance(60);
    run(plugin, "tick:50");
    plugin.environment.clock.advance(49);
    expect(onWorker(plugin, "tick")).toEqual([]);
    plugin.environment.clock.advance(1);
    expect(onWorker(plugin, "tick")).toEqual([`tick 1 at_ms=${START_MS + 110}`]);
    run(plugin, "tick:0");
    plugin.environment.clock.advance(1000);
    expect(onWorker(plugin, "tick")).toHaveLength(1);
    // The stream ran on the worker: the main thread's root kept its own 100 ms period.
    expect(
      tagged(plugin, "tick")
        .filter((line) => line.startsWith("main"))
        .slice(0, 2),
    ).toEqual([`main: tick 1 at_ms=${START_MS + 100}`, `main: tick 2 at_ms=${START_MS + 200}`]);
  });

  it("gives each worker (and the main thread) its own tick timer", async () => {
    const plugin = await Plugin.load(wasm, { configuration: { tick_ms: 10, stop_after: 1 }, workers: 2 });
    plugin.environment.clock.advance(10);
    expect(tagged(plugin, "tick")).toEqual([
      `main: tick 1 at_ms=${START_MS + 10}`,
      `worker 0: tick 1 at_ms=${START_MS + 10}`,
      `worker 1: tick 1 at_ms=${START_MS + 10}`,
    ]);
  });
});

describe.each(builds)("shutdown, effective context and foreign functions (%s)", (wasm) => {
  it("runs on_done then on_delete at once when on_done returns true, on the main thread then the worker (abi.md 8.1)", async () => {
    const plugin = await Plugin.load(wasm);
    plugin.shutdown();
    expect(tagged(plugin, "root")).toEqual([
      "main: root done async=false",
      "main: root delete",
      "worker 0: root done async=false",
      "worker 0: root delete",
    ]);
    expect(plugin.isDeleted()).toBe(true);
  });

  it("defers on_delete until proxy_done when on_done returns 0, ticking meanwhile (abi.md 3.9, 8.1)", async () => {
    const plugin = await Plugin.load(wasm, { configuration: { tick_ms: 10, async_done: true } });
    plugin.shutdown();
    expect(tagged(plugin, "root")).toEqual(["main: root done async=true", "worker 0: root done async=true"]);
    expect(plugin.isDeleted()).toBe(false);
    plugin.environment.clock.advance(10);
    expect(tagged(plugin, "done status")).toEqual(["main: done status=0", "worker 0: done status=0"]);
    expect(tagged(plugin, "root").slice(2)).toEqual(["main: root delete", "worker 0: root delete"]);
    expect(plugin.isDeleted()).toBe(true);
    plugin.environment.clock.advance(100);
    expect(tagged(plugin, "tick")).toEqual([
      `main: tick 101 at_ms=${START_MS + 10}`,
      `worker 0: tick 101 at_ms=${START_MS + 10}`,
    ]);
  });

  it("returns NotFound from proxy_done when no shutdown waits on the caller (abi.md 3.9)", async () => {
    const plugin = await Plugin.load(wasm);
    run(plugin, "done");
    expect(messages(plugin, "stream done")).toEqual([`stream done status=${Status.NotFound}`]);
  });

  it("returns BadArgument from proxy_set_effective_context for an unknown id, Ok for a live one (abi.md 3.9)", async () => {
    const plugin = await Plugin.load(wasm);
    run(plugin, "effective:77");
    run(plugin, "effective:1");
    expect(messages(plugin, "effective")).toEqual([`effective status=${Status.BadArgument}`, "effective status=0"]);
  });

  it("compresses and uncompresses with zlib like Envoy's compress/uncompress foreign functions (abi.md 3.9)", async () => {
    const plugin = await Plugin.load(wasm);
    run(plugin, "compress:hello hello hello");
    const expected = deflateSync(Buffer.from("hello hello hello")).length;
    expect(messages(plugin, "compress")).toEqual([`compress bytes=${expected} roundtrip=hello hello hello`]);
    expect(messages(plugin, "uncompress_garbage")).toEqual(["uncompress_garbage null=true"]);
  });

  it("returns NotFound for an unknown foreign function and runs functions a test registers (abi.md 3.9)", async () => {
    const environment = new HostEnvironment();
    environment.registerForeignFunction("echo", (args) => new Uint8Array([...args, 33]));
    environment.registerForeignFunction("refuse", () => Status.BadArgument);
    const plugin = await Plugin.load(wasm, { environment });
    run(plugin, "call:missing");
    run(plugin, "call:echo");
    run(plugin, "call:refuse");
    expect(messages(plugin, "foreign")).toEqual([
      `foreign status=${Status.NotFound} value=`,
      "foreign status=0 value=args!",
      `foreign status=${Status.BadArgument} value=`,
    ]);
  });

  it("calls proxy_on_foreign_function on the root with its arguments in the call-data buffer (abi.md 4.2)", async () => {
    const plugin = await Plugin.load(wasm);
    plugin.callOnForeignFunction(7, "payload");
    expect(messages(plugin, "foreign id")).toEqual(["foreign id=7 args=payload"]);
  });
});
