// Modules that other SDKs and toolchains produce load and run as Envoy runs them (reference
// abi.md 1, 4.1, 9): the Go SDK's wasip1 reactor, an Emscripten standalone reactor, the Rust
// SDK's wasm32-wasi cdylib, a Zig wasm32-wasi reactor and solo.io's AssemblyScript SDK built by
// assemblyscript 0.14 (committed under test/peers/, see its README), plus module shapes
// that Envoy accepts and our SDK never emits, written by hand.

import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { FilterHeadersStatus, LogLevel, Plugin, readModuleInfo } from "../../harness/index.js";
import { HostEnvironment } from "../../harness/host/environment.js";
import { LOG_IMPORT, MODULE_BASICS, REPORT, wat } from "../support/wat.js";
import { get } from "./support.js";

const peer = (name: string) => `test/peers/${name}/${name}.wasm`;

function shape(path: string): { imports: string[]; exports: string[] } {
  const info = readModuleInfo(new Uint8Array(readFileSync(path)));
  return {
    imports: info.imports.map((i) => `${i.module}.${i.name}`),
    exports: info.exports.filter((e) => e.kind === "function").map((e) => e.name),
  };
}

/** The worker's messages at `level` (the canary's and the main thread's configure lines are left out). */
function workerLines(plugin: Plugin, level: LogLevel): string[] {
  return plugin.logs.filter((e) => e.instance === "worker" && e.level === level).map((e) => e.message);
}

describe("the Go SDK's module (go-header: Go wasip1, -buildmode=c-shared)", () => {
  const wasm = peer("go-header");

  it("has the Go toolchain's shape: _initialize, proxy_on_memory_allocate, ABI 0.2.0, fd_write imported twice", () => {
    const { imports, exports } = shape(wasm);
    expect(exports).toEqual(
      expect.arrayContaining(["_initialize", "proxy_on_memory_allocate", "proxy_abi_version_0_2_0"]),
    );
    expect(exports).not.toContain("malloc");
    expect(imports.filter((name) => name === "wasi_snapshot_preview1.fd_write")).toHaveLength(2);
    expect(imports.filter((name) => name.startsWith("env."))).toEqual([
      "env.proxy_log",
      "env.proxy_get_header_map_value",
      "env.proxy_add_header_map_value",
      "env.proxy_replace_header_map_value",
      "env.proxy_get_buffer_bytes",
      "env.proxy_set_effective_context",
    ]);
  });

  it("starts as an ABI 0.2.0 plugin and reads its configuration in on_configure", async () => {
    const plugin = await Plugin.load(wasm, { configuration: "X-Peer: go" });
    expect(plugin.abi).toBe("0.2.0");
    expect(plugin.status).toBe("running");
    expect(plugin.logs.map((e) => [e.instance, e.message])).toEqual([
      ["canary", "go-header: will set x-peer"],
      ["main", "go-header: will set x-peer"],
      ["worker", "go-header: will set x-peer"],
    ]);
  });

  it("sets the configured request header, adds x-peer-sdk to the response and logs each step at info", async () => {
    const plugin = await Plugin.load(wasm, { configuration: "x-peer: go" });
    const stream = plugin.newHttpStream();
    expect(stream.sendRequestHeaders(get([["x-peer", "client"]]), true)).toBe(FilterHeadersStatus.Continue);
    expect(stream.requestHeaders!.getAll("x-peer")).toEqual(["go"]);
    expect(stream.sendResponseHeaders([[":status", "200"]], true)).toBe(FilterHeadersStatus.Continue);
    expect(stream.responseHeaders!.getAll("x-peer-sdk")).toEqual(["go"]);
    stream.complete();
    expect(workerLines(plugin, LogLevel.Info)).toEqual([
      "go-header: will set x-peer",
      "go-header: request / x-peer=go",
      "go-header: response 200",
    ]);
    expect(plugin.trap).toBeNull();
  });

  it("fails on_configure with a critical line for a configuration it cannot parse", async () => {
    const plugin = await Plugin.load(wasm, { configuration: "no colon" });
    expect(plugin.status).toBe("configure_failed");
    expect(plugin.logMessages(LogLevel.Critical)).toEqual([
      'go-header: configuration must be "<header>: <value>", got "no colon"',
    ]);
  });
});

