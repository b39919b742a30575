// The WASI functions Envoy provides (reference abi.md 9), exercised by hand-written modules that
// report each result through proxy_log.

import { describe, expect, it } from "vitest";
import { LogLevel, Plugin } from "../../harness/index.js";
import { LOG_IMPORT, MODULE_BASICS, REPORT, wat } from "../support/wat.js";

const WASI = "wasi_snapshot_preview1";

/** Loads a module whose proxy_on_vm_start runs `body`; returns the worker's log entries. */
async function runInVmStart(imports: string, body: string, data = "") {
  const plugin = await Plugin.load(
    wat(`${LOG_IMPORT} ${imports} ${MODULE_BASICS} ${REPORT} ${data}
      (func (export "proxy_on_vm_start") (param i32 i32) (result i32) ${body} (i32.const 1))`),
    { logLevel: LogLevel.Trace },
  );
  return plugin.logs.filter((e) => e.instance === "worker");
}

const codes = (entries: { message: string }[]) => entries.map((e) => e.message.charCodeAt(0));

describe("WASI in Envoy", () => {
  it("turns fd_write to stdout into one info line and to stderr into one error line (abi.md 9)", async () => {
    const logs = await runInVmStart(
      `(import "${WASI}" "fd_write" (func $write (param i32 i32 i32 i32) (result i32)))`,
      `(i32.store (i32.const 100) (i32.const 200)) (i32.store (i32.const 104) (i32.const 3))
       (i32.store (i32.const 108) (i32.const 203)) (i32.store (i32.const 112) (i32.const 6))
       (call $report (call $write (i32.const 1) (i32.const 100) (i32.const 2) (i32.const 120)))
       (call $report (i32.load (i32.const 120)))
       (call $report (call $write (i32.const 2) (i32.const 108) (i32.const 1) (i32.const 120)))
       (call $report (call $write (i32.const 3) (i32.const 100) (i32.const 1) (i32.const 120)))`,
      `(data (i32.const 200) "hi there\\n")`,
    );
    expect(logs.map((e) => [e.level, e.message])).toEqual([
      [LogLevel.Info, "hi there"],
      [LogLevel.Info, "\u0000"],
      [LogLevel.Info, "\u0009"],
      [LogLevel.Error, "there"],
      [LogLevel.Info, "\u0000"],
      [LogLevel.Info, "\u0008"],
    ]);
  });

  it("answers EFAULT for an iovec outside memory", async () => {
    const logs = await runInVmStart(
      `(import "${WASI}" "fd_write" (func $write (param i32 i32 i32 i32) (result i32)))`,
      `(i32.store (i32.const 100) (i32.const 70000)) (i32.store (i32.const 104) (i32.const 4))
       (call $report (call $write (i32.const 1) (i32.const 100) (i32.const 1) (i32.const 120)))`,
    );
    expect(codes(logs)).toEqual([21]);
  });

  it("has no files: fd_prestat_get is EBADF, path_open ENOENT, fd_read ENOSYS", async () => {
    const logs = await runInVmStart(
      `(import "${WASI}" "fd_prestat_get" (func $prestat (param i32 i32) (result i32)))
       (import "wasi_unstable" "path_open" (func $open (param i32 i32 i32 i32 i32 i64 i64 i32 i32) (result i32)))
       (import "${WASI}" "fd_read" (func $read (param i32 i32 i32 i32) (result i32)))`,
      `(call $report (call $prestat (i32.const 3) (i32.const 100)))
       (call $report (call $open (i32.const 3) (i32.const 0) (i32.const 0) (i32.const 0) (i32.const 0)
                               (i64.const 0) (i64.const 0) (i32.const 0) (i32.const 100)))
       (call $report (call $read (i32.const 0) (i32.const 100) (i32.const 1) (i32.const 120)))`,
    );
    expect(codes(logs)).toEqual([8, 44, 52]);
  });

  it("fills random_get up to 65536 bytes and refuses more with EINVAL", async () => {
    const logs = await runInVmStart(
      `(import "${WASI}" "random_get" (func $random (param i32 i32) (result i32)))`,
      `(call $report (call $random (i32.const 0) (i32.const 65536)))
       (call $report (call $random (i32.const 0) (i32.const 65537)))`,
    );
    expect(codes(logs)).toEqual([0, 28]);
  });

  it("lets proc_exit return instead of stopping the module, logging at trace (abi.md 9)", async () => {
    const logs = await runInVmStart(
      `(import "${WASI}" "proc_exit" (func $exit (param i32)))`,
      `(call $exit (i32.const 3)) (call $report (i32.const 42))`,
    );
    expect(logs.map((e) => [e.level, e.message])).toEqual([
      [LogLevel.Trace, "wasi_unstable proc_exit 3"],
      [LogLevel.Info, "*"],
    ]);
  });

  it("refuses proc_exit while the module starts but allows other WASI calls there", async () => {
    const error = await Plugin.load(
      wat(`(import "${WASI}" "proc_exit" (func $exit (param i32))) ${MODULE_BASICS}
        (func (export "_initialize") (call $exit (i32.const 0)))`),
    ).catch((e: unknown) => e as Error);
    expect(String(error)).toMatch(/proc_exit is not allowed while the module starts/);
    const plugin = await Plugin.load(
      wat(`(import "${WASI}" "sched_yield" (func $yield (result i32))) ${MODULE_BASICS}
        (func (export "_initialize") (drop (call $yield)))`),
    );
    expect(plugin.status).toBe("running");
  });
});

describe("ABI v0.1.0 modules", () => {
  const V010 = `
    (memory (export "memory") 1)
    (func (export "proxy_abi_version_0_1_0"))
    (func (export "malloc") (param i32) (result i32) (i32.const 4096))`;

  it("read their plugin configuration with proxy_get_configuration during on_configure", async () => {
    const plugin = await Plugin.load(
      wat(`(import "env" "proxy_get_configuration" (func $config (param i32 i32) (result i32)))
        (import "env" "proxy_log" (func $log (param i32 i32 i32) (result i32))) ${V010}
        (func (export "proxy_on_configure") (param i32 i32) (result i32)
          (drop (call $config (i32.const 16) (i32.const 20)))
          (drop (call $log (i32.const 2) (i32.load (i32.const 16)) (i32.load (i32.const 20))))
          (i32.const 1))`),
      { configuration: "plugin-config" },
    );
    expect(plugin.abi).toBe("0.1.0");
    expect(plugin.logs.map((e) => [e.instance, e.message])).toEqual([
      ["canary", "plugin-config"],
      ["main", "plugin-config"],
      ["worker", "plugin-config"],
    ]);
  });

  it("have two-parameter header callbacks", async () => {
    const plugin = await Plugin.load(
      wat(`${V010}
        (func (export "proxy_on_context_create") (param i32 i32))
        (func (export "proxy_on_request_headers") (param i32 i32) (result i32) (i32.const 0))`),
    );
    const stream = plugin.newHttpStream();
    stream.sendRequestHeaders([[":path", "/"]], true);
    expect(stream.callbacks).toEqual(["proxy_on_context_create", "proxy_on_request_headers"]);
  });

  it("cannot import proxy_continue_stream, which only 0.2.x modules get", async () => {
    const error = await Plugin.load(
      wat(`(import "env" "proxy_continue_stream" (func (param i32) (result i32))) ${V010}`),
    ).catch((e: unknown) => e as Error);
    expect(String(error)).toMatch(/missing import: env\.proxy_continue_stream/);
  });
});
