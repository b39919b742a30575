// Shared helpers for SDK tests: fixture builds (release, debug and minimal runtime) and log filtering.

import { type Plugin } from "../../harness/index.js";

/** The release, debug and minimal-runtime builds of fixture `name`, built by test/global-setup.ts. */
export function builds(name: string): string[] {
  return [`build/fixtures/${name}.wasm`, `build/fixtures/${name}.debug.wasm`, `build/fixtures/${name}.minimal.wasm`];
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