describe("an Emscripten module (c-emscripten: emcc STANDALONE_WASM reactor, ABI calls written in C)", () => {
  const wasm = peer("c-emscripten");

  it("has Emscripten's shape: _initialize, malloc, emscripten_notify_memory_growth and WASI stdio imports", () => {
    const { imports, exports } = shape(wasm);
    expect(exports).toEqual(expect.arrayContaining(["_initialize", "malloc", "free", "proxy_abi_version_0_2_1"]));
    expect(exports).not.toContain("proxy_on_vm_start");
    expect(exports).not.toContain("proxy_on_done");
    expect([...imports].sort()).toEqual([
      "env.emscripten_notify_memory_growth",
      "env.proxy_get_buffer_bytes",
      "env.proxy_get_header_map_value",
      "env.proxy_log",
      "env.proxy_replace_header_map_value",
      "wasi_snapshot_preview1.fd_close",
      "wasi_snapshot_preview1.fd_seek",
      "wasi_snapshot_preview1.fd_write",
    ]);
  });

  it("copies the configured header, logging through proxy_log and through stdout (fd_write on fd 1 is info)", async () => {
    const plugin = await Plugin.load(wasm, { configuration: "x-source" });
    expect(plugin.status).toBe("running");
    const stream = plugin.newHttpStream();
    stream.sendRequestHeaders(get([["x-source", "from-client"]]), true);
    expect(stream.requestHeaders!.getAll("x-peer-copy")).toEqual(["from-client"]);
    stream.sendResponseHeaders([[":status", "204"]], true);
    expect(stream.responseHeaders!.getAll("x-peer-sdk")).toEqual(["emscripten"]);
    stream.complete();
    expect(workerLines(plugin, LogLevel.Info)).toEqual([
      "c-emscripten: copying x-source",
      "c-emscripten: request status=0",
    ]);
    expect(plugin.trap).toBeNull();
  });

  it("sees NotFound for a missing header and writes stderr as an error line (fd_write on fd 2)", async () => {
    const plugin = await Plugin.load(wasm, { configuration: "x-source" });
    const stream = plugin.newHttpStream();
    stream.sendRequestHeaders(get(), true);
    expect(stream.requestHeaders!.getAll("x-peer-copy")).toEqual(["missing"]);
    expect(workerLines(plugin, LogLevel.Error)).toEqual([`c-emscripten: context ${stream.id} has no x-source`]);
    expect(workerLines(plugin, LogLevel.Info)).toContain("c-emscripten: request status=1");
  });

  it("serves many streams without exhausting memory (free returns what the host allocated)", async () => {
    const plugin = await Plugin.load(wasm, { configuration: "x-source" });
    for (let i = 0; i < 200; i++) {
      const stream = plugin.newHttpStream();
      stream.sendRequestHeaders(get([["x-source", "v".repeat(4096)]]), true);
      stream.complete();
    }
    expect(plugin.trap).toBeNull();
  });

  it("fails on_configure for an empty configuration", async () => {
    const plugin = await Plugin.load(wasm);
    expect(plugin.status).toBe("configure_failed");
    expect(plugin.logMessages(LogLevel.Critical)).toEqual(["c-emscripten: configuration must be a header name"]);
  });
});

describe("the Rust SDK's module (rust-header: proxy-wasm 0.2.2, wasm32-wasi cdylib)", () => {
  const wasm = peer("rust-header");

  it("has the Rust SDK's wasm32-wasi shape: _initialize and proxy_on_memory_allocate, no malloc", () => {
    const { imports, exports } = shape(wasm);
    expect(exports).toEqual(
      expect.arrayContaining(["_initialize", "proxy_on_memory_allocate", "proxy_abi_version_0_2_1"]),
    );
    expect(exports).not.toContain("malloc");
    expect(imports.filter((name) => !name.startsWith("env."))).toEqual([
      "wasi_snapshot_preview1.fd_write",
      "wasi_snapshot_preview1.environ_get",
      "wasi_snapshot_preview1.environ_sizes_get",
      "wasi_snapshot_preview1.proc_exit",
    ]);
    expect(imports.filter((name) => name.startsWith("env."))).toHaveLength(32);
  });

  it("sets the configured request header, counts the request headers and adds x-peer-sdk to the response", async () => {
    const plugin = await Plugin.load(wasm, { configuration: "X-Peer: rust" });
    expect(plugin.abi).toBe("0.2.1");
    expect(plugin.status).toBe("running");
    const stream = plugin.newHttpStream();
    stream.sendRequestHeaders(get(), true);
    expect(stream.requestHeaders!.getAll("x-peer")).toEqual(["rust"]);
    stream.sendResponseHeaders([[":status", "200"]], true);
    expect(stream.responseHeaders!.getAll("x-peer-sdk")).toEqual(["rust"]);
    stream.complete();
    expect(workerLines(plugin, LogLevel.Info)).toEqual([
      "rust-header: will set x-peer",
      "rust-header: request with 3 headers x-peer=rust",
    ]);
    expect(plugin.trap).toBeNull();
  });

  it("fails on_configure with an error line for a configuration it cannot parse", async () => {
    const plugin = await Plugin.load(wasm, { configuration: "no colon" });
    expect(plugin.status).toBe("configure_failed");
    expect(plugin.logMessages(LogLevel.Error)).toEqual([
      'rust-header: configuration must be "<header>: <value>", got "no colon"',
    ]);
  });
});

