// The root context's machinery (reference abi.md 3.1, 3.9, 4.2, 8.1): ticks driven by the host
// clock, the shutdown sequence with proxy_done, effective contexts and foreign functions.

import { deflateSync } from "node:zlib";
import { describe, expect, it } from "vitest";
import { HostEnvironment, Plugin, Status } from "../../harness/index.js";
import { fixtureBuilds, get, messages } from "./support.js";

const builds = fixtureBuilds("timers");
const START_MS = 1_704_067_200_000;

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
    expect(messages(plugin, "set_tick")).toEqual(["set_tick status=0", "set_tick status=0"]);
    plugin.environment.clock.advance(250);
    expect(messages(plugin, "tick")).toEqual([`tick 1 at_ms=${START_MS + 100}`, `tick 2 at_ms=${START_MS + 200}`]);
    plugin.environment.clock.advance(1000);
    expect(messages(plugin, "tick")).toHaveLength(3);
  });

  it("never ticks the canary, which Envoy throws away after configuration (abi.md 8.1)", async () => {
    const plugin = await Plugin.load(wasm, { configuration: { tick_ms: 10, stop_after: 1 } });
    plugin.environment.clock.advance(10);
    expect(plugin.logs.filter((e) => e.message.startsWith("tick")).map((e) => e.instance)).toEqual(["worker"]);
  });

  it("sets the root's timer from a stream context and restarts it when the period changes (abi.md 3.1)", async () => {
    const plugin = await Plugin.load(wasm, { configuration: { tick_ms: 100 } });
    plugin.environment.clock.advance(60);
    run(plugin, "tick:50");
    plugin.environment.clock.advance(49);
    expect(messages(plugin, "tick")).toEqual([]);
    plugin.environment.clock.advance(1);
    expect(messages(plugin, "tick")).toEqual([`tick 1 at_ms=${START_MS + 110}`]);
    run(plugin, "tick:0");
    plugin.environment.clock.advance(1000);
    expect(messages(plugin, "tick")).toHaveLength(1);
  });

  it("gives each worker its own tick timer", async () => {
    const plugin = await Plugin.load(wasm, { configuration: { tick_ms: 10, stop_after: 1 }, workers: 2 });
    plugin.environment.clock.advance(10);
    expect(messages(plugin, "tick")).toHaveLength(2);
  });
});

describe.each(builds)("shutdown, effective context and foreign functions (%s)", (wasm) => {
  it("runs on_done then on_delete at once when on_done returns true (abi.md 8.1)", async () => {
    const plugin = await Plugin.load(wasm);
    plugin.shutdown();
    expect(messages(plugin, "root")).toEqual(["root done async=false", "root delete"]);
    expect(plugin.isDeleted()).toBe(true);
  });

  it("defers on_delete until proxy_done when on_done returns 0, ticking meanwhile (abi.md 3.9, 8.1)", async () => {
    const plugin = await Plugin.load(wasm, { configuration: { tick_ms: 10, async_done: true } });
    plugin.shutdown();
    expect(messages(plugin, "root")).toEqual(["root done async=true"]);
    expect(plugin.isDeleted()).toBe(false);
    plugin.environment.clock.advance(10);
    expect(messages(plugin, "done status")).toEqual(["done status=0"]);
    expect(messages(plugin, "root")).toEqual(["root done async=true", "root delete"]);
    expect(plugin.isDeleted()).toBe(true);
    plugin.environment.clock.advance(100);
    expect(messages(plugin, "tick")).toHaveLength(1);
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
