// `envoy-as envoy` as a user runs it: the compiled CLI in a child process. Without Envoy it exits 1
// with one line saying how to get it; with Envoy (func-e in CI) it passes Envoy's exit code and
// output through, and a signal to the CLI shuts down Envoy (and func-e) with nothing left running.

import { type ChildProcess, execFileSync, spawn, spawnSync } from "node:child_process";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { ENVOY_INSTALL_HINT } from "../../cli/envoy.js";
import { freePort, loadBootstrap, writeWithPorts } from "../e2e/support/config.js";
import { requireEnvoyInCi } from "../e2e/support/envoy.js";

// The Node side compiled on its own, so this test never reads a dist/ that a build is rewriting.
const OUT = "build/test-dist/envoy-cli";
const MAIN = join(OUT, "cli", "main.js");
const work = mkdtempSync(join(tmpdir(), "envoy-as-envoy-"));

beforeAll(() => {
  execFileSync("npx", ["tsc", "-p", "tsconfig.build.json", "--outDir", OUT], { stdio: "pipe" });
}, 120_000);

function envoyAs(args: string[], env: NodeJS.ProcessEnv = process.env) {
  const result = spawnSync(process.execPath, [MAIN, ...args], { encoding: "utf8", env, timeout: 60_000 });
  return { code: result.status, stdout: result.stdout, stderr: result.stderr };
}

function withoutEnvoy(): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { ...process.env, PATH: "" };
  delete env["ENVOY_BIN"];
  return env;
}

describe("envoy-as envoy without Envoy or with bad input", () => {
  it("exits 1 with the one-line install hint when no Envoy can be found", () => {
    const { code, stdout, stderr } = envoyAs(["envoy", "envoy-configs/header-rewrite.yaml"], withoutEnvoy());
    expect(code).toBe(1);
    expect(stdout).toBe("");
    expect(stderr).toBe(`envoy-as envoy: ${ENVOY_INSTALL_HINT}\n`);
  });

  it.each([
    { args: ["envoy-configs/no-such.yaml"], message: "config file not found: envoy-configs/no-such.yaml" },
    { args: ["envoy-configs"], message: "config file not found: envoy-configs" },
    { args: ["a.yaml", "b.yaml"], message: "unexpected argument b.yaml" },
    { args: ["--mode", "validate"], message: "unknown option --mode (Envoy's own options go after --)" },
  ])("exits 2 for $args naming the problem before looking for Envoy", ({ args, message }) => {
    const { code, stderr } = envoyAs(["envoy", ...args], withoutEnvoy());
    expect(code).toBe(2);
    expect(stderr.split("\n")[0]).toBe(`envoy-as envoy: ${message}`);
  });

  it("lists the envoy command in the help", () => {
    expect(envoyAs(["help"]).stdout).toContain("envoy [CONFIG] [-- ENVOY_ARGS...]");
  });
});

function exitOf(child: ChildProcess): Promise<number | null> {
  if (child.exitCode !== null) return Promise.resolve(child.exitCode);
  return new Promise((resolve) => child.on("exit", (code) => resolve(code)));
}

async function waitReady(adminPort: number, child: ChildProcess, output: () => string): Promise<void> {
  const deadline = Date.now() + 30_000;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`envoy-as exited with ${child.exitCode}:\n${output()}`);
    const ready = await fetch(`http://127.0.0.1:${adminPort}/ready`).then(
      (r) => r.status === 200,
      () => false,
    );
    if (ready) return;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`Envoy was not ready within 30 s:\n${output()}`);
}

/** The ids of the processes whose command line mentions `text`. */
function processesMentioning(text: string): number[] {
  const ps = execFileSync("ps", ["-eo", "pid=,args="], { encoding: "utf8" });
  return ps
    .split("\n")
    .filter((line) => line.includes(text))
    .map((line) => Number.parseInt(line, 10));
}

const envoy = requireEnvoyInCi();

describe.skipIf(!envoy)("envoy-as envoy with real Envoy", () => {
  it("passes the arguments after -- to Envoy and exits 0 when it validates a config", () => {
    const { code, stdout, stderr } = envoyAs([
      "envoy",
      "envoy-configs/header-rewrite.yaml",
      "--",
      "--mode",
      "validate",
    ]);
    expect(code, stderr).toBe(0);
    expect(stdout + stderr).toContain("envoy-configs/header-rewrite.yaml' OK");
  });

  it("forwards Envoy's stdout", () => {
    const { code, stdout } = envoyAs(["envoy", "envoy-configs/header-rewrite.yaml", "--", "--version"]);
    expect(code).toBe(0);
    expect(stdout).toContain(`/${envoy!.version}/`);
  });

  it("runs the binary named by ENVOY_BIN when nothing is on PATH", () => {
    const binary =
      envoy!.via === "func-e" ? execFileSync(envoy!.command, ["which"], { encoding: "utf8" }).trim() : envoy!.command;
    const env = { ...withoutEnvoy(), ENVOY_BIN: binary };
    const { code, stdout } = envoyAs(["envoy", "envoy-configs/header-rewrite.yaml", "--", "--version"], env);
    expect(code).toBe(0);
    expect(stdout).toContain(`/${envoy!.version}/`);
  });

  it("exits with Envoy's failure code when Envoy rejects the config", () => {
    const broken = join(work, "broken.yaml");
    writeFileSync(broken, "no_such_bootstrap_field: 1\n");
    const { code, stdout, stderr } = envoyAs(["envoy", broken, "--", "--mode", "validate"]);
    expect(code).toBe(1);
    expect(stdout + stderr).toContain("no_such_bootstrap_field");
  });

  it.each(["SIGTERM", "SIGINT"] as const)(
    "stops Envoy and leaves no process behind when the CLI gets %s",
    async (signal) => {
      const admin = await freePort();
      const bootstrap = await loadBootstrap(process.cwd(), "header-rewrite.yaml");
      const config = await writeWithPorts(bootstrap, {
        admin,
        listeners: { ingress: await freePort() },
        clusters: { upstream: await freePort() },
      });
      const cli = spawn(process.execPath, [MAIN, "envoy", config], { stdio: ["ignore", "pipe", "pipe"] });
      let output = "";
      cli.stdout.on("data", (chunk: Buffer) => (output += chunk.toString()));
      cli.stderr.on("data", (chunk: Buffer) => (output += chunk.toString()));
      try {
        await waitReady(admin, cli, () => output);
        expect(processesMentioning(config).length).toBeGreaterThan(0);

        cli.kill(signal);
        expect(await exitOf(cli), output).toBe(0);
        await expect(fetch(`http://127.0.0.1:${admin}/ready`)).rejects.toThrow();
        expect(processesMentioning(config)).toEqual([]);
      } finally {
        // A failed run must not leave its func-e or Envoy behind.
        for (const pid of processesMentioning(config)) process.kill(pid, "SIGKILL");
      }
    },
    60_000,
  );
});
