// The calls-only module (bench/fixtures/calls-only): in each shipped filter's place, under the
// filter's root id, it makes the host calls the filter's Envoy request makes and does little else,
// so the Envoy cases can tell what the calls cost from what the filter's own code costs.

import { join } from "node:path";
import { compile } from "../cli/build.js";

/** Compiles the calls-only module for release into build/bench and returns its path. */
export async function buildCallsOnly(): Promise<string> {
  const wasm = join("build", "bench", "calls-only.wasm");
  await compile(join("bench", "fixtures", "calls-only", "index.ts"), wasm, "release");
  return wasm;
}
