// Builds the test modules under test/fixtures/ (release, debug and the minimal runtime) before
// any test runs; `npm test` has already built the filters.

import { readdirSync } from "node:fs";
import { join } from "node:path";
import { compile } from "../cli/build.js";

export default async function setup(): Promise<void> {
  const fixtures = readdirSync(join("test", "fixtures"), { withFileTypes: true }).filter((e) => e.isDirectory());
  for (const { name } of fixtures) {
    const entry = join("test", "fixtures", name, "index.ts");
    await compile(entry, join("build", "fixtures", `${name}.wasm`), "release");
    await compile(entry, join("build", "fixtures", `${name}.debug.wasm`), "debug");
  }
}
