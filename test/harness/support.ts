// Shared helpers for harness tests: fixture builds (the probe's above all) and a plausible request.

import { Plugin, type PluginOptions } from "../../harness/index.js";

/** The release (minimal runtime), debug and incremental-runtime builds of fixture `name`, built by test/global-setup.ts. */
export function fixtureBuilds(name: string): string[] {
  return [
    `build/fixtures/${name}.wasm`,
    `build/fixtures/${name}.debug.wasm`,
    `build/fixtures/${name}.incremental.wasm`,
  ];
}

/** The probe fixture's builds. */
export const probeBuilds = fixtureBuilds("probe");

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
