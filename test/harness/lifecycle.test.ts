// Envoy's call order (reference abi.md 8.1): canary, then the main thread, then the worker, lazy
// stream contexts, and on_log before on_done and on_delete for HTTP streams.

import { describe, expect, it } from "vitest";
import { loadProbe, get, messages, probeBuilds } from "./support.js";

describe.each(probeBuilds)("lifecycle (%s)", (wasm) => {
  it("runs create, vm_start and configure in a canary instance, then on the main thread and in the worker (abi.md 8.1)", async () => {
    const plugin = await loadProbe(wasm, { configuration: "{}", vmConfiguration: "vm-cfg" });
    expect(plugin.status).toBe("running");
    const starts = plugin.logs.filter((e) => e.message.startsWith("vm_start") || e.message.startsWith("configure"));
    expect(starts.map((e) => [e.instance, e.message])).toEqual([
      ["canary", "vm_start root=1 vm_configuration_size=6"],
      ["canary", "configure root=1 size=2 host_level=2"],
      ["main", "vm_start root=1 vm_configuration_size=6"],
      ["main", "configure root=1 size=2 host_level=2"],
      ["worker", "vm_start root=1 vm_configuration_size=6"],
      ["worker", "configure root=1 size=2 host_level=2"],
    ]);
  });

  it("rejects a plugin whose on_configure returns false, and starts no worker", async () => {
    const plugin = await loadProbe(wasm, { configuration: { fail: true } });
    expect(plugin.status).toBe("configure_failed");
    expect(plugin.logs.map((e) => e.instance)).toEqual(["canary", "canary"]);
    expect(() => plugin.newHttpStream()).toThrow(/configure_failed/);
  });

  it("calls on_log before on_done and on_delete (spec vs Envoy: HTTP callback order)", async () => {
    const plugin = await loadProbe(wasm);
    const stream = plugin.newHttpStream();
    stream.sendRequestHeaders(get(), true);
    stream.sendResponseHeaders([[":status", "200"]], true);
    expect(stream.callbacks).toEqual([
      "proxy_on_context_create",
      "proxy_on_request_headers",
      "proxy_on_response_headers",
      "proxy_on_log",
      "proxy_on_done",
      "proxy_on_delete",
    ]);
    expect(messages(plugin, "log").length + messages(plugin, "done").length).toBe(2);
  });

  it("gives each stream the next context id of the worker, after the root's", async () => {
    const plugin = await loadProbe(wasm);
    const first = plugin.newHttpStream();
    const second = plugin.newHttpStream();
    expect([first.id, second.id]).toEqual([2, 3]);
  });

  it("creates the context at on_log for a stream that ended before its request headers", async () => {
    const plugin = await loadProbe(wasm);
    const stream = plugin.newHttpStream();
    stream.complete();
    expect(stream.callbacks).toEqual(["proxy_on_context_create", "proxy_on_log", "proxy_on_done", "proxy_on_delete"]);
  });

  it("falls back to the only registered root context when root_id names no registration", async () => {
    const plugin = await loadProbe(wasm, { rootId: "something-else" });
    expect(plugin.status).toBe("running");
    const stream = plugin.newHttpStream();
    stream.sendRequestHeaders(get(), true);
    expect(messages(plugin, "request_headers")).toHaveLength(1);
  });
});
