// TCP connections through a network filter built with the SDK (reference abi.md 3.3, 3.4, 4.4, 8.1).

import { describe, expect, it } from "vitest";
import { FilterStatus, Plugin } from "../../harness/index.js";
import { builds, logged, text } from "./support.js";

describe.each(builds("tcp"))("TCP streams (%s)", (wasm) => {
  const load = () => Plugin.load(wasm, { name: "tcp" });

  it("creates the context and calls on_new_connection when the connection is accepted (abi.md 8.1 TCP)", async () => {
    const plugin = await load();
    const stream = plugin.newTcpStream();
    expect(stream.callbacks).toEqual(["proxy_on_context_create", "proxy_on_new_connection"]);
    expect(stream.newConnectionStatus).toBe(FilterStatus.Continue);
    expect(logged(plugin, "new_connection")).toEqual(['new_connection source="10.0.0.1:45678" sni=""']);
  });

  it("passes data both ways and lets the filter rewrite it (buffer types 2 and 3)", async () => {
    const plugin = await load();
    const stream = plugin.newTcpStream();
    expect(stream.sendDownstreamData("upper wrap", false)).toBe(FilterStatus.Continue);
    expect(stream.sendUpstreamData("grow", false)).toBe(FilterStatus.Continue);
    expect(text(stream.upstreamReceived.data)).toBe("[UPPER WRAP]");
    expect(text(stream.downstreamReceived.data)).toBe("grow!");
    expect(logged(plugin, "upstream size")).toEqual(['upstream size=4 eos=0 text="grow" downstream_size=0']);
  });

  it("treats any non-zero status as StopIteration and shows the held bytes with the next data (abi.md 4.4 FilterStatus)", async () => {
    const plugin = await load();
    const stream = plugin.newTcpStream();
    expect(stream.sendDownstreamData("bad ", false)).toBe(FilterStatus.StopIteration);
    expect(stream.sendDownstreamData("hold ", false)).toBe(FilterStatus.StopIteration);
    expect(stream.upstreamReceived.data).toHaveLength(0);
    expect(stream.sendDownstreamData("resume", false)).toBe(FilterStatus.StopIteration);
    expect(logged(plugin, "downstream size")).toEqual([
      'downstream size=4 eos=0 text="bad " upstream_size=0',
      'downstream size=9 eos=0 text="bad hold " upstream_size=0',
      'downstream size=15 eos=0 text="bad hold resume" upstream_size=0',
    ]);
    expect(text(stream.upstreamReceived.data)).toBe("bad hold resume");
  });

  it("keeps a paused direction's data readable from the other direction's callback (abi.md 3.3 buffers 2/3)", async () => {
    const plugin = await load();
    const stream = plugin.newTcpStream();
    stream.sendDownstreamData("hold", false);
    stream.sendUpstreamData("reply", false);
    expect(logged(plugin, "upstream size")).toEqual(['upstream size=5 eos=0 text="reply" downstream_size=4']);
  });

  it("resumes held downstream data with continue_stream(DOWNSTREAM) after the callback (abi.md 3.4)", async () => {
    const plugin = await load();
    const stream = plugin.newTcpStream();
    stream.sendDownstreamData("hold ", false);
    expect(stream.sendDownstreamData("resume", false)).toBe(FilterStatus.StopIteration);
    expect(logged(plugin, "continue")).toEqual(["continue=0"]);
    expect(text(stream.upstreamReceived.data)).toBe("hold resume");
    expect(stream.paused.downstream).toBe(false);
  });

  it("answers Unimplemented to continue_stream(UPSTREAM) (abi.md 3.4)", async () => {
    const plugin = await load();
    const stream = plugin.newTcpStream();
    stream.sendUpstreamData("continue-upstream", false);
    expect(logged(plugin, "continue upstream")).toEqual(["continue upstream=12"]);
  });

  it("stops at on_new_connection when the filter says so, and data Continue releases it", async () => {
    const plugin = await load();
    const stream = plugin.newTcpStream(0, { attributes: { "connection.requested_server_name": "stop" } });
    expect(stream.newConnectionStatus).toBe(FilterStatus.StopIteration);
    expect(stream.paused.downstream).toBe(true);
    stream.sendDownstreamData("hi", false);
    expect(text(stream.upstreamReceived.data)).toBe("hi");
  });

  it("reports an upstream end of stream as an upstream close with peer 0 (abi.md 4.4)", async () => {
    const plugin = await load();
    const stream = plugin.newTcpStream();
    stream.sendUpstreamData("bye", true);
    expect(stream.callbacks.slice(-2)).toEqual(["proxy_on_upstream_data", "proxy_on_upstream_connection_close"]);
    expect(logged(plugin, "upstream_close")).toEqual(["upstream_close peer=0"]);
    expect(stream.downstreamReceived.ended).toBe(true);
    expect(stream.completed).toBe(false);
  });

  it("runs on_done, on_log, on_delete after the downstream close (abi.md 8.1 TCP order)", async () => {
    const plugin = await load();
    const stream = plugin.newTcpStream();
    stream.sendDownstreamData("x", true);
    stream.sendUpstreamData("y", true);
    stream.closeDownstream("remote");
    expect(stream.callbacks.slice(-4)).toEqual([
      "proxy_on_downstream_connection_close",
      "proxy_on_done",
      "proxy_on_log",
      "proxy_on_delete",
    ]);
    expect(logged(plugin, "downstream_close")).toEqual(["downstream_close peer=2"]);
    expect(stream.closed).toBe("remote");
    expect(() => stream.sendDownstreamData("late", false)).toThrow(/closed/);
  });

  it("closes the connection locally with wasm_downstream_close after the callback (abi.md 3.4 close_stream 2)", async () => {
    const plugin = await load();
    const stream = plugin.newTcpStream();
    stream.sendDownstreamData("close", false);
    expect(logged(plugin, "close")).toEqual(["close downstream=0"]);
    expect(logged(plugin, "downstream_close")).toEqual(["downstream_close peer=1"]);
    expect(stream.closed).toBe("wasm_downstream_close");
    expect(stream.completed).toBe(true);
    // The closed connection passes nothing on, though the callback returned Continue (Envoy 1.40).
    expect(text(stream.upstreamReceived.data)).toBe("");
  });

  it("closes with wasm_upstream_close for close_stream(UPSTREAM) (abi.md 3.4 close_stream 3)", async () => {
    const plugin = await load();
    const stream = plugin.newTcpStream();
    stream.sendDownstreamData("close-up", false);
    expect(logged(plugin, "close")).toEqual(["close upstream=0"]);
    expect(stream.closed).toBe("wasm_upstream_close");
    expect(stream.callbacks.slice(-3)).toEqual(["proxy_on_done", "proxy_on_log", "proxy_on_delete"]);
    expect(text(stream.upstreamReceived.data)).toBe("");
  });
});
