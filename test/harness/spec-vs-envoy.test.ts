// Rows of abi.md section 11 ("spec vs Envoy") and gotchas of section 10 not covered elsewhere,
// each proved with a hand-written module so the guest does exactly what the row describes.

import { describe, expect, it } from "vitest";
import { LogLevel, Plugin, serializePairs } from "../../harness/index.js";
import { LOG_IMPORT, MODULE_BASICS, REPORT, wat } from "../support/wat.js";

const codes = (plugin: Plugin) =>
  plugin.logs.filter((e) => e.instance === "worker").map((e) => e.message.charCodeAt(0));

describe("spec vs Envoy (abi.md 11)", () => {
  it("serializes pairs with the bytes of the values: {a: 1, b: 22} is 29 bytes, '1' is 0x31", () => {
    const bytes = serializePairs([
      ["a", "1"],
      ["b", "22"],
    ]);
    expect(Buffer.from(bytes).toString("hex")).toBe(
      "02000000" + "01000000" + "01000000" + "01000000" + "02000000" + "6100310062003232" + "00",
    );
    expect(bytes.length).toBe(29);
  });

  it("proxy_get_buffer_status: always reports flags 0, even at end of stream", async () => {
    const plugin = await Plugin.load(
      wat(`${LOG_IMPORT}
        (import "env" "proxy_get_buffer_status" (func $status (param i32 i32 i32) (result i32)))
        ${MODULE_BASICS} ${REPORT}
        (func (export "proxy_on_context_create") (param i32 i32))
        (func (export "proxy_on_request_body") (param i32 i32 i32) (result i32)
          (i32.store (i32.const 104) (i32.const 99))
          (call $report (call $status (i32.const 0) (i32.const 100) (i32.const 104)))
          (call $report (i32.load (i32.const 100)))
          (call $report (i32.load (i32.const 104)))
          (i32.const 0))`),
    );
    const stream = plugin.newHttpStream();
    stream.sendRequestHeaders([[":path", "/"]], false);
    stream.sendRequestBody("hello", true);
    expect(codes(plugin)).toEqual([0, 5, 0]);
  });

  it("proxy_get_header_map_value: a missing key is Ok with an empty value for v0.1.0 modules, NotFound for v0.2.x", async () => {
    const module = (marker: string) =>
      wat(`${LOG_IMPORT}
        (import "env" "proxy_get_header_map_value" (func $get (param i32 i32 i32 i32 i32) (result i32)))
        (memory (export "memory") 1)
        (func (export "${marker}"))
        (func (export "malloc") (param i32) (result i32) (i32.const 4096))
        (data (i32.const 200) "x-missing")
        ${REPORT}
        (func (export "proxy_on_context_create") (param i32 i32))
        (func (export "proxy_on_request_headers") (param i32 i32${marker.endsWith("0_1_0") ? "" : " i32"}) (result i32)
          (i32.store (i32.const 104) (i32.const 77))
          (call $report (call $get (i32.const 0) (i32.const 200) (i32.const 9) (i32.const 100) (i32.const 104)))
          (call $report (i32.load (i32.const 104)))
          (i32.const 0))`);
    const legacy = await Plugin.load(module("proxy_abi_version_0_1_0"));
    legacy.newHttpStream().sendRequestHeaders([[":path", "/"]], true);
    expect(codes(legacy)).toEqual([0, 0]);
    const current = await Plugin.load(module("proxy_abi_version_0_2_1"));
    current.newHttpStream().sendRequestHeaders([[":path", "/"]], true);
    expect(codes(current)).toEqual([1, 77]);
  });

  it("proxy_continue_request/response (v0.1.0): return an i32 status the guest can read", async () => {
    const plugin = await Plugin.load(
      wat(`${LOG_IMPORT}
        (import "env" "proxy_continue_request" (func $continueRequest (result i32)))
        (import "env" "proxy_continue_response" (func $continueResponse (result i32)))
        (memory (export "memory") 1)
        (func (export "proxy_abi_version_0_1_0"))
        (func (export "malloc") (param i32) (result i32) (i32.const 4096))
        ${REPORT}
        (func (export "proxy_on_context_create") (param i32 i32))
        (func (export "proxy_on_request_headers") (param i32 i32) (result i32)
          (call $report (call $continueRequest))
          (call $report (call $continueResponse))
          (i32.const 1))`),
    );
    const stream = plugin.newHttpStream();
    stream.sendRequestHeaders([[":path", "/"]], true);
    expect(codes(plugin)).toEqual([0, 0]);
    expect(stream.paused.request).toBe(false);
  });

  it("properties: the legacy top-level names removed in Envoy 1.33 are NotFound, their xds.* forms are found", async () => {
    const plugin = await Plugin.load(
      wat(`${LOG_IMPORT}
        (import "env" "proxy_get_property" (func $get (param i32 i32 i32 i32) (result i32)))
        ${MODULE_BASICS} ${REPORT}
        (data (i32.const 200) "cluster_name")
        (data (i32.const 220) "xds\\00cluster_name")
        (func (export "proxy_on_context_create") (param i32 i32))
        (func (export "proxy_on_request_headers") (param i32 i32 i32) (result i32)
          (call $report (call $get (i32.const 200) (i32.const 12) (i32.const 100) (i32.const 104)))
          (call $report (call $get (i32.const 220) (i32.const 16) (i32.const 100) (i32.const 104)))
          (i32.const 0))`),
    );
    plugin.newHttpStream().sendRequestHeaders([[":path", "/"]], true);
    expect(codes(plugin)).toEqual([1, 0]);
  });
});

describe("AssemblyScript gotchas the host enforces (abi.md 10)", () => {
  it("gotcha 16: defining a metric at top level (during _initialize) fails the load", async () => {
    const error = await Plugin.load(
      wat(`(import "env" "proxy_define_metric" (func $define (param i32 i32 i32 i32) (result i32)))
        ${MODULE_BASICS}
        (data (i32.const 200) "requests")
        (func (export "_initialize")
          (drop (call $define (i32.const 0) (i32.const 200) (i32.const 8) (i32.const 100))))`),
    ).catch((e: unknown) => e as Error);
    expect(String(error)).toMatch(/proxy_define_metric is not allowed while the module starts/);
  });

  it("gotcha 17: Ok with (0, 0) means present and empty, for a header value", async () => {
    const plugin = await Plugin.load(
      wat(`${LOG_IMPORT}
        (import "env" "proxy_get_header_map_value" (func $get (param i32 i32 i32 i32 i32) (result i32)))
        ${MODULE_BASICS} ${REPORT}
        (data (i32.const 200) "x-empty")
        (func (export "proxy_on_context_create") (param i32 i32))
        (func (export "proxy_on_request_headers") (param i32 i32 i32) (result i32)
          (i32.store (i32.const 100) (i32.const 55))
          (i32.store (i32.const 104) (i32.const 55))
          (call $report (call $get (i32.const 0) (i32.const 200) (i32.const 7) (i32.const 100) (i32.const 104)))
          (call $report (i32.load (i32.const 100)))
          (call $report (i32.load (i32.const 104)))
          (i32.const 0))`),
      { logLevel: LogLevel.Info },
    );
    plugin.newHttpStream().sendRequestHeaders(
      [
        [":path", "/"],
        ["x-empty", ""],
      ],
      true,
    );
    expect(codes(plugin)).toEqual([0, 0, 0]);
  });
});
