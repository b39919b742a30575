// Loading a module the way Envoy does (reference abi.md 1, 3.11, 4.1): what Envoy refuses, the
// harness refuses with the same reason; what the harness lacks, it names.

import { describe, expect, it } from "vitest";
import { ModuleLoadError, Plugin } from "../../harness/index.js";
import { wat as wasm } from "../support/wat.js";

const BASICS = `
  (memory (export "memory") 1)
  (func (export "proxy_abi_version_0_2_1"))
  (func (export "malloc") (param i32) (result i32) (i32.const 1024))`;

async function loadError(binary: Uint8Array): Promise<string> {
  const error = await Plugin.load(binary).then(
    () => null,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(ModuleLoadError);
  return (error as Error).message;
}

describe("loading modules", () => {
  it("loads a minimal module and runs without any callbacks", async () => {
    const plugin = await Plugin.load(wasm(BASICS));
    expect(plugin.status).toBe("running");
    expect(plugin.abi).toBe("0.2.1");
  });

  it("refuses an import Envoy does not provide (env.abort)", async () => {
    const message = await loadError(wasm(`(import "env" "abort" (func (param i32 i32 i32 i32))) ${BASICS}`));
    expect(message).toBe("Failed to load Wasm module due to a missing import: env.abort");
  });

  it("refuses a 0.1.0-only import in a 0.2.1 module (proxy_get_configuration)", async () => {
    const message = await loadError(
      wasm(`(import "env" "proxy_get_configuration" (func (param i32 i32) (result i32))) ${BASICS}`),
    );
    expect(message).toBe("Failed to load Wasm module due to a missing import: env.proxy_get_configuration");
  });

  it("refuses an import whose signature differs from Envoy's", async () => {
    const message = await loadError(wasm(`(import "env" "proxy_log" (func (param i32 i32) (result i32))) ${BASICS}`));
    expect(message).toMatch(/^import type mismatch: env\.proxy_log is \(i32,i32,i32\)->i32 in Envoy/);
  });

  it("refuses a module without an ABI version marker", async () => {
    const message = await loadError(
      wasm(`(memory (export "memory") 1) (func (export "malloc") (param i32) (result i32) (i32.const 0))`),
    );
    expect(message).toBe("Missing or unknown Proxy-Wasm ABI version");
  });

  it("refuses a module without malloc or proxy_on_memory_allocate", async () => {
    const message = await loadError(wasm(`(memory (export "memory") 1) (func (export "proxy_abi_version_0_2_1"))`));
    expect(message).toMatch(/missing malloc function/);
  });

  it("refuses a callback export with the wrong signature", async () => {
    const message = await loadError(
      wasm(`${BASICS} (func (export "proxy_on_tick") (param i32) (result i32) (i32.const 0))`),
    );
    expect(message).toBe("Bad function signature for: proxy_on_tick (expected (i32)->, got (i32)->i32)");
  });

  it("fails the load when _initialize calls a host function Envoy restricts there", async () => {
    const message = await loadError(
      wasm(`(import "env" "proxy_get_property" (func $get (param i32 i32 i32 i32) (result i32))) ${BASICS}
        (func (export "_initialize") (drop (call $get (i32.const 0) (i32.const 0) (i32.const 0) (i32.const 4))))`),
    );
    expect(message).toMatch(/proxy_get_property is not allowed while the module starts/);
  });

  it("allows proxy_log while the module starts", async () => {
    const plugin = await Plugin.load(
      wasm(`(import "env" "proxy_log" (func $log (param i32 i32 i32) (result i32))) ${BASICS}
        (data (i32.const 16) "hello")
        (func (export "_initialize") (drop (call $log (i32.const 2) (i32.const 16) (i32.const 5))))`),
    );
    expect(plugin.logs.map((e) => [e.instance, e.message])).toEqual([
      ["base", "hello"],
      ["canary", "hello"],
      ["main", "hello"],
      ["worker", "hello"],
    ]);
  });
});
