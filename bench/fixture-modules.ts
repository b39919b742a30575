// The benchmarks' own modules (bench/fixtures/<name>), built for release into build/bench: the
// pass-through module most cases are measured against, and the calls-only module the Envoy cases
// put in each filter's place.

import { join } from "node:path";
import { compile } from "../cli/build.js";

async function buildFixture(name: string): Promise<string> {
  const wasm = join("build", "bench", `${name}.wasm`);
  await compile(join("bench", "fixtures", name, "index.ts"), wasm, "release");
  return wasm;
}

/** Builds the SDK's pass-through module (stream contexts that do nothing) and returns its path. */
export function buildPassThrough(): Promise<string> {
  return buildFixture("pass-through");
}

/**
 * Builds the calls-only module, which under each shipped filter's root id makes the host calls the
 * filter's Envoy request makes and little else, and returns its path.
 */
export function buildCallsOnly(): Promise<string> {
  return buildFixture("calls-only");
}
