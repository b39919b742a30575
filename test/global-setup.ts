// Builds the test modules before any test runs (`npm test` has already built the filters):
// - every test/fixtures/<name>/ as release (minimal runtime), debug and incremental (release with
//   `--runtime incremental`);
// - leak-tracing (rtraced) builds of the probe (both runtimes) and of the header-rewrite filter;
// - every test/<group>/entries/<name>.ts of a library group (crypto, expr, json, text) as a plain
//   library with ESM bindings (build/<group>/).
// ENVOY_AS_FIXTURES=a,b limits it to some fixtures ("rtraced" and the library groups' names name those).
// After a full run, fails it when a host function the SDK declares was never called by a fixture
// (see test/support/host-call-coverage.ts).

import { execFile } from "node:child_process";
import { availableParallelism } from "node:os";
import { readdirSync } from "node:fs";
import { join } from "node:path";
import { promisify } from "node:util";
import { type TestProject } from "vitest/node";
import {
  failOnUncalled,
  resetHostCallCoverage,
  testFiles,
  uncalledHostFunctions,
} from "./support/host-call-coverage.js";

const run = promisify(execFile);
const ASC = join("node_modules", "assemblyscript", "bin", "asc.js");
const LIBRARY_CONFIG = join("test", "crypto", "asconfig.json");
/** Groups of SDK libraries tested through plain exported functions rather than through a host. */
const LIBRARY_GROUPS = ["crypto", "expr", "json", "text", "telemetry"];

interface Build {
  entry: string;
  outFile: string;
  /** An asconfig.json target, or null for a config with no targets. */
  target: string | null;
  config?: string;
  args?: string[];
}

/** The builds of fixture `name` that SDK and harness tests run against. */
const TARGETS = [
  { target: "release", suffix: ".wasm" },
  { target: "debug", suffix: ".debug.wasm" },
  { target: "incremental", suffix: ".incremental.wasm" },
];

// Separate compiler processes, so the builds use every core.
async function compileAll(builds: Build[]): Promise<void> {
  const queue = [...builds];
  const worker = async (): Promise<void> => {
    for (let build = queue.shift(); build; build = queue.shift()) {
      const args = [ASC, build.entry, "--config", build.config ?? "asconfig.json"];
      if (build.target) args.push("--target", build.target);
      try {
        await run(process.execPath, [...args, ...(build.args ?? []), "--outFile", build.outFile]);
      } catch (error) {
        const stderr = (error as { stderr?: string }).stderr ?? String(error);
        throw new Error(`${build.entry} (${build.target ?? "library"}) failed to compile:\n${stderr}`, {
          cause: error,
        });
      }
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, availableParallelism()) }, worker));
}

export default async function setup(project: TestProject): Promise<() => void> {
  const expected = testFiles();
  const only = process.env["ENVOY_AS_FIXTURES"]?.split(",");
  const fixtures = readdirSync(join("test", "fixtures"), { withFileTypes: true }).filter(
    (e) => e.isDirectory() && (!only || only.includes(e.name)),
  );
  const builds: Build[] = [];
  for (const { name } of fixtures) {
    const entry = join("test", "fixtures", name, "index.ts");
    for (const { target, suffix } of TARGETS) {
      builds.push({ entry, outFile: join("build", "fixtures", name + suffix), target });
    }
  }
  if (!only || only.includes("rtraced")) {
    const probe = "test/fixtures/probe/index.ts";
    const headerRewrite = "filters/header-rewrite/index.ts";
    builds.push({ entry: probe, outFile: "build/fixtures/probe.rtraced.wasm", target: "rtraced" });
    builds.push({ entry: headerRewrite, outFile: "build/fixtures/header-rewrite.rtraced.wasm", target: "rtraced" });
    const minimal = ["--runtime", "minimal"];
    builds.push({
      entry: probe,
      outFile: "build/fixtures/probe.rtraced-minimal.wasm",
      target: "rtraced",
      args: minimal,
    });
  }
  for (const group of LIBRARY_GROUPS.filter((g) => !only || only.includes(g))) {
    for (const file of readdirSync(join("test", group, "entries")).filter((f) => f.endsWith(".ts"))) {
      const outFile = join("build", group, file.replace(/\.ts$/, ".wasm"));
      builds.push({ entry: join("test", group, "entries", file), outFile, target: null, config: LIBRARY_CONFIG });
    }
  }
  resetHostCallCoverage();
  await compileAll(builds);
  const partial = project.config.testNamePattern !== undefined || only !== undefined;
  return () => failOnUncalled(uncalledHostFunctions(expected, project.vitest.state.getFilepaths(), partial));
}
