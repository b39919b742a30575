// Header maps as Envoy exposes them (reference abi.md 3.2, gotchas 13 and 17).

import { describe, expect, it } from "vitest";
import { HeaderMap, LogLevel } from "../../harness/index.js";
import { loadProbe, get, messages, probeBuilds } from "./support.js";

describe.each(probeBuilds)("header maps through the probe (%s)", (wasm) => {
  it("tells a missing header (NotFound, null) from a present empty one", async () => {
    const plugin = await loadProbe(wasm);
    plugin.newHttpStream().sendRequestHeaders(get([["x-empty", ""]]), true);
    plugin.newHttpStream().sendRequestHeaders(get(), true);
    expect(messages(plugin, "request_headers")).toEqual([
      'request_headers count=4 eos=1 x-empty=""',
      "request_headers count=3 eos=1 x-empty=null",
    ]);
  });

  it("makes request headers unreadable once on_request_headers returned Continue (gotcha: headers vanish)", async () => {
    const plugin = await loadProbe(wasm);
    const stream = plugin.newHttpStream();
    stream.sendRequestHeaders(get([["x-probe", "continue"]]), true);
    stream.sendResponseHeaders([[":status", "200"]], true);
    expect(messages(plugin, "response_headers")).toEqual(["response_headers status=200 eos=1 request x-probe=null"]);
  });

  it("lets on_log read request and response headers but not change them", async () => {
    const plugin = await loadProbe(wasm);
    const stream = plugin.newHttpStream();
    stream.sendRequestHeaders(get([["x-probe", "continue"]]), true);
    stream.sendResponseHeaders([[":status", "204"]], true);
    expect(messages(plugin, "log")).toEqual(["log request x-probe=continue response status=204 add status=2"]);
    expect(stream.requestHeaders!.get("x-too-late")).toBeUndefined();
  });

  it("applies header changes made in on_request_headers to what goes upstream", async () => {
    const plugin = await loadProbe(wasm, { logLevel: LogLevel.Trace });
    const stream = plugin.newHttpStream();
    stream.sendRequestHeaders(get(), true);
    expect(stream.requestHeaders!.getAll("x-probe-seen")).toEqual(["1"]);
  });
});

describe("HeaderMap (Envoy's HeaderMapImpl semantics)", () => {
  it("keeps pseudo-headers first, in their own insertion order", () => {
    const map = new HeaderMap(
      [
        ["a", "1"],
        [":path", "/"],
      ],
      "request-headers",
    );
    map.add(":method", "GET");
    expect(map.all()).toEqual([
      [":path", "/"],
      [":method", "GET"],
      ["a", "1"],
    ]);
  });

  it("joins a second value of an inline header with a comma and keeps others as separate entries", () => {
    const map = new HeaderMap(
      [
        ["user-agent", "a"],
        ["x-custom", "1"],
      ],
      "request-headers",
    );
    map.add("user-agent", "b");
    map.add("x-custom", "2");
    expect(map.all()).toEqual([
      ["user-agent", "a,b"],
      ["x-custom", "1"],
      ["x-custom", "2"],
    ]);
  });

  it("moves a replaced header to the end (setCopy is remove then add)", () => {
    const map = new HeaderMap(
      [
        ["a", "1"],
        ["b", "2"],
        ["a", "3"],
      ],
      "response-headers",
    );
    map.set("a", "new");
    expect(map.all()).toEqual([
      ["b", "2"],
      ["a", "new"],
    ]);
  });

  it("treats host as :authority in request headers only", () => {
    const request = new HeaderMap([[":authority", "x.test"]], "request-headers");
    expect(request.get("host")).toBe("x.test");
    const trailers = new HeaderMap([[":authority", "x.test"]], "request-trailers");
    expect(trailers.get("host")).toBeUndefined();
  });

  it("lowercases names A-Z only, as Envoy's LowerCaseString does, and finds them in any case", () => {
    const map = new HeaderMap(
      [
        ["X-Tenant", "acme"],
        ["X-ÉTAG", "1"],
        ["Host", "x.test"],
      ],
      "request-headers",
    );
    expect(map.all()).toEqual([
      [":authority", "x.test"],
      ["x-tenant", "acme"],
      ["x-Étag", "1"],
    ]);
    map.set("X-TENANT", "globex");
    expect(map.get("x-tenant")).toBe("globex");
    expect(map.getAll("X-Étag")).toEqual(["1"]);
  });

  it("a replace of an inline header that was there leaves one entry, and a remove of nothing changes nothing", () => {
    const map = new HeaderMap(
      [
        ["accept", "a"],
        ["x-b", "2"],
      ],
      "request-headers",
    );
    map.set("accept", "b");
    map.add("accept", "c");
    map.remove("x-missing");
    expect(map.all()).toEqual([
      ["x-b", "2"],
      ["accept", "b,c"],
    ]);
  });

  it("computes byteSize as the sum of name and value bytes", () => {
    expect(
      new HeaderMap([
        [":status", "200"],
        ["é", "ü"],
      ]).byteSize(),
    ).toBe(7 + 3 + 2 + 2);
  });
});
