// Hand-written modules for what no SDK emits but Envoy must handle or refuse (abi.md 10 gotchas
// 1-3, 8, 9 and the section 11 rows on allocators, proc_exit and ABI 0.1.0): each setup compares
// whether both hosts accept the plugin, and the lines it logs while loading.

import { type FidelitySetup } from "../types.js";

const BASICS = `
  (memory (export "memory") 1)
  (global $heap (mut i32) (i32.const 4096))
  (func (export "proxy_abi_version_0_2_1"))`;

const MALLOC = `
  (func (export "malloc") (param $size i32) (result i32)
    (global.get $heap)
    (global.set $heap (i32.add (global.get $heap) (local.get $size))))`;

const LOG = `(import "env" "proxy_log" (func $log (param i32 i32 i32) (result i32)))`;

// A module named `name`: the log import and `imports`, then `basics` (by default the v0.2.1
// basics with malloc), then `body`.
function module(
  name: string,
  imports: string,
  body: string,
  extra: Partial<FidelitySetup> = {},
  basics = BASICS + MALLOC,
): FidelitySetup {
  return { name, wasm: `build/fidelity/${name}.wasm`, wat: `${LOG} ${imports} ${basics} ${body}`, ...extra };
}

// Logs the text at `offset` (`length` bytes) at info level.
const say = (offset: number, length: number) =>
  `(drop (call $log (i32.const 2) (i32.const ${offset}) (i32.const ${length})))`;

/** A module that reports proxy_get_buffer_status's flags and the end-of-stream flag of each request body callback. */
export const bufferStatus: FidelitySetup = module(
  "buffer-status-flags",
  `(import "env" "proxy_get_buffer_status" (func $status (param i32 i32 i32) (result i32)))`,
  `(func (export "proxy_on_context_create") (param i32 i32))
  (func (export "proxy_on_request_body") (param i32) (param $size i32) (param $eos i32) (result i32)
    (drop (call $status (i32.const 0) (i32.const 16) (i32.const 20)))
    (i32.store8 (i32.const 100) (i32.add (i32.const 48) (i32.load (i32.const 20))))
    (i32.store8 (i32.const 101) (i32.add (i32.const 48) (local.get $eos)))
    ${say(100, 2)}
    (i32.const 0))`,
);

export const moduleSetups: FidelitySetup[] = [
  module(
    "allocator-precedence",
    `(import "env" "proxy_get_buffer_bytes" (func $bytes (param i32 i32 i32 i32 i32) (result i32)))`,
    `(global $used (mut i32) (i32.const 0))
    (data (i32.const 100) "malloc")
    (data (i32.const 110) "proxy_on_memory_allocate")
    (data (i32.const 140) "none")
    (func (export "malloc") (param $size i32) (result i32)
      (global.set $used (i32.const 1))
      (global.get $heap)
      (global.set $heap (i32.add (global.get $heap) (local.get $size))))
    (func (export "proxy_on_memory_allocate") (param $size i32) (result i32)
      (global.set $used (i32.const 2))
      (global.get $heap)
      (global.set $heap (i32.add (global.get $heap) (local.get $size))))
    (func (export "proxy_on_configure") (param i32) (param $size i32) (result i32)
      (drop (call $bytes (i32.const 7) (i32.const 0) (local.get $size) (i32.const 16) (i32.const 20)))
      (if (i32.eq (global.get $used) (i32.const 1)) (then ${say(100, 6)}))
      (if (i32.eq (global.get $used) (i32.const 2)) (then ${say(110, 24)}))
      (if (i32.eqz (global.get $used)) (then ${say(140, 4)}))
      (drop (call $log (i32.const 2) (i32.load (i32.const 16)) (i32.load (i32.const 20))))
      (i32.const 1))`,
    { configuration: "read through the allocator" },
    BASICS,
  ),
  module(
    "proc-exit-returns",
    `(import "wasi_snapshot_preview1" "proc_exit" (func $exit (param i32)))`,
    `(data (i32.const 100) "after proc_exit")
    (func (export "proxy_on_vm_start") (param i32 i32) (result i32)
      (call $exit (i32.const 3))
      ${say(100, 15)}
      (i32.const 1))`,
  ),
  module(
    "vm-start-fails",
    "",
    `(data (i32.const 100) "refusing to start")
    (func (export "proxy_on_vm_start") (param i32 i32) (result i32) ${say(100, 17)} (i32.const 0))`,
  ),
  module(
    "configure-fails",
    "",
    `(data (i32.const 100) "refusing the configuration")
    (func (export "proxy_on_configure") (param i32 i32) (result i32) ${say(100, 26)} (i32.const 0))`,
  ),
  module("imports-abort", `(import "env" "abort" (func $abort (param i32 i32 i32 i32)))`, ""),
  module(
    "imports-get-configuration-under-0-2-1",
    `(import "env" "proxy_get_configuration" (func $config (param i32 i32) (result i32)))`,
    "",
  ),
  module("tick-returns-a-value", "", `(func (export "proxy_on_tick") (param i32) (result i32) (i32.const 0))`),
  module(
    "start-section-calls-the-host",
    "",
    `(data (i32.const 100) "from the start section")
    (func $init ${say(100, 22)})
    (start $init)`,
  ),
  module(
    "wasm-simd",
    "",
    `(data (i32.const 100) "simd 3*7=?")
    (func (export "proxy_on_vm_start") (param i32 i32) (result i32)
      (v128.store (i32.const 200) (i64x2.extmul_low_i32x4_u (v128.const i32x4 3 0 0 0) (v128.const i32x4 7 0 0 0)))
      (i32.store8 (i32.const 109) (i32.add (i32.const 48) (i32.load (i32.const 200))))
      ${say(100, 10)}
      (i32.const 1))`,
  ),
  module(
    "initialize-logs",
    "",
    `(data (i32.const 100) "from _initialize")
    (func (export "_initialize") ${say(100, 16)})`,
  ),
  module(
    "abi-0-1-0-configuration",
    `(import "env" "proxy_get_configuration" (func $config (param i32 i32) (result i32)))`,
    `(func (export "proxy_on_configure") (param i32 i32) (result i32)
      (drop (call $config (i32.const 16) (i32.const 20)))
      (drop (call $log (i32.const 2) (i32.load (i32.const 16)) (i32.load (i32.const 20))))
      (i32.const 1))`,
    { configuration: "plugin configuration of an ABI 0.1.0 module" },
    `(memory (export "memory") 1)
    (global $heap (mut i32) (i32.const 4096))
    (func (export "proxy_abi_version_0_1_0")) ${MALLOC}`,
  ),
];
