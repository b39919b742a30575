// The guest-side gotchas of reference abi.md 10 that the SDK handles, one test each, through the
// gotchas fixture (test/fixtures/gotchas).

import { describe, expect, it } from "vitest";
import { FilterHeadersStatus, HostEnvironment, Plugin } from "../../harness/index.js";
import { builds, logged } from "./support.js";

function request(action: string, extra: [string, string][] = []): [string, string][] {
  return [
    [":method", "POST"],
    [":path", "/orders"],
    [":authority", "shop.test"],
    ["x-user", "ada"],
    ["x-gotcha", action],
    ...extra,
  ];
}

describe.each(builds("gotchas"))("gotchas (%s)", (wasm) => {
  it("headers vanish after Continue: request.headers.get is null in onResponseHeaders, a snapshot keeps them (abi.md 10 #13)", async () => {
    const plugin = await Plugin.load(wasm);
    const stream = plugin.newHttpStream();
    expect(stream.sendRequestHeaders(request("continue"), true)).toBe(FilterHeadersStatus.Continue);
    stream.sendResponseHeaders([[":status", "200"]], true);
    expect(logged(plugin, "response_headers")).toEqual(["response_headers live x-user=null snapshot x-user=ada"]);
    expect(stream.responseHeaders!.get("x-user-echo")).toBe("ada");
  });

  it("callouts arrive on the root context: the SDK routes the answer to the stream that made the call (abi.md 10 #12)", async () => {
    const environment = new HostEnvironment({ clusters: ["users"] });
    const plugin = await Plugin.load(wasm, { environment, trace: true });
    const first = plugin.newHttpStream();
    const second = plugin.newHttpStream();
    first.sendRequestHeaders(request("lookup"), true);
    second.sendRequestHeaders(request("lookup", [["x-user", "grace"]]), true);
    const [firstCall, secondCall] = plugin.httpCalls;
    expect(firstCall!.headers).toContainEqual([":path", "/lookup?user=ada"]);
    plugin.trace!.clear();
    secondCall!.respond({
      headers: [
        [":status", "200"],
        ["x-user-id", "2"],
      ],
    });
    firstCall!.respond({
      headers: [
        [":status", "200"],
        ["x-user-id", "1"],
      ],
    });

    const root = plugin.rootContextId();
    const switches = plugin.trace!.calls.filter((c) => c.name === "proxy_set_effective_context");
    expect(switches.map((c) => [c.callback, c.contextId, c.args[0]])).toEqual([
      ["proxy_on_http_call_response", root, second.id],
      ["proxy_on_http_call_response", root, first.id],
    ]);
    expect(logged(plugin, "lookup_answer")).toEqual([
      `lookup_answer context=${second.id} status=200`,
      `lookup_answer context=${first.id} status=200`,
    ]);
    expect(first.upstreamRequest.headers?.get("x-user-id")).toBe("1");
    expect(second.upstreamRequest.headers?.get("x-user-id")).toBe("2");
    expect(first.paused.request || second.paused.request).toBe(false);
  });

  it("callouts arrive on the root context: an answer for a stream that is gone is dropped (abi.md 10 #12)", async () => {
    const environment = new HostEnvironment({ clusters: ["users"] });
    const plugin = await Plugin.load(wasm, { environment });
    const stream = plugin.newHttpStream();
    stream.sendRequestHeaders(request("lookup"), true);
    stream.complete();
    plugin.httpCalls[0]!.respond({
      headers: [
        [":status", "200"],
        ["x-user-id", "1"],
      ],
    });
    expect(logged(plugin, "lookup_answer")).toEqual([]);
    expect(plugin.trap).toBeNull();
  });

  it("StopIteration remapping: StopIteration from a header callback holds the body back until the stream resumes (abi.md 4.3, 10 #14)", async () => {
    const plugin = await Plugin.load(wasm);
    const stream = plugin.newHttpStream();
    expect(stream.sendRequestHeaders(request("stop"), false)).toBe(FilterHeadersStatus.StopAllIterationAndWatermark);
    stream.sendRequestBody("abc", true);
    expect(stream.callbacks).not.toContain("proxy_on_request_body");
    expect(logged(plugin, "request_body")).toEqual([]);

    const allowing = await Plugin.load(wasm, { allowOnHeadersStopIteration: true });
    const kept = allowing.newHttpStream();
    expect(kept.sendRequestHeaders(request("stop"), false)).toBe(FilterHeadersStatus.StopIteration);
    kept.sendRequestBody("abc", true);
    expect(logged(allowing, "request_body")).toEqual(["request_body size=3 eos=1"]);
  });

  it("on_log before on_done: an HTTP stream is logged, with its headers readable, before it is destroyed (abi.md 8.1, 11)", async () => {
    const plugin = await Plugin.load(wasm);
    const stream = plugin.newHttpStream();
    stream.sendRequestHeaders(request("continue"), true);
    stream.sendResponseHeaders([[":status", "201"]], true);
    expect(stream.callbacks.slice(-3)).toEqual(["proxy_on_log", "proxy_on_done", "proxy_on_delete"]);
    const ends = plugin.logMessages().filter((m) => /^(log|done|delete)/.test(m));
    expect(ends).toEqual(["log x-user=ada status=201", "done", "delete"]);
  });

  it("reads one header's value as sent, ASCII or not and however long (proxy_get_header_map_value)", async () => {
    const plugin = await Plugin.load(wasm);
    const ascii = (n: number) => Array.from({ length: n }, (_, i) => String.fromCharCode(33 + ((i * 5) % 94))).join("");
    const values = [ascii(31), ascii(32), ascii(41), ascii(900), `${ascii(40)}é`, `${ascii(17)}€${ascii(17)}`];
    for (const value of values) {
      const stream = plugin.newHttpStream();
      stream.sendRequestHeaders(
        [
          [":method", "GET"],
          [":path", "/"],
          [":authority", "shop.test"],
          ["x-user", value],
          ["x-gotcha", "continue"],
        ],
        true,
      );
      stream.sendResponseHeaders([[":status", "200"]], true);
    }
    expect(logged(plugin, "log x-user=")).toEqual(values.map((v) => `log x-user=${v} status=200`));
  });
});
