// `envoy-as dev`: serves the demo configuration (written with free ports) with its services, names
// what the dev proxy leaves out, prints the curl commands, and on Ctrl-C stops everything it started.

import { spawn } from "node:child_process";
import { mkdtemp, readFile, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { parse } from "yaml";
import { freePort, ingressPorts, loadBootstrap, writeWithPorts } from "../e2e/support/config.js";

async function demoWithFreePorts(): Promise<{ file: string; listener: number; admin: number }> {
  const listener = await freePort();
  const admin = await freePort();
  const clusters = { upstream: await freePort(), idp: await freePort(), "log-collector": await freePort() };
  const written = await writeWithPorts(await loadBootstrap(process.cwd(), "demo.yaml"), {
    admin,
    listeners: { ingress: listener },
    clusters,
  });
  // The demo services start only for a file named demo.yaml.
  const file = join(await mkdtemp(join(tmpdir(), "envoy-as-dev-")), "demo.yaml");
  await writeFile(file, await readFile(written, "utf8"));
  return { file, listener, admin };
}

// Waits until `output()` contains `text`, for as long as a busy machine may take to start the proxy.
async function waitForOutput(output: () => string, text: string): Promise<void> {
  for (let i = 0; i < 450 && !output().includes(text); i++) await new Promise((r) => setTimeout(r, 100));
}

async function closed(port: number): Promise<boolean> {
  return fetch(`http://127.0.0.1:${port}/`).then(
    () => false,
    () => true,
  );
}

describe("envoy-as dev", () => {
  it("serves the demo, prints the curl commands, and stops everything on SIGINT", async () => {
    const { file, listener, admin } = await demoWithFreePorts();
    const child = spawn(process.execPath, ["dist/cli/main.js", "dev", file], { stdio: ["ignore", "pipe", "pipe"] });
    let output = "";
    child.stdout.on("data", (chunk: Buffer) => (output += chunk.toString()));
    child.stderr.on("data", (chunk: Buffer) => (output += chunk.toString()));
    const exited = new Promise<number | null>((resolve) => child.on("exit", (code) => resolve(code)));
    await waitForOutput(() => output, "/stats/prometheus");
    expect(output).toContain(`envoy-as dev: serving ${file} on 127.0.0.1:${listener}`);
    expect(output).toContain(`curl -si http://127.0.0.1:${listener}/api/hello`);
    expect((await fetch(`http://127.0.0.1:${listener}/public/status`)).status).toBe(200);
    expect(await (await fetch(`http://127.0.0.1:${admin}/ready`)).text()).toBe("LIVE\n");
    child.kill("SIGINT");
    expect(await exited).toBe(0);
    expect([await closed(listener), await closed(admin)]).toEqual([true, true]);
  }, 60_000);

  it("prints a refused filter's error line before the error that names the filter, and exits 1", async () => {
    const text = (await readFile("envoy-configs/header-rewrite.yaml", "utf8")).replace(
      '"request_headers": [',
      '"unknown_field": 1, "request_headers": [',
    );
    const written = await writeWithPorts(parse(text) as Record<string, unknown>, await ingressPorts());
    const child = spawn(process.execPath, ["dist/cli/main.js", "dev", written], {
      stdio: ["ignore", "ignore", "pipe"],
    });
    let errors = "";
    child.stderr.on("data", (chunk: Buffer) => (errors += chunk.toString()));
    const code = await new Promise<number | null>((resolve) => child.on("exit", (c) => resolve(c)));
    expect(code).toBe(1);
    const lines = errors.trimEnd().split("\n");
    const filterLine = lines.findIndex((l) =>
      /\]\[error\]\[wasm\] wasm log header-rewrite .*unknown_field: unknown field/.test(l),
    );
    const commandLine = lines.findIndex((l) => l.startsWith("envoy-as dev: filter header-rewrite"));
    expect(filterLine).toBeGreaterThanOrEqual(0);
    expect(commandLine).toBeGreaterThan(filterLine);
    expect(lines.filter((l) => l.includes("[wasm]"))).toHaveLength(1);
  }, 60_000);

  it("names what the configuration sets that the dev proxy does not implement", async () => {
    const bootstrap = await loadBootstrap(process.cwd(), "header-rewrite.yaml");
    (bootstrap as Record<string, unknown>)["overload_manager"] = { refresh_interval: "1s" };
    const written = await writeWithPorts(bootstrap, await ingressPorts());
    const child = spawn(process.execPath, ["dist/cli/main.js", "dev", written], { stdio: ["ignore", "pipe", "pipe"] });
    let output = "";
    child.stdout.on("data", (chunk: Buffer) => (output += chunk.toString()));
    const exited = new Promise<number | null>((resolve) => child.on("exit", (code) => resolve(code)));
    await waitForOutput(() => output, "serving");
    expect(output).toContain("envoy-as dev: not supported by the dev proxy, left out: overload_manager");
    // The proxy stops cleanly on SIGTERM once it says it serves (its handler is in by then).
    expect(output).toContain("envoy-as dev: serving");
    child.kill("SIGTERM");
    expect(await exited).toBe(0);
  }, 60_000);
});
