// header-rewrite JSON body fields: set and remove on request and response bodies, content-length
// dropped for a body that may change size (Envoy does not fix it up; abi.md 6.2), bodies that are
// not JSON (by content-type or content) untouched, and bodies over max_body_bytes passed through.

import { describe, expect, it } from "vitest";
import { type HttpStream } from "../../harness/index.js";
import { builds, load, send } from "./header-rewrite/support.js";

const text = (bytes: Uint8Array) => new TextDecoder().decode(bytes);
const json = (length: number): [string, string][] => [
  ["content-type", "application/json; charset=utf-8"],
  ["content-length", String(length)],
];

const config = (extra: object = {}) => ({
  ...extra,
  rules: [
    {
      match: { methods: ["POST"] },
      request: {
        json_body: [
          { set: { path: "meta.source", value: "edge" } },
          { set: { path: "meta.user", value: "%REQ(x-user)%" } },
          { set: { path: "limits", value: { max: 10, tags: ["a"] } } },
          { remove: "password" },
        ],
      },
      response: { json_body: [{ remove: "internal" }, { set: { path: "served_by", value: "envoy-as" } }] },
    },
  ],
});

function post(plugin: Parameters<typeof send>[0], body: string, headers = json(body.length)): HttpStream {
  return send(plugin, { method: "POST", body, headers: [...headers, ["x-user", 'al"ice']] });
}

describe.each(builds)("header-rewrite JSON bodies (%s)", (wasm) => {
  it("edits the request body in place and drops content-length", async () => {
    const plugin = await load(wasm, config());
    const body = '{"name": "x", "n": 12345678901234567890, "password": "s3cret"}';
    const stream = post(plugin, body);
    const edited = text(stream.upstreamRequest.body);
    expect(JSON.parse(edited)).toEqual({
      name: "x",
      n: Number("12345678901234567890"),
      meta: { source: "edge", user: 'al"ice' },
      limits: { max: 10, tags: ["a"] },
    });
    expect(edited).toContain('"n": 12345678901234567890');
    expect(stream.upstreamRequest.headers!.get("content-length")).toBeUndefined();
  });

  it("edits the response body and drops its content-length", async () => {
    const plugin = await load(wasm, config());
    const stream = post(plugin, "{}");
    const body = '{"id":1,"internal":{"host":"db1"}}';
    stream.sendResponseHeaders([[":status", "200"], ...json(body.length)], false);
    stream.sendResponseBody(body, true);
    const edited = text(stream.downstreamResponse.body);
    expect(JSON.parse(edited)).toEqual({ id: 1, served_by: "envoy-as" });
    expect(stream.downstreamResponse.headers!.get("content-length")).toBeUndefined();
  });

  it("leaves a body that is not JSON untouched and counts it", async () => {
    const plugin = await load(wasm, config());
    const stream = post(plugin, "{not json");
    expect(text(stream.upstreamRequest.body)).toBe("{not json");
    expect(plugin.environment.metrics.counter("header_rewrite_body_not_json")).toBe(1n);
  });

  it("does not touch a body whose content-type is not JSON, nor its content-length", async () => {
    const plugin = await load(wasm, config());
    const stream = send(plugin, {
      method: "POST",
      headers: [
        ["content-type", "text/plain"],
        ["content-length", "16"],
      ],
      body: '{"password":"x"}',
    });
    expect(stream.upstreamRequest.headers!.get("content-length")).toBe("16");
    expect(text(stream.upstreamRequest.body)).toBe('{"password":"x"}');
    expect(text(stream.upstreamRequest.body)).toBe('{"password":"x"}');
  });

  it("passes a body over max_body_bytes through unchanged", async () => {
    const plugin = await load(wasm, config({ max_body_bytes: 16 }));
    const body = '{"password": "a long enough secret"}';
    const stream = post(plugin, body);
    expect(text(stream.upstreamRequest.body)).toBe(body);
    expect(plugin.environment.metrics.counter("header_rewrite_body_too_large")).toBe(1n);
  });

  it("buffers the body until it is complete, across chunks", async () => {
    const plugin = await load(wasm, config());
    const stream = plugin.newHttpStream();
    const headers: [string, string][] = [
      [":method", "POST"],
      [":path", "/"],
      [":authority", "shop.test"],
      ["content-type", "application/json"],
      ["content-length", "26"],
    ];
    stream.sendRequestHeaders(headers, false);
    stream.sendRequestBody('{"password":', false);
    expect(stream.upstreamRequest.body).toHaveLength(0);
    stream.sendRequestBody(' "x", "a": 1}', true);
    expect(JSON.parse(text(stream.upstreamRequest.body))).toEqual({
      a: 1,
      meta: { source: "edge", user: "" },
      limits: { max: 10, tags: ["a"] },
    });
  });

  it("refuses a field path that is not a dotted path", async () => {
    const bad = { rules: [{ request: { json_body: [{ remove: "a..b" }] } }] };
    const plugin = await load(wasm, bad);
    expect(plugin.status).toBe("configure_failed");
    expect(plugin.logMessages()[0]).toContain("rules[0].request.json_body[0].remove: must be a dotted field path");
  });
});