describe("a Zig module (zig-header: Zig 0.17.1 wasm32-wasi reactor, ABI calls written in Zig)", () => {
  const wasm = peer("zig-header");

  it("has the Zig toolchain's shape: _initialize from main, a hand-written malloc, no WASI imports", () => {
    const { imports, exports } = shape(wasm);
    expect([...exports].sort()).toEqual([
      "_initialize",
      "malloc",
      "proxy_abi_version_0_2_1",
      "proxy_on_configure",
      "proxy_on_context_create",
      "proxy_on_request_headers",
      "proxy_on_response_headers",
    ]);
    expect([...imports].sort()).toEqual([
      "env.proxy_add_header_map_value",
      "env.proxy_get_buffer_bytes",
      "env.proxy_get_header_map_value",
      "env.proxy_log",
      "env.proxy_replace_header_map_value",
    ]);
  });

  it("logs from _initialize, reads its configuration, sets the request header and adds x-peer-sdk", async () => {
    const plugin = await Plugin.load(wasm, { configuration: "X-Peer: zig" });
    expect(plugin.abi).toBe("0.2.1");
    expect(plugin.status).toBe("running");
    const stream = plugin.newHttpStream();
    stream.sendRequestHeaders(get([["x-peer", "client"]]), true);
    expect(stream.requestHeaders!.getAll("x-peer")).toEqual(["zig"]);
    stream.sendResponseHeaders([[":status", "200"]], true);
    expect(stream.responseHeaders!.getAll("x-peer-sdk")).toEqual(["zig"]);
    stream.complete();
    expect(workerLines(plugin, LogLevel.Info)).toEqual([
      "zig-header: started",
      "zig-header: will set x-peer",
      `zig-header: request ${stream.id} / x-peer=zig`,
    ]);
    expect(plugin.trap).toBeNull();
  });

  it("serves many streams with a long :path (each host-allocated block goes back to the Zig allocator)", async () => {
    const plugin = await Plugin.load(wasm, { configuration: "x-peer: zig" });
    for (let i = 0; i < 200; i++) {
      const stream = plugin.newHttpStream();
      stream.sendRequestHeaders(
        [
          [":method", "GET"],
          [":path", `/${"p".repeat(8192)}`],
          [":authority", "a"],
        ],
        true,
      );
      stream.complete();
    }
    expect(plugin.trap).toBeNull();
  });

  it("fails on_configure with a critical line for a configuration it cannot parse", async () => {
    const plugin = await Plugin.load(wasm, { configuration: "no colon" });
    expect(plugin.status).toBe("configure_failed");
    expect(plugin.logMessages(LogLevel.Critical)).toEqual([
      'zig-header: configuration must be "<header>: <value>", got "no colon"',
    ]);
  });
});

describe("solo.io's AssemblyScript SDK (solo-header: @solo-io/proxy-runtime 0.1.8, assemblyscript 0.14.13)", () => {
  const wasm = peer("solo-header");

  it("imports none of the host calls Envoy refuses in an ABI 0.2.x module (abi.md 3.11, 10 gotcha 9)", () => {
    const { imports, exports } = shape(wasm);
    expect(imports).toEqual([
      "env.proxy_log",
      "wasi_unstable.proc_exit",
      "env.proxy_get_buffer_bytes",
      "env.proxy_get_property",
      "env.proxy_set_effective_context",
      "env.proxy_replace_header_map_value",
      "env.proxy_add_header_map_value",
    ]);
    expect(exports).toEqual(expect.arrayContaining(["malloc", "free", "proxy_abi_version_0_2_0", "__retain"]));
    expect(exports).not.toContain("_initialize");
    expect(exports).not.toContain("_start");
  });

  it("loads as ABI 0.2.0, finds its root context by plugin_root_id and changes both header maps", async () => {
    const plugin = await Plugin.load(wasm, { rootId: "solo-header", configuration: "solo" });
    expect(plugin.abi).toBe("0.2.0");
    expect(plugin.status).toBe("running");
    const stream = plugin.newHttpStream();
    expect(stream.sendRequestHeaders(get([["x-peer", "client"]]), true)).toBe(FilterHeadersStatus.Continue);
    expect(stream.requestHeaders!.getAll("x-peer")).toEqual(["solo"]);
    expect(stream.sendResponseHeaders([[":status", "200"]], true)).toBe(FilterHeadersStatus.Continue);
    expect(stream.responseHeaders!.getAll("x-peer-sdk")).toEqual(["solo-io"]);
    stream.complete();
    expect(workerLines(plugin, LogLevel.Info)).toEqual(["solo-header: request"]);
    expect(plugin.trap).toBeNull();
  });

  it("fails to start when no root context is registered for the plugin's root_id (the SDK aborts)", async () => {
    const plugin = await Plugin.load(wasm, { configuration: "solo" });
    expect(plugin.status).toBe("start_failed");
    expect(plugin.logMessages(LogLevel.Critical)).toEqual([
      "Missing root context factory for root id:  at: ~lib/@solo-io/proxy-runtime/runtime.ts(991:5)",
    ]);
  });
});

