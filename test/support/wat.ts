// Builds small hand-written modules from WebAssembly text for tests that need exact imports,
// exports or host-call sequences that no SDK would produce.

import wabt from "wabt";

const toolkit = await wabt();

/** Compiles `(module ...body)` to a wasm binary. */
export function wat(body: string): Uint8Array {
  const parsed = toolkit.parseWat("test.wat", `(module ${body})`);
  try {
    return parsed.toBinary({}).buffer;
  } finally {
    parsed.destroy();
  }
}

/** The exports every proxy-wasm module needs: memory, the v0.2.1 marker and a bump allocator at 4096. */
export const MODULE_BASICS = `
  (memory (export "memory") 1)
  (global $heap (mut i32) (i32.const 4096))
  (func (export "proxy_abi_version_0_2_1"))
  (func (export "malloc") (param $size i32) (result i32)
    (global.get $heap)
    (global.set $heap (i32.add (global.get $heap) (local.get $size))))`;

/** The proxy_log import `REPORT` needs; imports must precede every other definition. */
export const LOG_IMPORT = `(import "env" "proxy_log" (func $log (param i32 i32 i32) (result i32)))`;

/**
 * A `$report` function that logs one byte (a status or errno) at info level through proxy_log,
 * so a test reads each host call's result as `message.charCodeAt(0)`.
 */
export const REPORT = `
  (func $report (param $value i32)
    (i32.store8 (i32.const 8) (local.get $value))
    (drop (call $log (i32.const 2) (i32.const 8) (i32.const 1))))`;
