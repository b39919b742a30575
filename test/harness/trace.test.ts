import { describe, expect, it } from "vitest";
import { HostCallTrace, Plugin } from "../../harness/index.js";

const builds = ["build/header-rewrite.wasm", "build/header-rewrite.debug.wasm"];

const request: [string, string][] = [
  [":method", "GET"],
  [":path", "/"],
  [":authority", "shop.test"],
];

const twoOperations = {
  request_headers: [{ set: { name: "x-tenant", value: "acme" } }],
  response_headers: [{ remove: "server" }],
};

describe.each(builds)("trace mode (%s)", (wasm) => {
  const load = (configuration: object, trace: HostCallTrace | boolean = true, workers = 1) =>
    Plugin.load(wasm, { rootId: "header-rewrite", configuration, trace, workers });

  function serve(plugin: Plugin, worker = 0) {
    const stream = plugin.newHttpStream(worker);
    stream.sendRequestHeaders(request, true);
    stream.sendResponseHeaders(
      [
        [":status", "200"],
        ["server", "upstream"],
      ],
      true,
    );
    return stream;
  }

  it("records no host call for a request when the configuration has no operations", async () => {
    const plugin = await load({});
    const stream = serve(plugin);
    expect(stream.completed).toBe(true);
    expect(plugin.trace!.countFor(stream)).toBe(0);
    expect(plugin.trace!.countsByName(stream)).toEqual({});
  });

  it("records exactly one header call per configured operation, per request", async () => {
    const plugin = await load(twoOperations);
    const first = serve(plugin);
    const second = serve(plugin);
    for (const stream of [first, second]) {
      expect(plugin.trace!.countsByName(stream)).toEqual({
        proxy_replace_header_map_value: 1,
        proxy_remove_header_map_value: 1,
      });
    }
    const [set, remove] = plugin.trace!.calls.filter((c) => c.context === second);
    expect(set).toMatchObject({ callback: "proxy_on_request_headers", contextId: second.id, result: 0 });
    expect(remove).toMatchObject({ callback: "proxy_on_response_headers", contextId: second.id, result: 0 });
  });

  it("records the path of each property call as its segments, and none for other calls", async () => {
    const plugin = await load({
      request_headers: [{ set: { name: "x-peer", value: "%DOWNSTREAM_REMOTE_ADDRESS%" } }],
    });
    const stream = serve(plugin);
    const calls = plugin.trace!.calls.filter((c) => c.context === stream);
    const property = calls.filter((c) => c.name === "proxy_get_property");
    expect(property.map((c) => c.path)).toEqual([["source", "address"]]);
    expect(calls.filter((c) => c.name !== "proxy_get_property").every((c) => !("path" in c))).toBe(true);
  });

  it("records start-up calls against the root contexts of the canary, the main thread and each worker", async () => {
    const plugin = await load(twoOperations, true, 2);
    const startup = plugin.trace!.calls.filter((c) => c.context?.kind === "root");
    expect(startup.every((c) => c.contextId === plugin.rootContextId())).toBe(true);
    expect(new Set(startup.map((c) => c.context)).size).toBe(4);
    expect(startup.some((c) => c.callback === "proxy_on_configure")).toBe(true);
  });

  it("tells apart streams that share a context id on different workers", async () => {
    const plugin = await load({ request_headers: twoOperations.request_headers }, true, 2);
    const onFirst = serve(plugin, 0);
    const onSecond = serve(plugin, 1);
    serve(plugin, 1);
    expect(onFirst.id).toBe(onSecond.id);
    expect(plugin.trace!.countFor(onFirst)).toBe(1);
    expect(plugin.trace!.countFor(onSecond)).toBe(1);
    expect(plugin.trace!.countFor(onFirst.id)).toBe(2);
  });

  it("shares one trace between plugins given the same object, and starts empty after clear", async () => {
    const trace = new HostCallTrace();
    const first = await load(twoOperations, trace);
    const second = await load(twoOperations, trace);
    expect(first.trace).toBe(trace);
    expect(second.trace).toBe(trace);
    trace.clear();
    serve(first);
    serve(second);
    expect(trace.countsByName()).toEqual({ proxy_replace_header_map_value: 2, proxy_remove_header_map_value: 2 });
  });

  it("has no trace unless asked for one", async () => {
    expect((await load({}, false)).trace).toBeNull();
    expect((await Plugin.load(wasm, { rootId: "header-rewrite" })).trace).toBeNull();
  });
});
