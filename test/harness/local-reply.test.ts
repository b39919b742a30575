// Local replies (reference abi.md 3.4 and 6.3): deferred until the callback returns, the callback
// forced to Stop, the reply sent through the same filter's response callbacks, and the request
// headers still readable there (Envoy keeps its pointer to them after the stopped callback).

import { describe, expect, it } from "vitest";
import { FilterHeadersStatus } from "../../harness/index.js";
import { loadProbe, get, messages, probeBuilds } from "./support.js";

describe.each(probeBuilds)("local replies (%s)", (wasm) => {
  it("forces Stop and runs the reply through the sender's own response callbacks, request headers still readable", async () => {
    const plugin = await loadProbe(wasm);
    const stream = plugin.newHttpStream();
    expect(stream.sendRequestHeaders(get([["x-probe", "reply"]]), true)).toBe(
      FilterHeadersStatus.StopAllIterationAndWatermark,
    );
    expect(stream.localReply).toMatchObject({ status: 403, details: "probe_denied", grpcStatus: null });
    expect(new TextDecoder().decode(stream.localReply!.body)).toBe("denied by probe");
    expect(stream.responseHeaders!.all()).toEqual([
      [":status", "403"],
      ["x-reason", "probe"],
      ["content-type", "text/x-probe"],
      ["content-length", "15"],
    ]);
    expect(messages(plugin, "response_headers")).toEqual(["response_headers status=403 eos=0 request x-probe=reply"]);
    expect(stream.callbacks).toEqual([
      "proxy_on_context_create",
      "proxy_on_request_headers",
      "proxy_on_response_headers",
      "proxy_on_response_body",
      "proxy_on_log",
      "proxy_on_done",
      "proxy_on_delete",
    ]);
    expect(stream.completed).toBe(true);
  });

  it("drops content-type and content-length from a reply without a body", async () => {
    const plugin = await loadProbe(wasm);
    const stream = plugin.newHttpStream();
    stream.sendRequestHeaders(get([["x-probe", "reply-empty"]]), true);
    expect(stream.responseHeaders!.all()).toEqual([
      [":status", "403"],
      ["x-reason", "probe"],
    ]);
    expect(messages(plugin, "response_headers")).toEqual([
      "response_headers status=403 eos=1 request x-probe=reply-empty",
    ]);
    expect(stream.callbacks).not.toContain("proxy_on_response_body");
  });

  it("sends a reply made in on_response_headers straight to the client, past the filters", async () => {
    const plugin = await loadProbe(wasm);
    const stream = plugin.newHttpStream();
    stream.sendRequestHeaders(get(), true);
    stream.sendResponseHeaders(
      [
        [":status", "200"],
        ["x-probe-reply-in-response", "1"],
      ],
      false,
    );
    expect(stream.localReply).toMatchObject({ status: 502, details: "probe_replaced_response" });
    expect(stream.responseHeaders!.all()).toEqual([[":status", "502"]]);
    expect(messages(plugin, "response_headers")).toHaveLength(1);
    expect(stream.callbacks.slice(-3)).toEqual(["proxy_on_log", "proxy_on_done", "proxy_on_delete"]);
  });

  it("refuses further traffic on a stream that was answered locally", async () => {
    const plugin = await loadProbe(wasm);
    const stream = plugin.newHttpStream();
    stream.sendRequestHeaders(get([["x-probe", "reply"]]), true);
    expect(() => stream.sendResponseHeaders([[":status", "200"]], true)).toThrow(/stream has ended/);
  });
});
