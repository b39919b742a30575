// Leak checks on leak-tracing (rtraced) builds: the AssemblyScript runtime reports every heap block
// it allocates and frees, and the harness counts the live ones. A stream must leave nothing behind
// once it is deleted: after a full collection, as many blocks are live after 10,000 streams as after
// 1,000. With the minimal runtime, the SDK's own collections (every 16th callback end, rarer for a
// large configuration) must suffice.

import { describe, expect, it } from "vitest";
import { ModuleLoadError, Plugin, type PluginOptions, RtraceCounter } from "../../harness/index.js";

const headerRewrite = {
  request_headers: [{ set: { name: "x-set", value: "1" } }, { remove: "x-drop" }],
  response_headers: [{ add: { name: "x-added", value: "2" } }],
};

const request: [string, string][] = [
  [":method", "GET"],
  [":path", "/"],
  [":authority", "example.test"],
  ["x-probe", "look"],
  ["x-drop", "1"],
];

async function load(wasm: string, options: PluginOptions): Promise<{ plugin: Plugin; rtrace: RtraceCounter }> {
  const rtrace = new RtraceCounter();
  const plugin = await Plugin.load(wasm, { ...options, rtrace });
  expect(plugin.status).toBe("running");
  return { plugin, rtrace };
}

function serve(plugin: Plugin, streams: number): void {
  for (let i = 0; i < streams; i++) {
    const stream = plugin.newHttpStream();
    stream.sendRequestHeaders(request, true);
    stream.sendResponseHeaders([[":status", "200"]], true);
    if (!stream.completed) throw new Error("the stream did not complete");
  }
}

// The fewest and most live blocks seen after each of `streams` streams (no host-forced collection).
function liveRange(plugin: Plugin, rtrace: RtraceCounter, streams: number): { min: number; max: number } {
  let min = Infinity;
  let max = 0;
  for (let i = 0; i < streams; i++) {
    serve(plugin, 1);
    min = Math.min(min, rtrace.liveBlocks());
    max = Math.max(max, rtrace.liveBlocks());
  }
  return { min, max };
}

// Live blocks after a full collection, after 1,000 and after 10,000 streams.
function liveAfterStreams(plugin: Plugin, rtrace: RtraceCounter): [number, number] {
  serve(plugin, 1_000);
  rtrace.collect();
  const afterThousand = rtrace.liveBlocks();
  serve(plugin, 9_000);
  rtrace.collect();
  return [afterThousand, rtrace.liveBlocks()];
}

describe("heap blocks over many streams (rtraced builds)", () => {
  it("refuses an rtraced module without the rtrace option, as Envoy would (it has no rtrace module)", async () => {
    const error = await Plugin.load("build/fixtures/probe.rtraced.wasm", { rootId: "probe" }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ModuleLoadError);
    expect((error as Error).message).toMatch(/missing import: rtrace\.on/);
  });

  it("the probe keeps no block per stream: as many live blocks after 10,000 streams as after 1,000", async () => {
    const { plugin, rtrace } = await load("build/fixtures/probe.rtraced.wasm", { rootId: "probe" });
    const [afterThousand, afterTenThousand] = liveAfterStreams(plugin, rtrace);
    expect(afterTenThousand).toBe(afterThousand);
    expect(rtrace.allocations()).toBeGreaterThan(10_000 * 10);
  });

  it("header-rewrite keeps no block per stream: as many live blocks after 10,000 streams as after 1,000", async () => {
    const { plugin, rtrace } = await load("build/fixtures/header-rewrite.rtraced.wasm", {
      rootId: "header-rewrite",
      configuration: headerRewrite,
    });
    const [afterThousand, afterTenThousand] = liveAfterStreams(plugin, rtrace);
    expect(afterTenThousand).toBe(afterThousand);
    expect(rtrace.allocations()).toBeGreaterThan(10_000);
  });

  it("counts what a stream holds: each open stream keeps blocks live until it ends", async () => {
    const { plugin, rtrace } = await load("build/fixtures/probe.rtraced.wasm", { rootId: "probe" });
    serve(plugin, 10);
    rtrace.collect();
    const idle = rtrace.liveBlocks();
    const open = Array.from({ length: 100 }, () => plugin.newHttpStream());
    for (const stream of open) stream.sendRequestHeaders(request, true);
    rtrace.collect();
    expect(rtrace.liveBlocks()).toBeGreaterThanOrEqual(idle + 100);
    for (const stream of open) stream.sendResponseHeaders([[":status", "200"]], true);
    rtrace.collect();
    expect(rtrace.liveBlocks()).toBe(idle);
  });

  it("with the minimal runtime the SDK's own collections bound the heap: live blocks rise and fall in the same range from stream 1,000 to 10,000 as before", async () => {
    const { plugin, rtrace } = await load("build/fixtures/probe.rtraced-minimal.wasm", { rootId: "probe" });
    serve(plugin, 100);
    const early = liveRange(plugin, rtrace, 900);
    const late = liveRange(plugin, rtrace, 9_000);
    expect(late).toEqual(early);
    expect(early.max).toBeGreaterThan(early.min);
    expect(rtrace.allocations()).toBeGreaterThan(10_000 * 10);
  });

  it("with the minimal runtime a large configuration spaces collections out, and the heap stays bounded", async () => {
    const spread = async (configuration: string) => {
      const { plugin, rtrace } = await load("build/fixtures/probe.rtraced-minimal.wasm", {
        rootId: "probe",
        configuration,
      });
      serve(plugin, 100);
      const early = liveRange(plugin, rtrace, 900);
      const late = liveRange(plugin, rtrace, 9_000);
      expect(late).toEqual(early);
      return early.max - early.min;
    };
    const small = await spread("{}");
    // 20 KB of configuration: 16 + 80 offers per collection instead of 16.
    const large = await spread(JSON.stringify({ padding: "x".repeat(20_480) }));
    expect(large).toBeGreaterThan(small * 4);
  });
});
