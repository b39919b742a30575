// Shared helpers for SDK tests: fixture builds (release with the minimal runtime, debug, and release with the incremental runtime) and log filtering.

import { type Plugin } from "../../harness/index.js";

/** The release (minimal runtime), debug and incremental-runtime builds of fixture `name`, built by test/global-setup.ts. */
export function builds(name: string): string[] {
  return [
    `build/fixtures/${name}.wasm`,
    `build/fixtures/${name}.debug.wasm`,
    `build/fixtures/${name}.incremental.wasm`,
  ];
}

/** The logged messages that start with `prefix`. */
export function logged(plugin: Plugin, prefix: string): string[] {
  return plugin.logMessages().filter((m) => m.startsWith(prefix));
}

/** Decodes bytes as UTF-8. */
export function text(bytes: Uint8Array): string {
  return new TextDecoder().decode(bytes);
}

/** POST request headers for `/upload` with the fixture action `action`, plus `extra`. */
export function post(action: string, extra: [string, string][] = []): [string, string][] {
  return [[":method", "POST"], [":path", "/upload"], [":authority", "example.test"], ["x-body", action], ...extra];
}