// Reads the plugin configuration in on_configure and logs it, so a test sees whether the host
// could place the bytes with the module's allocator.
const LOG_CONFIGURATION = `
  (func (export "proxy_on_configure") (param $root i32) (param $size i32) (result i32)
    (call $report (call $get_buffer (i32.const 7) (i32.const 0) (local.get $size) (i32.const 16) (i32.const 20)))
    (drop (call $log (i32.const 2) (i32.load (i32.const 16)) (i32.load (i32.const 20))))
    (i32.const 1))`;
const GET_BUFFER_IMPORT = `(import "env" "proxy_get_buffer_bytes" (func $get_buffer (param i32 i32 i32 i32 i32) (result i32)))`;

describe("module shapes Envoy accepts that our SDK never emits", () => {
  it("allocates with proxy_on_memory_allocate when the module exports no malloc (abi.md 4.1)", async () => {
    const plugin = await Plugin.load(
      wat(`${LOG_IMPORT} ${GET_BUFFER_IMPORT}
        (memory (export "memory") 1)
        (global $heap (mut i32) (i32.const 4096))
        (func (export "proxy_abi_version_0_2_1"))
        (func (export "proxy_on_memory_allocate") (param $size i32) (result i32)
          (global.get $heap)
          (global.set $heap (i32.add (global.get $heap) (local.get $size))))
        ${REPORT} ${LOG_CONFIGURATION}`),
      { configuration: "from the host" },
    );
    expect(plugin.status).toBe("running");
    expect(plugin.logMessages()).toEqual([
      "\u0000",
      "from the host",
      "\u0000",
      "from the host",
      "\u0000",
      "from the host",
    ]);
  });

  it("allocates with malloc when a module exports both allocators (abi.md 11: malloc first)", async () => {
    const plugin = await Plugin.load(
      wat(`${LOG_IMPORT} ${GET_BUFFER_IMPORT} ${MODULE_BASICS}
        (func (export "proxy_on_memory_allocate") (param i32) (result i32) (unreachable))
        ${REPORT} ${LOG_CONFIGURATION}`),
      { configuration: "malloc wins" },
    );
    expect(plugin.status).toBe("running");
    expect(plugin.logMessages()).toEqual(["\u0000", "malloc wins", "\u0000", "malloc wins", "\u0000", "malloc wins"]);
  });

  it("calls _start when the module has no _initialize (abi.md 4.1)", async () => {
    const plugin = await Plugin.load(
      wat(`${LOG_IMPORT} ${MODULE_BASICS}
        (data (i32.const 16) "start")
        (func (export "_start") (drop (call $log (i32.const 2) (i32.const 16) (i32.const 5))))`),
    );
    expect(plugin.status).toBe("running");
    expect(plugin.logs.map((e) => [e.instance, e.message])).toEqual([
      ["base", "start"],
      ["canary", "start"],
      ["main", "start"],
      ["worker", "start"],
    ]);
  });

  it("calls _initialize and not _start when a module exports both (abi.md 4.1)", async () => {
    const plugin = await Plugin.load(
      wat(`${LOG_IMPORT} ${MODULE_BASICS}
        (data (i32.const 16) "initialize")
        (data (i32.const 32) "start")
        (func (export "_initialize") (drop (call $log (i32.const 2) (i32.const 16) (i32.const 10))))
        (func (export "_start") (drop (call $log (i32.const 2) (i32.const 32) (i32.const 5))))`),
    );
    expect(plugin.logs.map((e) => [e.instance, e.message])).toEqual([
      ["base", "initialize"],
      ["canary", "initialize"],
      ["main", "initialize"],
      ["worker", "initialize"],
    ]);
  });

  it("links the same host function imported twice, from env and from both WASI module names (abi.md 1, 9)", async () => {
    const plugin = await Plugin.load(
      wat(`${LOG_IMPORT}
        (import "env" "proxy_log" (func $log_again (param i32 i32 i32) (result i32)))
        (import "wasi_snapshot_preview1" "fd_write" (func $write (param i32 i32 i32 i32) (result i32)))
        (import "wasi_unstable" "fd_write" (func $write_unstable (param i32 i32 i32 i32) (result i32)))
        ${MODULE_BASICS}
        (data (i32.const 16) "first")
        (data (i32.const 32) "second")
        (data (i32.const 48) "\\20\\00\\00\\00\\06\\00\\00\\00")
        (func (export "proxy_on_vm_start") (param i32 i32) (result i32)
          (drop (call $log (i32.const 2) (i32.const 16) (i32.const 5)))
          (drop (call $log_again (i32.const 2) (i32.const 32) (i32.const 6)))
          (drop (call $write (i32.const 1) (i32.const 48) (i32.const 1) (i32.const 64)))
          (drop (call $write_unstable (i32.const 2) (i32.const 48) (i32.const 1) (i32.const 64)))
          (i32.const 1))`),
    );
    expect(plugin.status).toBe("running");
    expect(plugin.logs.filter((e) => e.instance === "worker").map((e) => [e.level, e.message])).toEqual([
      [LogLevel.Info, "first"],
      [LogLevel.Info, "second"],
      [LogLevel.Info, "second"],
      [LogLevel.Error, "second"],
    ]);
  });

  it("passes streams through a module that exports no callbacks at all", async () => {
    const plugin = await Plugin.load(wat(MODULE_BASICS));
    expect(plugin.status).toBe("running");
    const stream = plugin.newHttpStream();
    expect(stream.sendRequestHeaders(get([["x-kept", "1"]]), true)).toBe(FilterHeadersStatus.Continue);
    expect(stream.sendResponseHeaders([[":status", "200"]], true)).toBe(FilterHeadersStatus.Continue);
    stream.complete();
    expect(stream.requestHeaders!.all()).toEqual(get([["x-kept", "1"]]));
    expect(stream.responseHeaders!.all()).toEqual([[":status", "200"]]);
    expect(stream.localReply).toBeNull();
    expect(plugin.logs).toEqual([]);
  });
});

