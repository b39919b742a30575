// `envoy-as run` as a user runs it: the compiled CLI in a child process, its JSON transcript on
// stdout, and its exit codes (0 ran, 1 Envoy would refuse the module or the plugin, 2 bad input).

import { execFileSync, spawnSync } from "node:child_process";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { type Transcript } from "../../harness/scenario.js";
import { MODULE_BASICS, wat } from "../support/wat.js";

// The Node side compiled on its own, so this test never reads a dist/ that a build is rewriting.
const OUT = "build/test-dist/run-cli";
const work = mkdtempSync(join(tmpdir(), "envoy-as-run-"));

beforeAll(() => {
  execFileSync("npx", ["tsc", "-p", "tsconfig.build.json", "--outDir", OUT], { stdio: "pipe" });
}, 120_000);

function envoyAs(...args: string[]) {
  const result = spawnSync("node", [join(OUT, "cli", "main.js"), ...args], { encoding: "utf8" });
  return { code: result.status, stdout: result.stdout, stderr: result.stderr };
}

function scenarioFile(name: string, content: unknown): string {
  const path = join(work, name);
  writeFileSync(path, typeof content === "string" ? content : JSON.stringify(content));
  return path;
}

describe("envoy-as run", () => {
  it("prints the transcript of a scenario whose file names its module, and exits 0", () => {
    const { code, stdout } = envoyAs("run", "--scenario", "test/scenarios/request-headers.json");
    expect(code).toBe(0);
    const transcript = JSON.parse(stdout) as Transcript;
    expect(transcript.steps[0]!.streams["main"]!.upstream.headers).toContainEqual(["x-tenant", "acme"]);
    expect(transcript.host_calls["main"]).toEqual({
      proxy_replace_header_map_value: 1,
      proxy_remove_header_map_value: 1,
    });
  });

  it("runs the module given on the command line instead of the file's", () => {
    const { code, stdout } = envoyAs(
      "run",
      "build/fixtures/bodies.debug.wasm",
      "--scenario=test/scenarios/request-body.json",
    );
    expect(code).toBe(0);
    expect((JSON.parse(stdout) as Transcript).steps[2]!.streams["main"]!.upstream.body).toBe("HELLO WORLD");
  });

  it("exits 2 naming the JSON path of a problem in the scenario", () => {
    const path = scenarioFile("bad-step.json", { steps: [{ step: "request_headers", headers: [["x"]] }] });
    const { code, stdout, stderr } = envoyAs("run", "build/header-rewrite.wasm", "--scenario", path);
    expect(code).toBe(2);
    expect(stdout).toBe("");
    expect(stderr).toContain("$.steps[0].headers[0]: must be a [name, value] pair of strings");
  });

  it("exits 2 for a scenario file that is not JSON", () => {
    const path = scenarioFile("not-json.json", "{ steps: [");
    const { code, stderr } = envoyAs("run", "build/header-rewrite.wasm", "--scenario", path);
    expect(code).toBe(2);
    expect(stderr).toContain("$: is not valid JSON");
  });

  it("exits 2 naming the step that cannot run", () => {
    const path = scenarioFile("no-call.json", { steps: [{ step: "http_call_failure" }] });
    const { code, stderr } = envoyAs("run", "build/header-rewrite.wasm", "--scenario", path);
    expect(code).toBe(2);
    expect(stderr).toContain("$.steps[0]: no pending HTTP call number 0");
  });

  it("exits 2 with the usage when no scenario is given, or no module", () => {
    const usage = envoyAs("run", "build/header-rewrite.wasm");
    expect(usage.code).toBe(2);
    expect(usage.stderr).toContain("usage: envoy-as run [MODULE.wasm]");
    const path = scenarioFile("no-module.json", { steps: [] });
    const { code, stderr } = envoyAs("run", "--scenario", path);
    expect(code).toBe(2);
    expect(stderr).toContain('no module: pass MODULE.wasm or set "module"');
  });

  it("exits 1 with Envoy's reason for a module it would refuse", () => {
    const module = join(work, "unknown-import.wasm");
    writeFileSync(module, wat(`(import "env" "proxy_teleport" (func)) ${MODULE_BASICS}`));
    const path = scenarioFile("refused.json", { module, steps: [] });
    const { code, stderr } = envoyAs("run", "--scenario", path);
    expect(code).toBe(1);
    expect(stderr).toContain("Failed to load Wasm module due to a missing import: env.proxy_teleport");
  });

  it("exits 1 and still prints the transcript when the plugin rejects its configuration", () => {
    const path = scenarioFile("bad-config.json", {
      module: resolve("build/header-rewrite.wasm"),
      plugin: { root_id: "header-rewrite", configuration: "[]" },
      steps: [],
    });
    const { code, stdout, stderr } = envoyAs("run", "--scenario", path);
    expect(code).toBe(1);
    expect(stderr).toContain("the plugin was rejected (configure_failed)");
    const transcript = JSON.parse(stdout) as Transcript;
    expect(transcript.startup.logs.map((l) => l.message)).toContain(
      "header-rewrite: invalid configuration: (root): must be an object, got array",
    );
  });

  it("lists the run command in the help", () => {
    expect(envoyAs("help").stdout).toContain("run [MODULE.wasm] --scenario FILE.json");
  });
});
