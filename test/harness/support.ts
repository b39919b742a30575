// Shared helpers for harness tests: the probe module's builds and a plausible request.

import { Plugin, type PluginOptions } from "../../harness/index.js";

/** The probe fixture, built in release and debug by test/global-setup.ts. */
export const probeBuilds = ["build/fixtures/probe.wasm", "build/fixtures/probe.debug.wasm"];

/** Loads the probe with root id "probe" and `options`. */
export function loadProbe(wasm: string, options: PluginOptions = {}): Promise<Plugin> {
  return Plugin.load(wasm, { rootId: "probe", name: "probe", ...options });
}

/** Request headers for GET /, plus `extra`. */
export function get(extra: [string, string][] = []): [string, string][] {
  return [[":method", "GET"], [":path", "/"], [":authority", "example.test"], ...extra];
}

/** The info-level messages that start with `prefix`. */
export function messages(plugin: Plugin, prefix: string): string[] {
  return plugin.logMessages().filter((m) => m.startsWith(prefix));
}