describe("the WASI clock and environment Go and Rust runtimes read while they start", () => {
  it("answers clock_time_get from the host clock, clock_res_get with 1 ns and an empty environ (abi.md 9)", async () => {
    // The clock's bytes spell "HGFEDCBA" in little-endian, so proxy_log can show them.
    const environment = new HostEnvironment({ startTime: 0x4142434445464748n });
    const plugin = await Plugin.load(
      wat(`${LOG_IMPORT}
        (import "wasi_snapshot_preview1" "clock_time_get" (func $time (param i32 i64 i32) (result i32)))
        (import "wasi_snapshot_preview1" "clock_res_get" (func $resolution (param i32 i32) (result i32)))
        (import "wasi_snapshot_preview1" "environ_sizes_get" (func $environ_sizes (param i32 i32) (result i32)))
        ${MODULE_BASICS} ${REPORT}
        (func (export "_initialize")
          (call $report (call $time (i32.const 0) (i64.const 1000) (i32.const 64)))
          (drop (call $log (i32.const 2) (i32.const 64) (i32.const 8)))
          (call $report (call $time (i32.const 1) (i64.const 0) (i32.const 64)))
          (drop (call $log (i32.const 2) (i32.const 64) (i32.const 8)))
          (call $report (call $time (i32.const 2) (i64.const 0) (i32.const 64)))
          (call $report (call $resolution (i32.const 1) (i32.const 80)))
          (call $report (i32.load (i32.const 80)))
          (i32.store (i32.const 96) (i32.const 7))
          (i32.store (i32.const 100) (i32.const 7))
          (call $report (call $environ_sizes (i32.const 96) (i32.const 100)))
          (call $report (i32.add (i32.load (i32.const 96)) (i32.load (i32.const 100)))))`),
      { environment },
    );
    expect(plugin.status).toBe("running");
    const ok = "\u0000";
    const notSupported = String.fromCharCode(58);
    expect(plugin.logs.filter((e) => e.instance === "worker").map((e) => e.message)).toEqual([
      ok,
      "HGFEDCBA",
      ok,
      "HGFEDCBA",
      notSupported,
      ok,
      "\u0001",
      ok,
      ok,
    ]);
  });
});
