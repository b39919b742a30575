// Trailers, metadata, pausing and resuming, closing, gRPC local replies and header byte sizes
// through the bodies fixture (reference abi.md 3.2, 3.4, 4.3, 8.1).

import { describe, expect, it } from "vitest";
import { FilterHeadersStatus, Plugin, headerBytes } from "../../harness/index.js";
import { builds, logged, post, text } from "./support.js";

describe.each(builds("bodies"))("stream control (%s)", (wasm) => {
  const load = () => Plugin.load(wasm, { name: "bodies" });

  it("holds body and trailers after StopAll without callbacks, then delivers them on continue (abi.md 8.1 step 2)", async () => {
    const plugin = await load();
    const stream = plugin.newHttpStream();
    expect(stream.sendRequestHeaders(post("stop-all"), false)).toBe(FilterHeadersStatus.StopAllIterationAndBuffer);
    stream.sendRequestBody("ab", false);
    stream.sendRequestBody("cd", false);
    stream.sendRequestMetadata([["k", "v"]]);
    stream.sendRequestTrailers([["x-t", "1"]]);
    expect(logged(plugin, "request_")).toEqual(["request_headers byte_size=59"]);
    expect(stream.upstreamRequest.headers).toBeNull();
    stream.sendResponseHeaders(
      [
        [":status", "200"],
        ["x-resp", "continue-request"],
      ],
      false,
    );
    expect(logged(plugin, "request_")).toEqual([
      "request_headers byte_size=59",
      "request_metadata count=1",
      'request_body size=4 eos=0 buffer=4 text="abcd" headers=null',
      'request_trailers count=1 x-t="1" byte_size=4',
    ]);
    expect(text(stream.upstreamRequest.body)).toBe("abcd");
    expect(stream.upstreamRequest.trailers!.get("x-t")).toBe("changed");
    expect(stream.upstreamRequest.ended).toBe(true);
  });

  it("keeps request headers readable in body callbacks after StopIteration with allow_on_headers_stop_iteration (abi.md 3.2)", async () => {
    const plugin = await Plugin.load(wasm, { name: "bodies", allowOnHeadersStopIteration: true });
    const stream = plugin.newHttpStream();
    expect(stream.sendRequestHeaders(post("stop"), false)).toBe(FilterHeadersStatus.StopIteration);
    stream.sendRequestBody("x", false);
    stream.sendRequestBody("y", true);
    expect(logged(plugin, "request_body")).toEqual([
      'request_body size=1 eos=0 buffer=1 text="x" headers="/upload"',
      'request_body size=1 eos=1 buffer=1 text="y" headers="/upload"',
    ]);
    expect(text(stream.upstreamRequest.body)).toBe("xy");
  });

  it("creates request trailers on the first change in on_request_body with end of stream (abi.md 3.2 map 1)", async () => {
    const plugin = await load();
    const stream = plugin.newHttpStream();
    stream.sendRequestHeaders(post("trailers-add"), false);
    stream.sendRequestBody("a", false);
    stream.sendRequestBody("b", true);
    expect(logged(plugin, "trailers")).toEqual([
      "trailers add mid-body=2",
      "trailers read before=null",
      'trailers add=0 read after="yes"',
    ]);
    expect(stream.upstreamRequest.trailers!.toObject()).toEqual({ "x-added": "yes" });
    expect(stream.upstreamRequest.ended).toBe(true);
  });

  it("creates empty trailers on a size query at end of stream (abi.md 3.2 map 1, get_header_map_size)", async () => {
    const plugin = await load();
    const stream = plugin.newHttpStream();
    stream.sendRequestHeaders(post("trailers-size"), false);
    stream.sendRequestBody("a", true);
    expect(logged(plugin, "trailers")).toEqual(["trailers size=0"]);
    expect(stream.upstreamRequest.trailers!.size).toBe(0);
  });

  it("creates response trailers lazily in on_response_body with end of stream (abi.md 3.2 map 3)", async () => {
    const plugin = await load();
    const stream = plugin.newHttpStream();
    stream.sendRequestHeaders(post("none"), true);
    stream.sendResponseHeaders(
      [
        [":status", "200"],
        ["x-resp", "trailers-add"],
      ],
      false,
    );
    stream.sendResponseBody("done", true);
    expect(logged(plugin, "response trailers")).toEqual(["response trailers add=0"]);
    expect(stream.downstreamResponse.trailers!.toObject()).toEqual({ "x-sum": "42" });
    expect(stream.completed).toBe(true);
  });

  it("reports the byte size of names plus values for headers and trailers (abi.md 3.2 get_header_map_size)", async () => {
    const plugin = await load();
    const stream = plugin.newHttpStream();
    stream.sendRequestHeaders(post("none"), false);
    expect(logged(plugin, "request_headers")).toEqual(["request_headers byte_size=55"]);
    expect(stream.requestHeaders!.byteSize()).toBe(55);
    stream.sendRequestBody("a", false);
    stream.sendRequestTrailers([["x-t", "v"]]);
    expect(logged(plugin, "request_trailers")).toEqual(['request_trailers count=1 x-t="v" byte_size=4']);
  });

  it("remaps a trailers status above 1 to StopIteration and resumes on continue_stream (abi.md 4.3 trailers)", async () => {
    const plugin = await load();
    const stream = plugin.newHttpStream();
    stream.sendRequestHeaders(post("none"), true);
    stream.sendResponseHeaders(
      [
        [":status", "200"],
        ["x-resp", "stop-trailers"],
      ],
      false,
    );
    stream.sendResponseBody("b", false);
    stream.sendResponseTrailers([["x-t", "t"]]);
    expect(stream.paused.response).toBe(true);
    expect(stream.downstreamResponse.trailers).toBeNull();
    stream.sendResponseMetadata([["m", "1"]]);
    expect(logged(plugin, "response_metadata")).toEqual(["response_metadata count=1"]);
    expect(stream.downstreamResponse.trailers!.get("x-t")).toBe("t");
    expect(stream.completed).toBe(true);
  });

  it("stops the request on StopIteration trailers and resumes it from another callback", async () => {
    const plugin = await load();
    const stream = plugin.newHttpStream();
    stream.sendRequestHeaders(post("stop-trailers"), false);
    stream.sendRequestBody("a", false);
    stream.sendRequestTrailers([["x-t", "1"]]);
    expect(stream.upstreamRequest.ended).toBe(false);
    stream.sendResponseHeaders(
      [
        [":status", "200"],
        ["x-resp", "continue-request"],
      ],
      true,
    );
    expect(stream.upstreamRequest.trailers!.get("x-t")).toBe("changed");
    expect(stream.upstreamRequest.ended).toBe(true);
  });

  it("ignores a metadata callback's result (abi.md 4.3 metadata)", async () => {
    const plugin = await load();
    const stream = plugin.newHttpStream();
    stream.sendRequestHeaders(post("none"), false);
    stream.sendRequestMetadata([
      ["a", "1"],
      ["b", "2"],
    ]);
    stream.sendRequestBody("x", true);
    expect(logged(plugin, "request_metadata")).toEqual(["request_metadata count=2"]);
    expect(text(stream.upstreamRequest.body)).toBe("x");
  });

  it("resets the stream with wasm_close_stream after the callback returns (abi.md 3.4 close_stream)", async () => {
    const plugin = await load();
    const stream = plugin.newHttpStream();
    stream.sendRequestHeaders(post("close"), false);
    stream.sendRequestBody("x", false);
    expect(logged(plugin, "close")).toEqual(["close status=0"]);
    expect(stream.resetDetails).toBe("wasm_close_stream");
    expect(stream.callbacks.slice(-3)).toEqual(["proxy_on_log", "proxy_on_done", "proxy_on_delete"]);
    expect(() => stream.sendRequestBody("more", true)).toThrow(/stream has ended/);
  });

  it("resets the stream when the response direction is closed (abi.md 3.4 close_stream 1)", async () => {
    const plugin = await load();
    const stream = plugin.newHttpStream();
    stream.sendRequestHeaders(post("none"), true);
    stream.sendResponseHeaders(
      [
        [":status", "200"],
        ["x-resp", "close"],
      ],
      false,
    );
    expect(stream.resetDetails).toBe("wasm_close_stream");
    expect(stream.completed).toBe(true);
  });

  it("answers a gRPC request locally as trailers-only with the grpc status override (abi.md 3.4 send_local_response)", async () => {
    const plugin = await load();
    const stream = plugin.newHttpStream();
    stream.sendRequestHeaders(post("grpc-deny", [["content-type", "application/grpc"]]), false);
    expect(stream.localReply).toMatchObject({ status: 200, details: "grpc_denied", grpcStatus: 7 });
    expect(stream.downstreamResponse.headers!.all()).toEqual([
      [":status", "200"],
      ["content-type", "application/grpc"],
      ["grpc-status", "7"],
      ["grpc-message", "no way"],
      ["x-why", "test"],
    ]);
    expect(stream.downstreamResponse.body).toHaveLength(0);
    expect(stream.downstreamResponse.ended).toBe(true);
  });

  it("adds and replaces header values given as raw bytes", async () => {
    const plugin = await load();
    const stream = plugin.newHttpStream();
    stream.sendRequestHeaders(post("bytes-header"), true);
    expect(logged(plugin, "bytes")).toEqual(["bytes add=0 replace=0"]);
    expect(stream.upstreamRequest.headers!.get(":path")).toBe("/b");
    // 0xff is not UTF-8: the harness string escapes it (U+DCFF) and the bytes go out unchanged.
    expect(stream.upstreamRequest.headers!.get("x-bin")).toBe("a\udcffb");
    expect(headerBytes(stream.upstreamRequest.headers!.get("x-bin")!)).toEqual(Uint8Array.of(0x61, 0xff, 0x62));
  });
});
