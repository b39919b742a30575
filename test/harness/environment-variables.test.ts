// VmConfig.environment_variables through WASI environ_sizes_get / environ_get (reference abi.md
// 8.2, 9): key_values plus host_env_keys read from the process, as `KEY=VALUE\0` strings.

import { afterEach, describe, expect, it } from "vitest";
import { ModuleLoadError, Plugin } from "../../harness/index.js";
import { LOG_IMPORT, MODULE_BASICS, REPORT, wat } from "../support/wat.js";

// Logs the environment buffer, then the variable count and the second variable's offset as bytes.
const ENVIRON = wat(`
  ${LOG_IMPORT}
  (import "wasi_snapshot_preview1" "environ_sizes_get" (func $sizes (param i32 i32) (result i32)))
  (import "wasi_snapshot_preview1" "environ_get" (func $get (param i32 i32) (result i32)))
  ${MODULE_BASICS}
  ${REPORT}
  (func (export "proxy_on_vm_start") (param i32 i32) (result i32)
    (call $report (call $sizes (i32.const 100) (i32.const 104)))
    (call $report (call $get (i32.const 200) (i32.const 1000)))
    (drop (call $log (i32.const 2) (i32.const 1000) (i32.load (i32.const 104))))
    (call $report (i32.load (i32.const 100)))
    (call $report (i32.sub (i32.load (i32.const 204)) (i32.const 1000)))
    (i32.const 1))`);

describe("VM environment variables", () => {
  afterEach(() => {
    delete process.env["ENVOY_AS_TEST_HOST_VAR"];
  });

  it("serves key_values and the host_env_keys set in the process through environ_get (abi.md 8.2, 9)", async () => {
    process.env["ENVOY_AS_TEST_HOST_VAR"] = "from-host";
    const plugin = await Plugin.load(ENVIRON, {
      environmentVariables: {
        keyValues: { A: "1" },
        hostEnvKeys: ["ENVOY_AS_TEST_HOST_VAR", "ENVOY_AS_TEST_UNSET_VAR"],
      },
    });
    const worker = plugin.logs.filter((e) => e.instance === "worker").map((e) => e.message);
    expect(worker).toEqual(["\0", "\0", "A=1\0ENVOY_AS_TEST_HOST_VAR=from-host\0", "\x02", "\x04"]);
  });

  it("shows an empty environment when none is configured (abi.md 9)", async () => {
    const plugin = await Plugin.load(ENVIRON);
    const worker = plugin.logs.filter((e) => e.instance === "worker").map((e) => e.message);
    expect(worker.slice(0, 2)).toEqual(["\0", "\0"]);
    expect(worker.slice(3, 4)).toEqual(["\0"]);
  });

  it("rejects a key that is both a key_value and a host key, as Envoy does", async () => {
    const loading = Plugin.load(ENVIRON, {
      name: "env-test",
      environmentVariables: { keyValues: { HOME: "x" }, hostEnvKeys: ["HOME"] },
    });
    await expect(loading).rejects.toThrow(ModuleLoadError);
    await expect(loading).rejects.toThrow(
      "Key HOME is duplicated in envoy.extensions.wasm.v3.VmConfig.environment_variables for env-test.",
    );
  });
});
