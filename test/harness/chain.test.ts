// Several plugins on one HTTP stream (reference abi.md 3.4, 3.8, 6.3, 7.3, 8.1): the chain fixture
// records every callback of every filter in the shared-data key "order".

import { describe, expect, it } from "vitest";
import { FilterChain, HostEnvironment, Plugin, type PluginOptions } from "../../harness/index.js";
import { get } from "./support.js";

const builds = ["build/fixtures/chain.wasm", "build/fixtures/chain.debug.wasm"];

describe.each(builds)("filter chains (%s)", (wasm) => {
  async function setup(configs: object[], options: PluginOptions = {}) {
    const environment = options.environment ?? new HostEnvironment();
    const plugins = [];
    for (const configuration of configs) plugins.push(await Plugin.load(wasm, { environment, configuration }));
    const order = () =>
      new TextDecoder().decode(environment.sharedData.get("", "order")?.value).split(";").slice(0, -1);
    return { chain: new FilterChain(plugins), plugins, environment, order };
  }

  it("runs the request through the filters in order and the response in reverse, then logs all before destroying (abi.md 8.1)", async () => {
    const { chain, order } = await setup([{ tag: "a" }, { tag: "b" }]);
    const stream = chain.newStream();
    stream.sendRequestHeaders(get(), true);
    expect(stream.hops[1]!.requestHeadersSeen).toContainEqual(["x-seen", "a"]);
    expect(stream.upstreamRequest.headers!.get("x-seen")).toBe("a,b");
    stream.sendResponseHeaders([[":status", "200"]], true);
    expect(stream.downstreamResponse.headers!.getAll("x-visited")).toEqual(["b", "a"]);
    expect(stream.completed).toBe(true);
    expect(order()).toEqual([
      "a request_headers",
      "b request_headers",
      "b response_headers 200",
      "a response_headers 200",
      "a log",
      "b log",
      "a done",
      "a delete",
      "b done",
      "b delete",
    ]);
  });

  it("encodes a local reply through the filters that saw the request, from the sender back to the first (abi.md 3.4, 6.3)", async () => {
    const { chain, order } = await setup([{ tag: "a" }, { tag: "b", reply: true }, { tag: "c" }]);
    const stream = chain.newStream();
    stream.sendRequestHeaders(get(), false);
    expect(stream.localReply).toMatchObject({ status: 403, details: "b_denied" });
    expect(stream.upstreamRequest.headers).toBeNull();
    expect(stream.hops[2]!.requestHeadersSeen).toBeNull();
    expect(stream.downstreamResponse.headers!.get(":status")).toBe("403");
    expect(stream.downstreamResponse.headers!.getAll("x-visited")).toEqual(["b", "a"]);
    expect(new TextDecoder().decode(stream.downstreamResponse.body)).toBe("b says no");
    expect(stream.completed).toBe(true);
    expect(order()).toEqual([
      "a request_headers",
      "b request_headers",
      "b response_headers 403",
      "b response_body 9",
      "a response_headers 403",
      "a response_body 9",
      "a log",
      "b log",
      "c log",
      "a done",
      "a delete",
      "b done",
      "b delete",
      "c done",
      "c delete",
    ]);
  });

  it("holds the later filters while one stops iteration, until it continues (abi.md 4.3)", async () => {
    const { chain, environment, order } = await setup([{ tag: "a", hold: true }, { tag: "b" }]);
    const stream = chain.newStream();
    stream.sendRequestHeaders(get(), false);
    stream.sendRequestBody("hello", true);
    expect(stream.hops[1]!.requestHeadersSeen).toBeNull();
    expect(order()).toEqual(["a request_headers"]);
    environment.clock.advance(10);
    expect(order()).toEqual(["a request_headers", "a request_body 5", "b request_headers", "b request_body 5"]);
    expect(stream.upstreamRequest).toMatchObject({ ended: true });
    expect(new TextDecoder().decode(stream.upstreamRequest.body)).toBe("hello");
  });

  it("passes a body a filter buffered to the next filter whole at end of stream (abi.md 3.3)", async () => {
    const { chain, order } = await setup([{ tag: "a", buffer: true }, { tag: "b" }]);
    const stream = chain.newStream();
    stream.sendRequestHeaders(get(), false);
    stream.sendRequestBody("abc", false);
    stream.sendRequestBody("de", true);
    expect(order().filter((e) => e.includes("body"))).toEqual([
      "a request_body 3",
      "a request_body 5",
      "b request_body 5",
    ]);
    expect(new TextDecoder().decode(stream.upstreamRequest.body)).toBe("abcde");
  });

  it("lets a filter read the filter state an earlier filter wrote with proxy_set_property (abi.md 3.8, 7.3)", async () => {
    const { chain, plugins } = await setup([{ tag: "a" }, { tag: "b", read: "a" }]);
    const stream = chain.newStream();
    stream.sendRequestHeaders(get(), true);
    expect(plugins[1]!.logMessages().filter((m) => m.startsWith("b request_headers"))).toEqual([
      "b request_headers eos=1 x-seen=a by_a=yes",
    ]);
    expect(stream.filterState.text("wasm.by_a")).toBe("yes");
    expect(stream.filterState.text("wasm.by_b")).toBe("yes");
  });

  it("answers a trap with 503 wasm_fail_stream encoded through the filters before the failed one (abi.md 8.3)", async () => {
    const a = await Plugin.load(wasm, { configuration: { tag: "a" } });
    const b = await Plugin.load(wasm, { configuration: { tag: "b", trap: true } });
    const stream = new FilterChain([a, b]).newStream();
    stream.sendRequestHeaders(get(), true);
    expect(stream.localReply).toMatchObject({ status: 503, details: "wasm_fail_stream" });
    expect(stream.upstreamRequest.headers).toBeNull();
    expect(stream.downstreamResponse.headers!.getAll("x-visited")).toEqual(["a"]);
    expect(stream.hops[1]!.stream.trap?.message).toMatch(/^proxy_on_request_headers failed/);
    expect(stream.completed).toBe(true);
  });
});
