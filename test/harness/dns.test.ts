// envoy_resolve_dns (reference abi.md 3.10): the token is written at once, the answer reaches the
// caller's root as envoy_on_resolve_dns(root, token, size) with the call-data buffer holding a u32
// count, the u32 TTLs and the NUL-terminated addresses (size 0 on failure).

import { describe, expect, it } from "vitest";
import { Plugin } from "../../harness/index.js";
import { LOG_IMPORT, MODULE_BASICS, REPORT, wat } from "../support/wat.js";

const RESOLVER = wat(`
  ${LOG_IMPORT}
  (import "env" "envoy_resolve_dns" (func $resolve (param i32 i32 i32) (result i32)))
  (import "env" "proxy_get_buffer_bytes" (func $bytes (param i32 i32 i32 i32 i32) (result i32)))
  ${MODULE_BASICS}
  ${REPORT}
  (data (i32.const 300) "upstream.test")
  (func (export "proxy_on_configure") (param i32 i32) (result i32)
    (call $report (call $resolve (i32.const 300) (i32.const 13) (i32.const 400)))
    (call $report (i32.load (i32.const 400)))
    (drop (call $resolve (i32.const 300) (i32.const 13) (i32.const 400)))
    (call $report (i32.load (i32.const 400)))
    (i32.const 1))
  (func (export "envoy_on_resolve_dns") (param $root i32) (param $token i32) (param $size i32)
    (call $report (local.get $root))
    (call $report (local.get $token))
    (call $report (local.get $size))
    (if (local.get $size)
      (then
        (drop (call $bytes (i32.const 8) (i32.const 0) (local.get $size) (i32.const 500) (i32.const 504)))
        (drop (call $log (i32.const 2) (i32.load (i32.const 500)) (i32.load (i32.const 504)))))))`);

const workerLog = (plugin: Plugin) => plugin.logs.filter((e) => e.instance === "worker").map((e) => e.message);

describe("envoy_resolve_dns", () => {
  it("writes tokens 1, 2… and records each query for the test to answer (abi.md 3.10)", async () => {
    const plugin = await Plugin.load(RESOLVER);
    expect(workerLog(plugin)).toEqual(["\0", "\x01", "\x02"]);
    // The main thread's instance resolves too; its queries follow the worker's.
    expect(plugin.dnsQueries.map((q) => [q.token, q.address, q.rootId])).toEqual([
      [1, "upstream.test", 1],
      [2, "upstream.test", 1],
      [1, "upstream.test", 1],
      [2, "upstream.test", 1],
    ]);
  });

  it("answers with the count, TTLs and NUL-terminated addresses in the call-data buffer (abi.md 3.10)", async () => {
    const plugin = await Plugin.load(RESOLVER);
    const query = plugin.dnsQueries[1]!;
    expect(
      query.answer([
        { address: "10.0.0.1", ttl: 30 },
        { address: "::1", ttl: 5 },
      ]),
    ).toBe(true);
    const data = "\x02\0\0\0\x1e\0\0\0\x05\0\0\0" + "10.0.0.1:0\0[::1]:0\0";
    expect(workerLog(plugin).slice(3)).toEqual(["\x01", "\x02", String.fromCharCode(data.length), data]);
    expect(plugin.dnsQueries.map((q) => q.token)).toEqual([1, 1, 2]);
  });

  it("reports a failed resolution with data size 0 (abi.md 3.10)", async () => {
    const plugin = await Plugin.load(RESOLVER);
    plugin.dnsQueries[0]!.fail();
    expect(workerLog(plugin).slice(3)).toEqual(["\x01", "\x01", "\0"]);
  });
});
