;; A module that logs, from proxy_on_vm_start, each environment variable its VM was given
;; (VmConfig.environment_variables, read through WASI environ_sizes_get and environ_get), one
;; info line per `KEY=VALUE`. No SDK in this repository reads the environment, so it is written by
;; hand; environ.wasm is its binary (test/harness/scenario.test.ts checks that they agree).
(module
  (import "env" "proxy_log" (func $log (param i32 i32 i32) (result i32)))
  (import "wasi_snapshot_preview1" "environ_sizes_get" (func $sizes (param i32 i32) (result i32)))
  (import "wasi_snapshot_preview1" "environ_get" (func $get (param i32 i32) (result i32)))
  ;; 0: variable count, 4: buffer size, 16: one pointer per variable, 1024: the `KEY=VALUE\0` strings.
  (memory (export "memory") 1)
  (global $heap (mut i32) (i32.const 8192))
  (func (export "proxy_abi_version_0_2_1"))
  (func (export "malloc") (param $size i32) (result i32)
    (global.get $heap)
    (global.set $heap (i32.add (global.get $heap) (local.get $size))))
  (func (export "proxy_on_vm_start") (param $root i32) (param $size i32) (result i32)
    (local $count i32) (local $i i32) (local $start i32) (local $end i32)
    (drop (call $sizes (i32.const 0) (i32.const 4)))
    (drop (call $get (i32.const 16) (i32.const 1024)))
    (local.set $count (i32.load (i32.const 0)))
    (block $done
      (loop $next
        (br_if $done (i32.ge_u (local.get $i) (local.get $count)))
        (local.set $start (i32.load (i32.add (i32.const 16) (i32.shl (local.get $i) (i32.const 2)))))
        ;; A string ends where the next one starts, or at the end of the buffer; drop its NUL.
        (local.set $end
          (if (result i32) (i32.lt_u (i32.add (local.get $i) (i32.const 1)) (local.get $count))
            (then (i32.load (i32.add (i32.const 20) (i32.shl (local.get $i) (i32.const 2)))))
            (else (i32.add (i32.const 1024) (i32.load (i32.const 4))))))
        (drop (call $log (i32.const 2) (local.get $start)
          (i32.sub (i32.sub (local.get $end) (local.get $start)) (i32.const 1))))
        (local.set $i (i32.add (local.get $i) (i32.const 1)))
        (br $next)))
    (i32.const 1)))
