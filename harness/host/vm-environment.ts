// Envoy's `VmConfig.environment_variables` (reference abi.md 8.2, 9): fixed `key_values` plus
// `host_env_keys` copied from the proxy's own environment, the only environment a guest sees
// through WASI environ_get.

import { ModuleLoadError } from "../abi/imports.js";

/** `VmConfig.environment_variables`. */
export interface EnvironmentVariables {
  /** `key_values`: variables with fixed values. */
  keyValues?: Readonly<Record<string, string>>;
  /** `host_env_keys`: names read from this Node process's environment; unset ones are left out. */
  hostEnvKeys?: readonly string[];
}

/**
 * The merged variables Envoy builds (WasmConfig): key_values, then each host key set in the
 * process. A name in both lists rejects the configuration, with Envoy's message.
 */
export function environmentVariables(config: EnvironmentVariables | undefined, pluginName: string): [string, string][] {
  const merged = new Map(Object.entries(config?.keyValues ?? {}));
  const seen = new Set(merged.keys());
  for (const key of config?.hostEnvKeys ?? []) {
    if (seen.has(key)) {
      throw new ModuleLoadError(
        `Key ${key} is duplicated in envoy.extensions.wasm.v3.VmConfig.environment_variables for ${pluginName}. ` +
          "All the keys must be unique.",
      );
    }
    seen.add(key);
    const value = process.env[key];
    if (value !== undefined) merged.set(key, value);
  }
  return [...merged];
}
