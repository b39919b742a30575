// The baseline most cases are measured against: the SDK's pass-through module
// (bench/fixtures/pass-through), a plugin whose stream contexts do nothing.

import { join } from "node:path";
import { compile } from "../cli/build.js";

/** Compiles the pass-through module for release into build/bench and returns its path. */
export async function buildPassThrough(): Promise<string> {
  const wasm = join("build", "bench", "pass-through.wasm");
  await compile(join("bench", "fixtures", "pass-through", "index.ts"), wasm, "release");
  return wasm;
}
