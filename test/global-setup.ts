// Builds the test modules under test/fixtures/ (release and debug) before any test runs;
// `npm test` has already built the filters. ENVOY_AS_FIXTURES=a,b limits it to some fixtures.

import { readdirSync } from "node:fs";
import { join } from "node:path";
import { compile } from "../cli/build.js";

export default async function setup(): Promise<void> {
  const only = process.env["ENVOY_AS_FIXTURES"]?.split(",");
  const fixtures = readdirSync(join("test", "fixtures"), { withFileTypes: true }).filter(
    (e) => e.isDirectory() && (!only || only.includes(e.name)),
  );
  for (const { name } of fixtures) {
    const entry = join("test", "fixtures", name, "index.ts");
    await compile(entry, join("build", "fixtures", `${name}.wasm`), "release");
    await compile(entry, join("build", "fixtures", `${name}.debug.wasm`), "debug");
  }
}
