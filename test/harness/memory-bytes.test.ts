// Plugin.memoryBytes: the size of one worker instance's linear memory, in whole pages, which grows
// when the guest reads a body larger than its memory, and only in the worker that served it.

import { describe, expect, it } from "vitest";
import { Plugin } from "../../harness/index.js";
import { builds, post } from "../sdk/support.js";

const PAGE = 65_536;

describe.each(builds("bodies"))("Plugin.memoryBytes (%s)", (wasm) => {
  it("grows in whole pages in the worker whose guest read a large body", async () => {
    const plugin = await Plugin.load(wasm, { name: "bodies", workers: 2 });
    const before = [plugin.memoryBytes(0), plugin.memoryBytes(1)];
    expect(before[0]! % PAGE).toBe(0);
    const body = "a".repeat(4 * before[1]!);
    const stream = plugin.newHttpStream(1);
    stream.sendRequestHeaders(post("read"), false);
    stream.sendRequestBody(body, true);
    expect(stream.upstreamRequest.body.length).toBe(body.length);
    const after = plugin.memoryBytes(1);
    expect(after % PAGE).toBe(0);
    expect(after).toBeGreaterThan(body.length);
    expect(plugin.memoryBytes(0)).toBe(before[0]);
  });

  it("names a worker the plugin does not have", async () => {
    const plugin = await Plugin.load(wasm, { name: "bodies" });
    expect(() => plugin.memoryBytes(1)).toThrow('plugin "bodies" has no worker 1');
  });
});
