// HTTP bodies through the SDK's Body and WholeBody (reference abi.md 3.3, 4.3, 6.2).

import { describe, expect, it } from "vitest";
import { Plugin } from "../../harness/index.js";
import { builds, logged, post, text } from "./support.js";

describe.each(builds("bodies"))("request and response bodies (%s)", (wasm) => {
  const load = () => Plugin.load(wasm, { name: "bodies" });

  it("shows the whole accumulated body after StopIterationAndBuffer, with the accumulated size (abi.md 4.3 data 1)", async () => {
    const plugin = await load();
    const stream = plugin.newHttpStream();
    stream.sendRequestHeaders(post("buffer-upper"), false);
    stream.sendRequestBody("abc", false);
    stream.sendRequestBody("def", false);
    expect(stream.upstreamRequest.body).toHaveLength(0);
    expect(stream.paused.request).toBe(true);
    stream.sendRequestBody("ghi", true);
    expect(logged(plugin, "request_body")).toEqual([
      'request_body size=3 eos=0 buffer=3 text="abc" headers=null',
      'request_body size=6 eos=0 buffer=6 text="abcdef" headers=null',
      'request_body size=9 eos=1 buffer=9 text="abcdefghi" headers=null',
    ]);
    expect(text(stream.upstreamRequest.body)).toBe("ABCDEFGHI");
    expect(stream.upstreamRequest.ended).toBe(true);
  });

  it("answers 413 request_payload_too_large when WholeBody's limit is exceeded", async () => {
    const plugin = await load();
    const stream = plugin.newHttpStream();
    stream.sendRequestHeaders(post("limit"), false);
    stream.sendRequestBody("12345", false);
    stream.sendRequestBody("67890", false);
    expect(stream.localReply).toMatchObject({ status: 413, details: "request_payload_too_large" });
    expect(stream.downstreamResponse.headers!.get(":status")).toBe("413");
    expect(text(stream.downstreamResponse.body)).toBe("Payload Too Large");
    expect(stream.upstreamRequest.body).toHaveLength(0);
  });

  it("passes an oversized body through unread with BodyOverflow.Pass", async () => {
    const plugin = await load();
    const stream = plugin.newHttpStream();
    stream.sendRequestHeaders(post("limit-pass"), false);
    stream.sendRequestBody("12345", false);
    stream.sendRequestBody("67890", false);
    stream.sendRequestBody("z", true);
    expect(stream.localReply).toBeNull();
    expect(logged(plugin, "whole")).toEqual([]);
    expect(text(stream.upstreamRequest.body)).toBe("1234567890z");
    expect(stream.upstreamRequest.ended).toBe(true);
  });

  it("prepends and appends, and refuses a write in the middle with BadArgument (abi.md 3.3 set_buffer_bytes)", async () => {
    const plugin = await load();
    const stream = plugin.newHttpStream();
    stream.sendRequestHeaders(post("edit"), false);
    stream.sendRequestBody("body", true);
    expect(logged(plugin, "edit")).toEqual(["edit prepend=0 append=0 middle=2"]);
    expect(logged(plugin, "range")).toEqual(['range "bod"']);
    expect(text(stream.upstreamRequest.body)).toBe("<body>");
  });

  it("drops a prefix with start 0 and replaces all with size = length (abi.md 3.3 set_buffer_bytes)", async () => {
    const plugin = await load();
    const dropped = plugin.newHttpStream();
    dropped.sendRequestHeaders(post("drop"), false);
    dropped.sendRequestBody("abcdef", true);
    expect(text(dropped.upstreamRequest.body)).toBe("cdef");
    const replaced = plugin.newHttpStream();
    replaced.sendRequestHeaders(post("replace-all"), false);
    replaced.sendRequestBody("abcdef", true);
    expect(text(replaced.upstreamRequest.body)).toBe("new");
  });

  it("shows only the current chunk after StopIterationAndWatermark but forwards everything held on Continue", async () => {
    const plugin = await load();
    const stream = plugin.newHttpStream();
    stream.sendRequestHeaders(post("watermark"), false);
    stream.sendRequestBody("ab", false);
    stream.sendRequestBody("cd", true);
    expect(logged(plugin, "request_body").map((m) => m.split(" text=")[1])).toEqual([
      '"ab" headers=null',
      '"cd" headers=null',
    ]);
    expect(text(stream.upstreamRequest.body)).toBe("abcd");
  });

  it("drops a chunk answered with StopIterationNoBuffer", async () => {
    const plugin = await load();
    const stream = plugin.newHttpStream();
    stream.sendRequestHeaders(post("nobuffer"), false);
    stream.sendRequestBody("lost", false);
    stream.sendRequestBody("kept", true);
    expect(text(stream.upstreamRequest.body)).toBe("kept");
  });

  it("treats a data status above 3 as StopIterationNoBuffer (abi.md 4.3 data > 3 → 3)", async () => {
    const plugin = await load();
    const stream = plugin.newHttpStream();
    stream.sendRequestHeaders(post("status-9"), false);
    stream.sendRequestBody("gone", false);
    expect(stream.paused.request).toBe(true);
    stream.sendRequestBody("", true);
    expect(text(stream.upstreamRequest.body)).toBe("");
    expect(stream.upstreamRequest.ended).toBe(false);
  });

  it("makes a body empty and immutable outside its callback (abi.md 3.3 buffer availability)", async () => {
    const plugin = await load();
    const stream = plugin.newHttpStream();
    stream.sendRequestHeaders(post("none"), false);
    stream.sendRequestBody("abc", true);
    stream.sendResponseHeaders([[":status", "200"]], true);
    expect(logged(plugin, "response_headers")).toEqual([
      'response_headers status="200" eos=1 request_body_size=0 request_body_append=2',
    ]);
  });

  it("buffers and rewrites a response body, and the client receives the result", async () => {
    const plugin = await load();
    const stream = plugin.newHttpStream();
    stream.sendRequestHeaders(post("none"), true);
    stream.sendResponseHeaders(
      [
        [":status", "200"],
        ["x-resp", "upper"],
        ["content-length", "5"],
      ],
      false,
    );
    stream.sendResponseBody("hel", false);
    expect(stream.downstreamResponse.body).toHaveLength(0);
    stream.sendResponseBody("lo", true);
    expect(text(stream.downstreamResponse.body)).toBe("HELLO");
    expect(stream.downstreamResponse.headers!.get("content-length")).toBeUndefined();
    expect(stream.completed).toBe(true);
    expect(stream.callbacks.slice(-3)).toEqual(["proxy_on_log", "proxy_on_done", "proxy_on_delete"]);
  });
});
