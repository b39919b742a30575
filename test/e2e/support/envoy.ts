// Finding and running real Envoy for end-to-end tests, found as `envoy-as envoy` finds it
// (cli/envoy.ts: func-e, then ENVOY_BIN, then PATH). Under CI=true a missing Envoy is an error,
// elsewhere a skip.

import { type ChildProcess, execFileSync, spawn } from "node:child_process";
import { ENVOY_INSTALL_HINT, type EnvoyLauncher, findEnvoy } from "../../../cli/envoy.js";

export { type EnvoyLauncher, findEnvoy } from "../../../cli/envoy.js";

/** The line printed when real-Envoy tests are skipped for want of Envoy. */
export const INSTALL_HINT = `real-Envoy tests skipped: ${ENVOY_INSTALL_HINT}`;

/** Finds Envoy or explains the skip; under CI=true a missing Envoy throws instead. */
export function requireEnvoyInCi(): EnvoyLauncher | null {
  const envoy = findEnvoy();
  if (!envoy && process.env["CI"] === "true") {
    throw new Error("CI=true but no Envoy was found: .ci/run must install func-e and Envoy 1.40.0");
  }
  if (!envoy) console.log(INSTALL_HINT);
  return envoy;
}

/** A running Envoy: its output so far, and how to stop it. */
export class RunningEnvoy {
  private output = "";
  private readonly exited: Promise<number | null>;

  constructor(private readonly child: ChildProcess) {
    child.stdout?.on("data", (chunk: Buffer) => (this.output += chunk.toString()));
    child.stderr?.on("data", (chunk: Buffer) => (this.output += chunk.toString()));
    this.exited = new Promise((resolve) => child.on("exit", (code) => resolve(code)));
  }

  /** Everything Envoy (and func-e) printed so far. */
  get log(): string {
    return this.output;
  }

  /** True once Envoy has exited by itself (for example when it refused its configuration). */
  get exitedEarly(): boolean {
    return this.child.exitCode !== null || this.child.signalCode !== null;
  }

  /** Waits until the admin endpoint answers /ready with 200, or fails with Envoy's output. */
  async waitReady(adminPort: number, timeoutMs = 30_000): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    let exitCode: number | null | undefined;
    void this.exited.then((code) => (exitCode = code));
    while (Date.now() < deadline) {
      if (exitCode !== undefined) throw new Error(`Envoy exited with ${exitCode}:\n${this.output}`);
      const ready = await fetch(`http://127.0.0.1:${adminPort}/ready`).then(
        (r) => r.status === 200,
        () => false,
      );
      if (ready) return;
      await new Promise((r) => setTimeout(r, 100));
    }
    throw new Error(`Envoy was not ready within ${timeoutMs} ms:\n${this.output}`);
  }

  /** Stops Envoy (SIGTERM, then SIGKILL of its process group after 5 s) and waits for it. */
  async stop(): Promise<void> {
    if (this.child.exitCode !== null || this.child.signalCode !== null) return;
    const pid = this.child.pid!;
    process.kill(-pid, "SIGTERM");
    const timer = setTimeout(() => process.kill(-pid, "SIGKILL"), 5_000);
    await this.exited;
    clearTimeout(timer);
  }
}

/** Starts Envoy on `configPath` with `workers` worker threads, from the project root so Wasm paths resolve. */
export function startEnvoy(envoy: EnvoyLauncher, configPath: string, cwd: string, workers = 1): RunningEnvoy {
  const args = [
    ...envoy.prefix,
    "-c",
    configPath,
    "--concurrency",
    String(workers),
    "--use-dynamic-base-id",
    "--log-level",
    "warn",
    "--component-log-level",
    "wasm:debug",
  ];
  const child = spawn(envoy.command, args, { cwd, detached: true, stdio: ["ignore", "pipe", "pipe"] });
  return new RunningEnvoy(child);
}

/** Runs `envoy --mode validate` on `configPath`; returns Envoy's verdict and output. */
export function validateConfig(envoy: EnvoyLauncher, configPath: string, cwd: string): { ok: boolean; output: string } {
  try {
    const output = execFileSync(
      envoy.command,
      [...envoy.prefix, "--mode", "validate", "-c", configPath, "--use-dynamic-base-id"],
      { cwd, encoding: "utf8", timeout: 60_000, stdio: "pipe" },
    );
    return { ok: true, output };
  } catch (error) {
    const failure = error as { stdout?: string; stderr?: string };
    return { ok: false, output: `${failure.stdout ?? ""}${failure.stderr ?? ""}` };
  }
}
